import { positiveNormalInteger, randomSource } from "../_random.ts";
import type { Dataset, DatasetEntry } from "../types.ts";
import { PromptGenerator } from "./_prompt_generator.ts";
import {
  drawPair,
  nonNegativeNormal,
  parseSequenceDistribution,
  type SequencePair,
} from "./_sequence_distribution.ts";
import { DEFAULT_TOKENIZER, loadTokenizer } from "../tokens/load_tokenizer.ts";
import { type AudioSpec, type ImageSpec, mediaMaker } from "./_synthetic_media.ts";
import { VIDEO_SYNTH_TYPES, type VideoSpec, type VideoSynthType } from "./_synthetic_video.ts";

/** Configuration of {@linkcode SyntheticDataset}; the names are AIPerf's flags. */
export interface SyntheticDatasetConfig {
  /** How many distinct prompts (`--num-dataset-entries`); default 100. */
  readonly count?: number;
  /** Mean prompt length in tokens (`--synthetic-input-tokens-mean`); default 32. */
  readonly input_tokens_mean?: number;
  /** Standard deviation of the prompt length (`--synthetic-input-tokens-stddev`); default 0. */
  readonly input_tokens_stddev?: number;
  /** Mean output tokens asked for (`--output-tokens-mean`), sent as `max_tokens`. */
  readonly output_tokens_mean?: number;
  /** Standard deviation of the output tokens asked for (`--output-tokens-stddev`). */
  readonly output_tokens_stddev?: number;
  /** Tokens of each shared prefix (`--prefix-prompt-length`); default 0, none. */
  readonly prefix_prompt_length?: number;
  /** How many different prefixes prompts draw from (`--num-prefix-prompts`); default 1. */
  readonly num_prefix_prompts?: number;
  /**
   * Tokens of one system prompt shared by every request (`--shared-system-prompt-length`);
   * default 0, none.
   */
  readonly system_prompt_length?: number;
  /** The tokenizer lengths are exact in (`--tokenizer`); default cl100k_base. */
  readonly tokenizer?: string;
  /** Seed of the text and lengths (`--random-seed`); default 0, so runs repeat. */
  readonly seed?: number;
  /** Older name of `input_tokens_mean`. */
  readonly prompt_tokens?: number;
  /** Older name of `output_tokens_mean`. */
  readonly output_tokens?: number;
  /** Accepted as AIPerf accepts `--isl-block-size` with synthetic prompts; no effect. */
  readonly block_size?: number;
  /**
   * A mixture of (ISL, OSL) pairs, AIPerf's `--seq-dist`: `ISL,OSL:WEIGHT;...` (a length may
   * carry `|STDDEV`); replaces the input and output means.
   */
  readonly sequence_distribution?: string;
  /**
   * Texts per request, AIPerf's `--prompt-batch-size` (embeddings): each entry carries
   * `batch_size - 1` more prompts of the same lengths in `batch`; default 1.
   */
  readonly batch_size?: number;
  /** Turns per conversation, mean (AIPerf's `--conversation-turn-mean`); default 1. */
  readonly turn_mean?: number;
  /** Turns per conversation, standard deviation (`--conversation-turn-stddev`). */
  readonly turn_stddev?: number;
  /** Milliseconds between a reply and the next turn, mean (`--conversation-turn-delay-mean`). */
  readonly turn_delay_mean?: number;
  /** Standard deviation of that delay (`--conversation-turn-delay-stddev`). */
  readonly turn_delay_stddev?: number;
  /** Every delay is multiplied by this (`--conversation-turn-delay-ratio`); default 1. */
  readonly turn_delay_ratio?: number;
  /** Image width in pixels, mean (`--image-width-mean`); images are sent when both means > 0. */
  readonly image_width_mean?: number;
  /** Image width, standard deviation (`--image-width-stddev`). */
  readonly image_width_stddev?: number;
  /** Image height in pixels, mean (`--image-height-mean`). */
  readonly image_height_mean?: number;
  /** Image height, standard deviation (`--image-height-stddev`). */
  readonly image_height_stddev?: number;
  /** `png` (default), `jpeg` or `random` (`--image-format`). */
  readonly image_format?: "png" | "jpeg" | "random";
  /** Images per request (`--image-batch-size`); default 1. */
  readonly image_batch_size?: number;
  /** Audio length in seconds, mean (`--audio-length-mean`); audio is sent when > 0. */
  readonly audio_length_mean?: number;
  /** Audio length, standard deviation (`--audio-length-stddev`). */
  readonly audio_length_stddev?: number;
  /** `wav`, the only one generated (`--audio-format`). */
  readonly audio_format?: "wav";
  /** Sample rates in kHz, one drawn per clip (`--audio-sample-rates`); default [16]. */
  readonly audio_sample_rates?: readonly number[];
  /** Bits per sample, one drawn per clip (`--audio-depths`: 8, 16, 24, 32); default [16]. */
  readonly audio_depths?: readonly number[];
  /** 1 (mono, default) or 2 (stereo) (`--audio-num-channels`). */
  readonly audio_num_channels?: number;
  /** Clips per request (`--audio-batch-size`); default 1. */
  readonly audio_batch_size?: number;
  /**
   * Video width in pixels (`--video-width`); videos are sent (chat only, generated with FFmpeg)
   * when both the width and the height are above 0.
   */
  readonly video_width?: number;
  /** Video height in pixels (`--video-height`). */
  readonly video_height?: number;
  /** Frames per second (`--video-fps`); default 4. */
  readonly video_fps?: number;
  /** Seconds of video (`--video-duration`); default 5. */
  readonly video_duration?: number;
  /**
   * What the frames show (`--video-synth-type`): `moving_shapes` (default: colored circles and
   * rectangles moving on black, wrapping at the edges), `grid_clock` (a grid and clock hands on
   * dark gray, with a frame-number mark) or `noise` (random RGB each frame).
   */
  readonly video_synth_type?: VideoSynthType;
  /** Container (`--video-format`): `webm` (default) or `mp4`. */
  readonly video_format?: "webm" | "mp4";
  /**
   * FFmpeg encoder (`--video-codec`): `libvpx-vp9` (default), `libvpx`, `libx264`, `libx265`,
   * `h264_nvenc`, `hevc_nvenc`, or another the local `ffmpeg -encoders` lists.
   */
  readonly video_codec?: string;
  /** Videos per request (`--video-batch-size`); default 1. */
  readonly video_batch_size?: number;
  /**
   * Passages per rankings request, mean (`--rankings-passages-mean`); any `rankings_*` key makes
   * each entry a query (the prompt) with its passages. Default 1.
   */
  readonly rankings_passages_mean?: number;
  /** Passages per request, standard deviation (`--rankings-passages-stddev`). */
  readonly rankings_passages_stddev?: number;
  /** Tokens per passage, mean (`--rankings-passages-prompt-token-mean`); default 550. */
  readonly rankings_passages_prompt_token_mean?: number;
  /** Tokens per passage, standard deviation (`--rankings-passages-prompt-token-stddev`). */
  readonly rankings_passages_prompt_token_stddev?: number;
  /** Tokens of the query, mean (`--rankings-query-prompt-token-mean`); default 550. */
  readonly rankings_query_prompt_token_mean?: number;
  /** Tokens of the query, standard deviation (`--rankings-query-prompt-token-stddev`). */
  readonly rankings_query_prompt_token_stddev?: number;
}

