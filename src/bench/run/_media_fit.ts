import { BenchConfigError } from "../config/bench_config_error.ts";
import type { DatasetEntry, DatasetTurn } from "../types.ts";

// What each built-in endpoint sends of a turn's media: chat sends images, audio and videos as
// content parts, the Responses API images and audio; the others send none, so a dataset that has
// media is refused with them rather than sent without it.
const SENDS: Readonly<Record<string, readonly string[]>> = {
  openai_chat: ["images", "audio", "videos"],
  openai_responses: ["images", "audio"],
};

function kindsOf(turn: DatasetTurn): string[] {
  return [
    ...(turn.images?.length ? ["images"] : []),
    ...(turn.audios?.length ? ["audio"] : []),
    ...(turn.videos?.length ? ["videos"] : []),
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
  const sends = SENDS[endpoint] ?? [];
  for (const [i, entry] of entries.entries()) {
    for (const [t, turn] of [entry, ...(entry.turns ?? [])].entries()) {
      const missing = kindsOf(turn).filter((kind) => !sends.includes(kind));
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
