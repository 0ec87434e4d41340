// Files read a block at a time, one line at a time: the lines of the text, whatever the block
// boundaries cut (long lines, characters of several bytes), and the comparison's samples read so.
import fc from "npm:fast-check@^4.3.0";
import { readLines, readRecords } from "../../../src/bench/records/read_records.ts";
import { readRequestSamples } from "../../../src/bench/report/request_samples.ts";
import { assertEquals } from "../_assert.ts";

// Lines of up to 600,000 characters (several 256 KB blocks), some of them multi-byte.
const lines = fc.array(
  fc.tuple(fc.constantFrom("a", "é", "😀", "{", " "), fc.integer({ min: 0, max: 600_000 }))
    .map(([c, n]) => c.repeat(n === 0 ? 0 : 1 + (n % 5 === 0 ? n : n % 300))),
  { maxLength: 8 },
);

Deno.test("readLines: the lines of the text, across block boundaries", async () => {
  const path = await Deno.makeTempFile();
  try {
    await fc.assert(
      fc.asyncProperty(lines, fc.boolean(), async (list, finalNewline) => {
        const text = list.join("\n") + (finalNewline && list.length > 0 ? "\n" : "");
        await Deno.writeTextFile(path, text);
        // A final "\n" ends the last line (it does not start an empty one), whichever list made
        // the text: ["", ""] without a final newline and [""] with one are both "\n", one line.
        const want = text === "" ? [] : text.split("\n");
        if (text.endsWith("\n")) want.pop();
        assertEquals([...readLines(path)], want);
      }),
      { numRuns: 40 },
    );
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("readRequestSamples: the values of the successful profiling records, bad lines skipped", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const records = Array.from({ length: 3000 }, (_, i) => ({
      phase: i % 10 === 0 ? "warmup" : "profiling",
      metrics: {
        request_latency: { value: i, unit: "ms" },
        time_to_first_token: { value: i / 2, unit: "ms" },
      },
      ...(i % 7 === 0 ? { error: "boom" } : {}),
      // Padding so the file spans several blocks.
      note: "x".repeat(200),
    }));
    const text = records.map((r) => JSON.stringify(r)).join("\n") + "\nnot json\n";
    await Deno.writeTextFile(`${dir}/records.jsonl`, text);
    const ok = records.filter((r) => r.phase === "profiling" && r.error === undefined);
    assertEquals(await readRequestSamples(dir), {
      request_latency: ok.map((r) => r.metrics.request_latency.value),
      time_to_first_token: ok.map((r) => r.metrics.time_to_first_token.value),
    });
    // readRecords names the bad line by its number.
    let line = 0;
    try {
      for (const _ of readRecords(`${dir}/records.jsonl`)) line++;
    } catch (error) {
      assertEquals((error as { line?: number }).line, 3001);
    }
    assertEquals(line, 3000);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
