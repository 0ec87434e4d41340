import type { Endpoint, EndpointRequest, EndpointResult } from "../types.ts";
import {
  type OpenAIEndpointConfig,
  type OpenAISettings,
  resolveOpenAISettings,
} from "./_openai_settings.ts";
import { responsesBody, sendResponses } from "./_responses_client.ts";

/**
 * The `openai_responses` endpoint: OpenAI's Responses API, `POST /v1/responses` with the prompt
 * as `input` (a message list when a conversation has history) and `max_output_tokens`. Streamed,
 * it reads the typed events: `response.output_text.delta` (and function-call argument deltas)
 * are output chunks, `response.reasoning_text.delta` and
 * `response.reasoning_summary_text.delta` reasoning chunks, `response.completed` (or
 * `response.incomplete`) ends the reply with its usage (`input_tokens`, `output_tokens`,
 * `output_tokens_details.reasoning_tokens`); an `error` or `response.failed` event is a failed
 * request, and a stream that ends without completing is `incomplete`.
 *
 * @example Time one response against the embedded server
 * ```ts
 * import { OpenAIResponsesEndpoint } from "./openai_responses_endpoint.ts";
 * import { startServer } from "../server/start_server.ts";
 *
 * const server = await startServer({ ttftMs: 5, itlMs: 1, outputTokens: 4 });
 * try {
 *   const endpoint = new OpenAIResponsesEndpoint({ url: server.url });
 *   const result = await endpoint.send({ prompt: "hi", signal: new AbortController().signal });
 *   if (result.usage?.completion_tokens !== 4 || result.error) throw new Error("unexpected");
 *   if (result.chunks?.length !== 4) throw new Error("one chunk per delta");
 * } finally {
 *   await server.close();
 * }
 * ```
 */
export class OpenAIResponsesEndpoint implements Endpoint {
  readonly #settings: OpenAISettings;

  /**
   * @param config As the other OpenAI endpoints' (`url`, `path`, `model`, `streaming`,
   * `max_tokens`, `api_key`, `headers`, `timeout_ms`, `extra_body`); the route defaults to
   * `/v1/responses`.
   * @throws {TypeError} When `url` is not an absolute http(s) URL.
   */
  constructor(config: OpenAIEndpointConfig = {}) {
    this.#settings = resolveOpenAISettings("chat", {
      ...config,
      path: config.path ?? "/v1/responses",
    });
  }

  /** The route's URL (`.../v1/responses`). */
  get url(): string {
    return this.#settings.url;
  }

  /** Whether responses are streamed. */
  get streaming(): boolean {
    return this.#settings.streaming;
  }

  /** Sends one request and times it; never rejects. */
  send(request: EndpointRequest): Promise<EndpointResult> {
    return sendResponses(this.#settings, request);
  }

  /** The body `send` posts for `request`, asking for the first model (AIPerf's inputs.json). */
  payload(request: Omit<EndpointRequest, "signal">): Record<string, unknown> {
    return responsesBody(this.#settings, request, this.#settings.models[0]!);
  }
}
