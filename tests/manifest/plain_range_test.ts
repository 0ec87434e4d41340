// A discovery answers plain versions and ranges without loading semver (CommonJS: about 50 ms of a
// first run); these tests hold those answers to semver's own, and check that anything else
// still reaches semver. This file imports src/_util/semver.ts, not the manifest subpath, so
// semver is not loaded here until a test loads it.
import { equal, ok, throws } from "node:assert/strict";
import * as fc from "npm:fast-check@^4.3.0";
// @ts-types="npm:@types/semver@^7.7.0"
import reference from "npm:semver@^7.7.0";
import {
  isPlainRange,
  normalizeRange,
  plainSatisfies,
  satisfies,
  SemverNeeded,
  withSemver,
} from "../../src/_util/semver.ts";

const semverSays = (version: string, range: string) =>
  reference.satisfies(version, range, { includePrerelease: true });

// First in this file: semver is not loaded yet.
Deno.test("plain range: a range that is not plain needs semver, and gets it", async () => {
  equal(normalizeRange(">=1.0.0 <2.0.0"), ">=1.0.0 <2.0.0");
  equal(satisfies("1.4.0", "^1.2.3"), true);
  throws(() => normalizeRange(">=1.0,<2"), SemverNeeded);
  throws(() => satisfies("1.0.0-rc.1", ">=1.0.0"), SemverNeeded);
  equal(await withSemver(() => normalizeRange(">=1.0,<2")), ">=1.0 <2");
  // Loaded now: the same calls answer, as semver does.
  equal(normalizeRange("==1.2.0"), "=1.2.0");
  equal(satisfies("1.0.0-rc.1", ">=1.0.0"), false);
  equal(satisfies("1.5.0", ">=1.0 <2"), true);
  equal(normalizeRange("not a range"), undefined);
});

const CASES: [string, string][] = [
  ["0.0.0", "^0.0.0"],
  ["0.0.1", "^0.0.0"],
  ["0.0.1", "^0.0.1"],
  ["0.0.2", "^0.0.1"],
  ["0.1.9", "^0.1.0"],
  ["0.2.0", "^0.1.0"],
  ["1.9.9", "^1.2.3"],
  ["2.0.0", "^1.2.3"],
  ["1.2.2", "^1.2.3"],
  ["1.2.9", "~1.2.3"],
  ["1.3.0", "~1.2.3"],
  ["0.1.0", "~0.0.5"],
  ["1.2.3", "1.2.3"],
  ["1.2.3", "=1.2.3"],
  ["1.2.4", "1.2.3"],
  ["5.0.0", "*"],
  ["1.5.0", ">=1.0.0 <2.0.0"],
  ["2.0.0", ">=1.0.0 <2.0.0"],
  ["1.0.0", ">1.0.0"],
  ["1.0.0", "<=1.0.0"],
  ["999999999999999.999999999999999.999999999999999", "^999999999999999.0.0"],
];

Deno.test("plain range: fixed cases agree with semver", () => {
  for (const [version, range] of CASES) {
    ok(isPlainRange(range), range);
    equal(plainSatisfies(version, range), semverSays(version, range), `${version} ${range}`);
  }
  // Not plain: left to semver.
  for (const range of [">=1.0", "^1.2", "1.x", ">= 1.0.0", "1.0.0 - 2.0.0", "^1.0.0 || ^2.0.0"]) {
    equal(isPlainRange(range), false, range);
    equal(plainSatisfies("1.0.0", range), undefined, range);
  }
  for (const version of ["1.0.0-rc.1", "1.0.0+build", "v1.0.0", "01.0.0", "1.0"]) {
    equal(plainSatisfies(version, ">=0.1.0"), undefined, version);
  }
});

const number = fc.oneof(
  fc.nat({ max: 3 }).map(String),
  fc.constantFrom("0", "00", "01", "10", "999999999999999", "9999999999999999"),
);
const release = fc.tuple(number, number, number).map((parts) => parts.join("."));
const op = fc.constantFrom("", ">=", "<=", ">", "<", "=", "^", "~", "==", "> ", "v");
const comparator = fc.tuple(op, release).map(([o, v]) => `${o}${v}`);
const range = fc.oneof(
  fc.array(comparator, { minLength: 1, maxLength: 3 }).map((parts) => parts.join(" ")),
  fc.constantFrom("*", "", "  ", "1.x", ">=1.0,<2"),
);
const version = fc.oneof(release, release.map((v) => `${v}-rc.1`));

Deno.test("plain range: generated ranges and versions agree with semver", () => {
  fc.assert(
    fc.property(range, version, (r, v) => {
      // Plain means semver accepts it, as it is.
      if (isPlainRange(r)) equal(reference.validRange(r) !== null, true, r);
      const mine = plainSatisfies(v, r);
      if (mine !== undefined) equal(mine, semverSays(v, r), `${v} ${r}`);
    }),
    { numRuns: 5000 },
  );
});

Deno.test("plain range: normalizeRange and satisfies answer as semver, plain or not", async () => {
  await withSemver(() => normalizeRange("^1.x"));
  const checked: string[] = [];
  fc.assert(
    fc.property(range, version, (r, v) => {
      const text = r.trim().replaceAll(",", " ").replaceAll("==", "=") || "*";
      const valid = reference.validRange(text) !== null;
      equal(normalizeRange(r), valid ? text : undefined, r);
      if (valid && reference.valid(v) !== null) {
        equal(satisfies(v, text), semverSays(v, text), `${v} ${text}`);
        checked.push(text);
      }
    }),
    { numRuns: 2000 },
  );
  ok(checked.length > 100, "enough valid pairs were compared");
});
