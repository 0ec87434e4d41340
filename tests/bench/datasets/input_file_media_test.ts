// Images, audio and videos named in an --input-file (AIPerf's `image`/`images`, `audio`/`audios`
// and `video`/`videos` fields of single_turn and multi_turn lines): local files are read
// (relative paths from the directory `deno task bench` is started in) and sent as base64, URLs as
// they are; checked on arrival by an independent server (tests/bench/servers/multimodal_server.mjs)
// for chat and the Responses API. Bad references are refused before anything is sent, naming line
// and field, and so is media the endpoint would not send.
import { assert, assertEquals } from "../_assert.ts";
import { ROOT, runMain, withServerProcess } from "../_helpers.ts";
import { SingleTurnDataset } from "../../../src/bench/datasets/single_turn_dataset.ts";

const SCRIPT = new URL("../servers/multimodal_server.mjs", import.meta.url).pathname;

// A 1x1 PNG, and a 16-bit mono WAV of `seconds` at 16 kHz (silence).
const PNG = Uint8Array.fromBase64(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgYGAAAAAEAAHI6Uv5AAAAAElFTkSuQmCC",
);
function wav(seconds: number): Uint8Array {
  const rate = 16000;
  const data = Math.round(seconds * rate) * 2;
  const bytes = new Uint8Array(44 + data);
  const view = new DataView(bytes.buffer);
  const text = (at: number, s: string) =>
    [...s].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
  text(0, "RIFF");
  view.setUint32(4, 36 + data, true);
  text(8, "WAVEfmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  text(36, "data");
  view.setUint32(40, data, true);
  return bytes;
}

// The first bytes of a WebM file (the EBML magic) and of an MP4 file ("ftyp" at byte 4): what
// the server checks a video's container by.
const WEBM = new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42]);
const MP4 = new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0, 0]);

interface Seen {
  route: string;
  images: ({ format: string; width: number; height: number } | { url: string })[];
  audios: { rate: number; depth: number; channels: number; seconds: number }[];
  videos: ({ format: string; bytes: number } | { url: string })[];
  text: string;
}

