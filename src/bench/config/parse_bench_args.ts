import { parseArgs } from "node:util";
import { flagError } from "../_flag_error.ts";
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
  /** `--concurrency 1,2,4` or `--request-rate 5,10`: one profiling phase per value. */
  readonly sweep?: SweepArgs;
  /** `--sweep-max-error-rate`: a sweep stops after a value whose error rate is above it. */
  readonly sweepMaxErrorRate?: number;
  /** `--per-phase`: the console prints one metrics table per phase. */
  readonly perPhase?: boolean;
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

Options:
  --config FILE                 YAML benchmark file (see examples/benchmark.yaml);
                                flags override it
  --url URL                     server base URL, e.g. http://127.0.0.1:8000
  --model NAME                  model to ask for
  --endpoint NAME               endpoint implementation (openai_chat, openai_completions)
  --streaming / --no-streaming  stream responses (default) or not
  --concurrency N               requests in flight (fixed_concurrency), or the cap
                                on in-flight requests with --request-rate;
                                a list (1,2,4,8) sweeps: one profiling phase per value
  --request-rate R              requests per second (request_rate timing); a list
                                (5,10,20) sweeps the rate
  --sweep-max-error-rate F      a sweep stops after a value whose share of failed
                                requests is above F (default 0.1)
  --arrival constant|poisson    arrivals for --request-rate (default constant)
  --request-count N             profiling stops after N requests (default 100)
  --duration SECONDS            profiling stops issuing after SECONDS
  --warmup-request-count N      warmup requests, discarded (default 8; 0 = none)
  --output DIR                  write DIR/profile_export.json, records.jsonl,
                                profile_export.csv and report.html (a sweep: one
                                directory per value, sweep.csv and sweep.html)
  --per-phase                   print one metrics table per phase
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
  url: { type: "string" },
  model: { type: "string" },
  endpoint: { type: "string" },
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
  let values: Record<string, string | boolean | undefined>;
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
  if (endpoint !== undefined) args.endpoint = endpoint;
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
  set("duration", num("duration", true));
  set("warmupRequestCount", int("warmup-request-count", 0));
  set("output", text("output"));
  set("ttftMs", num("ttft-ms", false));
  set("itlMs", num("itl-ms", false));
  set("outputTokens", int("output-tokens", 1));
  return args;
}
