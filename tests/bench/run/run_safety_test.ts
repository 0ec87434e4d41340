// A run is never lost: a slow phase hook, a bad --output found before anything is sent, the
// console table printed whatever happens to the file exports.
import { assert, assertEquals } from "../_assert.ts";
import { ROOT, runMain, serveLoopback, tempTree } from "../_helpers.ts";

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

Deno.test("run safety: a bad --output is refused before anything is sent (exit 2, path and reason)", async () => {
  let requests = 0;
  const server = serveLoopback(() => {
    requests++;
    return Response.json({ error: "should not be reached" }, { status: 500 });
  });
  const dir = await tempTree({ "file.txt": "a file" });
  let unwritable = "/sys"; // read-only even for root
  if (Deno.uid() !== 0) {
    unwritable = `${dir}/locked`;
    await Deno.mkdir(unwritable, { mode: 0o555 });
  }
  const cases: [string, RegExp][] = [
    [`${dir}/file.txt/sub`, /a part of the path is a file, not a directory/],
    [`${dir}/file.txt`, /it exists and is a file, not a directory/],
    [unwritable, /no file can be created in it: permission denied/],
  ];
  try {
    for (const [output, reason] of cases) {
      const { status, stderr } = await runMain([
        "--url",
        server.url,
        "--request-count",
        "2",
        "--output",
        output,
      ]);
      assertEquals(status, 2, stderr);
      assert(
        stderr.includes(
          `error: Invalid flag --output: cannot write to the output directory "${output}": `,
        ),
        stderr,
      );
      assert(reason.test(stderr), stderr);
    }
    assertEquals(requests, 0, "nothing was sent");
  } finally {
    await server.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("run safety: when the exports fail after the run, the table is printed and each failure named", async () => {
  const dir = await tempTree({
    "spoil/registry.yaml": `
plugin: { name: spoil, version: 1.0.0 }
phase_hook:
  spoil:
    class: ./spoil.ts#spoil
    description: Replaces the output directory with a file when the phase completes
`,
  });
  const out = `${dir}/out`;
  await Deno.writeTextFile(
    `${dir}/spoil/spoil.ts`,
    `
export function spoil() {
  return {
    async onPhaseComplete() {
      await Deno.remove(${JSON.stringify(out)}, { recursive: true });
      await Deno.writeTextFile(${JSON.stringify(out)}, "in the way");
    },
  };
}
`,
  );
  await Deno.writeTextFile(
    `${dir}/bench.yaml`,
    `
phases: { warmup: { request_count: 0 }, profiling: { request_count: 3 } }
server: { ttft_ms: 0, itl_ms: 0, output_tokens: 2 }
output: ${out}
plugins:
  map:
    spoil: ./spoil/registry.yaml
  phase_hooks: [spoil]
`,
  );
  try {
    const { status, stdout, stderr } = await runMain(["--config", `${dir}/bench.yaml`]);
    assertEquals(status, 1, stderr);
    assert(stdout.includes("Request Latency (ms)"), stdout + stderr);
    for (const name of ["json", "jsonl", "csv", "html"]) {
      assert(stderr.includes(`error: exporter "${name}" failed: `), stderr);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("run safety: a sweep's failed export is named as a single run's, the sweep goes on", async () => {
  const dir = await Deno.makeTempDir();
  // A directory where the first value's profile_export.json goes: that export fails alone.
  await Deno.mkdir(`${dir}/out/concurrency_1/profile_export.json`, { recursive: true });
  try {
    const { status, stdout, stderr } = await runMain([
      "--concurrency",
      "1,2",
      "--request-count",
      "2",
      "--warmup-request-count",
      "0",
      "--no-progress",
      "--output",
      `${dir}/out`,
    ]);
    assertEquals(status, 1, stderr);
    assert(stderr.includes(`error: exporter "json" failed: `), stderr);
    assertEquals(stderr.split("error: exporter").length, 2, stderr);
    assert(stdout.includes(`Wrote ${dir}/out/sweep.csv`), stdout);
    assert((await Deno.stat(`${dir}/out/concurrency_2/profile_export.json`)).isFile);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("run safety: a repeated run's failed export is named with its run, the others still export", async () => {
  const dir = await Deno.makeTempDir();
  // A directory where run_0001's profile_export.json goes: that export fails alone.
  await Deno.mkdir(`${dir}/out/profile_runs/run_0001/profile_export.json`, { recursive: true });
  try {
    const { status, stderr } = await runMain([
      "--num-profile-runs",
      "2",
      "--request-count",
      "2",
      "--warmup-request-count",
      "0",
      "--no-progress",
      "--output",
      `${dir}/out`,
    ]);
    assertEquals(status, 1, stderr);
    assert(stderr.includes(`error: run_0001: exporter "json" failed: `), stderr);
    assertEquals(stderr.split("error: ").length, 2, stderr);
    assert((await Deno.stat(`${dir}/out/profile_runs/run_0002/profile_export.json`)).isFile);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
