import type { Registry } from "../../../mod.ts";
import type { BenchmarkSettings } from "../config/resolve_settings.ts";
import type { Components } from "../run/create_components.ts";
import type { RunOptions } from "../run/run_benchmark.ts";
import { runSearch } from "./run_search.ts";
import type { SearchSetting } from "./search_setting.ts";
import { writeSearchReports } from "./write_search_reports.ts";

/** Where the search command writes. */
export interface SearchIO {
  /** The answer and the files written. */
  readonly stdout: (text: string) => void;
  /** Each probe's line, as it finishes; export failures. */
  readonly stderr: (text: string) => void;
}

/**
 * `deno task bench --search-space ...`: runs the search (each probe's line on standard error as
 * it finishes), prints the probes and the answer with its uncertainty, and with an output
 * folder writes each probe's exports, `search.json` and `search.html`.
 *
 * @param registry The benchmark's registry.
 * @param components The run's components.
 * @param settings The run's settings.
 * @param options Interruption, progress and hooks.
 * @param search What to search.
 * @param io Where to write.
 * @returns Whether it failed (an export failed, or no request of any probe succeeded).
 */
export async function runSearchCommand(
  registry: Registry,
  components: Components,
  settings: BenchmarkSettings,
  options: RunOptions,
  search: SearchSetting,
  io: SearchIO,
): Promise<{ readonly failed: boolean }> {
  io.stderr(
    `Searching the largest ${search.field} from ${search.low} to ${search.high} at which ` +
      `${(search.target * 100).toFixed(1)} % of requests meet every --goodput SLO\n`,
  );
  const outcome = await runSearch(
    registry,
    components,
    settings,
    options,
    search,
    (line) => io.stderr(line + "\n"),
  );
  let failed = false;
  for (const failure of outcome.exportFailures) {
    io.stderr(`error: ${failure}\n`);
    failed = true;
  }
  const data = outcome.data;
  const lines = data.probes.map((p, i) =>
    `  ${String(i + 1).padStart(2)}. ${search.field} ${String(p.value).padEnd(8)} ` +
    `${(p.fraction * 100).toFixed(1).padStart(5)} % good of ${p.ok + p.errors}, ` +
    `${p.errors} errors: ${p.passed ? "meets" : "misses"}  (${p.why})`
  );
  io.stdout(`\nSearch (${data.stopped}):\n${lines.join("\n")}\n${data.summary}\n`);
  if (settings.output !== undefined) {
    const paths = await writeSearchReports(settings.output, data);
    io.stdout(`Wrote ${outcome.paths.length} files under ${settings.output}/probe_*/\n`);
    for (const path of paths) io.stdout(`Wrote ${path}\n`);
  }
  if (data.probes.every((p) => p.ok === 0)) {
    io.stderr("error: no request succeeded\n");
    failed = true;
  }
  return { failed };
}
