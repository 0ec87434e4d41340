// Files are written whole or not at all: exporters, sweep files and bench:report outputs.
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { runMain } from "./_helpers.ts";
import { writeOutputFile } from "../../src/bench/_write_output_file.ts";

/** A stream that yields `text` and then fails, as a write cut by a full disk would. */
function failingStream(text: string): ReadableStream<string> {
  let sent = false;
  return new ReadableStream({
    pull(controller) {
      if (sent) controller.error(new Error("disk full"));
      else controller.enqueue(text);
      sent = true;
    },
  });
}

Deno.test("writeOutputFile: a failed write leaves the old file and no temporary file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // The hazard: writing in place loses the old file and leaves a truncated one behind.
    await Deno.writeTextFile(`${dir}/direct.json`, "old");
    await Deno.writeTextFile(`${dir}/direct.json`, failingStream("{half")).catch(() => {});
    assert(await Deno.readTextFile(`${dir}/direct.json`) !== "old");

    await Deno.writeTextFile(`${dir}/a.json`, "old");
    const error = await assertRejects(() =>
      writeOutputFile(`${dir}/a.json`, failingStream("{half"))
    );
    assert(error.message.startsWith(`Cannot write "${dir}/a.json": `), error.message);
    assertEquals(await Deno.readTextFile(`${dir}/a.json`), "old");
    assertEquals(await list(dir), ["a.json", "direct.json"]);

    // A target that is a directory: refused, the directory untouched, nothing left beside it.
    await Deno.mkdir(`${dir}/b.csv`);
    const refused = await assertRejects(() => writeOutputFile(`${dir}/b.csv`, "x,y\n"));
    assert(refused.message.startsWith(`Cannot write "${dir}/b.csv": `), refused.message);
    assert((await Deno.stat(`${dir}/b.csv`)).isDirectory);
    assertEquals(await list(dir), ["a.json", "b.csv", "direct.json"]);

    // Success: the whole text, in a new directory.
    assertEquals(await writeOutputFile(`${dir}/new/c.txt`, "whole"), `${dir}/new/c.txt`);
    assertEquals(await Deno.readTextFile(`${dir}/new/c.txt`), "whole");
    assertEquals(await list(`${dir}/new`), ["c.txt"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bench --output: an export whose target is a directory fails alone, leaving no partial file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/records.jsonl`);
    const out = await runMain([
      "--output",
      dir,
      "--request-count",
      "4",
      "--warmup-request-count",
      "0",
      "--ttft-ms",
      "1",
      "--no-progress",
    ]);
    assertEquals(out.status, 1, out.stderr);
    assert(
      out.stderr.includes(`exporter "jsonl" failed: Cannot write "${dir}/records.jsonl"`),
      out.stderr,
    );
    assertEquals(await list(dir), [
      "inputs.json",
      "profile_export.csv",
      "profile_export.json",
      "profile_export.jsonl",
      "profile_export_aiperf.csv",
      "profile_export_aiperf.json",
      "records.jsonl",
      "report.html",
      "server_metrics_export.csv",
      "server_metrics_export.json",
    ]);
    assertEquals(await list(`${dir}/records.jsonl`), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

async function list(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names.sort();
}
