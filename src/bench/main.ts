/**
 * `deno task bench`: benchmarks an OpenAI-compatible LLM server, with every endpoint, timing
 * strategy, dataset, sampler, phase hook and exporter created through plugmap factories.
 * Run with `--help` for the flags.
 *
 * @module
 */
import { formatDiagnostic } from "../../mod.ts";
import type { BenchmarkResult, HookFailure, RunConfig } from "./types.ts";
import { join } from "node:path";
import { StopSignals } from "./_stop_signals.ts";
import { RecordsFile } from "./records/records_file.ts";
import { removeUnfinishedWrites } from "./_write_output_file.ts";
import type { BenchmarkSettings } from "./config/resolve_settings.ts";
import type { Components } from "./run/create_components.ts";
import type { RunOptions } from "./run/run_benchmark.ts";
import type { SweepOutcome } from "./sweep/run_sweep.ts";
import { prepareOutputDir } from "./_prepare_output_dir.ts";
import { BenchConfigError } from "./config/bench_config_error.ts";
import { DatasetFileError } from "./datasets/dataset_file_error.ts";
import { VideoError } from "./datasets/video_error.ts";
import { loadBenchmarkFile } from "./config/load_benchmark_file.ts";
import { BENCH_HELP, type BenchArgs, parseBenchArgs } from "./config/parse_bench_args.ts";
import { aiperfArtifactDir } from "./config/aiperf_artifact_dir.ts";
import { resolveSettings } from "./config/resolve_settings.ts";
import { expandListFlags } from "./server_metrics/expand_list_flags.ts";
import { serverMetricsArgs } from "./server_metrics/server_metrics_args.ts";
import { serverMetricsSetup } from "./server_metrics/server_metrics_setup.ts";
import type { ServerMetricsRunOptions } from "./server_metrics/server_metrics_for_run.ts";
import { ProgressLine } from "./progress/progress_line.ts";
import { createBenchRegistry } from "./run/create_bench_registry.ts";
import { createComponents } from "./run/create_components.ts";
import { PreflightError } from "./run/preflight.ts";
import { runBenchmark } from "./run/run_benchmark.ts";
import { runExporters } from "./exporters/run_exporters.ts";
import { WorkerPoolEndpoint } from "./run/worker_pool_endpoint.ts";
import { loadTokenizer, type TokenCounter } from "./tokens/load_tokenizer.ts";
import { startServerWorker, type WorkerServer } from "./server/start_server_worker.ts";
import { resolveShard } from "./shard/resolve_shard.ts";
import { type ShardRun, startShard } from "./shard/start_shard.ts";
import { describeRun } from "./rerun/describe_run.ts";
import { planRerun, type RerunPlan } from "./rerun/plan_rerun.ts";
import { rerunDifferences } from "./rerun/rerun_differences.ts";
import { runSearchCommand } from "./search/run_search_command.ts";
import { type SearchSetting, searchSetting } from "./search/search_setting.ts";
import {
  type MultiRunSetting,
  multiRunSetting,
  withConsistentSeed,
} from "./multi_run/multi_run_setting.ts";
import { runProfileRunsCommand } from "./multi_run/run_profile_runs_command.ts";
import { runSweep } from "./sweep/run_sweep.ts";
import { sweepTable } from "./sweep/sweep_table.ts";
import { writeSweepReports } from "./sweep/write_sweep_reports.ts";

/** Where `main` writes, and what it listens to. */
export interface BenchIO {
  /** Writes to standard output (the table). */
  readonly stdout: (text: string) => void;
  /** Writes to standard error (progress, diagnostics, errors). */
  readonly stderr: (text: string) => void;
  /** Whether standard error is a terminal (progress is redrawn in place). */
  readonly terminal: boolean;
  /**
   * Stops the run as Ctrl-C would; `main` also listens to SIGINT, SIGTERM and SIGHUP unless
   * `signals` is false.
   */
  readonly interrupt?: AbortSignal;
  /** Listen to SIGINT, SIGTERM and SIGHUP; default true. */
  readonly signals?: boolean;
  /**
   * With `--url` and no output directory, write to AIPerf's default directory
   * (`artifacts/<model>-openai-<type>-<stimulus>`), as `aiperf profile` does; default false
   * (the command line, `deno task bench`, sets it).
   */
  readonly aiperfArtifacts?: boolean;
}

