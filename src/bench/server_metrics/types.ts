/**
 * Types of the server's side of a run: Prometheus metrics scraped from the benchmarked server
 * (and any other endpoint, DCGM exporters included) while the phases run, and their statistics
 * in AIPerf's `server_metrics_export.json` layout.
 *
 * @module
 */

/** A Prometheus metric type as AIPerf exports it (`untyped` families are `unknown`). */
export type MetricType = "counter" | "gauge" | "histogram" | "unknown";

/** One series of a parsed family: its labels and its value, or its histogram. */
export interface MetricSample {
  /** The labels (without `le` for histograms); empty when the series has none. */
  readonly labels: Readonly<Record<string, string>>;
  /** Counter, gauge or unknown: the value (NaN and infinities as written). */
  readonly value?: number;
  /** Histogram: cumulative count per upper bound, in increasing order, `+Inf` last. */
  readonly buckets?: readonly { readonly le: number; readonly count: number }[];
  /** Histogram: the sum of the observations. */
  readonly sum?: number;
  /** Histogram: the number of observations. */
  readonly count?: number;
}

/** A metric family of one scrape. */
export interface MetricFamily {
  /** The name; a counter's `_total` suffix is dropped (`vllm:generation_tokens`), as AIPerf does. */
  readonly name: string;
  readonly type: MetricType;
  /** The `# HELP` text; empty when absent. */
  readonly help: string;
  readonly samples: readonly MetricSample[];
}

/** A parsed `/metrics` page. */
export interface ParsedMetrics {
  readonly families: readonly MetricFamily[];
  /** Lines that could not be read (skipped), each with why. */
  readonly problems: readonly string[];
}

/** What one endpoint is: the server's own metrics, or a GPU telemetry (DCGM) exporter. */
export type EndpointKind = "server" | "gpu";

/** A Prometheus endpoint to scrape. */
export interface MetricsEndpoint {
  /** The full URL, e.g. `http://127.0.0.1:8000/metrics`. */
  readonly url: string;
  readonly kind: EndpointKind;
  /**
   * Derived from `--url` (or a default DCGM port): skipped without a word when it does not
   * answer, or answers with something that is not Prometheus text.
   */
  readonly auto: boolean;
}

/** How the collector scrapes. */
export interface CollectorSettings {
  readonly endpoints: readonly MetricsEndpoint[];
  /** Milliseconds between scrapes of one endpoint; default 333 (AIPerf's). */
  readonly intervalMs?: number;
  /** A scrape that takes longer is abandoned (a gap); default 2000 ms. */
  readonly timeoutMs?: number;
  /** A body larger than this is abandoned (a gap); default 8 MiB. */
  readonly maxBytes?: number;
  /** Points kept per series before every other one is dropped; default 4096. */
  readonly maxPoints?: number;
  /** Series kept per endpoint; more are ignored, with a warning; default 10,000. */
  readonly maxSeries?: number;
}

/** Per-endpoint collection figures, AIPerf's `endpoint_info` plus the gaps. */
export interface EndpointInfo {
  readonly total_fetches: number;
  readonly failed_fetches: number;
  readonly first_fetch_ns?: number;
  readonly last_fetch_ns?: number;
  readonly avg_fetch_latency_ms?: number;
  readonly duration_seconds?: number;
  readonly avg_update_interval_ms?: number;
  readonly median_update_interval_ms?: number | null;
  /** Counter resets (a server restart) seen and accounted for. */
  readonly counter_resets: number;
}

/** Statistics of one series, AIPerf's field names for its type. */
export type SeriesStats = Readonly<Record<string, number>>;

/** One endpoint + label set of a metric, AIPerf's series entry. */
export interface SeriesSummary {
  readonly endpoint_url: string;
  readonly labels: Readonly<Record<string, string>> | null;
  readonly stats: SeriesStats;
  /** Histogram: delta count per upper bound over the phase (cumulative, as AIPerf's). */
  readonly buckets?: Readonly<Record<string, number>>;
}

/** One metric of AIPerf's `metrics` object. */
export interface MetricSummary {
  readonly type: MetricType;
  readonly description: string;
  readonly unit?: string;
  readonly series: readonly SeriesSummary[];
}

