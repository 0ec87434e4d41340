// What every route handler of the embedded server shares: the settings worked out once, the
// shutdown signal, the prompt counter and the request counter that drives injected faults.

import { DEFAULT_TOKENIZER, loadTokenizer, type TokenCounter } from "../tokens/load_tokenizer.ts";
import { errorResponse } from "./_openai_responses.ts";
import type { ServerSettings } from "./_server_settings.ts";
import { VllmMetrics } from "./_vllm_metrics.ts";

/** Shared state handed to every route handler. */
export interface ServerContext {
  readonly settings: ServerSettings;
  /** Aborts when the server closes (or crashes, with `crashAfter`). */
  readonly shutdown: AbortSignal;
  /** Prompt tokens of `text` in the bench's default tokenizer, as the client counts prompts. */
  countPromptTokens(text: string): Promise<number>;
  /**
   * Counts one billable request. Returns the injected failure to answer with (a crash or an
   * `errorEvery` 500), or undefined to serve the request.
   */
  admit(): Response | undefined;
  /** A fresh response id with `prefix` (`chatcmpl`, `cmpl`, ...). */
  nextId(prefix: string): string;
  /** Billable requests received so far. */
  readonly requestCount: number;
  /** What `/metrics` reports, under vLLM's names. */
  readonly metrics: VllmMetrics;
}

/** Creates the shared state; `shutdown` aborts to stop listening. */
export function createServerContext(
  settings: ServerSettings,
  shutdown: AbortController,
): ServerContext {
  let requestCount = 0;
  let sequence = 0;
  // usage.prompt_tokens in the bench's default tokenizer (cl100k_base), as the client counts
  // prompts. Loaded in the background (about 50 ms) so listening does not wait for it.
  const tokenizer: Promise<TokenCounter> = loadTokenizer(DEFAULT_TOKENIZER);
  tokenizer.catch(() => {});
  return {
    settings,
    shutdown: shutdown.signal,
    countPromptTokens: async (text) => (await tokenizer).count(text),
    admit() {
      requestCount++;
      if (requestCount > settings.crashAfter) {
        // Gone: stop listening and cut the open streams; later connections are refused.
        shutdown.abort();
        return errorResponse(503, "Server crashed", "server_error");
      }
      if (settings.errorEvery > 0 && requestCount % settings.errorEvery === 0) {
        return errorResponse(500, "Injected failure", "server_error");
      }
      return undefined;
    },
    nextId: (prefix) => `${prefix}-${++sequence}`,
    metrics: new VllmMetrics(settings.model),
    get requestCount() {
      return requestCount;
    },
  };
}