/** Exit status: done. */
export const EXIT_OK = 0;
/**
 * Exit status: a hook failed the run (e.g. an SLO), nothing succeeded, the endpoint failed its
 * pre-flight check, the server went away mid-run, an export failed, or (strict plugins) a plugin
 * had a problem or a hook threw.
 */
export const EXIT_FAILED = 1;
/** Exit status: bad flags, configuration or dataset file (nothing was sent). */
export const EXIT_USAGE = 2;
/** Exit status: interrupted by Ctrl-C (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;
/** Exit status: stopped by SIGTERM (128 + 15), as schedulers, CI runners and `timeout` send. */
export const EXIT_TERMINATED = 143;
/** Exit status: stopped by SIGHUP (128 + 1), as a closed terminal sends. */
export const EXIT_HANGUP = 129;

const encoder = new TextEncoder();

function denoIO(): BenchIO {
  return {
    stdout: (text) => void Deno.stdout.writeSync(encoder.encode(text)),
    stderr: (text) => void Deno.stderr.writeSync(encoder.encode(text)),
    terminal: Deno.stderr.isTerminal(),
    aiperfArtifacts: true,
  };
}

/**
 * Runs `deno task bench` with `argv` and returns the exit status.
 *
 * SIGINT (Ctrl-C), SIGTERM and SIGHUP each stop a run gracefully: nothing more is issued, what
 * is in flight is cancelled (counted as cancelled), everything measured is exported, and the
 * status is 130, 143 or 129. Deliveries of one event within a few hundred milliseconds (the
 * terminal's and `deno task`'s) count once; a later second signal quits at once, leaving every
 * file whole (records.jsonl holds whole lines; an export is its old content or its new one).
 *
 * @param argv The command-line arguments.
 * @param io Where to write; the process's standard streams by default.
 * @returns 0, or 1 (failed), 2 (bad flags or configuration), 130 / 143 / 129 (stopped by
 * SIGINT / SIGTERM / SIGHUP).
 *
 * @example Run a tiny benchmark against the embedded server
 * ```ts
 * import { main } from "./main.ts";
 *
 * let out = "";
 * const status = await main(["--request-count", "4", "--warmup-request-count", "0"], {
 *   stdout: (t) => out += t,
 *   stderr: () => {},
 *   terminal: false,
 *   signals: false,
 * });
 * if (status !== 0 || !out.includes("Request Latency")) throw new Error(out);
 * ```
 */
export async function main(argv: readonly string[], io: BenchIO = denoIO()): Promise<number> {
  const stop = new StopSignals({
    stderr: io.stderr,
    listen: io.signals ?? true,
    ...(io.interrupt === undefined ? {} : { external: io.interrupt }),
  });
  stop.beforeQuit(removeUnfinishedWrites);
  stop.beforeQuit(() => RecordsFile.flushAll());
  const running: Running = {};
  try {
    const plan = await planRun(argv, io, running);
    if (plan === undefined) {
      io.stdout(BENCH_HELP);
      return EXIT_OK;
    }
    return await runPlan(plan, io, stop, running);
  } catch (error) {
    return errorStatus(error, io, stop);
  } finally {
    stop.dispose();
    running.shard?.close();
    running.pool?.close();
    await running.server?.close();
    if (running.temp !== undefined) await Deno.remove(running.temp, { recursive: true });
  }
}

/** What the command line asks for, resolved, before anything is loaded or sent. */
interface Plan {
  readonly args: BenchArgs;
  readonly settings: BenchmarkSettings;
  readonly search: SearchSetting | undefined;
  readonly multi: MultiRunSetting | undefined;
  readonly runConfig: RunConfig;
  readonly serverMetrics: ServerMetricsRunOptions;
}

