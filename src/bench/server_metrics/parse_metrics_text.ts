import {
  type ParsedFamily,
  parsePrometheusTextFormat,
} from "../_deps/parse_prometheus_text_format.ts";
import type { MetricFamily, MetricSample, MetricType, ParsedMetrics } from "./types.ts";

/** Bad lines dropped from one page before giving up on it. */
const MAX_BAD_LINES = 100;

/**
 * Parses a `/metrics` page in the Prometheus text format (0.0.4) or OpenMetrics with the
 * `parse-prometheus-text-format` package, and groups its samples into families: counters
 * (`_total` dropped from the name, OpenMetrics `_created` ignored), gauges, untyped families
 * (`unknown`) and histograms (buckets, sum and count per label set). Summaries are left out, as
 * AIPerf does: their quantiles cover the server's whole life, not the benchmark.
 *
 * The package merges every label set of a histogram into one (and drops sum and count when the
 * histogram has labels), so histogram and summary `# TYPE` lines are read here and the package
 * sees their `_bucket`, `_sum` and `_count` lines as plain samples with their labels; the
 * grouping is done here. A line the package rejects is dropped, named in `problems`, and the
 * rest of the page is kept; so is a sample whose value is not a number.
 *
 * @param text The page.
 * @returns The families in page order, and the problems met.
 *
 * @example
 * ```ts
 * import { parseMetricsText } from "./parse_metrics_text.ts";
 *
 * const { families, problems } = parseMetricsText([
 *   "# TYPE vllm:num_requests_running gauge",
 *   'vllm:num_requests_running{model_name="m"} 3',
 *   "# TYPE vllm:generation_tokens_total counter",
 *   'vllm:generation_tokens_total{model_name="m"} 120',
 *   "this is { not a sample",
 * ].join("\n"));
 * if (families[0]?.samples[0]?.value !== 3) throw new Error("gauge");
 * if (families[1]?.name !== "vllm:generation_tokens") throw new Error("counter");
 * if (problems.length !== 1) throw new Error("the bad line is named");
 * ```
 */
export function parseMetricsText(text: string): ParsedMetrics {
  const problems: string[] = [];
  const declared = new Map<string, string>();
  const lines = text.split("\n").map((raw) => {
    const line = raw.trim();
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type === null) return line;
    const kind = type[2]!.toLowerCase();
    declared.set(type[1]!, kind);
    // The package would merge the label sets of these; their samples are grouped below.
    return kind === "histogram" || kind === "summary" || kind === "gaugehistogram"
      ? `# TYPE ${type[1]} untyped`
      : line;
  });
  let parsed: ParsedFamily[] | undefined;
  while (parsed === undefined) {
    try {
      // A final newline: the package drops a last family that starts on the last line.
      parsed = parsePrometheusTextFormat(lines.join("\n") + "\n");
    } catch (error) {
      const bad = /Encountered invalid line: ([^]*)$/.exec((error as Error).message)?.[1];
      const at = bad === undefined ? -1 : lines.indexOf(bad.trim());
      if (at < 0 || problems.length >= MAX_BAD_LINES) {
        problems.push(`unreadable page: ${(error as Error).message}`);
        return { families: [], problems };
      }
      problems.push(`line ${at + 1}: cannot read "${clip(lines[at]!)}"`);
      lines[at] = "";
    }
  }
  return { families: group(parsed, declared, problems), problems };
}

// Families by name in first-seen order; each sample goes to the family its name belongs to.
function group(
  parsed: readonly ParsedFamily[],
  declared: ReadonlyMap<string, string>,
  problems: string[],
): MetricFamily[] {
  const families = new Map<string, Builder>();
  const help = new Map(parsed.filter((f) => f.help !== "").map((f) => [f.name, f.help]));
  for (const family of parsed) {
    if (family.metrics.length === 0 || createdOf(family.name, declared)) continue;
    const { base, suffix, kind } = owner(family.name, declared);
    if (kind === "summary" || suffix === "_created") continue;
    const type = metricType(kind);
    const name = type === "counter" ? base.replace(/_total$/, "") : base;
    let builder = families.get(name);
    if (builder === undefined) {
      builder = {
        name,
        type,
        help: help.get(base) ?? help.get(family.name) ?? "",
        values: new Map(),
      };
      families.set(name, builder);
    }
    for (const sample of family.metrics) {
      const value = number(sample.value);
      if (value === undefined) {
        problems.push(`${family.name}: "${clip(String(sample.value))}" is not a number`);
        continue;
      }
      add(builder, suffix, sample.labels ?? {}, value);
    }
  }
  return [...families.values()].map(finish).filter((f) => f.samples.length > 0);
}

