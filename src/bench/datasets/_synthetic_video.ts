// Synthetic videos for multimodal chat, as AIPerf's `--video-*` options make them: frames drawn
// here as raw RGB24 (moving shapes, a grid clock or noise, each drawn from a seeded stream so
// --random-seed repeats them), encoded by FFmpeg (as AIPerf's are: it needs FFmpeg too) into WebM
// or MP4, sent as base64 data URLs. Nothing is spawned unless a run asks for video.

import { randomBytes, randomSource } from "../_random.ts";
import { VideoError } from "./video_error.ts";

/** AIPerf's `--video-*` options. */
export interface VideoSpec {
  readonly width: number;
  readonly height: number;
  /** Frames per second. */
  readonly fps: number;
  /** Seconds. */
  readonly duration: number;
  readonly synthType: VideoSynthType;
  readonly format: "webm" | "mp4";
  /** The FFmpeg encoder's name (`libvpx-vp9`, `libx264`, ...). */
  readonly codec: string;
  /** Videos per request (`--video-batch-size`). */
  readonly batch: number;
}

/** What the frames show. */
export type VideoSynthType = "moving_shapes" | "grid_clock" | "noise";

/** The synth types, AIPerf's `--video-synth-type` choices. */
export const VIDEO_SYNTH_TYPES: readonly VideoSynthType[] = [
  "moving_shapes",
  "grid_clock",
  "noise",
];

/** One video's data URL (`data:video/webm;base64,...`), encoded when its turn comes. */
export type VideoMaker = () => Promise<string>;

/**
 * Checks that `ffmpeg` is on PATH and has the codec's encoder, and returns the maker of one video
 * after another. The random draws of a video are made when the maker is called (so the same seed
 * gives the same videos whatever order the encodings finish in); the encodings run at most one
 * per core, each FFmpeg single-threaded.
 *
 * @param spec The video options.
 * @param seed The run's seed.
 * @param ffmpeg The FFmpeg command (tests name a missing one).
 * @throws {VideoError} When FFmpeg or the encoder is missing, or the size is odd for an encoder
 *   that needs even sizes.
 */
export async function videoMaker(
  spec: VideoSpec,
  seed: number,
  ffmpeg = "ffmpeg",
): Promise<VideoMaker> {
  checkEvenSize(spec);
  await checkEncoder(ffmpeg, spec.codec);
  const random = randomSource(seed + 8);
  const slots = new Slots(Math.max(1, navigator.hardwareConcurrency ?? 1));
  return () => {
    const scene = drawScene(spec, random);
    return slots.run(async () => {
      const bytes = await encode(ffmpeg, spec, frames(spec, scene));
      return `data:video/${spec.format};base64,${bytes.toBase64()}`;
    });
  };
}

// Encoders that refuse an odd width or height in yuv420p (checked with FFmpeg 5.1: libx264 "width
// not divisible by 2", libx265 likewise; the NVENC encoders are H.264 and HEVC too). VP8, VP9,
// MPEG-4 part 2 and AV1 (libaom) take odd sizes.
const EVEN_SIZES_ONLY = new Set(["libx264", "libx265", "h264_nvenc", "hevc_nvenc"]);

// Refused before FFmpeg runs, naming the flag, rather than with FFmpeg's message after it.
function checkEvenSize(spec: VideoSpec): void {
  if (!EVEN_SIZES_ONLY.has(spec.codec)) return;
  const odd = spec.width % 2 !== 0
    ? ["--video-width", spec.width] as const
    : spec.height % 2 !== 0
    ? ["--video-height", spec.height] as const
    : undefined;
  if (odd === undefined) return;
  const [flag, size] = odd;
  throw new VideoError(
    `Invalid ${flag} ${size}: --video-codec ${spec.codec} encodes yuv420p, which needs an even ` +
      `width and height; use ${size - 1} or ${size + 1}`,
  );
}

// Where `deno task bench` may run FFmpeg from (its --allow-run list).
const FFMPEG_PLACES = "/usr/bin, /usr/local/bin, /bin and /opt/homebrew/bin";

