import type { PhaseHook, PhaseStart, PhaseSummary } from "@plugmap/plugmap/bench";

/** Configuration of {@linkcode WebhookHook}. */
export interface WebhookConfig {
  /** Where to POST; required. */
  readonly url: string;
  /** Extra request headers. */
  readonly headers?: Readonly<Record<string, unknown>>;
  /** Also POST when a phase starts; default false. */
  readonly on_start?: boolean;
  /** Phases to report; default warmup and profiling. */
  readonly phases?: readonly unknown[];
  /** Give up a POST after this many milliseconds; default 10000. */
  readonly timeout_ms?: number;
}

/** The JSON body posted. */
export interface WebhookPayload {
  /** `phase_start` or `phase_complete`. */
  readonly event: "phase_start" | "phase_complete";
  /** The phase. */
  readonly phase: string;
  /** When it was sent, ISO 8601. */
  readonly sent_at: string;
  /** The phase start (for `phase_start`) or the phase summary with its statistics. */
  readonly data: PhaseStart | PhaseSummary;
}

/**
 * The `webhook` phase hook: POSTs `{ event, phase, sent_at, data }` as JSON to `url` when a
 * phase completes (`data` is the phase summary: counts, duration and statistics), and when it
 * starts if `on_start` is set. A failed POST (network error, timeout, non-2xx answer) throws,
 * so the benchmark reports it and goes on.
 *
 * @example
 * ```ts
 * import type { PhaseSummary } from "@plugmap/plugmap/bench";
 * import { WebhookHook } from "./webhook.ts";
 *
 * const received: unknown[] = [];
 * const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
 *   received.push(await req.json());
 *   return new Response(null, { status: 204 });
 * });
 * const hook = new WebhookHook({ url: `http://127.0.0.1:${server.addr.port}/hook` });
 * const summary: Partial<PhaseSummary> = { phase: "profiling", request_count: 3 };
 * await hook.onPhaseComplete(summary as PhaseSummary);
 * await server.shutdown();
 * if (received.length !== 1) throw new Error("nothing received");
 * ```
 */
export class WebhookHook implements PhaseHook {
  /** Where it POSTs. */
  readonly url: URL;
  readonly #headers: Record<string, string>;
  readonly #onStart: boolean;
  readonly #phases: ReadonlySet<string>;
  readonly #timeoutMs: number;

  /**
   * @param config `url` (required), `headers`, `on_start`, `phases`, `timeout_ms`.
   * @throws {TypeError} When `url` is not an http(s) URL or a header value is not a string.
   */
  constructor(config: WebhookConfig) {
    let url: URL;
    try {
      url = new URL(config.url);
    } catch {
      throw new TypeError(`Invalid "url": "${config.url}" is not an absolute URL`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new TypeError(`Invalid "url": expected http: or https:, got "${url.protocol}"`);
    }
    this.url = url;
    this.#headers = { "content-type": "application/json" };
    for (const [name, value] of Object.entries(config.headers ?? {})) {
      if (typeof value !== "string") {
        throw new TypeError(`Invalid "headers.${name}": expected a string`);
      }
      this.#headers[name.toLowerCase()] = value;
    }
    this.#onStart = config.on_start ?? false;
    this.#phases = new Set((config.phases ?? ["warmup", "profiling"]).map(String));
    this.#timeoutMs = config.timeout_ms ?? 10_000;
  }

  /** POSTs a `phase_start` event when `on_start` is set. */
  async onPhaseStart(start: PhaseStart): Promise<void> {
    if (this.#onStart && this.#phases.has(start.phase)) {
      await this.#post({ event: "phase_start", phase: start.phase, sent_at: now(), data: start });
    }
  }

  /** POSTs a `phase_complete` event with the phase summary. */
  async onPhaseComplete(summary: PhaseSummary): Promise<void> {
    if (!this.#phases.has(summary.phase)) return;
    await this.#post({
      event: "phase_complete",
      phase: summary.phase,
      sent_at: now(),
      data: summary,
    });
  }

  async #post(payload: WebhookPayload): Promise<void> {
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: "POST",
        headers: this.#headers,
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      throw new Error(
        `Webhook POST to ${this.url.origin} failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
    await response.body?.cancel();
    if (!response.ok) {
      throw new Error(`Webhook POST to ${this.url.origin} answered HTTP ${response.status}`);
    }
  }
}

function now(): string {
  return new Date().toISOString();
}
