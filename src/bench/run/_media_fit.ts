import { BenchConfigError } from "../config/bench_config_error.ts";
import { type MediaKind, sendsMedia } from "../endpoints/media_sent.ts";
import type { DatasetEntry, DatasetTurn } from "../types.ts";

function kindsOf(turn: DatasetTurn): MediaKind[] {
  return [
    ...(turn.images?.length ? ["images" as const] : []),
    ...(turn.audios?.length ? ["audio" as const] : []),
    ...(turn.videos?.length ? ["videos" as const] : []),
  ];
}

/**
 * Refuses entries whose images, audio or videos the endpoint would not send (a dataset file's,
 * or a plugin dataset's): a run without them would measure other requests than the file's.
 *
 * @throws {BenchConfigError} Naming the entry, what it has and the endpoint.
 */
export function checkMediaFits(
  entries: readonly DatasetEntry[],
  dataset: string,
  endpoint: string,
): void {
  for (const [i, entry] of entries.entries()) {
    for (const [t, turn] of [entry, ...(entry.turns ?? [])].entries()) {
      const missing = kindsOf(turn).filter((kind) => !sendsMedia(endpoint, kind));
      if (missing.length === 0) continue;
      const where = `entry ${i + 1}${t === 0 ? "" : `, turn ${t + 1}`}`;
      const endpointType = missing.includes("videos")
        ? "--endpoint-type chat"
        : "--endpoint-type chat or responses";
      throw new BenchConfigError(
        `the dataset "${dataset}" has ${missing.join(" and ")} (${where}), which the endpoint ` +
          `"${endpoint}" does not send; use ${endpointType}`,
        { flag: "--endpoint-type" },
      );
    }
  }
}
