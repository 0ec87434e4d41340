import type { TokenCounter } from "../tokens/load_tokenizer.ts";
import type {
  EndpointResult,
  PhaseName,
  RecordMetric,
  RecordTokens,
  RequestRecord,
  StreamCheck,
  TokenSource,
} from "../types.ts";

/** What a record is built from besides the endpoint's result. */
export interface RecordContext {
  readonly phase: PhaseName;
  /** The request's number in its phase. */
  readonly index: number;
  /** The phase start (`performance.now()`). */
  readonly phaseStart: number;
  /**
   * The text sent (a later turn's history and prompt), for counting input tokens with a
   * tokenizer.
   */
  readonly prompt: string;
  /** The conversation's number in its phase (default: `index`, a conversation of one turn). */
  readonly conversation?: number;
  /** The turn's position in its conversation (default 0). */
  readonly turn?: number;
  /** The conversation's id from the dataset file, if any. */
  readonly sessionId?: string;
  /** The `performance.now()` time the request's schedule gave it, if it had one. */
  readonly due?: number;
  /** The client tokenizer (`--tokenizer`), if any. */
  readonly tokenizer?: TokenCounter;
  /**
   * Without `tokenizer`: a tokenizer that counts what was sent to check `usage.prompt_tokens`,
   * used on the first `INPUT_CHECKS` requests of a phase only (counting every prompt would cost
   * the client time while it measures).
   */
  readonly inputTokenizer?: TokenCounter;
}

/** How many requests of a phase the `inputTokenizer` checks. */
export const INPUT_CHECKS = 32;

/**
 * Counts a request's tokens: the server's `usage` first; otherwise the tokenizer on the joined
 * output and reasoning texts (and on the prompt); otherwise the endpoint's own count; otherwise
 * the chunks (one token per chunk, flagged as `chunks`). Reasoning tokens come from
 * `usage.completion_tokens_details.reasoning_tokens` when reported, else from the tokenizer on the
 * reasoning text, else from the reasoning chunks; `usage.completion_tokens` includes them.
 *
 * `usage.completion_tokens` is not used when it cannot be right (docs/metrics-truth.md): below
 * the number of chunks that carried text (each carries at least one token), or summed over
 * several choices; the tokenizer (at least the chunk count) or the chunk count stands in, the
 * server's figure is kept as `usage_output_sequence_length`, and `checks` names the case. With
 * `usage.prompt_tokens` and a tokenizer (`inputTokenizer` when there is no `tokenizer`), what
 * was sent is counted too, and a count far from the server's is named in `checks`.
 */
export function countTokens(
  r: EndpointResult,
  prompt: string,
  tokenizer?: TokenCounter,
  inputTokenizer?: TokenCounter,
): RecordTokens {
  const checks: StreamCheck[] = [];
  if (r.thinkTags) checks.push("think_tags");
  const several = (r.choices ?? 1) > 1;
  if (several) checks.push("several_choices");
  const completion = r.usage?.completion_tokens;
  const textChunks = r.chunks?.length ?? 0;
  const below = completion !== undefined && !several && completion < textChunks;
  if (below) checks.push("usage_below_chunks");
  const output = completion !== undefined && !several && !below
    ? fromUsage(r, completion, tokenizer)
    : withoutUsage(r, tokenizer, below);
  const input = inputTokens(r, prompt, tokenizer ?? inputTokenizer);
  if (input.mismatch) checks.push("input_length_mismatch");
  const hasTexts = r.outputText !== undefined || r.reasoningText !== undefined;
  const checked = completion !== undefined && tokenizer !== undefined && hasTexts
    ? tokenizer.count(r.outputText ?? "") + tokenizer.count(r.reasoningText ?? "")
    : undefined;
  return {
    output: output.output,
    reasoning: output.reasoning,
    ...(input.input === undefined ? {} : { input: input.input }),
    output_source: output.outputSource,
    reasoning_source: output.reasoningSource,
    input_source: input.inputSource,
    ...(checked === undefined ? {} : { tokenizer_output_sequence_length: checked }),
    ...(completion !== undefined && (several || below)
      ? { usage_output_sequence_length: completion }
      : {}),
    ...(input.counted === undefined ? {} : { tokenizer_input_sequence_length: input.counted }),
    ...(checks.length === 0 ? {} : { checks }),
  };
}

