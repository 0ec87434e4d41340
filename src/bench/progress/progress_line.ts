import type { PhaseCounters, PhaseProgress } from "../run/run_phase.ts";
import type { PhaseStart } from "../types.ts";

/** Options of {@linkcode ProgressLine}. */
export interface ProgressLineOptions {
  /** Where the lines go (standard error in the CLI). */
  readonly write: (text: string) => void;
  /** Redraw one line in place every 100 ms (a terminal) instead of a plain line every second. */
  readonly terminal: boolean;
}

/**
 * Shows a phase's progress: done/total, requests per second and errors. On a terminal one line
 * is redrawn in place; otherwise a plain line is printed periodically and at the end.
 *
 * @example
 * ```ts
 * import { ProgressLine } from "./progress_line.ts";
 *
 * let out = "";
 * const progress = new ProgressLine({ write: (t) => out += t, terminal: false });
 * progress.begin({ phase: "profiling", request_count: 10, started_at: "" }, () => ({
 *   done: 10, errors: 0, inFlight: 0, elapsedMs: 500,
 * }));
 * progress.end();
 * if (!out.includes("10/10")) throw new Error(out);
 * ```
 */
export class ProgressLine implements PhaseProgress {
  readonly #options: ProgressLineOptions;
  #timer: ReturnType<typeof setInterval> | undefined;
  #start: PhaseStart | undefined;
  #counters: (() => PhaseCounters) | undefined;

  /** @param options Where to write, and how. */
  constructor(options: ProgressLineOptions) {
    this.#options = options;
  }

  /** Starts showing a phase. */
  begin(start: PhaseStart, counters: () => PhaseCounters): void {
    this.#start = start;
    this.#counters = counters;
    const interval = this.#options.terminal ? 100 : 1000;
    this.#timer = setInterval(() => this.#show(false), interval);
  }

  /** Shows the final state of the phase and stops. */
  end(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#show(true);
    this.#start = undefined;
    this.#counters = undefined;
  }

  #show(final: boolean): void {
    const start = this.#start;
    const counters = this.#counters?.();
    if (start === undefined || counters === undefined) return;
    const line = format(start, counters);
    if (this.#options.terminal) {
      this.#options.write(`\r\x1b[2K${line}${final ? "\n" : ""}`);
    } else {
      this.#options.write(line + "\n");
    }
  }
}

function format(start: PhaseStart, c: PhaseCounters): string {
  const seconds = c.elapsedMs / 1000;
  const rate = seconds > 0 ? c.done / seconds : 0;
  const total = start.request_count === undefined ? "" : `/${start.request_count}`;
  const time = start.duration_ms === undefined
    ? `${seconds.toFixed(1)}s`
    : `${seconds.toFixed(1)}/${(start.duration_ms / 1000).toFixed(1)}s`;
  return `${start.phase.padEnd(9)} ${c.done}${total} requests | ${rate.toFixed(1)} req/s | ` +
    `${c.errors} errors | ${c.inFlight} in flight | ${time}`;
}