/**
 * The `synthetic` dataset: `count` prompts whose lengths are drawn from a normal distribution
 * (`input_tokens_mean`, `input_tokens_stddev`) and are exact in the chosen tokenizer, each one
 * different from the others (text stitched from random pieces of a corpus), with `max_tokens`
 * drawn the same way from `output_tokens_mean` and `output_tokens_stddev`. With
 * `prefix_prompt_length`, every prompt starts with one of `num_prefix_prompts` shared prefixes
 * of that many tokens (a prefix-cache workload), then has its own `input_tokens_mean` tokens.
 * With `sequence_distribution`, each entry's lengths come from one pair of the mixture, drawn by
 * weight. With `turn_mean` above 1, each entry is a conversation of that many turns (drawn from
 * `turn_mean`, `turn_stddev`), each later turn sent `turn_delay_mean` ms (± `turn_delay_stddev`,
 * times `turn_delay_ratio`) after the reply to the one before: AIPerf's synthetic multi-turn.
 *
 * @example
 * ```ts
 * import { SyntheticDataset } from "./synthetic_dataset.ts";
 * import { encode } from "gpt-tokenizer/encoding/cl100k_base";
 *
 * const entries = await new SyntheticDataset({ count: 3, input_tokens_mean: 50 }).load();
 * if (!entries.every((e) => encode(e.prompt).length === 50)) throw new Error("wrong length");
 * if (new Set(entries.map((e) => e.prompt)).size !== 3) throw new Error("not distinct");
 * ```
 */