// Runs `deno task bench ARGS` in `cwd` (relative paths are the user's), against the server.
async function benchIn(cwd: string, args: string[]) {
  const env = Deno.env.toObject();
  delete env.INIT_CWD; // as from the user's shell
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "--config", `${ROOT}deno.json`, "bench", "--no-progress", ...args],
    cwd,
    clearEnv: true,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { status: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

// The requests the server saw, without the text-only pre-flight request (`all`: with it).
async function withLog(fn: (url: string) => Promise<void>, all = false): Promise<Seen[]> {
  const log = await Deno.makeTempFile({ prefix: "plugmap-media-log-" });
  try {
    await withServerProcess("node", SCRIPT, { ttft_ms: 2, itl_ms: 1, output: 3, log }, fn);
    const text = (await Deno.readTextFile(log)).trim();
    const seen = text === "" ? [] : text.split("\n").map((l) => JSON.parse(l));
    return all ? seen : seen.slice(1);
  } finally {
    await Deno.remove(log);
  }
}

Deno.test("input-file media: single_turn images (files, URLs) and audio to chat, checked on arrival", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-media-" });
  try {
    await Deno.mkdir(`${dir}/media`);
    await Deno.writeFile(`${dir}/media/pic.png`, PNG);
    await Deno.writeFile(`${dir}/media/clip.wav`, wav(0.25));
    await Deno.writeTextFile(
      `${dir}/inputs.jsonl`,
      [
        { texts: ["Describe this."], images: ["media/pic.png", "https://example.com/a.png"] },
        { text: "What is said?", audios: ["media/clip.wav"] },
        { image: `${dir}/media/pic.png` },
      ].map((line) => JSON.stringify(line)).join("\n"),
    );
    const seen = await withLog(async (url) => {
      const run = await benchIn(dir, [
        "-m",
        "m",
        "--url",
        url,
        "--input-file",
        "inputs.jsonl",
        "--custom-dataset-type",
        "single_turn",
        "--output",
        "out",
      ]);
      assertEquals(run.status, 0, run.stderr);
    });
    assertEquals(seen.length, 3);
    // The three lines go out together: they may arrive in any order.
    const sent = (text: string) => seen.find((s) => s.text === text)!;
    assertEquals(sent("Describe this.").images, [{ format: "png", width: 1, height: 1 }, {
      url: "https://example.com/a.png",
    }]);
    assertEquals(sent("What is said?").audios, [
      { channels: 1, rate: 16000, depth: 16, seconds: 0.25 },
    ]);
    // A line with only an image sends no text part.
    assertEquals(sent("").images, [{ format: "png", width: 1, height: 1 }]);
    assert(seen.every((s) => s.route === "/v1/chat/completions"));
    // AIPerf's inputs.json holds what was sent.
    const inputs = await Deno.readTextFile(`${dir}/out/inputs.json`);
    assert(inputs.includes(`data:image/png;base64,${PNG.toBase64()}`), "the file as a data URL");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("input-file media: multi_turn turns with images and audio to the Responses API", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-media-" });
  try {
    await Deno.writeFile(`${dir}/pic.png`, PNG);
    await Deno.writeFile(`${dir}/clip.wav`, wav(0.5));
    await Deno.writeTextFile(
      `${dir}/conversations.jsonl`,
      JSON.stringify({
        session_id: "s1",
        turns: [{ text: "Look.", images: ["pic.png"] }, { text: "Listen.", audios: ["clip.wav"] }],
      }) + "\n",
    );
    const seen = await withLog(async (url) => {
      const run = await benchIn(dir, [
        "-m",
        "m",
        "--url",
        url,
        "--endpoint-type",
        "responses",
        "--input-file",
        "conversations.jsonl",
        "--custom-dataset-type",
        "multi_turn",
        "--output",
        "out",
      ]);
      assertEquals(run.status, 0, run.stderr);
    });
    assertEquals(seen.length, 2);
    assert(seen.every((s) => s.route === "/v1/responses"));
    assertEquals(seen[0]!.images, [{ format: "png", width: 1, height: 1 }]);
    assertEquals(seen[0]!.text, "Look.");
    // The second turn: the history (the first turn's text, the reply) and its own clip.
    assertEquals(seen[1]!.images, []);
    assertEquals(seen[1]!.audios, [{ channels: 1, rate: 16000, depth: 16, seconds: 0.5 }]);
    assert(seen[1]!.text.startsWith("Look.") && seen[1]!.text.endsWith("Listen."), seen[1]!.text);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("input-file media: single_turn and multi_turn videos (files, URLs, data URLs) to chat", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-media-" });
  try {
    await Deno.writeFile(`${dir}/clip.webm`, WEBM);
    await Deno.writeFile(`${dir}/clip.MP4`, MP4);
    const dataUrl = `data:video/webm;base64,${WEBM.toBase64()}`;
    await Deno.writeTextFile(
      `${dir}/inputs.jsonl`,
      [
        { text: "Watch.", video: "clip.webm" },
        { text: "Both.", videos: ["clip.MP4", "https://example.com/v.mp4", dataUrl] },
      ].map((line) => JSON.stringify(line)).join("\n"),
    );
    await Deno.writeTextFile(
      `${dir}/conversations.jsonl`,
      JSON.stringify({
        session_id: "s1",
        turns: [{ text: "First.", video: "clip.webm" }, { text: "Then.", videos: ["clip.MP4"] }],
      }) + "\n",
    );
    const args = (file: string, type: string) => [
      ...["-m", "m", "--input-file", file, "--custom-dataset-type", type, "--output", "out"],
    ];
    const single = await withLog(async (url) => {
      const run = await benchIn(dir, ["--url", url, ...args("inputs.jsonl", "single_turn")]);
      assertEquals(run.status, 0, run.stderr);
    });
    assertEquals(single.length, 2);
    const sent = (text: string) => single.find((s) => s.text === text)!;
    assertEquals(sent("Watch.").videos, [{ format: "webm", bytes: WEBM.length }]);
    assertEquals(sent("Both.").videos, [
      { format: "mp4", bytes: MP4.length },
      { url: "https://example.com/v.mp4" },
      { format: "webm", bytes: WEBM.length },
    ]);
    const inputs = await Deno.readTextFile(`${dir}/out/inputs.json`);
    assert(inputs.includes(`data:video/mp4;base64,${MP4.toBase64()}`), "the file as a data URL");
    const multi = await withLog(async (url) => {
      const run = await benchIn(dir, ["--url", url, ...args("conversations.jsonl", "multi_turn")]);
      assertEquals(run.status, 0, run.stderr);
    });
    assertEquals(multi.map((s) => s.videos), [
      [{ format: "webm", bytes: WEBM.length }],
      [{ format: "mp4", bytes: MP4.length }],
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("input-file media: random_pool lines with media, one pool and a directory of pools", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-media-" });
  try {
    await Deno.writeFile(`${dir}/pic.png`, PNG);
    await Deno.writeFile(`${dir}/clip.webm`, WEBM);
    await Deno.writeFile(`${dir}/clip.wav`, wav(0.25));
    await Deno.writeTextFile(`${dir}/pool.jsonl`, JSON.stringify({ images: ["pic.png"] }) + "\n");
    await Deno.mkdir(`${dir}/pools`);
    await Deno.writeTextFile(
      `${dir}/pools/a.jsonl`,
      JSON.stringify({ text: "Look at", image: "pic.png", audio: "clip.wav" }) + "\n",
    );
    await Deno.writeTextFile(`${dir}/pools/b.jsonl`, JSON.stringify({ video: "clip.webm" }) + "\n");
    const args = (file: string) => [
      ...["-m", "m", "--input-file", file, "--custom-dataset-type", "random_pool"],
      ...["--request-count", "2", "--warmup-request-count", "0"],
    ];
    const one = await withLog(async (url) => {
      const run = await benchIn(dir, ["--url", url, ...args("pool.jsonl")]);
      assertEquals(run.status, 0, run.stderr);
    });
    assertEquals(one.map((s) => [s.text, s.images, s.videos]), [
      ["", [{ format: "png", width: 1, height: 1 }], []],
      ["", [{ format: "png", width: 1, height: 1 }], []],
    ]);
    const joined = await withLog(async (url) => {
      const run = await benchIn(dir, ["--url", url, ...args("pools")]);
      assertEquals(run.status, 0, run.stderr);
    });
    assertEquals(joined.length, 2);
    for (const s of joined) {
      assertEquals(s.text, "Look at");
      assertEquals(s.images, [{ format: "png", width: 1, height: 1 }]);
      assertEquals(s.audios, [{ channels: 1, rate: 16000, depth: 16, seconds: 0.25 }]);
      assertEquals(s.videos, [{ format: "webm", bytes: WEBM.length }]);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("input-file media: media the endpoint would not send is refused before any request (exit 2)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-media-" });
  try {
    await Deno.writeFile(`${dir}/clip.webm`, WEBM);
    await Deno.writeFile(`${dir}/pic.png`, PNG);
    await Deno.writeTextFile(
      `${dir}/videos.jsonl`,
      JSON.stringify({ text: "v", video: "clip.webm" }),
    );
    await Deno.writeTextFile(
      `${dir}/images.jsonl`,
      [{ text: "a" }, { text: "b", image: "pic.png" }].map((l) => JSON.stringify(l)).join("\n"),
    );
    const seen = await withLog(async (url) => {
      const common = ["-m", "m", "--url", url, "--custom-dataset-type", "single_turn"];
      const responses = await benchIn(dir, [
        ...common,
        ...["--endpoint-type", "responses", "--input-file", "videos.jsonl"],
      ]);
      assertEquals(responses.status, 2, responses.stderr);
      assert(
        responses.stderr.includes(
          'has videos (entry 1), which the endpoint "openai_responses" does not send; use ' +
            "--endpoint-type chat",
        ),
        responses.stderr,
      );
      const completions = await benchIn(dir, [
        ...common,
        ...["--endpoint-type", "completions", "--input-file", "images.jsonl"],
      ]);
      assertEquals(completions.status, 2, completions.stderr);
      assert(
        completions.stderr.includes(
          'has images (entry 2), which the endpoint "openai_completions" does not send; use ' +
            "--endpoint-type chat or responses",
        ),
        completions.stderr,
      );
    }, true);
    // Refused before the pre-flight request: nothing reached the server.
    assertEquals(seen, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("input-file media: a missing file, an unknown type, an audio URL and a video type are refused (exit 2)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-media-" });
  try {
    await Deno.writeTextFile(
      `${dir}/inputs.jsonl`,
      [
        { text: "a", images: [`${dir}/nowhere.png`] },
        { text: "b", image: `${dir}/picture.bmp` },
        { text: "c", audios: ["https://example.com/a.wav"] },
        { text: "d", videos: ["v.ogv"] },
        { text: "e", images: "one.png" },
      ].map((line) => JSON.stringify(line)).join("\n"),
    );
    const run = await runMain([
      "--input-file",
      `${dir}/inputs.jsonl`,
      "--custom-dataset-type",
      "single_turn",
      "--no-progress",
    ]);
    assertEquals(run.status, 2, run.stderr);
    for (
      const text of [
        "line 1: images[0]: ",
        'nowhere.png": file not found',
        "line 2: images[0]: ",
        "a .png, .jpg, .gif or .webp file",
        "line 3: audios[0]: ",
        "URLs are not fetched",
        "line 4: videos[0]: ",
        "a .mp4, .m4v, .webm, .mov, .mkv or .avi file",
        "line 5: images: expected a list of strings",
      ]
    ) assert(run.stderr.includes(text), `${text}\n${run.stderr}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("input-file: a rankings row's named query and passages are sent as such", async () => {
  const file = await Deno.makeTempFile({ suffix: ".jsonl" });
  try {
    await Deno.writeTextFile(
      file,
      JSON.stringify({
        texts: [{ name: "query", contents: ["What is AI?"] }, {
          name: "passages",
          contents: ["AI is a field.", "It is old."],
        }],
      }) + "\n",
    );
    const [entry] = await new SingleTurnDataset({ path: file }).load();
    assertEquals(entry?.prompt, "What is AI?");
    assertEquals(entry?.passages, ["AI is a field.", "It is old."]);
  } finally {
    await Deno.remove(file);
  }
});
