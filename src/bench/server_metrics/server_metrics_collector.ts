import { fetchMetrics } from "./_fetch_metrics.ts";
import { SeriesStore } from "./_series_store.ts";
import { type EndpointData, summarize } from "./_summarize.ts";
import { parseMetricsText } from "./parse_metrics_text.ts";
import type {
  CollectionCost,
  CollectorSettings,
  MetricFamily,
  MetricsEndpoint,
  PhaseServerMetrics,
} from "./types.ts";

/** AIPerf's scrape interval. */
export const DEFAULT_SCRAPE_INTERVAL_MS = 333;

/** One scrape as AIPerf's `server_metrics_export.jsonl` line. */
export interface ScrapeRecord {
  readonly endpoint_url: string;
  /** Epoch nanoseconds (millisecond precision). */
  readonly timestamp_ns: number;
  readonly endpoint_latency_ns: number;
  readonly metrics: Readonly<Record<string, readonly Record<string, unknown>[]>>;
}

interface EndpointState {
  readonly endpoint: MetricsEndpoint;
  readonly store: SeriesStore;
  readonly fetches: { time: number; ms: number; ok: boolean }[];
  active: boolean;
  everOk: boolean;
  running: Promise<void> | undefined;
  readonly warned: Set<string>;
}

/** Fetches (with their times) kept per endpoint before every other one is dropped. */
const MAX_FETCHES = 20_000;

/**
 * Scrapes Prometheus endpoints on a fixed interval (AIPerf's 333 ms by default) and keeps their
 * series, bounded in memory, for {@linkcode ServerMetricsCollector.summarize} to turn into a
 * phase's statistics. A scrape that is still running when the next is due makes that one skip
 * (a slow endpoint is sampled less often, never piled up).
 *
 * Bad input is a gap and a warning, never an error: an endpoint that cannot be reached, answers
 * late (`timeoutMs`), sends more than `maxBytes` or malformed lines. An endpoint derived from
 * `--url` (`auto`) that does not answer its first scrape, or answers with something other than
 * Prometheus text, is dropped without a word (most servers have no `/metrics`).
 *
 * @example
 * ```ts
 * import { ServerMetricsCollector } from "./server_metrics_collector.ts";
 *
 * const server = Deno.serve({ port: 0, onListen() {} }, () =>
 *   new Response("# TYPE queue gauge\nqueue 4\n"));
 * const url = `http://127.0.0.1:${server.addr.port}/metrics`;
 * const collector = new ServerMetricsCollector({
 *   endpoints: [{ url, kind: "server", auto: false }],
 *   intervalMs: 20,
 * });
 * const start = Date.now();
 * collector.start();
 * await new Promise((r) => setTimeout(r, 100));
 * await collector.stop();
 * await server.shutdown();
 * const phase = collector.summarize(start, Date.now());
 * if (phase.metrics.queue?.series[0]?.stats.max !== 4) throw new Error("wrong");
 * ```
 */
export class ServerMetricsCollector {
  readonly #states: EndpointState[];
  readonly #intervalMs: number;
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  readonly #maxSeries: number;
  readonly #stop = new AbortController();
  readonly #warnings: string[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;
  /** Receives every successful scrape, when set (the JSONL time series). */
  onScrape: ((record: ScrapeRecord) => void) | undefined;
  /**
   * Receives the parsed page of every successful scrape with its endpoint and start (epoch ms),
   * when set (the GPU telemetry time series).
   */
  onPage:
    | ((endpoint: MetricsEndpoint, time: number, families: readonly MetricFamily[]) => void)
    | undefined;
  /** Receives each warning once, as soon as it is known. */
  onWarning: ((warning: string) => void) | undefined;

