// The reports a run writes: profile_export.csv (AIPerf's layout) and report.html, opened in a
// real headless Chromium with the network cut off.
import { assert, assertEquals } from "../_assert.ts";
import { visit } from "../_browser.ts";
import { runMain } from "../_helpers.ts";

const AIPERF_HEADER = "Metric,avg,min,max,p1,p5,p10,p25,p50,p75,p90,p95,p99,std";

async function benchRun(extra: string[] = []): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-report-" });
  const { status, stderr } = await runMain([
    "--output",
    dir,
    "--request-count",
    "60",
    "--warmup-request-count",
    "4",
    "--concurrency",
    "4",
    "--no-progress",
    ...extra,
  ]);
  assertEquals(status, 0, stderr);
  return dir;
}

Deno.test("report: --output writes profile_export.csv in AIPerf's layout, matching the JSON", async () => {
  const dir = await benchRun();
  try {
    const csv = await Deno.readTextFile(`${dir}/profile_export.csv`);
    const json = JSON.parse(await Deno.readTextFile(`${dir}/profile_export.json`));
    const [requestPart, systemPart] = csv.trimEnd().split("\n\n");
    const rows = requestPart!.split("\n");
    assertEquals(rows[0], AIPERF_HEADER);
    const names = rows.slice(1).map((r) => r.split(",")[0]);
    assertEquals(names, [...names].sort(), "rows sorted by metric name, as AIPerf does");
    const ttft = rows.find((r) => r.startsWith("Time to First Token (ms),"))!.split(",");
    const keys = AIPERF_HEADER.split(",");
    for (const [i, key] of keys.entries()) {
      if (i === 0) continue;
      const value = json.metrics.time_to_first_token[key];
      assertEquals(ttft[i], value === undefined ? "" : value.toFixed(2), key);
    }
    const system = systemPart!.split("\n");
    assertEquals(system[0], "Metric,Value");
    assert(system.includes(`Request Count,${json.metrics.request_count.avg}`), systemPart);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("report: report.html draws every chart in headless Chromium, offline, without errors", async () => {
  const dir = await benchRun();
  try {
    const page = await visit(`${dir}/report.html`);
    assertEquals(page.problems, []);
    assertEquals(page.requests, []);
    const ids = page.canvases.map((c) => c.id);
    assertEquals(ids, [
      "chart-ttft",
      "chart-itl",
      "chart-latency",
      "chart-latency-over-run",
      "chart-throughput",
      "chart-errors",
      // The embedded server's own /metrics (vLLM's names), under the client's charts.
      "chart-server-waiting",
      "chart-server-running",
      "chart-server-ttft",
    ]);
    assertEquals(page.drawn, ids.length);
    for (const c of page.canvases) {
      assert(c.width >= 300 && c.height >= 200, `${c.id}: ${c.width}x${c.height}`);
      assert(c.inked > 2000, `${c.id}: only ${c.inked} pixels drawn`);
    }
    // The data itself is drawn, not only the axes: bars, points and the throughput line.
    for (const id of ["chart-ttft", "chart-itl", "chart-latency", "chart-latency-over-run"]) {
      const c = page.canvases.find((c) => c.id === id)!;
      assert(c.seriesInk > 100, `${id}: ${c.seriesInk} pixels of series colour`);
    }
    const throughput = page.canvases.find((c) => c.id === "chart-throughput")!;
    assert(throughput.seriesInk > 50, `throughput line: ${throughput.seriesInk}`);
    for (const text of ["Time to First Token (ms)", "Client lateness guard", "fixed_concurrency"]) {
      assert(page.text.includes(text), text);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("report: the browser check sees console errors and network requests", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-report-" });
  try {
    await Deno.writeTextFile(
      `${dir}/bad.html`,
      `<!doctype html><body><img src="http://127.0.0.1:9/x.png"><div class="plot" id="p"></div>` +
        `<script>console.error("boom"); document.body.dataset.charts = "0";</script></body>`,
    );
    const page = await visit(`${dir}/bad.html`);
    // The blocked image also shows up as a console error ("Failed to load resource").
    assert(page.problems.includes("error: boom"), String(page.problems));
    assert(page.problems.some((p) => p.includes("Failed to load resource")), String(page.problems));
    assertEquals(page.requests, ["http://127.0.0.1:9/x.png"]);
    assertEquals(page.canvases, [{ id: "p", width: 0, height: 0, inked: 0, seriesInk: 0 }]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
