import { ConfigError } from "./config_error.ts";
import { importLazily } from "../_util/import_lazily.ts";

/** Line and column (1-based) of a character offset. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

// "PropertyNameExpected" -> "property name expected"
function words(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

type Node = import("../_deps/jsonc_parser.ts").Node;

function jsoncParser() {
  return importLazily<typeof import("../_deps/jsonc_parser.ts")>(
    new URL("../_deps/jsonc_parser.ts", import.meta.url),
  );
}

// Objects are built with own properties only: a "__proto__" key stays a key (as with
// JSON.parse), for the plugin map's reserved-name check to refuse, never a prototype.
function toValue(node: Node): unknown {
  switch (node.type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key === undefined) continue;
        Object.defineProperty(out, String(key.value), {
          value: value === undefined ? null : toValue(value),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    case "array":
      return (node.children ?? []).map(toValue);
    default:
      return node.value;
  }
}

/**
 * Parses JSON with comments and trailing commas, as Deno reads deno.json and deno.jsonc.
 * Plain JSON takes the fast path (`JSON.parse`, same result); anything else goes through
 * jsonc-parser, whose scanner leaves strings as they are.
 *
 * @throws {ConfigError} Not JSONC: every error with its line and column.
 */
export async function parseJsonc(text: string, source: string): Promise<unknown> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch {
    // Comments, trailing commas, or an error to report with its position.
  }
  const { parseTree, printParseErrorCode } = await jsoncParser();
  const errors: import("../_deps/jsonc_parser.ts").ParseError[] = [];
  const tree = parseTree(body, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || tree === undefined) {
    throw new ConfigError({
      source,
      issues: (errors.length > 0 ? errors : [{ error: 0, offset: 0, length: 0 }]).map((e) => ({
        message: `Cannot parse: ${
          errors.length > 0 ? words(printParseErrorCode(e.error)) : "the document is empty"
        }`,
        ...position(body, e.offset),
      })),
    });
  }
  return toValue(tree);
}

/**
 * Where a field path is written in a JSON or JSONC text: the 1-based line and column of its
 * value (of its deepest existing part when the path does not exist in full), or `undefined`
 * when the text cannot be parsed. For pointing at a plugin map entry, so only called for
 * problems: jsonc-parser is imported then.
 */
export async function findJsoncPosition(
  text: string,
  path: readonly (string | number)[],
): Promise<{ line: number; column: number } | undefined> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const { findNodeAtLocation, parseTree } = await jsoncParser();
  const tree = parseTree(body, [], { allowTrailingComma: true, disallowComments: false });
  if (tree === undefined) return undefined;
  for (let depth = path.length; depth >= 0; depth--) {
    const node = findNodeAtLocation(tree, [...path.slice(0, depth)]);
    if (node !== undefined) return position(body, node.offset);
  }
  return undefined;
}
