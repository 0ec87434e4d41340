// Snapshots are keyed by plugmap's version and by the hash of its sources, so that a checkout
// used by path (or "links", or a workspace) between two commits of the same version never reads
// a snapshot other code wrote. This test keeps the recorded hash true: change the library and it
// fails, printing the value to put in src/_util/version.ts.
import { equal } from "node:assert/strict";
import { createHash } from "node:crypto";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { LIBRARY_SOURCES } from "../../src/_util/version.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function sources(dir: string, into: string[] = []): string[] {
  for (const entry of Deno.readDirSync(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) sources(path, into);
    else if (/\.(ts|js|json|yaml)$/.test(entry.name)) into.push(relative(ROOT, path));
  }
  return into;
}

Deno.test("snapshot keys: LIBRARY_SOURCES is the hash of the library's sources", () => {
  const files = sources(join(ROOT, "src"))
    .map((f) => f.replaceAll("\\", "/"))
    .filter((f) => !/^src\/(cli|bench)\//.test(f) && f !== "src/_util/version.ts")
    .sort();
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(file + "\0");
    hash.update(Deno.readFileSync(join(ROOT, file)));
    hash.update("\0");
  }
  const actual = hash.digest("hex");
  equal(
    LIBRARY_SOURCES,
    actual,
    `The library's sources changed: set LIBRARY_SOURCES in src/_util/version.ts to "${actual}"`,
  );
});
