// Multimodal chat and Responses (AIPerf's --image-* and --audio-* options) against an independent server
// (Node, tests/bench/servers/multimodal_server.mjs) that decodes each image's PNG or JPEG header
// and each WAV header on arrival and refuses a malformed part, with the chat endpoint's timing
// accuracy (TTFT never early and at most 15 ms late at the median, ITL within 1 ms); the
// embedded server's checks; determinism under --random-seed; the refusals.
import { assert, assertBetween, assertEquals } from "../_assert.ts";
import { runMain, withServerProcess } from "../_helpers.ts";
import { startServer } from "../../../src/bench/server/start_server.ts";
import { SyntheticDataset } from "../../../src/bench/datasets/synthetic_dataset.ts";

const SCRIPT = new URL("../servers/multimodal_server.mjs", import.meta.url).pathname;

interface Seen {
  images: { format: string; width: number; height: number }[];
  audios: { rate: number; depth: number; channels: number; seconds: number }[];
  text: string;
}

async function bench(url: string | undefined, extra: string[]) {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-multimodal-" });
  try {
    const out = await runMain([
      ...(url === undefined ? [] : ["-u", url]),
      "-m",
      "m",
      "--request-count",
      "12",
      "--warmup-request-count",
      "0",
      "--concurrency",
      "2",
      "--no-progress",
      "--output",
      dir,
      ...extra,
    ]);
    if (out.status !== 0) return { ...out, json: undefined, inputs: undefined };
    const json = JSON.parse(await Deno.readTextFile(`${dir}/profile_export.json`));
    const inputs = await Deno.readTextFile(`${dir}/inputs.json`);
    return { ...out, json, inputs };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function withLog<T>(
  options: Record<string, unknown>,
  fn: (url: string) => Promise<T>,
): Promise<{ result: T; seen: Seen[] }> {
  const log = await Deno.makeTempFile({ prefix: "plugmap-multimodal-log-" });
  try {
    const result = await withServerProcess("node", SCRIPT, { ...options, log }, fn);
    const all: Seen[] = (await Deno.readTextFile(log)).trim().split("\n").map((l) => JSON.parse(l));
    // The pre-flight request is text only; every request of the run carries media.
    const seen = all.filter((s) => s.images.length + s.audios.length > 0);
    assertEquals(all.length - seen.length, 1, "one text-only pre-flight");
    return { result, seen };
  } finally {
    await Deno.remove(log);
  }
}

Deno.test("multimodal: PNG images and WAV clips as AIPerf sizes them, checked on arrival, timed as chat", async () => {
  const { result: run, seen } = await withLog(
    { ttft_ms: 60, itl_ms: 10, output: 10 },
    (url) =>
      bench(url, [
        "--image-width-mean",
        "64",
        "--image-height-mean",
        "48",
        "--image-batch-size",
        "2",
        "--audio-length-mean",
        "0.5",
        "--audio-sample-rates",
        "16",
        "44.1",
        "--audio-depths",
        "8",
        "16",
        "--audio-num-channels",
        "2",
        "--synthetic-input-tokens-mean",
        "20",
      ]),
  );
  assertEquals(run.status, 0, run.stderr);
  const m = run.json.metrics;
  assertEquals(m.error_request_count?.avg ?? 0, 0);
  assertBetween(m.time_to_first_token.min, 59, 1e9, "ttft never early");
  assertBetween(m.time_to_first_token.p50, 59, 75, "ttft p50");
  assertBetween(m.inter_token_latency.p50, 9, 11, "itl p50");
  assertEquals(m.output_sequence_length.avg, 10);
  // The 12 requests, each with two 64x48 PNGs and one stereo clip of 0.5 s.
  assertEquals(seen.length, 12);
  const rates = new Set<number>();
  const depths = new Set<number>();
  for (const s of seen) {
    assertEquals(s.images, [
      { format: "png", width: 64, height: 48 },
      { format: "png", width: 64, height: 48 },
    ]);
    assertEquals(s.audios.length, 1);
    const clip = s.audios[0]!;
    assertEquals(clip.channels, 2);
    assert([16000, 44100].includes(clip.rate), `rate ${clip.rate}`);
    assert([8, 16].includes(clip.depth), `depth ${clip.depth}`);
    assertBetween(clip.seconds, 0.5 - 1 / clip.rate, 0.5 + 1 / clip.rate, "clip length");
    rates.add(clip.rate);
    depths.add(clip.depth);
    assert(s.text.split(/\s+/).filter(Boolean).length > 5, "the text goes first");
  }
  assertEquals(rates.size, 2, "both rates drawn");
  assertEquals(depths.size, 2, "both depths drawn");
});

Deno.test("multimodal: the Responses API gets input_image and input_audio parts, checked on arrival, timed", async () => {
  const { result: run, seen } = await withLog(
    { ttft_ms: 60, itl_ms: 10, output: 10 },
    (url) =>
      bench(url, [
        "--endpoint-type",
        "responses",
        "--image-width-mean",
        "32",
        "--image-height-mean",
        "24",
        "--image-format",
        "jpeg",
        "--audio-length-mean",
        "0.3",
        "--synthetic-input-tokens-mean",
        "20",
      ]),
  );
  assertEquals(run.status, 0, run.stderr);
  const m = run.json.metrics;
  assertEquals(m.error_request_count?.avg ?? 0, 0);
  assertBetween(m.time_to_first_token.min, 59, 1e9, "ttft never early");
  assertBetween(m.time_to_first_token.p50, 59, 75, "ttft p50");
  assertBetween(m.inter_token_latency.p50, 9, 11, "itl p50");
  assertEquals(m.output_sequence_length.avg, 10);
  assertEquals(seen.length, 12);
  for (const s of seen as (Seen & { route: string })[]) {
    assertEquals(s.route, "/v1/responses");
    assertEquals(s.images, [{ format: "jpeg", width: 32, height: 24 }]);
    assertEquals(s.audios.length, 1);
    assertBetween(s.audios[0]!.seconds, 0.299, 0.301, "clip length");
    assert(s.text.split(/\s+/).filter(Boolean).length > 5, "the input_text part first");
  }
  assert(/"type":\s*"input_image"/.test(run.inputs!), "inputs.json has the Responses parts");
});

Deno.test("multimodal: sizes follow the mean and stddev; JPEG; the same seed, the same media", async () => {
  const flags = (seed: string) => [
    "--image-width-mean",
    "40",
    "--image-width-stddev",
    "8",
    "--image-height-mean",
    "30",
    "--image-format",
    "jpeg",
    "--audio-length-mean",
    "0.2",
    "--audio-length-stddev",
    "0.05",
    "--random-seed",
    seed,
  ];
  const { result: run, seen } = await withLog(
    { ttft_ms: 2, itl_ms: 1, output: 4 },
    (url) => bench(url, flags("5")),
  );
  assertEquals(run.status, 0, run.stderr);
  const widths = seen.map((s) => s.images[0]!.width);
  assert(seen.every((s) => s.images[0]!.format === "jpeg" && s.images[0]!.height === 30));
  assert(new Set(widths).size > 3, `widths vary: ${widths}`);
  assert(widths.every((w) => w >= 1 && w < 80), `widths: ${widths}`);
  const lengths = seen.map((s) => s.audios[0]!.seconds);
  assert(new Set(lengths).size > 3, `lengths vary: ${lengths}`);
  assert(lengths.every((l) => l >= 0.01), `lengths: ${lengths}`);
  // The same seed gives the same media, another seed other media.
  const load = (seed: number) =>
    new SyntheticDataset({
      count: 4,
      seed,
      image_width_mean: 40,
      image_width_stddev: 8,
      image_height_mean: 30,
      image_format: "random",
      audio_length_mean: 0.2,
      audio_length_stddev: 0.05,
    }).load();
  const [a, b, c] = await Promise.all([load(5), load(5), load(6)]);
  assertEquals(JSON.stringify(a), JSON.stringify(b));
  assert(JSON.stringify(a) !== JSON.stringify(c), "another seed, other media");
  // The embedded server takes them; AIPerf's inputs.json holds the content parts as sent.
  const again = await bench(undefined, flags("5"));
  assertEquals(again.status, 0, again.stderr);
  assert(/"url":\s*"data:image\/jpeg;base64,\/9j\//.test(again.inputs!), "a JPEG data URL");
  assert(/"data":\s*"UklGR/.test(again.inputs!), "a WAV clip");
});

Deno.test("multimodal: the embedded server refuses malformed media parts (400)", async () => {
  const server = await startServer({ ttftMs: 1, itlMs: 0, outputTokens: 2 });
  try {
    const send = async (content: unknown) => {
      const response = await fetch(`${server.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model: "m", messages: [{ role: "user", content }] }),
      });
      return { status: response.status, text: await response.text() };
    };
    const png =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgYGAAAAAEAAHI6Uv5AAAAAElFTkSuQmCC";
    const wav = "UklGRiQAAABXQVZFZm10IBAAAAABAAEAgD4AAAB9AAACABAAZGF0YQAAAAA=";
    // The first bytes of a WebM (EBML header) and of an MP4 (an ftyp box).
    const webm = new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 1]).toBase64();
    const mp4 = new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d])
      .toBase64();
    const ok = await send([
      { type: "text", text: "hi" },
      { type: "image_url", image_url: { url: `data:image/png;base64,${png}` } },
      { type: "input_audio", input_audio: { data: wav, format: "wav" } },
      { type: "video_url", video_url: { url: `data:video/webm;base64,${webm}` } },
      { type: "video_url", video_url: { url: `data:video/mp4;base64,${mp4}` } },
    ]);
    assertEquals(ok.status, 200, ok.text);
    for (
      const [part, message] of [
        [{ type: "image_url", image_url: { url: `data:image/jpeg;base64,${png}` } }, "not a jpeg"],
        [{ type: "image_url", image_url: {} }, "needs image_url.url"],
        [{ type: "image_url", image_url: { url: "file:///etc/x" } }, "base64 image data URL"],
        [{ type: "input_audio", input_audio: { data: png, format: "wav" } }, "not a WAV"],
        [{ type: "input_audio", input_audio: { data: wav, format: "flac" } }, "wav"],
        [{ type: "video_url", video_url: { url: "x" } }, "base64 webm or mp4 data URL"],
        [{ type: "video_url", video_url: {} }, "needs video_url.url"],
        [
          { type: "video_url", video_url: { url: `data:video/webm;base64,${png}` } },
          "not a webm video",
        ],
        [
          { type: "video_url", video_url: { url: `data:video/mp4;base64,${png}` } },
          "not a mp4 video",
        ],
        [{ type: "video_frames", video_url: { url: "x" } }, "unsupported content part type"],
      ] as const
    ) {
      const refused = await send([{ type: "text", text: "hi" }, part]);
      assertEquals(refused.status, 400, JSON.stringify(part));
      assert(refused.text.includes(message), refused.text);
    }
  } finally {
    await server.close();
  }
});

Deno.test("multimodal: mp3, non-chat endpoints and bad lists are refused with the reason (exit 2)", async () => {
  for (
    const [flags, text] of [
      [["--audio-length-mean", "1", "--audio-format", "mp3"], "no MP3 encoder"],
      [["--audio-length-mean", "1", "--audio-depths", "12"], "8, 16, 24, 32"],
      [["--audio-length-mean", "1", "--audio-sample-rates", "0"], "above 0"],
      [["--audio-length-mean", "1", "--audio-num-channels", "3"], "from 1 to 2"],
      [
        ["--image-width-mean", "8", "--image-height-mean", "8", "--endpoint-type", "completions"],
        "needs --endpoint-type chat",
      ],
      [["--image-format", "gif"], "png, jpeg, random"],
    ] as const
  ) {
    const run = await bench(undefined, [...flags]);
    assertEquals(run.status, 2, `${flags.join(" ")}: ${run.stderr}`);
    assert(run.stderr.includes(text), `${flags.join(" ")}: ${run.stderr}`);
  }
});
