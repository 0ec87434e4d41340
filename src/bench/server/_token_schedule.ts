// When each output token of a response is due and what it says, kept apart from the wire
// format so every route (chat, completions, responses) streams on the same clock.

import { tokenText } from "./_openai_responses.ts";

/** The tokens of one response: reasoning first, then output, each due at a fixed time. */
export interface TokenSchedule {
  /** Reasoning tokens (they come first). */
  readonly thinking: number;
  /** Reasoning plus output tokens. */
  readonly total: number;
  /** Exclusive end index of each chunk; a chunk never mixes reasoning and output. */
  readonly chunkEnds: readonly number[];
  /** `performance.now()` time token `i` (from 0) is due. */
  tokenAt(i: number): number;
  /** The text of tokens `from` (inclusive) to `to` (exclusive). */
  textOf(from: number, to: number): string;
}

/** Options of {@linkcode tokenSchedule}. */
export interface ScheduleOptions {
  /** `performance.now()` when the request arrived; token times count from it. */
  readonly arrived: number;
  readonly ttftMs: number;
  readonly itlMs: number;
  readonly thinking: number;
  readonly output: number;
  readonly perChunk: number;
}

/**
 * Token `i` is due `ttftMs + i * itlMs` after arrival, scheduled against that start so timer
 * jitter does not accumulate. Chunks end every `perChunk` tokens and where reasoning ends.
 */
export function tokenSchedule(options: ScheduleOptions): TokenSchedule {
  const { arrived, ttftMs, itlMs, thinking, perChunk } = options;
  const total = thinking + options.output;
  const chunkEnds: number[] = [];
  for (let i = 0; i < total;) {
    i = Math.min(i + perChunk, i < thinking ? thinking : total);
    chunkEnds.push(i);
  }
  return {
    thinking,
    total,
    chunkEnds,
    tokenAt: (i) => arrived + ttftMs + i * itlMs,
    textOf(from, to) {
      let text = "";
      for (let i = from; i < to; i++) text += tokenText(i < thinking ? i : i - thinking);
      return text;
    },
  };
}
