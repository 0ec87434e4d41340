import type { NoiseVerdict } from "./judge_noise.ts";

/**
 * One sentence for a whole comparison: "no significant difference" when every change is within
 * noise, else the changes larger than the noise, worst first.
 *
 * @param verdicts The verdicts of `judgeNoise`.
 * @returns The sentence.
 *
 * @example
 * ```ts
 * import { noiseSummary } from "./noise_summary.ts";
 *
 * const text = noiseSummary([{ metric: "request_latency", stat: "p99", a: 10, b: 11,
 *   percent: 10, verdict: "noise", counts: [100, 100], words: "latency p99 +10.0 %, within noise" }]);
 * if (!text.startsWith("No significant difference")) throw new Error(text);
 * ```
 */
export function noiseSummary(verdicts: readonly NoiseVerdict[]): string {
  const judged = verdicts.filter((v) => v.verdict !== "unknown");
  if (judged.length === 0) {
    return "No verdict: the runs have no per-request records (records.jsonl) to tell change " +
      "from noise";
  }
  const marked = judged.filter((v) => v.verdict !== "noise")
    .sort((x, y) => Math.abs(y.percent ?? 0) - Math.abs(x.percent ?? 0));
  const counts = judged[0]!.counts!;
  const at = counts[0] === counts[1]
    ? `${counts[0]} requests each`
    : `${counts[0]} and ${counts[1]} requests`;
  if (marked.length === 0) {
    return `No significant difference: every change of the ${judged.length} statistics ` +
      `compared is within noise at ${at} (95 % over all of them, bootstrap over requests)`;
  }
  const worse = marked.filter((v) => v.verdict === "worse");
  const better = marked.filter((v) => v.verdict === "better");
  const other = marked.filter((v) => v.verdict === "higher" || v.verdict === "lower");
  const list = (vs: NoiseVerdict[]) => vs.slice(0, 4).map((v) => v.words).join("; ");
  return [
    worse.length > 0 ? `B is slower/worse: ${list(worse)}` : "",
    better.length > 0 ? `B is faster/better: ${list(better)}` : "",
    other.length > 0 ? `B differs: ${list(other)}` : "",
  ].filter(Boolean).join(". ") + ` (beyond noise at ${at}; ${judged.length - marked.length} of ` +
    `${judged.length} statistics within noise)`;
}
