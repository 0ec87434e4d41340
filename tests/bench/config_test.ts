// Flags and benchmark files: typed errors naming the flag, or the file and the field.
import { BenchConfigError } from "../../src/bench/config/bench_config_error.ts";
import { loadBenchmarkFile } from "../../src/bench/config/load_benchmark_file.ts";
import { parseBenchArgs } from "../../src/bench/config/parse_bench_args.ts";
import { resolveSettings } from "../../src/bench/config/resolve_settings.ts";
import { assert, assertEquals, assertRejects, assertThrows } from "./_assert.ts";
import { runMain, tempTree } from "./_helpers.ts";

Deno.test("flags: parsed and typed", () => {
  assertEquals(
    parseBenchArgs([
      "--url=http://127.0.0.1:8000",
      "--model",
      "m",
      "--concurrency",
      "4",
      "--request-rate",
      "2.5",
      "--request-count",
      "10",
      "--duration",
      "1.5",
      "--warmup-request-count",
      "0",
      "--no-streaming",
      "--output",
      "out",
    ]),
    {
      url: "http://127.0.0.1:8000",
      model: "m",
      streaming: false,
      concurrency: 4,
      requestRate: 2.5,
      requestCount: 10,
      duration: 1.5,
      warmupRequestCount: 0,
      output: "out",
    },
  );
});

Deno.test("flags: bad values name the flag", () => {
  const cases: [string[], string][] = [
    [["--concurrency", "0"], 'Invalid flag --concurrency: expected a positive integer, got "0"'],
    [
      ["--concurrency", "2.5"],
      'Invalid flag --concurrency: expected a positive integer, got "2.5"',
    ],
    [["--request-rate=-1"], 'Invalid flag --request-rate: expected a number > 0, got "-1"'],
    [
      ["--request-rate", "-1"],
      'Invalid flag --request-rate: a value starting with "-" must be written --request-rate=<value>',
    ],
    [["--duration", "soon"], 'Invalid flag --duration: expected a number > 0, got "soon"'],
    [
      ["--url", "localhost:8000"],
      'Invalid flag --url: expected an http(s) URL, got "localhost:8000"',
    ],
    [["--concurency", "3"], "Invalid flag --concurency: unknown flag; see --help"],
    [["--model"], "Invalid flag --model: expected a value"],
    [
      ["--streaming", "--no-streaming"],
      "Invalid flag --no-streaming: cannot be combined with --streaming",
    ],
    [
      ["--arrival", "bursty"],
      'Invalid flag --arrival: expected "constant" or "poisson", got "bursty"',
    ],
  ];
  for (const [argv, message] of cases) {
    const error = assertThrows(() => parseBenchArgs(argv));
    assert(error instanceof BenchConfigError, String(error));
    assertEquals(error.message, message);
  }
});

