import { loadSource } from "../../sources/mod.ts";
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

/** What the README says of each category's template; the files are in `./templates/`. */
interface Template {
  /** What the implementation does (as its registry.yaml says). */
  readonly description: string;
  /** The contract it implements. */
  readonly contract: string;
  /** The benchmark file lines that select it (`__NAME__` is the implementation). */
  readonly select: string;
}

// Each category's files are real modules under ./templates/<category>/ (type-checked with the
// package, and published with it), read at run time: plugin.ts, plugin_check.ts (the test, not
// named *_test.ts so this repository's suite does not run it), registry.yaml; README.md is
// shared. Each is a small real implementation of the category's contract: the scaffold's test
// runs it in a short benchmark, so it must work as written.
const TEMPLATES: Readonly<Record<BenchCategory, Template>> = {
  exporter: {
    contract: "Exporter",
    description: "Writes one CSV row per profiling request to the output directory",
    select: "exporters: [__NAME__]",
  },
  phase_hook: {
    contract: "PhaseHook",
    description: "Prints a line when a phase starts and when it completes",
    select: "plugins:\n  phase_hooks: [__NAME__]",
  },
  endpoint: {
    contract: "Endpoint",
    description: "Sends each prompt to an OpenAI-style /v1/completions route, not streamed",
    select: "endpoint: __NAME__",
  },
  dataset: {
    contract: "Dataset",
    description: "The prompts listed in its config",
    select: "dataset: __NAME__",
  },
  dataset_sampler: {
    contract: "DatasetSampler",
    description: "Dataset entries from the last to the first, then again",
    select: "dataset_sampler: __NAME__",
  },
  timing_strategy: {
    contract: "TimingStrategy",
    description: "One request at a time, with a pause between them",
    select: "timing_strategy: __NAME__",
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
 * runs it in a short benchmark against the embedded server, a deno.json and a README. The
 * templates are read from this package (from a checkout, or fetched from where it was imported).
 *
 * @param s The plugin's names, its category and where plugmap comes from.
 * @returns File path (relative to the plugin's folder) to contents.
 * @throws {SourceError} When a template cannot be read.
 */
export async function scaffoldFiles(s: BenchScaffold): Promise<Record<string, string>> {
  const t = TEMPLATES[s.category];
  const cls = pascal(s.implementation) || "Plugin";
  const module = `${s.implementation.replaceAll("-", "_")}.ts`;
  const test = module.replace(/\.ts$/, "_test.ts");
  const requires = `${BENCH_HOST.name}>=${BENCH_HOST.version}`;
  const usage = s.category === "phase_hook"
    ? `plugins:\n  map:\n    __PLUGIN__: ./__PLUGIN__/registry.yaml\n  phase_hooks: [__NAME__]`
    : `${t.select}\nplugins:\n  map:\n    __PLUGIN__: ./__PLUGIN__/registry.yaml`;
  const checkout = s.checkout === undefined
    ? ""
    : `- plugmap comes from the checkout at \`${s.checkout}\` (deno.json \`"links"\`); remove
  \`"links"\` to use JSR.
`;
  // The README's values first: they hold the names filled after them.
  const fill = (text: string) =>
    text.replaceAll('"../../../mod.ts"', '"@plugmap/plugmap/bench"')
      .replaceAll("__USAGE__", usage)
      .replaceAll("__DESCRIPTION__", t.description)
      .replaceAll("__CONTRACT__", t.contract)
      .replaceAll("__REQUIRES__", requires)
      .replaceAll("__CATEGORY__", s.category)
      .replaceAll("__MODULE__", module)
      .replaceAll("__Class__", cls)
      .replaceAll("__PLUGIN__", s.plugin)
      .replaceAll("__NAME__", s.implementation);
  const [registry, source, testSource, readme] = await Promise.all([
    template(`${s.category}/registry.yaml`),
    template(`${s.category}/plugin.ts`),
    template(`${s.category}/plugin_check.ts`),
    template("README.md"),
  ]);
  return {
    "registry.yaml": fill(registry),
    [module]: fill(source),
    [test]: fill(testSource),
    "deno.json": JSON.stringify(denoJson(s, module), null, 2) + "\n",
    "README.md": fill(readme).replace("__CHECKOUT__\n", checkout),
  };
}

// A template file's text, from beside this module: a file in a checkout, fetched (https:) when
// the package was imported from JSR.
async function template(path: string): Promise<string> {
  return (await loadSource(new URL(`./templates/${path}`, import.meta.url))).text;
}

function denoJson(s: BenchScaffold, module: string): Record<string, unknown> {
  return {
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
}
