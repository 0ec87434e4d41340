import type { BenchArgs } from "./parse_bench_args.ts";
import type { SweepSetting } from "./types.ts";
import { DEFAULTS } from "./_defaults.ts";

/**
 * The sweep a list of values asks for (`--concurrency 1,2,4`, `--request-rate 5,10`): which
 * field of the chosen timing each value is set in.
 *
 * @param args The parsed flags.
 * @param timing The name of the chosen timing strategy.
 * @returns The sweep, or undefined without a list.
 *
 * @example
 * ```ts
 * import { resolveSweep } from "./resolve_sweep.ts";
 *
 * const sweep = resolveSweep({ sweep: { flag: "--concurrency", values: [1, 2] } }, "request_rate");
 * if (sweep?.field !== "max_concurrency" || sweep.maxErrorRate !== 0.1) throw new Error();
 * ```
 */
export function resolveSweep(args: BenchArgs, timing: string): SweepSetting | undefined {
  if (args.sweep === undefined) return undefined;
  const field = args.sweep.flag === "--request-rate"
    ? "request_rate"
    : timing === "request_rate"
    ? "max_concurrency"
    : "concurrency";
  return {
    ...args.sweep,
    field,
    maxErrorRate: args.sweepMaxErrorRate ?? DEFAULTS.sweepMaxErrorRate,
  };
}