export class SyntheticDataset implements Dataset {
  readonly #count: number;
  readonly #inputMean: number;
  readonly #inputStddev: number;
  readonly #outputMean: number | undefined;
  readonly #outputStddev: number;
  readonly #prefixLength: number;
  readonly #prefixCount: number;
  readonly #systemLength: number;
  readonly #tokenizer: string;
  readonly #seed: number;
  readonly #pairs: readonly SequencePair[] | undefined;
  readonly #batchSize: number;
  readonly #turns: { mean: number; stddev: number; delay: number; delayStddev: number };
  readonly #images: ImageSpec | undefined;
  readonly #audio: AudioSpec | undefined;
  readonly #video: VideoSpec | undefined;
  readonly #rankings: RankingsSpec | undefined;

  /**
   * @param config Sizes, tokenizer and seed.
   * @throws {RangeError} When a size is out of range.
   */
  constructor(config: SyntheticDatasetConfig = {}) {
    this.#count = positive(config.count ?? 100, "count");
    this.#inputMean = positive(
      config.input_tokens_mean ?? config.prompt_tokens ?? 32,
      "input_tokens_mean",
    );
    this.#inputStddev = nonNegative(config.input_tokens_stddev ?? 0, "input_tokens_stddev");
    const output = config.output_tokens_mean ?? config.output_tokens;
    this.#outputMean = output === undefined ? undefined : positive(output, "output_tokens_mean");
    this.#outputStddev = nonNegative(config.output_tokens_stddev ?? 0, "output_tokens_stddev");
    this.#prefixLength = config.prefix_prompt_length ?? 0;
    if (!Number.isInteger(this.#prefixLength) || this.#prefixLength < 0) {
      throw new RangeError(
        `Invalid "prefix_prompt_length": expected an integer >= 0, got ${this.#prefixLength}`,
      );
    }
    this.#prefixCount = positive(config.num_prefix_prompts ?? 1, "num_prefix_prompts");
    this.#systemLength = config.system_prompt_length ?? 0;
    if (!Number.isInteger(this.#systemLength) || this.#systemLength < 0) {
      throw new RangeError(
        `Invalid "system_prompt_length": expected an integer >= 0, got ${this.#systemLength}`,
      );
    }
    this.#tokenizer = config.tokenizer ?? DEFAULT_TOKENIZER;
    this.#seed = config.seed ?? 0;
    this.#pairs = config.sequence_distribution === undefined
      ? undefined
      : parseSequenceDistribution(config.sequence_distribution);
    this.#batchSize = positive(config.batch_size ?? 1, "batch_size");
    const ratio = nonNegative(config.turn_delay_ratio ?? 1, "turn_delay_ratio");
    this.#turns = {
      mean: positive(config.turn_mean ?? 1, "turn_mean"),
      stddev: nonNegative(config.turn_stddev ?? 0, "turn_stddev"),
      delay: nonNegative(config.turn_delay_mean ?? 0, "turn_delay_mean") * ratio,
      delayStddev: nonNegative(config.turn_delay_stddev ?? 0, "turn_delay_stddev") * ratio,
    };
    this.#images = imageSpec(config);
    this.#audio = audioSpec(config);
    this.#video = videoSpec(config);
    this.#rankings = rankingsSpec(config);
  }

