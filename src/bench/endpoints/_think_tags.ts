// Reasoning a server left inside the content as <think>…</think> (a server without a reasoning
// parser, e.g. vLLM without --reasoning-parser): told apart from the answer after the stream has
// ended, over the joined text, so a tag cut across chunks is found like any other. Two shapes
// are recognised: content that opens with <think> (after white space), and content with a
// </think> and no <think> before it (the chat template wrote the opening tag into the prompt,
// as DeepSeek-R1's does). Pure: no I/O, no clock.

const OPEN = "<think>";
const CLOSE = "</think>";

/** The content of one reply split into reasoning and answer. */
export interface ThinkSplit {
  /** The text inside the tags. */
  readonly reasoning: string;
  /** The text after `</think>` (white space included: the model generated it). */
  readonly output: string;
  /**
   * For each piece given, whether it carries any of the answer (a character after `</think>`);
   * pieces that carry only the tags or the reasoning are reasoning chunks.
   */
  readonly carriesOutput: readonly boolean[];
}

/**
 * Splits the content pieces of one reply (a stream's chunks in order, or one whole message) at
 * its `<think>` tags; `undefined` when the content has none of the recognised shapes.
 */
export function splitThinkTags(pieces: readonly string[]): ThinkSplit | undefined {
  const text = pieces.join("");
  const opened = /^\s*<think>/.exec(text);
  let from: number;
  let close: number;
  if (opened !== null) {
    from = opened[0].length;
    close = text.indexOf(CLOSE, from);
  } else {
    close = text.indexOf(CLOSE);
    if (close < 0 || text.lastIndexOf(OPEN, close) >= 0) return undefined;
    from = 0;
  }
  // An unclosed <think> (the reply stopped while reasoning) is reasoning to its end.
  const to = close < 0 ? text.length : close;
  const answer = close < 0 ? text.length : close + CLOSE.length;
  const carriesOutput: boolean[] = [];
  let at = 0;
  for (const piece of pieces) {
    at += piece.length;
    carriesOutput.push(piece !== "" && at > answer);
  }
  return { reasoning: text.slice(from, to), output: text.slice(answer), carriesOutput };
}
