// AIPerf's GPU telemetry time series, gpu_telemetry_export.jsonl, written beside ours with
// --gpu-telemetry: a DCGM exporter stand-in written apart from plugmap (servers/dcgm_server.ts,
// prom-client's exposition with dcgm-exporter's names and labels) serves two GPUs, and a script
// written against AIPerf's documented layout (aiperf_scripts/read_gpu_telemetry.py, Python
// standard library only) reads our file: its values equal what the exporter served, in AIPerf's
// units.
import { assert, assertEquals } from "./_assert.ts";
import { runMain } from "./_helpers.ts";

const SERVER = new URL("./servers/dcgm_server.ts", import.meta.url).pathname;
const SCRIPT = new URL("./aiperf_scripts/read_gpu_telemetry.py", import.meta.url).pathname;
const QUIET = ["--no-progress", "--ttft-ms", "5", "--itl-ms", "2", "--output-tokens", "16"];

interface Served {
  name: string;
  values: { value: number; labels: Record<string, string> }[];
}

async function withDcgmServer<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SERVER],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the DCGM test server did not start");
    text += value;
  }
  try {
    return await fn(`http://127.0.0.1:${text.trim()}`);
  } finally {
    child.kill("SIGKILL");
    await child.status;
    await reader.cancel().catch(() => {});
  }
}

