// The shared request loop of the two OpenAI endpoints: send, read the server-sent events as they
// arrive, and time the first and last text. One `performance.now()` per network read: every
// event that arrived in the same read arrived at the same moment.

import { oneLine } from "../_one_line.ts";
import type { EndpointRequest, EndpointResult } from "../types.ts";

/** The configuration both OpenAI endpoints accept (manifest keys, snake_case). */
export interface OpenAIEndpointConfig {
  /** The server's base URL (`http://host:port`, with or without `/v1`), or the full route. */
  readonly url?: string;
  /** The model to ask for; several (a list, or names separated by commas) take turns. */
  readonly model?: string | readonly string[];
  /** The route instead of the OpenAI default (`--custom-endpoint`), appended to `url`. */
  readonly path?: string;
  /** Extra HTTP headers sent with every request (`-H "Name: value"`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Stream the response (measures TTFT and ITL). */
  readonly streaming?: boolean;
  /** Output tokens to ask for when the dataset entry does not say. */
  readonly max_tokens?: number;
  /** Sent as `Authorization: Bearer <api_key>` when set. */
  readonly api_key?: string;
  /** Give up a request after this many milliseconds. */
  readonly timeout_ms?: number;
  /** Extra fields merged into every request body (e.g. `{ ignore_eos: true }`). */
  readonly extra_body?: Readonly<Record<string, unknown>>;
}

/** Which OpenAI route an endpoint speaks. */
export type OpenAIKind = "chat" | "text" | "embeddings";

const ROUTES: Record<OpenAIKind, string> = {
  chat: "/chat/completions",
  text: "/completions",
  embeddings: "/embeddings",
};

/** Settings resolved once at creation. */
export interface OpenAISettings {
  readonly kind: OpenAIKind;
  readonly url: string;
  /** The models requests take in turn (round robin). */
  readonly models: readonly string[];
  /** The next model's position; shared by every request of the endpoint. */
  readonly turn: { next: number };
  readonly streaming: boolean;
  readonly maxTokens: number | undefined;
  readonly timeoutMs: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly extraBody: Readonly<Record<string, unknown>>;
}

