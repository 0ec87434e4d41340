/**
 * AIPerf's default artifact directory, for a run given `--url` and no `--output`: AIPerf always
 * writes its files, to `artifacts/<model>-openai-<endpoint type>-<stimulus>` under the working
 * directory, so a script that follows one of its tutorials finds them there.
 *
 * @module
 */
import type { BenchArgs } from "./parse_bench_args.ts";

/**
 * The directory AIPerf would write to for these flags: `artifacts/` then the first model (a
 * `/` becomes `_`, `_multi` added when several are named), `openai`, the endpoint type, and
 * `fixed_schedule`, or `concurrencyN` and/or `request_rateR` (concurrency 1 when neither is
 * given), joined by `-`, as AIPerf's `_compute_artifact_directory` names it.
 *
 * @param args The parsed flags.
 * @returns The relative path, e.g. `artifacts/Qwen_Qwen3-0.6B-openai-chat-concurrency4`.
 *
 * @example
 * ```ts
 * import { aiperfArtifactDir } from "./aiperf_artifact_dir.ts";
 *
 * const dir = aiperfArtifactDir({ model: "Qwen/Qwen3-0.6B", requestRate: 10 });
 * if (dir !== "artifacts/Qwen_Qwen3-0.6B-openai-chat-request_rate10.0") throw new Error(dir);
 * ```
 */
export function aiperfArtifactDir(args: BenchArgs): string {
  const models = (args.model ?? "plugmap-mock").split(",").map((m) => m.trim());
  const model = models[0]!.split("/").join("_") + (models.length > 1 ? "_multi" : "");
  const type = args.endpointType ?? "chat";
  return `artifacts/${model}-openai-${type}-${stimulus(args)}`;
}

function stimulus(args: BenchArgs): string {
  if (args.fixedSchedule === true) return "fixed_schedule";
  const parts: string[] = [];
  const concurrency = args.concurrency ?? (args.requestRate === undefined ? 1 : undefined);
  if (concurrency !== undefined) parts.push(`concurrency${concurrency}`);
  if (args.requestRate !== undefined) parts.push(`request_rate${pythonFloat(args.requestRate)}`);
  return parts.join("-");
}

// Python prints a float with a fraction: 10.0, 0.5.
function pythonFloat(value: number): string {
  return Number.isInteger(value) ? `${value}.0` : String(value);
}
