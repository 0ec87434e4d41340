/** A kind of media a dataset turn may carry. */
export type MediaKind = "images" | "audio" | "videos";

// What each built-in endpoint sends of a turn's media: chat sends images, audio and videos as
// content parts (`image_url`, `input_audio`, `video_url`), the Responses API images and audio as
// its typed parts; the others send the text alone.
const SENT: Readonly<Record<string, readonly MediaKind[]>> = {
  openai_chat: ["images", "audio", "videos"],
  openai_responses: ["images", "audio"],
};

/**
 * Whether the endpoint sends this kind of media with a prompt (a plugin endpoint: no, as far as
 * the bench knows).
 *
 * @example
 * ```ts
 * import { sendsMedia } from "./media_sent.ts";
 *
 * if (!sendsMedia("openai_chat", "videos") || sendsMedia("openai_responses", "videos")) {
 *   throw new Error("wrong");
 * }
 * ```
 */
export function sendsMedia(endpoint: string, kind: MediaKind): boolean {
  return SENT[endpoint]?.includes(kind) ?? false;
}