/** A series drawn on the report's time line (a known metric, e.g. the queue depth). */
export interface TimelineSeries {
  /** The metric's name, e.g. `vllm:num_requests_waiting`. */
  readonly metric: string;
  /** What it shows, from the catalog, e.g. `waiting`; see {@linkcode MetricRole}. */
  readonly role: MetricRole;
  /** A short label, e.g. `vLLM waiting requests`. */
  readonly title: string;
  readonly unit: string;
  readonly endpoint_url: string;
  readonly labels: Readonly<Record<string, string>> | null;
  /** Milliseconds from the phase start. */
  readonly t_ms: readonly number[];
  /**
   * Gauges: the value; counters: the rate per second over the interval before; histograms: the
   * average observation over the interval before (null without observations or in a gap).
   */
  readonly values: readonly (number | null)[];
}

/** What a known metric means; the report draws one panel per role. */
export type MetricRole =
  | "running"
  | "waiting"
  | "kv_cache"
  | "preemptions"
  | "ttft"
  | "itl"
  | "e2e"
  | "queue_time"
  | "prompt_tokens"
  | "generation_tokens"
  | "requests"
  | "prefix_cache_hits"
  | "prefix_cache_queries"
  | "gpu_utilization"
  | "gpu_memory_used"
  | "gpu_power"
  | "gpu_temperature"
  | "gpu_energy";

/** A known metric, shown first. */
export interface HighlightedMetric {
  readonly metric: string;
  readonly server: string;
  readonly role: MetricRole;
  readonly title: string;
  readonly type: MetricType;
  readonly unit: string;
  /** The headline figure (a gauge's avg, a counter's rate, a histogram's p50 estimate). */
  readonly value: number;
  /** What `value` is, e.g. `avg`, `rate`, `p50_estimate`. */
  readonly stat: string;
  /**
   * The statistics over every series: counters' `total` and `rate` summed, histograms' buckets
   * merged, gauges' `avg` averaged and `min`/`max` taken over the series. With one series, its own.
   */
  readonly stats: SeriesStats;
  /** How many endpoint + label series the metric has. */
  readonly series: number;
}

/** How much collecting cost, reported beside the client's lateness. */
export interface CollectionCost {
  readonly scrapes: number;
  readonly failed_scrapes: number;
  /** Time per scrape (request to parsed), ms. */
  readonly scrape_ms?: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Where the scrapes ran: `worker` (off the load's thread) or `main`. */
  readonly thread: "worker" | "main";
}

/** The server's TTFT histogram beside the client's TTFT. */
export interface TtftComparison {
  /** The histogram it came from, e.g. `vllm:time_to_first_token_seconds`. */
  readonly metric: string;
  readonly server_avg_ms: number;
  readonly server_p50_ms: number;
  readonly client_avg_ms: number;
  readonly client_p50_ms: number;
  /** Client minus server, averages: network, queueing before the server's clock, client. */
  readonly gap_avg_ms: number;
  readonly sentence: string;
}

/** The server's side of one phase (`phases.<phase>.server_metrics` in profile_export.json). */
export interface PhaseServerMetrics {
  readonly summary: {
    readonly endpoints_configured: readonly string[];
    readonly endpoints_successful: readonly string[];
    readonly start_time: string;
    readonly end_time: string;
    readonly endpoint_info: Readonly<Record<string, EndpointInfo>>;
  };
  /** Known metrics (vLLM, SGLang, TGI, TensorRT-LLM, Dynamo, DCGM), in catalog order. */
  readonly highlights: readonly HighlightedMetric[];
  /** Every metric, AIPerf's `metrics` layout. */
  readonly metrics: Readonly<Record<string, MetricSummary>>;
  /** Known metrics over time, for the report. */
  readonly timeline: readonly TimelineSeries[];
  readonly collection: CollectionCost;
  readonly ttft_comparison?: TtftComparison;
  /** Unreachable, slow, huge or malformed endpoints, counter resets. */
  readonly warnings: readonly string[];
}
