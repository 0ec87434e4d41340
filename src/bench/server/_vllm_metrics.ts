// The embedded server's own Prometheus metrics, under vLLM's names, from its real state:
// requests running (arrived and not yet answered in full), waiting (always 0: this server
// queues nothing), prompt and generation tokens, finished requests, and the time to first
// token, inter-token latency and end-to-end latency histograms (vLLM v1's bucket bounds).

/** vLLM's TTFT bucket bounds (seconds). */
const TTFT_BUCKETS = [
  0.001,
  0.005,
  0.01,
  0.02,
  0.04,
  0.06,
  0.08,
  0.1,
  0.25,
  0.5,
  0.75,
  1,
  2.5,
  5,
  7.5,
  10,
  20,
  40,
  80,
];
/** vLLM's inter-token latency bucket bounds (seconds). */
const ITL_BUCKETS = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5];
/** vLLM's request latency bucket bounds (seconds). */
const E2E_BUCKETS = [0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240];

class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(readonly bounds: readonly number[]) {
    this.counts = bounds.map(() => 0);
  }
  observe(value: number): void {
    this.sum += value;
    this.count++;
    this.bounds.forEach((b, i) => {
      if (value <= b) this.counts[i]!++;
    });
  }
}

/** One request as the metrics see it. */
export interface TrackedRequest {
  /** The first token was sent at `at` (a `performance.now()` time). */
  firstToken(at: number): void;
  /** `count` more tokens were sent at `at`. */
  tokens(count: number, at: number): void;
  /** The response is over (sent in full, or cut); counted once. */
  end(finished: "stop" | "length" | "abort"): void;
}

/** The server's counters, gauges and histograms. */
export class VllmMetrics {
  #running = 0;
  #prompt = 0;
  #generation = 0;
  readonly #success = new Map<string, number>();
  readonly #ttft = new Histogram(TTFT_BUCKETS);
  readonly #itl = new Histogram(ITL_BUCKETS);
  readonly #e2e = new Histogram(E2E_BUCKETS);
  readonly #model: string;

  constructor(model: string) {
    this.#model = model;
  }

  /** A request is admitted at `arrived` with `promptTokens`. */
  start(arrived: number, promptTokens: number): TrackedRequest {
    this.#running++;
    this.#prompt += promptTokens;
    let last: number | undefined;
    let ended = false;
    return {
      firstToken: (at) => {
        if (last !== undefined) return;
        last = at;
        this.#ttft.observe((at - arrived) / 1000);
      },
      tokens: (count, at) => {
        if (count <= 0) return;
        this.#generation += count;
        if (last !== undefined && at > last) {
          // Tokens sent together: the gap is spread over them, as a streaming client sees it.
          const gap = (at - last) / 1000 / count;
          for (let i = 0; i < count; i++) this.#itl.observe(gap);
        }
        last = at;
      },
      end: (finished) => {
        if (ended) return;
        ended = true;
        this.#running--;
        this.#e2e.observe((performance.now() - arrived) / 1000);
        if (finished !== "abort") {
          this.#success.set(finished, (this.#success.get(finished) ?? 0) + 1);
        }
      },
    };
  }

  /** The page, in the Prometheus text format (0.0.4), as vLLM writes it. */
  render(): string {
    const model = `model_name="${this.#model.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
    const lines: string[] = [];
    const metric = (name: string, type: string, help: string, samples: string[]) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples);
    };
    metric("vllm:num_requests_running", "gauge", "Number of requests in model execution batches.", [
      `vllm:num_requests_running{${model}} ${this.#running}`,
    ]);
    metric("vllm:num_requests_waiting", "gauge", "Number of requests waiting to be processed.", [
      `vllm:num_requests_waiting{${model}} 0`,
    ]);
    metric("vllm:prompt_tokens_total", "counter", "Number of prefill tokens processed.", [
      `vllm:prompt_tokens_total{${model}} ${this.#prompt}`,
    ]);
    metric("vllm:generation_tokens_total", "counter", "Number of generation tokens processed.", [
      `vllm:generation_tokens_total{${model}} ${this.#generation}`,
    ]);
    metric(
      "vllm:request_success_total",
      "counter",
      "Count of successfully processed requests.",
      [...this.#success].map(([reason, n]) =>
        `vllm:request_success_total{finished_reason="${reason}",${model}} ${n}`
      ),
    );
    const histogram = (name: string, help: string, h: Histogram) => {
      const samples = h.bounds.map((b, i) => `${name}_bucket{le="${b}",${model}} ${h.counts[i]}`);
      samples.push(
        `${name}_bucket{le="+Inf",${model}} ${h.count}`,
        `${name}_count{${model}} ${h.count}`,
        `${name}_sum{${model}} ${h.sum}`,
      );
      metric(name, "histogram", help, samples);
    };
    histogram(
      "vllm:time_to_first_token_seconds",
      "Histogram of time to first token in seconds.",
      this.#ttft,
    );
    histogram(
      "vllm:inter_token_latency_seconds",
      "Histogram of inter-token latency in seconds.",
      this.#itl,
    );
    histogram(
      "vllm:e2e_request_latency_seconds",
      "Histogram of e2e request latency in seconds.",
      this.#e2e,
    );
    return lines.join("\n") + "\n";
  }
}

/**
 * The response with its body watched: when the body has been read to its end, the request
 * ends as `finished`; when the client goes away (the body is cancelled), as `abort`.
 */
export function trackedResponse(
  response: Response,
  tracked: TrackedRequest,
  finished: "stop" | "length",
): Response {
  const body = response.body;
  if (body === null) {
    tracked.end(finished);
    return response;
  }
  const reader = body.getReader();
  const watched = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await reader.read();
      if (done) {
        tracked.end(finished);
        controller.close();
      } else controller.enqueue(value);
    },
    cancel(reason) {
      tracked.end("abort");
      return reader.cancel(reason);
    },
  });
  return new Response(watched, { status: response.status, headers: response.headers });
}
