// plugmap's version, as deno.json says (tests/bench/rerun/rerun_test.ts checks they agree). A
// constant, not an import of deno.json: importers by URL or from a package do not get that file.
export const PLUGMAP_VERSION = "0.2.0";
