// Each cross-flag rule of the benchmark settings, alone (src/bench/config/resolve_*.ts).
import { BenchConfigError } from "../../../src/bench/config/bench_config_error.ts";
import { parseBenchArgs } from "../../../src/bench/config/parse_bench_args.ts";
import { resolveDataset } from "../../../src/bench/config/resolve_dataset.ts";
import { resolveEndpoint } from "../../../src/bench/config/resolve_endpoint.ts";
import { resolvePhases } from "../../../src/bench/config/resolve_phases.ts";
import { resolveServer } from "../../../src/bench/config/resolve_server.ts";
import { resolveSweep } from "../../../src/bench/config/resolve_sweep.ts";
import { resolveTiming } from "../../../src/bench/config/resolve_timing.ts";
import { assert, assertEquals, assertThrows } from "../_assert.ts";

const where = (field: string) => ({ field });

function fails(run: () => unknown, message: string): void {
  const error = assertThrows(run);
  assert(error instanceof BenchConfigError, String(error));
  assertEquals(error.message, message);
}

Deno.test("resolveTiming: fixed schedule, then request rate, then concurrency", () => {
  const trace = resolveTiming(parseBenchArgs(["--input-file", "t.jsonl"]), {});
  assertEquals(trace.timing.name, "fixed_schedule");
  const window = resolveTiming(
    parseBenchArgs(["--fixed-schedule", "--fixed-schedule-start-offset", "5"]),
    {},
  );
  assertEquals(window.timing.config, { start_offset: 5 });
  assertEquals(window.scheduleWindow, { start: 5 });
  const file = { timing_strategy: { name: "request_rate", config: { request_rate: 2 } } };
  assertEquals(resolveTiming(parseBenchArgs(["--concurrency", "3"]), file).timing.config, {
    request_rate: 2,
    max_concurrency: 3,
  });
  assertEquals(resolveTiming(parseBenchArgs(["--burstiness", "0.5"]), file).timing.config, {
    request_rate: 2,
    smoothness: 0.5,
    arrival: "gamma",
  });
  fails(
    () => resolveTiming(parseBenchArgs(["--request-rate-mode", "gamma"]), {}),
    "Invalid flag --request-rate-mode: needs --request-rate (or a request_rate timing strategy)",
  );
  fails(
    () => resolveTiming(parseBenchArgs(["--vllm-burstiness", "2"]), {}),
    "Invalid flag --vllm-burstiness: needs --request-rate",
  );
  fails(
    () => resolveTiming(parseBenchArgs(["--fixed-schedule", "--request-rate", "1"]), {}),
    "Invalid flag --fixed-schedule: cannot be combined with --request-rate",
  );
});

Deno.test("resolveDataset: --input-file picks the type; flags become config keys to apply", () => {
  const { dataset, sampler, tokenizer } = resolveDataset(
    parseBenchArgs(["--input-file", "p", "--custom-dataset-type", "random_pool", "--isl", "9"]),
    {},
  );
  assertEquals(dataset.name, "random_pool");
  assertEquals(sampler.name, "random");
  assertEquals(tokenizer, undefined);
  assertEquals(dataset.flags, [{ key: "input_tokens_mean", value: 9, flag: "--isl" }]);
  fails(
    () => resolveDataset(parseBenchArgs(["--custom-dataset-type", "sharegpt"]), {}),
    "Invalid flag --custom-dataset-type: needs --input-file",
  );
  const revision = resolveDataset(
    parseBenchArgs(["--tokenizer", "org/name", "--tokenizer-revision", "v2"]),
    {},
  );
  assertEquals(revision.tokenizer, "org/name@v2");
});

Deno.test("resolvePhases: flags replace the file's stops; a duration gets its grace period", () => {
  const file = { phases: { warmup: { request_count: 2 }, profiling: { request_count: 5 } } };
  assertEquals(resolvePhases({}, file, "synthetic", where), {
    warmup: { requestCount: 2 },
    profiling: { requestCount: 5 },
  });
  assertEquals(
    resolvePhases(
      parseBenchArgs(["--duration", "1", "--num-warmup-requests", "0"]),
      file,
      "x",
      where,
    ),
    { profiling: { durationMs: 1000, gracePeriodMs: 30_000 } },
  );
  // A dataset file is sent once, without warmup.
  assertEquals(resolvePhases({}, {}, "mooncake_trace", where), {
    profiling: { datasetOnce: true },
  });
  // Without a duration a grace period is accepted and does nothing, as in AIPerf.
  assertEquals(
    resolvePhases(parseBenchArgs(["--benchmark-grace-period", "1"]), {}, "synthetic", where)
      .profiling.gracePeriodMs,
    undefined,
  );
});

Deno.test("resolveEndpoint, resolveSweep, resolveServer: flags over the file, table defaults", () => {
  const endpoint = resolveEndpoint(
    parseBenchArgs(["-H", "A: 1", "--model-selection-strategy", "random", "--random-seed", "4"]),
    { endpoint: { name: "openai_completions", config: { headers: { B: "2" } } } },
  );
  assertEquals(endpoint.name, "openai_completions");
  assertEquals(endpoint.config, {
    headers: { B: "2", A: "1" },
    model_selection: "random",
    seed: 4,
  });
  const sweep = resolveSweep(parseBenchArgs(["--request-rate", "1,2"]), "request_rate");
  assertEquals(sweep, {
    flag: "--request-rate",
    values: [1, 2],
    field: "request_rate",
    maxErrorRate: 0.1,
  });
  assertEquals(resolveSweep({}, "fixed_concurrency"), undefined);
  assertEquals(resolveServer(parseBenchArgs(["--no-usage"]), { server: { ttft_ms: 1 } }), {
    ttftMs: 1,
    itlMs: 2,
    outputTokens: 32,
    reasoningTokens: 0,
    reasoningField: "reasoning",
    tokensPerChunk: 1,
    usage: false,
    errorEvery: 0,
  });
});
