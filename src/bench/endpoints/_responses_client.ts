// OpenAI's Responses API (`POST /v1/responses`): the request body, and the reply read as typed
// events (`response.output_text.delta`, `response.reasoning_text.delta`,
// `response.reasoning_summary_text.delta`, `response.function_call_arguments.delta`, then
// `response.completed` with the usage; `error` or `response.failed` on failure) or as one body.

import { createParser } from "../_deps/eventsource_parser.ts";
import { oneLine } from "../_one_line.ts";
import { requestSignal } from "./_request_signal.ts";
import type { EndpointRequest, EndpointResult, EndpointUsage, ErrorKind } from "../types.ts";
import { failedRequest } from "./_fetch_error.ts";
import type { OpenAISettings } from "./_openai_settings.ts";

const OUTPUT_DELTAS = new Set([
  "response.output_text.delta",
  "response.function_call_arguments.delta",
]);
const REASONING_DELTAS = new Set([
  "response.reasoning_text.delta",
  "response.reasoning_summary_text.delta",
]);
const DONE = new Set(["response.completed", "response.incomplete"]);

/**
 * The body of one Responses request: the prompt as `input` (a message list with a history, or
 * with images or audio: then the user message's content is AIPerf's parts, `input_text`, each
 * image as `input_image` and each clip as `input_audio`).
 */
export function responsesBody(
  s: OpenAISettings,
  request: Omit<EndpointRequest, "signal">,
  model: string,
): Record<string, unknown> {
  const history = request.history ?? [];
  const content = inputParts(request);
  const body: Record<string, unknown> = {
    model,
    input: history.length === 0 && typeof content === "string"
      ? content
      : [...history, { role: "user", content }],
  };
  // AIPerf puts a system prompt in the top-level `instructions`.
  if (request.system !== undefined) body.instructions = request.system;
  const maxTokens = request.maxTokens ?? s.maxTokens;
  if (maxTokens !== undefined) body.max_output_tokens = maxTokens;
  if (s.streaming) body.stream = true;
  Object.assign(body, s.extraBody);
  return body;
}

// The user message's content: the prompt, or the Responses API's typed parts when it has media.
function inputParts(request: Omit<EndpointRequest, "signal">): string | unknown[] {
  const images = request.images ?? [];
  const audios = request.audios ?? [];
  if (images.length === 0 && audios.length === 0) return request.prompt;
  return [
    ...(request.prompt === "" ? [] : [{ type: "input_text", text: request.prompt }]),
    ...images.map((url) => ({ type: "input_image", image_url: url })),
    ...audios.map((a) => ({
      type: "input_audio",
      input_audio: { data: a.data, format: a.format },
    })),
  ];
}

/** Sends one Responses request and times it; never rejects. */
export async function sendResponses(
  s: OpenAISettings,
  request: EndpointRequest,
): Promise<EndpointResult> {
  const model = request.preflight ? s.models[0]! : s.models[s.nextModel()]!;
  const json = JSON.stringify(responsesBody(s, request, model));
  const guard = requestSignal(request.signal, s.timeoutMs);
  const signal = guard.signal;
  const start = performance.now();
  let status: number | undefined;
  try {
    const response = await fetch(s.url, { method: "POST", headers: s.headers, body: json, signal });
    status = response.status;
    if (!response.ok) {
      const text = oneLine(await response.text()).slice(0, 200);
      return {
        start,
        end: performance.now(),
        status,
        error: `HTTP ${status}: ${errorMessage(safeJson(text)) ?? text}`,
        errorKind: status === 429 ? "rate_limited" : "http",
      };
    }
    const type = response.headers.get("content-type") ?? "";
    if (!s.streaming || (/json/i.test(type) && !/event-stream/i.test(type))) {
      const data = safeJson(await response.text());
      return wholeResponse(data, start, performance.now(), status);
    }
    return await readEvents(response, start, status, signal, request.onFirstToken);
  } catch (error) {
    const cancelled = request.signal.aborted;
    const { timeoutMs, url } = s;
    return await failedRequest(error, {
      start,
      status,
      cancelled,
      timedOut: guard.timedOut(),
      timeoutMs,
      url,
    });
  } finally {
    guard.dispose();
  }
}

