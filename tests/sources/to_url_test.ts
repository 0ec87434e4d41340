// toUrl resolves and escapes POSIX paths itself (node:path and node:url cost start-up); these
// tests hold it to what node:path's resolve and node:url's pathToFileURL give.
import { equal } from "node:assert/strict";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import * as fc from "npm:fast-check@^4.3.0";
import { toUrl } from "../../src/sources/mod.ts";

const posix = Deno.build.os !== "windows";

function viaNode(location: string, cwd?: string): string {
  const url = pathToFileURL(cwd === undefined ? resolve(location) : resolve(cwd, location));
  if (/[\\/]$/.test(location) && !url.pathname.endsWith("/")) url.pathname += "/";
  return url.href;
}

const piece = fc.constantFrom(
  "a",
  "b.yaml",
  "/",
  ".",
  "..",
  "%",
  "%2F",
  "#",
  "?",
  " ",
  "\\",
  "\n",
  "\t",
  "é",
  "😀",
  "~",
  "@",
  ":",
  "[",
  "]",
  "|",
  "^",
  "`",
  "{",
  "}",
  "<",
  ">",
  '"',
  "'",
  "\u0000",
  "\u007f",
  "\u00a0",
  "\ud800",
  "\udc00",
  "//",
  "./",
  "../",
  "+",
  "&",
  "=",
  "$",
  "!",
  "*",
);
const path = fc.array(piece, { maxLength: 6 }).map((parts) => parts.join(""));

Deno.test({
  name: "toUrl: a path resolves and escapes as node:path and node:url do",
  ignore: !posix,
  fn() {
    fc.assert(
      fc.property(path, fc.option(path, { nil: undefined }), (location, cwd) => {
        fc.pre(!/^[a-z][a-z0-9+.-]+:/i.test(location));
        const base = cwd === undefined ? undefined : `/${cwd}`;
        equal(toUrl(location, base).href, viaNode(location, base));
        if (cwd !== undefined) equal(toUrl(location, cwd).href, viaNode(location, cwd));
      }),
      { numRuns: 3000 },
    );
  },
});

Deno.test("toUrl: the examples", () => {
  equal(toUrl("plugins/registry.yaml", "/app").href, "file:///app/plugins/registry.yaml");
  equal(toUrl("a#b.yaml", "/app").href, "file:///app/a%23b.yaml");
  equal(toUrl("../x/", "/app/y").href, "file:///app/x/");
  equal(toUrl("/..").href, "file:///");
  equal(toUrl("https://example.com/r.yaml").href, "https://example.com/r.yaml");
});
