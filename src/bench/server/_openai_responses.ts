// Builders for the JSON bodies an OpenAI-compatible server sends. Kept apart from the request
// loop so the shapes can be read in one place.

const WORDS = [
  "the",
  "quick",
  "brown",
  "fox",
  "jumps",
  "over",
  "a",
  "lazy",
  "dog",
  "while",
  "plugins",
  "load",
  "only",
  "when",
  "asked",
  "for",
];

/** Returns the text of output token `i` (deterministic, one word per token). */
export function tokenText(i: number): string {
  return " " + (WORDS[i % WORDS.length] ?? "x");
}

/** The kind of completion a request asked for. */
export type CompletionKind = "chat" | "text";

/** Usage, as OpenAI reports it. */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  completion_tokens_details?: { reasoning_tokens: number };
}

/** Builds a usage object; reasoning tokens are part of the completion tokens, as in OpenAI's. */
export function usage(promptTokens: number, completionTokens: number, reasoning = 0): Usage {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    ...(reasoning > 0 ? { completion_tokens_details: { reasoning_tokens: reasoning } } : {}),
  };
}

/** A streamed chat chunk carrying reasoning text in `field` (`reasoning` or `reasoning_content`). */
export function reasoningChunk(head: ResponseHead, field: string, text: string): string {
  return envelope(head, "chat.completion.chunk", [
    { index: 0, delta: { [field]: text }, logprobs: null, finish_reason: null },
  ]);
}

/** The fixed part of every chunk or response of one request. */
export interface ResponseHead {
  id: string;
  created: number;
  model: string;
}

/** A streamed chunk carrying `text` (or only a role / finish reason). */
export function chunk(
  kind: CompletionKind,
  head: ResponseHead,
  text: string | undefined,
  finishReason: string | null,
  role = false,
): string {
  if (kind === "chat") {
    const delta: Record<string, string> = {};
    if (role) delta.role = "assistant";
    if (text !== undefined) delta.content = text;
    return envelope(head, "chat.completion.chunk", [
      { index: 0, delta, logprobs: null, finish_reason: finishReason },
    ]);
  }
  return envelope(head, "text_completion", [
    { index: 0, text: text ?? "", logprobs: null, finish_reason: finishReason },
  ]);
}

/** The last streamed chunk when `stream_options.include_usage` is set: no choices, usage. */
export function usageChunk(kind: CompletionKind, head: ResponseHead, u: Usage): string {
  return envelope(head, kind === "chat" ? "chat.completion.chunk" : "text_completion", [], u);
}

/** A whole (non-streamed) response. */
export function completion(
  kind: CompletionKind,
  head: ResponseHead,
  text: string,
  finishReason: string,
  u: Usage | undefined,
  reasoning?: { field: string; text: string },
): string {
  if (kind === "chat") {
    return envelope(head, "chat.completion", [{
      index: 0,
      message: {
        role: "assistant",
        content: text,
        refusal: null,
        ...(reasoning === undefined ? {} : { [reasoning.field]: reasoning.text }),
      },
      logprobs: null,
      finish_reason: finishReason,
    }], u);
  }
  return envelope(head, "text_completion", [
    { index: 0, text, logprobs: null, finish_reason: finishReason },
  ], u);
}

// The body every chunk and response shares, keys in OpenAI's order. JSON.stringify leaves
// `usage` out when it is undefined, as chunks before the last have none.
function envelope(head: ResponseHead, object: string, choices: unknown[], usage?: Usage): string {
  return JSON.stringify({
    id: head.id,
    object,
    created: head.created,
    model: head.model,
    choices,
    usage,
  });
}

/** An OpenAI-style error response. */
export function errorResponse(
  status: number,
  message: string,
  type = "invalid_request_error",
  param: string | null = null,
): Response {
  return new Response(
    JSON.stringify({ error: { message, type, param, code: null } }),
    { status, headers: { "content-type": "application/json" } },
  );
}
