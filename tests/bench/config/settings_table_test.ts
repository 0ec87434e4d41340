import { generated } from "../../../scripts/gen_cli_docs.ts";
import { AIPERF_OPTIONS } from "../../../src/bench/config/aiperf_options.ts";
import { rowsFor } from "../../../src/bench/config/cli_reference.ts";
import { BenchConfigError } from "../../../src/bench/config/bench_config_error.ts";
import { BENCH_HELP, parseBenchArgs } from "../../../src/bench/config/parse_bench_args.ts";
import { parseServeArgs, SERVE_HELP } from "../../../src/bench/config/parse_serve_args.ts";
import type { Setting } from "../../../src/bench/config/setting.ts";
import { SETTINGS } from "../../../src/bench/config/settings_table.ts";
import { resolveSettings } from "../../../src/bench/config/resolve_settings.ts";
import { assert, assertEquals, assertThrows } from "../_assert.ts";
import { runMain, tempTree } from "../_helpers.ts";

const ROWS = SETTINGS as readonly Setting[];
const STALE = "is stale: run `deno task gen:cli` and commit the result";

Deno.test("settings table: docs/cli.md and schema/benchmark.schema.json are generated from it", async () => {
  const { cli, schema } = await generated();
  const root = new URL("../../../", import.meta.url);
  assertEquals(await Deno.readTextFile(new URL("docs/cli.md", root)), cli, `docs/cli.md ${STALE}`);
  assertEquals(
    await Deno.readTextFile(new URL("schema/benchmark.schema.json", root)),
    schema,
    `schema/benchmark.schema.json ${STALE}`,
  );
});

Deno.test("settings table: every spelling of every flag is in --help and docs/cli.md", async () => {
  const doc = await Deno.readTextFile(new URL("../../../docs/cli.md", import.meta.url));
  const seen = new Set<string>();
  for (const row of ROWS) {
    const help = (row.commands ?? ["bench"]).includes("bench") ? BENCH_HELP : SERVE_HELP;
    const spellings = [
      ...row.flags.map((name) => `--${name}`),
      ...(row.negatable ? [`--no-${row.flags[0]}`] : []),
      ...(row.short === undefined ? [] : [`-${row.short}`]),
    ];
    for (const flag of spellings) {
      assert(new RegExp(`${flag}\\b`).test(help), `${flag} is not in --help`);
      assert(doc.includes(flag), `${flag} is not in docs/cli.md`);
    }
    for (const name of row.flags) {
      const key = `${(row.commands ?? ["bench"]).join()}:${name}`;
      assert(!seen.has(key), `--${name} is spelled by two rows`);
      seen.add(key);
    }
    assert(row.aiperf === "same" || row.aiperf === "ours" || row.aiperfNote, `${row.key}: note`);
  }
});

Deno.test("flags: two spellings of one setting exit 2 naming both; --no-x is the one negation", () => {
  const cases: [string[], string][] = [
    [
      ["--duration", "5", "--benchmark-duration", "9"],
      "--benchmark-duration: cannot be combined with --duration",
    ],
    [["--progress", "--no-progress"], "--no-progress: cannot be combined with --progress"],
    [["--no-usage", "--usage"], "--usage: cannot be combined with --no-usage"],
    [
      ["--isl", "4", "--synthetic-input-tokens-mean", "4"],
      "--synthetic-input-tokens-mean: cannot be combined with --isl",
    ],
    [["--artifact-dir", "a", "--output", "b"], "--output: cannot be combined with --artifact-dir"],
  ];
  for (const [argv, message] of cases) {
    const error = assertThrows(() => parseBenchArgs(argv));
    assert(error instanceof BenchConfigError, String(error));
    assertEquals(error.message, `Invalid flag ${message}`);
  }
  // One spelling given twice: the last wins (as before).
  assertEquals(parseBenchArgs(["--duration", "5", "--duration", "9"]).duration, 9);
  // --preflight and --usage are read (they were accepted and ignored).
  assertEquals(resolveSettings(parseBenchArgs(["--preflight"])).preflight, true);
  assertEquals(resolveSettings(parseBenchArgs(["--no-preflight"])).preflight, false);
  assertEquals(resolveSettings(parseBenchArgs(["--usage"])).server.usage, true);
  assertEquals(resolveSettings(parseBenchArgs(["--no-usage"])).server.usage, false);
});

