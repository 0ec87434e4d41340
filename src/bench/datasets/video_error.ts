// The error of synthetic video generation (AIPerf's --video-* options).

/**
 * Videos cannot be made here: no `ffmpeg` on PATH, an encoder it lacks, or an encoding that
 * failed. Raised while the dataset is generated, before any request; the bench exits 2.
 *
 * @example
 * ```ts
 * import { VideoError } from "./video_error.ts";
 *
 * const error = new VideoError('"ffmpeg" is not on PATH');
 * if (error.name !== "VideoError") throw error;
 * ```
 */
export class VideoError extends Error {
  /**
   * @param message What is wrong and how to fix it.
   */
  constructor(message: string) {
    super(message);
    this.name = "VideoError";
  }
}
