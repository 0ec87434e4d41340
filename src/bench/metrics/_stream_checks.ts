// The checks successful requests raised (RecordTokens.checks), counted per phase and said once
// each in a sentence with an example's figures: what the server sent, what the metrics use, and
// why (docs/metrics-truth.md). Fed one record at a time, so it needs no list of records.

import type { RequestRecord, StreamCheck } from "../types.ts";

/** Counts the checks of a phase's successful records. */
export class StreamCheckTally {
  readonly #counts = new Map<StreamCheck, number>();
  readonly #example = new Map<StreamCheck, RequestRecord>();
  #requests = 0;
  #inputChecked = 0;

  /** Takes one successful record. */
  add(r: RequestRecord): void {
    this.#requests++;
    if (r.tokens.tokenizer_input_sequence_length !== undefined) this.#inputChecked++;
    for (const check of r.tokens.checks ?? []) {
      this.#counts.set(check, (this.#counts.get(check) ?? 0) + 1);
      if (!this.#example.has(check)) this.#example.set(check, r);
    }
  }

  /** The counts and one sentence per check raised; empty when none was. */
  result(): {
    stream_checks?: Partial<Record<StreamCheck, number>>;
    warnings?: string[];
  } {
    if (this.#counts.size === 0) return {};
    const counts: Partial<Record<StreamCheck, number>> = {};
    const warnings: string[] = [];
    for (const [check, count] of this.#counts) {
      counts[check] = count;
      warnings.push(this.#sentence(check, count, this.#example.get(check)!));
    }
    return { stream_checks: counts, warnings };
  }

  #sentence(check: StreamCheck, count: number, r: RequestRecord): string {
    const of = `${count} of ${this.#requests} requests`;
    const t = r.tokens;
    const osl = t.output + t.reasoning;
    const used = t.output_source === "tokenizer"
      ? `the tokenizer's count, at least the chunk count (e.g. ${osl})`
      : `the chunk count (e.g. ${osl})`;
    switch (check) {
      case "usage_below_chunks":
        return `${of}: usage.completion_tokens (e.g. ${t.usage_output_sequence_length}) is below ` +
          `the number of chunks that carried text (${r.chunks_ms.length}); each chunk carries at ` +
          `least one token, so the metrics (OSL, ITL) use ${used}; the server's figure is ` +
          "tokens.usage_output_sequence_length in records.jsonl";
      case "several_choices":
        return `${of} carried several choices (n > 1) interleaved in one stream: only choice 0 ` +
          `was timed and counted (OSL e.g. ${osl}, ${t.output_source}); usage, summed over the ` +
          `choices (e.g. ${t.usage_output_sequence_length}), is not used`;
      case "think_tags":
        return `${of} carried reasoning inside <think>...</think> in the content (the server has ` +
          "no reasoning parser): read as reasoning (reasoning_token_count, " +
          "time_to_first_output_token after </think>); --no-think-tags counts it as output";
      case "input_length_mismatch":
        return `${count} of ${this.#inputChecked} requests checked: usage.prompt_tokens ` +
          `(e.g. ${t.input}) is far from the tokenizer's count of what was sent ` +
          `(${t.tokenizer_input_sequence_length}); input_sequence_length is the server's ` +
          "figure, both are in records.jsonl (tokens.input, tokens.tokenizer_input_sequence_length)";
    }
  }
}
