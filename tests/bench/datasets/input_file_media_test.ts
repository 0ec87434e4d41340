// Images and audio named in an --input-file (AIPerf's `image`/`images` and `audio`/`audios`
// fields of single_turn and multi_turn lines): local files are read (relative paths from the
// directory `deno task bench` is started in) and sent as base64, URLs as they are; checked on
// arrival by an independent server (tests/bench/servers/multimodal_server.mjs) for chat and the
// Responses API. Bad references are refused before anything is sent, naming line and field.
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

interface Seen {
  route: string;
  images: ({ format: string; width: number; height: number } | { url: string })[];
  audios: { rate: number; depth: number; channels: number; seconds: number }[];
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

async function withLog(fn: (url: string) => Promise<void>): Promise<Seen[]> {
  const log = await Deno.makeTempFile({ prefix: "plugmap-media-log-" });
  try {
    await withServerProcess("node", SCRIPT, { ttft_ms: 2, itl_ms: 1, output: 3, log }, fn);
    const text = (await Deno.readTextFile(log)).trim();
    // Without the text-only pre-flight request.
    return text.split("\n").map((l) => JSON.parse(l)).slice(1);
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

Deno.test("input-file media: a missing file, an unknown type, an audio URL and video are refused (exit 2)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-media-" });
  try {
    await Deno.writeTextFile(
      `${dir}/inputs.jsonl`,
      [
        { text: "a", images: [`${dir}/nowhere.png`] },
        { text: "b", image: `${dir}/picture.bmp` },
        { text: "c", audios: ["https://example.com/a.wav"] },
        { text: "d", videos: ["v.mp4"] },
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
        "line 4: videos: video is not supported",
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
