// The CLI checks --host's version without loading semver when the version is plainly valid;
// these tests hold that shortcut to semver's own answer.
import { equal } from "node:assert/strict";
import * as fc from "npm:fast-check@^4.3.0";
import { isPlainVersion, isVersionLazily } from "../../src/manifest/core.ts";
import { isVersion } from "../../src/manifest/mod.ts";

const CASES = [
  "1.2.3",
  "0.0.0",
  "1.0.0-rc.1",
  "1.0.0-0.3.7",
  "1.0.0-x-y-z.--",
  "1.0.0+build.1",
  "1.0.0-alpha+001",
  "1.2",
  "01.2.3",
  "1.2.3-01",
  "v1.2.3",
  "=1.2.3",
  " 1.2.3 ",
  "1.2.3.4",
  "9007199254740991.0.0",
  "9007199254740992.0.0",
  "999999999999999.0.0",
  "1.2.3-" + "a".repeat(300),
  "",
  "latest",
];

Deno.test("plain version: never says yes where semver says no, and agrees lazily", async () => {
  for (const text of CASES) {
    if (isPlainVersion(text)) equal(isVersion(text), true, text);
    equal(await isVersionLazily(text), isVersion(text), text);
  }
});

Deno.test("plain version: agrees with semver on generated versions", async () => {
  const part = fc.oneof(fc.nat({ max: 20 }).map(String), fc.stringMatching(/^[0-9]{1,17}$/));
  const ident = fc.stringMatching(/^[0-9A-Za-z-]{1,5}$/);
  const version = fc.tuple(
    part,
    part,
    part,
    fc.array(ident, { maxLength: 3 }),
    fc.array(ident, { maxLength: 2 }),
    fc.constantFrom("", "v", " "),
  ).map(([a, b, c, pre, build, lead]) =>
    `${lead}${a}.${b}.${c}${pre.length ? `-${pre.join(".")}` : ""}${
      build.length ? `+${build.join(".")}` : ""
    }`
  );
  await fc.assert(
    fc.asyncProperty(version, async (text) => {
      if (isPlainVersion(text)) equal(isVersion(text), true, text);
      equal(await isVersionLazily(text), isVersion(text), text);
    }),
    { numRuns: 2000 },
  );
});
