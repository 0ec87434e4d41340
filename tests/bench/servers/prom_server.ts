// A Prometheus-speaking server written apart from plugmap's collector and its embedded server:
// the exposition text comes from prom-client (the JavaScript Prometheus client), in the
// Prometheus text format or OpenMetrics. Usage: deno run -A prom_server.ts '<json>'; prints
// the port on its first line.
//
// Every GET /metrics first moves the state one step (scrape k = 1, 2, ...), then serves it:
//   tokens{model_name=a|b} counter: +10k for a, +3k for b
//   running{model_name=a|b} gauge: k % 5 for a, 2k for b
//   ttft_seconds{model_name=a|b} histogram (buckets 0.01 0.05 0.1 0.5 1): a observes k/100 s,
//     b observes 0.2 s twice
//   build_info{version="1.2.3"} gauge 1
// GET /served answers the values served by each scrape, in order, read from prom-client's own
// JSON (not from the text), so a test can check the collector against it.
//
// Options (all optional):
//   openmetrics: true for OpenMetrics text (counters as <name>_total, # EOF)
//   reset_at: at this scrape the registry is reset first (a server restart: counters restart)
//   malformed: append two malformed lines to every page
//   fault: "slow" (each page after 3 s), "huge" (a 12 MiB page), "json" (application/json)
import client from "npm:prom-client@^15.1.3";

const options = JSON.parse(Deno.args[0] ?? "{}") as {
  openmetrics?: boolean;
  reset_at?: number;
  malformed?: boolean;
  fault?: "slow" | "huge" | "json";
};

const registry = new client.Registry();
// prom-client types a registry by its content type; this one serves either.
if (options.openmetrics) registry.setContentType(client.openMetricsContentType as never);
const tokens = new client.Counter({
  name: "tokens",
  help: "Tokens generated",
  labelNames: ["model_name"],
  registers: [registry],
});
const running = new client.Gauge({
  name: "running",
  help: "Requests running",
  labelNames: ["model_name"],
  registers: [registry],
});
const ttft = new client.Histogram({
  name: "ttft_seconds",
  help: "Time to first token",
  labelNames: ["model_name"],
  buckets: [0.01, 0.05, 0.1, 0.5, 1],
  registers: [registry],
});
const info = new client.Gauge({
  name: "build_info",
  help: "Build",
  labelNames: ["version"],
  registers: [registry],
});

let k = 0;
const served: unknown[] = [];

async function step(): Promise<void> {
  k++;
  if (k === options.reset_at) registry.resetMetrics();
  tokens.inc({ model_name: "a" }, 10 * k);
  tokens.inc({ model_name: "b" }, 3 * k);
  running.set({ model_name: "a" }, k % 5);
  running.set({ model_name: "b" }, 2 * k);
  ttft.observe({ model_name: "a" }, k / 100);
  ttft.observe({ model_name: "b" }, 0.2);
  ttft.observe({ model_name: "b" }, 0.2);
  info.set({ version: "1.2.3" }, 1);
  // A copy: prom-client hands out its live objects.
  served.push(JSON.parse(JSON.stringify(await registry.getMetricsAsJSON())));
}

const server = Deno.serve({
  hostname: "127.0.0.1",
  port: 0,
  onListen: ({ port }) => console.log(port),
}, async (request) => {
  const path = new URL(request.url).pathname;
  if (path === "/served") return Response.json(served);
  if (path !== "/metrics") return new Response("not found", { status: 404 });
  await step();
  if (options.fault === "slow") await new Promise((r) => setTimeout(r, 3000));
  if (options.fault === "json") return Response.json({ iterations: [] });
  let text = await registry.metrics();
  if (options.malformed) {
    const lines = text.split("\n");
    lines.splice(2, 0, 'broken_metric{model_name="a" 12');
    lines.push("another one that is { not a sample");
    text = lines.join("\n");
  }
  if (options.fault === "huge") text += "# padding\n".repeat(1_300_000);
  return new Response(text, { headers: { "content-type": registry.contentType } });
});
await server.finished;
