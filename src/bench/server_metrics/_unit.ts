// A metric's unit from its name's suffix, AIPerf's table (longest suffix first).
const SUFFIXES: readonly [string, string][] = [
  ["_seconds_total", "seconds"],
  ["_seconds", "seconds"],
  ["_milliseconds", "milliseconds"],
  ["_ms_total", "milliseconds"],
  ["_ms", "milliseconds"],
  ["_nanoseconds", "nanoseconds"],
  ["_ns_total", "nanoseconds"],
  ["_ns", "nanoseconds"],
  ["_bytes_total", "bytes"],
  ["_bytes", "bytes"],
  ["_kilobytes", "kilobytes"],
  ["_megabytes", "megabytes"],
  ["_gigabytes", "gigabytes"],
  ["_tokens_total", "tokens"],
  ["_tokens", "tokens"],
  ["_requests_total", "requests"],
  ["_requests", "requests"],
  ["_reqs", "requests"],
  ["request_success", "requests"],
  ["_errors_total", "errors"],
  ["_errors", "errors"],
  ["_blocks_total", "blocks"],
  ["_blocks", "blocks"],
  ["_gb_s", "gb/s"],
  ["_ratio", "ratio"],
  ["_percent", "percent"],
  ["_perc", "percent"],
  ["_celsius", "celsius"],
  ["_joules", "joule"],
  ["_watts", "watt"],
  ["_total", "count"],
  ["_count", "count"],
];

/** The unit of `name`, or undefined when its suffix says none. */
export function unitOf(name: string): string | undefined {
  return SUFFIXES.find(([suffix]) => name.endsWith(suffix))?.[1];
}
