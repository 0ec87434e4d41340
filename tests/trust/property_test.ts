/**
 * Property-based hostile input: generated and mutated manifests, configs and plugin maps each
 * end in a valid result or a typed error, quickly, and never touch Object.prototype.
 *
 * Cases per run are counted and printed at the end; set PLUGMAP_FC_SEED to replay a failure.
 */
import * as fc from "npm:fast-check@^4.3.0";
import { dump } from "js-yaml";
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  ConfigError,
  createRegistry,
  ManifestSyntaxError,
  ManifestValidationError,
  parsePluginMap,
  SourceError,
} from "../../mod.ts";
import { parseManifest, tryParseManifest, validateConfig } from "../../src/manifest/mod.ts";
import { resolvePluginSpecifier } from "../../src/sources/mod.ts";

const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();
const RESERVED = ["__proto__", "constructor", "prototype"];
/** The slowest single case allowed: a hang or a blow-up shows as a failure, not a stuck CI. */
const MAX_CASE_MS = 2_000;

const seed = Number(Deno.env.get("PLUGMAP_FC_SEED") ?? NaN);
/** Scales every property's case count (e.g. 0.1 while developing). */
const scale = Number(Deno.env.get("PLUGMAP_FC_SCALE") ?? 1);
const params = (numRuns: number): fc.Parameters<unknown> => ({
  numRuns: Math.max(1, Math.round(numRuns * scale)),
  ...(Number.isFinite(seed) ? { seed } : {}),
});

let casesTried = 0;
let slowest = 0;
let checking = 0;

/** Runs one case: counts it, times it, and checks Object.prototype afterwards. */
function guarded<T>(run: () => T): T {
  casesTried++;
  const started = performance.now();
  try {
    return run();
  } finally {
    const took = performance.now() - started;
    slowest = Math.max(slowest, took);
    checking += took;
    ok(took < MAX_CASE_MS, `one case took ${took.toFixed(0)} ms`);
    deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), PROTO_KEYS, "polluted");
    equal(({} as Record<string, unknown>).polluted, undefined, "polluted");
  }
}

/** Whether any own key of any object in `value` is a reserved (prototype) name. */
function hasReservedKey(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  return Object.keys(value).some((key) =>
    RESERVED.includes(key) || hasReservedKey((value as Record<string, unknown>)[key])
  );
}

function isTyped(error: unknown): boolean {
  return error instanceof ManifestSyntaxError || error instanceof ManifestValidationError ||
    error instanceof ConfigError || error instanceof SourceError;
}

// --- Arbitraries: valid manifests ---------------------------------------------------------

const identifier = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,11}$/).filter((s) =>
  !RESERVED.includes(s)
);
const version = fc.tuple(fc.nat(20), fc.nat(20), fc.nat(99)).map(([a, b, c]) => `${a}.${b}.${c}`);
const range = fc.oneof(
  version.map((v) => `>=${v}`),
  version.map((v) => `^${v}`),
  fc.constant("*"),
  fc.tuple(version, version).map(([a, b]) => `>=${a} <${b}`),
);
const classSpecifier = fc.tuple(
  fc.constantFrom("./", "../", "https://example.com/", "jsr:@acme/pkg@^1/", "npm:pkg/"),
  fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/),
  fc.option(fc.stringMatching(/^[A-Za-z_$][\w$]{0,10}$/), { nil: undefined }),
).map(([prefix, file, exportName]) => `${prefix}${file}.ts${exportName ? `#${exportName}` : ""}`);

const fieldValues: Record<string, fc.Arbitrary<unknown>> = {
  string: fc.string(),
  integer: fc.integer(),
  number: fc.double({ noNaN: true, noDefaultInfinity: true }),
  boolean: fc.boolean(),
  list: fc.array(fc.jsonValue(), { maxLength: 3 }),
  object: fc.dictionary(identifier, fc.jsonValue(), { maxKeys: 3 }),
};
// One record per type, built once (a `chain` would rebuild the arbitraries for every case).
const configField = fc.oneof(
  ...Object.entries(fieldValues).map(([type, value]) =>
    fc.record({
      type: fc.constant(type),
      required: fc.boolean(),
      default: value,
      description: fc.string(),
      env_var: fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/),
    }, { requiredKeys: ["type"] })
  ),
);

const entry = fc.oneof(
  classSpecifier,
  fc.record({
    class: classSpecifier,
    description: fc.string(),
    config_schema: fc.dictionary(identifier, configField, { maxKeys: 4 }),
    enabled: fc.boolean(),
    priority: fc.integer({ min: -100, max: 100 }),
    metadata: fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
    requires: fc.oneof(
      fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), range, { maxKeys: 2 }),
      fc.array(
        fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), range).map(([n, r]) => n + r),
        { maxLength: 2 },
      ),
    ),
  }, { requiredKeys: ["class"] }),
);

