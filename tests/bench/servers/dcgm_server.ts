// A DCGM exporter stand-in written apart from plugmap's collector: the exposition text comes from
// prom-client (the JavaScript Prometheus client) with dcgm-exporter's metric names and labels
// (gpu, UUID, device, modelName, Hostname), two GPUs. Usage: deno run -A dcgm_server.ts; prints
// the port on its first line.
//
// Every GET /metrics first moves the state one step (scrape k = 1, 2, ...), then serves it:
//   DCGM_FI_DEV_POWER_USAGE (W)              gpu 0: 100 + k, gpu 1: 200 + 2k
//   DCGM_FI_DEV_GPU_UTIL (%)                 gpu 0: 7k % 101, gpu 1: 50
//   DCGM_FI_DEV_FB_USED (MiB)                gpu 0: 1000k, gpu 1: 40960
//   DCGM_FI_DEV_GPU_TEMP (°C)                gpu 0: 40 + k % 5, gpu 1: 60; gpu 2: NaN (no record)
//   DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION     counter (mJ), gpu 0: 1e9 + 5e6 k, gpu 1: 2e9 + 1e7 k
//   dcgm_exporter_info (no gpu label)        1
// GET /served answers the values served by each scrape, in order, read from prom-client's own
// JSON (not from the text), so a test can check what was exported against it.
import client from "npm:prom-client@^15.1.3";

const registry = new client.Registry();
const labelNames = ["gpu", "UUID", "device", "modelName", "Hostname"];
const gauge = (name: string, help: string) =>
  new client.Gauge({ name, help, labelNames, registers: [registry] });
const power = gauge("DCGM_FI_DEV_POWER_USAGE", "Power draw (in W).");
const util = gauge("DCGM_FI_DEV_GPU_UTIL", "GPU utilization (in %).");
const fb = gauge("DCGM_FI_DEV_FB_USED", "Framebuffer memory used (in MiB).");
const temp = gauge("DCGM_FI_DEV_GPU_TEMP", "GPU temperature (in C).");
const energy = new client.Counter({
  name: "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION",
  help: "Total energy consumption since boot (in mJ).",
  labelNames,
  registers: [registry],
});
new client.Gauge({ name: "dcgm_exporter_info", help: "Exporter", registers: [registry] }).set(1);

const gpu = (i: number) => ({
  gpu: String(i),
  UUID: `GPU-0000000${i}-aaaa-bbbb-cccc-dddddddddddd`,
  device: `nvidia${i}`,
  modelName: "NVIDIA H100 80GB HBM3",
  Hostname: "dcgm-node-1",
});

let k = 0;
const served: unknown[] = [];

function step(): void {
  k++;
  power.set(gpu(0), 100 + k);
  power.set(gpu(1), 200 + 2 * k);
  util.set(gpu(0), (7 * k) % 101);
  util.set(gpu(1), 50);
  fb.set(gpu(0), 1000 * k);
  fb.set(gpu(1), 40960);
  temp.set(gpu(0), 40 + (k % 5));
  temp.set(gpu(1), 60);
  temp.set(gpu(2), NaN);
  energy.inc(gpu(0), k === 1 ? 1e9 + 5e6 : 5e6);
  energy.inc(gpu(1), k === 1 ? 2e9 + 1e7 : 1e7);
}

const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
  const path = new URL(request.url).pathname;
  if (path === "/served") return Response.json(served);
  if (path !== "/metrics") return new Response("not found", { status: 404 });
  step();
  // A copy: prom-client's JSON shares its counters' value objects, which later scrapes change.
  served.push(structuredClone(await registry.getMetricsAsJSON()));
  return new Response(await registry.metrics(), {
    headers: { "content-type": registry.contentType },
  });
});
console.log(server.addr.port);
