import { join } from "node:path";
import type { Registry } from "../../../mod.ts";
import { writeOutputFile } from "../_write_output_file.ts";
import type { BenchmarkSettings } from "../config/resolve_settings.ts";
import { metricInfo } from "../report/metric_catalog.ts";
import { formatNumber } from "../report/shared.ts";
import type { Components } from "../run/create_components.ts";
import type { RunOptions } from "../run/run_benchmark.ts";
import { aggregateCsv, aggregateJson } from "./aggregate_files.ts";
import type { AggregateData } from "./aggregate_runs.ts";
import type { MultiRunSetting } from "./multi_run_setting.ts";
import { runProfileRuns } from "./run_profile_runs.ts";

/** Where the repeated-runs command writes. */
export interface ProfileRunsCommandIO {
  /** The aggregate table and the files written. */
  readonly stdout: (text: string) => void;
  /** Each run's line, as it finishes; export failures. */
  readonly stderr: (text: string) => void;
  /** Where a run's records are streamed, by its folder (`profile_runs/run_0001`). */
  readonly recordsPath?: (dir: string) => string;
}

// The statistics the console shows over the runs (all are in the aggregate files).
const SHOWN: readonly [string, string][] = [
  ["request_throughput", "avg"],
  ["output_token_throughput", "avg"],
  ["time_to_first_token", "avg"],
  ["time_to_first_token", "p99"],
  ["inter_token_latency", "avg"],
  ["inter_token_latency", "p99"],
  ["request_latency", "avg"],
  ["request_latency", "p99"],
];

/**
 * `deno task bench --num-profile-runs N`: runs the benchmark N times (each run's line on
 * standard error as it finishes), prints the mean of the main statistics over the runs with
 * their confidence intervals and coefficients of variation, and with an output folder writes
 * each run's exports under `profile_runs/run_0001/`, ... and AIPerf's
 * `aggregate/profile_export_aiperf_aggregate.json` and `.csv`.
 *
 * @param registry The benchmark's registry.
 * @param components The run's components.
 * @param settings The run's settings.
 * @param options Interruption, progress and hooks.
 * @param multi How many runs, the pause, the confidence level.
 * @param io Where to write.
 * @returns Whether it failed (an export failed, or no run succeeded).
 */
export async function runProfileRunsCommand(
  registry: Registry,
  components: Components,
  settings: BenchmarkSettings,
  options: RunOptions,
  multi: MultiRunSetting,
  io: ProfileRunsCommandIO,
): Promise<{ readonly failed: boolean }> {
  io.stderr(
    `Running the benchmark ${multi.runs} times with the same workload` +
      (multi.cooldownMs > 0 ? `, ${formatNumber(multi.cooldownMs / 1000)} s apart` : "") +
      "\n",
  );
  const outcome = await runProfileRuns(registry, components, settings, options, multi, {
    log: (line) => io.stderr(line + "\n"),
    ...(io.recordsPath === undefined ? {} : { recordsPath: io.recordsPath }),
  });
  let failed = false;
  for (const failure of outcome.exportFailures) {
    io.stderr(`error: ${failure}\n`);
    failed = true;
  }
  const aggregate = outcome.aggregate;
  if (aggregate === undefined) {
    io.stderr("error: no run succeeded\n");
    return { failed: true };
  }
  io.stdout("\n" + aggregateTable(aggregate));
  if (settings.output !== undefined) {
    const dir = join(settings.output, "aggregate");
    await Deno.mkdir(dir, { recursive: true });
    const json = join(dir, "profile_export_aiperf_aggregate.json");
    const csv = join(dir, "profile_export_aiperf_aggregate.csv");
    await writeOutputFile(json, aggregateJson(aggregate));
    await writeOutputFile(csv, aggregateCsv(aggregate));
    io.stdout(`Wrote ${outcome.paths.length} files under ${settings.output}/profile_runs/*/\n`);
    io.stdout(`Wrote ${json}\nWrote ${csv}\n`);
  }
  return { failed };
}

/**
 * The console's view of the aggregate: one line per main statistic, with the mean over the runs,
 * its confidence interval and the coefficient of variation.
 *
 * @param data The aggregate.
 * @returns The lines, ending in a newline.
 */
export function aggregateTable(data: AggregateData): string {
  const meta = data.metadata;
  const level = formatNumber(meta.confidence_level * 100);
  const head = `Over ${meta.num_successful_runs} of ${meta.num_profile_runs} runs ` +
    (meta.single_run
      ? "(one run succeeded: no interval)"
      : `(mean, ${level} % confidence interval of the mean (Student's t), cv = std / mean)`) +
    ":\n";
  const lines: string[] = [];
  for (const [metric, stat] of SHOWN) {
    const m = data.metrics[`${metric}_${stat}`];
    if (m === undefined) continue;
    const name = `${metricInfo(metric).short} ${stat}`.padEnd(28);
    const unit = m.unit === "" ? "" : ` ${m.unit}`;
    const interval = meta.single_run
      ? ""
      : `  [${formatNumber(m.ci_low)}, ${formatNumber(m.ci_high)}]` +
        (m.cv === null ? "" : `  cv ${formatNumber(m.cv * 100)} %`);
    lines.push(`  ${name} ${formatNumber(m.mean)}${unit}${interval}`);
  }
  const failed = meta.failed_runs.map((f) => `  ${f.label} failed: ${f.error}\n`).join("");
  return head + lines.map((l) => l + "\n").join("") + failed;
}
