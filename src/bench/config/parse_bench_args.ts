import { parseArgs } from "node:util";
import { flagError } from "../_flag_error.ts";
import { parseGoodput, type Slo } from "../metrics/parse_goodput.ts";
import { BenchConfigError } from "./bench_config_error.ts";

/** AIPerf's `--endpoint-type` values and the endpoint implementations they select. */
const ENDPOINT_TYPES: Readonly<Record<string, string>> = {
  chat: "openai_chat",
  completions: "openai_completions",
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
  readonly arrival?: "constant" | "poisson";
  readonly requestCount?: number;
  readonly duration?: number;
  readonly warmupRequestCount?: number;
  readonly streaming?: boolean;
  readonly output?: string;
  readonly ttftMs?: number;
  readonly itlMs?: number;
  readonly outputTokens?: number;
  readonly progress?: boolean;
  /** A custom route (`--endpoint /v1/chat/completions`, `--custom-endpoint`). */
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
  -m, --model NAME              model to ask for
  --endpoint-type chat|completions
                                the OpenAI route (default chat); or --endpoint NAME
                                for any endpoint implementation (openai_chat, ...)
  --custom-endpoint PATH        a custom route, e.g. /v1/chat/completions (also
                                --endpoint PATH, a value starting with "/")
  --streaming / --no-streaming  stream responses (default) or not
  --api-key KEY                 sent as "Authorization: Bearer KEY"
  -H, --header "Name: value"    an extra HTTP header (repeatable)
  --extra-inputs KEY:VALUE      an extra request body field (repeatable; VALUE is
                                JSON when it parses, e.g. ignore_eos:true), or a
                                JSON object
  --request-timeout-seconds S   give up a request after S seconds (default 600)
  --concurrency N               requests in flight (fixed_concurrency), or the cap
                                on in-flight requests with --request-rate;
                                a list (1,2,4,8) sweeps: one profiling phase per value
  --request-rate R              requests per second (request_rate timing); a list
                                (5,10,20) sweeps the rate
  --sweep-max-error-rate F      a sweep stops after a value whose share of failed
                                requests is above F (default 0.1)
  --arrival constant|poisson    arrivals for --request-rate (default constant)
  --request-count N             profiling stops after N requests (default 100)
  --benchmark-duration SECONDS  profiling stops issuing after SECONDS (--duration)
  --warmup-request-count N      warmup requests, discarded (default 8; 0 = none)
  --tokenizer NAME|PATH         count tokens the server does not report in usage:
                                cl100k_base, o200k_base, or a Hugging Face
                                tokenizer.json (file or folder)
  --goodput "METRIC:VALUE ..."  goodput SLOs, e.g. "time_to_first_token:200
                                inter_token_latency:20" (ms)
  --metric-percentiles LIST     percentiles to report (default 1,5,10,25,50,75,90,95,99)
  --workers N                   send the load from N Deno workers (default 1: the
                                main thread); use when the client is late
  --no-preflight                skip the one-request check before the warmup
  --output DIR                  write DIR/profile_export.json, records.jsonl,
                                profile_export.csv and report.html (a sweep: one
                                directory per value, sweep.csv and sweep.html)
  --per-phase                   print one metrics table per phase
  --no-progress                 no progress line
  --strict-plugins              exit non-zero on any plugin problem (a broken or
                                incompatible plugin, even one the run does not use)
                                and on any phase hook that throws; for CI (also
                                strict: true in the benchmark file)
  -h, --help                    show this help

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
  endpoint: { type: "string" },
  "endpoint-type": { type: "string" },
  "custom-endpoint": { type: "string" },
  "api-key": { type: "string" },
  header: { type: "string", short: "H", multiple: true },
  "extra-inputs": { type: "string", multiple: true },
  "request-timeout-seconds": { type: "string" },
  "benchmark-duration": { type: "string" },
  tokenizer: { type: "string" },
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
    const { flag, detail } = flagError(error, Object.keys(OPTIONS));
    throw new BenchConfigError(detail, { flag });
  }
  if (positionals.length > 0) {
    throw new BenchConfigError(`unexpected argument "${positionals[0]}"; see --help`, {
      flag: "(command line)",
    });
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
    // AIPerf's --endpoint is a route; ours was an implementation name: a "/" tells them apart.
    if (endpoint.startsWith("/")) args.endpointPath = endpoint;
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
  if (args.endpointPath !== undefined && !args.endpointPath.startsWith("/")) {
    throw new BenchConfigError(`expected a path starting with "/", got "${args.endpointPath}"`, {
      flag: "--custom-endpoint",
    });
  }
  const apiKey = text("api-key");
  if (apiKey !== undefined) args.apiKey = apiKey;
  const headerValues = values.header;
  if (Array.isArray(headerValues)) {
    const headers: Record<string, string> = {};
    for (const h of headerValues) {
      const match = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*:\s*(.*?)\s*$/.exec(h);
      if (match === null) {
        throw new BenchConfigError(`expected "Name: value", got "${h}"`, { flag: "--header" });
      }
      headers[match[1]!] = match[2]!;
    }
    args.headers = headers;
  }
  const extraValues = values["extra-inputs"];
  if (Array.isArray(extraValues)) args.extraInputs = parseExtraInputs(extraValues);
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
    if (arrival !== "constant" && arrival !== "poisson") {
      throw new BenchConfigError(`expected "constant" or "poisson", got "${arrival}"`, {
        flag: "--arrival",
      });
    }
    args.arrival = arrival;
  }
  set("requestCount", int("request-count", 1));
  set("duration", num("duration", true) ?? num("benchmark-duration", true));
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

/** AIPerf's `--extra-inputs`: `key:value` pairs (the value JSON when it parses) or JSON objects. */
function parseExtraInputs(values: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const value of values) {
    const trimmed = value.trim();
    if (trimmed.startsWith("{")) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(trimmed);
      } catch (error) {
        throw new BenchConfigError(`not valid JSON: ${(error as Error).message}`, {
          flag: "--extra-inputs",
        });
      }
      Object.assign(out, parsed);
      continue;
    }
    const colon = trimmed.indexOf(":");
    if (colon < 1) {
      throw new BenchConfigError(`expected KEY:VALUE or a JSON object, got "${value}"`, {
        flag: "--extra-inputs",
      });
    }
    const raw = trimmed.slice(colon + 1);
    let parsed: unknown = raw;
    try {
      parsed = JSON.parse(raw);
    } catch {
      // a plain string
    }
    out[trimmed.slice(0, colon)] = parsed;
  }
  return out;
}