Deno.test("settings: flags override the file; --request-rate switches the timing", async () => {
  const dir = await tempTree({
    "bench.yaml": `
endpoint: { name: openai_completions, config: { url: "http://127.0.0.1:9", model: a } }
timing_strategy: { name: fixed_concurrency, config: { concurrency: 3 } }
phases: { warmup: { request_count: 2 }, profiling: { duration: 500ms } }
output: out
`,
  });
  try {
    const loaded = await loadBenchmarkFile(`${dir}/bench.yaml`);
    const plain = resolveSettings({}, loaded);
    assertEquals(plain.endpoint, {
      name: "openai_completions",
      config: { url: "http://127.0.0.1:9", model: "a" },
      field: "endpoint",
    });
    assertEquals(plain.embedded, false);
    assertEquals(plain.profiling, { durationMs: 500 });
    assertEquals(plain.warmup, { requestCount: 2 });
    assertEquals(plain.output, "out");
    const flagged = resolveSettings(
      parseBenchArgs([
        "--model",
        "b",
        "--concurrency",
        "5",
        "--request-count",
        "7",
        "--warmup-request-count",
        "0",
        "--output",
        "elsewhere",
      ]),
      loaded,
    );
    assertEquals(flagged.endpoint.config.model, "b");
    assertEquals(flagged.timing.config, { concurrency: 5 });
    assertEquals(flagged.profiling, { requestCount: 7 });
    assertEquals(flagged.warmup, undefined);
    assertEquals(flagged.output, "elsewhere");
    const rate = resolveSettings(
      parseBenchArgs(["--request-rate", "20", "--concurrency", "4"]),
      loaded,
    );
    assertEquals(rate.timing, {
      name: "request_rate",
      config: { request_rate: 20, max_concurrency: 4 },
      field: "timing_strategy",
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("settings: defaults are a quick run against the embedded server", () => {
  const s = resolveSettings({});
  assertEquals(s.embedded, true);
  assertEquals(s.profiling, { requestCount: 100 });
  assertEquals(s.warmup, { requestCount: 8 });
  assertEquals(s.timing, {
    name: "fixed_concurrency",
    config: { concurrency: 8 },
    field: "timing_strategy",
  });
  assertEquals(s.exporters.map((e) => e.name), ["console", "json", "jsonl", "csv", "html"]);
  const error = assertThrows(() => resolveSettings({ arrival: "poisson" }));
  assertEquals(
    error.message,
    "Invalid flag --arrival: needs --request-rate (or a request_rate timing strategy)",
  );
});

Deno.test("benchmark file: errors name the file and the field", async () => {
  const cases: [string, string][] = [
    [
      "endpoint: { name: openai_chat, confg: {} }",
      'line 1, column 32: endpoint.confg: unknown key "confg"',
    ],
    [
      "phases: { profiling: { request_count: -1 } }",
      "line 1, column 39: phases.profiling.request_count: expected an integer >= 0",
    ],
    [
      "phases: { profiling: { duration: soon } }",
      'line 1, column 34: phases.profiling.duration: expected seconds > 0 or a duration such as "30s"',
    ],
    [
      "exporters: [console, { name: 3 }]",
      "line 1, column 30: exporters[1].name: expected a string",
    ],
    [
      "plugins: { phase_hooks: [{ name: x, config: 3 }] }",
      "line 1, column 45: plugins.phase_hooks[0].config: expected an object of settings",
    ],
    ["timing: {}", 'line 1, column 1: timing: unknown key "timing"'],
    ["endpoint: [", "line 1, column 12: unexpected end of the stream within a flow collection"],
  ];
  const dir = await Deno.makeTempDir();
  try {
    for (const [text, detail] of cases) {
      const path = `${dir}/b.yaml`;
      await Deno.writeTextFile(path, text);
      const error = await assertRejects(() => loadBenchmarkFile(path));
      assert(error instanceof BenchConfigError, String(error));
      assertEquals(error.message, `Invalid benchmark file "${path}": ${detail}`);
      assertEquals(error.file, path);
    }
    const missing = await assertRejects(() => loadBenchmarkFile(`${dir}/nope.yaml`));
    assertEquals(missing.message, `Invalid benchmark file "${dir}/nope.yaml": file not found`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("benchmark file: every problem is reported, in file order, each with its line", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/b.yaml`;
    await Deno.writeTextFile(
      path,
      "endpoint:\n  name: openai_chat\n  confg: {}\nphases:\n  profiling:\n    request_count: -1\n",
    );
    const error = await assertRejects(() => loadBenchmarkFile(path));
    assert(error instanceof BenchConfigError, String(error));
    assertEquals(
      error.message,
      `Invalid benchmark file "${path}": line 3, column 3: endpoint.confg: unknown key "confg"\n` +
        "  line 6, column 20: phases.profiling.request_count: expected an integer >= 0",
    );
    assertEquals([error.line, error.column], [3, 3]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("main: a bad config exits 2 naming the file and the field", async () => {
  const dir = await tempTree({
    "unknown.yaml": "timing_strategy: { name: fixed_concurency }\n",
    "badconfig.yaml":
      "timing_strategy: { name: fixed_concurrency, config: { concurrency: many } }\n",
    "extra.yaml": "dataset: { name: synthetic, config: { sise: 3 } }\n",
    "nohook.yaml": "plugins: { phase_hooks: [{ name: nope }] }\n",
  });
  try {
    const cases: [string, string][] = [
      [
        "unknown.yaml",
        `line 1, column 26: timing_strategy.name: unknown timing_strategy "fixed_concurency" (did you mean "fixed_concurrency"?); available: fixed_concurrency, request_rate`,
      ],
      ["badconfig.yaml", "line 1, column 53: timing_strategy.config: "],
      ["extra.yaml", "line 1, column 37: dataset.config: "],
      ["nohook.yaml", 'line 1, column 34: plugins.phase_hooks[0].name: unknown phase_hook "nope"'],
    ];
    for (const [file, detail] of cases) {
      const { status, stderr } = await runMain(["--config", `${dir}/${file}`]);
      assertEquals(status, 2, stderr);
      const expected = `error: Invalid benchmark file "${dir}/${file}": ${detail}`;
      assert(stderr.startsWith(expected), `${stderr}\nexpected: ${expected}`);
    }
    const flag = await runMain(["--concurrency", "zero"]);
    assertEquals(flag.status, 2);
    assertEquals(
      flag.stderr,
      'error: Invalid flag --concurrency: expected a positive integer, got "zero"\n',
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("main: --help prints the flags and exits 0", async () => {
  const { status, stdout } = await runMain(["--help"]);
  assertEquals(status, 0);
  for (
    const flag of [
      "--url",
      "--config",
      "--request-rate",
      "--duration",
      "--output",
      "--no-streaming",
    ]
  ) {
    assert(stdout.includes(flag), flag);
  }
});
