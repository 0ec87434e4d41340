/**
 * The request rate the benchmark harness sustains against the embedded server, with the whole
 * pipeline on: endpoint, timing strategy, dataset and sampler created through the registry,
 * the phase runner, per-request records and the phase statistics. The server runs in a Worker
 * (as in `deno task bench`) with ttft = itl = 0, so the figure is the harness's ceiling on
 * this machine, not a server's speed. Requests per second = REQUESTS / (time per iteration).
 */
import { resolveSettings } from "../../src/bench/config/resolve_settings.ts";
import { createBenchRegistry } from "../../src/bench/run/create_bench_registry.ts";
import { type Components, createComponents } from "../../src/bench/run/create_components.ts";
import { runBenchmark } from "../../src/bench/run/run_benchmark.ts";
import { startServerWorker } from "../../src/bench/server/start_server_worker.ts";

const REQUESTS = 400;
const CONCURRENCY = 16;
const TOKENS = 16;

let server: ReturnType<typeof startServerWorker> | undefined;

async function setup(streaming: boolean) {
  server ??= startServerWorker({ ttftMs: 0, itlMs: 0, outputTokens: TOKENS });
  const { url } = await server;
  const args = {
    url,
    concurrency: CONCURRENCY,
    requestCount: REQUESTS,
    warmupRequestCount: 0,
    streaming,
  };
  const settings = resolveSettings(args);
  const components: Components = await createComponents(
    await createBenchRegistry(settings),
    { ...settings, exporters: [] },
    { hook: { log() {}, fail() {} }, exporter: { write() {} } },
  );
  return { settings, components };
}

for (const streaming of [true, false]) {
  Deno.bench({
    name: `pipeline, ${streaming ? "streaming" : "not streaming"}: ${REQUESTS} requests, ` +
      `concurrency ${CONCURRENCY}, ${TOKENS} tokens`,
    group: "sustained request rate",
    baseline: streaming,
    warmup: 2,
    n: 10,
    async fn(b) {
      const { settings, components } = await setup(streaming);
      b.start();
      const result = await runBenchmark(components, settings, {
        interrupt: new AbortController().signal,
        failures: [],
      });
      b.end();
      if (result.phases.profiling?.request_count !== REQUESTS) {
        throw new Error(`Only ${result.phases.profiling?.request_count} requests succeeded`);
      }
    },
  });
}

globalThis.addEventListener("unload", () => {
  void server?.then((s) => s.close());
});
