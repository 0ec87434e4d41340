import { parseArgs } from "node:util";
import { flagError } from "../_flag_error.ts";
import { parseGoodput, type Slo } from "../metrics/parse_goodput.ts";
import { BenchConfigError } from "./bench_config_error.ts";

/** AIPerf's `--endpoint-type` values and the endpoint implementations they select. */
export const ENDPOINT_TYPES: Readonly<Record<string, string>> = {
  chat: "openai_chat",
  completions: "openai_completions",
  embeddings: "openai_embeddings",
};

/** The command line of `deno task bench`, parsed and typed. Absent flags are absent keys. */
export interface BenchArgs {
  readonly help?: boolean;
  readonly config?: string;
  readonly url?: string;
  readonly model?: string;
  readonly endpoint?: string;
  readonly concurrency?: number;
  readonly requestRate?: number;
  readonly arrival?: "constant" | "poisson" | "gamma";
  readonly arrivalSmoothness?: number;
  readonly concurrencyRampDuration?: number;
  readonly requestRateRampDuration?: number;
  readonly inputFile?: string;
  readonly customDatasetType?: string;
  readonly fixedSchedule?: boolean;
  readonly fixedScheduleAutoOffset?: boolean;
  /** `--fixed-schedule-start-offset`: ms; entries before it are not sent, times count from it. */
  readonly fixedScheduleStartOffset?: number;
  /** `--fixed-schedule-end-offset`: ms; entries after it are not sent. */
  readonly fixedScheduleEndOffset?: number;
  /** `--benchmark-grace-period`: seconds requests in flight get after the duration. */
  readonly gracePeriod?: number;
  /** `--model-selection-strategy`: how several models share the requests. */
  readonly modelSelection?: "round_robin" | "random";
  /** `--tokenizer-revision`: the branch, tag or commit of a Hugging Face tokenizer. */
  readonly tokenizerRevision?: string;
  /** `--log-level` (or -v debug, -vv trace): accepted for AIPerf command lines; no effect. */
  readonly logLevel?: string;
  readonly inputTokensMean?: number;
  readonly inputTokensStddev?: number;
  readonly outputTokensMean?: number;
  readonly outputTokensStddev?: number;
  readonly prefixPromptLength?: number;
  readonly numPrefixPrompts?: number;
  readonly blockSize?: number;
  readonly numDatasetEntries?: number;
  readonly conversationNum?: number;
  readonly randomSeed?: number;
  readonly requestCount?: number;
  readonly duration?: number;
  readonly warmupRequestCount?: number;
  readonly streaming?: boolean;
  readonly output?: string;
  readonly ttftMs?: number;
  readonly itlMs?: number;
  readonly outputTokens?: number;
  readonly progress?: boolean;
  /** A custom route (`--custom-endpoint`, or `--endpoint` with a "/"). */
  readonly endpointPath?: string;
  readonly apiKey?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly extraInputs?: Readonly<Record<string, unknown>>;
  readonly requestTimeoutSeconds?: number;
  readonly tokenizer?: string;
  readonly goodput?: readonly Slo[];
  readonly percentiles?: readonly number[];
  readonly workers?: number;
  readonly preflight?: boolean;
  readonly reasoningTokens?: number;
  readonly reasoningField?: "reasoning" | "reasoning_content";
  readonly tokensPerChunk?: number;
  readonly usage?: boolean;
  readonly errorEvery?: number;
  readonly crashAfter?: number;
  /** `--concurrency 1,2,4` or `--request-rate 5,10`: one profiling phase per value. */
  readonly sweep?: SweepArgs;
  /** `--sweep-max-error-rate`: a sweep stops after a value whose error rate is above it. */
  readonly sweepMaxErrorRate?: number;
  /** `--per-phase`: the console prints one metrics table per phase. */
  readonly perPhase?: boolean;
  /** Every plugin diagnostic and every hook failure fails the run (`--strict-plugins`). */
  readonly strictPlugins?: boolean;
}

/** A swept flag and its values, in the order given. */
export interface SweepArgs {
  readonly flag: "--concurrency" | "--request-rate";
  readonly values: readonly number[];
}

