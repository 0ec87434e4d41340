// AIPerf's synthetic videos (--video-*): each synth type read back by ffprobe with the asked
// size, frame rate, frame count and duration, in WebM and MP4; frames that move; the same seed
// gives the same bytes; FFmpeg missing (PATH cleared) or lacking the codec fails before any
// request; the independent Node server (tests/bench/servers/multimodal_server.mjs) decodes each
// video_url's container on arrival and sees --video-batch-size of them per chat request, from
// the main thread and from workers; the other endpoints refuse the flag.
import { assert, assertEquals, assertThrows } from "../_assert.ts";
import { ROOT, runMain, withServerProcess } from "../_helpers.ts";
import { SyntheticDataset } from "../../../src/bench/datasets/synthetic_dataset.ts";
import type { SyntheticDatasetConfig } from "../../../src/bench/datasets/synthetic_dataset.ts";

const SCRIPT = new URL("../servers/multimodal_server.mjs", import.meta.url).pathname;

interface Seen {
  route: string;
  images: unknown[];
  audios: unknown[];
  videos: { format: string; bytes: number }[];
}

// The videos of each entry of a synthetic dataset, as bytes.
async function videos(config: SyntheticDatasetConfig): Promise<Uint8Array[][]> {
  const entries = await new SyntheticDataset({ input_tokens_mean: 8, ...config }).load();
  return entries.map((e) =>
    (e.videos ?? []).map((url) => {
      const comma = url.indexOf(",");
      return Uint8Array.fromBase64(url.slice(comma + 1));
    })
  );
}

