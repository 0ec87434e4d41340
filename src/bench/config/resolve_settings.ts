import { cwdUrl } from "../_file_url.ts";
import { BenchConfigError } from "./bench_config_error.ts";
import { sendsMedia } from "../endpoints/media_sent.ts";
import { type BenchArgs, flagOf } from "./parse_bench_args.ts";
import type { LoadedBenchmarkFile } from "./load_benchmark_file.ts";
import { resolveDataset } from "./resolve_dataset.ts";
import { resolveEndpoint } from "./resolve_endpoint.ts";
import { resolvePhases } from "./resolve_phases.ts";
import { resolveServer } from "./resolve_server.ts";
import { resolveSweep } from "./resolve_sweep.ts";
import { resolveTiming } from "./resolve_timing.ts";
import { defaultOf } from "./settings_table.ts";
import type { BenchmarkFile } from "./benchmark_file.ts";
import type { BenchmarkSettings, SelectionSetting } from "./types.ts";
import { DEFAULTS } from "./_defaults.ts";
import { defined, locator } from "./_selection.ts";

export type {
  BenchmarkSettings,
  FlagConfig,
  PhaseSetting,
  ScheduleWindow,
  SelectionSetting,
  SweepSetting,
} from "./types.ts";

/**
 * Merges the defaults, the benchmark file and the flags (flags win) into the settings of a run,
 * one named step each: the endpoint, the timing, the dataset, the phase stops, the sweep and the
 * embedded server (`resolve_*.ts`).
 *
 * @param args The parsed flags.
 * @param loaded The benchmark file, if any.
 * @returns The settings.
 * @throws {BenchConfigError} When flags contradict each other or a phase has no stop condition.
 *
 * @example
 * ```ts
 * import { resolveSettings } from "./resolve_settings.ts";
 *
 * const settings = resolveSettings({ requestRate: 50, concurrency: 4 });
 * if (settings.timing.name !== "request_rate" || settings.timing.config.max_concurrency !== 4) {
 *   throw new Error("wrong");
 * }
 * ```
 */
export function resolveSettings(args: BenchArgs, loaded?: LoadedBenchmarkFile): BenchmarkSettings {
  const file = loaded?.file ?? {};
  const endpoint = resolveEndpoint(args, file);
  checkRankingsFlags(args, endpoint.name);
  const { timing, scheduleWindow } = resolveTiming(args, file);
  const { dataset, sampler, tokenizer } = resolveDataset(args, file);
  const { warmup, profiling } = resolvePhases(args, file, dataset.name, locator(loaded));
  const sweep = resolveSweep(args, timing.name);
  checkPrefill(args, endpoint);
  if (args.frozen && file.plugins?.map === undefined) {
    throw new BenchConfigError(
      "needs a benchmark file with a plugin map (plugins.map): the lock beside it is verified",
      { flag: "--frozen" },
    );
  }
  const output = args.output ?? file.output;
  return {
    ...(loaded === undefined ? {} : { file: loaded }),
    baseUrl: loaded?.url ?? cwdUrl(),
    endpoint,
    timing,
    dataset: syntheticCount(
      dataset,
      profiling.requestCount,
      profiling.conversationCount,
      mediaFlag(args, endpoint.name),
    ),
    sampler,
    hooks: (file.plugins?.phase_hooks ?? [])
      .map((s, i) => ({ name: s.name, config: s.config, field: `plugins.phase_hooks[${i}]` })),
    exporters: (file.exporters ?? DEFAULTS.exporters.map((name) => ({ name, config: {} })))
      .map((s, i) => ({
        name: s.name,
        config: exporterConfig(args, s.name, s.config),
        field: `exporters[${i}]`,
      })),
    ...defined("pluginMap", file.plugins?.map),
    ...defined("warmup", warmup),
    ...defined("warmupTiming", warmupTiming(args, file)),
    profiling,
    ...defined("output", output),
    embedded: endpoint.config.url === undefined,
    server: resolveServer(args, file),
    ...defined("sweep", sweep),
    ...defined("scheduleWindow", scheduleWindow),
    ...defined("progress", args.progress),
    ...defined("tokenizer", tokenizer),
    useServerTokenCount: args.useServerTokenCount ?? true,
    ...defined("cancellation", resolveCancellation(args)),
    ...defined("goodput", args.goodput),
    ...defined("percentiles", args.percentiles),
    workers: args.workers ?? defaultOf("workers"),
    preflight: args.preflight ?? defaultOf("preflight"),
    strict: args.strictPlugins ?? file.strict ?? false,
    ...(args.frozen ? { frozen: true } : {}),
    pluginLoadTimeoutMs: (args.pluginLoadTimeout ?? defaultOf("pluginLoadTimeout")) * 1000,
  };
}