const pluginSection = fc.record({
  name: fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
  version,
  description: fc.string(),
  author: fc.string(),
  license: fc.constantFrom("MIT", "Apache-2.0"),
  homepage: fc.constantFrom("https://example.com", "https://jsr.io/@acme/pkg"),
  enabled: fc.boolean(),
}, { requiredKeys: [] });

const categories = fc.dictionary(
  identifier.filter((s) => s !== "plugin"),
  fc.dictionary(identifier, entry, { minKeys: 0, maxKeys: 4 }),
  { minKeys: 1, maxKeys: 3 },
);

/** A valid manifest document, as a plain object. */
const manifestDocument = fc.tuple(fc.option(pluginSection, { nil: undefined }), categories).map((
  [plugin, sections],
) => (plugin === undefined ? { ...sections } : { plugin, ...sections }) as Record<string, unknown>);

/** Serialises a document as block YAML, flow YAML or JSON (all are YAML). */
const serialise = fc.constantFrom(
  (doc: unknown) => dump(doc),
  (doc: unknown) => dump(doc, { flowLevel: 1 }),
  (doc: unknown) => JSON.stringify(doc, null, 2),
);

// --- Mutations ----------------------------------------------------------------------------

/** Keys a mutation may insert: ordinary, manifest-like, reserved and odd ones. */
const hostileKey = fc.oneof(
  fc.constantFrom(...RESERVED, "plugin", "class", "config_schema", "requires", "metadata"),
  fc.constantFrom("enabled", "priority", "type", "default", "env_var", "<<", "", " ", "0"),
  fc.string({ maxLength: 12 }),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 2, maxKeys: 3 }),
  fc.constantFrom(null, true, 0, -1, 1.5, "", [], {}, "./x.ts", "not a version", ">=x"),
  fc.string({ unit: "binary", maxLength: 30 }),
);

type Path = (string | number)[];

/** Every path to a node of `value` (objects and arrays, and their children). */
function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (typeof value === "object" && value !== null && out.length < 200) {
    for (const key of Object.keys(value)) {
      paths(
        (value as Record<string, unknown>)[key],
        [...prefix, Array.isArray(value) ? +key : key],
        out,
      );
    }
  }
  return out;
}

type Mutation =
  | { kind: "delete"; at: number }
  | { kind: "insert"; at: number; key: string; value: unknown }
  | { kind: "replace"; at: number; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    key: hostileKey,
    value: hostileValue,
  }),
  fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), value: hostileValue }),
);

/** Applies mutations to a deep copy of `doc`, keys set as own properties (never prototypes). */
function mutate(doc: Record<string, unknown>, mutations: Mutation[]): unknown {
  let root: unknown = structuredClone(doc);
  for (const m of mutations) {
    const all = paths(root);
    const path = all[m.at % all.length]!;
    const parentPath = path.slice(0, -1);
    let parent: unknown = root;
    for (const key of parentPath) parent = (parent as Record<string | number, unknown>)[key];
    const last = path[path.length - 1];
    const target = path.length === 0 ? root : (parent as Record<string | number, unknown>)[last!];
    if (m.kind === "delete") {
      if (path.length === 0) root = {};
      else if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete (parent as Record<string | number, unknown>)[last!];
    } else if (m.kind === "insert") {
      if (typeof target === "object" && target !== null && !Array.isArray(target)) {
        Object.defineProperty(target, m.key, {
          value: m.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else if (Array.isArray(target)) target.push(m.value);
    } else if (path.length === 0) root = m.value;
    else (parent as Record<string | number, unknown>)[last!] = m.value;
  }
  return root;
}

function safeDump(doc: unknown, as: (doc: unknown) => string): string {
  try {
    // JSON.stringify(undefined) is undefined, whatever its type says.
    const text: string | undefined = as(doc);
    return typeof text === "string" ? text : String(doc);
  } catch {
    return String(doc); // Symbols, functions or cycles cannot be dumped: fall back to text.
  }
}

type TextMutation =
  | { kind: "truncate"; at: number }
  | { kind: "insert"; at: number; text: string }
  | { kind: "delete"; at: number; length: number }
  | { kind: "duplicate"; at: number; length: number };

const yamlNoise = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom(
    "&a ",
    "*a",
    "<<: *a\n",
    "!!js/function ",
    "!!binary ",
    "? ",
    ": ",
    "- ",
    "\n  ",
    "\t",
    "{",
    "}",
    "[",
    "]",
    "'",
    '"',
    "#",
    "|\n",
    ">-\n",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "__proto__: {polluted: 1}\n",
    "\uFEFF",
    "\u0000",
    "\uD800",
  ),
);

const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: yamlNoise }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.nat(20) }),
  fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat(), length: fc.nat(40) }),
);

