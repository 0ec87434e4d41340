// How a run is stopped from outside: SIGINT (Ctrl-C), SIGTERM (schedulers, `timeout`, CI) and
// SIGHUP (a closed terminal) each stop it gracefully: stop issuing, cancel what is in flight,
// export what was measured, exit 128 + the signal's number. One keypress can arrive several
// times within milliseconds (the terminal signals the whole process group and `deno task`
// forwards it again to its child): deliveries that close together are one event. A later one
// is deliberate: the process quits at once, after the last whole records are written and any
// half-written export file removed.

/** Exit status by signal: 128 + its number. */
const STATUS: Readonly<Record<StopSignalName, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/** The signals that stop a run. */
export type StopSignalName = "SIGINT" | "SIGTERM" | "SIGHUP";

/** Deliveries closer than this to the one before are the same event. */
const SAME_EVENT_MS = 300;

/** What the run is doing when a signal arrives. */
export type RunStage = "loading" | "running" | "exporting";

/** Options of {@linkcode StopSignals}. */
export interface StopSignalsOptions {
  /** Writes a line to standard error. */
  readonly stderr: (text: string) => void;
  /** Listen to the process's signals (false in tests that run `main` in process). */
  readonly listen: boolean;
  /** Aborting this stops the run as SIGINT would (the API's `interrupt`). */
  readonly external?: AbortSignal;
}

/** Listens to the stop signals for the length of one run. */
export class StopSignals {
  readonly #controller = new AbortController();
  readonly #options: StopSignalsOptions;
  readonly #listeners: [Deno.Signal, () => void][] = [];
  #last = -Infinity;
  #status: number | undefined;
  #quitting: (() => void)[] = [];
  /** What the run is doing; a first signal while loading quits at once (nothing measured). */
  stage: RunStage = "loading";

  /** @param options Where to write, whether to listen, an outside stop. */
  constructor(options: StopSignalsOptions) {
    this.#options = options;
    options.external?.addEventListener("abort", () => this.#stop("SIGINT", false), {
      once: true,
    });
    if (!options.listen) return;
    const names: StopSignalName[] = Deno.build.os === "windows"
      ? ["SIGINT"]
      : ["SIGINT", "SIGTERM", "SIGHUP"];
    for (const name of names) {
      const listener = () => this.#deliver(name);
      Deno.addSignalListener(name, listener);
      this.#listeners.push([name, listener]);
    }
  }

  /** Aborted at the first stop signal. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** 128 + the first signal's number, once one arrived; `undefined` before. */
  get status(): number | undefined {
    return this.#status;
  }

  /** Runs `cleanup` (synchronously) before a forced quit: flush, remove half-written files. */
  beforeQuit(cleanup: () => void): void {
    this.#quitting.push(cleanup);
  }

  /** Stops listening. */
  dispose(): void {
    for (const [name, listener] of this.#listeners) Deno.removeSignalListener(name, listener);
    this.#listeners.length = 0;
  }

  #deliver(name: StopSignalName): void {
    const now = performance.now();
    const same = now - this.#last < SAME_EVENT_MS;
    this.#last = now;
    if (same) return;
    if (this.#status !== undefined || this.stage === "loading") {
      this.#quit(name);
      return;
    }
    this.#stop(name, true);
  }

  #stop(name: StopSignalName, fromProcess: boolean): void {
    if (this.#controller.signal.aborted) return;
    this.#status = STATUS[name];
    const again = fromProcess ? ` (${name === "SIGINT" ? "Ctrl-C" : name} again to quit now)` : "";
    this.#options.stderr(
      this.stage === "exporting"
        ? `\nInterrupted (${name}): finishing the exports${again}\n`
        : `\nInterrupted (${name}): stopping; exporting what was measured${again}\n`,
    );
    this.#controller.abort();
  }

  #quit(name: StopSignalName): void {
    for (const cleanup of this.#quitting) {
      try {
        cleanup();
      } catch {
        // Quitting anyway: the cleanups are best effort.
      }
    }
    this.#options.stderr(`\nInterrupted (${name}): quitting now\n`);
    Deno.exit(this.#status ?? STATUS[name]);
  }
}