interface OutputCount {
  output: number;
  reasoning: number;
  outputSource: TokenSource;
  reasoningSource: TokenSource;
}

// The server's usage.completion_tokens, reasoning included; the reasoning part from its
// details, else the tokenizer, else the reasoning chunks.
function fromUsage(r: EndpointResult, completion: number, tokenizer?: TokenCounter): OutputCount {
  let reasoning: number;
  let reasoningSource: TokenSource;
  if (r.usage?.reasoning_tokens !== undefined) {
    [reasoning, reasoningSource] = [r.usage.reasoning_tokens, "usage"];
  } else if (!r.reasoningText) {
    [reasoning, reasoningSource] = [0, "usage"];
  } else if (tokenizer !== undefined) {
    [reasoning, reasoningSource] = [tokenizer.count(r.reasoningText), "tokenizer"];
  } else {
    [reasoning, reasoningSource] = [r.reasoningChunks ?? 0, "chunks"];
  }
  reasoning = Math.min(reasoning, completion);
  return { output: completion - reasoning, reasoning, outputSource: "usage", reasoningSource };
}

// Without a usable usage: the tokenizer, else the endpoint's count, else the chunks. When usage
// was below the chunks, the tokenizer's counts are raised to the chunks they came in.
function withoutUsage(r: EndpointResult, tokenizer: TokenCounter | undefined, floor: boolean) {
  const chunkCount = r.chunks?.length ?? (r.outputText ? 1 : 0);
  const reasoningChunks = r.reasoningChunks ?? 0;
  const hasTexts = r.outputText !== undefined || r.reasoningText !== undefined;
  if (tokenizer !== undefined && hasTexts) {
    let output = tokenizer.count(r.outputText ?? "");
    let reasoning = tokenizer.count(r.reasoningText ?? "");
    if (floor) {
      output = Math.max(output, chunkCount - reasoningChunks);
      reasoning = Math.max(reasoning, reasoningChunks);
    }
    return { output, reasoning, outputSource: "tokenizer", reasoningSource: "tokenizer" } as const;
  }
  if (r.outputTokens !== undefined && !floor) {
    return {
      output: r.outputTokens,
      reasoning: 0,
      outputSource: "endpoint",
      reasoningSource: "endpoint",
    } as const;
  }
  return {
    output: chunkCount - reasoningChunks,
    reasoning: reasoningChunks,
    outputSource: "chunks",
    reasoningSource: "chunks",
  } as const;
}

// usage.prompt_tokens is far from a tokenizer's count of what was sent when they differ by more
// than MISMATCH_TOKENS and by more than a factor of MISMATCH_RATIO: a chat template adds a few
// dozen tokens, and two tokenizers of the same text rarely differ by a third.
const MISMATCH_TOKENS = 64;
const MISMATCH_RATIO = 2;

// The input count (usage, else the tokenizer, else the endpoint's) and, with usage and a
// tokenizer, the tokenizer's count and whether the two are far apart.
function inputTokens(r: EndpointResult, prompt: string, tokenizer?: TokenCounter) {
  const usage = r.usage?.prompt_tokens;
  if (usage !== undefined) {
    const counted = tokenizer?.count(prompt);
    const mismatch = counted !== undefined && Math.abs(usage - counted) > MISMATCH_TOKENS &&
      (usage * MISMATCH_RATIO < counted || usage > counted * MISMATCH_RATIO);
    return { input: usage, inputSource: "usage" as TokenSource, counted, mismatch };
  }
  const found = tokenizer !== undefined
    ? { input: tokenizer.count(prompt), inputSource: "tokenizer" as TokenSource }
    : r.inputTokens !== undefined
    ? { input: r.inputTokens, inputSource: "endpoint" as TokenSource }
    : { input: undefined, inputSource: "none" as TokenSource };
  return { ...found, counted: undefined, mismatch: false };
}

