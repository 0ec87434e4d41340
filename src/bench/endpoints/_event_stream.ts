// Reading a streamed reply: the server-sent events as they arrive (parsed by eventsource-parser:
// comments, CR/LF/CRLF, multi-line data, `data:` with or without a space), every chunk that
// carries tokens timed. One `performance.now()` per network read: every event that arrived in
// the same read arrived at the same moment.

import { createParser } from "../_deps/eventsource_parser.ts";
import { oneLine } from "../_one_line.ts";
import type { EndpointResult, EndpointUsage, ErrorKind } from "../types.ts";
import { choicesOf, errorOf, usageOf } from "./_openai_payloads.ts";
import { splitThinkTags } from "./_think_tags.ts";
import type { OpenAIKind } from "./_openai_settings.ts";

/** One chunk of the first choice that carried tokens: when, and its texts. */
interface Piece {
  readonly at: number;
  readonly output: string;
  readonly reasoning: string;
}

/** What the events of one stream add up to, fed one event at a time. */
class StreamTally {
  readonly pieces: Piece[] = [];
  /** The highest choice `index` seen plus one. */
  choices = 1;
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
    // Only the first choice is timed; a server that sends others anyway (n > 1) is counted.
    for (const { index, parts } of choicesOf(this.#kind, parsed, "delta")) {
      if (index + 1 > this.choices) this.choices = index + 1;
      if (index !== 0 || parts === undefined) continue;
      if (parts.output === "" && parts.reasoning === "") continue;
      this.pieces.push({ at: now, ...parts });
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
 * The timing and texts of a stream's first choice: every chunk that carried tokens, the first
 * that carried the answer (after any reasoning, `<think>` tags read as reasoning when
 * `thinkTags`), and the joined texts.
 */
function timeChunks(pieces: readonly Piece[], thinkTags: boolean) {
  let outputText = "";
  let reasoningText = "";
  for (const p of pieces) {
    outputText += p.output;
    reasoningText += p.reasoning;
  }
  const think = thinkTags ? splitThinkTags(pieces.map((p) => p.output)) : undefined;
  if (think !== undefined) {
    outputText = think.output;
    reasoningText += think.reasoning;
  }
  let firstOutputChunk: number | undefined;
  let reasoningChunks = 0;
  pieces.forEach((p, i) => {
    const answer = think === undefined ? p.output !== "" : think.carriesOutput[i]!;
    if (answer) firstOutputChunk ??= p.at;
    else reasoningChunks++;
  });
  return {
    chunks: pieces.map((p) => p.at),
    reasoningChunks,
    outputText,
    ...(reasoningText === "" ? {} : { reasoningText }),
    ...(firstOutputChunk === undefined ? {} : { firstOutputChunk }),
    ...(think === undefined ? {} : { thinkTags: true as const }),
  };
}

/**
 * Reads a streamed reply to its end (`[DONE]`, the connection's end, or an abort, which
 * rejects) and times it; calls `onFirstToken` once, after the read that brought the first chunk
 * carrying tokens.
 */
export async function readEventStream(
  kind: OpenAIKind,
  thinkTags: boolean,
  response: Response,
  start: number,
  status: number,
  signal: AbortSignal,
  onFirstToken?: () => void,
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
      if (onFirstToken !== undefined && tally.pieces.length > 0) {
        onFirstToken();
        onFirstToken = undefined;
      }
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
    ...timeChunks(tally.pieces, thinkTags),
    ...(tally.choices > 1 ? { choices: tally.choices } : {}),
    ...(tally.usage === undefined ? {} : { usage: tally.usage }),
    ...(tally.error === undefined ? {} : { error: tally.error, errorKind: tally.errorKind! }),
  };
}
