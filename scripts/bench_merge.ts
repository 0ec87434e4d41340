// The merge benchmark (not a test): writes a sharded run of N records (default 1,000,000, over 4
// shards; each record as the bench writes it for a streamed reply of 8 tokens, 7 inter-chunk
// gaps), then times `deno task bench:report --merge DIR` in a child process and reads its peak
// resident memory and CPU time (GNU time). Run:
//
//   deno run -A scripts/bench_merge.ts [RECORDS] [SHARDS]
//
// The figures go to docs/speed.md.

const total = Number(Deno.args[0] ?? 1_000_000);
const shards = Number(Deno.args[1] ?? 4);
const dir = await Deno.makeTempDir({ prefix: "plugmap-merge-" });
const encoder = new TextEncoder();

function record(i: number, start: number): string {
  const ttft = 40 + (i % 97) * 0.37;
  const gaps = Array.from({ length: 7 }, (_, k) => 5 + ((i + k) % 13) * 0.11);
  const chunks = [ttft];
  for (const g of gaps) chunks.push(chunks.at(-1)! + g);
  const end = chunks.at(-1)!;
  return JSON.stringify({
    phase: "profiling",
    index: i,
    start_ms: start,
    conversation_index: i,
    turn_index: 0,
    send_delay_ms: 0.05,
    end_ms: start + end,
    chunks_ms: chunks,
    tokens: {
      output: 8,
      reasoning: 0,
      input: 128,
      output_source: "usage",
      reasoning_source: "usage",
      input_source: "usage",
    },
    metrics: {
      request_latency: { value: end, unit: "ms" },
      time_to_first_token: { value: ttft, unit: "ms" },
      time_to_second_token: { value: gaps[0], unit: "ms" },
      time_to_first_output_token: { value: ttft, unit: "ms" },
      inter_token_latency: { value: (end - ttft) / 7, unit: "ms" },
      inter_chunk_latency: { value: gaps, unit: "ms" },
      output_token_throughput_per_user: { value: 7000 / (end - ttft), unit: "tokens/sec/user" },
      output_sequence_length: { value: 8, unit: "tokens" },
      output_token_count: { value: 8, unit: "tokens" },
      reasoning_token_count: { value: 0, unit: "tokens" },
      input_sequence_length: { value: 128, unit: "tokens" },
    },
    status: 200,
  }) + "\n";
}

let bytes = 0;
for (let s = 0; s < shards; s++) {
  const path = `${dir}/shard-${s}`;
  await Deno.mkdir(path);
  const count = Math.floor(total / shards) + (s < total % shards ? 1 : 0);
  await Deno.writeTextFile(
    `${path}/shard.json`,
    JSON.stringify({
      index: s,
      count: shards,
      from: "bench_merge",
      settings_hash: "-",
      clock_offset_ms: s * 0.1,
      clock_rtt_ms: 0.2,
      profiling_start_ms: 1_700_000_000_000 + s,
      status: 0,
    }),
  );
  const file = await Deno.open(`${path}/records.jsonl`, { write: true, create: true });
  let chunk = "";
  for (let i = 0; i < count; i++) {
    chunk += record(i * shards + s, i * 0.4);
    if (chunk.length > 1 << 20) {
      const b = encoder.encode(chunk);
      bytes += b.length;
      await file.write(b);
      chunk = "";
    }
  }
  const b = encoder.encode(chunk);
  bytes += b.length;
  await file.write(b);
  file.close();
}
console.log(
  `${total.toLocaleString("en")} records over ${shards} shards: ` +
    `${(bytes / 1e6).toFixed(0)} MB of records.jsonl in ${dir}`,
);

const root = new URL("../", import.meta.url).pathname;
const started = performance.now();
const child = await new Deno.Command("/usr/bin/time", {
  args: [
    "-f",
    "%M %U %S",
    Deno.execPath(),
    "run",
    "-A",
    `${root}src/bench/report_main.ts`,
    "--merge",
    dir,
  ],
  stdout: "null",
  stderr: "piped",
}).output();
const seconds = (performance.now() - started) / 1000;
const err = new TextDecoder().decode(child.stderr).trim().split("\n");
// The merge's peak RSS and its CPU time (user + system), which a loaded machine inflates less
// than the wall time.
const [peakKb, user, system] = (err.at(-1) ?? "").split(" ").map(Number) as [
  number,
  number,
  number,
];
if (child.code !== 0) console.error(err.join("\n"));
console.log(
  `merge: ${seconds.toFixed(1)} s wall, ${(user + system).toFixed(1)} s CPU, peak RSS ` +
    `${(peakKb / 1024).toFixed(0)} MB (${(total / seconds / 1000).toFixed(0)}k records/s; ` +
    `load average ${Deno.loadavg()[0]!.toFixed(1)})`,
);
await Deno.remove(dir, { recursive: true });