// The flags as given, or (--rerun DIR) the original's command line with the flags given now
// over it; undefined for --help.
async function readArgs(
  argv: readonly string[],
  io: BenchIO,
): Promise<{ args: BenchArgs; argv: readonly string[]; rerun?: RerunPlan } | undefined> {
  const args = parseBenchArgs(expandListFlags(argv));
  if (args.help) return undefined;
  if (args.rerun === undefined) return { args, argv };
  const rerun = await planRerun(args.rerun, argv);
  io.stderr(`Rerun of ${rerun.from}: deno task bench ${rerun.shown.join(" ")}\n`);
  for (const note of rerun.notes) io.stderr(`  ${note}\n`);
  return { args: parseBenchArgs(expandListFlags(rerun.argv)), argv: rerun.argv, rerun };
}

// Reads the flags and the benchmark file into settings (a shard joins its coordinator here,
// recorded in `running`), and refuses an output directory that cannot be written; undefined
// for --help.
async function planRun(
  argv: readonly string[],
  io: BenchIO,
  running: Running,
): Promise<Plan | undefined> {
  const read = await readArgs(argv, io);
  if (read === undefined) return undefined;
  const { rerun } = read;
  // Repeated runs send one workload: --random-seed 42 unless one is given (AIPerf's).
  const args = withConsistentSeed(read.args);
  const loaded = args.config === undefined ? undefined : await loadBenchmarkFile(args.config);
  const shard = args.shard === undefined
    ? undefined
    : resolveShard(args.shard, Deno.env.toObject());
  const metricsArgs = serverMetricsArgs(args);
  // Every shard builds the same plan: without --random-seed, they agree on seed 0.
  const whole = resolveSettings(shard === undefined ? args : { randomSeed: 0, ...args }, loaded);
  if (shard !== undefined) {
    running.shard = await startShard(whole, {
      shard,
      ...(args.coordinator === undefined ? {} : { coordinator: args.coordinator }),
      ...(args.coordinatorTimeout === undefined ? {} : { timeoutSeconds: args.coordinatorTimeout }),
      env: Deno.env.toObject(),
      log: (line) => io.stderr(line + "\n"),
      print: io.stdout,
    });
  }
  const metrics = serverMetricsSetup(metricsArgs, running.shard?.settings ?? whole);
  // As `aiperf profile`: a run against a named server writes AIPerf's artifacts/ directory.
  const settings = io.aiperfArtifacts === true && args.url !== undefined &&
      shard === undefined && metrics.settings.output === undefined
    ? { ...metrics.settings, output: aiperfArtifactDir(args) }
    : metrics.settings;
  const search = searchSetting(args, settings);
  const multi = multiRunSetting(args, settings, shard !== undefined);
  const runConfig = await describeRun({
    argv: rerun?.argv ?? argv,
    args,
    ...(loaded === undefined ? {} : { loaded }),
    settings,
  });
  if (rerun !== undefined) {
    const differences = rerunDifferences(rerun.original, runConfig);
    io.stderr(
      differences.length === 0
        ? "  same plugmap, environment, files and settings as the original\n"
        : `  differs from the original:\n${differences.map((d) => `    ${d}\n`).join("")}`,
    );
  }
  await checkOutputDir(args, settings);
  return { args, settings, search, multi, runConfig, serverMetrics: metrics.run };
}

// Before anything is loaded or sent: a run whose files cannot be written is refused now.
async function checkOutputDir(args: BenchArgs, settings: BenchmarkSettings): Promise<void> {
  if (settings.output === undefined) return;
  const problem = await prepareOutputDir(settings.output);
  if (problem === undefined) return;
  throw new BenchConfigError(
    `cannot write to the output directory "${settings.output}": ${problem}`,
    args.output !== undefined
      ? { flag: "--output" }
      : { ...(args.config === undefined ? {} : { file: args.config }), field: "output" },
  );
}