/**
 * Builds a request's record from what the endpoint measured: its token counts and AIPerf's
 * per-request metrics. `request_latency` ends at the last chunk that carried tokens (AIPerf's
 * last content response; the end of the response without chunks); `time_to_first_token` is the first chunk of any tokens (reasoning
 * included); `time_to_second_token` the gap from the first chunk to the second;
 * `time_to_first_output_token` the first non-reasoning chunk; `inter_token_latency` is
 * (request_latency − time_to_first_token) / (output_sequence_length − 1);
 * `inter_chunk_latency` the gaps between chunks; `output_sequence_length` the output plus
 * reasoning tokens. A failed request keeps its times and counts, and of the metrics only
 * `error_isl` (its input tokens, when known).
 *
 * @param r The endpoint's result.
 * @param context Phase, index, prompt, tokenizer.
 * @returns The record written to `records.jsonl`.
 *
 * @example
 * ```ts
 * import { buildRecord } from "./build_record.ts";
 *
 * const record = buildRecord(
 *   { start: 0, end: 100, chunks: [40, 60, 80, 100], usage: { completion_tokens: 4 } },
 *   { phase: "profiling", index: 0, phaseStart: 0, prompt: "hi" },
 * );
 * if (record.metrics.inter_token_latency?.value !== 20) throw new Error("wrong");
 * ```
 */
export function buildRecord(r: EndpointResult, context: RecordContext): RequestRecord {
  const inputTokenizer = context.index < INPUT_CHECKS ? context.inputTokenizer : undefined;
  const tokens = countTokens(r, context.prompt, context.tokenizer, inputTokenizer);
  const chunks = (r.chunks ?? []).map((t) => t - r.start);
  const metrics: Record<string, RecordMetric> = {};
  if (r.error === undefined) {
    const put = (name: string, value: number | readonly number[], unit: string) =>
      void (metrics[name] = { value, unit });
    // AIPerf's request_latency ends at the last response carrying content, not at the
    // stream's end ([DONE], or a usage-only chunk after the content).
    const latency = chunks.length > 0 ? chunks[chunks.length - 1]! : r.end - r.start;
    const osl = tokens.output + tokens.reasoning;
    put("request_latency", latency, "ms");
    const ttft = chunks[0];
    if (ttft !== undefined) {
      put("time_to_first_token", ttft, "ms");
      if (chunks[1] !== undefined) put("time_to_second_token", chunks[1] - ttft, "ms");
      if (r.firstOutputChunk !== undefined) {
        put("time_to_first_output_token", r.firstOutputChunk - r.start, "ms");
      }
      if (osl > 1) {
        const itl = (latency - ttft) / (osl - 1);
        put("inter_token_latency", itl, "ms");
        if (itl > 0) put("output_token_throughput_per_user", 1000 / itl, "tokens/sec/user");
      }
      if (chunks.length > 1) {
        put("inter_chunk_latency", chunks.slice(1).map((t, i) => t - chunks[i]!), "ms");
      }
    }
    put("output_sequence_length", osl, "tokens");
    put("output_token_count", tokens.output, "tokens");
    put("reasoning_token_count", tokens.reasoning, "tokens");
    if (tokens.input !== undefined) put("input_sequence_length", tokens.input, "tokens");
  } else if (tokens.input !== undefined) {
    // AIPerf's one metric of a failed request: the input it was sent.
    metrics.error_isl = { value: tokens.input, unit: "tokens" };
  }
  return {
    phase: context.phase,
    index: context.index,
    start_ms: r.start - context.phaseStart,
    conversation_index: context.conversation ?? context.index,
    turn_index: context.turn ?? 0,
    ...(context.sessionId === undefined ? {} : { session_id: context.sessionId }),
    ...(context.due === undefined ? {} : { send_delay_ms: Math.max(0, r.start - context.due) }),
    end_ms: r.end - context.phaseStart,
    chunks_ms: chunks,
    tokens,
    metrics,
    ...(r.status === undefined ? {} : { status: r.status }),
    ...(r.error === undefined ? {} : { error: r.error, error_kind: r.errorKind ?? "client" }),
  };
}