function mutateText(text: string, mutations: TextMutation[]): string {
  let out = text;
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % (out.length + 1);
    switch (m.kind) {
      case "truncate":
        out = out.slice(0, at);
        break;
      case "insert":
        out = out.slice(0, at) + m.text + out.slice(at);
        break;
      case "delete":
        out = out.slice(0, at) + out.slice(at + m.length);
        break;
      case "duplicate":
        out = out.slice(0, at + m.length) + out.slice(at, at + m.length) + out.slice(at + m.length);
        break;
    }
  }
  return out;
}

/** Parses; the result must be a manifest or a typed manifest error. */
function checkManifest(text: string): void {
  guarded(() => {
    let result;
    try {
      result = tryParseManifest(text, { url: "https://example.com/p/registry.yaml" });
    } catch (error) {
      throw new Error(`untyped ${error}\n--- text ---\n${text.slice(0, 2000)}`, { cause: error });
    }
    if (result.ok) {
      for (const [category, section] of Object.entries(result.manifest.categories)) {
        ok(!RESERVED.includes(category), category);
        for (const [name, declaration] of Object.entries(section)) {
          ok(!RESERVED.includes(name), name);
          equal(typeof declaration.class, "string");
        }
      }
    } else {
      ok(isTyped(result.error));
      ok(result.error.message.length > 0);
    }
  });
}

// --- Manifest properties ------------------------------------------------------------------

Deno.test("generated valid manifests parse, in block, flow and JSON form", () => {
  fc.assert(
    // The core refuses reserved keys anywhere, free-form metadata included.
    fc.property(manifestDocument.filter((doc) => !hasReservedKey(doc)), serialise, (doc, as) => {
      const text = as(doc);
      guarded(() => {
        const manifest = parseManifest(text, { url: "file:///p/registry.yaml" });
        const expected = Object.keys(doc).filter((k) => k !== "plugin");
        deepEqual(Object.keys(manifest.categories), expected);
      });
    }),
    params(2_500),
  );
});

Deno.test("structurally mutated manifests give a manifest or a typed error", () => {
  fc.assert(
    fc.property(
      manifestDocument,
      fc.array(mutation, { minLength: 1, maxLength: 4 }),
      serialise,
      (doc, mutations, as) => {
        checkManifest(safeDump(mutate(doc, mutations), as));
      },
    ),
    params(3_500),
  );
});

Deno.test("textually mutated manifests give a manifest or a typed error", () => {
  fc.assert(
    fc.property(
      manifestDocument,
      serialise,
      fc.array(textMutation, { minLength: 1, maxLength: 5 }),
      (doc, as, mutations) => {
        checkManifest(mutateText(as(doc), mutations));
      },
    ),
    params(3_500),
  );
});

Deno.test("random strings and bytes give a typed error or a manifest", () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.string({ unit: "binary", maxLength: 200 }),
        fc.uint8Array({ maxLength: 300 }).map((bytes) => new TextDecoder().decode(bytes)),
      ),
      (text) => checkManifest(text),
    ),
    params(1_500),
  );
});

// --- Configs ------------------------------------------------------------------------------

const configInput: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 2, maxKeys: 4 }),
  fc.dictionary(fc.oneof(identifier, hostileKey), hostileValue, { maxKeys: 5 }),
  fc.constant(JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": 1}}')),
);

Deno.test("configs validate to a complete config or a ConfigError", () => {
  fc.assert(
    fc.property(
      fc.dictionary(identifier, configField, { maxKeys: 4 }),
      configInput,
      fc.dictionary(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/), fc.string({ maxLength: 12 }), {
        maxKeys: 3,
      }),
      (rawFields, input, environment) => {
        guarded(() => {
          // Fields come from a manifest, so they are first validated like one; a default with a
          // reserved key (`{"prototype": false}`) is refused there, as a typed error.
          const text = JSON.stringify({ c: { i: { class: "./i.ts", config_schema: rawFields } } });
          if (hasReservedKey(rawFields)) {
            throws(() => parseManifest(text), ManifestValidationError);
            return;
          }
          const fields = parseManifest(text).categories.c!.i!.config_schema;
          const env = (name: string) =>
            Object.hasOwn(environment, name) ? environment[name] : undefined;
          let config: Record<string, unknown>;
          try {
            config = validateConfig(fields, input, { env });
          } catch (error) {
            if (error instanceof ConfigError) return;
            throw new Error(`untyped ${error}: ${JSON.stringify(input)}`, { cause: error });
          }
          for (const key of Object.keys(config)) ok(Object.hasOwn(fields, key), key);
        });
      },
    ),
    params(2_000),
  );
});

