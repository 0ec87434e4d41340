import type { OpenAIEndpointConfig } from "./_openai_settings.ts";
import { OpenAIEndpoint } from "./_openai_endpoint.ts";

export type { OpenAIEndpointConfig } from "./_openai_settings.ts";

/**
 * The `openai_chat` endpoint: `POST /v1/chat/completions` with the prompt as one user message,
 * streamed (with `stream_options.include_usage`) or whole.
 *
 * @example Time one chat completion against the embedded server
 * ```ts
 * import { OpenAIChatEndpoint } from "./openai_chat_endpoint.ts";
 * import { startServer } from "../server/start_server.ts";
 *
 * const server = await startServer({ ttftMs: 5, itlMs: 1, outputTokens: 4 });
 * try {
 *   const endpoint = new OpenAIChatEndpoint({ url: server.url });
 *   const result = await endpoint.send({ prompt: "hi", signal: new AbortController().signal });
 *   if (result.usage?.completion_tokens !== 4 || result.error) throw new Error("unexpected result");
 * } finally {
 *   await server.close();
 * }
 * ```
 */
export class OpenAIChatEndpoint extends OpenAIEndpoint {
  /**
   * @param config `url`, `path`, `model`, `streaming`, `max_tokens`, `api_key`, `headers`,
   *   `timeout_ms`, `extra_body`.
   * @throws {TypeError} When `url` is not an absolute http(s) URL.
   */
  constructor(config: OpenAIEndpointConfig = {}) {
    super("chat", config);
  }
}
