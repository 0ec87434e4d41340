import { oneLine } from "../_one_line.ts";
import type { Endpoint, EndpointRequest, EndpointResult } from "../types.ts";
import { failedRequest } from "./_fetch_error.ts";
import {
  type OpenAIEndpointConfig,
  type OpenAISettings,
  resolveOpenAISettings,
} from "./_openai_settings.ts";

/** The rankings request shapes: NIM's (AIPerf's `rankings`), Hugging Face TEI's and Cohere's. */
export type RankingsShape = "nim" | "tei" | "cohere";

/** Configuration of {@linkcode RankingsEndpoint}: the OpenAI endpoints' and two more keys. */
export interface RankingsEndpointConfig extends OpenAIEndpointConfig {
  /** `nim` (default: `POST /v1/ranking`), `tei` (`POST /rerank`) or `cohere` (`POST /v2/rerank`). */
  readonly shape?: RankingsShape;
  /** How many passages each prompt is cut into (by words, in order); default 5. */
  readonly passages?: number;
}

const ROUTES: Record<RankingsShape, string> = {
  nim: "/v1/ranking",
  tei: "/rerank",
  cohere: "/v2/rerank",
};

/**
 * The `rankings` endpoint: a reranker. Each prompt becomes a query (its first sentence, or its
 * first words) and `passages` passages (the prompt cut into that many pieces by words), sent in
 * the shape the server speaks: NIM's `{model, query: {text}, passages: [{text}]}` answered with
 * `{rankings: [{index, logit}]}` (AIPerf's `rankings`), TEI's `{query, texts}` answered with
 * `[{index, score}]`, or Cohere's `{model, query, documents}` answered with `{results: [{index,
 * relevance_score}]}`. Never streamed; a reply without one ranking per passage is an error.
 *
 * @example Rank against the embedded server
 * ```ts
 * import { RankingsEndpoint } from "./rankings_endpoint.ts";
 * import { startServer } from "../server/start_server.ts";
 *
 * const server = await startServer({ ttftMs: 2 });
 * try {
 *   const endpoint = new RankingsEndpoint({ url: server.url, passages: 3 });
 *   const r = await endpoint.send({ prompt: "a b c d e f. g h", signal: new AbortController().signal });
 *   if (r.error !== undefined || r.outputTokens !== 0) throw new Error(r.error);
 * } finally {
 *   await server.close();
 * }
 * ```
 */
export class RankingsEndpoint implements Endpoint {
  readonly #settings: OpenAISettings;
  readonly #shape: RankingsShape;
  readonly #passages: number;

  /**
   * @param config The OpenAI endpoints' keys (`url`, `path`, `model`, `api_key`, `headers`,
   * `timeout_ms`, `extra_body`), `shape` and `passages`.
   * @throws {TypeError} For a bad `url`, `shape` or `passages`.
   */
  constructor(config: RankingsEndpointConfig = {}) {
    const shape = config.shape ?? "nim";
    if (!(shape in ROUTES)) {
      throw new TypeError(`Invalid rankings shape "${shape}": expected nim, tei or cohere`);
    }
    const passages = config.passages ?? 5;
    if (!Number.isInteger(passages) || passages < 1) {
      throw new TypeError(`Invalid rankings passages ${passages}: expected a positive integer`);
    }
    this.#shape = shape;
    this.#passages = passages;
    this.#settings = resolveOpenAISettings("embeddings", {
      ...config,
      path: config.path ?? ROUTES[shape],
    });
  }

  /** The route's URL. */
  get url(): string {
    return this.#settings.url;
  }

  /** Rankings are never streamed. */
  get streaming(): boolean {
    return false;
  }

  /** The body `send` posts for `request` (AIPerf's inputs.json). */
  payload(request: Omit<EndpointRequest, "signal">): Record<string, unknown> {
    return this.#body(request, this.#settings.models[0]!);
  }

  /** Sends one request and times it; never rejects. */
  async send(request: EndpointRequest): Promise<EndpointResult> {
    const s = this.#settings;
    const model = request.preflight ? s.models[0]! : s.models[s.nextModel()]!;
    const json = JSON.stringify(this.#body(request, model));
    const timeout = AbortSignal.timeout(s.timeoutMs);
    const signal = AbortSignal.any([request.signal, timeout]);
    const start = performance.now();
    let status: number | undefined;
    try {
      const response = await fetch(s.url, {
        method: "POST",
        headers: s.headers,
        body: json,
        signal,
      });
      status = response.status;
      const text = await response.text();
      const end = performance.now();
      if (!response.ok) {
        return {
          start,
          end,
          status,
          error: `HTTP ${status}: ${oneLine(text).slice(0, 200)}`,
          errorKind: status === 429 ? "rate_limited" : "http",
        };
      }
      const ranked = rankingsOf(text, this.#shape);
      const expected = this.#passagesOf(request).length;
      if (ranked !== expected) {
        return {
          start,
          end,
          status,
          error: `Expected ${expected} rankings, got ${ranked ?? "none"}`,
          errorKind: "response",
        };
      }
      // A ranking has no output tokens; the input is counted from usage or the tokenizer.
      return { start, end, status, outputTokens: 0 };
    } catch (error) {
      const cancelled = request.signal.aborted;
      const { timeoutMs, url } = s;
      return await failedRequest(error, {
        start,
        status,
        cancelled,
        timedOut: timeout.aborted,
        timeoutMs,
        url,
      });
    }
  }

  #body(request: Omit<EndpointRequest, "signal">, model: string): Record<string, unknown> {
    const passages = this.#passagesOf(request);
    // With passages of its own (AIPerf's rankings options), the prompt is the query.
    const query = request.passages === undefined ? queryOf(request.prompt) : request.prompt;
    const body: Record<string, unknown> = this.#shape === "nim"
      ? { model, query: { text: query }, passages: passages.map((text) => ({ text })) }
      : this.#shape === "tei"
      ? { query, texts: passages }
      : { model, query, documents: passages };
    return { ...body, ...this.#settings.extraBody };
  }

  // The request's own passages; with -b N, its N texts; else the prompt cut into `passages`
  // pieces of about equal word counts, in order.
  #passagesOf(request: Omit<EndpointRequest, "signal">): readonly string[] {
    if (request.passages !== undefined) return request.passages;
    if (request.batch !== undefined) return [request.prompt, ...request.batch];
    const prompt = request.prompt;
    const words = prompt.split(/\s+/).filter((w) => w !== "");
    const count = Math.max(1, Math.min(this.#passages, words.length));
    const size = Math.ceil(words.length / count);
    const out: string[] = [];
    for (let i = 0; i < words.length; i += size) out.push(words.slice(i, i + size).join(" "));
    return out.length === 0 ? [prompt] : out;
  }
}

// The query: the prompt's first sentence, at most 32 words.
function queryOf(prompt: string): string {
  const sentence = prompt.trim().split(/(?<=[.!?])\s/)[0] ?? prompt;
  return sentence.split(/\s+/).slice(0, 32).join(" ");
}

// How many rankings a reply holds, in the shape's layout; undefined when it is not that layout.
function rankingsOf(text: string, shape: RankingsShape): number | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  const list = shape === "tei"
    ? data
    : typeof data === "object" && data !== null
    ? (data as Record<string, unknown>)[shape === "nim" ? "rankings" : "results"]
    : undefined;
  if (!Array.isArray(list)) return undefined;
  const key = shape === "nim" ? "logit" : shape === "tei" ? "score" : "relevance_score";
  return list.every((r) => typeof r?.index === "number" && typeof r?.[key] === "number")
    ? list.length
    : undefined;
}
