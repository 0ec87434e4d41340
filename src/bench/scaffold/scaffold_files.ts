import { BENCH_HOST } from "../run/create_bench_registry.ts";

/** What `bench:plugins init` fills into its templates. */
export interface BenchScaffold {
  /** The plugin's name in its manifest (`plugin.name`) and in plugin maps. */
  readonly plugin: string;
  /** The JSR package name, `@scope/name`. */
  readonly package: string;
  /** The bench category the implementation belongs to. */
  readonly category: BenchCategory;
  /** The implementation's name. */
  readonly implementation: string;
  /** The plugmap version the plugin's deno.json asks for (`jsr:@plugmap/plugmap@^<version>`). */
  readonly plugmapVersion: string;
  /**
   * A plugmap checkout to link instead of downloading plugmap from JSR (deno.json `"links"`),
   * so the plugin's tests run offline against that checkout.
   */
  readonly checkout?: string;
}

/** The categories a benchmark plugin can provide. */
export type BenchCategory =
  | "endpoint"
  | "timing_strategy"
  | "dataset"
  | "dataset_sampler"
  | "phase_hook"
  | "exporter";

/** What each category's template is made of. */
interface Template {
  /** Contract types the module imports from `@plugmap/plugmap/bench`. */
  readonly types: readonly string[];
  /** What the implementation does, for the manifest and the README. */
  readonly description: string;
  /** The manifest's `config_schema:` lines (indented 6), or nothing. */
  readonly schema: string;
  /** The config interface's members. */
  readonly config: string;
  /** The class body (after `implements <Contract>`). */
  readonly body: string;
  /** The contract it implements. */
  readonly contract: string;
  /** The benchmark file lines that select it (`__NAME__` is the implementation). */
  readonly select: string;
  /** Lines of the test that check the benchmark's output (`out`, `stderr`, `dir` in scope). */
  readonly check: string;
}

