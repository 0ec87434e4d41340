import type { BenchmarkSettings } from "../config/resolve_settings.ts";
import type { Endpoint, EndpointRequest, EndpointResult } from "../types.ts";

/**
 * An endpoint that sends each request from one of N Deno workers (`--workers N`), each holding
 * its own instance of the selected endpoint, created through the same plugmap factory. The main
 * thread keeps the schedule, the hooks and the metrics; the workers do the HTTP and the stream
 * parsing, which is what makes a single client thread late at high concurrency. Requests go to
 * the worker with the fewest in flight. Times come back on the main thread's clock.
 *
 * @example
 * ```ts
 * import { WorkerPoolEndpoint } from "./worker_pool_endpoint.ts";
 * import { resolveSettings } from "../config/resolve_settings.ts";
 * import { startServer } from "../server/start_server.ts";
 *
 * const server = await startServer({ ttftMs: 1, itlMs: 0, outputTokens: 2 });
 * const settings = resolveSettings({ url: server.url });
 * const pool = await WorkerPoolEndpoint.start(settings, server.url, 2);
 * try {
 *   const r = await pool.send({ prompt: "hi", signal: new AbortController().signal });
 *   if (r.usage?.completion_tokens !== 2) throw new Error(r.error);
 * } finally {
 *   pool.close();
 *   await server.close();
 * }
 * ```
 */
export class WorkerPoolEndpoint implements Endpoint {
  readonly url: string;
  readonly streaming: boolean;
  readonly #workers: { worker: Worker; inFlight: number }[];
  readonly #waiting = new Map<number, (result: EndpointResult) => void>();
  readonly #firstTokens = new Map<number, () => void>();
  readonly #bodies: Pick<Endpoint, "payload"> | undefined;
  #next = 0;

  private constructor(
    url: string,
    streaming: boolean,
    workers: Worker[],
    bodies: Pick<Endpoint, "payload"> | undefined,
  ) {
    this.url = url;
    this.streaming = streaming;
    this.#bodies = bodies;
    this.#workers = workers.map((worker) => ({ worker, inFlight: 0 }));
    for (const slot of this.#workers) {
      slot.worker.onmessage = (event: MessageEvent) => {
        const { type, id, result } = event.data as {
          type: string;
          id: number;
          result: EndpointResult;
        };
        if (type === "first") return this.#firstTokens.get(id)?.();
        this.#firstTokens.delete(id);
        slot.inFlight--;
        this.#waiting.get(id)?.(fromEpoch(result));
        this.#waiting.delete(id);
      };
    }
  }

  /**
   * Starts `count` workers, each creating the settings' endpoint.
   *
   * @param settings The run's settings (endpoint name and config, plugin map).
   * @param url The endpoint URL to report (the main thread's instance's).
   * @param count How many workers.
   * @param config The endpoint's config (the embedded server's `url` filled in).
   * @param bodies The main thread's instance of the endpoint, whose `payload` gives the request
   *   bodies AIPerf's inputs.json holds (the workers' instances send the same bodies).
   * @returns The pool, ready.
   * @throws {Error} When a worker cannot create the endpoint.
   */
  static async start(
    settings: BenchmarkSettings,
    url: string,
    count: number,
    config: Record<string, unknown> = { ...settings.endpoint.config },
    bodies?: Pick<Endpoint, "payload">,
  ): Promise<WorkerPoolEndpoint> {
    const workers: Worker[] = [];
    try {
      for (let i = 0; i < count; i++) {
        const worker = new Worker(new URL("./_endpoint_worker.ts", import.meta.url), {
          type: "module",
        });
        workers.push(worker);
        const ready = new Promise<void>((resolve, reject) => {
          worker.onmessage = (e: MessageEvent) =>
            e.data.type === "ready" ? resolve() : reject(new Error(e.data.message));
          worker.onerror = (e) => {
            e.preventDefault();
            reject(new Error(e.message));
          };
        });
        worker.postMessage({
          type: "start",
          name: settings.endpoint.name,
          // Worker i draws from seed + i: the workers' random picks (models) differ from one
          // another and stay repeatable.
          config: typeof config.seed === "number" ? { ...config, seed: config.seed + i } : config,
          baseUrl: settings.baseUrl.href,
          ...(settings.pluginMap === undefined ? {} : { pluginMap: settings.pluginMap }),
        });
        await ready;
      }
    } catch (error) {
      for (const w of workers) w.terminate();
      throw error;
    }
    const streaming = config.streaming === undefined ? true : Boolean(config.streaming);
    return new WorkerPoolEndpoint(url, streaming, workers, bodies);
  }

  /** The request body, as the main thread's instance of the endpoint builds it, if it does. */
  payload(request: Omit<EndpointRequest, "signal">): unknown {
    return this.#bodies?.payload?.(request);
  }

  /** Sends the request from the least busy worker. */
  send(request: EndpointRequest): Promise<EndpointResult> {
    let slot = this.#workers[0]!;
    for (const s of this.#workers) if (s.inFlight < slot.inFlight) slot = s;
    slot.inFlight++;
    const id = this.#next++;
    const { promise, resolve } = Promise.withResolvers<EndpointResult>();
    this.#waiting.set(id, resolve);
    if (request.onFirstToken !== undefined) this.#firstTokens.set(id, request.onFirstToken);
    request.signal.addEventListener(
      "abort",
      () => slot.worker.postMessage({ type: "cancel" }),
      { once: true },
    );
    slot.worker.postMessage({
      type: "send",
      id,
      prompt: request.prompt,
      ...(request.system === undefined ? {} : { system: request.system }),
      ...(request.maxTokens === undefined ? {} : { maxTokens: request.maxTokens }),
      ...(request.history === undefined ? {} : { history: request.history }),
      ...(request.batch === undefined ? {} : { batch: request.batch }),
      ...(request.images === undefined ? {} : { images: request.images }),
      ...(request.audios === undefined ? {} : { audios: request.audios }),
      ...(request.videos === undefined ? {} : { videos: request.videos }),
      ...(request.passages === undefined ? {} : { passages: request.passages }),
      ...(request.preflight ? { preflight: true } : {}),
      ...(request.onFirstToken === undefined ? {} : { firstToken: true }),
    });
    return promise;
  }

  /** Stops the workers. */
  close(): void {
    for (const { worker } of this.#workers) worker.terminate();
  }
}

function fromEpoch(r: EndpointResult): EndpointResult {
  const o = performance.timeOrigin;
  return {
    ...r,
    start: r.start - o,
    end: r.end - o,
    ...(r.chunks === undefined ? {} : { chunks: r.chunks.map((t) => t - o) }),
    ...(r.firstOutputChunk === undefined ? {} : { firstOutputChunk: r.firstOutputChunk - o }),
  };
}