// AIPerf's prefill concurrency: a slot frees at the first token, so it needs a stream; a ramp
// needs a limit; a limit above the requests in flight would never hold (AIPerf refuses it).
function checkPrefill(args: BenchArgs, endpoint: SelectionSetting): void {
  const { prefillConcurrency, warmupPrefillConcurrency } = args;
  if (args.prefillConcurrencyRampDuration !== undefined && prefillConcurrency === undefined) {
    throw new BenchConfigError("needs --prefill-concurrency", {
      flag: flagOf(args, "prefillConcurrencyRampDuration"),
    });
  }
  if (
    args.warmupPrefillConcurrencyRampDuration !== undefined &&
    (warmupPrefillConcurrency ?? prefillConcurrency) === undefined
  ) {
    throw new BenchConfigError("needs --warmup-prefill-concurrency or --prefill-concurrency", {
      flag: flagOf(args, "warmupPrefillConcurrencyRampDuration"),
    });
  }
  const given = prefillConcurrency !== undefined
    ? "prefillConcurrency"
    : warmupPrefillConcurrency !== undefined
    ? "warmupPrefillConcurrency"
    : undefined;
  if (given === undefined) return;
  const unstreamed = endpoint.config.streaming === false
    ? "--no-streaming was given"
    : NOT_STREAMED.includes(endpoint.name)
    ? `the ${endpoint.name} endpoint does not stream`
    : undefined;
  if (unstreamed !== undefined) {
    throw new BenchConfigError(
      `needs a streamed reply: a prefill slot frees at the first token (${unstreamed})`,
      { flag: flagOf(args, given) },
    );
  }
  const inFlight = args.sweep?.flag === "--concurrency"
    ? Math.min(...args.sweep.values)
    : args.concurrency;
  for (
    const [key, limit, cap] of [
      ["prefillConcurrency", prefillConcurrency, inFlight],
      ["warmupPrefillConcurrency", warmupPrefillConcurrency, args.warmupConcurrency ?? inFlight],
    ] as const
  ) {
    if (limit !== undefined && cap !== undefined && limit > cap) {
      throw new BenchConfigError(
        `${limit} is above the ${cap} requests in flight (--concurrency): it would never hold`,
        { flag: flagOf(args, key) },
      );
    }
  }
}

// Endpoints whose replies are never streamed.
const NOT_STREAMED = ["openai_embeddings", "rankings"];

// AIPerf's request cancellation: a rate, and a delay that needs it.
function resolveCancellation(
  args: BenchArgs,
): BenchmarkSettings["cancellation"] {
  if (args.requestCancellationRate === undefined) {
    if (args.requestCancellationDelay !== undefined) {
      throw new BenchConfigError("needs --request-cancellation-rate", {
        flag: flagOf(args, "requestCancellationDelay"),
      });
    }
    return undefined;
  }
  if (args.requestCancellationRate > 100) {
    throw new BenchConfigError(
      `expected a percent from 0 to 100, got "${args.requestCancellationRate}"`,
      { flag: flagOf(args, "requestCancellationRate") },
    );
  }
  return {
    ratePercent: args.requestCancellationRate,
    delayMs: (args.requestCancellationDelay ?? 0) * 1000,
    ...defined("seed", args.randomSeed),
  };
}

// Flags that configure an exporter: --per-phase the console's tables; AIPerf's
// --profile-export-prefix and --export-level its files.
function exporterConfig(
  args: BenchArgs,
  name: string,
  config: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  if (name === "console" && args.perPhase) return { ...config, per_phase: true };
  if (name !== "aiperf") return config;
  return {
    ...config,
    ...defined("prefix", args.profileExportPrefix),
    ...defined("export_level", args.exportLevel),
  };
}

