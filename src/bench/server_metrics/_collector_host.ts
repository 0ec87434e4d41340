// What the session asks of the collector, the same in a Worker and on the calling thread:
// start, a boundary scrape at each phase start and end, and closing (the JSONL file renamed
// into place whole, as every output file).
import { dirname } from "node:path";
import { ServerMetricsCollector } from "./server_metrics_collector.ts";
import type { CollectionCost, CollectorSettings, PhaseServerMetrics } from "./types.ts";

/** A request to the host. */
export type HostRequest =
  | { readonly op: "start"; readonly settings: CollectorSettings; readonly jsonlPath?: string }
  | { readonly op: "phaseStart"; readonly phase: number }
  | { readonly op: "phaseEnd"; readonly phase: number }
  | { readonly op: "close" };

/** Runs one collector for a session. */
export class CollectorHost {
  #collector: ServerMetricsCollector | undefined;
  #jsonl: { file: Deno.FsFile; path: string; temp: string } | undefined;
  readonly #thread: CollectionCost["thread"];
  /** Each phase's window start (epoch ms), by the number the session gave it. */
  readonly #starts = new Map<number, number>();
  // Requests are answered one at a time, in the order they came (a Worker's handler is async).
  #queue: Promise<unknown> = Promise.resolve();
  readonly #onWarning: (warning: string) => void;

  constructor(thread: CollectionCost["thread"], onWarning: (warning: string) => void) {
    this.#thread = thread;
    this.#onWarning = onWarning;
  }

  /** Answers one request, after the ones before it. */
  handle(request: HostRequest): Promise<PhaseServerMetrics | undefined> {
    const answer = this.#queue.then(() => this.#handle(request));
    this.#queue = answer.catch(() => {});
    return answer;
  }

  async #handle(request: HostRequest): Promise<PhaseServerMetrics | undefined> {
    if (request.op === "start") {
      const collector = new ServerMetricsCollector(request.settings);
      collector.onWarning = this.#onWarning;
      if (request.jsonlPath !== undefined) {
        await Deno.mkdir(dirname(request.jsonlPath), { recursive: true });
        const temp = `${request.jsonlPath}.${crypto.randomUUID().slice(0, 8)}.tmp`;
        const file = await Deno.open(temp, { write: true, createNew: true });
        this.#jsonl = { file, path: request.jsonlPath, temp };
        const encoder = new TextEncoder();
        collector.onScrape = (record) => {
          file.writeSync(encoder.encode(JSON.stringify(record) + "\n"));
        };
      }
      this.#collector = collector;
      collector.start();
      return undefined;
    }
    const collector = this.#collector;
    if (collector === undefined) throw new Error("Cannot use the collector before it starts");
    if (request.op === "phaseStart") {
      // The boundary scrape is the reference of the phase's counters and histograms: the
      // window opens just after it, so what the warmup did is not counted in the profiling.
      const before = Date.now();
      await collector.scrapeNow();
      this.#starts.set(request.phase, before + 0.5);
      return undefined;
    }
    if (request.op === "phaseEnd") {
      await collector.scrapeNow();
      const start = this.#starts.get(request.phase) ?? 0;
      return collector.summarize(start, Date.now(), this.#thread);
    }
    await collector.stop();
    if (this.#jsonl !== undefined) {
      const { file, path, temp } = this.#jsonl;
      file.close();
      await Deno.rename(temp, path);
      this.#jsonl = undefined;
    }
    return undefined;
  }
}