/** The `--help` text of `deno task bench`. */
export const BENCH_HELP = `Usage: deno task bench [options]

Benchmarks an OpenAI-compatible LLM server. Without --url (and no url in the
benchmark file) it starts an embedded server on 127.0.0.1 and benchmarks that.

Options (AIPerf's names; the older names in parentheses still work):
  --config FILE                 YAML benchmark file (see examples/benchmark.yaml);
                                flags override it
  -u, --url URL                 server base URL, e.g. http://127.0.0.1:8000
  -m, --model NAME[,NAME...]    model to ask for; several share the requests
  --model-selection-strategy S  round_robin (default: the nth request asks for
                                model n mod count) or random (uniform, repeatable
                                with --random-seed)
  --endpoint-type TYPE          chat (default), completions or embeddings; or
                                --endpoint NAME for any endpoint implementation
                                (openai_chat, ...)
  --custom-endpoint PATH        route instead of the OpenAI default, e.g.
                                /v1/chat/completions (also --endpoint PATH, a value
                                with a "/", as in AIPerf)
  --streaming / --no-streaming  stream responses (default) or not
  --api-key KEY                 sent as "Authorization: Bearer KEY"
  -H, --header "Name: value"    an extra HTTP header (repeatable, or a JSON object)
  --extra-inputs KEY:VALUE      an extra request body field (repeatable; VALUE is
                                JSON when it parses, e.g. ignore_eos:true), or a
                                JSON object
  --request-timeout-seconds S   give up a request after S seconds (default 600)
  --concurrency N               requests (or conversations) in flight, or the cap
                                on in-flight requests with --request-rate;
                                a list (1,2,4,8) sweeps: one profiling phase per value
  --concurrency-ramp-duration S concurrency grows from 1 to N over S seconds
  --request-rate R              requests per second (request_rate timing); a list
                                (5,10,20) sweeps the rate
  --sweep-max-error-rate F      a sweep stops after a value whose share of failed
                                requests is above F (default 0.1)
  --arrival-pattern P           constant (default), poisson or gamma arrivals for
                                --request-rate (also --request-rate-mode, --arrival)
  --arrival-smoothness K        gamma shape: < 1 burstier, > 1 smoother (default 1;
                                also --burstiness)
  --request-rate-ramp-duration S  the rate grows from 0 to R over S seconds
  --fixed-schedule              send each entry at its timestamp (trace replay)
  --fixed-schedule-auto-offset  count timestamps from the first one
  --fixed-schedule-start-offset MS  send only entries with timestamp >= MS; times
                                count from MS (not with --fixed-schedule-auto-offset)
  --fixed-schedule-end-offset MS  send only entries with timestamp <= MS
  --request-count N             profiling stops after N requests (default 100;
                                with --input-file, the file once; also --num-requests)
  --conversation-num N          profiling stops after N conversations
  --benchmark-duration SECONDS  profiling stops issuing after SECONDS (--duration)
  --benchmark-grace-period S    with a duration: requests in flight when it ends
                                get S more seconds (default 30); those still
                                unfinished are cancelled, counted as cancelled and
                                kept out of the metrics (as AIPerf)
  --warmup-request-count N      warmup requests, discarded (default 8; 0 = none;
                                also --num-warmup-requests)
  --goodput "METRIC:VALUE ..."  goodput SLOs, e.g. "time_to_first_token:200
                                inter_token_latency:20" (ms)
  --metric-percentiles LIST     percentiles to report (default 1,5,10,25,50,75,90,95,99)
  --workers N                   send the load from N Deno workers (default 1: the
                                main thread); use when the client is late
  --no-preflight                skip the one-request check before the warmup
  --output DIR                  write DIR/profile_export.json, records.jsonl,
                                profile_export.csv and report.html (a sweep: one
                                directory per value, sweep.csv and sweep.html;
                                also --artifact-dir, --output-artifact-dir)
  --per-phase                   print one metrics table per phase
  --no-progress                 no progress line (also --ui-type none)
  --strict-plugins              exit non-zero on any plugin problem (a broken or
                                incompatible plugin, even one the run does not use)
                                and on any phase hook that throws; for CI (also
                                strict: true in the benchmark file)
  -v, --verbose / -vv, --extra-verbose / --log-level LEVEL
                                accepted so AIPerf command lines run (LEVEL: trace,
                                debug, info, notice, warning, success, error,
                                critical); no effect: the bench always prints its
                                warnings, errors by kind and the summary
  -h, --help                    show this help

Workload:
  --input-file PATH             dataset file (or directory, for random_pool)
  --custom-dataset-type TYPE    single_turn, multi_turn, random_pool,
                                mooncake_trace (default) or sharegpt
  --synthetic-input-tokens-mean N    prompt tokens (default 32; also --isl)
  --synthetic-input-tokens-stddev N  spread of prompt tokens (default 0)
  --output-tokens-mean N        max_tokens asked for (also --osl)
  --output-tokens-stddev N      spread of max_tokens (default 0)
  --prefix-prompt-length N      tokens of a shared prefix before each prompt
  --num-prefix-prompts N        how many different prefixes (default 1)
  --num-dataset-entries N       distinct synthetic prompts (default: one per
                                profiling request, 100 to 2,000)
  --isl-block-size N            tokens per Mooncake hash_ids block (default 512)
  --tokenizer NAME|PATH         the tokenizer prompts are sized in (default
                                cl100k_base; also o200k_base, or a Hugging Face
                                tokenizer.json, file or folder), and the one that
                                counts tokens the server does not report in usage
  --tokenizer-revision REV      branch, tag or commit of a Hugging Face --tokenizer
                                ORG/NAME, looked up in the local cache (default main)
  --tokenizer-trust-remote-code accepted so AIPerf command lines run; no effect (a
                                tokenizer.json runs no code)
  --random-seed N               seed of prompts, samplers and arrivals

Embedded server (when no URL is given):
  --ttft-ms MS                  time to first token (default 20)
  --itl-ms MS                   inter-token latency (default 2)
  --output-tokens N             output tokens per response (default 32)
  --reasoning-tokens N          reasoning tokens before them (default 0)
  --reasoning-field NAME        reasoning (vLLM, default) or reasoning_content
  --tokens-per-chunk N          tokens per streamed chunk (default 1)
  --no-usage                    send no usage
  --error-every N               every N-th request fails with HTTP 500
  --crash-after N               the server goes away after N requests

Exit status: 0 done, 1 a phase hook failed the run (e.g. an SLO), nothing
succeeded, an export failed, or (--strict-plugins) a plugin problem or a hook
that threw, 2 bad flags or configuration, 130 interrupted (Ctrl-C).
`;

