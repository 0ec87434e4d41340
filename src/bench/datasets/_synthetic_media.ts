// Synthetic images and audio for multimodal chat (videos: _synthetic_video.ts), as AIPerf's image
// and audio options size them: random-noise pictures (AIPerf's default image source) encoded as
// PNG or JPEG, and Gaussian white noise encoded as WAV, each drawn from a seeded stream so
// --random-seed repeats them. The encoders (fast-png, jpeg-js, wavefile) load only when a run asks
// for media.

import { normal, positiveNormalInteger, randomBytes, randomSource } from "../_random.ts";
import type { EndpointAudio } from "../types.ts";
import type { VideoSpec } from "./_synthetic_video.ts";

/** AIPerf's `--image-*` options. */
export interface ImageSpec {
  readonly widthMean: number;
  readonly widthStddev: number;
  readonly heightMean: number;
  readonly heightStddev: number;
  /** `png`, `jpeg`, or `random` (each image one of the two). */
  readonly format: "png" | "jpeg" | "random";
  /** Images per request (`--image-batch-size`). */
  readonly batch: number;
}

/** AIPerf's `--audio-*` options. */
export interface AudioSpec {
  /** Seconds. */
  readonly lengthMean: number;
  readonly lengthStddev: number;
  /** Sample rates in kHz, one drawn per clip. */
  readonly sampleRates: readonly number[];
  /** Bits per sample (8, 16, 24, 32), one drawn per clip. */
  readonly depths: readonly number[];
  /** 1 (mono) or 2 (stereo). */
  readonly channels: number;
  /** Clips per request (`--audio-batch-size`). */
  readonly batch: number;
}

/** The media of one request. */
export interface Media {
  /** Data URLs (`data:image/png;base64,...`). */
  readonly images?: readonly string[];
  /** Base64 WAV clips. */
  readonly audios?: readonly EndpointAudio[];
  /** Data URLs (`data:video/webm;base64,...`). */
  readonly videos?: readonly string[];
}

/**
 * Makes the media of one request after another; the same seed gives the same media. The random
 * draws are made when it is called; videos are encoded when their turn comes (the promise).
 */
export type MediaMaker = () => Promise<Media>;

// AIPerf redraws a clip's length until it is at least 10 ms.
const MIN_SECONDS = 0.01;
// The noise's standard deviation before clipping to [-1, 1].
const NOISE_STDDEV = 0.3;

/**
 * Loads the encoders a spec needs and returns the maker of each request's media.
 *
 * @param images The image options, or undefined for none.
 * @param audio The audio options, or undefined for none.
 * @param seed The run's seed.
 * @param video The video options, or undefined for none (FFmpeg is run only then).
 * @returns The maker, or undefined when no media are asked for.
 * @throws {VideoError} When videos are asked for and FFmpeg or the codec's encoder is missing.
 */
export async function mediaMaker(
  images: ImageSpec | undefined,
  audio: AudioSpec | undefined,
  seed: number,
  video?: VideoSpec,
): Promise<MediaMaker | undefined> {
  if (images === undefined && audio === undefined && video === undefined) return undefined;
  const random = randomSource(seed + 5);
  const noise = randomSource(seed + 6);
  const image = images === undefined ? undefined : await imageMaker(images, random, noise);
  const clip = audio === undefined ? undefined : await audioMaker(audio, random, noise);
  const movie = video === undefined
    ? undefined
    : await (await import("./_synthetic_video.ts")).videoMaker(video, seed);
  return async () => {
    const still = image === undefined ? undefined : Array.from({ length: images!.batch }, image);
    const clips = clip === undefined ? undefined : Array.from({ length: audio!.batch }, clip);
    const videos = movie === undefined ? undefined : Array.from({ length: video!.batch }, movie);
    return {
      ...(still === undefined ? {} : { images: still }),
      ...(clips === undefined ? {} : { audios: clips }),
      ...(videos === undefined ? {} : { videos: await Promise.all(videos) }),
    };
  };
}

async function imageMaker(
  spec: ImageSpec,
  random: () => number,
  noise: () => number,
): Promise<() => string> {
  const [png, jpeg] = await Promise.all([
    import("../_deps/fast_png.ts"),
    import("../_deps/jpeg_js.ts"),
  ]);
  return () => {
    const width = positiveNormalInteger(random, spec.widthMean, spec.widthStddev);
    const height = positiveNormalInteger(random, spec.heightMean, spec.heightStddev);
    const format = spec.format === "random" ? (random() < 0.5 ? "png" : "jpeg") : spec.format;
    if (format === "png") {
      const data = randomBytes(noise, width * height * 3);
      const bytes = png.encode({ width, height, data, channels: 3, depth: 8 });
      return `data:image/png;base64,${bytes.toBase64()}`;
    }
    // jpeg-js reads RGBA; the alpha byte is ignored.
    const data = randomBytes(noise, width * height * 4);
    const bytes = jpeg.encode({ width, height, data }, 75).data;
    return `data:image/jpeg;base64,${new Uint8Array(bytes).toBase64()}`;
  };
}

async function audioMaker(
  spec: AudioSpec,
  random: () => number,
  noise: () => number,
): Promise<() => EndpointAudio> {
  const { WaveFile } = await import("../_deps/wavefile.ts");
  return () => {
    let seconds = spec.lengthMean;
    if (spec.lengthStddev > 0) {
      do seconds = spec.lengthMean + spec.lengthStddev * normal(random); while (
        seconds < MIN_SECONDS
      );
    }
    const rate = Math.round(pick(spec.sampleRates, random) * 1000);
    const depth = pick(spec.depths, random);
    const frames = Math.max(1, Math.round(seconds * rate));
    const channels = Array.from({ length: spec.channels }, () => samples(noise, frames, depth));
    const wav = new WaveFile();
    wav.fromScratch(
      spec.channels,
      rate,
      String(depth),
      spec.channels === 1 ? channels[0]! : channels,
    );
    return { data: wav.toBuffer().toBase64(), format: "wav" };
  };
}

function pick<T>(values: readonly T[], random: () => number): T {
  return values[Math.floor(random() * values.length)]!;
}

// Gaussian noise clipped to [-1, 1], scaled to the depth's integers (8-bit WAV is unsigned).
function samples(noise: () => number, frames: number, depth: number): number[] {
  const peak = 2 ** (depth - 1) - 1;
  const out = new Array<number>(frames);
  for (let i = 0; i < frames; i++) {
    const x = Math.max(-1, Math.min(1, NOISE_STDDEV * normal(noise)));
    out[i] = depth === 8 ? Math.round((x + 1) * 127.5) : Math.round(x * peak);
  }
  return out;
}
