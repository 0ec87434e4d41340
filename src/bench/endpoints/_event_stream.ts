// Reading a streamed reply: the server-sent events as they arrive (parsed by eventsource-parser:
// comments, CR/LF/CRLF, multi-line data, `data:` with or without a space), every chunk that
// carries tokens timed. One `performance.now()` per network read: every event that arrived in
// the same read arrived at the same moment.

import { createParser } from "../_deps/eventsource_parser.ts";
import { oneLine } from "../_one_line.ts";
import type { EndpointResult, EndpointUsage, ErrorKind } from "../types.ts";
import { chatDelta, errorOf, textChoice, usageOf } from "./_openai_payloads.ts";
import type { OpenAIKind } from "./_openai_settings.ts";

/** What the events of one stream add up to, fed one event at a time. */
class StreamTally {
  readonly chunks: number[] = [];
  firstOutputChunk: number | undefined;
  reasoningChunks = 0;
  outputText = "";
  reasoningText = "";
  usage: EndpointUsage | undefined;
  done = false;
  error: string | undefined;
  errorKind: ErrorKind | undefined;
  readonly #kind: OpenAIKind;

  constructor(kind: OpenAIKind) {
    this.#kind = kind;
  }

  /** Takes one event's data, arrived at `now`. */
  add(data: string, event: string | undefined, now: number): void {
    if (data === "[DONE]") {
      this.done = true;
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      this.#fail(`Invalid JSON in stream: ${data.slice(0, 80)}`, "stream");
      return;
    }
    const apiError = errorOf(parsed) ??
      (event === "error" ? `Server error: ${oneLine(data)}` : undefined);
    if (apiError !== undefined) {
      this.#fail(apiError, "stream");
      return;
    }
    const delta = this.#kind === "chat"
      ? chatDelta(parsed)
      : { output: textChoice(parsed) ?? "", reasoning: "" };
    if (delta !== undefined && (delta.output !== "" || delta.reasoning !== "")) {
      this.chunks.push(now);
      if (delta.output !== "") this.firstOutputChunk ??= now;
      else this.reasoningChunks++;
      this.outputText += delta.output;
      this.reasoningText += delta.reasoning;
    }
    this.usage = usageOf(parsed) ?? this.usage;
  }

  /** Keeps the first failure: later ones follow from it. */
  #fail(error: string, kind: ErrorKind): void {
    this.error ??= error;
    this.errorKind ??= kind;
  }

  /** Ends the stream: fails it when `[DONE]` never came. */
  end(lost?: unknown): void {
    if (lost !== undefined) {
      this.#fail(`Connection lost mid-stream: ${oneLine(lost)}`, "incomplete");
    }
    if (!this.done) this.#fail("Stream ended without data: [DONE]", "incomplete");
  }
}

/**
 * Reads a streamed reply to its end (`[DONE]`, the connection's end, or an abort, which
 * rejects) and times it.
 */
export async function readEventStream(
  kind: OpenAIKind,
  response: Response,
  start: number,
  status: number,
  signal: AbortSignal,
): Promise<EndpointResult> {
  const body = response.body;
  if (body === null) {
    return { start, end: performance.now(), status, error: "Empty body", errorKind: "incomplete" };
  }
  const tally = new StreamTally(kind);
  // One performance.now() per network read: every event in the same read arrived together.
  let now = start;
  const parser = createParser({
    onEvent: (message) => tally.add(message.data, message.event, now),
    onError: () => {
      // A malformed line: the maintained parser skips it, as browsers do.
    },
  });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let lost: unknown;
  try {
    for (;;) {
      const read = await reader.read();
      if (read.done) break;
      now = performance.now();
      parser.feed(decoder.decode(read.value, { stream: true }));
      if (tally.done) break;
    }
    if (!tally.done) parser.feed("\n\n"); // a last event without its blank line still counts
  } catch (e) {
    if (signal.aborted) throw e;
    lost = e;
  } finally {
    if (tally.done) void reader.cancel().catch(() => {});
  }
  const end = performance.now();
  tally.end(lost);
  return {
    start,
    end,
    status,
    chunks: tally.chunks,
    reasoningChunks: tally.reasoningChunks,
    outputText: tally.outputText,
    ...(tally.reasoningText === "" ? {} : { reasoningText: tally.reasoningText }),
    ...(tally.firstOutputChunk === undefined ? {} : { firstOutputChunk: tally.firstOutputChunk }),
    ...(tally.usage === undefined ? {} : { usage: tally.usage }),
    ...(tally.error === undefined ? {} : { error: tally.error, errorKind: tally.errorKind! }),
  };
}
