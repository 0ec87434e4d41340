// An example plugin loaded through `jsr:` in the plugin map, from a fake JSR on loopback
// (JSR_URL points the registry at it), with the bench run as `deno task bench` runs it.
import { assert, assertEquals } from "./_assert.ts";
import { ROOT, tempTree } from "./_helpers.ts";
import { serve } from "../_helpers/server.ts";

const PACKAGE = "@plugmap/slo-gate";
const VERSION = "1.0.0";
const FILES = ["registry.yaml", "mod.ts", "slo_gate.ts", "parse_threshold.ts", "deno.json"];

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>),
  );
  return "sha256-" + Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Serves the slo-gate plugin folder the way JSR serves a published package version. */
async function fakeJsr() {
  const files = new Map<string, Uint8Array>();
  const manifest: Record<string, { size: number; checksum: string }> = {};
  for (const path of FILES) {
    const bytes = await Deno.readFile(`${ROOT}examples/plugins/slo-gate/${path}`);
    files.set(path, bytes);
    manifest[`/${path}`] = { size: bytes.length, checksum: await sha256(bytes) };
  }
  const types: Record<string, string> = {
    ts: "application/typescript",
    yaml: "text/yaml",
    json: "application/json",
  };
  // Under a path of its own (serve's prefix): Deno's module cache, keyed by URL, cannot hand back
  // an earlier run's copy of the plugin from a port that run used.
  return serve({}, (request) => {
    const path = new URL(request.url).pathname;
    if (path === `/${PACKAGE}/meta.json`) {
      return Response.json({
        scope: "plugmap",
        name: "slo-gate",
        latest: VERSION,
        versions: { [VERSION]: {}, "0.9.0": { yanked: true } },
      });
    }
    if (path === `/${PACKAGE}/${VERSION}_meta.json`) {
      return Response.json({ manifest, exports: { ".": "./mod.ts" } });
    }
    const prefix = `/${PACKAGE}/${VERSION}/`;
    const file = path.startsWith(prefix) ? files.get(path.slice(prefix.length)) : undefined;
    if (file === undefined) return new Response("not found", { status: 404 });
    const type = types[path.slice(path.lastIndexOf(".") + 1)] ?? "text/plain";
    return new Response(file as Uint8Array<ArrayBuffer>, { headers: { "content-type": type } });
  });
}

Deno.test("jsr: the SLO gate loads from a (fake) JSR through jsr: in the plugin map", async () => {
  const jsr = await fakeJsr();
  const dir = await tempTree({
    "bench.yaml": `
phases: { warmup: { request_count: 0 }, profiling: { request_count: 6 } }
server: { ttft_ms: 3, itl_ms: 0, output_tokens: 4 }
plugins:
  map:
    slo: jsr:${PACKAGE}@^1/registry.yaml
  phase_hooks:
    - name: slo_gate
      config:
        thresholds: ["output_sequence_length.avg == 4", "time_to_first_token.p99 <= 0.001"]
`,
  });
  try {
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      // The permissions of `deno task bench`. Deno itself reads JSR_URL and would record the
      // fake package in the project's deno.lock: keep the lock out of it.
      args: [
        "run",
        "--no-lock",
        "--allow-net",
        "--allow-read",
        "--allow-write",
        "--allow-env",
        "--allow-import",
        "src/bench/main.ts",
        "--config",
        `${dir}/bench.yaml`,
        "--no-progress",
      ],
      cwd: ROOT,
      env: { JSR_URL: jsr.url, NO_COLOR: "1" },
      stdin: "null",
    }).output();
    const err = new TextDecoder().decode(stderr);
    const out = new TextDecoder().decode(stdout);
    // The gate ran (code fetched from the fake JSR) and failed the run on purpose.
    assertEquals(code, 1, err);
    assert(err.includes("SLO PASS  output_sequence_length.avg == 4  (actual 4)"), err);
    assert(err.includes("SLO FAIL  time_to_first_token.p99 <= 0.001"), err);
    assert(out.includes("hooks: slo_gate"), out);
    for (
      const path of [
        "meta.json",
        `${VERSION}_meta.json`,
        `${VERSION}/registry.yaml`,
        `${VERSION}/slo_gate.ts`,
        `${VERSION}/parse_threshold.ts`,
      ]
    ) {
      assert(
        jsr.requests.includes(`/${PACKAGE}/${path}`),
        `${path} not requested: ${jsr.requests}`,
      );
    }
  } finally {
    await jsr.close();
    await Deno.remove(dir, { recursive: true });
  }
});
