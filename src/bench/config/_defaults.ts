// The defaults of a run without flags or file (quick against the embedded server), where the
// settings table has no row for them (implementation names, phase sizes).
import { defaultOf } from "./settings_table.ts";

/** Defaults of a run without flags or file: quick against the embedded server. */
export const DEFAULTS = {
  endpoint: "openai_chat",
  timing: "fixed_concurrency",
  concurrency: 8,
  dataset: "synthetic",
  sampler: "sequential",
  exporters: ["console", "json", "jsonl", "csv", "html", "aiperf", "server_metrics"],
  warmupRequests: 8,
  sweepMaxErrorRate: defaultOf("sweepMaxErrorRate"),
  profilingRequests: 100,
  /** AIPerf's `--benchmark-grace-period` default, in seconds. */
  gracePeriod: defaultOf("gracePeriod"),
} as const;

/** Datasets read once through, in order, by default (a file is sent as it is). */
export const SEND_ONCE: readonly string[] = [
  "single_turn",
  "multi_turn",
  "mooncake_trace",
  "sharegpt",
];