async function readWithPython(dir: string) {
  const out = await new Deno.Command("python3", {
    args: [SCRIPT, dir],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(out.success, `the AIPerf reader failed: ${new TextDecoder().decode(out.stderr)}`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

Deno.test("gpu telemetry: a script written for AIPerf's layout reads gpu_telemetry_export.jsonl, values as served", async () => {
  await withDcgmServer(async (url) => {
    const dir = await Deno.makeTempDir({ prefix: "plugmap-gpu-" });
    try {
      const run = await runMain([
        "--gpu-telemetry",
        url.replace("http://", ""),
        "--request-count",
        "40",
        "--concurrency",
        "2",
        "--warmup-request-count",
        "0",
        "--output",
        dir,
        ...QUIET,
      ]);
      assertEquals(run.status, 0, run.stderr);
      const served: Served[][] = await (await fetch(`${url}/served`)).json();
      const seen = await readWithPython(dir);

      // Two GPUs (gpu 2 served only NaN), named by the exporter's labels.
      assertEquals(seen.gpus.map((g: { gpu_index: number }) => g.gpu_index), [0, 1]);
      for (const [i, gpu] of seen.gpus.entries()) {
        assertEquals(gpu.dcgm_url, `${url}/metrics`);
        assertEquals(gpu.gpu_uuid, `GPU-0000000${i}-aaaa-bbbb-cccc-dddddddddddd`);
        assertEquals(gpu.gpu_model_name, "NVIDIA H100 80GB HBM3");
        assertEquals(gpu.hostname, "dcgm-node-1");
        assert(gpu.time_ordered, "time ordered");
      }
      const samples = seen.gpus[0].samples;
      assert(samples >= 3, `only ${samples} scrapes recorded`);
      assert(samples <= served.length, `${samples} records, ${served.length} scrapes served`);
      assertEquals(seen.gpus[1].samples, samples);

      // Each record is one served scrape: gpu 0's power (100 + k) names it; every other value
      // of that record equals what prom-client says it served at scrape k, in AIPerf's units.
      const servedValue = (k: number, name: string, gpu: number) =>
        served[k - 1]!.find((m) => m.name === name)!.values.find((v) =>
          v.labels.gpu === String(gpu)
        )!.value;
      const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
      const scrapes = new Set<number>();
      for (const record of seen.records) {
        const gpu = record.gpu_index as number;
        const k = gpu === 0
          ? record.nvidia_power_usage - 100
          : (record.nvidia_power_usage - 200) / 2;
        assert(Number.isInteger(k) && k >= 1 && k <= served.length, `scrape ${k}`);
        if (gpu === 0) scrapes.add(k);
        const expect: [string, string, number][] = [
          ["nvidia_power_usage", "DCGM_FI_DEV_POWER_USAGE", 1],
          ["nvidia_gpu_utilization", "DCGM_FI_DEV_GPU_UTIL", 1],
          ["nvidia_memory_used", "DCGM_FI_DEV_FB_USED", 1.048576e-3],
          ["nvidia_temperature", "DCGM_FI_DEV_GPU_TEMP", 1],
          ["nvidia_energy_consumption", "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", 1e-9],
        ];
        for (const [field, dcgm, scale] of expect) {
          const want = servedValue(k, dcgm, gpu) * scale;
          assert(
            close(record[field], want),
            `gpu ${gpu} scrape ${k} ${field}: ${record[field]}, served ${want}`,
          );
        }
      }
      assertEquals(scrapes.size, samples, "one record per GPU per scrape");

      // profile_export_aiperf.json's telemetry_data: the profiling phase's statistics per GPU,
      // under AIPerf's names and units, from the same scrapes.
      const host = new URL(url).host;
      assertEquals(seen.endpoints_successful, [`${url}/metrics`]);
      assertEquals(
        seen.aggregated.map((g: { endpoint: string; key: string }) => `${g.endpoint} ${g.key}`),
        [`${host} gpu_0`, `${host} gpu_1`],
      );
      const [gpu0, gpu1] = seen.aggregated;
      assertEquals([gpu0.platform, gpu0.power_unit, gpu0.energy_unit], ["nvidia", "W", "MJ"]);
      assertEquals(gpu1.gpu_uuid, "GPU-00000001-aaaa-bbbb-cccc-dddddddddddd");
      const powers0 = seen.records.filter((r: { gpu_index: number }) => r.gpu_index === 0)
        .map((r: { nvidia_power_usage: number }) => r.nvidia_power_usage);
      assert(powers0.includes(gpu0.power_max_w), `power max ${gpu0.power_max_w}`);
      assert(gpu0.power_avg_w <= gpu0.power_max_w, "avg <= max");
      // The memory used at the scrape of the highest power (k = power - 100), in GB.
      assert(close(gpu0.memory_used_max_gb, (gpu0.power_max_w - 100) * 1000 * 1.048576e-3), "GB");
      // Energy: the counter's increase over the phase, 5e6 mJ a scrape for gpu 0, in MJ.
      const steps = gpu0.energy_mj / 0.005;
      assert(steps >= 1 && Math.abs(steps - Math.round(steps)) < 1e-6, `energy ${gpu0.energy_mj}`);
      // Ours are still written beside it, with the same exporter in the run's server metrics.
      const json = JSON.parse(await Deno.readTextFile(`${dir}/profile_export.json`));
      const metrics = json.phases.profiling.server_metrics.metrics;
      assertEquals(metrics.DCGM_FI_DEV_POWER_USAGE.series.length, 2);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

Deno.test("gpu telemetry: no exporter answering writes no gpu_telemetry_export.jsonl; without the flag, none either", async () => {
  // A port that was free a moment ago: nothing answers there.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const dir = await Deno.makeTempDir({ prefix: "plugmap-gpu-" });
  try {
    const run = await runMain([
      "--gpu-telemetry",
      `127.0.0.1:${port}`,
      "--request-count",
      "6",
      "--warmup-request-count",
      "0",
      "--output",
      `${dir}/a`,
      ...QUIET,
    ]);
    assertEquals(run.status, 0, run.stderr);
    assert(run.stderr.includes(`127.0.0.1:${port}/metrics`), run.stderr);
    const names = [...Deno.readDirSync(`${dir}/a`)].map((e) => e.name);
    assert(!names.some((n) => n.startsWith("gpu_telemetry_export")), names.join());
    const plain = await runMain([
      "--request-count",
      "4",
      "--warmup-request-count",
      "0",
      "--output",
      `${dir}/b`,
      ...QUIET,
    ]);
    assertEquals(plain.status, 0, plain.stderr);
    const written = [...Deno.readDirSync(`${dir}/b`)].map((e) => e.name);
    assert(written.includes("server_metrics_export.json"), written.join());
    assert(!written.includes("gpu_telemetry_export.jsonl"), written.join());
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
