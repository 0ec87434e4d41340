// What AIPerf writes about a run's inputs: every conversation named (so per-request records
// and inputs.json correlate), the dataset as request bodies, and the settings in the layout of
// its `input_config`.

import type { BenchmarkSettings } from "../config/resolve_settings.ts";
import type {
  DatasetEntry,
  DatasetTurn,
  Endpoint,
  EndpointResult,
  InputSession,
} from "../types.ts";

/** Gives each entry without a `sessionId` the id `entry-<index>`. */
export function withSessionIds(entries: readonly DatasetEntry[]): readonly DatasetEntry[] {
  return entries.map((e, i) => e.sessionId === undefined ? { ...e, sessionId: `entry-${i}` } : e);
}

/** The dataset as the endpoint's request bodies, one session per entry, one body per turn. */
export function inputSessions(
  entries: readonly DatasetEntry[],
  endpoint: Endpoint,
): readonly InputSession[] {
  const body = (turn: DatasetTurn) => {
    const { prompt, system, maxTokens, batch, images, audios, videos, passages } = turn;
    const request = {
      prompt,
      ...(system === undefined ? {} : { system }),
      ...(maxTokens === undefined ? {} : { maxTokens }),
      ...(batch === undefined ? {} : { batch }),
      ...(images === undefined ? {} : { images }),
      ...(audios === undefined ? {} : { audios }),
      ...(videos === undefined ? {} : { videos }),
      ...(passages === undefined ? {} : { passages }),
    };
    return endpoint.payload?.(request) ??
      { prompt, ...(maxTokens === undefined ? {} : { max_tokens: maxTokens }) };
  };
  return entries.map((e, i) => ({
    session_id: e.sessionId ?? `entry-${i}`,
    payloads: [
      body(e),
      ...(e.turns ?? []).map(body),
    ],
  }));
}

/**
 * The settings in the layout of AIPerf's `input_config` (`endpoint`, `input`, `loadgen`,
 * `output`, `tokenizer`); keys AIPerf would print as null are left out, and so is the API key.
 */
export function inputConfig(
  settings: BenchmarkSettings,
  names: { readonly endpoint: string; readonly timing: string; readonly dataset: string },
): Record<string, unknown> {
  const e = settings.endpoint.config;
  const t = settings.timing.config;
  const d = settings.dataset.config;
  const p = settings.profiling;
  const type = { openai_chat: "chat", openai_completions: "completions" }[names.endpoint] ??
    names.endpoint.replace(/^openai_/, "");
  const models = typeof e.model === "string" ? e.model.split(",") : ["plugmap-mock"];
  const defined = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return {
    endpoint: defined({
      model_names: models,
      model_selection_strategy: e.model_selection ?? "round_robin",
      type,
      custom_endpoint: e.path,
      streaming: e.streaming ?? true,
      url: e.url,
      timeout_seconds: typeof e.timeout_ms === "number" ? e.timeout_ms / 1000 : 600,
    }),
    input: defined({
      dataset: names.dataset,
      file: d.path,
      random_seed: d.seed,
      prompt: defined({
        input_tokens: defined({ mean: d.input_tokens_mean, stddev: d.input_tokens_stddev }),
        output_tokens: defined({ mean: d.output_tokens_mean, stddev: d.output_tokens_stddev }),
        prefix_prompt: defined({ length: d.prefix_prompt_length, pool_size: d.num_prefix_prompts }),
      }),
    }),
    loadgen: defined({
      timing_mode: names.timing,
      concurrency: t.concurrency ?? t.max_concurrency,
      request_rate: t.request_rate,
      arrival_pattern: t.arrival,
      request_count: p.requestCount,
      conversation_num: p.conversationCount,
      benchmark_duration: p.durationMs === undefined ? undefined : p.durationMs / 1000,
      benchmark_grace_period: p.gracePeriodMs === undefined ? undefined : p.gracePeriodMs / 1000,
      warmup_request_count: settings.warmup?.requestCount ?? 0,
    }),
    output: defined({ artifact_directory: settings.output }),
    tokenizer: defined({ name: settings.tokenizer }),
  };
}

/** The endpoint with the token counts of `usage` dropped from its results, so a tokenizer counts. */
export function withoutUsageCounts(endpoint: Endpoint): Endpoint {
  const strip = (r: EndpointResult): EndpointResult => {
    if (r.usage === undefined) return r;
    const { usage: _usage, ...rest } = r;
    return rest;
  };
  return {
    get url() {
      return endpoint.url;
    },
    get streaming() {
      return endpoint.streaming;
    },
    send: async (request) => strip(await endpoint.send(request)),
    ...(endpoint.payload === undefined ? {} : { payload: (r) => endpoint.payload!(r) }),
  };
}
