// See valibot.ts: one module per dependency, named in full.
export * from "npm:js-yaml@^5.5.0";