  /**
   * @param settings The endpoints, interval, time limit and caps.
   * @throws {RangeError} When the interval, time limit or a cap is not a positive number.
   */
  constructor(settings: CollectorSettings) {
    this.#intervalMs = positive(settings.intervalMs ?? DEFAULT_SCRAPE_INTERVAL_MS, "intervalMs");
    this.#timeoutMs = positive(settings.timeoutMs ?? 2000, "timeoutMs");
    this.#maxBytes = positive(settings.maxBytes ?? 8 * 1024 * 1024, "maxBytes");
    this.#maxSeries = positive(settings.maxSeries ?? 10_000, "maxSeries");
    const maxPoints = positive(settings.maxPoints ?? 4096, "maxPoints");
    this.#states = settings.endpoints.map((endpoint) => ({
      endpoint,
      store: new SeriesStore(maxPoints, this.#maxSeries),
      fetches: [],
      active: true,
      everOk: false,
      running: undefined,
      warned: new Set(),
    }));
  }

  /** Starts scraping every endpoint now and then every interval. */
  start(): void {
    if (this.#timer !== undefined || this.#stop.signal.aborted) return;
    void this.scrapeNow();
    this.#timer = setInterval(() => void this.scrapeNow(), this.#intervalMs);
  }

  /** Scrapes every endpoint that is not being scraped already; resolves when all are done. */
  async scrapeNow(): Promise<void> {
    await Promise.all(this.#states.map((state) => {
      if (!state.active || this.#stop.signal.aborted) return undefined;
      state.running ??= this.#scrape(state).finally(() => state.running = undefined);
      return state.running;
    }));
  }

  /** Stops scraping; resolves when the scrapes in flight are done. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    // Scrapes in flight finish (a phase's closing scrape counts), bounded by their time limit.
    await Promise.all(this.#states.map((s) => s.running));
    this.#stop.abort();
  }

  /** The warnings so far, in order. */
  get warnings(): readonly string[] {
    return this.#warnings;
  }

  /**
   * The statistics of the window [start, end] (epoch milliseconds) in AIPerf's layout.
   *
   * @param start Window start, epoch ms.
   * @param end Window end, epoch ms.
   * @param thread Where the scrapes ran, reported with their cost.
   */
  summarize(start: number, end: number, thread: CollectionCost["thread"] = "main") {
    const data: EndpointData[] = this.#states
      .filter((s) => s.everOk || !s.endpoint.auto)
      .map((s) => ({
        url: s.endpoint.url,
        series: s.store.series.values(),
        fetches: s.fetches,
        resets: s.store.resets,
        active: s.active,
      }));
    const phase: PhaseServerMetrics = summarize(data, start, end, thread, [...this.#warnings]);
    return phase;
  }

  async #scrape(state: EndpointState): Promise<void> {
    const { endpoint } = state;
    const time = Date.now();
    const t0 = performance.now();
    const outcome = await fetchMetrics(
      endpoint.url,
      this.#timeoutMs,
      this.#maxBytes,
      this.#stop.signal,
    );
    if (outcome.ok) {
      const parsed = parseMetricsText(outcome.text);
      const ms = performance.now() - t0;
      state.store.add(time, parsed.families);
      this.#record(state, { time, ms, ok: true });
      if (!state.everOk && parsed.families.length === 0 && endpoint.auto) {
        // An answer that is not a metrics page (an HTML or text page at /metrics).
        state.active = false;
        return;
      }
      state.everOk = true;
      if (parsed.problems.length > 0) {
        this.#warn(
          state,
          "malformed",
          `${endpoint.url}: ${parsed.problems.length} malformed line(s) skipped, the first: ` +
            parsed.problems[0],
        );
      }
      if (state.store.dropped > 0) {
        this.#warn(
          state,
          "series",
          `${endpoint.url}: more than ${this.#maxSeries} series; the others are not kept`,
        );
      }
      this.onScrape?.(record(endpoint.url, time, ms, parsed.families));
      this.onPage?.(endpoint, time, parsed.families);
      return;
    }
    if (outcome.reason === "stopped") return;
    if (!state.everOk && endpoint.auto) {
      // Derived from --url: most servers have no /metrics; say nothing.
      state.active = false;
      return;
    }
    this.#record(state, { time, ms: performance.now() - t0, ok: false });
    if (outcome.notMetrics && !state.everOk) {
      state.active = false;
      this.#warn(state, "not", `${endpoint.url}: ${outcome.reason}; not scraped`);
      return;
    }
    this.#warn(
      state,
      outcome.reason,
      `${endpoint.url}: a scrape failed (${outcome.reason}); the series have a gap`,
    );
  }

  #record(state: EndpointState, fetch: { time: number; ms: number; ok: boolean }): void {
    state.fetches.push(fetch);
    if (state.fetches.length > MAX_FETCHES) {
      const kept = state.fetches.filter((_, i) => i % 2 === 0);
      state.fetches.length = 0;
      state.fetches.push(...kept);
    }
  }

  #warn(state: EndpointState, kind: string, warning: string): void {
    if (state.warned.has(kind)) return;
    state.warned.add(kind);
    this.#warnings.push(warning);
    this.onWarning?.(warning);
  }
}

function record(
  url: string,
  time: number,
  ms: number,
  families: readonly MetricFamily[],
): ScrapeRecord {
  const metrics: Record<string, Record<string, unknown>[]> = {};
  for (const family of families) {
    metrics[family.name] = family.samples.map((s) => {
      const labels = Object.keys(s.labels).length === 0 ? {} : { labels: s.labels };
      if (s.buckets === undefined) return { ...labels, value: s.value };
      const buckets: Record<string, number> = {};
      for (const b of s.buckets) buckets[b.le === Infinity ? "+Inf" : String(b.le)] = b.count;
      return { ...labels, buckets, sum: s.sum, count: s.count };
    });
  }
  return {
    endpoint_url: url,
    timestamp_ns: time * 1e6,
    endpoint_latency_ns: Math.round(ms * 1e6),
    metrics,
  };
}

function positive(value: number, name: string): number {
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new RangeError(`Invalid server metrics option "${name}": expected a number > 0`);
  }
  return value;
}