  /** Generates the prompts. */
  async load(): Promise<readonly DatasetEntry[]> {
    const tokenizer = await loadTokenizer(this.#tokenizer);
    const generator = new PromptGenerator(tokenizer, this.#seed);
    // Its own stream, so the prompts are the same with or without a system prompt.
    const system = this.#systemLength === 0
      ? undefined
      : new PromptGenerator(tokenizer, this.#seed + 11).prompt(this.#systemLength);
    const random = randomSource(this.#seed + 1);
    const prefixes = this.#prefixLength === 0
      ? [""]
      : Array.from({ length: this.#prefixCount }, () => generator.prompt(this.#prefixLength));
    // Separate streams, so adding turns or a mixture leaves the single-turn prompts as they were.
    const turnRandom = randomSource(this.#seed + 2);
    const pairRandom = randomSource(this.#seed + 3);
    if (this.#rankings !== undefined) {
      return rankingsEntries(this.#rankings, this.#count, generator, randomSource(this.#seed + 7));
    }
    const media = await mediaMaker(this.#images, this.#audio, this.#seed, this.#video);
    // The media's random draws are made in order here; videos are encoded meanwhile.
    const withMedia = async <T>(turn: T): Promise<T> => {
      const made = media?.();
      return {
        ...turn,
        ...(made === undefined ? {} : await made),
        ...(system === undefined ? {} : { system }),
      };
    };
    const entries: Promise<DatasetEntry>[] = [];
    for (let i = 0; i < this.#count; i++) {
      const prefix = prefixes[Math.floor(random() * prefixes.length)]!;
      const first = withMedia(
        this.#batched(this.#turn(generator, random, pairRandom, prefix), generator),
      );
      const count = this.#turns.mean === 1 && this.#turns.stddev === 0
        ? 1
        : positiveNormalInteger(turnRandom, this.#turns.mean, this.#turns.stddev);
      if (count === 1) {
        entries.push(first);
        continue;
      }
      const turns = Array.from({ length: count - 1 }, () => {
        const turn = withMedia(this.#turn(generator, random, pairRandom, ""));
        const delay = Math.round(
          nonNegativeNormal(turnRandom, this.#turns.delay, this.#turns.delayStddev),
        );
        return turn.then((t) => ({ ...t, delay }));
      });
      entries.push(Promise.all([first, ...turns]).then(([f, ...t]) => ({ ...f!, turns: t })));
    }
    return await Promise.all(entries);
  }

  // With batch_size > 1: batch_size - 1 more prompts of the input lengths, in `batch`.
  #batched(
    turn: { prompt: string; maxTokens?: number },
    generator: PromptGenerator,
  ): { prompt: string; maxTokens?: number; batch?: string[] } {
    if (this.#batchSize === 1) return turn;
    const random = randomSource(this.#seed + 4 + turn.prompt.length);
    const batch = Array.from(
      { length: this.#batchSize - 1 },
      () => generator.prompt(positiveNormalInteger(random, this.#inputMean, this.#inputStddev)),
    );
    return { ...turn, batch };
  }

  // One prompt and its max_tokens, from the means or from a pair of the mixture.
  #turn(
    generator: PromptGenerator,
    random: () => number,
    pairRandom: () => number,
    prefix: string,
  ): { prompt: string; maxTokens?: number } {
    const pair = this.#pairs === undefined ? undefined : drawPair(this.#pairs, pairRandom);
    const tokens = pair === undefined
      ? positiveNormalInteger(random, this.#inputMean, this.#inputStddev)
      : positiveNormalInteger(random, pair.isl, pair.islStddev);
    const prompt = generator.prompt(tokens, prefix);
    if (pair !== undefined) {
      return { prompt, maxTokens: positiveNormalInteger(random, pair.osl, pair.oslStddev) };
    }
    if (this.#outputMean === undefined) return { prompt };
    return {
      prompt,
      maxTokens: positiveNormalInteger(random, this.#outputMean, this.#outputStddev),
    };
  }
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`Invalid "${name}": expected a positive integer, got ${value}`);
  }
  return value;
}

function nonNegative(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`Invalid "${name}": expected a number >= 0, got ${value}`);
  }
  return value;
}

// AIPerf's image options: images only when both means are above 0.
function imageSpec(config: SyntheticDatasetConfig): ImageSpec | undefined {
  const width = nonNegative(config.image_width_mean ?? 0, "image_width_mean");
  const height = nonNegative(config.image_height_mean ?? 0, "image_height_mean");
  if (width === 0 || height === 0) return undefined;
  const format = config.image_format ?? "png";
  if (!["png", "jpeg", "random"].includes(format)) {
    throw new RangeError(`Invalid "image_format": expected png, jpeg or random, got "${format}"`);
  }
  return {
    widthMean: width,
    widthStddev: nonNegative(config.image_width_stddev ?? 0, "image_width_stddev"),
    heightMean: height,
    heightStddev: nonNegative(config.image_height_stddev ?? 0, "image_height_stddev"),
    format,
    batch: positive(config.image_batch_size ?? 1, "image_batch_size"),
  };
}

// AIPerf's audio options: audio only when the mean length is above 0; WAV only.
function audioSpec(config: SyntheticDatasetConfig): AudioSpec | undefined {
  const length = nonNegative(config.audio_length_mean ?? 0, "audio_length_mean");
  if (length === 0) return undefined;
  if ((config.audio_format ?? "wav") !== "wav") {
    throw new RangeError(
      `Invalid "audio_format": only wav is generated (no MP3 encoder), got "${config.audio_format}"`,
    );
  }
  const rates = config.audio_sample_rates ?? [16];
  if (rates.length === 0 || !rates.every((r) => Number.isFinite(r) && r > 0)) {
    throw new RangeError(
      `Invalid "audio_sample_rates": expected kHz above 0, got [${rates.join(", ")}]`,
    );
  }
  const depths = config.audio_depths ?? [16];
  if (depths.length === 0 || !depths.every((d) => [8, 16, 24, 32].includes(d))) {
    throw new RangeError(
      `Invalid "audio_depths": expected bits from 8, 16, 24, 32, got [${depths.join(", ")}]`,
    );
  }
  const channels = config.audio_num_channels ?? 1;
  if (channels !== 1 && channels !== 2) {
    throw new RangeError(`Invalid "audio_num_channels": expected 1 or 2, got ${channels}`);
  }
  return {
    lengthMean: length,
    lengthStddev: nonNegative(config.audio_length_stddev ?? 0, "audio_length_stddev"),
    sampleRates: rates,
    depths,
    channels,
    batch: positive(config.audio_batch_size ?? 1, "audio_batch_size"),
  };
}

// AIPerf's video options: videos only when the width and the height are both above 0.
function videoSpec(config: SyntheticDatasetConfig): VideoSpec | undefined {
  const width = nonNegative(config.video_width ?? 0, "video_width");
  const height = nonNegative(config.video_height ?? 0, "video_height");
  if (width === 0 || height === 0) return undefined;
  const synthType = config.video_synth_type ?? "moving_shapes";
  if (!VIDEO_SYNTH_TYPES.includes(synthType)) {
    throw new RangeError(
      `Invalid "video_synth_type": expected ${VIDEO_SYNTH_TYPES.join(", ")}, got "${synthType}"`,
    );
  }
  const format = config.video_format ?? "webm";
  if (format !== "webm" && format !== "mp4") {
    throw new RangeError(`Invalid "video_format": expected webm or mp4, got "${format}"`);
  }
  const codec = config.video_codec ?? "libvpx-vp9";
  if (typeof codec !== "string" || !/^[\w-]+$/.test(codec)) {
    throw new RangeError(`Invalid "video_codec": expected an FFmpeg encoder name, got "${codec}"`);
  }
  const duration = config.video_duration ?? 5;
  if (!Number.isFinite(duration) || duration <= 0) {
    throw new RangeError(`Invalid "video_duration": expected seconds above 0, got ${duration}`);
  }
  return {
    width: positive(width, "video_width"),
    height: positive(height, "video_height"),
    fps: positive(config.video_fps ?? 4, "video_fps"),
    duration,
    synthType,
    format,
    codec,
    batch: positive(config.video_batch_size ?? 1, "video_batch_size"),
  };
}

interface RankingsSpec {
  readonly passages: { mean: number; stddev: number };
  readonly passageTokens: { mean: number; stddev: number };
  readonly queryTokens: { mean: number; stddev: number };
}

// AIPerf's rankings options: on when any is given; its defaults for the others.
function rankingsSpec(config: SyntheticDatasetConfig): RankingsSpec | undefined {
  const keys = [
    "rankings_passages_mean",
    "rankings_passages_stddev",
    "rankings_passages_prompt_token_mean",
    "rankings_passages_prompt_token_stddev",
    "rankings_query_prompt_token_mean",
    "rankings_query_prompt_token_stddev",
  ] as const;
  if (keys.every((k) => config[k] === undefined)) return undefined;
  const pair = (mean: number, stddev: number, name: string) => ({
    mean: positive(mean, `${name}_mean`),
    stddev: nonNegative(stddev, `${name}_stddev`),
  });
  return {
    passages: pair(
      config.rankings_passages_mean ?? 1,
      config.rankings_passages_stddev ?? 0,
      "rankings_passages",
    ),
    passageTokens: pair(
      config.rankings_passages_prompt_token_mean ?? 550,
      config.rankings_passages_prompt_token_stddev ?? 0,
      "rankings_passages_prompt_token",
    ),
    queryTokens: pair(
      config.rankings_query_prompt_token_mean ?? 550,
      config.rankings_query_prompt_token_stddev ?? 0,
      "rankings_query_prompt_token",
    ),
  };
}

// Each entry a query of its drawn length and its drawn number of passages of theirs.
function rankingsEntries(
  spec: RankingsSpec,
  count: number,
  generator: PromptGenerator,
  random: () => number,
): DatasetEntry[] {
  const draw = ({ mean, stddev }: { mean: number; stddev: number }) =>
    positiveNormalInteger(random, mean, stddev);
  return Array.from({ length: count }, () => {
    const prompt = generator.prompt(draw(spec.queryTokens));
    const passages = Array.from(
      { length: draw(spec.passages) },
      () => generator.prompt(draw(spec.passageTokens)),
    );
    return { prompt, passages };
  });
}
