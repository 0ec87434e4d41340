// The OpenAI endpoints' configuration (manifest keys) and the settings worked out from it once,
// at creation: the route's URL, headers, models and how requests share them.

import { randomSource } from "../_random.ts";

/** The configuration the OpenAI endpoints accept (manifest keys, snake_case). */
export interface OpenAIEndpointConfig {
  /** The server's base URL (`http://host:port`, with or without `/v1`), or the full route. */
  readonly url?: string;
  /** The model to ask for; several (a list, or names separated by commas) share the requests. */
  readonly model?: string | readonly string[];
  /**
   * How several models share the requests (AIPerf's `--model-selection-strategy`):
   * `round_robin` (the nth request asks for model n mod count; the default) or `random`
   * (uniform).
   */
  readonly model_selection?: string;
  /** Seed of the `random` model selection (`--random-seed`); unseeded when absent. */
  readonly seed?: number;
  /**
   * The route instead of the OpenAI default (`--custom-endpoint`), appended to `url`
   * (a leading `v1/` is not repeated after a `url` ending in `/v1`).
   */
  readonly path?: string;
  /** Extra HTTP headers sent with every request (`-H "Name: value"`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Stream the response (measures TTFT and ITL). */
  readonly streaming?: boolean;
  /** Output tokens to ask for when the dataset entry does not say. */
  readonly max_tokens?: number;
  /** Sent as `Authorization: Bearer <api_key>` when set. */
  readonly api_key?: string;
  /** Give up a request after this many milliseconds. */
  readonly timeout_ms?: number;
  /** Extra fields merged into every request body (e.g. `{ ignore_eos: true }`). */
  readonly extra_body?: Readonly<Record<string, unknown>>;
  /**
   * Read `<think>…</think>` in the content as reasoning (default true; `--no-think-tags` turns
   * it off), for servers that run without a reasoning parser.
   */
  readonly think_tags?: boolean;
}

/** Which OpenAI route an endpoint speaks. */
export type OpenAIKind = "chat" | "text" | "embeddings";

const ROUTES: Record<OpenAIKind, string> = {
  chat: "/chat/completions",
  text: "/completions",
  embeddings: "/embeddings",
};

/** Settings resolved once at creation. */
export interface OpenAISettings {
  readonly kind: OpenAIKind;
  readonly url: string;
  /** The models requests ask for. */
  readonly models: readonly string[];
  /** The position of the next request's model (round robin or random). */
  readonly nextModel: () => number;
  readonly streaming: boolean;
  readonly maxTokens: number | undefined;
  readonly timeoutMs: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly extraBody: Readonly<Record<string, unknown>>;
  /** Whether `<think>…</think>` in the content is read as reasoning. */
  readonly thinkTags: boolean;
}

/** Works out settings from the config, with defaults. */
export function resolveOpenAISettings(
  kind: OpenAIKind,
  config: OpenAIEndpointConfig,
): OpenAISettings {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (config.api_key) headers.authorization = `Bearer ${config.api_key}`;
  for (const [name, value] of Object.entries(config.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }
  const { models, nextModel } = modelChoice(config);
  const extraBody = config.extra_body ?? {};
  refuseSeveralChoices(extraBody);
  return {
    kind,
    url: routeUrl(kind, config),
    models,
    nextModel,
    streaming: kind === "embeddings" ? false : config.streaming ?? true,
    maxTokens: config.max_tokens,
    timeoutMs: config.timeout_ms ?? 600_000,
    headers,
    extraBody,
    thinkTags: config.think_tags ?? true,
  };
}

// `n` > 1 asks for several sequences per request, interleaved in one stream. Every per-request
// metric (TTFT, ITL, OSL; AIPerf's definitions) describes one sequence, and `usage` sums them, so
// such a run would report numbers that are none of the sequences': refused before the run.
function refuseSeveralChoices(extraBody: Readonly<Record<string, unknown>>): void {
  const n = extraBody.n;
  if (n === undefined || n === null || n === 1) return;
  throw new TypeError(
    `Invalid endpoint extra_body "n": ${JSON.stringify(n)}: several choices per request ` +
      "(n > 1) are not measured (TTFT, ITL and OSL are per sequence, usage sums the choices); " +
      "send n separate requests instead (e.g. multiply --concurrency or --request-rate by n)",
  );
}

// The URL requests go to: the route after the base URL, or a custom route (AIPerf's
// --custom-endpoint) after the URL as given; a route that starts with v1/ after a URL that ends
// with /v1 does not repeat it.
function routeUrl(kind: OpenAIKind, config: OpenAIEndpointConfig): string {
  const route = ROUTES[kind];
  const base = (config.url ?? "http://127.0.0.1:8000").replace(/\/+$/, "");
  let parsed: URL;
  try {
    parsed = new URL(base);
  } catch {
    throw new TypeError(`Invalid endpoint url "${config.url}": not an absolute URL`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new TypeError(`Invalid endpoint url "${config.url}": expected http: or https:`);
  }
  const path = (config.path ?? "").replace(/^\/+/, "");
  return path !== ""
    ? (/^v1(\/|$)/.test(path) ? base.replace(/\/v1$/, "") : base) + "/" + path
    : base.endsWith(route)
    ? base
    : base.endsWith("/v1")
    ? base + route
    : base + "/v1" + route;
}

// The models requests ask for and the rule that picks the next one.
function modelChoice(
  config: OpenAIEndpointConfig,
): { models: readonly string[]; nextModel: () => number } {
  const model = config.model ?? "plugmap-mock";
  const models = (typeof model === "string" ? model.split(",") : [...model])
    .map((m) => m.trim()).filter((m) => m !== "");
  if (models.length === 0) throw new TypeError(`Invalid endpoint model "${model}": empty`);
  const selection = config.model_selection ?? "round_robin";
  if (selection === "round_robin") {
    let turn = 0;
    return { models, nextModel: () => turn++ % models.length };
  }
  if (selection === "random") {
    const random = randomSource(config.seed);
    return { models, nextModel: () => Math.floor(random() * models.length) };
  }
  throw new TypeError(
    `Invalid endpoint model_selection "${selection}": expected round_robin or random`,
  );
}