// Each template is a small real implementation of the category's contract: the scaffold's test
// runs it in a short benchmark, so it must work as written.
const TEMPLATES: Readonly<Record<BenchCategory, Template>> = {
  exporter: {
    types: ["BenchmarkResult", "Exporter", "ExporterContext"],
    contract: "Exporter",
    description: "Writes one CSV row per profiling request to the output directory",
    schema: `
    config_schema:
      filename:
        type: string
        default: __NAME__.csv
        description: The file name inside the output directory`,
    config: `  /** The file name inside the output directory. */
  readonly filename: string;`,
    body: `  readonly #filename: string;
  readonly #dir: string | undefined;

  /**
   * @param config The validated config (defaults applied).
   * @param context The output directory (created by the host before export) and stdout.
   */
  constructor(config: __CLASS__Config, context: ExporterContext) {
    this.#filename = config.filename;
    this.#dir = context.outputDir;
  }

  /** Writes the file; returns its path (nothing without an output directory). */
  async export(result: BenchmarkResult): Promise<readonly string[]> {
    if (this.#dir === undefined) return [];
    const rows = [["index", "start_ms", "latency_ms", "error"]];
    for (const r of result.records) {
      rows.push([String(r.index), r.start_ms.toFixed(3), r.end_ms.toFixed(3), r.error ?? ""]);
    }
    const csv = rows.map((row) => row.map(cell).join(",")).join("\\n") + "\\n";
    const path = join(this.#dir, this.#filename);
    await Deno.writeTextFile(path, csv);
    return [path];
  }
}

/** A CSV cell, quoted when it holds a comma, a quote or a line break. */
function cell(text: string): string {
  return /[",\\r\\n]/.test(text) ? \`"\${text.replaceAll('"', '""')}"\` : text;`,
    select: `exporters: [__NAME__]`,
    check: `    const csv = await Deno.readTextFile(join(dir, "out", "__NAME__.csv"));
    const lines = csv.trimEnd().split("\\n");
    equal(lines[0], "index,start_ms,latency_ms,error");
    equal(lines.length, 1 + 4, csv);`,
  },
  phase_hook: {
    types: ["PhaseHook", "PhaseHookContext", "PhaseStart", "PhaseSummary"],
    contract: "PhaseHook",
    description: "Prints a line when a phase starts and when it completes",
    schema: `
    config_schema:
      prefix:
        type: string
        default: "[__NAME__]"
        description: Printed before each line`,
    config: `  /** Printed before each line. */
  readonly prefix: string;`,
    body: `  readonly #prefix: string;
  readonly #context: PhaseHookContext;

  /**
   * @param config The validated config (defaults applied).
   * @param context \`log\` prints a line; \`fail\` makes the run exit non-zero.
   */
  constructor(config: __CLASS__Config, context: PhaseHookContext) {
    this.#prefix = config.prefix;
    this.#context = context;
  }

  /** Called when a phase starts. */
  onPhaseStart(start: PhaseStart): void {
    this.#context.log(\`\${this.#prefix} \${start.phase} started\`);
  }

  /** Called when a phase is complete, with its statistics. */
  onPhaseComplete(summary: PhaseSummary): void {
    this.#context.log(
      \`\${this.#prefix} \${summary.phase}: \${summary.request_count} requests, \` +
        \`\${summary.error_request_count} errors\`,
    );
  }`,
    select: `plugins:
  phase_hooks: [__NAME__]`,
    check: `    match(stderr, /^\\[__NAME__\\] profiling: 4 requests, 0 errors$/m);`,
  },
  endpoint: {
    types: ["Endpoint", "EndpointRequest", "EndpointResult"],
    contract: "Endpoint",
    description: "Sends each prompt to an OpenAI-style /v1/completions route, not streamed",
    schema: `
    config_schema:
      url:
        type: string
        required: true
        description: The server's base URL (the embedded server's when none is given)
      model:
        type: string
        default: plugmap-mock
        description: The model to ask for
      max_tokens:
        type: integer
        default: 16
        description: Output tokens to ask for when the dataset entry does not say`,
    config: `  /** The server's base URL. */
  readonly url: string;
  /** The model to ask for. */
  readonly model: string;
  /** Output tokens to ask for when the dataset entry does not say. */
  readonly max_tokens: number;`,
    body: `  /** The full URL requests go to. */
  readonly url: string;
  /** Responses are not streamed, so the host measures latency but no TTFT. */
  readonly streaming = false;
  readonly #config: __CLASS__Config;

  /** @param config The validated config (defaults applied). */
  constructor(config: __CLASS__Config) {
    this.url = new URL("v1/completions", config.url.replace(/\\/*$/, "/")).href;
    this.#config = config;
  }

  /** Sends one request; never rejects: a failure is reported in \`error\`. */
  async send(request: EndpointRequest): Promise<EndpointResult> {
    const start = performance.now();
    try {
      const response = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          model: this.#config.model,
          prompt: request.prompt,
          max_tokens: request.maxTokens ?? this.#config.max_tokens,
        }),
        signal: request.signal,
      });
      if (!response.ok) {
        await response.body?.cancel();
        const end = performance.now();
        const error = \`HTTP \${response.status}\`;
        return { start, end, status: response.status, error, errorKind: "http" };
      }
      const body = await response.json();
      const usage = body.usage;
      return {
        start,
        end: performance.now(),
        status: response.status,
        outputText: String(body.choices?.[0]?.text ?? ""),
        ...(usage === undefined ? {} : {
          usage: { completion_tokens: usage.completion_tokens, prompt_tokens: usage.prompt_tokens },
        }),
      };
    } catch (error) {
      const end = performance.now();
      if (request.signal.aborted) return { start, end, cancelled: true, error: "cancelled" };
      return { start, end, error: (error as Error).message, errorKind: "connection" };
    }
  }`,
    select: `endpoint: __NAME__`,
    check: `    match(out, /Request Latency/);`,
  },
  dataset: {
    types: ["Dataset", "DatasetEntry"],
    contract: "Dataset",
    description: "The prompts listed in its config",
    schema: `
    config_schema:
      prompts:
        type: list
        default: ["Tell me a story", "Explain plugins in one line"]
        description: The prompts, sent in turn
      max_tokens:
        type: integer
        description: Output tokens to ask for (the endpoint's setting when absent)`,
    config: `  /** The prompts. */
  readonly prompts: readonly string[];
  /** Output tokens to ask for. */
  readonly max_tokens?: number;`,
    body: `  readonly #config: __CLASS__Config;

  /** @param config The validated config (defaults applied). */
  constructor(config: __CLASS__Config) {
    if (config.prompts.length === 0) throw new TypeError('Invalid "prompts": expected a prompt');
    this.#config = config;
  }

  /** Loads every entry; called once, before the first phase. */
  load(): Promise<readonly DatasetEntry[]> {
    const { prompts, max_tokens } = this.#config;
    return Promise.resolve(prompts.map((prompt) => ({
      prompt: String(prompt),
      ...(max_tokens === undefined ? {} : { maxTokens: max_tokens }),
    })));
  }`,
    select: `dataset: __NAME__`,
    check: `    match(out, /Request Latency/);`,
  },
  dataset_sampler: {
    types: ["DatasetSampler"],
    contract: "DatasetSampler",
    description: "Dataset entries from the last to the first, then again",
    schema: "",
    config: "",
    body: `  #count = 0;

  /** Returns the index of the entry the next request uses, in \`[0, size)\`. */
  next(size: number): number {
    return size - 1 - (this.#count++ % size);
  }`,
    select: `dataset_sampler: __NAME__`,
    check: `    match(out, /Request Latency/);`,
  },
  timing_strategy: {
    types: ["PhaseDriver", "TimingStrategy"],
    contract: "TimingStrategy",
    description: "One request at a time, with a pause between them",
    schema: `
    config_schema:
      pause_ms:
        type: number
        default: 0
        description: Milliseconds between a response and the next request`,
    config: `  /** Milliseconds between a response and the next request. */
  readonly pause_ms: number;`,
    body: `  readonly #pauseMs: number;

  /** @param config The validated config (defaults applied). */
  constructor(config: __CLASS__Config) {
    this.#pauseMs = config.pause_ms;
  }

  /** Issues requests one after another until the phase stops. */
  async run(driver: PhaseDriver): Promise<void> {
    for (;;) {
      const done = driver.issue();
      if (done === undefined) return;
      await done;
      if (this.#pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, this.#pauseMs));
    }
  }`,
    select: `timing_strategy: __NAME__`,
    check: `    match(out, /Request Latency/);`,
  },
};