const OPTIONS = {
  help: { type: "boolean", short: "h" },
  config: { type: "string" },
  url: { type: "string", short: "u" },
  model: { type: "string", short: "m" },
  "model-names": { type: "string" },
  endpoint: { type: "string" },
  "endpoint-type": { type: "string" },
  "custom-endpoint": { type: "string" },
  "api-key": { type: "string" },
  header: { type: "string", short: "H", multiple: true },
  "extra-inputs": { type: "string", multiple: true },
  "request-timeout-seconds": { type: "string" },
  "benchmark-duration": { type: "string" },
  goodput: { type: "string" },
  "metric-percentiles": { type: "string" },
  workers: { type: "string" },
  preflight: { type: "boolean" },
  "no-preflight": { type: "boolean" },
  "reasoning-tokens": { type: "string" },
  "reasoning-field": { type: "string" },
  "tokens-per-chunk": { type: "string" },
  usage: { type: "boolean" },
  "no-usage": { type: "boolean" },
  "error-every": { type: "string" },
  "crash-after": { type: "string" },
  "arrival-pattern": { type: "string" },
  "request-rate-mode": { type: "string" },
  "arrival-smoothness": { type: "string" },
  burstiness: { type: "string" },
  "concurrency-ramp-duration": { type: "string" },
  "request-rate-ramp-duration": { type: "string" },
  "input-file": { type: "string" },
  "custom-dataset-type": { type: "string" },
  "fixed-schedule": { type: "boolean" },
  "fixed-schedule-auto-offset": { type: "boolean" },
  "fixed-schedule-start-offset": { type: "string" },
  "fixed-schedule-end-offset": { type: "string" },
  "benchmark-grace-period": { type: "string" },
  "tokenizer-revision": { type: "string" },
  "log-level": { type: "string" },
  verbose: { type: "boolean", short: "v", multiple: true },
  "extra-verbose": { type: "boolean" },
  "synthetic-input-tokens-mean": { type: "string" },
  "prompt-input-tokens-mean": { type: "string" },
  isl: { type: "string" },
  "synthetic-input-tokens-stddev": { type: "string" },
  "prompt-input-tokens-stddev": { type: "string" },
  "isl-stddev": { type: "string" },
  "output-tokens-mean": { type: "string" },
  "prompt-output-tokens-mean": { type: "string" },
  osl: { type: "string" },
  "output-tokens-stddev": { type: "string" },
  "prompt-output-tokens-stddev": { type: "string" },
  "osl-stddev": { type: "string" },
  "prefix-prompt-length": { type: "string" },
  "prompt-prefix-length": { type: "string" },
  "num-prefix-prompts": { type: "string" },
  "prompt-prefix-pool-size": { type: "string" },
  "prefix-prompt-pool-size": { type: "string" },
  "isl-block-size": { type: "string" },
  "prompt-input-tokens-block-size": { type: "string" },
  "synthetic-input-tokens-block-size": { type: "string" },
  "num-dataset-entries": { type: "string" },
  "conversation-num": { type: "string" },
  "num-conversations": { type: "string" },
  "num-sessions": { type: "string" },
  "random-seed": { type: "string" },
  tokenizer: { type: "string" },
  streaming: { type: "boolean" },
  "no-streaming": { type: "boolean" },
  concurrency: { type: "string" },
  "request-rate": { type: "string" },
  "sweep-max-error-rate": { type: "string" },
  "per-phase": { type: "boolean" },
  arrival: { type: "string" },
  "request-count": { type: "string" },
  duration: { type: "string" },
  "warmup-request-count": { type: "string" },
  output: { type: "string" },
  "ttft-ms": { type: "string" },
  "itl-ms": { type: "string" },
  "output-tokens": { type: "string" },
  progress: { type: "boolean" },
  "no-progress": { type: "boolean" },
  "artifact-dir": { type: "string" },
  "output-artifact-dir": { type: "string" },
  "num-requests": { type: "string" },
  "num-warmup-requests": { type: "string" },
  "ui-type": { type: "string" },
  ui: { type: "string" },
  "model-selection-strategy": { type: "string" },
  "tokenizer-trust-remote-code": { type: "boolean" },
  "strict-plugins": { type: "boolean" },
} as const;