// Creates the components and runs the search, the repeated runs, the sweep or the single run;
// the exit status.
async function runPlan(
  plan: Plan,
  io: BenchIO,
  stop: StopSignals,
  running: Running,
): Promise<number> {
  const { args, settings, search, multi } = plan;
  const prepared = await prepare(settings, io, running);
  if (typeof prepared === "number") return prepared;
  const records = await recordsPlace(settings);
  if (records.temp !== undefined) {
    running.temp = records.temp;
    stop.beforeQuit(() => Deno.removeSync(records.temp!, { recursive: true }));
  }
  stop.stage = "running";
  const runOptions = {
    ...prepared.runOptions,
    interrupt: stop.signal,
    runConfig: plan.runConfig,
    serverMetrics: plan.serverMetrics,
    ...(args.sliceDuration === undefined ? {} : { sliceMs: args.sliceDuration * 1000 }),
    intervals: { level: args.confidenceLevel ?? 0.95, seed: args.randomSeed ?? 0 },
    ...(running.shard?.gate === undefined ? {} : { startGate: running.shard.gate }),
  };
  const { registry, failures } = prepared;
  if (search !== undefined || multi !== undefined) {
    const { failed } = search !== undefined
      ? await runSearchCommand(registry, prepared.components, settings, runOptions, search, io)
      : await runProfileRunsCommand(registry, prepared.components, settings, runOptions, multi!, {
        stdout: io.stdout,
        stderr: io.stderr,
        ...(records.sweep === undefined ? {} : { recordsPath: records.sweep }),
      });
    stop.stage = "exporting";
    if (stop.status !== undefined) return stop.status;
    for (const reason of failures) io.stderr(`FAILED: ${reason}\n`);
    return failed || failures.length > 0 ? EXIT_FAILED : EXIT_OK;
  }
  const shard = running.shard;
  const components = shard?.wrap(prepared.components) ?? prepared.components;
  if (settings.sweep !== undefined) {
    const outcome = await runSweep(registry, components, settings, runOptions, {
      log: (line) => io.stderr(line + "\n"),
      ...(records.sweep === undefined ? {} : { recordsPath: records.sweep }),
      ...(shard?.sweep === undefined ? {} : { step: shard.sweep }),
    });
    stop.stage = "exporting";
    const status = await finishSweep(outcome, settings, failures, io, stop);
    return shard === undefined ? status : await shard.finish(undefined, status);
  }
  const result = await runBenchmark(components, settings, {
    ...runOptions,
    ...(records.run === undefined ? {} : { recordsPath: records.run }),
  });
  stop.stage = "exporting";
  const status = await finishRun(result, components, settings, io, stop);
  return shard === undefined ? status : await shard.finish(result, status);
}