/** The categories `bench:plugins init --category` takes. */
export const SCAFFOLD_CATEGORIES: readonly BenchCategory[] = Object.keys(
  TEMPLATES,
) as BenchCategory[];

function pascal(name: string): string {
  return name.split(/[_-]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join("");
}

/**
 * The files of a new benchmark plugin, path to text: a manifest requiring the bench host, one
 * module implementing the category's contract (typed with `@plugmap/plugmap/bench`), a test that
 * runs it in a short benchmark against the embedded server, a deno.json and a README.
 *
 * @param s The plugin's names, its category and where plugmap comes from.
 * @returns File path (relative to the plugin's folder) to contents.
 */
export function scaffoldFiles(s: BenchScaffold): Record<string, string> {
  const t = TEMPLATES[s.category];
  const cls = pascal(s.implementation) || "Plugin";
  const module = `${s.implementation.replaceAll("-", "_")}.ts`;
  const test = module.replace(/\.ts$/, "_test.ts");
  const fill = (text: string) =>
    text.replaceAll("__CLASS__", cls).replaceAll("__NAME__", s.implementation);
  const hasConfig = t.config !== "";
  const imports = [
    ...(s.category === "exporter" ? ['import { join } from "node:path";'] : []),
    `import type { ${t.types.join(", ")} } from "@plugmap/plugmap/bench";`,
  ].join("\n");
  const source = `${imports}
${
    hasConfig
      ? `
/** The config of {@linkcode ${cls}}, as its \`config_schema\` in registry.yaml declares it. */
export interface ${cls}Config {
${t.config}
}
`
      : ""
  }
/**
 * The "${s.implementation}" ${s.category}: ${t.description.toLowerCase()}. The benchmark creates it
 * through its factory with \`new ${cls}(config, context)\` when a benchmark file selects it.
 */
export class ${cls} implements ${t.contract} {
${t.body}
}
`;
  const asserts = t.check.includes("match(") ? "equal, match" : "equal";
  const testSource = `import { main } from "@plugmap/plugmap/bench";
import { ${asserts} } from "node:assert/strict";
import { join } from "node:path";

// Runs ${s.implementation} in a real short benchmark against the embedded server (127.0.0.1),
// mapped by its manifest the way a user maps it, with every plugin problem fatal.
Deno.test("${s.implementation} runs in a short benchmark", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const manifest = new URL("./registry.yaml", import.meta.url).href;
    await Deno.writeTextFile(
      join(dir, "bench.yaml"),
      \`phases: { warmup: { request_count: 0 }, profiling: { request_count: 4 } }
server: { ttft_ms: 1, itl_ms: 0, output_tokens: 4 }
output: \${JSON.stringify(join(dir, "out"))}
${fill(s.category === "phase_hook" ? "" : t.select + "\n")}plugins:
  map: { ${s.plugin}: \${JSON.stringify(manifest)} }
${s.category === "phase_hook" ? "  phase_hooks: [" + s.implementation + "]\n" : ""}\`,
    );
    let out = "";
    let stderr = "";
    const status = await main(
      ["--config", join(dir, "bench.yaml"), "--no-progress", "--strict-plugins"],
      {
        stdout: (text) => void (out += text),
        stderr: (text) => void (stderr += text),
        terminal: false,
        signals: false,
      },
    );
    equal(status, 0, stderr);
${fill(t.check)}
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
`;
  const requires = `${BENCH_HOST.name}>=${BENCH_HOST.version}`;
  const usage = s.category === "phase_hook"
    ? `plugins:\n  map:\n    ${s.plugin}: ./${s.plugin}/registry.yaml\n  phase_hooks: [${s.implementation}]`
    : `${fill(t.select)}\nplugins:\n  map:\n    ${s.plugin}: ./${s.plugin}/registry.yaml`;
  const denoJson: Record<string, unknown> = {
    name: s.package,
    version: "0.1.0",
    license: "MIT",
    exports: { ".": `./${module}` },
    imports: { "@plugmap/plugmap": `jsr:@plugmap/plugmap@^${s.plugmapVersion}` },
    ...(s.checkout === undefined ? {} : { links: [s.checkout] }),
    tasks: {
      test: "deno test -A",
      validate: `deno run -A jsr:@plugmap/plugmap@^${s.plugmapVersion}/cli validate ` +
        `registry.yaml --imports --host ${BENCH_HOST.name}@${BENCH_HOST.version}`,
    },
    publish: { exclude: ["*_test.ts"] },
    fmt: { lineWidth: 100, proseWrap: "preserve" },
  };
  return {
    "registry.yaml": `plugin:
  name: ${s.plugin}
  version: 0.1.0
  description: ${t.description}
  license: MIT
  requires:
    - ${requires}

${s.category}:
  ${s.implementation}:
    class: ./${module}#${cls}
    description: ${t.description}${fill(t.schema)}
`,
    [module]: fill(source),
    [test]: testSource,
    "deno.json": JSON.stringify(denoJson, null, 2) + "\n",
    "README.md": `# ${s.plugin}

A plugin for plugmap bench (\`deno task bench\`, or \`deno run -A jsr:@plugmap/plugmap/bench\`):
the \`${s.implementation}\` ${s.category}. ${t.description}.

## Use it

In a benchmark file (\`--config FILE\`), map the manifest and select the implementation:

\`\`\`yaml
${usage}
\`\`\`

## Develop it

- \`deno task test\` runs it in a short benchmark against the embedded server.
- The contracts are the types of \`jsr:@plugmap/plugmap/bench\` (\`${t.contract}\`); the manifest
  requires \`${requires}\`.
${
      s.checkout === undefined
        ? ""
        : `- plugmap comes from the checkout at \`${s.checkout}\` (deno.json \`"links"\`); remove
  \`"links"\` to use JSR.
`
    }`,
  };
}
