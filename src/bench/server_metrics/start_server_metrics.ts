import { CollectorHost, type HostRequest } from "./_collector_host.ts";
import type { CollectorSettings, PhaseServerMetrics } from "./types.ts";

/** How a session collects. */
export interface ServerMetricsSessionOptions {
  /** The endpoints and how to scrape them. */
  readonly settings: CollectorSettings;
  /** Scrape from a Worker, off the thread that sends the load; default true. */
  readonly worker?: boolean;
  /** Write every scrape here, AIPerf's `server_metrics_export.jsonl` (whole at close). */
  readonly jsonlPath?: string;
  /**
   * Write every GPU of every scrape of a DCGM exporter here, AIPerf's
   * `gpu_telemetry_export.jsonl` (whole at close; not written when no exporter answered).
   */
  readonly gpuJsonlPath?: string;
  /** Receives each warning once (an endpoint unreachable, slow, huge or malformed). */
  readonly onWarning?: (warning: string) => void;
}

/** A running collection: boundaries of each phase, then close. */
export interface ServerMetricsSession {
  /**
   * A phase starts: every endpoint is scraped, and the phase begins after that scrape (the
   * reference of its counters, so none of its requests is missed). Resolves with a number that
   * names the phase for `phaseEnd`.
   */
  phaseStart(): Promise<number>;
  /** Scrapes every endpoint now and returns the phase's statistics. */
  phaseEnd(phase: number): Promise<PhaseServerMetrics>;
  /** Stops scraping (and the Worker); the JSONL file, if any, is then complete. */
  close(): Promise<void>;
}

/**
 * Starts scraping the endpoints every interval until `close()`, in a Deno Worker by default so
 * that no scrape or parse ever runs on the thread that sends the requests. Each phase is framed
 * by a scrape at its start and its end.
 *
 * @param options Endpoints, interval, caps, Worker or not, the JSONL paths and warnings.
 * @returns The session; it starts in the background (a setting out of range, or a JSONL file
 * that cannot be created, rejects `phaseEnd` and `close`).
 *
 * @example
 * ```ts
 * import { startServerMetrics } from "./start_server_metrics.ts";
 *
 * let running = 0;
 * const server = Deno.serve({ port: 0, onListen() {} }, () =>
 *   new Response(`# TYPE vllm:num_requests_running gauge\nvllm:num_requests_running ${++running}\n`));
 * const session = startServerMetrics({
 *   settings: {
 *     endpoints: [{ url: `http://127.0.0.1:${server.addr.port}/metrics`, kind: "server", auto: true }],
 *     intervalMs: 20,
 *   },
 * });
 * const started = await session.phaseStart();
 * await new Promise((r) => setTimeout(r, 100));
 * const phase = await session.phaseEnd(started);
 * await session.close();
 * await server.shutdown();
 * if (phase.highlights[0]?.role !== "running") throw new Error("wrong");
 * ```
 */
export function startServerMetrics(options: ServerMetricsSessionOptions): ServerMetricsSession {
  const onWarning = options.onWarning ?? (() => {});
  const start: HostRequest = {
    op: "start",
    settings: options.settings,
    ...(options.jsonlPath === undefined ? {} : { jsonlPath: options.jsonlPath }),
    ...(options.gpuJsonlPath === undefined ? {} : { gpuJsonlPath: options.gpuJsonlPath }),
  };
  let ask: (request: HostRequest) => Promise<unknown>;
  let end = () => {};
  if (options.worker === false) {
    const host = new CollectorHost("main", onWarning);
    ask = (request) => host.handle(request);
  } else {
    const worker = new Worker(new URL("./_collector_worker.ts", import.meta.url), {
      type: "module",
    });
    const waiting = new Map<number, PromiseWithResolvers<unknown>>();
    let next = 0;
    worker.onmessage = (event: MessageEvent) => {
      const data = event.data as { id?: number; value?: unknown; error?: string; warning?: string };
      if (data.warning !== undefined) return onWarning(data.warning);
      const pending = waiting.get(data.id!);
      waiting.delete(data.id!);
      if (data.error !== undefined) pending?.reject(new Error(data.error));
      else pending?.resolve(data.value);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      for (const pending of waiting.values()) {
        pending.reject(new Error(`The server metrics collector failed: ${event.message}`));
      }
      waiting.clear();
    };
    ask = (request) => {
      const pending = Promise.withResolvers<unknown>();
      const id = next++;
      waiting.set(id, pending);
      worker.postMessage({ id, ...request });
      return pending.promise;
    };
    end = () => worker.terminate();
  }
  // Not awaited: the Worker loads while the run goes on; requests queue behind this one.
  ask(start).catch(() => {});
  let phases = 0;
  return {
    phaseStart: async () => {
      const phase = phases++;
      await ask({ op: "phaseStart", phase });
      return phase;
    },
    phaseEnd: async (phase) => await ask({ op: "phaseEnd", phase }) as PhaseServerMetrics,
    close: async () => {
      try {
        await ask({ op: "close" });
      } finally {
        end();
      }
    },
  };
}