// The exit status of a run that threw: 2 for the user's flags, files or dataset (videos without
// FFmpeg or its encoder among them), else 1 (or the stopping signal's status).
function errorStatus(error: unknown, io: BenchIO, stop: StopSignals): number {
  if (
    error instanceof BenchConfigError || error instanceof DatasetFileError ||
    error instanceof VideoError
  ) {
    io.stderr(`error: ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof PreflightError) {
    io.stderr(`error: ${error.message}\n`);
    return EXIT_FAILED;
  }
  io.stderr(`error: ${(error as Error)?.message ?? String(error)}\n`);
  return stop.status ?? EXIT_FAILED;
}

// Where the profiling records are streamed as they finish: the jsonl exporter's own file when it
// writes one into the output directory (then it is complete when the run ends, and whole lines
// up to the last second if the run is killed), else a temporary directory removed at the end.
async function recordsPlace(
  settings: BenchmarkSettings,
): Promise<{ run?: string; sweep?: (dir: string) => string; temp?: string }> {
  const jsonl = settings.exporters.find((e) => ["jsonl", "plugmap-bench/jsonl"].includes(e.name));
  const output = settings.output;
  const name = typeof jsonl?.config.filename === "string" ? jsonl.config.filename : "records.jsonl";
  // Not when something other than a file is in the way: the exporter then fails alone.
  const inTheWay = output !== undefined &&
    await Deno.stat(join(output, name)).then((info) => !info.isFile, () => false);
  if (output !== undefined && jsonl !== undefined && !inTheWay) {
    return { run: join(output, name), sweep: (dir) => join(output, dir, name) };
  }
  // Without permission to write (a library user's `deno run` without --allow-write), records
  // stay in memory as they did before streaming.
  const temp = await Deno.makeTempDir({ prefix: "plugmap-records-" }).catch(() => undefined);
  if (temp === undefined) return {};
  return { run: join(temp, "records.jsonl"), sweep: (dir) => join(temp, `${dir}.jsonl`), temp };
}

// The first failure's message, reading the records until one failed.
function firstError(result: BenchmarkResult): string | undefined {
  for (const r of result.readRecords?.() ?? result.records) {
    if (r.error !== undefined) return r.error;
  }
  return undefined;
}

/** What `main` must close, whatever happens. */
interface Running {
  shard?: ShardRun;
  server?: WorkerServer;
  pool?: WorkerPoolEndpoint;
  /** The temporary directory of the streamed records, if one was made. */
  temp?: string;
}

/** Everything a run needs, created. */
interface Prepared {
  readonly registry: Awaited<ReturnType<typeof createBenchRegistry>>;
  readonly components: Components;
  /** Why the run failed: hooks' `fail()`, and hooks that threw under strict plugins. */
  readonly failures: string[];
  readonly runOptions: Omit<RunOptions, "interrupt">;
}

// Loads the --tokenizer and the plugins, creates the components (and the embedded server and the
// worker pool, recorded in `running` for closing); returns an exit status when strict plugins
// refuse to start.
async function prepare(
  settings: BenchmarkSettings,
  io: BenchIO,
  running: Running,
): Promise<Prepared | number> {
  // Loaded only when asked for: the encodings and the HF library cost time to import.
  const tokenizer: TokenCounter | undefined = settings.tokenizer === undefined
    ? undefined
    : await loadTokenizer(settings.tokenizer);
  const registry = await createBenchRegistry(settings);
  for (const diagnostic of registry.diagnostics) io.stderr(formatDiagnostic(diagnostic) + "\n");
  // Strict: a plugin problem fails the run before it starts, used by this run or not.
  if (settings.strict && registry.diagnostics.length > 0) {
    const count = registry.diagnostics.length;
    io.stderr(
      `error: ${count} plugin problem${count === 1 ? "" : "s"} (strict plugins: ` +
        `--strict-plugins or strict: true)\n`,
    );
    return EXIT_FAILED;
  }
  const failures: string[] = [];
  let components = await createComponents(registry, settings, {
    ...(settings.embedded
      ? {
        startServer: async () => {
          running.server = await startServerWorker(settings.server);
          return running.server.url;
        },
      }
      : {}),
    hook: {
      log: (line) => io.stderr(line + "\n"),
      fail: (reason) => void failures.push(reason),
    },
    exporter: {
      ...(settings.output === undefined ? {} : { outputDir: settings.output }),
      write: io.stdout,
    },
    log: (line) => io.stderr(line + "\n"),
  });
  const server = running.server;
  if (server !== undefined) {
    const { ttftMs, itlMs, outputTokens, reasoningTokens } = settings.server;
    io.stderr(
      `Embedded server on ${server.url} (ttft ${ttftMs} ms, itl ${itlMs} ms, ` +
        `${outputTokens} tokens` +
        (reasoningTokens ? ` after ${reasoningTokens} reasoning` : "") +
        `); use --url to benchmark another server\n`,
    );
  }
  if (settings.workers > 1) {
    const endpoint = components.endpoint;
    running.pool = await WorkerPoolEndpoint.start(
      settings,
      endpoint.instance.url,
      settings.workers,
      { ...settings.endpoint.config, ...(server === undefined ? {} : { url: server.url }) },
      endpoint.instance,
    );
    components = { ...components, endpoint: { name: endpoint.name, instance: running.pool } };
  }
  return {
    registry,
    components,
    failures,
    runOptions: runOptions(settings, io, failures, tokenizer),
  };
}

function runOptions(
  settings: BenchmarkSettings,
  io: BenchIO,
  failures: string[],
  tokenizer: TokenCounter | undefined,
): Omit<RunOptions, "interrupt"> {
  return {
    failures,
    ...(settings.progress ?? true
      ? { progress: new ProgressLine({ write: io.stderr, terminal: io.terminal }) }
      : {}),
    onHookFailure: (f: HookFailure) => {
      const what = `phase hook "${f.hook}" threw in ${f.event} (${f.phase}): ${f.message}`;
      // Strict: the run goes on (the figures are still worth exporting), then fails.
      if (settings.strict) failures.push(what);
      else io.stderr(`warning: ${what}\n`);
    },
    onWarning: (warning: string) => io.stderr(`warning: ${warning}\n`),
    preflight: settings.preflight,
    workers: settings.workers,
    ...(tokenizer === undefined ? {} : { tokenizer }),
    // Without usage or --tokenizer, a non-streamed reply is counted with the default tokenizer.
    countWithDefaultTokenizer: true,
  };
}

// Runs every exporter (the console table whatever happens to the files), then says how the run
// went: the exit status.
async function finishRun(
  result: BenchmarkResult,
  components: Components,
  settings: BenchmarkSettings,
  io: BenchIO,
  stop: StopSignals,
): Promise<number> {
  let status = EXIT_OK;
  // Checked before the run; created again in case it went away meanwhile. Every exporter
  // runs whatever happens here: the console table is printed, each failed export named.
  if (settings.output !== undefined && components.exporters.length > 0) {
    await Deno.mkdir(settings.output, { recursive: true }).catch((error) => {
      io.stderr(
        `error: cannot create the output directory "${settings.output}": ` +
          `${(error as Error).message}\n`,
      );
      status = EXIT_FAILED;
    });
  }
  const exported = await runExporters(components.exporters, result);
  for (const path of exported.paths) io.stdout(`Wrote ${path}\n`);
  for (const failure of exported.failures) io.stderr(`error: ${failure}\n`);
  if (exported.failures.length > 0) status = EXIT_FAILED;
  if (stop.status !== undefined) return stop.status;
  for (const reason of result.failures) io.stderr(`FAILED: ${reason}\n`);
  if (result.failures.length > 0) status = EXIT_FAILED;
  const profiling = result.phases.profiling;
  if (profiling !== undefined && profiling.request_count === 0) {
    const first = firstError(result);
    io.stderr(`error: no request succeeded` + (first ? ` (first error: ${first})` : "") + "\n");
    status = EXIT_FAILED;
  }
  return status;
}

// Prints the sweep's table and writes its reports; the exit status.
async function finishSweep(
  outcome: SweepOutcome,
  settings: BenchmarkSettings,
  failures: readonly string[],
  io: BenchIO,
  stop: StopSignals,
): Promise<number> {
  let status = EXIT_OK;
  for (const failure of outcome.exportFailures) {
    io.stderr(`error: ${failure}\n`);
    status = EXIT_FAILED;
  }
  io.stdout("\n" + sweepTable(outcome.data));
  if (outcome.data.stopped !== undefined) {
    io.stderr(`Sweep stopped early: ${outcome.data.stopped}\n`);
  }
  if (settings.output !== undefined) {
    const paths = await writeSweepReports(settings.output, outcome.data);
    io.stdout(`Wrote ${outcome.paths.length} files under ${settings.output}/*/\n`);
    for (const path of paths) io.stdout(`Wrote ${path}\n`);
  }
  if (stop.status !== undefined) return stop.status;
  for (const reason of failures) io.stderr(`FAILED: ${reason}\n`);
  if (failures.length > 0) status = EXIT_FAILED;
  if (outcome.data.points.every((p) => p.ok === 0)) {
    io.stderr("error: no request succeeded\n");
    status = EXIT_FAILED;
  }
  return status;
}

if (import.meta.main) {
  // `deno task` runs in the folder of deno.json; relative paths (--input-file, --output,
  // AIPerf's artifacts/) are the user's, from where the task was started.
  const from = Deno.env.get("INIT_CWD");
  if (from !== undefined && from !== "") Deno.chdir(from);
  Deno.exit(await main(Deno.args));
}
