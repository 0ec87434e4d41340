import { errorResponse } from "./_openai_responses.ts";
import { completionsRoute } from "./_route_completions.ts";
import { embeddingsRoute } from "./_route_embeddings.ts";
import { metricsRoute } from "./_route_metrics.ts";
import { modelsRoute } from "./_route_models.ts";
import { rankingsRoute } from "./_route_rankings.ts";
import { responsesRoute } from "./_route_responses.ts";
import { createServerContext, type ServerContext } from "./_server_context.ts";
import { resolveServerSettings } from "./_server_settings.ts";

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

/** A route: its method and its handler, which gets the shared state and the arrival time. */
interface Route {
  readonly method: "GET" | "POST";
  handle(request: Request, context: ServerContext, arrived: number): Promise<Response> | Response;
}

/** Every path the server answers, one handler file each. */
const ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([
  ["/health", { method: "GET", handle: () => new Response("ok") }],
  ["/v1/models", { method: "GET", handle: modelsRoute }],
  ["/v1/chat/completions", { method: "POST", handle: completionsRoute("chat") }],
  ["/v1/completions", { method: "POST", handle: completionsRoute("text") }],
  ["/v1/embeddings", { method: "POST", handle: embeddingsRoute }],
  ["/metrics", { method: "GET", handle: metricsRoute }],
  ["/v1/responses", { method: "POST", handle: responsesRoute }],
  ["/v1/ranking", { method: "POST", handle: rankingsRoute("nim") }],
  ["/rerank", { method: "POST", handle: rankingsRoute("tei") }],
  ["/v2/rerank", { method: "POST", handle: rankingsRoute("cohere") }],
]);

/**
 * Starts an OpenAI-compatible server with deterministic timings: it answers
 * `/v1/chat/completions` and `/v1/completions` (streamed as server-sent events ending in
 * `data: [DONE]`, or whole), `/v1/responses` (OpenAI's Responses API: typed events ending in
 * `response.completed`, or one response object), `/v1/embeddings` and the rerank routes
 * `/v1/ranking` (NIM), `/rerank` (TEI) and `/v2/rerank` (Cohere) (after `ttftMs`),
 * `/v1/models` and `/health`,
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
  const shutdown = new AbortController();
  const context = createServerContext(resolveServerSettings(options), shutdown);
  const handler = (request: Request): Promise<Response> | Response => {
    const arrived = performance.now();
    const path = new URL(request.url).pathname.replace(/\/+$/, "");
    const route = ROUTES.get(path);
    if (route === undefined) return errorResponse(404, `Unknown path "${path}"`, "not_found");
    // /health answers any method, as before the split.
    if (route.method !== request.method && path !== "/health") {
      return errorResponse(405, "Method not allowed");
    }
    return route.handle(request, context, arrived);
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
      return context.requestCount;
    },
    async close() {
      shutdown.abort();
      await server.finished;
    },
  };
}
