import type { Endpoint, EndpointRequest, EndpointResult } from "../../../mod.ts";

/** The config of {@linkcode __Class__}, as its `config_schema` in registry.yaml declares it. */
export interface __Class__Config {
  /** The server's base URL. */
  readonly url: string;
  /** The model to ask for. */
  readonly model: string;
  /** Output tokens to ask for when the dataset entry does not say. */
  readonly max_tokens: number;
}

/**
 * The "__NAME__" endpoint: sends each prompt to an openai-style /v1/completions route, not streamed. The benchmark creates it
 * through its factory with `new __Class__(config, context)` when a benchmark file selects it.
 */
export class __Class__ implements Endpoint {
  /** The full URL requests go to. */
  readonly url: string;
  /** Responses are not streamed, so the host measures latency but no TTFT. */
  readonly streaming = false;
  readonly #config: __Class__Config;

  /** @param config The validated config (defaults applied). */
  constructor(config: __Class__Config) {
    this.url = new URL("v1/completions", config.url.replace(/\/*$/, "/")).href;
    this.#config = config;
  }

  /** Sends one request; never rejects: a failure is reported in `error`. */
  async send(request: EndpointRequest): Promise<EndpointResult> {
    const start = performance.now();
    try {
      const response = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          model: this.#config.model,
          prompt: request.prompt,
          max_tokens: request.maxTokens ?? this.#config.max_tokens,
        }),
        signal: request.signal,
      });
      if (!response.ok) {
        await response.body?.cancel();
        const end = performance.now();
        const error = `HTTP ${response.status}`;
        return { start, end, status: response.status, error, errorKind: "http" };
      }
      const body = await response.json();
      const usage = body.usage;
      return {
        start,
        end: performance.now(),
        status: response.status,
        outputText: String(body.choices?.[0]?.text ?? ""),
        ...(usage === undefined ? {} : {
          usage: { completion_tokens: usage.completion_tokens, prompt_tokens: usage.prompt_tokens },
        }),
      };
    } catch (error) {
      const end = performance.now();
      if (request.signal.aborted) return { start, end, cancelled: true, error: "cancelled" };
      return { start, end, error: (error as Error).message, errorKind: "connection" };
    }
  }
}
