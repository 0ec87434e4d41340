// The phase runner with in-memory endpoints: counts, durations, hooks, interruption.
import { runPhase } from "../../../src/bench/run/run_phase.ts";
import { FixedConcurrency } from "../../../src/bench/timing/fixed_concurrency.ts";
import { RequestRate } from "../../../src/bench/timing/request_rate.ts";
import { SequentialSampler } from "../../../src/bench/samplers/sequential_sampler.ts";
import type {
  Endpoint,
  EndpointRequest,
  EndpointResult,
  HookFailure,
  PhaseHook,
  TimingStrategy,
} from "../../../src/bench/types.ts";
import { assert, assertEquals } from "../_assert.ts";

/** An endpoint answering after `ms`, honouring cancellation. */
function delayed(ms: number, fail?: (i: number) => boolean): Endpoint & { prompts: string[] } {
  const prompts: string[] = [];
  return {
    url: "memory:",
    streaming: true,
    prompts,
    send(request: EndpointRequest): Promise<EndpointResult> {
      const i = prompts.push(request.prompt) - 1;
      const start = performance.now();
      return new Promise((resolve) => {
        const done = () => {
          const end = performance.now();
          resolve(
            fail?.(i) ? { start, end, status: 500, error: "HTTP 500", errorKind: "http" } : {
              start,
              chunks: [start + ms / 2, end],
              end,
              outputTokens: 3,
              status: 200,
            },
          );
        };
        const timer = setTimeout(done, ms);
        request.signal.addEventListener("abort", () => {
          clearTimeout(timer);
          resolve({
            start,
            end: performance.now(),
            cancelled: true,
            error: "Cancelled",
          });
        }, { once: true });
      });
    },
  };
}

function base(
  endpoint: Endpoint,
  timing: TimingStrategy = new FixedConcurrency({ concurrency: 2 }),
) {
  const failures: HookFailure[] = [];
  return {
    failures,
    options: {
      phase: "profiling" as const,
      endpoint,
      timing,
      entries: [{ prompt: "a" }, { prompt: "b" }, { prompt: "c" }],
      sampler: new SequentialSampler(),
      hooks: [] as { name: string; instance: PhaseHook }[],
      interrupt: new AbortController().signal,
      onHookFailure: (f: HookFailure) => void failures.push(f),
    },
  };
}

Deno.test("phase: stops at the request count; prompts come from the sampler", async () => {
  const endpoint = delayed(1);
  const { options } = base(endpoint);
  const { summary, records } = await runPhase({ ...options, requestCount: 7 });
  assertEquals(summary.request_count, 7);
  assertEquals(records.length, 7);
  assertEquals(endpoint.prompts, ["a", "b", "c", "a", "b", "c", "a"]);
  assertEquals(records.map((r) => r.index).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6]);
  assertEquals(records[0]?.metrics.output_sequence_length?.value, 3);
  assertEquals(records[0]?.tokens.output_source, "endpoint");
  assert((records[0]!.metrics.inter_token_latency?.value as number) >= 0);
});

Deno.test("phase: errors are counted, not thrown; a throwing endpoint is an error", async () => {
  const { options } = base(delayed(1, (i) => i % 2 === 1));
  const { summary } = await runPhase({ ...options, requestCount: 6 });
  assertEquals([summary.request_count, summary.error_request_count], [3, 3]);
  const throwing: Endpoint = {
    url: "memory:",
    streaming: false,
    send() {
      throw new Error("boom");
    },
  };
  const { records } = await runPhase({ ...base(throwing).options, requestCount: 2 });
  assertEquals(records.map((r) => r.error), ["boom", "boom"]);
});

Deno.test("phase: a duration stops issuing; requests in flight finish", async () => {
  const { options } = base(delayed(5), new RequestRate({ request_rate: 500 }));
  const { summary, records } = await runPhase({ ...options, durationMs: 60 });
  assert(records.length > 0);
  assertEquals(summary.cancelled_request_count, 0);
  assertEquals(summary.error_request_count, 0);
  assertEquals(summary.interrupted, false);
});

Deno.test("phase: interruption keeps what completed and counts the abandoned", async () => {
  const interrupt = new AbortController();
  const { options } = base(delayed(10), new FixedConcurrency({ concurrency: 3 }));
  setTimeout(() => interrupt.abort(), 55);
  const { summary } = await runPhase({
    ...options,
    durationMs: 60_000,
    interrupt: interrupt.signal,
  });
  assert(summary.interrupted);
  assert(summary.request_count > 0, "some requests completed");
  assertEquals(summary.cancelled_request_count, 3);
  assertEquals(summary.error_request_count, 0);
});

Deno.test("phase: hooks see start, every request, and complete with the statistics", async () => {
  const events: string[] = [];
  const hook: PhaseHook = {
    onPhaseStart: (start) => void events.push(`start ${start.phase} ${start.request_count}`),
    onRequestComplete: (record) => void events.push(`request ${record.phase}`),
    onPhaseComplete: async (summary) => {
      await new Promise((r) => setTimeout(r, 1));
      events.push(`complete ${summary.request_count} ${summary.metrics.request_latency?.unit}`);
    },
  };
  const { options } = base(delayed(1));
  await runPhase({ ...options, requestCount: 3, hooks: [{ name: "h", instance: hook }] });
  assertEquals(events, [
    "start profiling 3",
    "request profiling",
    "request profiling",
    "request profiling",
    "complete 3 ms",
  ]);
});

Deno.test("phase: a hook that throws is reported and the phase goes on", async () => {
  const bad: PhaseHook = {
    onPhaseStart() {
      throw new Error("start failed");
    },
    onRequestComplete() {
      return Promise.reject(new Error("request failed"));
    },
    onPhaseComplete() {
      throw new Error("complete failed\nsecond line");
    },
  };
  let completed = 0;
  const good: PhaseHook = { onPhaseComplete: () => void completed++ };
  const { options, failures } = base(delayed(1));
  const { summary } = await runPhase({
    ...options,
    requestCount: 2,
    hooks: [{ name: "bad", instance: bad }, { name: "good", instance: good }],
  });
  assertEquals(summary.request_count, 2);
  assertEquals(completed, 1);
  assertEquals(failures.map((f) => `${f.hook} ${f.event} ${f.message}`), [
    "bad onPhaseStart start failed",
    "bad onRequestComplete request failed",
    "bad onRequestComplete request failed",
    "bad onPhaseComplete complete failed",
  ]);
});

Deno.test("phase: a strategy that returns early still has its requests awaited", async () => {
  const lazy: TimingStrategy = {
    run(driver) {
      driver.issue();
      driver.issue();
      return Promise.resolve();
    },
  };
  const { options } = base(delayed(5), lazy);
  const { summary } = await runPhase({ ...options, requestCount: 10 });
  assertEquals(summary.request_count, 2);
});
