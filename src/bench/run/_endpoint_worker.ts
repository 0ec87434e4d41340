// Runs one endpoint inside a Deno worker for `--workers N`: the worker creates the endpoint
// through the same plugmap factory as the main thread, sends the requests it is handed, and
// posts each result back with its times moved to the epoch (worker clocks have their own origin).

/// <reference lib="deno.worker" />

import { createBenchRegistry } from "./create_bench_registry.ts";
import type { BenchmarkSettings } from "../config/resolve_settings.ts";
import type { Endpoint, EndpointResult } from "../types.ts";

/** The first message: what to create. */
export interface WorkerStart {
  readonly type: "start";
  readonly name: string;
  readonly config: Record<string, unknown>;
  readonly pluginMap?: Readonly<Record<string, string>>;
  readonly baseUrl: string;
}

let endpoint: Endpoint | undefined;
const pending = new Map<number, AbortController>();

self.onmessage = async (event: MessageEvent) => {
  const message = event.data;
  if (message.type === "start") {
    const start = message as WorkerStart;
    try {
      const registry = await createBenchRegistry({
        baseUrl: new URL(start.baseUrl),
        ...(start.pluginMap === undefined ? {} : { pluginMap: start.pluginMap }),
      } as BenchmarkSettings);
      endpoint = await registry.factory<Endpoint>("endpoint").create(start.name, start.config);
      self.postMessage({ type: "ready" });
    } catch (error) {
      self.postMessage({ type: "error", message: (error as Error).message });
    }
  } else if (message.type === "send") {
    const controller = new AbortController();
    pending.set(message.id, controller);
    let result: EndpointResult;
    try {
      result = await endpoint!.send({
        prompt: message.prompt,
        ...(message.system === undefined ? {} : { system: message.system }),
        ...(message.maxTokens === undefined ? {} : { maxTokens: message.maxTokens }),
        ...(message.history === undefined ? {} : { history: message.history }),
        ...(message.batch === undefined ? {} : { batch: message.batch }),
        ...(message.images === undefined ? {} : { images: message.images }),
        ...(message.audios === undefined ? {} : { audios: message.audios }),
        ...(message.videos === undefined ? {} : { videos: message.videos }),
        ...(message.passages === undefined ? {} : { passages: message.passages }),
        ...(message.preflight ? { preflight: true } : {}),
        // The main thread frees the request's prefill slot on this message.
        ...(message.firstToken
          ? { onFirstToken: () => self.postMessage({ type: "first", id: message.id }) }
          : {}),
        signal: controller.signal,
      });
    } catch (error) {
      // A throwing endpoint is a failed request, as on the main thread; the pool is not left
      // waiting for an answer that never comes.
      const now = performance.now();
      result = controller.signal.aborted
        ? { start: now, end: now, cancelled: true, error: "Cancelled" }
        : {
          start: now,
          end: now,
          error: String((error as Error)?.message ?? error),
          errorKind: "client",
        };
    }
    pending.delete(message.id);
    self.postMessage({ type: "result", id: message.id, result: toEpoch(result) });
  } else if (message.type === "cancel") {
    for (const controller of pending.values()) controller.abort();
  }
};

function toEpoch(r: EndpointResult): EndpointResult {
  const o = performance.timeOrigin;
  return {
    ...r,
    start: r.start + o,
    end: r.end + o,
    ...(r.chunks === undefined ? {} : { chunks: r.chunks.map((t) => t + o) }),
    ...(r.firstOutputChunk === undefined ? {} : { firstOutputChunk: r.firstOutputChunk + o }),
  };
}
