// Readers for request bodies: the JSON object itself and the prompt text inside it.

import { errorResponse } from "./_openai_responses.ts";

/** True for a plain JSON object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads the body as a JSON object, or returns the 400 response to send. */
export async function readJsonObject(
  request: Request,
): Promise<Record<string, unknown> | Response> {
  try {
    const parsed: unknown = await request.json();
    if (!isObject(parsed)) return errorResponse(400, "The request body must be a JSON object");
    return parsed;
  } catch {
    return errorResponse(400, "The request body is not valid JSON");
  }
}

/** The text of chat `messages` (string contents and text parts), or undefined when malformed. */
export function chatPrompt(messages: unknown): string | undefined {
  if (!Array.isArray(messages) || messages.length === 0) return undefined;
  const parts: string[] = [];
  for (const message of messages) {
    if (!isObject(message)) return undefined;
    const content = message.content;
    if (typeof content === "string") parts.push(content);
    else if (Array.isArray(content)) {
      for (const part of content) {
        if (isObject(part) && typeof part.text === "string") parts.push(part.text);
      }
    }
  }
  return parts.join("\n");
}

/**
 * What is wrong with the media parts of chat `messages` (OpenAI's `image_url` and
 * `input_audio`, vLLM's `video_url`) or of a Responses `input` (`input_text`, `input_image`,
 * `input_audio`), or undefined when they are well formed: an image is a URL or a base64 data URL
 * of a PNG, JPEG, GIF or WebP; a clip is base64 WAV or MP3 with its `format`; a video is a URL or
 * a base64 data URL of a WebM (the EBML magic) or an MP4 (`ftyp` at byte 4). Only each file's
 * first bytes are decoded, to check its signature.
 */
export function mediaProblem(messages: unknown): string | undefined {
  if (!Array.isArray(messages)) return undefined;
  for (const message of messages) {
    const content = isObject(message) ? message.content : undefined;
    if (!Array.isArray(content)) continue;
    for (const part of content) {
      const problem = partProblem(part);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

const IMAGE_SIGNATURES: Readonly<Record<string, readonly number[]>> = {
  png: [0x89, 0x50, 0x4e, 0x47],
  jpeg: [0xff, 0xd8, 0xff],
  gif: [0x47, 0x49, 0x46],
  webp: [0x52, 0x49, 0x46, 0x46],
};

function partProblem(part: unknown): string | undefined {
  if (!isObject(part) || typeof part.type !== "string") return "a content part needs a type";
  if (part.type === "text" || part.type === "input_text") {
    return typeof part.text === "string" ? undefined : `a ${part.type} part needs a text`;
  }
  if (part.type === "image_url") {
    const url = isObject(part.image_url) ? part.image_url.url : undefined;
    if (typeof url !== "string") return "an image_url part needs image_url.url";
    return imageProblem(url, "image_url.url");
  }
  if (part.type === "input_image") {
    const url = part.image_url;
    if (typeof url !== "string") return "an input_image part needs an image_url string";
    return imageProblem(url, "input_image.image_url");
  }
  if (part.type === "video_url") {
    const url = isObject(part.video_url) ? part.video_url.url : undefined;
    if (typeof url !== "string") return "a video_url part needs video_url.url";
    return videoProblem(url);
  }
  if (part.type === "input_audio") {
    const audio = isObject(part.input_audio) ? part.input_audio : {};
    if (typeof audio.data !== "string") return "an input_audio part needs input_audio.data";
    if (audio.format === "wav") {
      return startsWith(audio.data, [0x52, 0x49, 0x46, 0x46])
        ? undefined
        : "input_audio.data is not a WAV file";
    }
    return audio.format === "mp3" ? undefined : 'input_audio.format must be "wav" or "mp3"';
  }
  return `unsupported content part type "${part.type}"`;
}

function imageProblem(url: string, field: string): string | undefined {
  if (/^https?:\/\//.test(url)) return undefined;
  const data = /^data:image\/(png|jpeg|gif|webp);base64,/.exec(url);
  if (data === null) return `${field} must be an http(s) URL or a base64 image data URL`;
  return startsWith(url.slice(data[0].length), IMAGE_SIGNATURES[data[1]!]!)
    ? undefined
    : `${field} is not a ${data[1]} image`;
}

function videoProblem(url: string): string | undefined {
  if (/^https?:\/\//.test(url)) return undefined;
  const data = /^data:video\/(webm|mp4);base64,/.exec(url);
  if (data === null) return "video_url.url must be an http(s) URL or a base64 webm or mp4 data URL";
  const ok = data[1] === "webm"
    ? startsWith(url.slice(data[0].length), [0x1a, 0x45, 0xdf, 0xa3])
    : startsWith(url.slice(data[0].length), [0x66, 0x74, 0x79, 0x70], 4);
  return ok ? undefined : `video_url.url is not a ${data[1]} video`;
}

// Whether base64 `data` decodes to bytes holding `signature` at `offset` (only its first bytes
// read).
function startsWith(data: string, signature: readonly number[], offset = 0): boolean {
  try {
    const head = Uint8Array.fromBase64(data.slice(0, 16));
    return signature.every((byte, i) => head[offset + i] === byte);
  } catch {
    return false;
  }
}

/** The text of a completions `prompt` (a string or strings), or undefined when malformed. */
export function textPrompt(prompt: unknown): string | undefined {
  if (typeof prompt === "string") return prompt;
  if (Array.isArray(prompt) && prompt.every((p) => typeof p === "string")) {
    return prompt.join("\n");
  }
  return undefined;
}

/**
 * The output length asked for (`max_completion_tokens`, else `max_tokens`): a number, undefined
 * when absent, or the 400 response to send when it is not a positive integer.
 */
export function maxTokensOf(body: Record<string, unknown>): number | undefined | Response {
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens === undefined || maxTokens === null) return undefined;
  if (typeof maxTokens === "number" && Number.isInteger(maxTokens) && maxTokens >= 1) {
    return maxTokens;
  }
  return errorResponse(400, '"max_tokens" must be a positive integer', undefined, "max_tokens");
}
