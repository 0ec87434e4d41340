import { sleepUntil } from "../_sleep.ts";
import { DEFAULT_TOKENIZER, loadTokenizer, type TokenCounter } from "../tokens/load_tokenizer.ts";
import {
  chunk,
  completion,
  type CompletionKind,
  errorResponse,
  reasoningChunk,
  type ResponseHead,
  tokenText,
  usage,
  usageChunk,
} from "./_openai_responses.ts";

/** Options of the embedded OpenAI-compatible server. */
export interface ServerOptions {
  /** Interface to listen on; default `127.0.0.1`. */
  readonly hostname?: string;
  /** Port; default 0, a free port chosen by the system. */
  readonly port?: number;
  /** Milliseconds from receiving a request to its first output token; default 20. */
  readonly ttftMs?: number;
  /** Milliseconds between output tokens; default 2. */
  readonly itlMs?: number;
  /** Output tokens per response (fewer if the request's `max_tokens` is lower); default 32. */
  readonly outputTokens?: number;
  /** The model name `/v1/models` lists; requests may name any model. Default `plugmap-mock`. */
  readonly model?: string;
  /** When > 0, every `errorEvery`-th completion request fails with HTTP 500; default 0. */
  readonly errorEvery?: number;
  /** Reasoning tokens streamed before the output tokens (chat only); default 0. */
  readonly reasoningTokens?: number;
  /** The delta field reasoning goes in: `reasoning` (vLLM, default) or `reasoning_content`. */
  readonly reasoningField?: "reasoning" | "reasoning_content";
  /** Tokens per streamed chunk (a chunk never mixes reasoning and output); default 1. */
  readonly tokensPerChunk?: number;
  /** Report `usage` (streamed when `stream_options.include_usage` is set); default true. */
  readonly usage?: boolean;
  /**
   * When set, the server goes away after this many completion requests: the next one gets a
   * 503, it stops listening, open streams end without `data: [DONE]`, and later connections
   * are refused.
   */
  readonly crashAfter?: number;
}

/** A running embedded server. */
export interface RunningServer {
  /** The base URL, e.g. `http://127.0.0.1:43123`. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** Completion requests received so far. */
  readonly requestCount: number;
  /** Stops listening and ends open streams; resolves when the server is down. */
  close(): Promise<void>;
}

const encoder = new TextEncoder();
const DONE = encoder.encode("data: [DONE]\n\n");

