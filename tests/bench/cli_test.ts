// The entries as a user runs them: real subprocesses, real signals.
import { assert, assertEquals } from "./_assert.ts";
import { ROOT, tempTree } from "./_helpers.ts";

const BENCH = [
  "run",
  "--allow-net",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-import",
];

function spawn(args: string[], env: Record<string, string> = {}) {
  return new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Reads a stream into a string, calling `onText` as text arrives. */
async function collect(stream: ReadableStream<Uint8Array>, onText?: (all: string) => void) {
  let all = "";
  for await (const text of stream.pipeThrough(new TextDecoderStream())) {
    all += text;
    onText?.(all);
  }
  return all;
}

Deno.test("cli: `deno task bench` with no arguments runs a complete benchmark", async () => {
  const child = spawn(["task", "bench"]);
  const [stdout, stderr, status] = await Promise.all([
    collect(child.stdout),
    collect(child.stderr),
    child.status,
  ]);
  assertEquals(status.code, 0, stderr);
  for (
    const label of ["Time to First Token (ms)", "Inter Token Latency (ms)", "Request Throughput"]
  ) {
    assert(stdout.includes(label), label);
  }
  assert(stdout.includes("Phase profiling: 100 ok, 0 errors"), stdout);
  assert(stderr.includes("Embedded server on http://127.0.0.1:"), stderr);
  // Not a terminal: periodic plain progress lines.
  assert(/profiling +100\/100 requests \| [\d.]+ req\/s \| 0 errors/.test(stderr), stderr);
});

Deno.test("cli: --help on both entries", async () => {
  for (
    const [script, needle] of [["src/bench/main.ts", "--request-rate"], [
      "src/bench/serve.ts",
      "--ttft-ms",
    ]]
  ) {
    const { code, stdout } = await new Deno.Command(Deno.execPath(), {
      args: [...BENCH, script!, "--help"],
      cwd: ROOT,
    }).output();
    assertEquals(code, 0);
    assert(new TextDecoder().decode(stdout).includes(needle!), script);
  }
});

Deno.test("cli: Ctrl-C keeps what was measured, prints it, exits 130", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const child = spawn([
      ...BENCH,
      "src/bench/main.ts",
      "--duration",
      "60",
      "--warmup-request-count",
      "0",
      "--concurrency",
      "4",
      "--output",
      dir,
    ]);
    let signalled = false;
    const [stdout, stderr, status] = await Promise.all([
      collect(child.stdout),
      collect(child.stderr, (all) => {
        // Interrupt once the profiling phase has completed requests.
        if (!signalled && /profiling +[1-9]\d* requests/.test(all)) {
          signalled = true;
          child.kill("SIGINT");
        }
      }),
      child.status,
    ]);
    assert(signalled, stderr);
    assertEquals(status.code, 130, stderr);
    assert(stderr.includes("Interrupted"), stderr);
    assert(stdout.includes("Request Latency (ms)"), stdout);
    assert(stdout.includes("(interrupted)"), stdout);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/profile_export.json`));
    assertEquals(json.interrupted, true);
    assert(json.phases.profiling.request_count > 0);
    assertEquals(json.phases.profiling.error_request_count, 0);
    const records = (await Deno.readTextFile(`${dir}/records.jsonl`)).trim().split("\n");
    assertEquals(records.length, json.phases.profiling.request_count);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("cli: the serve entry answers until Ctrl-C", async () => {
  // The script itself: `deno task` does not forward a signal sent to its own pid.
  const child = spawn([
    "run",
    "--allow-net",
    "src/bench/serve.ts",
    "--port",
    "0",
    "--ttft-ms",
    "0",
  ]);
  const { promise: listening, resolve } = Promise.withResolvers<string>();
  const stdout = collect(child.stdout, (all) => {
    const url = /Listening on (http:\/\/\S+)/.exec(all)?.[1];
    if (url) resolve(url);
  });
  const stderr = collect(child.stderr);
  const url = await Promise.race([listening, child.status.then(() => "exited")]);
  assert(url.startsWith("http://127.0.0.1:"), url);
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    body: JSON.stringify({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      max_tokens: 2,
    }),
  });
  assertEquals((await response.json()).usage.completion_tokens, 2);
  child.kill("SIGINT");
  const guard = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const status = await child.status;
  clearTimeout(guard);
  await stdout;
  await stderr;
  assertEquals(status.code, 0, JSON.stringify(status));
});

Deno.test("cli: a missed SLO makes the run exit 1", async () => {
  const dir = await tempTree({
    "bench.yaml": `
phases: { warmup: { request_count: 0 }, profiling: { request_count: 8 } }
server: { ttft_ms: 5, itl_ms: 0, output_tokens: 4 }
plugins:
  map:
    slo: ${ROOT}examples/plugins/slo-gate/registry.yaml
  phase_hooks:
    - name: slo_gate
      config:
        thresholds: ["time_to_first_token.p99 <= 1", "error_request_count == 0"]
`,
  });
  try {
    const child = spawn([...BENCH, "src/bench/main.ts", "--config", `${dir}/bench.yaml`]);
    const [stdout, stderr, status] = await Promise.all([
      collect(child.stdout),
      collect(child.stderr),
      child.status,
    ]);
    assertEquals(status.code, 1, stderr);
    assert(/SLO FAIL +time_to_first_token\.p99 <= 1 +\(actual [\d.]+\)/.test(stderr), stderr);
    assert(stderr.includes("SLO PASS  error_request_count == 0  (actual 0)"), stderr);
    assert(stderr.includes("FAILED: 1 of 2 SLO thresholds missed in profiling"), stderr);
    assert(stdout.includes("hooks: slo_gate"), stdout);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
