// The images, audio clips and videos an AIPerf dataset turn names (`image`/`images`,
// `audio`/`audios`, `video`/`videos`): URLs and data URLs sent as they are, local files read and
// sent as base64, as AIPerf sends them.

import type { EndpointAudio } from "../types.ts";
import type { Problems } from "./_dataset_file.ts";

/** The media of one turn, ready to send. */
export interface TurnMedia {
  readonly images?: readonly string[];
  readonly audios?: readonly EndpointAudio[];
  /** http(s) URLs or data URLs (`data:video/webm;base64,...`), sent as `video_url` parts. */
  readonly videos?: readonly string[];
}

/** The media fields of an AIPerf turn or pool line. */
export const MEDIA_KEYS = ["image", "images", "audio", "audios", "video", "videos"] as const;

const IMAGE_TYPES: Readonly<Record<string, string>> = {
  png: "png",
  jpg: "jpeg",
  jpeg: "jpeg",
  gif: "gif",
  webp: "webp",
};
const AUDIO_TYPES = new Set(["wav", "mp3"]);
// A video file's extension and the type its data URL names.
const VIDEO_TYPES: Readonly<Record<string, string>> = {
  mp4: "mp4",
  m4v: "mp4",
  webm: "webm",
  mov: "quicktime",
  mkv: "x-matroska",
  avi: "x-msvideo",
};

/**
 * Reads the media fields of a turn. An image is an http(s) URL or a data URL (sent as it is) or
 * a local file (PNG, JPEG, GIF or WebP; a relative path from the working directory), sent as a
 * base64 data URL. A clip is a local WAV or MP3 file, a `data:audio/...;base64,` URL, or AIPerf's
 * encoded form `FORMAT,BASE64`. A video is an http(s) URL or a `data:video/...` URL (sent as it
 * is) or a local MP4, M4V, WebM, MOV, MKV or AVI file, sent as a base64 data URL. Problems (a
 * missing file, an unknown type) go to `problems`.
 */
export function turnMedia(
  value: Record<string, unknown>,
  line: number,
  problems: Problems,
  at = "",
): TurnMedia {
  const images = strings(value, "image", "images", line, problems, at)
    .map((ref, i) => image(ref, line, problems, `${at}images[${i}]`))
    .filter((x): x is string => x !== undefined);
  const audios = strings(value, "audio", "audios", line, problems, at)
    .map((ref, i) => audio(ref, line, problems, `${at}audios[${i}]`))
    .filter((x): x is EndpointAudio => x !== undefined);
  const videos = strings(value, "video", "videos", line, problems, at)
    .map((ref, i) => video(ref, line, problems, `${at}videos[${i}]`))
    .filter((x): x is string => x !== undefined);
  return {
    ...(images.length === 0 ? {} : { images }),
    ...(audios.length === 0 ? {} : { audios }),
    ...(videos.length === 0 ? {} : { videos }),
  };
}

// `one` (a string) or `many` (strings): the references, in order.
function strings(
  value: Record<string, unknown>,
  one: string,
  many: string,
  line: number,
  problems: Problems,
  at: string,
): string[] {
  const list: unknown[] = [];
  if (value[one] !== undefined && value[one] !== null) list.push(value[one]);
  const more = value[many];
  if (more !== undefined && more !== null) {
    if (!Array.isArray(more)) {
      problems.add(line, at + many, `expected a list of strings, got ${JSON.stringify(more)}`);
      return [];
    }
    list.push(...more);
  }
  const bad = list.findIndex((x) => typeof x !== "string" || x === "");
  if (bad >= 0) {
    problems.add(line, at + many, `expected non-empty strings, got ${JSON.stringify(list[bad])}`);
    return [];
  }
  return list as string[];
}

function image(ref: string, line: number, problems: Problems, at: string): string | undefined {
  if (/^(https?:\/\/|data:image\/)/i.test(ref)) return ref;
  const extension = /\.([a-z0-9]+)$/i.exec(ref)?.[1]?.toLowerCase() ?? "";
  const type = IMAGE_TYPES[extension];
  if (type === undefined) {
    problems.add(
      line,
      at,
      `"${ref}": an image is an http(s) URL, a data URL or a .png, .jpg, .gif or .webp file`,
    );
    return undefined;
  }
  const bytes = readFile(ref, line, problems, at);
  return bytes === undefined ? undefined : `data:image/${type};base64,${bytes.toBase64()}`;
}

function video(ref: string, line: number, problems: Problems, at: string): string | undefined {
  if (/^(https?:\/\/|data:video\/)/i.test(ref)) return ref;
  const extension = /\.([a-z0-9]+)$/i.exec(ref)?.[1]?.toLowerCase() ?? "";
  const type = VIDEO_TYPES[extension];
  if (type === undefined) {
    problems.add(
      line,
      at,
      `"${ref}": a video is an http(s) URL, a data URL or a .mp4, .m4v, .webm, .mov, .mkv or .avi file`,
    );
    return undefined;
  }
  const bytes = readFile(ref, line, problems, at);
  return bytes === undefined ? undefined : `data:video/${type};base64,${bytes.toBase64()}`;
}

function audio(
  ref: string,
  line: number,
  problems: Problems,
  at: string,
): EndpointAudio | undefined {
  const dataUrl = /^data:audio\/(wav|x-wav|wave|mpeg|mp3);base64,(.*)$/is.exec(ref);
  if (dataUrl !== null) {
    return { format: /mpeg|mp3/i.test(dataUrl[1]!) ? "mp3" : "wav", data: dataUrl[2]! };
  }
  const encoded = /^(wav|mp3),([A-Za-z0-9+/=\s]+)$/.exec(ref);
  if (encoded !== null) return { format: encoded[1]!, data: encoded[2]!.replace(/\s/g, "") };
  if (/^https?:\/\//i.test(ref)) {
    problems.add(line, at, `"${ref}": audio is read from a local file; URLs are not fetched`);
    return undefined;
  }
  const extension = /\.([a-z0-9]+)$/i.exec(ref)?.[1]?.toLowerCase() ?? "";
  if (!AUDIO_TYPES.has(extension)) {
    problems.add(line, at, `"${ref}": a clip is a .wav or .mp3 file, a data URL or "wav,BASE64"`);
    return undefined;
  }
  const bytes = readFile(ref, line, problems, at);
  return bytes === undefined ? undefined : { format: extension, data: bytes.toBase64() };
}

// A local file's bytes (a path, or a file: URL), or a problem naming it.
function readFile(
  ref: string,
  line: number,
  problems: Problems,
  at: string,
): Uint8Array | undefined {
  try {
    return Deno.readFileSync(ref.startsWith("file:") ? new URL(ref) : ref);
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound
      ? "file not found"
      : error instanceof Deno.errors.IsADirectory
      ? "is a directory"
      : (error as Error).message;
    problems.add(line, at, `"${ref}": ${reason}`);
    return undefined;
  }
}
