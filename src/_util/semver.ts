// The one place the library calls semver (through ../_deps/semver.ts).
import semver from "../_deps/semver.ts";

/** Whether `version` is a valid semver version. */
export function isVersion(version: string): boolean {
  return semver.valid(version) !== null;
}

/**
 * Normalises a requirement range: accepts npm ranges and the PEP 440 spellings the original
 * design uses (`>=1.0,<2`, `==1.2.0`).
 */
export function normalizeRange(range: string): string | undefined {
  let normalized = ranges.get(range);
  if (normalized === undefined && !ranges.has(range)) {
    const text = range.trim().replaceAll(",", " ").replaceAll("==", "=") || "*";
    normalized = semver.validRange(text) === null ? undefined : text;
    // Manifests repeat the same few ranges; parsing one costs more than validating a manifest.
    if (ranges.size > 10_000) ranges.clear();
    ranges.set(range, normalized);
  }
  return normalized;
}
const ranges = new Map<string, string | undefined>();

/** Whether `version` satisfies `range` (prereleases included). */
export function satisfies(version: string, range: string): boolean {
  const key = `${version}\0${range}`;
  let result = satisfied.get(key);
  if (result === undefined) {
    result = semver.satisfies(version, range, { includePrerelease: true });
    if (satisfied.size > 10_000) satisfied.clear();
    satisfied.set(key, result);
  }
  return result;
}
// Every plugin of a map checks the same host range against the same version.
const satisfied = new Map<string, boolean>();

/** The highest of `versions` that satisfies `range`. */
export function maxSatisfying(versions: string[], range: string): string | undefined {
  return semver.maxSatisfying(versions, range) ?? undefined;
}