/**
 * Parses the command line of `deno task bench`.
 *
 * @param argv The arguments after the script.
 * @returns The typed flags.
 * @throws {BenchConfigError} For an unknown flag, a missing value or a value out of range,
 * naming the flag.
 *
 * @example
 * ```ts
 * import { parseBenchArgs } from "./parse_bench_args.ts";
 *
 * const args = parseBenchArgs(["--concurrency", "4", "--no-streaming"]);
 * if (args.concurrency !== 4 || args.streaming !== false) throw new Error("wrong");
 * ```
 */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  let values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: OPTIONS,
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    const { flag, detail } = flagError(error, Object.keys(OPTIONS));
    throw new BenchConfigError(detail, { flag });
  }
  if (positionals.length > 0) {
    throw new BenchConfigError(`unexpected argument "${positionals[0]}"; see --help`, {
      flag: "(command line)",
    });
  }
  // AIPerf's aliases (and vLLM's --burstiness) fold into one name each; the first alias wins.
  for (
    const [name, ...aliases] of [
      ["model", "model-names"],
      ["arrival", "arrival-pattern", "request-rate-mode"],
      ["arrival-smoothness", "burstiness"],
      ["synthetic-input-tokens-mean", "prompt-input-tokens-mean", "isl"],
      ["synthetic-input-tokens-stddev", "prompt-input-tokens-stddev", "isl-stddev"],
      ["output-tokens-mean", "prompt-output-tokens-mean", "osl"],
      ["output-tokens-stddev", "prompt-output-tokens-stddev", "osl-stddev"],
      ["prefix-prompt-length", "prompt-prefix-length"],
      ["num-prefix-prompts", "prompt-prefix-pool-size", "prefix-prompt-pool-size"],
      ["isl-block-size", "prompt-input-tokens-block-size", "synthetic-input-tokens-block-size"],
      ["conversation-num", "num-conversations", "num-sessions"],
      ["request-count", "num-requests"],
      ["warmup-request-count", "num-warmup-requests"],
      ["output", "artifact-dir", "output-artifact-dir"],
      ["ui-type", "ui"],
    ] as const
  ) {
    for (const alias of aliases) {
      if (values[alias] !== undefined) values[name] ??= values[alias];
    }
  }
  const args: { -readonly [K in keyof BenchArgs]: BenchArgs[K] } = {};
  if (values.help) args.help = true;
  const text = (name: string) => {
    const value = values[name];
    if (typeof value !== "string") return undefined;
    if (value.trim() === "") throw new BenchConfigError("expected a value", { flag: `--${name}` });
    return value;
  };
  const config = text("config");
  if (config !== undefined) args.config = config;
  const given = text("url");
  // AIPerf takes "localhost:8000" without a scheme: http is meant.
  const url = given !== undefined && !/^[a-z][a-z0-9+.-]*:\/\//i.test(given)
    ? `http://${given}`
    : given;
  if (url !== undefined) {
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new TypeError();
    } catch {
      throw new BenchConfigError(`expected an http(s) URL, got "${given}"`, { flag: "--url" });
    }
    args.url = url;
  }
  const model = text("model");
  if (model !== undefined) args.model = model;
  const endpoint = text("endpoint");
  if (endpoint !== undefined) {
    // AIPerf's --endpoint is a route (/v1/chat/completions); ours was an implementation name,
    // which never has a "/".
    if (endpoint.includes("/")) args.endpointPath = endpoint;
    else args.endpoint = endpoint;
  }
  const endpointType = text("endpoint-type");
  if (endpointType !== undefined) {
    const name = ENDPOINT_TYPES[endpointType];
    if (name === undefined) {
      throw new BenchConfigError(
        `expected one of ${Object.keys(ENDPOINT_TYPES).join(", ")}, got "${endpointType}"`,
        { flag: "--endpoint-type" },
      );
    }
    if (args.endpoint !== undefined && args.endpoint !== name) {
      throw new BenchConfigError(`contradicts --endpoint ${args.endpoint}`, {
        flag: "--endpoint-type",
      });
    }
    args.endpoint = name;
  }
  const customPath = text("custom-endpoint");
  if (customPath !== undefined) args.endpointPath = customPath;
  const apiKey = text("api-key");
  if (apiKey !== undefined) args.apiKey = apiKey;
  const headers = values.header as string[] | undefined;
  if (headers !== undefined) args.headers = pairs(headers, "--header", true);
  const extra = values["extra-inputs"] as string[] | undefined;
  if (extra !== undefined) args.extraInputs = pairs(extra, "--extra-inputs", false);
  if (values["fixed-schedule"]) args.fixedSchedule = true;
  if (values["fixed-schedule-auto-offset"]) args.fixedScheduleAutoOffset = true;
  const inputFile = text("input-file");
  if (inputFile !== undefined) args.inputFile = inputFile;
  const datasetType = text("custom-dataset-type");
  if (datasetType !== undefined) args.customDatasetType = datasetType;
  const tokenizer = text("tokenizer");
  if (tokenizer !== undefined) args.tokenizer = tokenizer;
  const goodput = text("goodput");
  if (goodput !== undefined) {
    try {
      args.goodput = parseGoodput(goodput);
    } catch (error) {
      throw new BenchConfigError((error as Error).message, { flag: "--goodput" });
    }
  }
  const percentiles = text("metric-percentiles");
  if (percentiles !== undefined) {
    const list = percentiles.split(",").map((p) => p.trim());
    const numbers = list.map(Number);
    if (list.some((p, i) => p === "" || !(numbers[i]! >= 0 && numbers[i]! <= 100))) {
      throw new BenchConfigError(
        `expected comma-separated percentiles from 0 to 100, got "${percentiles}"`,
        { flag: "--metric-percentiles" },
      );
    }
    args.percentiles = [...new Set(numbers)].sort((a, b) => a - b);
  }
  if (values["no-preflight"]) args.preflight = false;
  if (values["no-usage"]) args.usage = false;
  const field = text("reasoning-field");
  if (field !== undefined) {
    if (field !== "reasoning" && field !== "reasoning_content") {
      throw new BenchConfigError(`expected "reasoning" or "reasoning_content", got "${field}"`, {
        flag: "--reasoning-field",
      });
    }
    args.reasoningField = field;
  }
  if (values.streaming && values["no-streaming"]) {
    throw new BenchConfigError("cannot be combined with --streaming", { flag: "--no-streaming" });
  }
  if (values.streaming) args.streaming = true;
  if (values["no-streaming"]) args.streaming = false;
  if (values["strict-plugins"]) args.strictPlugins = true;
  if (values["no-progress"]) args.progress = false;
  else if (values.progress) args.progress = true;
  // AIPerf's --ui-type: "none" is no progress line; its two screens are our progress line.
  const ui = text("ui-type");
  if (ui !== undefined) {
    if (!["none", "simple", "dashboard"].includes(ui)) {
      throw new BenchConfigError(`expected none, simple or dashboard, got "${ui}"`, {
        flag: "--ui-type",
      });
    }
    args.progress ??= ui !== "none";
  }
  const selection = text("model-selection-strategy");
  if (selection !== undefined) {
    // AIPerf spells it round-robin in its choices and round_robin in its help: both work.
    const strategy = selection.replace("-", "_");
    if (strategy !== "round_robin" && strategy !== "random") {
      throw new BenchConfigError(`expected round_robin or random, got "${selection}"`, {
        flag: "--model-selection-strategy",
      });
    }
    args.modelSelection = strategy;
  }
  const revision = text("tokenizer-revision");
  if (revision !== undefined) args.tokenizerRevision = revision;
  // AIPerf's logging flags: -v is --log-level debug, -vv (or --extra-verbose) trace.
  const level = text("log-level");
  if (level !== undefined) {
    if (!LOG_LEVELS.includes(level.toLowerCase())) {
      throw new BenchConfigError(`expected one of ${LOG_LEVELS.join(", ")}, got "${level}"`, {
        flag: "--log-level",
      });
    }
    args.logLevel = level.toLowerCase();
  }
  const verbose = (values.verbose as boolean[] | undefined)?.length ?? 0;
  if (values["extra-verbose"] || verbose > 1) args.logLevel ??= "trace";
  else if (verbose === 1) args.logLevel ??= "debug";

  const int = (name: string, min: number) => {
    const value = text(name);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min) {
      throw new BenchConfigError(
        `expected ${min === 0 ? "an integer >= 0" : "a positive integer"}, got "${value}"`,
        { flag: `--${name}` },
      );
    }
    return n;
  };
  const num = (name: string, positive: boolean) => {
    const value = text(name);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isFinite(n) || (positive ? n <= 0 : n < 0)) {
      throw new BenchConfigError(
        `expected a number ${positive ? "> 0" : ">= 0"}, got "${value}"`,
        { flag: `--${name}` },
      );
    }
    return n;
  };
  const int1 = (value: string, name: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
      throw new BenchConfigError(`expected positive integers, got "${value}"`, {
        flag: `--${name}`,
      });
    }
    return n;
  };
  const num1 = (value: string, name: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) {
      throw new BenchConfigError(`expected numbers > 0, got "${value}"`, { flag: `--${name}` });
    }
    return n;
  };
  const set = <K extends keyof BenchArgs>(key: K, value: BenchArgs[K] | undefined) => {
    if (value !== undefined) args[key] = value;
  };
  // A comma-separated list sweeps the flag; its first value configures the first run.
  const list = (name: "concurrency" | "request-rate", one: (value: string) => number) => {
    const value = text(name);
    if (value === undefined || !value.includes(",")) return undefined;
    const values = value.split(",").map((v) => v.trim());
    if (values.some((v) => v === "")) {
      throw new BenchConfigError(`expected comma-separated values, got "${value}"`, {
        flag: `--${name}`,
      });
    }
    const numbers = values.map(one);
    if (new Set(numbers).size !== numbers.length) {
      throw new BenchConfigError(`a value is repeated in "${value}"`, { flag: `--${name}` });
    }
    return numbers;
  };
  const concurrencies = list("concurrency", (v) => int1(v, "concurrency"));
  const rates = list("request-rate", (v) => num1(v, "request-rate"));
  if (concurrencies !== undefined && rates !== undefined) {
    throw new BenchConfigError("cannot sweep both --concurrency and --request-rate", {
      flag: "--request-rate",
    });
  }
  if (concurrencies !== undefined) {
    args.sweep = { flag: "--concurrency", values: concurrencies };
    args.concurrency = concurrencies[0]!;
  } else set("concurrency", int("concurrency", 1));
  if (rates !== undefined) {
    args.sweep = { flag: "--request-rate", values: rates };
    args.requestRate = rates[0]!;
  } else set("requestRate", num("request-rate", true));
  const maxErrors = num("sweep-max-error-rate", false);
  if (maxErrors !== undefined) {
    if (maxErrors > 1) {
      throw new BenchConfigError(`expected a fraction from 0 to 1, got "${maxErrors}"`, {
        flag: "--sweep-max-error-rate",
      });
    }
    if (args.sweep === undefined) {
      throw new BenchConfigError("needs a sweep (--concurrency 1,2,4 or --request-rate 5,10)", {
        flag: "--sweep-max-error-rate",
      });
    }
    args.sweepMaxErrorRate = maxErrors;
  }
  if (values["per-phase"]) args.perPhase = true;
  const arrival = text("arrival");
  if (arrival !== undefined) {
    if (arrival !== "constant" && arrival !== "poisson" && arrival !== "gamma") {
      throw new BenchConfigError(`expected "constant", "poisson" or "gamma", got "${arrival}"`, {
        flag: "--arrival-pattern",
      });
    }
    args.arrival = arrival;
  }
  set("arrivalSmoothness", num("arrival-smoothness", true));
  set("concurrencyRampDuration", num("concurrency-ramp-duration", false));
  set("requestRateRampDuration", num("request-rate-ramp-duration", false));
  set("inputTokensMean", int("synthetic-input-tokens-mean", 1));
  set("inputTokensStddev", num("synthetic-input-tokens-stddev", false));
  set("outputTokensMean", int("output-tokens-mean", 1));
  set("outputTokensStddev", num("output-tokens-stddev", false));
  set("prefixPromptLength", int("prefix-prompt-length", 0));
  set("numPrefixPrompts", int("num-prefix-prompts", 0));
  set("blockSize", int("isl-block-size", 1));
  set("numDatasetEntries", int("num-dataset-entries", 1));
  set("conversationNum", int("conversation-num", 1));
  set("randomSeed", int("random-seed", 0));
  set("requestCount", int("request-count", 1));
  set("duration", num("duration", true) ?? num("benchmark-duration", true));
  set("gracePeriod", num("benchmark-grace-period", false));
  set("fixedScheduleStartOffset", int("fixed-schedule-start-offset", 0));
  set("fixedScheduleEndOffset", int("fixed-schedule-end-offset", 0));
  set("requestTimeoutSeconds", num("request-timeout-seconds", true));
  set("workers", int("workers", 1));
  set("reasoningTokens", int("reasoning-tokens", 0));
  set("tokensPerChunk", int("tokens-per-chunk", 1));
  set("errorEvery", int("error-every", 0));
  set("crashAfter", int("crash-after", 1));
  set("warmupRequestCount", int("warmup-request-count", 0));
  set("output", text("output"));
  set("ttftMs", num("ttft-ms", false));
  set("itlMs", num("itl-ms", false));
  set("outputTokens", int("output-tokens", 1));
  return args;
}

