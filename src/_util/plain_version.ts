// Whether a version is valid, without loading semver when it plainly is (semver is CommonJS:
// loading it starts Deno's Node layer, about 50 ms, which a discovery should not pay for
// versions anyone can see are valid).
import { importLazily } from "./import_lazily.ts";

// major.minor.patch (at most 15 digits each, so below Number.MAX_SAFE_INTEGER), an optional
// prerelease and build: semver accepts every string this matches.
const PLAIN =
  /^(?:0|[1-9]\d{0,14})\.(?:0|[1-9]\d{0,14})\.(?:0|[1-9]\d{0,14})(?:-(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/** Whether semver accepts `text` for certain, without loading it (`false`: ask semver). */
export function isPlainVersion(text: string): boolean {
  return text.length <= 64 && PLAIN.test(text);
}

/** semver's own answer to "is this a valid version?", loading semver only when in doubt. */
export async function isVersionLazily(text: string): Promise<boolean> {
  if (isPlainVersion(text)) return true;
  const { isVersion, loadSemver } = await importLazily<typeof import("./semver.ts")>(
    new URL("./semver.ts", import.meta.url),
  );
  await loadSemver();
  return isVersion(text);
}
