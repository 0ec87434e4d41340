/** AIPerf's list flags: each takes the words after it, up to the next flag. */
const LIST_FLAGS = [
  "--server-metrics",
  "--gpu-telemetry",
  "--server-metrics-formats",
  "--audio-sample-rates",
  "--audio-depths",
];

/**
 * Rewrites AIPerf's list flags into repeated flags, as the settings table reads them:
 * `--server-metrics a:8081 b:9090` becomes `--server-metrics a:8081 --server-metrics b:9090`,
 * and `--gpu-telemetry` given without a URL becomes `--gpu-telemetry dashboard` (AIPerf's
 * keyword; the default DCGM endpoints are then scraped).
 *
 * @param argv The command line.
 * @returns The command line the table parses.
 *
 * @example
 * ```ts
 * import { expandListFlags } from "./expand_list_flags.ts";
 *
 * const argv = expandListFlags(["--server-metrics", "a:1", "b:2", "--gpu-telemetry", "-m", "x"]);
 * if (argv.join(" ") !== "--server-metrics a:1 --server-metrics b:2 --gpu-telemetry dashboard -m x") {
 *   throw new Error(argv.join(" "));
 * }
 * ```
 */
export function expandListFlags(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (!LIST_FLAGS.includes(flag)) {
      out.push(flag);
      continue;
    }
    let taken = 0;
    while (i + 1 < argv.length && !argv[i + 1]!.startsWith("-")) {
      out.push(flag, argv[++i]!);
      taken++;
    }
    if (taken === 0) out.push(flag, ...(flag === "--gpu-telemetry" ? ["dashboard"] : []));
  }
  return out;
}
