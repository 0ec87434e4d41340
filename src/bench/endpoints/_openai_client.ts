// The shared request loop of the two OpenAI endpoints: send, read the server-sent events as they
// arrive (parsed by eventsource-parser: comments, CR/LF/CRLF, multi-line data, `data:` with or
// without a space), and time every chunk that carries tokens. One `performance.now()` per
// network read: every event that arrived in the same read arrived at the same moment.

import { createParser } from "../_deps/eventsource_parser.ts";
import { oneLine } from "../_one_line.ts";
import { randomSource } from "../_random.ts";
import type { EndpointRequest, EndpointResult, EndpointUsage, ErrorKind } from "../types.ts";

/** The configuration both OpenAI endpoints accept (manifest keys, snake_case). */
export interface OpenAIEndpointConfig {
  /** The server's base URL (`http://host:port`, with or without `/v1`), or the full route. */
  readonly url?: string;
  /** The model to ask for; several (a list, or names separated by commas) share the requests. */
  readonly model?: string | readonly string[];
  /**
   * How several models share the requests (AIPerf's `--model-selection-strategy`):
   * `round_robin` (the nth request asks for model n mod count; the default) or `random`
   * (uniform).
   */
  readonly model_selection?: string;
  /** Seed of the `random` model selection (`--random-seed`); unseeded when absent. */
  readonly seed?: number;
  /**
   * The route instead of the OpenAI default (`--custom-endpoint`), appended to `url`
   * (a leading `v1/` is not repeated after a `url` ending in `/v1`).
   */
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
  /** The models requests ask for. */
  readonly models: readonly string[];
  /** The position of the next request's model (round robin or random). */
  readonly nextModel: () => number;
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
  // A custom route (AIPerf's --custom-endpoint) goes after the URL as given; a route that starts
  // with v1/ after a URL that ends with /v1 does not repeat it.
  const path = (config.path ?? "").replace(/^\/+/, "");
  const url = path !== ""
    ? (/^v1(\/|$)/.test(path) ? base.replace(/\/v1$/, "") : base) + "/" + path
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
  const selection = config.model_selection ?? "round_robin";
  let nextModel: () => number;
  if (selection === "round_robin") {
    let turn = 0;
    nextModel = () => turn++ % models.length;
  } else if (selection === "random") {
    const random = randomSource(config.seed);
    nextModel = () => Math.floor(random() * models.length);
  } else {
    throw new TypeError(
      `Invalid endpoint model_selection "${selection}": expected round_robin or random`,
    );
  }
  return {
    kind,
    url,
    models,
    nextModel,
    streaming: kind === "embeddings" ? false : config.streaming ?? true,
    maxTokens: config.max_tokens,
    timeoutMs: config.timeout_ms ?? 600_000,
    headers,
    extraBody: config.extra_body ?? {},
  };
}

/** The JSON body of one request to `model`. */
export function requestBody(
  s: OpenAISettings,
  request: Omit<EndpointRequest, "signal">,
  model: string,
): Record<string, unknown> {
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
  return body;
}

