// A run is never lost: a slow phase hook, a bad --output found before anything is sent, the
// console table printed whatever happens to the file exports.
import { assert, assertEquals } from "./_assert.ts";
import { ROOT, runMain, serveLoopback, tempTree } from "./_helpers.ts";

/** Runs `deno task bench ARGS` as a user would; returns its status and output. */
async function bench(args: readonly string[]) {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "bench", ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { status: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

Deno.test("run safety: a phase hook whose onPhaseStart outlasts the duration does not crash the run", async () => {
  const dir = await tempTree({
    "slow/registry.yaml": `
plugin: { name: slow, version: 1.0.0 }
phase_hook:
  slow:
    class: ./slow.ts#slow
    description: Starts slowly
`,
    "slow/slow.ts": `
export function slow() {
  return { onPhaseStart: () => new Promise((resolve) => setTimeout(resolve, 400)) };
}
`,
    "bench.yaml": `
phases: { warmup: { request_count: 0 }, profiling: { duration: 100ms } }
server: { ttft_ms: 0, itl_ms: 0, output_tokens: 2 }
plugins:
  map:
    slow: ./slow/registry.yaml
  phase_hooks: [slow]
`,
  });
  try {
    const { status, stdout, stderr } = await bench(["--config", `${dir}/bench.yaml`]);
    assert(!stderr.includes("ReferenceError"), stderr);
    assert(stdout.includes("Phase profiling:"), stdout + stderr);
    // Nothing could be sent before the time was up: "no request succeeded".
    assertEquals(status, 1, stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
