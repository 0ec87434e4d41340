import { join } from "node:path";
import { readLines } from "../records/read_records.ts";

/** Per-request values of each metric, over the successful profiling requests of a run. */
export type RequestSamples = Readonly<Record<string, readonly number[]>>;

/**
 * Reads the per-request values of every numeric metric (`metrics.<name>.value` in AIPerf's
 * layout, or a legacy `<name>_ms` field) from a run's `records.jsonl`, over its successful
 * profiling requests: the samples the comparison resamples to tell change from noise.
 *
 * @param dir The run's output folder.
 * @returns The values by metric; empty when the run has no `records.jsonl`.
 *
 * @example
 * ```ts
 * import { readRequestSamples } from "./request_samples.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/records.jsonl`,
 *   '{"phase": "profiling", "metrics": {"request_latency": {"value": 9, "unit": "ms"}}}\n' +
 *   '{"phase": "warmup", "metrics": {"request_latency": {"value": 99, "unit": "ms"}}}\n');
 * const samples = await readRequestSamples(dir);
 * await Deno.remove(dir, { recursive: true });
 * if (samples.request_latency?.join() !== "9") throw new Error("wrong");
 * ```
 */
export async function readRequestSamples(dir: string): Promise<RequestSamples> {
  const path = join(dir, "records.jsonl");
  try {
    if (!(await Deno.stat(path)).isFile) return {};
  } catch {
    return {};
  }
  const out: Record<string, number[]> = {};
  // One line at a time: a long run's file (700 MB for 500,000 requests) does not fit one string.
  for (const line of readLines(path)) {
    if (line.trim() === "") continue;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line);
    } catch {
      continue; // the report names bad lines; the samples skip them
    }
    if ((record.phase ?? "profiling") !== "profiling" || record.error !== undefined) continue;
    const metrics = (record.metrics ?? {}) as Record<string, { value?: unknown }>;
    for (const [name, m] of Object.entries(metrics)) {
      if (typeof m?.value === "number" && Number.isFinite(m.value)) {
        (out[name] ??= []).push(m.value);
      }
    }
    for (const [key, value] of Object.entries(record)) {
      const name = key.endsWith("_ms") ? key.slice(0, -3) : undefined;
      if (name === undefined || name in metrics || typeof value !== "number") continue;
      if (["start", "end", "send_delay"].includes(name)) continue;
      (out[name] ??= []).push(value);
    }
  }
  return out;
}