/** Works out settings from the config, with defaults. */
export function resolveOpenAISettings(
  kind: OpenAIKind,
  config: OpenAIEndpointConfig,
): OpenAISettings {
  const route = ROUTES[kind];
  const base = (config.url ?? "http://127.0.0.1:8000").replace(/\/+$/, "");
  let parsed: URL;
  try {
    parsed = new URL(base);
  } catch {
    throw new TypeError(`Invalid endpoint url "${config.url}": not an absolute URL`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new TypeError(`Invalid endpoint url "${config.url}": expected http: or https:`);
  }
  const url = config.path !== undefined && config.path !== ""
    ? base + "/" + config.path.replace(/^\/+/, "")
    : base.endsWith(route)
    ? base
    : base.endsWith("/v1")
    ? base + route
    : base + "/v1" + route;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (config.api_key) headers.authorization = `Bearer ${config.api_key}`;
  for (const [name, value] of Object.entries(config.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  const model = config.model ?? "plugmap-mock";
  const models = (typeof model === "string" ? model.split(",") : [...model])
    .map((m) => m.trim()).filter((m) => m !== "");
  if (models.length === 0) throw new TypeError(`Invalid endpoint model "${model}": empty`);
  return {
    kind,
    url,
    models,
    turn: { next: 0 },
    streaming: kind === "embeddings" ? false : config.streaming ?? true,
    maxTokens: config.max_tokens,
    timeoutMs: config.timeout_ms ?? 600_000,
    headers,
    extraBody: config.extra_body ?? {},
  };
}

/** Sends one request and times it; never rejects. */
export async function sendOpenAI(
  s: OpenAISettings,
  request: EndpointRequest,
): Promise<EndpointResult> {
  const model = s.models[s.turn.next++ % s.models.length]!;
  const body: Record<string, unknown> = { model };
  const history = request.history ?? [];
  if (s.kind === "chat") {
    body.messages = [...history, { role: "user", content: request.prompt }];
  } else if (s.kind === "text") {
    // A completions route has no roles: the history is the text before the prompt.
    body.prompt = [...history.map((m) => m.content), request.prompt].join("\n");
  } else {
    body.input = request.prompt;
  }
  const maxTokens = request.maxTokens ?? s.maxTokens;
  if (maxTokens !== undefined && s.kind !== "embeddings") body.max_tokens = maxTokens;
  if (s.streaming) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  Object.assign(body, s.extraBody);
  const json = JSON.stringify(body);
  const timeout = AbortSignal.timeout(s.timeoutMs);
  const signal = AbortSignal.any([request.signal, timeout]);

  const start = performance.now();
  let status: number | undefined;
  try {
    const response = await fetch(s.url, { method: "POST", headers: s.headers, body: json, signal });
    status = response.status;
    if (!response.ok) {
      const text = await response.text();
      return {
        start,
        end: performance.now(),
        outputTokens: 0,
        status,
        error: httpError(status, text),
      };
    }
    if (!s.streaming) {
      const data: unknown = await response.json();
      const end = performance.now();
      const usage = usageOf(data);
      if (s.kind === "embeddings") {
        if (!isObject(data) || !Array.isArray(data.data) || data.data.length === 0) {
          return { start, end, outputTokens: 0, status, error: "Response has no embeddings" };
        }
        return withUsage({ start, end, outputTokens: 0, status }, { ...usage, completion: 0 }, 0);
      }
      const text = s.kind === "chat" ? chatMessage(data) : textChoice(data);
      if (text === undefined && usage === undefined) {
        return { start, end, outputTokens: 0, status, error: "Response has no choices" };
      }
      return withUsage(
        {
          start,
          end,
          outputTokens: 0,
          status,
          ...(text === undefined ? {} : { outputText: text }),
        },
        usage,
        text ? 1 : 0,
      );
    }
    return await readStream(s.kind, response, start, status);
  } catch (error) {
    const end = performance.now();
    if (request.signal.aborted) {
      return { start, end, outputTokens: 0, cancelled: true, error: "Cancelled", ...st(status) };
    }
    if (timeout.aborted) {
      return {
        start,
        end,
        outputTokens: 0,
        error: `Timed out after ${s.timeoutMs} ms`,
        ...st(status),
      };
    }
    return { start, end, outputTokens: 0, error: oneLine(error), ...st(status) };
  }
}

async function readStream(
  kind: "chat" | "text" | "embeddings",
  response: Response,
  start: number,
  status: number,
): Promise<EndpointResult> {
  const body = response.body;
  if (body === null) {
    return { start, end: performance.now(), outputTokens: 0, status, error: "Empty body" };
  }
  // A TextDecoder on the raw reader: cheaper per request than pipeThrough(TextDecoderStream).
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let firstToken: number | undefined;
  let lastToken: number | undefined;
  let textEvents = 0;
  let outputText = "";
  let usage: UsageFields | undefined;
  let done = false;
  let error: string | undefined;
  for (;;) {
    const read = await reader.read();
    if (read.done) break;
    const now = performance.now();
    buffer += decoder.decode(read.value, { stream: true });
    // Events end with a blank line; servers may use \r\n.
    for (let cut = eventEnd(buffer); cut !== undefined; cut = eventEnd(buffer)) {
      const event = buffer.slice(0, cut[0]);
      buffer = buffer.slice(cut[0] + cut[1]);
      const data = eventData(event);
      if (data === undefined) continue;
      if (data === "[DONE]") {
        done = true;
        continue;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(data);
      } catch {
        error = `Invalid JSON in stream: ${data.slice(0, 80)}`;
        continue;
      }
      const apiError = errorOf(parsed);
      if (apiError !== undefined) {
        error = apiError;
        continue;
      }
      const text = kind === "chat" ? chatDelta(parsed) : textChoice(parsed);
      if (text) {
        outputText += text;
        textEvents++;
        firstToken ??= now;
        lastToken = now;
      }
      usage = usageOf(parsed) ?? usage;
    }
    if (done) break;
  }
  const end = performance.now();
  if (!done && error === undefined) error = "Stream ended without data: [DONE]";
  const result: EndpointResult = {
    start,
    end,
    outputTokens: 0,
    status,
    outputText,
    ...(firstToken === undefined ? {} : { firstToken }),
    ...(lastToken === undefined ? {} : { lastToken }),
    ...(error === undefined ? {} : { error }),
  };
  return withUsage(result, usage, textEvents);
}

// Where the first event ends and how long its separator is.
function eventEnd(buffer: string): [number, number] | undefined {
  const lf = buffer.indexOf("\n\n");
  const crlf = buffer.indexOf("\r\n\r\n");
  if (lf === -1 && crlf === -1) return undefined;
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return [crlf, 4];
  return [lf, 2];
}

function eventData(event: string): string | undefined {
  let data: string | undefined;
  for (const line of event.split(/\r?\n/)) {
    if (!line.startsWith("data:")) continue;
    const value = line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5);
    data = data === undefined ? value : data + "\n" + value;
  }
  return data;
}

interface UsageFields {
  completion?: number;
  prompt?: number;
}

function withUsage(
  result: EndpointResult,
  usage: UsageFields | undefined,
  counted: number,
): EndpointResult {
  return {
    ...result,
    outputTokens: usage?.completion ?? counted,
    ...(usage?.prompt === undefined ? {} : { inputTokens: usage.prompt }),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function usageOf(data: unknown): UsageFields | undefined {
  if (!isObject(data) || !isObject(data.usage)) return undefined;
  const u = data.usage;
  const fields: UsageFields = {};
  if (typeof u.completion_tokens === "number") fields.completion = u.completion_tokens;
  if (typeof u.prompt_tokens === "number") fields.prompt = u.prompt_tokens;
  return fields;
}

function firstChoice(data: unknown): Record<string, unknown> | undefined {
  if (!isObject(data) || !Array.isArray(data.choices)) return undefined;
  const choice: unknown = data.choices[0];
  return isObject(choice) ? choice : undefined;
}

function chatDelta(data: unknown): string | undefined {
  const delta = firstChoice(data)?.delta;
  if (!isObject(delta)) return undefined;
  const content = delta.content ?? delta.reasoning_content;
  return typeof content === "string" ? content : undefined;
}

function chatMessage(data: unknown): string | undefined {
  const message = firstChoice(data)?.message;
  if (!isObject(message)) return undefined;
  return typeof message.content === "string" ? message.content : undefined;
}

function textChoice(data: unknown): string | undefined {
  const text = firstChoice(data)?.text;
  return typeof text === "string" ? text : undefined;
}

function errorOf(data: unknown): string | undefined {
  if (!isObject(data) || data.error === undefined || data.error === null) return undefined;
  const e = data.error;
  if (isObject(e) && typeof e.message === "string") return `Server error: ${e.message}`;
  return `Server error: ${oneLine(e)}`;
}

function httpError(status: number, text: string): string {
  let message = text.trim();
  try {
    const parsed: unknown = JSON.parse(text);
    if (isObject(parsed) && isObject(parsed.error) && typeof parsed.error.message === "string") {
      message = parsed.error.message;
    }
  } catch {
    // not JSON: keep the text
  }
  return `HTTP ${status}` + (message ? `: ${message.slice(0, 200)}` : "");
}

function st(status: number | undefined): { status?: number } {
  return status === undefined ? {} : { status };
}
