import {
  CORE_SCHEMA,
  defineMappingTag,
  type Event,
  EVENT_ID,
  getScalarValue,
  load,
  mergeTag,
  parseEvents,
  YAMLException,
} from "../_deps/js_yaml.ts";
import { ManifestSyntaxError } from "./manifest_error.ts";
import { RESERVED_NAMES } from "../_util/names.ts";
import type { YamlLimits } from "./limits.ts";

// js-yaml's own object mapping, plus a note when a key could reach a prototype: the parser
// already looks at every key, so the common case (none) costs no extra walk of the document.
let reservedSeen = false;
const guardedMapTag = defineMappingTag<Record<string, unknown>>("tag:yaml.org,2002:map", {
  create: () => ({}),
  identify: (data) => typeof data === "object" && data !== null && !Array.isArray(data),
  addPair(container, key, value) {
    if (key !== null && typeof key === "object") {
      return "object-based map does not support complex keys";
    }
    const name = String(key);
    if (RESERVED_NAMES.has(name)) {
      reservedSeen = true;
      Object.defineProperty(container, name, {
        value,
        enumerable: true,
        configurable: true,
        writable: true,
      });
    } else container[name] = value;
    return "";
  },
  has: (container, key) =>
    (key === null || typeof key !== "object") && Object.hasOwn(container, String(key)),
  keys: (container) => Object.keys(container),
  get: (container, key) => Object.hasOwn(container, String(key)) ? container[String(key)] : null,
});
// YAML's merge key (`<<: *base`), as PyYAML's safe_load (the original design) and @std/yaml read
// it: manifests share implementation settings through an anchor and override some of them.
const SCHEMA = CORE_SCHEMA.withTags(guardedMapTag, mergeTag);

/** A parsed YAML document, and whether any mapping used a reserved key. */
export interface LoadedYaml {
  /** The document. */
  data: unknown;
  /** Whether a key named `__proto__`, `constructor` or `prototype` appeared. */
  reserved: boolean;
}

/** Converts a 0-based offset into 1-based line and column. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Parses one YAML document under the limits. Throws {@link ManifestSyntaxError}.
 */
export function loadYaml(text: string, url: string, limits: YamlLimits): LoadedYaml {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let data: unknown;
  reservedSeen = false;
  try {
    data = load(source, {
      schema: SCHEMA,
      filename: url,
      maxDepth: limits.maxDepth,
      maxAliases: limits.maxAliases,
    });
  } catch (error) {
    if (error instanceof YAMLException) {
      const mark = error.mark;
      const limit = /exceeded max/.test(error.reason);
      throw new ManifestSyntaxError({
        url,
        reason: error.reason,
        ...(mark ? { line: mark.line + 1, column: mark.column + 1 } : {}),
        code: limit ? "yaml_limit" : "yaml_syntax",
      });
    }
    // js-yaml documents that anything may be thrown; a RangeError from the stack is one.
    throw new ManifestSyntaxError({ url, reason: `Unreadable YAML: ${String(error)}` });
  }
  // Aliases share objects, so a small document can stand for a huge tree; measure it before
  // anything walks it. No "*" means no alias, and most manifests skip the walk.
  if (source.includes("*")) checkExpansion(data, url, limits.maxNodes);
  return { data, reserved: reservedSeen };
}

function checkExpansion(root: unknown, url: string, maxNodes: number): void {
  const sizes = new Map<object, number>();
  const open = new Set<object>();
  const size = (node: unknown): number => {
    if (typeof node !== "object" || node === null) return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    if (open.has(node)) {
      throw new ManifestSyntaxError({
        url,
        reason: "A YAML alias refers to its own ancestor",
        code: "yaml_limit",
      });
    }
    open.add(node);
    let total = 1;
    for (const child of Object.values(node)) {
      total += size(child);
      if (total > maxNodes) {
        throw new ManifestSyntaxError({
          url,
          reason: `The document expands to more than ${maxNodes} nodes through its aliases`,
          code: "yaml_limit",
        });
      }
    }
    open.delete(node);
    sizes.set(node, total);
    return total;
  };
  size(root);
}

/**
 * Finds where a field path is written in the YAML text: the deepest node of the path that
 * exists (so a missing key points at its parent mapping). Used only to report errors.
 */
export function locatePath(
  text: string,
  path: readonly (string | number)[],
  atKey = false,
): { line: number; column: number } | undefined {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let events: Event[];
  try {
    events = parseEvents(source, { maxDepth: 1_000 });
  } catch {
    return undefined;
  }
  const start = (e: Event | undefined): number => {
    if (e === undefined) return -1;
    switch (e.type) {
      case EVENT_ID.SCALAR:
        return e.anchorStart >= 0 ? e.anchorStart : e.tagStart >= 0 ? e.tagStart : e.valueStart;
      case EVENT_ID.ALIAS:
        return e.anchorStart - 1;
      case EVENT_ID.SEQUENCE:
      case EVENT_ID.MAPPING:
        return e.start;
      default:
        return -1;
    }
  };
  const skip = (i: number): number => {
    const e = events[i];
    if (e?.type === EVENT_ID.SEQUENCE || e?.type === EVENT_ID.MAPPING) {
      let j = i + 1;
      while (j < events.length && events[j]?.type !== EVENT_ID.POP) j = skip(j);
      return j + 1;
    }
    return i + 1;
  };
  let node = events.findIndex((e) => e.type !== EVENT_ID.DOCUMENT);
  if (node < 0) return undefined;
  let offset = start(events[node]);
  for (const [depth, key] of path.entries()) {
    const e = events[node];
    let next = -1;
    let keyOffset = -1;
    if (e?.type === EVENT_ID.MAPPING) {
      for (let j = node + 1; j < events.length && events[j]?.type !== EVENT_ID.POP;) {
        const k = events[j]!;
        const value = skip(j);
        if (k.type === EVENT_ID.SCALAR && getScalarValue(source, k) === String(key)) {
          next = value;
          keyOffset = start(k);
          break;
        }
        j = skip(value);
      }
    } else if (e?.type === EVENT_ID.SEQUENCE && typeof key === "number") {
      let j = node + 1;
      for (let n = 0; n < key && events[j]?.type !== EVENT_ID.POP; n++) j = skip(j);
      if (events[j]?.type !== EVENT_ID.POP) next = j;
    }
    if (next < 0) break;
    node = next;
    const s = start(events[node]);
    // A key whose value is empty (null) has no position of its own: point at the key.
    offset = s >= 0 && events[node]?.type !== EVENT_ID.POP ? s : keyOffset;
    if (atKey && depth === path.length - 1 && keyOffset >= 0) offset = keyOffset;
  }
  return offset < 0 ? undefined : lineColumn(source, offset);
}
