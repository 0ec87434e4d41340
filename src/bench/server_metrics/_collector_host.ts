// What the session asks of the collector, the same in a Worker and on the calling thread:
// start, a boundary scrape at each phase start and end, and closing (the JSONL files renamed
// into place whole, as every output file).
import { dirname } from "node:path";
import { gpuTelemetryRecords } from "./gpu_telemetry_records.ts";
import { ServerMetricsCollector } from "./server_metrics_collector.ts";
import type { CollectionCost, CollectorSettings, PhaseServerMetrics } from "./types.ts";

/** A request to the host. */
export type HostRequest =
  | {
    readonly op: "start";
    readonly settings: CollectorSettings;
    readonly jsonlPath?: string;
    readonly gpuJsonlPath?: string;
  }
  | { readonly op: "phaseStart"; readonly phase: number }
  | { readonly op: "phaseEnd"; readonly phase: number }
  | { readonly op: "close" };

/** Runs one collector for a session. */
export class CollectorHost {
  #collector: ServerMetricsCollector | undefined;
  #jsonl: LineFile | undefined;
  #gpuJsonl: LineFile | undefined;
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
        const jsonl = this.#jsonl = await LineFile.open(request.jsonlPath);
        collector.onScrape = (record) => jsonl.write(record);
      }
      if (request.gpuJsonlPath !== undefined) {
        const gpu = this.#gpuJsonl = await LineFile.open(request.gpuJsonlPath);
        collector.onPage = (endpoint, time, families) => {
          if (endpoint.kind !== "gpu") return;
          for (const record of gpuTelemetryRecords(endpoint.url, time, families)) gpu.write(record);
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
    await this.#jsonl?.close(true);
    // No DCGM exporter answered: no GPU telemetry file, rather than an empty one.
    await this.#gpuJsonl?.close(false);
    this.#jsonl = this.#gpuJsonl = undefined;
    return undefined;
  }
}

/** A JSON Lines file written as the run goes, under a temporary name until it is closed. */
class LineFile {
  readonly #file: Deno.FsFile;
  readonly #path: string;
  readonly #temp: string;
  readonly #encoder = new TextEncoder();
  #lines = 0;

  private constructor(file: Deno.FsFile, path: string, temp: string) {
    this.#file = file;
    this.#path = path;
    this.#temp = temp;
  }

  static async open(path: string): Promise<LineFile> {
    await Deno.mkdir(dirname(path), { recursive: true });
    const temp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
    return new LineFile(await Deno.open(temp, { write: true, createNew: true }), path, temp);
  }

  write(value: unknown): void {
    this.#file.writeSync(this.#encoder.encode(JSON.stringify(value) + "\n"));
    this.#lines++;
  }

  /** Renames the file into place, or removes it when empty and `keepEmpty` is false. */
  async close(keepEmpty: boolean): Promise<void> {
    this.#file.close();
    if (this.#lines === 0 && !keepEmpty) await Deno.remove(this.#temp);
    else await Deno.rename(this.#temp, this.#path);
  }
}
