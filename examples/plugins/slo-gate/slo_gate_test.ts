import { deepStrictEqual, ok as assert } from "node:assert/strict";
import { parseThreshold } from "./parse_threshold.ts";
import type { PhaseSummary } from "@plugmap/plugmap/bench";
import { SloGate } from "./slo_gate.ts";

const summary: PhaseSummary = {
  phase: "profiling",
  request_count: 9,
  error_request_count: 1,
  metrics: {
    time_to_first_token: { unit: "ms", avg: 120, p50: 110, p99: 180 },
    request_throughput: { unit: "requests/sec", avg: 42.5 },
  },
  cancelled_request_count: 0,
  duration_ms: 250,
  started_at: "2025-01-01T00:00:00.000Z",
  interrupted: false,
  error_summary: [],
  client_lateness: {
    event_loop_delay_ms: { p50: 0.1, p90: 0.2, p99: 0.5, max: 1 },
    send_delay_ms: { p50: 0, p90: 0, p99: 0.1, max: 0.2 },
  },
};

function gate(thresholds: unknown[], phase?: string) {
  const lines: string[] = [];
  const failures: string[] = [];
  const hook = new SloGate(
    phase === undefined ? { thresholds } : { thresholds, phase },
    { log: (l) => void lines.push(l), fail: (r) => void failures.push(r) },
  );
  return { hook, lines, failures };
}

Deno.test("thresholds: parsed with a default stat; bad ones refused", () => {
  deepStrictEqual(parseThreshold(" inter_token_latency.p90<20.5 "), {
    text: "inter_token_latency.p90<20.5",
    metric: "inter_token_latency",
    stat: "p90",
    op: "<",
    value: 20.5,
  });
  deepStrictEqual(parseThreshold("error_request_count == 0").stat, "avg");
  for (const bad of ["ttft <=", "ttft.p99 => 3", "p99 <= abc", ""]) {
    let error: unknown;
    try {
      parseThreshold(bad);
    } catch (e) {
      error = e;
    }
    assert(error instanceof SyntaxError, bad);
  }
});

Deno.test("gate: all pass, nothing failed, a PASS line each", () => {
  const { hook, lines, failures } = gate([
    "time_to_first_token.p99 <= 200",
    "request_throughput >= 40",
    "request_count > 5",
  ]);
  hook.onPhaseComplete(summary);
  deepStrictEqual(failures, []);
  deepStrictEqual(lines, [
    "SLO PASS  time_to_first_token.p99 <= 200  (actual 180)",
    "SLO PASS  request_throughput >= 40  (actual 42.50)",
    "SLO PASS  request_count > 5  (actual 9)",
  ]);
});

Deno.test("gate: a miss or an unmeasured metric fails the run once, naming them", () => {
  const { hook, lines, failures } = gate([
    "time_to_first_token.p50 < 100",
    "error_request_count == 0",
    "inter_token_latency.avg <= 5",
    "time_to_first_token.avg != 0",
  ]);
  hook.onPhaseComplete(summary);
  deepStrictEqual(lines, [
    "SLO FAIL  time_to_first_token.p50 < 100  (actual 110)",
    "SLO FAIL  error_request_count == 0  (actual 1)",
    "SLO FAIL  inter_token_latency.avg <= 5  (actual not measured)",
    "SLO PASS  time_to_first_token.avg != 0  (actual 120)",
  ]);
  deepStrictEqual(failures, [
    "3 of 4 SLO thresholds missed in profiling: time_to_first_token.p50 < 100, error_request_count == 0, " +
    "inter_token_latency.avg <= 5",
  ]);
  deepStrictEqual(hook.results.map((r) => r.passed), [false, false, false, true]);
});

Deno.test("gate: checks only its phase", () => {
  const { hook, lines } = gate(["error_request_count == 0"], "warmup");
  hook.onPhaseComplete(summary);
  deepStrictEqual(lines, []);
  hook.onPhaseComplete({ ...summary, phase: "warmup", error_request_count: 0 });
  deepStrictEqual(lines, ["SLO PASS  error_request_count == 0  (actual 0)"]);
});

Deno.test("gate: bad config is refused when created", () => {
  for (const thresholds of [[], [3], ["nonsense"]]) {
    let error: unknown;
    try {
      gate(thresholds);
    } catch (e) {
      error = e;
    }
    assert(error instanceof TypeError || error instanceof SyntaxError, String(thresholds));
  }
});