async function checkEncoder(ffmpeg: string, codec: string): Promise<void> {
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command(ffmpeg, {
      args: ["-hide_banner", "-encoders"],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new VideoError(
        `Cannot generate videos (--video-width, --video-height): "${ffmpeg}" is not on PATH. ` +
          'Install FFmpeg (Debian/Ubuntu: "apt install ffmpeg", macOS: "brew install ffmpeg"); ' +
          "AIPerf generates its videos with FFmpeg too",
      );
    }
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      throw new VideoError(
        `Cannot generate videos: the "${ffmpeg}" on PATH may not be run. \`deno task bench\` ` +
          `allows it from ${FFMPEG_PLACES} (a name would make Deno warn on every run where ` +
          "FFmpeg is missing); put it there, or run the bench with Deno's " +
          `--allow-run=$(command -v ${ffmpeg})`,
      );
    }
    throw error;
  }
  const names = new TextDecoder().decode(output.stdout).split("\n")
    .map((line) => /^\s*[VAS][.A-Z]{5}\s+(\S+)/.exec(line)?.[1])
    .filter((name) => name !== undefined);
  if (!names.includes(codec)) {
    throw new VideoError(
      `Invalid --video-codec "${codec}": the local ffmpeg has no such encoder ` +
        '(see "ffmpeg -encoders"; libvpx-vp9 and libvpx make webm, libx264 and libx265 mp4)',
    );
  }
}

// At most `size` tasks at a time, in the order they came.
class Slots {
  #free: number;
  readonly #queue: (() => void)[] = [];

  constructor(size: number) {
    this.#free = size;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#free === 0) await new Promise<void>((resolve) => this.#queue.push(resolve));
    else this.#free--;
    try {
      return await task();
    } finally {
      const next = this.#queue.shift();
      if (next === undefined) this.#free++;
      else next();
    }
  }
}