// The flag that turns on images, audio or video (AIPerf's: both image means above 0, an audio
// length above 0, a video width and height above 0), if one does; only chat and Responses
// requests carry images and audio (as AIPerf's do), only chat requests videos (video_url parts).
function mediaFlag(args: BenchArgs, endpoint: string): string | undefined {
  const videos = (args.videoWidth ?? 0) > 0 && (args.videoHeight ?? 0) > 0;
  if (videos && !sendsMedia(endpoint, "videos")) {
    throw new BenchConfigError(
      `needs --endpoint-type chat: videos are sent as video_url content parts, got "${endpoint}"`,
      { flag: flagOf(args, "videoWidth") },
    );
  }
  const images = (args.imageWidthMean ?? 0) > 0 && (args.imageHeightMean ?? 0) > 0;
  const audio = (args.audioLengthMean ?? 0) > 0;
  const flag = videos
    ? flagOf(args, "videoWidth")
    : images
    ? flagOf(args, "imageWidthMean")
    : audio
    ? flagOf(args, "audioLengthMean")
    : undefined;
  if (
    flag !== undefined &&
    ((images && !sendsMedia(endpoint, "images")) || (audio && !sendsMedia(endpoint, "audio")))
  ) {
    throw new BenchConfigError(
      "needs --endpoint-type chat or responses: images and audio are sent as content parts, " +
        `got "${endpoint}"`,
      { flag },
    );
  }
  return flag;
}

// AIPerf's rankings options size queries and passages: only for a rankings endpoint, and not
// beside the prompt length options (AIPerf refuses that combination too).
function checkRankingsFlags(args: BenchArgs, endpoint: string): void {
  const keys = [
    "rankingsPassagesMean",
    "rankingsPassagesStddev",
    "rankingsPassagesPromptTokenMean",
    "rankingsPassagesPromptTokenStddev",
    "rankingsQueryPromptTokenMean",
    "rankingsQueryPromptTokenStddev",
  ] as const;
  const given = keys.find((k) => args[k] !== undefined);
  if (given === undefined) return;
  const flag = flagOf(args, given);
  if (endpoint !== "rankings") {
    throw new BenchConfigError(
      `needs a rankings --endpoint-type (rankings, nim_rankings, hf_tei_rankings, cohere_rankings), got "${endpoint}"`,
      { flag },
    );
  }
  for (const other of ["inputTokensMean", "inputTokensStddev"] as const) {
    if (args[other] !== undefined) {
      throw new BenchConfigError(
        `cannot be used with ${flagOf(args, other)}: the rankings options size the query and ` +
          "passages (as AIPerf refuses it)",
        { flag },
      );
    }
  }
}

// AIPerf's warmup load settings: the warmup's own timing strategy, chosen as the run's is with
// these flags in place of the run's; none (the run's) when no such flag is given.
function warmupTiming(args: BenchArgs, file: BenchmarkFile): SelectionSetting | undefined {
  const over = {
    ...defined("concurrency", args.warmupConcurrency),
    ...defined("requestRate", args.warmupRequestRate),
    ...defined("arrival", args.warmupArrival),
    ...defined("concurrencyRampDuration", args.warmupConcurrencyRampDuration),
    ...defined("requestRateRampDuration", args.warmupRequestRateRampDuration),
  };
  if (Object.keys(over).length === 0) return undefined;
  return { ...resolveTiming({ ...args, ...over }, file).timing, field: "timing_strategy (warmup)" };
}

// Synthetic prompts: one per profiling request (up to 2,000, generated before the run), so a
// prefix cache does not see the same 100 prompts again and again; with --conversation-num N,
// AIPerf's meaning: N unique conversations, each sent once. With images, audio or video, AIPerf's
// 100, or fewer when fewer requests are asked for (each entry carries its media, up to megabytes,
// all generated before the run: a 512x512 noise PNG takes tens of milliseconds, a 640x480 5 s
// VP9 video about a quarter of a second).
function syntheticCount(
  dataset: SelectionSetting,
  requests: number | undefined,
  conversations?: number,
  media?: string,
): SelectionSetting {
  if (dataset.name !== "synthetic" || dataset.config.count !== undefined) return dataset;
  const count = conversations ??
    (media === undefined
      ? Math.min(Math.max(requests ?? 2000, 100), 2000)
      : Math.min(requests ?? 100, 100));
  return { ...dataset, config: { ...dataset.config, count } };
}
