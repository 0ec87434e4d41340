// The OpenAI payloads as pure functions: the request body a request becomes, and readers of
// what servers send back (texts, usage, errors) in the shapes of OpenAI, vLLM, SGLang, TGI,
// Ollama and OpenRouter. Nothing here does I/O or reads a clock.

import { oneLine } from "../_one_line.ts";
import type { EndpointRequest, EndpointUsage } from "../types.ts";
import type { OpenAISettings } from "./_openai_settings.ts";

/** The texts of one chat delta or message, or of one completion choice. */
export interface Parts {
  /** Content and tool-call names and arguments (tool calls count as output). */
  readonly output: string;
  /** `reasoning` (vLLM) or `reasoning_content` (DeepSeek, SGLang). */
  readonly reasoning: string;
}

/** The JSON body of one request to `model`. */
export function requestBody(
  s: OpenAISettings,
  request: Omit<EndpointRequest, "signal">,
  model: string,
): Record<string, unknown> {
  const body: Record<string, unknown> = { model };
  const history = request.history ?? [];
  const system = request.system === undefined ? [] : [request.system];
  if (s.kind === "chat") {
    body.messages = [
      ...system.map((content) => ({ role: "system", content })),
      ...history,
      { role: "user", content: userContent(request) },
    ];
  } else if (s.kind === "text") {
    // A completions route has no roles: the system prompt and the history are the text before.
    body.prompt = [...system, ...history.map((m) => m.content), request.prompt].join("\n");
  } else {
    body.input = request.batch === undefined ? request.prompt : [request.prompt, ...request.batch];
  }
  const maxTokens = request.maxTokens ?? s.maxTokens;
  if (maxTokens !== undefined && s.kind !== "embeddings") body.max_tokens = maxTokens;
  if (s.streaming) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  Object.assign(body, s.extraBody);
  return body;
}

// The user message's content: the prompt alone, or with media AIPerf's content parts (the text,
// then each image as an `image_url`, then each clip as an `input_audio`, then each video as a
// `video_url`, vLLM's and AIPerf's shape).
function userContent(request: Omit<EndpointRequest, "signal">): string | unknown[] {
  const images = request.images ?? [];
  const audios = request.audios ?? [];
  const videos = request.videos ?? [];
  if (images.length === 0 && audios.length === 0 && videos.length === 0) return request.prompt;
  return [
    ...(request.prompt === "" ? [] : [{ type: "text", text: request.prompt }]),
    ...images.map((url) => ({ type: "image_url", image_url: { url } })),
    ...audios.map((a) => ({
      type: "input_audio",
      input_audio: { data: a.data, format: a.format },
    })),
    ...videos.map((url) => ({ type: "video_url", video_url: { url } })),
  ];
}

/** True for a non-null object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** The `usage` of a body or a stream event, if it has one. */
export function usageOf(data: unknown): EndpointUsage | undefined {
  if (!isObject(data) || !isObject(data.usage)) return undefined;
  const u = data.usage;
  const details = u.completion_tokens_details;
  const reasoning = isObject(details) ? details.reasoning_tokens : undefined;
  return {
    ...(typeof u.completion_tokens === "number" ? { completion_tokens: u.completion_tokens } : {}),
    ...(typeof u.prompt_tokens === "number" ? { prompt_tokens: u.prompt_tokens } : {}),
    ...(typeof reasoning === "number" ? { reasoning_tokens: reasoning } : {}),
  };
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

// Content, reasoning (vLLM's `reasoning`, DeepSeek's and SGLang's `reasoning_content`) and
// tool-call arguments (names and arguments count as output) of one chat delta or message.
function chatParts(m: Record<string, unknown>): Parts {
  let output = str(m.content);
  if (Array.isArray(m.tool_calls)) {
    for (const call of m.tool_calls) {
      const fn = isObject(call) ? call.function : undefined;
      if (isObject(fn)) output += str(fn.name) + str(fn.arguments);
    }
  }
  return { output, reasoning: str(m.reasoning) || str(m.reasoning_content) };
}

/** One choice of a reply or stream event: its `index` and its texts, when it has any. */
export interface Choice {
  /** The choice's `index` (its position in `choices` when the server leaves it out). */
  readonly index: number;
  /** The texts, `undefined` when the choice carries no delta, message or text. */
  readonly parts: Parts | undefined;
}

/**
 * Every choice of a body or stream event: chat `delta`s (streamed) or `message`s (whole), or
 * completions `text`s. With `n` > 1 a server interleaves the choices of one stream by `index`.
 */
export function choicesOf(
  kind: "chat" | "text" | "embeddings",
  data: unknown,
  field: "delta" | "message",
): Choice[] {
  if (!isObject(data) || !Array.isArray(data.choices)) return [];
  return data.choices.map((choice: unknown, position): Choice => {
    if (!isObject(choice)) return { index: position, parts: undefined };
    const index = typeof choice.index === "number" ? choice.index : position;
    if (kind !== "chat") {
      const text = choice.text;
      return {
        index,
        parts: typeof text === "string" ? { output: text, reasoning: "" } : undefined,
      };
    }
    const m = choice[field];
    return { index, parts: isObject(m) ? chatParts(m) : undefined };
  });
}

/**
 * An error in a body or a stream event: OpenAI's, SGLang's and current vLLM's
 * {"error": {"message"}}, TGI's {"error": "...", "error_type"}, and older vLLM's ErrorResponse
 * {"object": "error", "message"}.
 */
export function errorOf(data: unknown): string | undefined {
  if (isObject(data) && data.object === "error") {
    return `Server error: ${typeof data.message === "string" ? data.message : oneLine(data)}`;
  }
  if (!isObject(data) || data.error === undefined || data.error === null) return undefined;
  const e = data.error;
  if (isObject(e) && typeof e.message === "string") return `Server error: ${e.message}`;
  return `Server error: ${oneLine(e)}`;
}

/** The one-line error of an HTTP status and its body, the server's message when it has one. */
export function httpError(status: number, text: string): string {
  let message = text.trim();
  try {
    const parsed: unknown = JSON.parse(text);
    if (isObject(parsed) && isObject(parsed.error) && typeof parsed.error.message === "string") {
      message = parsed.error.message;
    } else if (isObject(parsed) && typeof parsed.error === "string") {
      message = parsed.error; // TGI
    } else if (isObject(parsed) && typeof parsed.message === "string") {
      message = parsed.message; // vLLM's ErrorResponse
    } else if (isObject(parsed) && typeof parsed.detail === "string") {
      message = parsed.detail;
    }
  } catch {
    // not JSON: keep the text
  }
  return `HTTP ${status}` + (message ? `: ${message.slice(0, 200)}` : "");
}