// --- Plugin maps --------------------------------------------------------------------------

const manifestSpecifier = fc.oneof(
  fc.constantFrom(
    "./p/registry.yaml",
    "../x.yaml",
    "/abs/registry.yaml",
    "file:///p/registry.yaml",
    "https://example.com/registry.yaml",
    "http://127.0.0.1:1/registry.yaml",
    "http://example.com/registry.yaml",
    "jsr:@acme/hooks@^1/registry.yaml",
    "@acme/hooks/registry.yaml",
    "selfy/registry.yaml",
    "selfy",
    "data:text/yaml,a: b",
    "javascript:alert(1)",
    "",
    "::",
    "http://[::1",
  ),
  fc.string({ maxLength: 30 }),
  fc.webUrl(),
);

const pluginMapValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.dictionary(
    fc.oneof(fc.stringMatching(/^@?[a-z][a-z0-9-]{0,8}(\/[a-z]{1,5})?$/), hostileKey),
    fc.oneof(manifestSpecifier, hostileValue),
    { maxKeys: 5 },
  ),
  fc.anything({ maxDepth: 2, maxKeys: 3 }),
);
const importsValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.dictionary(
    fc.oneof(fc.constantFrom("selfy", "selfy/", "@acme/hooks", "@acme/hooks/"), hostileKey),
    fc.oneof(manifestSpecifier, fc.constantFrom("selfy", "selfy/", "other")),
    { maxKeys: 4 },
  ),
  fc.anything({ maxDepth: 2, maxKeys: 3 }),
  fc.constant(undefined),
);

Deno.test("plugin maps parse and resolve to URLs or ConfigErrors", () => {
  fc.assert(
    fc.property(
      pluginMapValue,
      importsValue,
      fc.constantFrom("file:///app/deno.json", "https://example.com/app/bench.yaml"),
      (value, imports, url) => {
        guarded(() => {
          let map;
          try {
            map = parsePluginMap(value, { url, imports });
          } catch (error) {
            if (error instanceof ConfigError) return;
            throw new Error(`untyped ${error}: ${JSON.stringify(value)}`, { cause: error });
          }
          for (const entry of map.plugins) {
            ok(!RESERVED.includes(entry.name), entry.name);
            try {
              ok(resolvePluginSpecifier(entry.specifier, map) instanceof URL);
            } catch (error) {
              if (!(error instanceof ConfigError)) {
                throw new Error(`untyped ${error}: ${entry.specifier}`, { cause: error });
              }
            }
          }
        });
      },
    ),
    params(2_000),
  );
});

// --- End to end ---------------------------------------------------------------------------

Deno.test("discovery of mutated manifests always yields an index and typed diagnostics", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-prop-" });
  let n = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.tuple(manifestDocument, fc.array(mutation, { maxLength: 2 }), serialise),
        { minLength: 1, maxLength: 3 },
      ),
      async (plugins) => {
        casesTried++;
        const started = performance.now();
        const map: Record<string, string> = {};
        for (const [i, [doc, mutations, as]] of plugins.entries()) {
          const file = `m${n++}.yaml`;
          Deno.writeTextFileSync(`${dir}/${file}`, safeDump(mutate(doc, mutations), as));
          map[`p${i}`] = `./${file}`;
        }
        const registry = await createRegistry({
          host: { name: "host", version: "1.0.0" },
          categories: { c: { description: "any" } },
          plugins: parsePluginMap(map, { url: `file://${dir}/app.json` }),
        });
        equal(registry.plugins().length, plugins.length);
        for (const d of registry.diagnostics) {
          ok(typeof d.code === "string" && d.message.length > 0, JSON.stringify(d));
        }
        registry.factory("c").list();
        ok(performance.now() - started < MAX_CASE_MS);
        deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), PROTO_KEYS);
      },
    ),
    params(400),
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("property suite figures", () => {
  console.log(
    `property suite: ${casesTried} cases tried, ${checking.toFixed(0)} ms checking, slowest case ${
      slowest.toFixed(1)
    } ms`,
  );
  ok(casesTried >= 10_000 || scale < 1 || Number.isFinite(seed), `only ${casesTried} cases`);
});
