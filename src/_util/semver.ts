// The one place the library calls semver (through ../_deps/semver.ts). semver is CommonJS: loading
// it starts Deno's Node layer, about 50 ms of a first discovery (measured: `import("npm:semver")`
// 53 ms, js-yaml 13 ms, valibot 8 ms), which neither a snapshot hit nor a discovery of plain
// manifests should pay. So it is loaded only when an answer needs it: a plain
// version (isPlainVersion) and a plain range (a few comparators on plain release versions, the
// `requires` manifests write) are answered here, exactly as semver answers them (held to it by
// tests/manifest/plain_range_test.ts); anything else asks semver. The public sync API
// (`@plugmap/plugmap/manifest`) loads it up front (`useSemver` in src/manifest/mod.ts); the
// discovery's miss path loads it on the first answer that needs it (`SemverNeeded`, `loadSemver`).
import type semverModule from "../_deps/semver.ts";
import { importLazily } from "./import_lazily.ts";

type Semver = typeof semverModule;
let loaded: Semver | undefined;

/**
 * Thrown by this module's sync functions when the answer needs semver and it is not loaded yet:
 * the caller awaits {@link loadSemver} and asks again. Never reaches a user: the public sync API
 * loads semver up front.
 */
export class SemverNeeded extends Error {
  constructor() {
    super("semver is needed here and not loaded yet (await loadSemver() first)");
    this.name = "SemverNeeded";
  }
}

/** Makes an already loaded semver module the one this module asks. */
export function useSemver(module: Semver): void {
  loaded ??= module;
}

/** Loads semver, once, for the answers the plain rules do not give. */
export async function loadSemver(): Promise<void> {
  if (loaded !== undefined) return;
  const module = await importLazily<typeof import("../_deps/semver.ts")>(
    new URL("../_deps/semver.ts", import.meta.url),
  );
  useSemver(module.default);
}

/** `fn()`, loading semver first when it turns out to need it. */
export async function withSemver<T>(fn: () => T): Promise<T> {
  try {
    return fn();
  } catch (error) {
    if (!(error instanceof SemverNeeded)) throw error;
    await loadSemver();
    return fn();
  }
}

function semver(): Semver {
  if (loaded === undefined) throw new SemverNeeded();
  return loaded;
}

// A plain release: three numbers without leading zeros, at most 15 digits each (below
// Number.MAX_SAFE_INTEGER even plus one), no prerelease, no build.
const RELEASE = String.raw`(?:0|[1-9]\d{0,14})\.(?:0|[1-9]\d{0,14})\.(?:0|[1-9]\d{0,14})`;
// A plain version: a plain release, then an optional prerelease and build: semver accepts every
// string this matches.
const PLAIN = new RegExp(
  String
    .raw`^${RELEASE}(?:-(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$`,
);

/** Whether semver accepts `text` as a version for certain, without loading it (`false`: ask). */
export function isPlainVersion(text: string): boolean {
  return text.length <= 64 && PLAIN.test(text);
}

/** Whether `version` is a valid semver version. */
export function isVersion(version: string): boolean {
  return isPlainVersion(version) || semver().valid(version) !== null;
}

/** semver's own answer to "is this a valid version?", loading semver only when in doubt. */
export async function isVersionLazily(text: string): Promise<boolean> {
  return await withSemver(() => isVersion(text));
}

// A plain range: `*`, or one to eight comparators (`>=`, `<=`, `>`, `<`, `=`, `^`, `~` or none,
// then a plain release) separated by single spaces. semver accepts every string this matches.
const PLAIN_RANGE = new RegExp(
  String.raw`^(?:\*|(?:>=|<=|>|<|=|\^|~)?${RELEASE}(?: (?:>=|<=|>|<|=|\^|~)?${RELEASE}){0,7})$`,
);
const COMPARATOR = /^(>=|<=|>|<|=|\^|~)?(\d+)\.(\d+)\.(\d+)$/;
const PLAIN_RELEASE = new RegExp(`^${RELEASE}$`);

/** Whether semver accepts `range` for certain, without loading it (`false`: ask semver). */
export function isPlainRange(range: string): boolean {
  return range.length <= 200 && PLAIN_RANGE.test(range);
}

type Triple = [number, number, number];

function compare(a: Triple, b: Triple): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

// One comparator of a plain range against a release. Caret and tilde bounds are those semver
// gives (`^1.2.3` = `>=1.2.3 <2.0.0-0`); a release never falls between `X.0.0-0` and `X.0.0`,
// so the `-0` makes no difference here.
function holds(version: Triple, comparator: string): boolean {
  const [, op = "=", a, b, c] = COMPARATOR.exec(comparator)!;
  const bound: Triple = [Number(a), Number(b), Number(c)];
  const order = compare(version, bound);
  switch (op) {
    case ">=":
      return order >= 0;
    case "<=":
      return order <= 0;
    case ">":
      return order > 0;
    case "<":
      return order < 0;
    case "=":
      return order === 0;
    case "^": {
      const upper: Triple = bound[0] > 0
        ? [bound[0] + 1, 0, 0]
        : bound[1] > 0
        ? [0, bound[1] + 1, 0]
        : [0, 0, bound[2] + 1];
      return order >= 0 && compare(version, upper) < 0;
    }
    default: // "~"
      return order >= 0 && compare(version, [bound[0], bound[1] + 1, 0]) < 0;
  }
}

/**
 * Whether a plain release satisfies a plain range, as semver answers with prereleases included;
 * `undefined` when either is not plain (ask semver).
 */
export function plainSatisfies(version: string, range: string): boolean | undefined {
  if (!PLAIN_RELEASE.test(version) || !isPlainRange(range)) return undefined;
  if (range === "*") return true;
  const [a, b, c] = version.split(".").map(Number) as Triple;
  return range.split(" ").every((comparator) => holds([a, b, c], comparator));
}

/**
 * Normalises a requirement range: accepts npm ranges and the PEP 440 spellings the original
 * design uses (`>=1.0,<2`, `==1.2.0`).
 */
export function normalizeRange(range: string): string | undefined {
  let normalized = ranges.get(range);
  if (normalized === undefined && !ranges.has(range)) {
    const text = range.trim().replaceAll(",", " ").replaceAll("==", "=") || "*";
    normalized = isPlainRange(text) || semver().validRange(text) !== null ? text : undefined;
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
    result = plainSatisfies(version, range) ??
      semver().satisfies(version, range, { includePrerelease: true });
    if (satisfied.size > 10_000) satisfied.clear();
    satisfied.set(key, result);
  }
  return result;
}
// Every plugin of a map checks the same host range against the same version.
const satisfied = new Map<string, boolean>();

/** The highest of `versions` that satisfies `range` (semver must be loaded: {@link loadSemver}). */
export function maxSatisfying(versions: string[], range: string): string | undefined {
  return semver().maxSatisfying(versions, range) ?? undefined;
}