Deno.test("deno task serve: the embedded server's rows, with the bench's messages", () => {
  const { options } = parseServeArgs(["--ttft-ms", "0", "--no-usage", "--model", "x"]);
  assertEquals(options, {
    port: 8000,
    hostname: "127.0.0.1",
    model: "x",
    ttftMs: 0,
    usage: false,
  });
  const error = assertThrows(() => parseServeArgs(["--output-tokens", "0"]));
  assertEquals(error.message, 'Invalid flag --output-tokens: expected a positive integer, got "0"');
  assertThrows(() => parseServeArgs(["--concurrency", "4"]));
});

Deno.test("the benchmark file's server keys take the table's values, and its defaults", async () => {
  const dir = await tempTree({
    "b.yaml": "server: { ttft_ms: 0, reasoning_field: reasoning_content }\n",
  });
  try {
    const { loadBenchmarkFile } = await import("../../../src/bench/config/load_benchmark_file.ts");
    const settings = resolveSettings(
      parseBenchArgs(["--itl-ms", "1"]),
      await loadBenchmarkFile(`${dir}/b.yaml`),
    );
    assertEquals(settings.server.ttftMs, 0);
    assertEquals(settings.server.itlMs, 1);
    assertEquals(settings.server.outputTokens, 32);
    assertEquals(settings.server.reasoningField, "reasoning_content");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const LENGTHS = `
export class Lengths {
  #mean: number;
  constructor(config: { input_tokens_mean?: number }) { this.#mean = config.input_tokens_mean ?? 1; }
  async load() { return [{ prompt: "word ".repeat(this.#mean).trim(), maxTokens: 2 }]; }
}
`;

Deno.test("a dataset plugin that declares a workload key in config_schema gets its flag", async () => {
  const dir = await tempTree({
    "mine/registry.yaml": `
plugin: { name: mine, version: 1.0.0 }
dataset:
  lengths:
    class: ./lengths.ts#Lengths
    description: One prompt of input_tokens_mean words
    config_schema:
      input_tokens_mean: { type: integer, description: Words per prompt (--isl) }
  plain:
    class: ./lengths.ts#Lengths
    description: The same, declaring nothing
`,
    "mine/lengths.ts": LENGTHS,
    "b.yaml": `
dataset: lengths
phases: { warmup: { request_count: 0 }, profiling: { request_count: 2 } }
server: { ttft_ms: 0, itl_ms: 0, output_tokens: 2 }
exporters: [json]
plugins: { map: { mine: ./mine/registry.yaml } }
`,
  });
  try {
    const config = `${dir}/b.yaml`;
    const ok = await runMain(["--config", config, "--isl", "7", "--output", `${dir}/out`]);
    assertEquals(ok.status, 0, ok.stderr);
    const exported = JSON.parse(await Deno.readTextFile(`${dir}/out/profile_export.json`));
    // The plugin made a prompt of 7 words: 7 cl100k tokens as the embedded server counts them.
    assertEquals(exported.metrics.input_sequence_length.avg, 7);
    await Deno.writeTextFile(
      config,
      (await Deno.readTextFile(config)).replace("dataset: lengths", "dataset: plain"),
    );
    const refused = await runMain(["--config", config, "--isl", "7"]);
    assertEquals(refused.status, 2);
    assert(
      refused.stderr.includes(
        'Invalid flag --isl: does not apply to the dataset "plain" (its config_schema has no "input_tokens_mean")',
      ),
      refused.stderr,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("settings table: every AIPerf option is taken by a row or says why not", () => {
  const taken = new Set<Setting>();
  for (const option of AIPERF_OPTIONS) {
    const [row, ...others] = rowsFor(option);
    if (row === undefined) {
      assert(option.why !== "", `${option.flags.join(" ")}: not supported, and no reason given`);
      continue;
    }
    for (const r of [row, ...others]) taken.add(r);
    assert(row.aiperf !== "ours", `${row.key} takes AIPerf's ${option.flags[0]}: not "ours"`);
    const ours = row.defaultText ?? (row.default === undefined ? "" : String(row.default));
    if (row.aiperf === "same" && option.default !== "" && ours !== "") {
      assert(
        // AIPerf's reference writes Python's True and False.
        ours.toLowerCase() === option.default.toLowerCase() ||
          Number(ours) === Number(option.default),
        `${row.key}: "same" as AIPerf, but the defaults differ (${ours}, ${option.default})`,
      );
    }
  }
  for (const row of ROWS) {
    if (row.aiperf !== "ours" && (row.commands ?? ["bench"]).includes("bench")) {
      assert(
        taken.has(row),
        `${row.key} is marked "${row.aiperf}" but no AIPerf option is spelled so`,
      );
    }
  }
});
