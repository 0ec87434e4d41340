// See valibot.ts: one module per dependency, named in full. CommonJS, so it is imported
// only when a document is not plain JSON (src/config/_jsonc.ts).
export * from "npm:jsonc-parser@^3.3.1";
