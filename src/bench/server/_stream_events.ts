// A server-sent-event stream paced by a token schedule: the wire format of each chunk is the
// route's business (`render`), the timing and cancellation are handled here once.

import { sleepUntil } from "../_sleep.ts";
import type { TokenSchedule } from "./_token_schedule.ts";

const encoder = new TextEncoder();

/** How a route writes its events around the scheduled chunks. */
export interface StreamRender {
  /** Events sent at once, before the first token (e.g. a role-only chunk). */
  readonly opening: readonly string[];
  /** The event(s) of the chunk holding tokens `from` to `to`; `last` on the final one. */
  chunk(from: number, to: number, last: boolean): string;
  /** Events after the last chunk (usage, `[DONE]`, a completion event), written as given. */
  closing(): string;
}

/** Formats one `data:` event. */
export function sse(data: string, event?: string): string {
  return (event === undefined ? "" : `event: ${event}\n`) + "data: " + data + "\n\n";
}

/**
 * Streams `render`'s events, each chunk sent when its last token is due; everything due at
 * once goes in one write. A client that goes away cancels the stream; a closing server ends
 * it without the closing events.
 */
export function streamEvents(
  schedule: TokenSchedule,
  render: StreamRender,
  shutdown: AbortSignal,
): Response {
  const cancelled = new AbortController();
  // request.signal is not used because it also aborts after every successful response.
  const signal = AbortSignal.any([cancelled.signal, shutdown]);
  const ends = schedule.chunkEnds;
  let next = render.opening.length > 0 ? -1 : 0; // -1: the opening events come first
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (next === -1) {
        controller.enqueue(encoder.encode(render.opening.join("")));
        next = 0;
        return;
      }
      if (next < ends.length) {
        if (!await sleepUntil(schedule.tokenAt(ends[next]! - 1), signal)) {
          // Cancelled by the client, or the server is closing: end without the closing events.
          if (!cancelled.signal.aborted) controller.close();
          return;
        }
        const now = performance.now();
        let text = "";
        do {
          const from = next === 0 ? 0 : ends[next - 1]!;
          const to = ends[next]!;
          text += render.chunk(from, to, to === schedule.total);
          next++;
        } while (next < ends.length && schedule.tokenAt(ends[next]! - 1) <= now);
        controller.enqueue(encoder.encode(text));
        return;
      }
      controller.enqueue(encoder.encode(render.closing()));
      controller.close();
    },
    cancel() {
      cancelled.abort();
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
  });
}