/**
 * Starts an OpenAI-compatible server with deterministic timings: it answers
 * `/v1/chat/completions` and `/v1/completions` (streamed as server-sent events ending in
 * `data: [DONE]`, or whole), `/v1/embeddings` (after `ttftMs`), `/v1/models` and `/health`,
 * and reports `usage`, its `prompt_tokens` counted with cl100k_base (the bench's default
 * tokenizer, loaded in the background at start), as the client counts prompts.
 *
 * Token `i` (from 0) of a response is sent `ttftMs + i * itlMs` after the request arrived,
 * scheduled against that start so timer jitter does not accumulate. A response has
 * `min(max_tokens, outputTokens)` tokens, or exactly `max_tokens` with `ignore_eos: true`
 * (vLLM's extension). A streamed chat response starts with a role-only chunk at once, as real
 * servers do; usage comes last when `stream_options.include_usage` is set.
 *
 * @param options Timings, size and address.
 * @returns The running server; call `close()` to stop it.
 *
 * @example Ask the embedded server for a completion
 * ```ts
 * import { startServer } from "./start_server.ts";
 *
 * const server = await startServer({ ttftMs: 1, itlMs: 0, outputTokens: 3 });
 * try {
 *   const response = await fetch(`${server.url}/v1/completions`, {
 *     method: "POST",
 *     body: JSON.stringify({ model: "m", prompt: "hello" }),
 *   });
 *   const body = await response.json();
 *   if (body.usage.completion_tokens !== 3) throw new Error("unexpected length");
 * } finally {
 *   await server.close();
 * }
 * ```
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const ttftMs = nonNegative(options.ttftMs ?? 20, "ttftMs");
  const itlMs = nonNegative(options.itlMs ?? 2, "itlMs");
  const outputTokens = positiveInteger(options.outputTokens ?? 32, "outputTokens");
  const errorEvery = Math.floor(nonNegative(options.errorEvery ?? 0, "errorEvery"));
  const model = options.model ?? "plugmap-mock";
  const reasoningTokens = Math.floor(nonNegative(options.reasoningTokens ?? 0, "reasoningTokens"));
  const reasoningField = options.reasoningField ?? "reasoning";
  const perChunk = positiveInteger(options.tokensPerChunk ?? 1, "tokensPerChunk");
  const reportUsage = options.usage ?? true;
  const crashAfter = options.crashAfter === undefined
    ? Infinity
    : positiveInteger(options.crashAfter, "crashAfter");
  const shutdown = new AbortController();
  let requestCount = 0;
  let sequence = 0;
  // usage.prompt_tokens in the bench's default tokenizer (cl100k_base), as the client counts
  // prompts. Loaded in the background (about 50 ms) so listening does not wait for it.
  const tokenizer: Promise<TokenCounter> = loadTokenizer(DEFAULT_TOKENIZER);
  tokenizer.catch(() => {});
  const countPromptTokens = async (text: string) => (await tokenizer).count(text);

  const handler = async (request: Request): Promise<Response> => {
    const arrived = performance.now();
    const path = new URL(request.url).pathname.replace(/\/+$/, "");
    if (path === "/health") return new Response("ok");
    if (path === "/v1/models") {
      if (request.method !== "GET") return errorResponse(405, "Method not allowed");
      return Response.json({
        object: "list",
        data: [{ id: model, object: "model", created: 0, owned_by: "plugmap" }],
      });
    }
    const kind: CompletionKind | undefined = path === "/v1/chat/completions"
      ? "chat"
      : path === "/v1/completions"
      ? "text"
      : undefined;
    if (path === "/v1/embeddings") {
      if (request.method !== "POST") return errorResponse(405, "Method not allowed");
      return await embeddings(request, arrived);
    }
    if (kind === undefined) return errorResponse(404, `Unknown path "${path}"`, "not_found");
    if (request.method !== "POST") return errorResponse(405, "Method not allowed");

    let body: Record<string, unknown>;
    try {
      const parsed: unknown = await request.json();
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        return errorResponse(400, "The request body must be a JSON object");
      }
      body = parsed as Record<string, unknown>;
    } catch {
      return errorResponse(400, "The request body is not valid JSON");
    }
    const prompt = kind === "chat" ? chatPrompt(body.messages) : textPrompt(body.prompt);
    if (prompt === undefined) {
      return kind === "chat"
        ? errorResponse(
          400,
          '"messages" must be a non-empty array of messages',
          undefined,
          "messages",
        )
        : errorResponse(
          400,
          '"prompt" must be a string or an array of strings',
          undefined,
          "prompt",
        );
    }
    const maxTokens = body.max_completion_tokens ?? body.max_tokens;
    if (
      maxTokens !== undefined && maxTokens !== null &&
      !(typeof maxTokens === "number" && Number.isInteger(maxTokens) && maxTokens >= 1)
    ) {
      return errorResponse(400, '"max_tokens" must be a positive integer', undefined, "max_tokens");
    }
    requestCount++;
    if (requestCount > crashAfter) {
      // Gone: stop listening and cut the open streams; later connections are refused.
      shutdown.abort();
      return errorResponse(503, "Server crashed", "server_error");
    }
    if (errorEvery > 0 && requestCount % errorEvery === 0) {
      return errorResponse(500, "Injected failure", "server_error");
    }
    const limit = typeof maxTokens === "number" ? maxTokens : undefined;
    const length = body.ignore_eos === true && limit !== undefined
      ? limit
      : Math.min(limit ?? outputTokens, outputTokens);
    const finishReason = limit !== undefined && length >= limit ? "length" : "stop";
    const head: ResponseHead = {
      id: `${kind === "chat" ? "chatcmpl" : "cmpl"}-${++sequence}`,
      created: Math.floor(Date.now() / 1000),
      model: typeof body.model === "string" ? body.model : model,
    };
    const thinking = kind === "chat" ? reasoningTokens : 0;
    const total = thinking + length;
    const u = usage(await countPromptTokens(prompt), total, thinking);
    const tokenAt = (i: number) => arrived + ttftMs + i * itlMs;
    const textOf = (from: number, to: number) => {
      let text = "";
      for (let i = from; i < to; i++) text += tokenText(i < thinking ? i : i - thinking);
      return text;
    };

    if (body.stream !== true) {
      const reached = await sleepUntil(tokenAt(total - 1), shutdown.signal);
      if (!reached) return errorResponse(503, "Server shutting down", "server_error");
      const reasoning = thinking > 0
        ? { field: reasoningField, text: textOf(0, thinking) }
        : undefined;
      return new Response(
        completion(
          kind,
          head,
          textOf(thinking, total),
          finishReason,
          reportUsage ? u : undefined,
          reasoning,
        ),
        { headers: { "content-type": "application/json" } },
      );
    }

    const includeUsage = reportUsage && isObject(body.stream_options) &&
      body.stream_options.include_usage === true;
    const cancelled = new AbortController();
    // A client that goes away cancels the stream; request.signal is not used because it also
    // aborts after every successful response.
    const signal = AbortSignal.any([cancelled.signal, shutdown.signal]);
    // Chunk boundaries: every `perChunk` tokens, and where reasoning gives way to output.
    const ends: number[] = [];
    for (let i = 0; i < total;) {
      const limit = i < thinking ? thinking : total;
      i = Math.min(i + perChunk, limit);
      ends.push(i);
    }
    let next = kind === "chat" ? -1 : 0; // chunk index; -1: the role-only chunk comes first
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (next === -1) {
          controller.enqueue(sse(chunk(kind, head, "", null, true)));
          next = 0;
          return;
        }
        if (next < ends.length) {
          // A chunk is sent when its last token is due.
          if (!await sleepUntil(tokenAt(ends[next]! - 1), signal)) {
            // Cancelled by the client, or the server is closing: end without [DONE].
            if (!cancelled.signal.aborted) controller.close();
            return;
          }
          // Send every chunk that is due in one write: with itlMs 0 that is all of them.
          const now = performance.now();
          let text = "";
          do {
            const from = next === 0 ? 0 : ends[next - 1]!;
            const to = ends[next]!;
            const last = to === total;
            const piece = textOf(from, to);
            text += "data: " + (from < thinking
              ? reasoningChunk(head, reasoningField, piece)
              : chunk(kind, head, piece, last ? finishReason : null)) +
              "\n\n";
            next++;
          } while (next < ends.length && tokenAt(ends[next]! - 1) <= now);
          controller.enqueue(encoder.encode(text));
          return;
        }
        if (includeUsage) controller.enqueue(sse(usageChunk(kind, head, u)));
        controller.enqueue(DONE);
        controller.close();
      },
      cancel() {
        cancelled.abort();
      },
    });
    return new Response(stream, {
      headers: {
        "content-type": "text/event-stream",
        "cache-control": "no-cache",
      },
    });
  };

  // /v1/embeddings: one vector of 8 numbers per input, after ttftMs; usage counts tokens.
  const embeddings = async (request: Request, arrived: number): Promise<Response> => {
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return errorResponse(400, "The request body is not valid JSON");
    }
    const input = isObject(body) ? body.input : undefined;
    const inputs = typeof input === "string"
      ? [input]
      : Array.isArray(input) && input.length > 0 && input.every((i) => typeof i === "string")
      ? input as string[]
      : undefined;
    if (inputs === undefined) {
      return errorResponse(
        400,
        '"input" must be a string or a list of strings',
        undefined,
        "input",
      );
    }
    requestCount++;
    if (errorEvery > 0 && requestCount % errorEvery === 0) {
      return errorResponse(500, "Injected failure", "server_error");
    }
    if (!await sleepUntil(arrived + ttftMs, shutdown.signal)) {
      return errorResponse(503, "Server shutting down", "server_error");
    }
    let tokens = 0;
    for (const text of inputs) tokens += await countPromptTokens(text);
    return Response.json({
      object: "list",
      data: inputs.map((text, index) => ({
        object: "embedding",
        index,
        embedding: Array.from({ length: 8 }, (_, i) => ((text.length * 31 + i * 7) % 100) / 100),
      })),
      model: isObject(body) && typeof body.model === "string" ? body.model : model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  };

  const { promise: listening, resolve } = Promise.withResolvers<Deno.NetAddr>();
  const server = Deno.serve({
    hostname: options.hostname ?? "127.0.0.1",
    port: options.port ?? 0,
    signal: shutdown.signal,
    onListen: (addr) => resolve(addr as Deno.NetAddr),
  }, handler);
  const addr = await listening;
  const host = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
  return {
    url: `http://${host}:${addr.port}`,
    port: addr.port,
    get requestCount() {
      return requestCount;
    },
    async close() {
      shutdown.abort();
      await server.finished;
    },
  };
}

function sse(json: string): Uint8Array {
  return encoder.encode("data: " + json + "\n\n");
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function chatPrompt(messages: unknown): string | undefined {
  if (!Array.isArray(messages) || messages.length === 0) return undefined;
  const parts: string[] = [];
  for (const message of messages) {
    if (!isObject(message)) return undefined;
    const content = message.content;
    if (typeof content === "string") parts.push(content);
    else if (Array.isArray(content)) {
      for (const part of content) {
        if (isObject(part) && typeof part.text === "string") parts.push(part.text);
      }
    }
  }
  return parts.join("\n");
}

function textPrompt(prompt: unknown): string | undefined {
  if (typeof prompt === "string") return prompt;
  if (Array.isArray(prompt) && prompt.every((p) => typeof p === "string")) {
    return prompt.join("\n");
  }
  return undefined;
}

function nonNegative(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`Invalid server option "${name}": expected a number >= 0, got ${value}`);
  }
  return value;
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(
      `Invalid server option "${name}": expected a positive integer, got ${value}`,
    );
  }
  return value;
}
