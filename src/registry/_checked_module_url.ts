import type { FetchedBytes } from "../sources/mod.ts";

// Media types Deno runs from a data: URL, by extension; others fall back to the server's type.
const BY_EXTENSION: Record<string, string> = {
  ".ts": "application/typescript",
  ".mts": "application/typescript",
  ".tsx": "text/tsx",
  ".js": "application/javascript",
  ".mjs": "application/javascript",
  ".jsx": "text/jsx",
};
const SCRIPT_TYPE =
  /^(application|text)\/(javascript|ecmascript|typescript|tsx|jsx|x-typescript)\b/;

// Module specifiers in static imports and exports (`from "x"`, `import "x"`) and in dynamic
// imports of a string literal. Deliberately broad: a match inside a comment or a string refuses
// a module that might have been fine, never the other way round.
const SPECIFIERS = [
  /\bfrom\s*(["'])([^"'\n]*)\1/g,
  /\bimport\s*(["'])([^"'\n]*)\1/g,
  /\bimport\s*\(\s*(["'`])([^"'`\n]*)\1/g,
];

/**
 * The `data:` URL a locked network module is imported from: the very bytes that were hashed, so
 * a server that answers the import with other bytes cannot get them run. A module imported so
 * has no base URL of its own, so it must be self-contained: one that imports other files by a
 * relative path or by an `http(s):` URL (which the lock does not pin) is refused with the
 * specifier named. `jsr:`, `npm:` and `node:` imports stay allowed (Deno checks those itself).
 *
 * @returns The `data:` URL, or why the module is refused.
 */
export function checkedModuleUrl(
  module: string,
  checked: FetchedBytes,
): { url: string } | { refused: string } {
  const text = new TextDecoder().decode(checked.bytes);
  for (const pattern of SPECIFIERS) {
    for (const match of text.matchAll(pattern)) {
      const specifier = match[2]!;
      if (/^(\.{0,2}\/|https?:|file:|data:|blob:)/i.test(specifier)) {
        return {
          refused: `A locked network module is imported from the bytes that were checked, so it ` +
            `must be self-contained, but it imports "${specifier}", which the lock does not ` +
            `pin: bundle the module into one file (jsr:, npm: and node: imports are fine); it ` +
            `was not imported`,
        };
      }
    }
  }
  const path = new URL(module).pathname;
  const extension = path.slice(path.lastIndexOf(".")).toLowerCase();
  const served = checked.contentType.split(";")[0]!.trim().toLowerCase();
  const type = BY_EXTENSION[extension] ??
    (SCRIPT_TYPE.test(served) ? served : "application/javascript");
  return { url: `data:${type};base64,${base64(checked.bytes)}` };
}

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