/** Sends one request and times it; never rejects. */
export async function sendOpenAI(
  s: OpenAISettings,
  request: EndpointRequest,
): Promise<EndpointResult> {
  const model = request.preflight ? s.models[0]! : s.models[s.nextModel()]!;
  const body = requestBody(s, request, model);
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
      // A 429 is the server refusing the load: the benchmark measures that, it does not wait
      // for the server's Retry-After and send again (nor does AIPerf); the error says so.
      const retryAfter = response.headers.get("retry-after");
      return {
        start,
        end: performance.now(),
        status,
        error: httpError(status, text) +
          (status !== 429
            ? ""
            : retryAfter === null
            ? " (rate limited; not retried)"
            : ` (rate limited; Retry-After: ${oneLine(retryAfter).slice(0, 40)}, not retried)`),
        errorKind: status === 429 ? "rate_limited" : "http",
      };
    }
    if (!s.streaming) {
      const data: unknown = await response.json();
      const end = performance.now();
      const apiError = errorOf(data);
      if (apiError !== undefined) {
        return { start, end, status, error: apiError, errorKind: "stream" };
      }
      if (s.kind === "embeddings") {
        if (!isObject(data) || !Array.isArray(data.data) || data.data.length === 0) {
          return { start, end, status, error: "Response has no embeddings", errorKind: "response" };
        }
        // An embedding has no output tokens; the input is counted from usage or the tokenizer.
        return { start, end, status, usage: { ...usageOf(data), completion_tokens: 0 } };
      }
      const texts: { output?: string; reasoning?: string } | undefined = s.kind === "chat"
        ? chatMessage(data)
        : { ...(textChoice(data) === undefined ? {} : { output: textChoice(data)! }) };
      const usage = usageOf(data);
      if (texts === undefined || (texts.output === undefined && texts.reasoning === undefined)) {
        if (usage === undefined) {
          return { start, end, status, error: "Response has no choices", errorKind: "response" };
        }
      }
      return {
        start,
        end,
        status,
        outputText: texts?.output ?? "",
        ...(texts?.reasoning ? { reasoningText: texts.reasoning } : {}),
        ...(usage === undefined ? {} : { usage }),
      };
    }
    // A server may answer a streamed request with one JSON body: an error with status 200
    // (gateways, overloaded servers) or the whole reply (a server that ignores "stream").
    const type = response.headers.get("content-type") ?? "";
    if (/json/i.test(type) && !/event-stream/i.test(type)) {
      const text = await response.text();
      const end = performance.now();
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch {
        return {
          start,
          end,
          status,
          error: `Invalid JSON body: ${oneLine(text).slice(0, 80)}`,
          errorKind: "response",
        };
      }
      const apiError = errorOf(data);
      if (apiError !== undefined) {
        return { start, end, status, error: apiError, errorKind: "stream" };
      }
      return {
        start,
        end,
        status,
        error: "Expected an event stream (text/event-stream), got one JSON body without an error",
        errorKind: "response",
      };
    }
    return await readStream(s.kind, response, start, status, signal);
  } catch (error) {
    const end = performance.now();
    if (request.signal.aborted) {
      return { start, end, cancelled: true, error: "Cancelled", ...st(status) };
    }
    if (timeout.aborted) {
      return {
        start,
        end,
        error: `Timed out after ${s.timeoutMs} ms`,
        errorKind: "timeout",
        ...st(status),
      };
    }
    const { kind, message } = /requests to port \d+ are blocked/i.test(oneLine(error))
      ? await blockedPort(s.url)
      : classifyFetchError(error, s.url);
    return { start, end, error: message, errorKind: kind, ...st(status) };
  }
}

/**
 * Names a failed `fetch` by its cause (Deno words them as "tcp connect error: Connection refused",
 * "dns error", "invalid peer certificate", ...), with the URL.
 */
export function classifyFetchError(error: unknown, url: string): {
  kind: ErrorKind;
  message: string;
} {
  let text = "";
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 5; depth++) {
    text += " " + (e instanceof Error ? e.message : String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  const t = text.toLowerCase();
  const kind: ErrorKind = /connection refused|econnrefused/.test(t)
    ? "connection_refused"
    : /dns error|failed to lookup|name or service not known|no address associated|enotfound|name resolution/
        .test(t)
    ? "dns"
    : /certificate|tls|ssl|handshake/.test(t)
    ? "tls"
    : "connection";
  const what = {
    connection_refused: "connection refused",
    dns: "host name not found (DNS)",
    tls: "TLS failure",
    connection: "connection failed",
  }[kind as "connection_refused" | "dns" | "tls" | "connection"];
  const detail = oneLine(error).slice(0, 300);
  return { kind, message: `${what}: ${url} (${detail})` };
}

const probes = new Map<string, Promise<{ kind: ErrorKind; message: string }>>();

/**
 * Names a port `fetch` refuses before connecting (the browsers' unsafe ports: 1, 7, 9, 6000,
 * ...): one TCP probe (once per host and port) tells a closed port, reported as connection
 * refused like any other, from a listening one the benchmark cannot use.
 */
function blockedPort(url: string): Promise<{ kind: ErrorKind; message: string }> {
  const { hostname, port } = new URL(url);
  const key = `${hostname}:${port}`;
  let probe = probes.get(key);
  if (probe === undefined) {
    probe = probePort(url, hostname.replace(/^\[|\]$/g, ""), Number(port));
    probes.set(key, probe);
  }
  return probe;
}

async function probePort(
  url: string,
  hostname: string,
  port: number,
): Promise<{ kind: ErrorKind; message: string }> {
  const blocked = `fetch refuses port ${port}, one of the ports browsers block as unsafe`;
  let outcome: "refused" | "open" | "unknown" = "unknown";
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const connecting = Deno.connect({ hostname, port });
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), 2000);
    });
    const conn = await Promise.race([connecting, timeout]);
    if (conn === undefined) connecting.then((c) => c.close(), () => {});
    else {
      conn.close();
      outcome = "open";
    }
  } catch (error) {
    if (error instanceof Deno.errors.ConnectionRefused) outcome = "refused";
  } finally {
    clearTimeout(timer);
  }
  if (outcome === "refused") {
    return {
      kind: "connection_refused",
      message: `connection refused: ${url} (nothing listens on port ${port}; ${blocked} ` +
        "anyway: serve on another port)",
    };
  }
  return {
    kind: "connection",
    message: `port blocked: ${url} (${blocked}` +
      (outcome === "open" ? "; a server listens there, but no request" : "; no request") +
      " can reach it: serve on another port)",
  };
}