// The FFmpeg arguments: raw RGB24 frames on stdin, the container into `file` (a seekable output,
// so the WebM has its duration and cues, and the MP4 its index first: piped out, neither has a
// duration). Single-threaded and bit-exact (no random Matroska UIDs, no version strings), so
// equal frames give equal bytes.
function ffmpegArgs(spec: VideoSpec, file: string): string[] {
  return [
    ...["-hide_banner", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24"],
    ...["-s", `${spec.width}x${spec.height}`, "-r", String(spec.fps), "-i", "pipe:0"],
    ...["-c:v", spec.codec, "-pix_fmt", "yuv420p"],
    ...(spec.codec.startsWith("libvpx") ? ["-deadline", "realtime", "-cpu-used", "8"] : []),
    ...(spec.codec === "libx265"
      ? ["-x265-params", "log-level=error:pools=1:frame-threads=1"]
      : []),
    ...["-threads", "1", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-f", spec.format],
    ...(spec.format === "mp4" ? ["-movflags", "+faststart"] : []),
    "-y",
    file,
  ];
}

// Writes the frames to FFmpeg's stdin while its stderr is read (no pipe deadlock), then reads the
// file it wrote.
async function encode(
  ffmpeg: string,
  spec: VideoSpec,
  frames: Iterable<Uint8Array>,
): Promise<Uint8Array> {
  const file = await Deno.makeTempFile({ prefix: "plugmap-video-", suffix: `.${spec.format}` });
  try {
    const child = new Deno.Command(ffmpeg, {
      args: ffmpegArgs(spec, file),
      stdin: "piped",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    const writer = child.stdin.getWriter();
    try {
      for (const frame of frames) await writer.write(frame);
      await writer.close();
    } catch {
      // FFmpeg stopped reading (it failed): its status and stderr say why.
    }
    const [status, errors] = await Promise.all([child.status, stderr]);
    const bytes = status.success ? await Deno.readFile(file) : new Uint8Array();
    if (bytes.length === 0) {
      throw new VideoError(
        `ffmpeg could not encode a ${spec.width}x${spec.height} ${spec.format} video with ` +
          `--video-codec ${spec.codec} (exit ${status.code}): ${errors.trim() || "no output"}`,
      );
    }
    return bytes;
  } finally {
    await Deno.remove(file).catch(() => {});
  }
}

interface Shape {
  readonly circle: boolean;
  readonly color: readonly [number, number, number];
  // Radius, or half width and half height.
  readonly rx: number;
  readonly ry: number;
  readonly x: number;
  readonly y: number;
  // Pixels per frame.
  readonly dx: number;
  readonly dy: number;
}

// What one video shows, drawn from the run's stream: moving_shapes' shapes, noise's own seed.
interface Scene {
  readonly shapes: readonly Shape[];
  readonly noiseSeed: number;
}

function drawScene(spec: VideoSpec, random: () => number): Scene {
  if (spec.synthType === "noise") return { shapes: [], noiseSeed: Math.floor(random() * 2 ** 31) };
  if (spec.synthType === "grid_clock") return { shapes: [], noiseSeed: 0 };
  const side = Math.min(spec.width, spec.height);
  const count = 3 + Math.floor(random() * 4);
  const shapes = Array.from({ length: count }, (): Shape => {
    const size = Math.max(1, side * (0.05 + 0.1 * random()));
    const circle = random() < 0.5;
    const speed = Math.max(1, side / 40) * (1 + 2 * random());
    const angle = 2 * Math.PI * random();
    return {
      circle,
      color: [
        64 + Math.floor(random() * 192),
        64 + Math.floor(random() * 192),
        64 + Math.floor(random() * 192),
      ],
      rx: size,
      ry: circle ? size : Math.max(1, size * (0.5 + random())),
      x: random() * spec.width,
      y: random() * spec.height,
      dx: speed * Math.cos(angle),
      dy: speed * Math.sin(angle),
    };
  });
  return { shapes, noiseSeed: 0 };
}

/** The number of frames: the duration at the frame rate, at least one. */
export function frameCount(spec: Pick<VideoSpec, "fps" | "duration">): number {
  return Math.max(1, Math.round(spec.fps * spec.duration));
}

// The frames, one RGB24 buffer each, made as FFmpeg reads them.
function* frames(spec: VideoSpec, scene: Scene): Generator<Uint8Array> {
  const noise = randomSource(scene.noiseSeed);
  const count = frameCount(spec);
  for (let i = 0; i < count; i++) {
    const size = spec.width * spec.height * 3;
    if (spec.synthType === "noise") {
      yield randomBytes(noise, size);
      continue;
    }
    const frame = new Uint8Array(size);
    if (spec.synthType === "grid_clock") drawClock(frame, spec, i, count);
    else for (const shape of scene.shapes) drawShape(frame, spec, shape, i);
    yield frame;
  }
}

// A shape at its place in frame `i`, wrapping at the edges.
function drawShape(frame: Uint8Array, spec: VideoSpec, shape: Shape, i: number): void {
  const { width, height } = spec;
  const cx = shape.x + shape.dx * i;
  const cy = shape.y + shape.dy * i;
  for (let y = Math.floor(cy - shape.ry); y <= Math.ceil(cy + shape.ry); y++) {
    for (let x = Math.floor(cx - shape.rx); x <= Math.ceil(cx + shape.rx); x++) {
      if (shape.circle && (x - cx) ** 2 + (y - cy) ** 2 > shape.rx ** 2) continue;
      setPixel(frame, width, mod(x, width), mod(y, height), shape.color);
    }
  }
}

const GRAY: readonly [number, number, number] = [40, 40, 40];
const GRID: readonly [number, number, number] = [90, 90, 90];
const HANDS: readonly [[number, number, number], [number, number, number]] = [
  [240, 240, 240],
  [230, 60, 60],
];

// A dark gray background, a grid, two clock hands (one turn per video, one per second) and the
// frame number as 16 marks along the top (a lit mark for a 1 bit).
function drawClock(frame: Uint8Array, spec: VideoSpec, i: number, count: number): void {
  const { width, height } = spec;
  for (let p = 0; p < frame.length; p += 3) frame.set(GRAY, p);
  const step = Math.max(4, Math.floor(Math.min(width, height) / 8));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (x % step === 0 || y % step === 0) setPixel(frame, width, x, y, GRID);
    }
  }
  const cx = width / 2;
  const cy = height / 2;
  const radius = Math.min(width, height) * 0.4;
  const turns = [i / count, (i % spec.fps) / spec.fps];
  turns.forEach((turn, h) => {
    const angle = 2 * Math.PI * turn - Math.PI / 2;
    const length = radius * (h === 0 ? 0.6 : 0.9);
    for (let r = 0; r <= length; r += 0.5) {
      const x = Math.round(cx + r * Math.cos(angle));
      const y = Math.round(cy + r * Math.sin(angle));
      if (x >= 0 && x < width && y >= 0 && y < height) setPixel(frame, width, x, y, HANDS[h]!);
    }
  });
  const mark = Math.max(1, Math.floor(width / 64));
  for (let bit = 0; bit < 16 && (bit + 1) * mark * 2 <= width; bit++) {
    if (((i >> bit) & 1) === 0) continue;
    for (let y = 0; y < Math.min(mark, height); y++) {
      for (let x = 0; x < mark; x++) setPixel(frame, width, bit * mark * 2 + x, y, HANDS[0]);
    }
  }
}

function setPixel(
  frame: Uint8Array,
  width: number,
  x: number,
  y: number,
  color: readonly [number, number, number],
): void {
  const p = (y * width + x) * 3;
  frame[p] = color[0];
  frame[p + 1] = color[1];
  frame[p + 2] = color[2];
}

function mod(value: number, n: number): number {
  return ((value % n) + n) % n;
}
