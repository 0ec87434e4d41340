import { main } from "../../../mod.ts";
import { equal, match } from "node:assert/strict";
import { join } from "node:path";

// Runs __NAME__ in a real short benchmark against the embedded server (127.0.0.1),
// mapped by its manifest the way a user maps it, with every plugin problem fatal.
Deno.test("__NAME__ runs in a short benchmark", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const manifest = new URL("./registry.yaml", import.meta.url).href;
    await Deno.writeTextFile(
      join(dir, "bench.yaml"),
      `phases: { warmup: { request_count: 0 }, profiling: { request_count: 4 } }
server: { ttft_ms: 1, itl_ms: 0, output_tokens: 4 }
output: ${JSON.stringify(join(dir, "out"))}
dataset_sampler: __NAME__
plugins:
  map: { __PLUGIN__: ${JSON.stringify(manifest)} }
`,
    );
    let out = "";
    let stderr = "";
    const status = await main(
      ["--config", join(dir, "bench.yaml"), "--no-progress", "--strict-plugins"],
      {
        stdout: (text) => void (out += text),
        stderr: (text) => void (stderr += text),
        terminal: false,
        signals: false,
      },
    );
    equal(status, 0, stderr);
    match(out, /Request Latency/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
