// The class every OpenAI endpoint is (chat, completions, embeddings, ...): they differ only in the
// route they speak, which each passes up; the request loop itself is in _openai_client.ts.

import type { Endpoint, EndpointRequest, EndpointResult } from "../types.ts";
import { sendOpenAI } from "./_openai_client.ts";
import { requestBody } from "./_openai_payloads.ts";
import {
  type OpenAIEndpointConfig,
  type OpenAIKind,
  type OpenAISettings,
  resolveOpenAISettings,
} from "./_openai_settings.ts";

/** An OpenAI-compatible endpoint for one route, its settings resolved once at creation. */
export class OpenAIEndpoint implements Endpoint {
  readonly #settings: OpenAISettings;

  /**
   * @param kind The route: `chat` (`/v1/chat/completions`), `text` (`/v1/completions`) or
   * `embeddings` (`/v1/embeddings`).
   * @param config `url`, `model`, `streaming`, `max_tokens`, `api_key`, `timeout_ms`, `extra_body`.
   * @throws {TypeError} When `url` is not an absolute http(s) URL.
   */
  constructor(kind: OpenAIKind, config: OpenAIEndpointConfig) {
    this.#settings = resolveOpenAISettings(kind, config);
  }

  /** The route's URL (`.../v1/chat/completions` or `.../v1/completions`). */
  get url(): string {
    return this.#settings.url;
  }

  /** Whether responses are streamed. */
  get streaming(): boolean {
    return this.#settings.streaming;
  }

  /** Sends one request and times it; never rejects. */
  send(request: EndpointRequest): Promise<EndpointResult> {
    return sendOpenAI(this.#settings, request);
  }

  /** The body `send` posts for `request`, asking for the first model (AIPerf's inputs.json). */
  payload(request: Omit<EndpointRequest, "signal">): Record<string, unknown> {
    return requestBody(this.#settings, request, this.#settings.models[0]!);
  }
}
