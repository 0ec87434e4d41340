// plugmap's dependencies are named in full here, one module each, so the library works
// wherever it is imported from (a path, a URL, JSR, a workspace) without the importer's
// import map knowing them. deno.json's "imports" pin the same ranges for this repo's own tools.
export * from "npm:valibot@^1.1.0";
