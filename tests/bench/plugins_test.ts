// The benchmark as a plugmap host: built-ins through factories, plugins through the map.
import { BENCH_CATEGORIES } from "../../src/bench/run/create_bench_registry.ts";
import { createBenchRegistry } from "../../src/bench/run/create_bench_registry.ts";
import { resolveSettings } from "../../src/bench/config/resolve_settings.ts";
import { assert, assertEquals } from "./_assert.ts";
import { ROOT, runMain, serveLoopback, tempTree } from "./_helpers.ts";

Deno.test("registry: every built-in is declared in the host manifest and creatable", async () => {
  const registry = await createBenchRegistry(resolveSettings({}));
  assertEquals(registry.diagnostics, []);
  const names = Object.fromEntries(
    Object.keys(BENCH_CATEGORIES).map((c) => [c, registry.factory(c).list().map((i) => i.name)]),
  );
  assertEquals(names, {
    endpoint: [
      "openai_chat",
      "openai_completions",
      "openai_embeddings",
      "openai_responses",
      "rankings",
    ],
    timing_strategy: ["fixed_concurrency", "fixed_schedule", "request_rate"],
    dataset_sampler: ["random", "sequential", "shuffle"],
    dataset: [
      "jsonl",
      "mooncake_trace",
      "multi_turn",
      "random_pool",
      "sharegpt",
      "single_turn",
      "synthetic",
    ],
    phase_hook: [],
    exporter: ["aiperf", "console", "csv", "html", "json", "jsonl", "server_metrics"],
  });
  const configs: Record<string, Record<string, unknown>> = {
    "timing_strategy/request_rate": { request_rate: 1 },
    "dataset/jsonl": { path: "prompts.jsonl" },
    "dataset/single_turn": { path: "prompts.jsonl" },
    "dataset/multi_turn": { path: "prompts.jsonl" },
    "dataset/random_pool": { path: "prompts.jsonl" },
    "dataset/mooncake_trace": { path: "prompts.jsonl" },
    "dataset/sharegpt": { path: "prompts.json" },
  };
  const context = { write() {}, log() {}, fail() {} };
  for (const category of Object.keys(BENCH_CATEGORIES)) {
    const factory = registry.factory(category);
    for (const implementation of factory.list()) {
      assert(implementation.builtin, implementation.qualifiedName);
      assertEquals(implementation.plugin, "plugmap-bench");
      // The category's instance schema is checked by create().
      await factory.create(
        implementation.name,
        configs[`${category}/${implementation.name}`] ?? {},
        context,
      );
    }
  }
});

Deno.test("plugins: the webhook posts both phases to a 127.0.0.1 receiver (${VAR} url)", async () => {
  const received: { event: string; phase: string; data: Record<string, unknown> }[] = [];
  const receiver = serveLoopback(async (request) => {
    received.push(await request.json());
    return new Response(null, { status: 204 });
  });
  const dir = await tempTree({
    "bench.yaml": `
phases: { warmup: { request_count: 2 }, profiling: { request_count: 6 } }
server: { ttft_ms: 1, itl_ms: 0, output_tokens: 3 }
plugins:
  map:
    webhook: ${ROOT}examples/plugins/webhook/registry.yaml
  phase_hooks:
    - name: webhook
      config: { url: "\${PLUGMAP_TEST_WEBHOOK}/bench", on_start: true }
`,
  });
  Deno.env.set("PLUGMAP_TEST_WEBHOOK", receiver.url);
  try {
    const { status, stderr } = await runMain(["--config", `${dir}/bench.yaml`, "--no-progress"]);
    assertEquals(status, 0, stderr);
    assertEquals(received.map((r) => `${r.event} ${r.phase}`), [
      "phase_start warmup",
      "phase_complete warmup",
      "phase_start profiling",
      "phase_complete profiling",
    ]);
    const profiling = received[3]!.data;
    assertEquals(profiling.request_count, 6);
    const metrics = profiling.metrics as Record<string, { unit: string }>;
    assertEquals(metrics.time_to_first_token?.unit, "ms");
  } finally {
    Deno.env.delete("PLUGMAP_TEST_WEBHOOK");
    await receiver.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plugins: a plugin wins over the built-in of the same name; the built-in stays reachable", async () => {
  const dir = await tempTree({
    "mine/registry.yaml": `
plugin: { name: mine, version: 1.0.0 }
exporter:
  console:
    class: ./console.ts#MyConsole
    description: Prints one line
`,
    "mine/console.ts": `
export class MyConsole {
  #write: (text: string) => void;
  constructor(_config: unknown, context: { write(text: string): void }) { this.#write = context.write; }
  export(result: { records: unknown[] }) { this.#write("MINE " + result.records.length + "\\n"); return []; }
}
`,
    "bench.yaml": `
phases: { warmup: { request_count: 0 }, profiling: { request_count: 3 } }
server: { ttft_ms: 0, itl_ms: 0, output_tokens: 2 }
exporters: [console, plugmap-bench/console]
plugins:
  map:
    mine: ./mine/registry.yaml
`,
  });
  try {
    const { status, stdout, stderr } = await runMain(["--config", `${dir}/bench.yaml`]);
    assertEquals(status, 0, stderr);
    assert(stdout.startsWith("MINE 3\n"), stdout);
    assert(stdout.includes("Request Latency (ms)"), stdout);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plugins: a broken plugin is a diagnostic; a throwing hook is reported; the run goes on", async () => {
  const dir = await tempTree({
    "flaky/registry.yaml": `
plugin: { name: flaky, version: 1.0.0 }
phase_hook:
  flaky:
    class: ./flaky.ts#flaky
    description: A function export that throws on completion
`,
    "flaky/flaky.ts": `
export function flaky(_config: unknown, context: { log(line: string): void }) {
  return {
    onPhaseStart(start: { phase: string }) { context.log("started " + start.phase); },
    onPhaseComplete() { throw new Error("flaky is flaky"); },
  };
}
`,
    "bench.yaml": `
phases: { warmup: { request_count: 0 }, profiling: { request_count: 4 } }
server: { ttft_ms: 0, itl_ms: 0, output_tokens: 2 }
plugins:
  map:
    gone: ./missing/registry.yaml
    flaky: ./flaky/registry.yaml
  phase_hooks: [flaky]
`,
  });
  try {
    const { status, stdout, stderr } = await runMain(["--config", `${dir}/bench.yaml`]);
    assertEquals(status, 0, stderr);
    assert(/missing\/registry\.yaml.*error/.test(stderr), stderr);
    assert(stderr.includes("started profiling"), stderr);
    assert(
      stderr.includes(
        'warning: phase hook "flaky" threw in onPhaseComplete (profiling): flaky is flaky',
      ),
      stderr,
    );
    assert(stdout.includes("Phase profiling: 4 ok, 0 errors"), stdout);
    assert(
      stdout.includes('Hook "flaky" failed in onPhaseComplete (profiling): flaky is flaky'),
      stdout,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("plugins: a plugin config error names the hook entry of the benchmark file", async () => {
  const dir = await tempTree({
    "bench.yaml": `
plugins:
  map:
    slo: ${ROOT}examples/plugins/slo-gate/registry.yaml
  phase_hooks:
    - name: slo_gate
      config: { treshold: [] }
`,
  });
  try {
    const { status, stderr } = await runMain(["--config", `${dir}/bench.yaml`]);
    assertEquals(status, 2, stderr);
    assert(
      stderr.startsWith(
        `error: Invalid benchmark file "${dir}/bench.yaml": line 7, column 15: plugins.phase_hooks[0].config: `,
      ),
      stderr,
    );
    assert(stderr.includes("treshold"), stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
