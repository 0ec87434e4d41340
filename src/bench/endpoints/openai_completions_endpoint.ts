import type { OpenAIEndpointConfig } from "./_openai_settings.ts";
import { OpenAIEndpoint } from "./_openai_endpoint.ts";

export type { OpenAIEndpointConfig } from "./_openai_settings.ts";

/**
 * The `openai_completions` endpoint: `POST /v1/completions` with the prompt as `prompt`,
 * streamed (with `stream_options.include_usage`) or whole.
 *
 * @example Time one text completion against the embedded server
 * ```ts
 * import { OpenAICompletionsEndpoint } from "./openai_completions_endpoint.ts";
 * import { startServer } from "../server/start_server.ts";
 *
 * const server = await startServer({ ttftMs: 5, itlMs: 1, outputTokens: 4 });
 * try {
 *   const endpoint = new OpenAICompletionsEndpoint({ url: server.url });
 *   const result = await endpoint.send({ prompt: "hi", signal: new AbortController().signal });
 *   if (result.usage?.completion_tokens !== 4 || result.error) throw new Error("unexpected result");
 * } finally {
 *   await server.close();
 * }
 * ```
 */
export class OpenAICompletionsEndpoint extends OpenAIEndpoint {
  /**
   * @param config `url`, `path`, `model`, `streaming`, `max_tokens`, `api_key`, `headers`,
   *   `timeout_ms`, `extra_body`.
   * @throws {TypeError} When `url` is not an absolute http(s) URL.
   */
  constructor(config: OpenAIEndpointConfig = {}) {
    super("text", config);
  }
}
