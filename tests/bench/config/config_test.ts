// Flags and benchmark files: typed errors naming the flag, or the file and the field.
import { BenchConfigError } from "../../../src/bench/config/bench_config_error.ts";
import { loadBenchmarkFile } from "../../../src/bench/config/load_benchmark_file.ts";
import { parseBenchArgs } from "../../../src/bench/config/parse_bench_args.ts";
import { resolveSettings } from "../../../src/bench/config/resolve_settings.ts";
import { assert, assertEquals, assertRejects, assertThrows } from "../_assert.ts";
import { runMain, tempTree } from "../_helpers.ts";

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

Deno.test("flags: an AIPerf command line works as it is", () => {
  const args = parseBenchArgs([
    "-m",
    "Qwen/Qwen3-0.6B",
    "--endpoint-type",
    "chat",
    "--streaming",
    "-u",
    "localhost:8000",
    "--custom-endpoint",
    "/v1/chat/completions",
    "--request-count",
    "20",
    "--benchmark-duration",
    "30",
    "--request-timeout-seconds",
    "5",
    "--api-key",
    "sk-x",
    "-H",
    "X-Trace: 1",
    "--header",
    "X-Other:two",
    "--extra-inputs",
    "ignore_eos:true",
    "--extra-inputs",
    "min_tokens:5",
    "--extra-inputs",
    '{"top_k": 1}',
    "--goodput",
    "time_to_first_token:100 inter_token_latency:3.40",
    "--tokenizer",
    "cl100k_base",
  ]);
  assertEquals(args.url, "http://localhost:8000");
  assertEquals(args.endpoint, "openai_chat");
  assertEquals(args.duration, 30);
  assertEquals(args.goodput?.map((s) => [s.metric, s.limit]), [
    ["time_to_first_token", 100],
    ["inter_token_latency", 3.4],
  ]);
  const settings = resolveSettings(args);
  assertEquals(settings.endpoint.config, {
    url: "http://localhost:8000",
    model: "Qwen/Qwen3-0.6B",
    streaming: true,
    path: "/v1/chat/completions",
    api_key: "sk-x",
    headers: { "X-Trace": "1", "X-Other": "two" },
    extra_body: { ignore_eos: true, min_tokens: 5, top_k: 1 },
    timeout_ms: 5000,
  });
  assertEquals(settings.tokenizer, "cl100k_base");
  // Today's names still work: --endpoint NAME, --duration; --endpoint /path is AIPerf's route.
  assertEquals(parseBenchArgs(["--endpoint", "openai_completions"]).endpoint, "openai_completions");
  assertEquals(parseBenchArgs(["--endpoint", "/v1/completions"]).endpointPath, "/v1/completions");
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
      ["--url", "ftp://localhost:8000"],
      'Invalid flag --url: expected an http(s) URL, got "ftp://localhost:8000"',
    ],
    [
      ["--concurency", "3"],
      'Invalid flag --concurency: unknown flag (did you mean "--concurrency"?); see --help',
    ],
    [["--model"], "Invalid flag --model: expected a value"],
    [["-m"], "Invalid flag --model: expected a value"],
    [
      ["--endpoint-type", "video"],
      'Invalid flag --endpoint-type: expected one of chat, completions, embeddings, responses, rankings, nim_rankings, hf_tei_rankings, cohere_rankings, got "video"',
    ],
    [
      ["--goodput", "ttft:20"],
      'Invalid flag --goodput: unknown metric "ttft" (did you mean "time_to_first_token"?); expected one of time_to_first_token, time_to_second_token, time_to_first_output_token, inter_token_latency, request_latency, output_token_throughput_per_user, output_sequence_length',
    ],
    [["-H", "no colon"], 'Invalid flag --header: expected "Name: value", got "no colon"'],
    [
      ["--extra-inputs", "{bad"],
      "Invalid flag --extra-inputs: not valid JSON: Expected property name or '}' in JSON at position 1 (line 1 column 2)",
    ],
    [
      ["--metric-percentiles", "50,101"],
      'Invalid flag --metric-percentiles: expected comma-separated percentiles from 0 to 100, got "50,101"',
    ],
    [
      ["--streaming", "--no-streaming"],
      "Invalid flag --no-streaming: cannot be combined with --streaming",
    ],
    [
      ["--arrival", "bursty"],
      'Invalid flag --arrival: expected one of constant, poisson, gamma, got "bursty"',
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
    // A duration gets AIPerf's default grace period (30 s) for the requests in flight at its end.
    assertEquals(plain.profiling, { durationMs: 500, gracePeriodMs: 30_000 });
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
  assertEquals(s.exporters.map((e) => e.name), [
    "console",
    "json",
    "jsonl",
    "csv",
    "html",
    "aiperf",
    "server_metrics",
  ]);
  const error = assertThrows(() => resolveSettings(parseBenchArgs(["--arrival", "poisson"])));
  assertEquals(
    error.message,
    "Invalid flag --arrival: needs --request-rate (or a request_rate timing strategy)",
  );
});

Deno.test("benchmark file: errors name the file and the field", async () => {
  const cases: [string, string][] = [
    [
      "endpoint: { name: openai_chat, confg: {} }",
      'line 1, column 32: endpoint.confg: unknown key "confg" (did you mean "config"?); known keys: name, config',
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
    [
      "timing: {}",
      'line 1, column 1: timing: unknown key "timing"; known keys: endpoint, timing_strategy, ' +
      "dataset, dataset_sampler, exporters, phases, strict, output, server, plugins",
    ],
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
      `Invalid benchmark file "${path}": line 3, column 3: endpoint.confg: unknown key "confg" (did you mean "config"?); known keys: name, config\n` +
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
        `line 1, column 26: timing_strategy.name: unknown timing_strategy "fixed_concurency" (did you mean "fixed_concurrency"?); available: fixed_concurrency, fixed_schedule, request_rate`,
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