async function run(command: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(command, { args, stdout: "piped", stderr: "piped" }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert(out.success, `${command} ${args.join(" ")}: ${stderr}`);
  return new TextDecoder().decode(out.stdout);
}

// What ffprobe reads of a video (its frames counted by decoding), and the MD5 of each frame.
async function probe(bytes: Uint8Array, format: string) {
  const file = await Deno.makeTempFile({ suffix: `.${format}` });
  try {
    await Deno.writeFile(file, bytes);
    const info = JSON.parse(
      await run("ffprobe", [
        ...["-v", "error", "-count_frames", "-show_streams", "-show_format", "-of", "json"],
        file,
      ]),
    );
    const md5 = (await run("ffmpeg", ["-v", "error", "-i", file, "-f", "framemd5", "-"]))
      .split("\n").filter((l) => l !== "" && !l.startsWith("#")).map((l) => l.split(",").at(-1));
    const stream = info.streams[0];
    return {
      container: info.format.format_name as string,
      codec: stream.codec_name as string,
      width: stream.width as number,
      height: stream.height as number,
      fps: stream.r_frame_rate as string,
      frames: Number(stream.nb_read_frames),
      duration: Number(info.format.duration),
      distinctFrames: new Set(md5).size,
    };
  } finally {
    await Deno.remove(file);
  }
}

Deno.test("synthetic video: each synth type, WebM and MP4, is what ffprobe reads: size, fps, frames, duration; the frames move", async () => {
  for (
    const [synth, format, codec, fps, duration, ffCodec] of [
      ["moving_shapes", "webm", undefined, undefined, undefined, "vp9"],
      ["grid_clock", "mp4", "libx264", 6, 1.5, "h264"],
      ["noise", "webm", "libvpx", 2, 2, "vp8"],
      ["moving_shapes", "mp4", "libx264", 5, 1, "h264"],
    ] as const
  ) {
    const [[bytes]] = await videos({
      count: 1,
      video_width: 160,
      video_height: 96,
      video_synth_type: synth,
      video_format: format,
      ...(codec === undefined ? {} : { video_codec: codec }),
      ...(fps === undefined ? {} : { video_fps: fps }),
      ...(duration === undefined ? {} : { video_duration: duration }),
    }) as [[Uint8Array]];
    const got = await probe(bytes, format);
    const what = `${synth} ${format}: ${JSON.stringify(got)}`;
    // AIPerf's defaults: 4 fps, 5 s.
    const frames = Math.round((fps ?? 4) * (duration ?? 5));
    assert(got.container.includes(format === "webm" ? "webm" : "mp4"), what);
    assertEquals(got.codec, ffCodec, what);
    assertEquals([got.width, got.height], [160, 96], what);
    assertEquals(got.fps, `${fps ?? 4}/1`, what);
    assertEquals(got.frames, frames, what);
    assert(Math.abs(got.duration - (duration ?? 5)) < 0.01, what);
    // Shapes move, hands turn, noise changes: no two frames alike.
    assertEquals(got.distinctFrames, frames, what);
  }
});

Deno.test("synthetic video: the same seed gives the same bytes (VP9 and H.264, single-threaded, bit-exact), another seed others; --video-batch-size videos per entry", async () => {
  for (const synth of ["moving_shapes", "noise"] as const) {
    for (const codec of ["libvpx-vp9", "libx264"]) {
      const config = (seed: number): SyntheticDatasetConfig => ({
        count: 3,
        seed,
        video_width: 96,
        video_height: 64,
        video_duration: 1,
        video_synth_type: synth,
        video_codec: codec,
        video_format: codec === "libx264" ? "mp4" : "webm",
        video_batch_size: 2,
      });
      const [a, b, c] = await Promise.all([
        videos(config(5)),
        videos(config(5)),
        videos(config(6)),
      ]);
      assertEquals(a.map((e) => e.length), [2, 2, 2], "two videos per entry");
      assertEquals(a, b, `${synth} ${codec}: the same seed, the same bytes`);
      const flat = (x: Uint8Array[][]) => x.flat().map((v) => v.toBase64());
      assertEquals(new Set(flat(a)).size, 6, `${synth} ${codec}: each video its own`);
      assert(flat(a).every((v, i) => v !== flat(c)[i]), `${synth} ${codec}: another seed`);
    }
  }
});

Deno.test("synthetic video: bad video keys are refused naming the key", () => {
  for (
    const [config, key] of [
      [{ video_synth_type: "stars" }, "video_synth_type"],
      [{ video_format: "avi" }, "video_format"],
      [{ video_fps: 0 }, "video_fps"],
      [{ video_duration: 0 }, "video_duration"],
      [{ video_batch_size: 0 }, "video_batch_size"],
      [{ video_codec: "x; rm" }, "video_codec"],
      [{ video_width: 10.5 }, "video_width"],
    ] as const
  ) {
    const error = assertThrows(() =>
      new SyntheticDataset({
        video_width: 64,
        video_height: 48,
        ...config,
      } as SyntheticDatasetConfig)
    );
    assert(error instanceof RangeError && error.message.includes(`"${key}"`), error.message);
  }
});

// Runs the bench against the independent server; returns its outcome and what the server saw.
async function withLog(
  argv: (url: string) => Promise<{ status: number; stderr: string; inputs?: string }>,
): Promise<{ status: number; stderr: string; inputs?: string; seen: Seen[] }> {
  const log = await Deno.makeTempFile({ prefix: "plugmap-video-log-" });
  try {
    const out = await withServerProcess(
      "node",
      SCRIPT,
      { ttft_ms: 5, itl_ms: 1, output: 4, log },
      argv,
    );
    const text = (await Deno.readTextFile(log)).trim();
    return { ...out, seen: text === "" ? [] : text.split("\n").map((l) => JSON.parse(l)) };
  } finally {
    await Deno.remove(log);
  }
}

async function bench(url: string, extra: string[]) {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-video-" });
  try {
    const out = await runMain([
      ...["-u", url, "-m", "m", "--request-count", "6", "--warmup-request-count", "0"],
      ...["--concurrency", "2", "--no-progress", "--output", dir, ...extra],
    ]);
    if (out.status !== 0) return out;
    return { ...out, inputs: await Deno.readTextFile(`${dir}/inputs.json`) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("synthetic video: the independent server decodes --video-batch-size 2 videos in each chat request, WebM and MP4, from the main thread and from workers", async () => {
  for (
    const extra of [
      ["--video-batch-size", "2"],
      ["--batch-size-video", "2", "--video-format", "mp4", "--video-codec", "libx264"],
      ["--video-batch-size", "2", "--video-synth-type", "noise", "--workers", "2"],
    ]
  ) {
    const format = extra.includes("mp4") ? "mp4" : "webm";
    const { status, stderr, inputs, seen } = await withLog((url) =>
      bench(url, [
        "--video-width",
        "128",
        "--video-height",
        "72",
        "--video-duration",
        "1",
        ...extra,
      ])
    );
    assertEquals(status, 0, stderr);
    const withVideo = seen.filter((s) => s.videos.length > 0);
    assertEquals(seen.length - withVideo.length, 1, "one text-only pre-flight");
    assertEquals(withVideo.length, 6, extra.join(" "));
    for (const s of withVideo) {
      assertEquals(s.route, "/v1/chat/completions");
      assertEquals(s.videos.map((v) => v.format), [format, format], extra.join(" "));
      assert(s.videos.every((v) => v.bytes > 100), JSON.stringify(s.videos));
      assertEquals([s.images.length, s.audios.length], [0, 0]);
    }
    // AIPerf's inputs.json holds the chat bodies with their video_url parts, with --workers too
    // (the pool gives the main thread's instance's bodies).
    const parts = [...inputs!.matchAll(/"type":\s*"video_url"/g)].length;
    assertEquals(parts, 12, `two video_url parts in each of the 6 bodies (${extra})`);
    assert(new RegExp(`"url":\\s*"data:video/${format};base64,`).test(inputs!), "data URLs");
  }
});

Deno.test("synthetic video: an unknown codec fails before any request (exit 2), naming it and ffmpeg -encoders", async () => {
  const { status, stderr, seen } = await withLog((url) =>
    bench(url, ["--video-width", "64", "--video-height", "48", "--video-codec", "libnope"])
  );
  assertEquals(status, 2, stderr);
  assert(stderr.includes('"libnope"') && stderr.includes("ffmpeg -encoders"), stderr);
  assertEquals(seen, [], "no request, not even the pre-flight");
});

Deno.test("synthetic video: an odd size with H.264 fails before any request (exit 2), naming the flag; VP9 takes it", async () => {
  const odd = await withLog((url) =>
    bench(url, [
      "--video-width",
      "65",
      "--video-height",
      "48",
      "--video-format",
      "mp4",
      "--video-codec",
      "libx264",
    ])
  );
  assertEquals(odd.status, 2, odd.stderr);
  assert(
    odd.stderr.includes("Invalid --video-width 65: --video-codec libx264 encodes yuv420p") &&
      odd.stderr.includes("use 64 or 66"),
    odd.stderr,
  );
  assertEquals(odd.seen, [], "no request, not even the pre-flight");
  const vp9 = await withLog((url) =>
    bench(url, ["--video-width", "65", "--video-height", "49", "--video-duration", "0.5"])
  );
  assertEquals(vp9.status, 0, vp9.stderr);
  assert(vp9.seen.some((s) => s.videos.length === 1 && s.videos[0]!.format === "webm"));
});

// `deno task bench` as it runs (its permissions from deno.json), from `cwd`, with `PATH`.
async function benchTask(url: string, path: string, cwd: string) {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  const flags = (config.tasks.bench as string).split(" ")
    .filter((word) => word.startsWith("--") && !word.startsWith("--lock"));
  const env = { ...Deno.env.toObject(), PATH: path, NO_COLOR: "1" };
  delete (env as Record<string, string>).INIT_CWD;
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      ...["run", "--no-lock", ...flags, `${ROOT}src/bench/main.ts`, "-u", url],
      ...["-m", "m", "--request-count", "2", "--no-progress", "--video-width", "64"],
      ...["--video-height", "48"],
    ],
    cwd,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { status: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("synthetic video: without ffmpeg on PATH the run fails before any request (exit 2), saying what to install", async () => {
  const cwd = await Deno.makeTempDir({ prefix: "plugmap-video-noffmpeg-" });
  const { status, stderr, seen } = await withLog((url) => benchTask(url, "/nonexistent", cwd))
    .finally(() => Deno.remove(cwd, { recursive: true }));
  assertEquals(status, 2, stderr);
  assert(stderr.includes('"ffmpeg" is not on PATH'), stderr);
  assert(stderr.includes("apt install ffmpeg") && stderr.includes("AIPerf"), stderr);
  // The task allows FFmpeg by its paths: no Deno line about a missing binary on every run.
  assert(!stderr.includes("Failed to resolve"), stderr);
  assertEquals(seen, [], "no request, not even the pre-flight");
});

Deno.test("synthetic video: an ffmpeg outside the task's allowed places is named, with the way out", async () => {
  const cwd = await Deno.makeTempDir({ prefix: "plugmap-video-elsewhere-" });
  try {
    const ffmpeg = new TextDecoder().decode(
      (await new Deno.Command("sh", { args: ["-c", "command -v ffmpeg"], stdout: "piped" })
        .output()).stdout,
    ).trim();
    await Deno.mkdir(`${cwd}/bin`);
    await Deno.symlink(ffmpeg, `${cwd}/bin/ffmpeg`);
    const { status, stderr, seen } = await withLog((url) => benchTask(url, `${cwd}/bin`, cwd));
    assertEquals(status, 2, stderr);
    assert(stderr.includes('"ffmpeg" on PATH may not be run'), stderr);
    assert(stderr.includes("--allow-run=$(command -v ffmpeg)"), stderr);
    assertEquals(seen, [], "no request, not even the pre-flight");
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});

Deno.test("synthetic video: the Responses, completions and embeddings endpoints refuse the video flags (exit 2), naming the flag", async () => {
  for (const endpoint of ["responses", "completions", "embeddings"]) {
    const out = await runMain([
      ...["-m", "m", "--request-count", "2", "--no-progress", "--endpoint-type", endpoint],
      ...["--video-width", "64", "--video-height", "48"],
    ]);
    assertEquals(out.status, 2, out.stderr);
    assert(out.stderr.includes("Invalid flag --video-width"), out.stderr);
    assert(out.stderr.includes("needs --endpoint-type chat"), out.stderr);
  }
});
