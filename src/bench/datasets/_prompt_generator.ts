// Prompts of an exact length in tokens. Text is stitched from random word-aligned pieces of the
// corpus (so prompts differ from one another), then re-encoded and trimmed or extended until
// the tokenizer counts exactly the length asked for: decoding token ids and encoding the text
// again does not always give the same count, so the count is checked, never assumed.

import { randomSource } from "../_random.ts";
import { CORPUS } from "./_corpus.ts";
import type { TextTokenizer } from "../tokens/load_tokenizer.ts";

/** Generates prompts of exact token lengths, repeatably for a seed. */
export class PromptGenerator {
  readonly tokenizer: TextTokenizer;
  readonly #random: () => number;
  readonly #corpus: number[];
  /** Positions in the corpus where a token starts a word (begins with a space). */
  readonly #wordStarts: number[];
  readonly #blocks = new Map<string, string>();
  readonly #seen = new Set<string>();

  constructor(tokenizer: TextTokenizer, seed?: number) {
    this.tokenizer = tokenizer;
    this.#random = randomSource(seed);
    this.#corpus = tokenizer.encode(CORPUS.replace(/\s+/g, " ").trim());
    this.#wordStarts = [];
    // Decoded after another token: some decoders (SentencePiece's) drop a leading space of the
    // first token of a text.
    const anchor = this.#corpus.slice(0, 1);
    const before = tokenizer.decode(anchor).length;
    for (let i = 1; i < this.#corpus.length; i++) {
      const text = tokenizer.decode([...anchor, this.#corpus[i]!]);
      if (/^\s/.test(text.slice(before))) this.#wordStarts.push(i);
    }
    if (this.#wordStarts.length === 0) this.#wordStarts.push(0);
  }

  /**
   * A prompt of exactly `tokens` tokens after `prefix` (the whole text `prefix + prompt` then
   * has the prefix's tokens plus `tokens`, as the tokenizer counts it), different from every
   * prompt this generator returned before when it can be.
   */
  prompt(tokens: number, prefix = ""): string {
    let text = "";
    for (let attempt = 0; attempt < 8; attempt++) {
      text = this.#exact(tokens, prefix);
      if (!this.#seen.has(text)) break;
    }
    this.#seen.add(text);
    return text;
  }

  /**
   * A prompt of `tokens` tokens built from blocks of `blockSize` tokens, one per hash id (a
   * Mooncake trace's `hash_ids`): the same id gives the same text in every prompt, so prompts
   * that share leading ids share a prefix, as in the trace. The last block holds the rest.
   *
   * @throws {RangeError} When `tokens` does not fit `hashIds.length` blocks.
   */
  blocks(tokens: number, hashIds: readonly number[], blockSize: number): string {
    const last = tokens - (hashIds.length - 1) * blockSize;
    if (last <= 0 || last > blockSize) {
      throw new RangeError(
        `${hashIds.length} hash ids of ${blockSize} tokens cannot make ${tokens} tokens ` +
          `(the last block would have ${last}; it must be 1 to ${blockSize})`,
      );
    }
    let shared = "";
    for (let i = 0; i < hashIds.length - 1; i++) {
      shared += this.#block(`${hashIds[i]}`, blockSize);
    }
    const lastId = hashIds[hashIds.length - 1]!;
    const tail = this.#block(`${lastId}:${last}`, last);
    return this.#fit(shared + tail, last, shared);
  }

  /** A block of exactly `size` tokens for `key`, the same every time. */
  #block(key: string, size: number): string {
    let text = this.#blocks.get(key);
    if (text === undefined) {
      text = this.#exact(size, "");
      this.#blocks.set(key, text);
    }
    return text;
  }

  /** Random word-aligned pieces of the corpus, `count` token ids in all. */
  #sample(count: number): number[] {
    const ids: number[] = [];
    const corpus = this.#corpus;
    while (ids.length < count) {
      const start = this.#wordStarts[Math.floor(this.#random() * this.#wordStarts.length)]!;
      const length = Math.min(count - ids.length, 8 + Math.floor(this.#random() * 56));
      for (let i = 0; i < length; i++) ids.push(corpus[(start + i) % corpus.length]!);
    }
    return ids;
  }

  /** Text of exactly `tokens` tokens after `prefix`. */
  #exact(tokens: number, prefix: string): string {
    return this.#fit(prefix + this.tokenizer.decode(this.#sample(tokens)), tokens, prefix);
  }

  /**
   * Trims or extends `text` (after its fixed `keep` part) until it counts `keep`'s tokens plus
   * `tokens`; a few rounds, as each change can merge tokens at the cut.
   */
  #fit(text: string, tokens: number, keep: string): string {
    const target = (keep === "" ? 0 : this.tokenizer.encode(keep).length) + tokens;
    let best = text;
    let bestError = Infinity;
    for (let round = 0; round < 12; round++) {
      const ids = this.tokenizer.encode(text);
      const error = ids.length - target;
      if (Math.abs(error) < bestError) {
        best = text;
        bestError = Math.abs(error);
      }
      if (error === 0) return text;
      const body = this.tokenizer.encode(text.slice(keep.length));
      const next = error > 0
        ? body.slice(0, Math.max(1, body.length - error))
        : [...body, ...this.#sample(-error)];
      text = keep + this.tokenizer.decode(next);
    }
    return best;
  }
}
