import { createParser } from "eventsource-parser";
import type { Endpoint, EndpointRequest, EndpointResult } from "@plugmap/plugmap/bench";

/** The config of {@linkcode TgiEndpoint}. */
export interface TgiEndpointConfig {
  /** The TGI server, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** Tokens to generate when the dataset entry does not say. */
  readonly max_new_tokens: number;
}

/** One event of TGI's `/generate_stream`. */
interface TgiEvent {
  readonly token?: { readonly text: string; readonly special: boolean };
  readonly generated_text?: string | null;
  readonly details?: { readonly generated_tokens?: number } | null;
  readonly error?: string;
}

/**
 * The `tgi` endpoint: Hugging Face Text Generation Inference's `POST /generate_stream`, which
 * streams one server-sent event per token (`data:{"token":{"text":..,"special":false},..}`) and
 * ends with an event that carries `generated_text` and `details.generated_tokens`. The host
 * computes TTFT and inter-token latency from the token arrival times (`chunks`).
 */
export class TgiEndpoint implements Endpoint {
  readonly url: string;
  readonly streaming = true;
  readonly #maxNewTokens: number;

  constructor(config: TgiEndpointConfig) {
    this.url = new URL("generate_stream", config.url.replace(/\/*$/, "/")).href;
    this.#maxNewTokens = config.max_new_tokens;
  }

  // Never rejects: every failure is a result with `error` and `errorKind`.
  async send(request: EndpointRequest): Promise<EndpointResult> {
    const start = performance.now();
    const chunks: number[] = [];
    let text = "";
    let generated: number | undefined;
    let done = false;
    let streamError: string | undefined;
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "text/event-stream",
        },
        body: JSON.stringify({
          inputs: request.prompt,
          parameters: {
            max_new_tokens: request.maxTokens ?? this.#maxNewTokens,
            details: true,
          },
        }),
        signal: request.signal,
      });
    } catch (error) {
      return this.#failed(start, request, error, "connection");
    }
    if (!response.ok) {
      const body = (await response.text().catch(() => "")).slice(0, 200);
      const error = `HTTP ${response.status}${body ? `: ${body}` : ""}`;
      return {
        start,
        end: performance.now(),
        status: response.status,
        error,
        errorKind: "http",
      };
    }
    const parser = createParser({
      onEvent: ({ data }) => {
        const now = performance.now();
        let event: TgiEvent;
        try {
          event = JSON.parse(data);
        } catch {
          streamError ??= `malformed event: ${data.slice(0, 80)}`;
          return;
        }
        if (event.error !== undefined) streamError ??= event.error;
        if (event.token !== undefined && !event.token.special) {
          chunks.push(now);
          text += event.token.text;
        }
        if (typeof event.generated_text === "string") {
          done = true;
          generated = event.details?.generated_tokens ?? undefined;
        }
      },
    });
    try {
      const decoder = new TextDecoder();
      for await (const bytes of response.body!) {
        parser.feed(decoder.decode(bytes, { stream: true }));
      }
    } catch (error) {
      return this.#failed(start, request, error, "connection", response.status);
    }
    const end = performance.now();
    const status = response.status;
    if (streamError !== undefined) {
      return { start, end, status, error: streamError, errorKind: "stream" };
    }
    if (!done) {
      return {
        start,
        end,
        status,
        error: "the stream ended before generated_text",
        errorKind: "incomplete",
      };
    }
    return {
      start,
      end,
      status,
      chunks,
      ...(chunks.length > 0 ? { firstOutputChunk: chunks[0]! } : {}),
      outputText: text,
      // TGI counts the tokens it generated; without details, every token event is one token.
      outputTokens: generated ?? chunks.length,
    };
  }

  #failed(
    start: number,
    request: EndpointRequest,
    error: unknown,
    errorKind: "connection",
    status?: number,
  ): EndpointResult {
    const end = performance.now();
    const base = { start, end, ...(status === undefined ? {} : { status }) };
    if (request.signal.aborted) {
      return { ...base, cancelled: true, error: "cancelled" };
    }
    return { ...base, error: (error as Error).message, errorKind };
  }
}