async function readStream(
  kind: "chat" | "text" | "embeddings",
  response: Response,
  start: number,
  status: number,
  signal: AbortSignal,
): Promise<EndpointResult> {
  const body = response.body;
  if (body === null) {
    return { start, end: performance.now(), status, error: "Empty body", errorKind: "incomplete" };
  }
  const chunks: number[] = [];
  let firstOutputChunk: number | undefined;
  let reasoningChunks = 0;
  let outputText = "";
  let reasoningText = "";
  let usage: EndpointUsage | undefined;
  let done = false;
  let error: string | undefined;
  let errorKind: ErrorKind | undefined;
  // One performance.now() per network read: every event in the same read arrived together.
  let now = start;
  const onData = (data: string, event: string | undefined) => {
    if (data === "[DONE]") {
      done = true;
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      error ??= `Invalid JSON in stream: ${data.slice(0, 80)}`;
      errorKind ??= "stream";
      return;
    }
    const apiError = errorOf(parsed) ??
      (event === "error" ? `Server error: ${oneLine(data)}` : undefined);
    if (apiError !== undefined) {
      error ??= apiError;
      errorKind ??= "stream";
      return;
    }
    const delta = kind === "chat"
      ? chatDelta(parsed)
      : { output: textChoice(parsed) ?? "", reasoning: "" };
    if (delta !== undefined) {
      const hasOutput = delta.output.length > 0;
      const hasReasoning = delta.reasoning.length > 0;
      if (hasOutput || hasReasoning) {
        chunks.push(now);
        if (hasOutput) firstOutputChunk ??= now;
        else reasoningChunks++;
        outputText += delta.output;
        reasoningText += delta.reasoning;
      }
    }
    usage = usageOf(parsed) ?? usage;
  };
  const parser = createParser({
    onEvent: (message) => onData(message.data, message.event),
    onError: () => {
      // A malformed line: the maintained parser skips it, as browsers do.
    },
  });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const read = await reader.read();
      if (read.done) break;
      now = performance.now();
      parser.feed(decoder.decode(read.value, { stream: true }));
      if (done) break;
    }
    if (!done) parser.feed("\n\n"); // a last event without its blank line still counts
  } catch (e) {
    if (signal.aborted) throw e;
    error ??= `Connection lost mid-stream: ${oneLine(e)}`;
    errorKind ??= "incomplete";
  } finally {
    if (done) void reader.cancel().catch(() => {});
  }
  const end = performance.now();
  if (!done && error === undefined) {
    error = "Stream ended without data: [DONE]";
    errorKind = "incomplete";
  }
  return {
    start,
    end,
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function usageOf(data: unknown): EndpointUsage | undefined {
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

function firstChoice(data: unknown): Record<string, unknown> | undefined {
  if (!isObject(data) || !Array.isArray(data.choices)) return undefined;
  const choice: unknown = data.choices[0];
  return isObject(choice) ? choice : undefined;
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

// Content, reasoning (vLLM's `reasoning`, DeepSeek's and SGLang's `reasoning_content`) and
// tool-call arguments (names and arguments count as output) of one chat delta or message.
function chatParts(m: Record<string, unknown>): { output: string; reasoning: string } {
  let output = str(m.content);
  if (Array.isArray(m.tool_calls)) {
    for (const call of m.tool_calls) {
      const fn = isObject(call) ? call.function : undefined;
      if (isObject(fn)) output += str(fn.name) + str(fn.arguments);
    }
  }
  return { output, reasoning: str(m.reasoning) || str(m.reasoning_content) };
}

function chatDelta(data: unknown): { output: string; reasoning: string } | undefined {
  const delta = firstChoice(data)?.delta;
  return isObject(delta) ? chatParts(delta) : undefined;
}

function chatMessage(data: unknown): { output?: string; reasoning?: string } | undefined {
  const message = firstChoice(data)?.message;
  if (!isObject(message)) return undefined;
  const { output, reasoning } = chatParts(message);
  return { output, ...(reasoning ? { reasoning } : {}) };
}

function textChoice(data: unknown): string | undefined {
  const text = firstChoice(data)?.text;
  return typeof text === "string" ? text : undefined;
}

// An error in a body or a stream event: OpenAI's, SGLang's and current vLLM's
// {"error": {"message"}}, TGI's {"error": "...", "error_type"}, and older vLLM's ErrorResponse
// {"object": "error", "message"}.
function errorOf(data: unknown): string | undefined {
  if (isObject(data) && data.object === "error") {
    return `Server error: ${typeof data.message === "string" ? data.message : oneLine(data)}`;
  }
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

function st(status: number | undefined): { status?: number } {
  return status === undefined ? {} : { status };
}
