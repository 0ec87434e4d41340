import { join } from "node:path";
import type { Registry } from "../../../mod.ts";
import type { BenchmarkSettings } from "../config/resolve_settings.ts";
import type { Components } from "../run/create_components.ts";
import { runBenchmark, type RunOptions } from "../run/run_benchmark.ts";
import type { BenchmarkResult, TimingStrategy } from "../types.ts";
import { exportersIn, runExporters } from "../exporters/run_exporters.ts";
import { nextProbe, type ProbeOutcome } from "./_next_probe.ts";
import type { SearchData, SearchProbe } from "./search_data.ts";
import type { SearchSetting } from "./search_setting.ts";

/** A finished search. */
export interface SearchOutcome {
  /** The search's data (`search.json`). */
  readonly data: SearchData;
  /** Files the per-probe exporters wrote. */
  readonly paths: readonly string[];
  /** Exporters that failed: `exporter "NAME" failed: why`. */
  readonly exportFailures: readonly string[];
}

// The 95 % Wilson interval of a share of `n`.
function wilson(good: number, n: number): [number, number] {
  if (n === 0) return [0, 1];
  const z = 1.96;
  const p = good / n;
  const centre = (p + z * z / (2 * n)) / (1 + z * z / n);
  const half = (z / (1 + z * z / n)) * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

const percent = (x: number) => `${(x * 100).toFixed(1)} %`;

/**
 * Searches the largest request rate (or concurrency) at which the share of requests meeting
 * every `--goodput` SLO is still at least the target: probes from the lower bound, doubling
 * until one misses (bracketing), then halving the bracket (bisection) until it is within the
 * precision, the probes run out or the bounds are reached. Each probe is a full benchmark at
 * one value (warmup, then profiling); a probe whose share of failed requests is above the limit
 * misses. Each probe's line is logged as it finishes, with the decision taken.
 *
 * @param registry The benchmark's registry (timing strategies and exporters come from it).
 * @param components The run's components; the timing strategy is replaced per probe.
 * @param settings The run's settings.
 * @param options Interruption, progress and hooks, as for one run.
 * @param search What to search and the stopping rules.
 * @param log Where each probe's line goes.
 * @returns The probes, the answer and its uncertainty.
 */
export async function runSearch(
  registry: Registry,
  components: Components,
  settings: BenchmarkSettings,
  options: RunOptions,
  search: SearchSetting,
  log: (line: string) => void,
): Promise<SearchOutcome> {
  const rules = {
    low: search.low,
    high: search.high,
    integer: search.field === "concurrency",
    precision: search.precision,
    maxProbes: search.maxProbes,
  };
  const probes: SearchProbe[] = [];
  const paths: string[] = [];
  const exportFailures: string[] = [];
  let first: BenchmarkResult | undefined;
  let decision = nextProbe([], rules);
  while ("next" in decision) {
    if (options.interrupt.aborted) {
      decision = { done: true, why: "interrupted" };
      break;
    }
    const value = decision.next;
    const config = { ...search.config, [search.field]: value };
    const timing = await registry.factory<TimingStrategy>("timing_strategy")
      .create(search.timing, config);
    const result = await runBenchmark(
      { ...components, timing: { name: search.timing, instance: timing } },
      { ...settings, timing: { ...settings.timing, name: search.timing, config } },
      options,
    );
    first ??= result;
    const dir = `probe_${probes.length + 1}_${search.field}_${value}`;
    if (settings.output !== undefined) {
      const written = await exportProbe(registry, settings, join(settings.output, dir), result);
      paths.push(...written.paths);
      exportFailures.push(...written.failures);
    }
    const probe = toProbe(result, value, decision.why, search, settings.output && dir);
    probes.push(probe);
    const history: ProbeOutcome[] = probes.map((p) => ({ value: p.value, passed: p.passed }));
    decision = result.interrupted ? { done: true, why: "interrupted" } : nextProbe(history, rules);
    log(
      probeLine(search, probe, probes.length) +
        ` -> ${
          "next" in decision
            ? `next ${search.field} ${decision.next} (${decision.why})`
            : `done: ${decision.why}`
        }`,
    );
  }
  const lo = decision.lo;
  const hi = decision.hi;
  const data: SearchData = {
    field: search.field,
    target: search.target,
    slos: (settings.goodput ?? []).map(({ metric, limit }) => ({ metric, limit })),
    rules: {
      low: search.low,
      high: search.high,
      precision: search.precision,
      max_iterations: search.maxProbes,
      max_error_rate: search.maxErrorRate,
    },
    probes,
    ...(lo === undefined ? {} : { answer: lo }),
    ...(hi === undefined ? {} : { missed_at: hi }),
    stopped: decision.why,
    summary: summary(search, probes, lo, hi, decision.why),
    benchmark: { ...(first?.benchmark ?? {}), timing_strategy: search.timing },
  };
  return { data, paths, exportFailures };
}

function toProbe(
  result: BenchmarkResult,
  value: number,
  why: string,
  search: SearchSetting,
  dir: string | undefined,
): SearchProbe {
  const profiling = result.phases.profiling;
  const ok = profiling?.request_count ?? 0;
  const errors = profiling?.error_request_count ?? 0;
  const good = result.metrics.good_request_count?.avg ?? 0;
  const n = ok + errors;
  const fraction = n === 0 ? 0 : good / n;
  const errorRate = n === 0 ? 1 : errors / n;
  return {
    value,
    passed: n > 0 && fraction >= search.target && errorRate <= search.maxErrorRate,
    ok,
    errors,
    good,
    fraction,
    fraction_interval: wilson(good, n),
    why,
    metrics: result.metrics,
    ...(dir === undefined ? {} : { dir }),
  };
}

function probeLine(search: SearchSetting, p: SearchProbe, n: number): string {
  const total = p.ok + p.errors;
  return `search probe ${n}: ${search.field} ${p.value}: ${percent(p.fraction)} good ` +
    `(${p.good} of ${total}; target ${percent(search.target)}), ${p.errors} errors: ` +
    (p.passed ? "meets the target" : "misses it");
}

function summary(
  search: SearchSetting,
  probes: readonly SearchProbe[],
  lo: number | undefined,
  hi: number | undefined,
  why: string,
): string {
  const unit = search.field === "request_rate" ? " requests/s" : "";
  if (lo === undefined) {
    return `No ${search.field} from ${search.low} meets the target: ${why}`;
  }
  const at = probes.filter((p) => p.value === lo).at(-1)!;
  const [a, b] = at.fraction_interval;
  const range = hi === undefined
    ? `at least ${lo}${unit} (${why})`
    : `between ${lo} and ${hi}${unit}`;
  return `Largest ${search.field} meeting the target: ${lo}${unit}; the limit lies ${range}. ` +
    `At ${lo}: ${percent(at.fraction)} of ${at.ok + at.errors} requests met every SLO ` +
    `(95 % interval ${percent(a)} to ${percent(b)}; target ${percent(search.target)}).`;
}

async function exportProbe(
  registry: Registry,
  settings: BenchmarkSettings,
  dir: string,
  result: BenchmarkResult,
): Promise<{ paths: string[]; failures: string[] }> {
  if (settings.exporters.length > 0) await Deno.mkdir(dir, { recursive: true });
  const selections = settings.exporters.filter((selection) => selection.name !== "console");
  const { paths, failures } = await runExporters(exportersIn(registry, selections, dir), result);
  return { paths: [...paths], failures: [...failures] };
}
