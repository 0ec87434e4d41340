// AIPerf's request cancellation (--request-cancellation-rate, --request-cancellation-delay):
// a share of the requests is really aborted (the connection is dropped) a delay after it is
// sent, and counted as AIPerf counts it: a failed request of type `cancelled` (AIPerf's code
// 499, RequestCancellationError), with its input tokens as `error_isl`.

import { randomSource } from "../_random.ts";
import type { Endpoint, EndpointRequest, EndpointResult } from "../types.ts";

/** What to cancel. */
export interface Cancellation {
  /** Percent of requests (0 to 100) to cancel. */
  readonly ratePercent: number;
  /** Milliseconds after the send at which a chosen request is aborted. */
  readonly delayMs: number;
  /** Seed of the choice (`--random-seed`). */
  readonly seed?: number;
}

/** `endpoint`, with a seeded `ratePercent` share of its requests aborted `delayMs` after send. */
export function withCancellation(endpoint: Endpoint, cancellation: Cancellation): Endpoint {
  const random = randomSource(cancellation.seed);
  const send = async (request: EndpointRequest): Promise<EndpointResult> => {
    // The pre-flight check is never cancelled; the draw is made for every other request.
    if (request.preflight || random() * 100 >= cancellation.ratePercent) {
      return endpoint.send(request);
    }
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), cancellation.delayMs);
    const result = await endpoint.send({
      ...request,
      signal: AbortSignal.any([request.signal, abort.signal]),
    });
    clearTimeout(timer);
    // Finished before its time, or the run itself was interrupted: as it came.
    if (!abort.signal.aborted || request.signal.aborted) return result;
    const { cancelled: _cancelled, error: _error, errorKind: _kind, ...rest } = result;
    return {
      ...rest,
      error: `Request was cancelled after ${(cancellation.delayMs / 1000).toFixed(3)} seconds`,
      errorKind: "cancelled",
    };
  };
  return {
    get url() {
      return endpoint.url;
    },
    get streaming() {
      return endpoint.streaming;
    },
    send,
    ...(endpoint.payload === undefined ? {} : { payload: (r) => endpoint.payload!(r) }),
  };
}
