import { join } from "node:path";
import { ReportInputError } from "./load_run.ts";

/**
 * Refuses a sweep's folder, or a folder of repeated runs (`--num-profile-runs`), where one run is
 * expected (a comparison's A or B), naming the runs inside it to pick from, instead of "no such
 * file" about a `profile_export.json` such a top folder never has.
 *
 * @param dir The folder given.
 * @throws {ReportInputError} When `dir` holds a `sweep.json` or a `profile_runs` folder.
 *
 * @example
 * ```ts
 * import { refuseSweepDir } from "./refuse_sweep_dir.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/sweep.json`, JSON.stringify({ field: "concurrency",
 *   values: [1, 2], points: [{ value: 1, dir: "concurrency_1" }, { value: 2, dir: "concurrency_2" }] }));
 * const error = await refuseSweepDir(dir).catch((e) => e);
 * await Deno.remove(dir, { recursive: true });
 * if (!String(error?.message).includes("concurrency_2")) throw new Error(String(error));
 * ```
 */
export async function refuseSweepDir(dir: string): Promise<void> {
  await refuseRepeatedRunsDir(dir);
  const path = join(dir, "sweep.json");
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch {
    return;
  }
  let runs: string[] = [];
  let field = "value";
  try {
    const sweep = JSON.parse(text) as { field?: unknown; points?: { dir?: unknown }[] };
    if (typeof sweep.field === "string") field = sweep.field;
    runs = (sweep.points ?? []).map((p) => p.dir).filter((d): d is string => typeof d === "string")
      .map((d) => join(dir, d));
  } catch {
    // An unreadable sweep.json is still a sweep's folder: the message below holds.
  }
  throw new ReportInputError(
    dir,
    `a sweep's folder, not one run: compare one ${field}'s run` +
      (runs.length === 0 ? "" : ` (${runs.join(", ")})`) +
      `, or rebuild the sweep's page with "deno task bench:report ${dir}"`,
  );
}

// Repeated runs' folder: profile_runs/run_0001/, ... and aggregate/.
async function refuseRepeatedRunsDir(dir: string): Promise<void> {
  const runs: string[] = [];
  try {
    for await (const entry of Deno.readDir(join(dir, "profile_runs"))) {
      if (entry.isDirectory) runs.push(join(dir, "profile_runs", entry.name));
    }
  } catch {
    return;
  }
  if (await Deno.stat(join(dir, "profile_export.json")).then(() => true, () => false)) return;
  runs.sort();
  throw new ReportInputError(
    dir,
    "a folder of repeated runs (--num-profile-runs), not one run: compare one run of each" +
      (runs.length === 0 ? "" : ` (${runs.join(", ")})`) +
      `; their spread over the runs is in ${join(dir, "aggregate")}`,
  );
}
