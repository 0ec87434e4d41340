import type { ServerOptions } from "./start_server.ts";

/** The embedded server running in a Worker. */
export interface WorkerServer {
  /** The base URL, e.g. `http://127.0.0.1:43123`. */
  readonly url: string;
  /** Stops the server and the Worker. */
  close(): Promise<void>;
}

/**
 * Starts the embedded OpenAI-compatible server ({@linkcode startServer}) in a Worker: its
 * timers and responses run on a thread of their own, so on a multi-core machine the client
 * being measured does not slow the server down (and the reverse). The Worker inherits the
 * process's permissions (`--allow-net`).
 *
 * @param options As for `startServer`.
 * @returns The running server.
 * @throws {RangeError} When an option is out of range.
 *
 * @example
 * ```ts
 * import { startServerWorker } from "./start_server_worker.ts";
 *
 * const server = await startServerWorker({ ttftMs: 0, itlMs: 0, outputTokens: 2 });
 * try {
 *   const models = await (await fetch(`${server.url}/v1/models`)).json();
 *   if (models.object !== "list") throw new Error("wrong");
 * } finally {
 *   await server.close();
 * }
 * ```
 */
export function startServerWorker(options: ServerOptions = {}): Promise<WorkerServer> {
  const worker = new Worker(new URL("./_server_worker.ts", import.meta.url), { type: "module" });
  const { promise, resolve, reject } = Promise.withResolvers<WorkerServer>();
  let closed: (() => void) | undefined;
  worker.onmessage = (event: MessageEvent) => {
    const message = event.data as { type: string; url?: string; message?: string };
    if (message.type === "ready") {
      resolve({
        url: message.url!,
        close() {
          const { promise: done, resolve: finish } = Promise.withResolvers<void>();
          closed = () => {
            worker.terminate();
            finish();
          };
          worker.postMessage({ type: "close" });
          return done;
        },
      });
    } else if (message.type === "closed") {
      closed?.();
    } else if (message.type === "error") {
      worker.terminate();
      reject(new RangeError(message.message));
    }
  };
  worker.onerror = (event) => {
    event.preventDefault();
    worker.terminate();
    reject(new Error(`The embedded server failed: ${event.message}`));
    closed?.();
  };
  worker.postMessage({ type: "start", options });
  return promise;
}