// A whole response object: its message and reasoning texts and its usage.
function wholeResponse(data: unknown, start: number, end: number, status: number): EndpointResult {
  const failed = errorMessage(data);
  if (failed !== undefined) return { start, end, status, error: failed, errorKind: "stream" };
  if (!isObject(data) || !Array.isArray(data.output)) {
    return { start, end, status, error: "Response has no output", errorKind: "response" };
  }
  let outputText = "";
  let reasoningText = "";
  for (const item of data.output) {
    if (!isObject(item)) continue;
    for (const part of [...list(item.content), ...list(item.summary)]) {
      if (!isObject(part) || typeof part.text !== "string") continue;
      if (item.type === "reasoning") reasoningText += part.text;
      else outputText += part.text;
    }
    if (item.type === "function_call" && typeof item.arguments === "string") {
      outputText += item.arguments;
    }
  }
  const usage = usageOf(data.usage);
  return {
    start,
    end,
    status,
    outputText,
    ...(reasoningText === "" ? {} : { reasoningText }),
    ...(usage === undefined ? {} : { usage }),
  };
}

// The typed event stream: one arrival time per network read, deltas as chunks.
async function readEvents(
  response: Response,
  start: number,
  status: number,
  signal: AbortSignal,
  onFirstToken?: () => void,
): Promise<EndpointResult> {
  const chunks: number[] = [];
  let firstOutputChunk: number | undefined;
  let reasoningChunks = 0;
  let outputText = "";
  let reasoningText = "";
  let usage: EndpointUsage | undefined;
  let done = false;
  let error: string | undefined;
  let errorKind: ErrorKind | undefined;
  let now = start;
  const onEvent = (data: string, event: string | undefined) => {
    const parsed = safeJson(data);
    const type = isObject(parsed) && typeof parsed.type === "string" ? parsed.type : event;
    if (!isObject(parsed)) {
      error ??= `Invalid JSON in stream: ${oneLine(data).slice(0, 80)}`;
      errorKind ??= "stream";
    } else if (type === "error" || type === "response.failed") {
      error ??= errorMessage(parsed) ?? `Server error: ${oneLine(data).slice(0, 120)}`;
      errorKind ??= "stream";
    } else if (OUTPUT_DELTAS.has(type ?? "") || REASONING_DELTAS.has(type ?? "")) {
      const delta = typeof parsed.delta === "string" ? parsed.delta : "";
      if (delta === "") return;
      chunks.push(now);
      if (chunks.length === 1) onFirstToken?.();
      if (OUTPUT_DELTAS.has(type!)) {
        firstOutputChunk ??= now;
        outputText += delta;
      } else {
        reasoningChunks++;
        reasoningText += delta;
      }
    } else if (DONE.has(type ?? "")) {
      done = true;
      usage = usageOf(isObject(parsed.response) ? parsed.response.usage : undefined);
    }
  };
  const parser = createParser({ onEvent: (m) => onEvent(m.data, m.event) });
  const body = response.body;
  if (body === null) {
    return { start, end: performance.now(), status, error: "Empty body", errorKind: "incomplete" };
  }
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const read = await reader.read();
      if (read.done) break;
      now = performance.now();
      parser.feed(decoder.decode(read.value, { stream: true }));
      if (done || error !== undefined) break;
    }
    if (!done) parser.feed("\n\n"); // a last event without its blank line still counts
  } catch (e) {
    if (signal.aborted) throw e;
    error ??= `Connection lost mid-stream: ${oneLine(e)}`;
    errorKind ??= "incomplete";
  } finally {
    void reader.cancel().catch(() => {});
  }
  if (!done && error === undefined) {
    error = "Stream ended without response.completed";
    errorKind = "incomplete";
  }
  return {
    start,
    end: performance.now(),
    status,
    chunks,
    reasoningChunks,
    outputText,
    ...(reasoningText === "" ? {} : { reasoningText }),
    ...(firstOutputChunk === undefined ? {} : { firstOutputChunk }),
    ...(usage === undefined ? {} : { usage }),
    ...(error === undefined ? {} : { error, errorKind: errorKind ?? "stream" }),
  };
}

// The Responses usage: input_tokens, output_tokens (reasoning included), their details.
function usageOf(u: unknown): EndpointUsage | undefined {
  if (!isObject(u)) return undefined;
  const details = isObject(u.output_tokens_details) ? u.output_tokens_details : {};
  const n = (v: unknown) => typeof v === "number" ? v : undefined;
  const out = n(u.output_tokens);
  const input = n(u.input_tokens);
  const reasoning = n(details.reasoning_tokens);
  return {
    ...(out === undefined ? {} : { completion_tokens: out }),
    ...(input === undefined ? {} : { prompt_tokens: input }),
    ...(reasoning === undefined ? {} : { reasoning_tokens: reasoning }),
  };
}

// An error in a body or an event: `{error: {message}}`, `{response: {error: {message}}}` or an
// `error` event's `{message}`.
function errorMessage(data: unknown): string | undefined {
  if (!isObject(data)) return undefined;
  const inner = isObject(data.response) ? data.response.error : data.error;
  if (isObject(inner) && typeof inner.message === "string") return inner.message;
  if (data.type === "error" && typeof data.message === "string") return data.message;
  return undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}
