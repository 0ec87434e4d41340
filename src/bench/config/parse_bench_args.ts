import { parseArgs } from "node:util";
import { flagError } from "../_flag_error.ts";
import { ENCODINGS } from "../datasets/_tokenizer.ts";
import { BenchConfigError } from "./bench_config_error.ts";

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
  readonly endpointType?: "chat" | "completions" | "embeddings";
  readonly customEndpoint?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly extraInputs?: Readonly<Record<string, unknown>>;
  readonly inputFile?: string;
  readonly customDatasetType?: string;
  readonly fixedSchedule?: boolean;
  readonly fixedScheduleAutoOffset?: boolean;
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
  readonly tokenizer?: string;
  readonly requestCount?: number;
  readonly duration?: number;
  readonly warmupRequestCount?: number;
  readonly streaming?: boolean;
  readonly output?: string;
  readonly ttftMs?: number;
  readonly itlMs?: number;
  readonly outputTokens?: number;
  readonly progress?: boolean;
}

/** The `--help` text of `deno task bench`. */
export const BENCH_HELP = `Usage: deno task bench [options]

Benchmarks an OpenAI-compatible LLM server. Without --url (and no url in the
benchmark file) it starts an embedded server on 127.0.0.1 and benchmarks that.

Options:
  --config FILE                 YAML benchmark file (see examples/benchmark.yaml);
                                flags override it
  -u, --url URL                 server base URL, e.g. http://127.0.0.1:8000
  -m, --model NAME[,NAME...]    model to ask for; several take turns (round robin)
  --endpoint-type TYPE          chat (default), completions or embeddings
  --custom-endpoint PATH        route instead of the OpenAI default, e.g. /v2/generate
                                (also --endpoint PATH, as in AIPerf)
  --endpoint NAME               endpoint implementation by name (openai_chat, ...)
  -H, --header "Name: value"    extra HTTP header (repeatable, or a JSON object)
  --extra-inputs K:V | JSON     extra request body fields (repeatable), e.g.
                                ignore_eos:true or '{"ignore_eos": true}'
  --streaming / --no-streaming  stream responses (default) or not
  --concurrency N               requests (or conversations) in flight, or the cap
                                on in-flight requests with --request-rate
  --concurrency-ramp-duration S concurrency grows from 1 to N over S seconds
  --request-rate R              requests per second (request_rate timing)
  --arrival-pattern P           constant (default), poisson or gamma arrivals for
                                --request-rate (also --request-rate-mode, --arrival)
  --arrival-smoothness K        gamma shape: < 1 burstier, > 1 smoother (default 1;
                                also --burstiness)
  --request-rate-ramp-duration S  the rate grows from 0 to R over S seconds
  --fixed-schedule              send each entry at its timestamp (trace replay)
  --fixed-schedule-auto-offset  count timestamps from the first one
  --request-count N             profiling stops after N requests (default 100;
                                with --input-file, the file once)
  --conversation-num N          profiling stops after N conversations
  --duration SECONDS            profiling stops issuing after SECONDS

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
  --tokenizer NAME              tokenizer prompts are sized in: cl100k_base
                                (default) or o200k_base
  --random-seed N               seed of prompts, samplers and arrivals
  --warmup-request-count N      warmup requests, discarded (default 8; 0 = none)
  --output DIR                  write DIR/profile_export.json and DIR/records.jsonl
  --ttft-ms MS                  embedded server: time to first token (default 20)
  --itl-ms MS                   embedded server: inter-token latency (default 2)
  --output-tokens N             embedded server: tokens per response (default 32)
  --no-progress                 no progress line
  -h, --help                    show this help

Exit status: 0 done, 1 a phase hook failed the run (e.g. an SLO) or nothing
succeeded, 2 bad flags or configuration, 130 interrupted (Ctrl-C).
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
  header: { type: "string", short: "H", multiple: true },
  "extra-inputs": { type: "string", multiple: true },
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
  let values: Record<string, string | boolean | string[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: OPTIONS,
      strict: true,
      allowPositionals: true,
    }));
  } catch (error) {
    const { flag, detail } = flagError(error);
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
  const url = text("url");
  if (url !== undefined) {
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new TypeError();
    } catch {
      throw new BenchConfigError(`expected an http(s) URL, got "${url}"`, { flag: "--url" });
    }
    args.url = url;
  }
  const model = text("model");
  if (model !== undefined) args.model = model;
  const endpoint = text("endpoint");
  // AIPerf's --endpoint is a route (/v1/chat/completions); ours was an implementation name.
  if (endpoint !== undefined && endpoint.includes("/")) args.customEndpoint = endpoint;
  else if (endpoint !== undefined) args.endpoint = endpoint;
  const customEndpoint = text("custom-endpoint");
  if (customEndpoint !== undefined) args.customEndpoint = customEndpoint;
  const endpointType = text("endpoint-type");
  if (endpointType !== undefined) {
    if (!["chat", "completions", "embeddings"].includes(endpointType)) {
      throw new BenchConfigError(
        `expected "chat", "completions" or "embeddings", got "${endpointType}"`,
        { flag: "--endpoint-type" },
      );
    }
    args.endpointType = endpointType as "chat" | "completions" | "embeddings";
  }
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
  if (tokenizer !== undefined) {
    if (!(ENCODINGS as readonly string[]).includes(tokenizer)) {
      throw new BenchConfigError(
        `expected ${ENCODINGS.map((e) => `"${e}"`).join(" or ")}, got "${tokenizer}"`,
        { flag: "--tokenizer" },
      );
    }
    args.tokenizer = tokenizer;
  }
  if (values.streaming && values["no-streaming"]) {
    throw new BenchConfigError("cannot be combined with --streaming", { flag: "--no-streaming" });
  }
  if (values.streaming) args.streaming = true;
  if (values["no-streaming"]) args.streaming = false;
  if (values["no-progress"]) args.progress = false;
  else if (values.progress) args.progress = true;

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
  const set = <K extends keyof BenchArgs>(key: K, value: BenchArgs[K] | undefined) => {
    if (value !== undefined) args[key] = value;
  };
  set("concurrency", int("concurrency", 1));
  set("requestRate", num("request-rate", true));
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
  set("duration", num("duration", true));
  set("warmupRequestCount", int("warmup-request-count", 0));
  set("output", text("output"));
  set("ttftMs", num("ttft-ms", false));
  set("itlMs", num("itl-ms", false));
  set("outputTokens", int("output-tokens", 1));
  return args;
}

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
        out[key] = headers ? String(value) : value;
      }
      continue;
    }
    const colon = trimmed.indexOf(":");
    const key = colon === -1 ? "" : trimmed.slice(0, colon).trim();
    if (key === "") {
      throw new BenchConfigError(
        `expected ${headers ? '"Name: value"' : '"key:value"'} or a JSON object, got "${item}"`,
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
