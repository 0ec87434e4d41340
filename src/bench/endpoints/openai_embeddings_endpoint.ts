import type { OpenAIEndpointConfig } from "./_openai_settings.ts";
import { OpenAIEndpoint } from "./_openai_endpoint.ts";

export type { OpenAIEndpointConfig } from "./_openai_settings.ts";

/**
 * The `openai_embeddings` endpoint (`--endpoint-type embeddings`): `POST /v1/embeddings` with
 * the prompt as `input`, never streamed; the request latency and the server's
 * `usage.prompt_tokens` are measured.
 *
 * @example Time one embedding against the embedded server
 * ```ts
 * import { OpenAIEmbeddingsEndpoint } from "./openai_embeddings_endpoint.ts";
 * import { startServer } from "../server/start_server.ts";
 *
 * const server = await startServer({ ttftMs: 1 });
 * try {
 *   const endpoint = new OpenAIEmbeddingsEndpoint({ url: server.url });
 *   const result = await endpoint.send({ prompt: "a b c", signal: new AbortController().signal });
 *   if (result.error || result.usage?.prompt_tokens !== 3) throw new Error(JSON.stringify(result));
 * } finally {
 *   await server.close();
 * }
 * ```
 */
export class OpenAIEmbeddingsEndpoint extends OpenAIEndpoint {
  /**
   * @param config `url`, `model`, `path`, `headers`, `api_key`, `timeout_ms`, `extra_body`.
   * @throws {TypeError} When `url` is not an absolute http(s) URL.
   */
  constructor(config: OpenAIEndpointConfig = {}) {
    super("embeddings", config);
  }
}