/** AIPerf's `--log-level` choices. */
const LOG_LEVELS = ["trace", "debug", "info", "notice", "warning", "success", "error", "critical"];

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * `Name: value` pairs (headers) or `key:value` pairs (extra inputs, whose values are read as
 * JSON when they parse: `true`, `5`, `"x"`), or whole JSON objects, merged in order.
 */
function pairs(
  items: readonly string[],
  flag: string,
  headers: boolean,
): Record<string, unknown> & Record<string, string> {
  const out: Record<string, unknown> = {};
  for (const item of items) {
    const trimmed = item.trim();
    if (trimmed.startsWith("{")) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(trimmed);
      } catch (error) {
        throw new BenchConfigError(`not valid JSON: ${(error as Error).message}`, { flag });
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        throw new BenchConfigError("expected a JSON object", { flag });
      }
      for (const [key, value] of Object.entries(parsed)) {
        if (headers && !HEADER_NAME.test(key)) {
          throw new BenchConfigError(`"${key}" is not a header name`, { flag });
        }
        out[key] = headers ? String(value) : value;
      }
      continue;
    }
    const colon = trimmed.indexOf(":");
    const key = colon === -1 ? "" : trimmed.slice(0, colon).trim();
    if (key === "" || (headers && !HEADER_NAME.test(key))) {
      throw new BenchConfigError(
        headers
          ? `expected "Name: value", got "${item}"`
          : `expected KEY:VALUE or a JSON object, got "${item}"`,
        { flag },
      );
    }
    const value = trimmed.slice(colon + 1).trim();
    if (headers) {
      out[key] = value;
      continue;
    }
    try {
      out[key] = JSON.parse(value);
    } catch {
      out[key] = value;
    }
  }
  return out as Record<string, unknown> & Record<string, string>;
}
