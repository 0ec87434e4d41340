// See valibot.ts: one module per dependency, named in full.
export * from "npm:@valibot/to-json-schema@^1.3.0";