interface Builder {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  /** Label set (without `le`) as a key -> what was read of it. */
  readonly values: Map<string, Partial<Mutable>>;
}

interface Mutable {
  labels: Record<string, string>;
  value: number;
  buckets: { le: number; count: number }[];
  sum: number;
  count: number;
}

// The declared family a sample name belongs to, with its suffix.
function owner(
  name: string,
  declared: ReadonlyMap<string, string>,
): { base: string; suffix: string; kind: string | undefined } {
  if (declared.has(name)) return { base: name, suffix: "", kind: declared.get(name) };
  const suffix = /(_bucket|_sum|_count|_total|_created)$/.exec(name)?.[1];
  if (suffix !== undefined) {
    const base = name.slice(0, -suffix.length);
    const kind = declared.get(base);
    if (kind !== undefined) return { base, suffix, kind };
  }
  return { base: name, suffix: "", kind: undefined };
}

// Python's client writes a counter's or histogram's creation time as a gauge `<name>_created`.
function createdOf(name: string, declared: ReadonlyMap<string, string>): boolean {
  if (!name.endsWith("_created")) return false;
  const base = name.slice(0, -"_created".length);
  return [base, base + "_total"].some((b) => {
    const kind = declared.get(b);
    return kind === "counter" || kind === "histogram" || kind === "summary";
  });
}

function metricType(kind: string | undefined): MetricType {
  if (kind === "counter" || kind === "gauge" || kind === "histogram") return kind;
  return kind === "gaugehistogram" ? "histogram" : "unknown";
}

function add(
  builder: Builder,
  suffix: string,
  labels: Readonly<Record<string, string>>,
  value: number,
): void {
  const { le, ...rest } = labels;
  const key = JSON.stringify(Object.entries(rest).sort(([a], [b]) => a < b ? -1 : 1));
  let entry = builder.values.get(key);
  if (entry === undefined) builder.values.set(key, entry = { labels: rest });
  if (builder.type !== "histogram") {
    entry.value = value;
  } else if (suffix === "_bucket" && le !== undefined) {
    const bound = number(le);
    if (bound !== undefined) (entry.buckets ??= []).push({ le: bound, count: value });
  } else if (suffix === "_sum") {
    entry.sum = value;
  } else if (suffix === "_count") {
    entry.count = value;
  }
}

function finish(builder: Builder): MetricFamily {
  const samples: MetricSample[] = [];
  for (const entry of builder.values.values()) {
    const labels = entry.labels ?? {};
    if (builder.type !== "histogram") {
      if (entry.value !== undefined) samples.push({ labels, value: entry.value });
      continue;
    }
    const buckets = (entry.buckets ?? []).sort((a, b) => a.le - b.le);
    if (buckets.length === 0) continue;
    const count = entry.count ?? buckets[buckets.length - 1]!.count;
    samples.push({
      labels,
      buckets,
      count,
      ...(entry.sum === undefined ? {} : { sum: entry.sum }),
    });
  }
  return { name: builder.name, type: builder.type, help: builder.help, samples };
}

// Prometheus numbers: Go's ParseFloat spellings, NaN and the infinities included.
function number(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (/^[+]?inf$/i.test(t)) return Infinity;
  if (/^-inf$/i.test(t)) return -Infinity;
  if (/^nan$/i.test(t)) return NaN;
  if (t === "" || !/^[+-]?(\d|\.\d)/.test(t)) return undefined;
  const value = Number(t);
  return Number.isNaN(value) ? undefined : value;
}

function clip(text: string): string {
  return text.length > 80 ? text.slice(0, 77) + "..." : text;
}
