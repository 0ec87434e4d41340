/**
 * What collecting the server's metrics costs the client. Starts `deno task serve` (which serves
 * `/metrics` under vLLM's names) as its own process, then runs the bench against it in pairs,
 * once with collection (the default: its `/metrics` scraped every 333 ms in a worker) and once
 * with `--no-server-metrics`, the order alternating from pair to pair so a drift of the machine's
 * speed falls on both sides. Prints each pair's request throughput and TTFT p50 with and without,
 * their ratios, the time per scrape, and the median ratio over the pairs.
 *
 *   deno run -A scripts/bench_server_metrics_cost.ts [--pairs 8] [--concurrency 64]
 *     [--requests 3000] [--warmup 200]
 *
 * On a shared machine quote the median ratio, not a single run's figures.
 *
 * @module
 */
import { parseArgs } from "node:util";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    pairs: { type: "string", default: "8" },
    concurrency: { type: "string", default: "64" },
    requests: { type: "string", default: "3000" },
    warmup: { type: "string", default: "200" },
    port: { type: "string", default: "18977" },
  },
});
const pairs = Number(values.pairs);
const url = `http://127.0.0.1:${values.port}`;
const here = (path: string) => new URL(path, import.meta.url).pathname;

const server = new Deno.Command(Deno.execPath(), {
  args: [
    "run",
    "--lock=" + here("../bench.lock"),
    "--allow-net",
    here("../src/bench/serve.ts"),
    "--port",
    values.port,
    "--ttft-ms",
    "20",
    "--itl-ms",
    "2",
    "--output-tokens",
    "32",
  ],
  stdout: "null",
  stderr: "null",
}).spawn();

interface Figures {
  rps: number;
  ttftP50: number;
  scrapeP50?: number;
  scrapeP99?: number;
  scrapes?: number;
}

async function waitForServer(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      const response = await fetch(`${url}/health`);
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`The server at ${url} did not start`);
}

async function run(collect: boolean): Promise<Figures> {
  const out = await Deno.makeTempDir({ prefix: "plugmap-smcost-" });
  try {
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--lock=" + here("../bench.lock"),
        "--allow-net",
        "--allow-read",
        "--allow-write",
        "--allow-env",
        "--allow-import",
        here("../src/bench/main.ts"),
        "--url",
        url,
        "--concurrency",
        values.concurrency,
        "--request-count",
        values.requests,
        "--warmup-request-count",
        values.warmup,
        "--no-progress",
        "--output",
        out,
        ...(collect ? [] : ["--no-server-metrics"]),
      ],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (code !== 0) throw new Error(new TextDecoder().decode(stderr));
    const json = JSON.parse(await Deno.readTextFile(`${out}/profile_export.json`));
    const collection = json.phases.profiling.server_metrics?.collection;
    return {
      rps: json.metrics.request_throughput.avg,
      ttftP50: json.metrics.time_to_first_token.p50,
      ...(collection?.scrape_ms === undefined ? {} : {
        scrapeP50: collection.scrape_ms.p50,
        scrapeP99: collection.scrape_ms.p99,
        scrapes: collection.scrapes,
      }),
    };
  } finally {
    await Deno.remove(out, { recursive: true });
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const f = (x: number | undefined, digits = 1) => x === undefined ? "-" : x.toFixed(digits);

try {
  await waitForServer();
  const rpsRatios: number[] = [];
  const ttftRatios: number[] = [];
  const scrapeP50s: number[] = [];
  console.log(
    "| pair | order | requests/s on / off | ratio | TTFT p50 on / off (ms) | ratio | scrape p50 / p99 (ms) |",
  );
  console.log(
    "| ---- | ----- | ------------------- | ----- | ---------------------- | ----- | --------------------- |",
  );
  for (let i = 0; i < pairs; i++) {
    const onFirst = i % 2 === 0;
    const first = await run(onFirst);
    const second = await run(!onFirst);
    const [on, off] = onFirst ? [first, second] : [second, first];
    rpsRatios.push(on.rps / off.rps);
    ttftRatios.push(on.ttftP50 / off.ttftP50);
    if (on.scrapeP50 !== undefined) scrapeP50s.push(on.scrapeP50);
    console.log(
      `| ${i + 1} | ${onFirst ? "on, off" : "off, on"} | ${f(on.rps, 0)} / ${f(off.rps, 0)} | ` +
        `${f(on.rps / off.rps, 3)} | ${f(on.ttftP50)} / ${f(off.ttftP50)} | ` +
        `${f(on.ttftP50 / off.ttftP50, 3)} | ${f(on.scrapeP50)} / ${f(on.scrapeP99)} |`,
    );
  }
  console.log(
    `\nmedian over ${pairs} pairs: requests/s on/off ${f(median(rpsRatios), 3)} ` +
      `(min ${f(Math.min(...rpsRatios), 3)}, max ${f(Math.max(...rpsRatios), 3)}); ` +
      `TTFT p50 on/off ${f(median(ttftRatios), 3)} ` +
      `(min ${f(Math.min(...ttftRatios), 3)}, max ${f(Math.max(...ttftRatios), 3)}); ` +
      `time per scrape p50 ${f(scrapeP50s.length === 0 ? undefined : median(scrapeP50s))} ms`,
  );
} finally {
  server.kill();
  await server.status;
}
