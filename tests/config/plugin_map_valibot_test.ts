// parsePluginMap checks the map by hand (a snapshot hit must not load valibot). These tests hold
// it to the valibot schemas it replaced: the same issues, in the same order, and the same map.
import { deepEqual } from "node:assert/strict";
import * as fc from "npm:fast-check@^4.3.0";
import * as v from "valibot";
import { ConfigError, parsePluginMap } from "../../src/config/mod.ts";
import { PLUGIN_NAME, RESERVED_NAMES } from "../../src/_util/names.ts";

const PluginsSchema = v.record(
  v.pipe(
    v.string(),
    v.regex(PLUGIN_NAME, (i) => `Invalid plugin name ${i.received}`),
    v.check((name) => !RESERVED_NAMES.has(name), (i) => `Reserved plugin name ${i.received}`),
  ),
  v.pipe(
    v.string((i) => `Expected a manifest specifier string but received ${i.received}`),
    v.nonEmpty("A manifest specifier must not be empty"),
  ),
  (i) =>
    `Expected "plugins" to be a mapping of name to manifest specifier but received ${i.received}`,
);
const ImportsSchema = v.record(
  v.string(),
  v.string(),
  (i) => `Expected "imports" to be a mapping of specifier to target but received ${i.received}`,
);
const ScopesSchema = v.record(
  v.string(),
  v.record(
    v.string(),
    v.string(),
    (i) => `Expected a scope to be a mapping of specifier to target but received ${i.received}`,
  ),
  (i) => `Expected "scopes" to be a mapping of URL prefix to imports but received ${i.received}`,
);

// What the valibot version gave: the map, or the issues.
function withValibot(plugins: unknown, imports: unknown, scopes: unknown) {
  const p = v.safeParse(PluginsSchema, plugins ?? {});
  const i = v.safeParse(ImportsSchema, imports ?? {});
  const s = v.safeParse(ScopesSchema, scopes ?? {});
  const at = (root: string, list: v.BaseIssue<unknown>[] | undefined) =>
    (list ?? []).map((issue) => ({
      path: [root, v.getDotPath(issue)].filter(Boolean).join("."),
      message: issue.message,
    }));
  const issues = [
    ...at("plugins", p.issues),
    ...at("imports", i.issues),
    ...at("scopes", s.issues),
  ];
  if (issues.length > 0) return { issues };
  return {
    plugins: Object.entries(p.output as Record<string, string>),
    imports: i.output,
    ...(scopes !== undefined ? { scopes: s.output } : {}),
  };
}

function byHand(plugins: unknown, imports: unknown, scopes: unknown) {
  try {
    const map = parsePluginMap(plugins, {
      url: "file:///app/deno.json",
      imports,
      ...(scopes !== undefined ? { scopes } : {}),
    });
    return {
      plugins: map.plugins.map((p) => [p.name, p.specifier]),
      imports: map.imports,
      ...(map.scopes !== undefined ? { scopes: map.scopes } : {}),
    };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { issues: error.issues };
  }
}

const key = fc.oneof(
  fc.constantFrom("slo", "@acme/hooks", "a.b", "-x", "two words", "", "x/y/z", "9lives"),
  fc.string({ maxLength: 6 }),
);
const leaf = fc.oneof(
  fc.constantFrom("./r.yaml", "", "jsr:@a/b@^1", "https://example.com/"),
  fc.string({ maxLength: 4 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.string({ maxLength: 2 }), { maxLength: 2 }),
  fc.dictionary(key, fc.string({ maxLength: 2 }), { maxKeys: 2 }),
);
const record = fc.oneof(
  { weight: 5, arbitrary: fc.dictionary(key, leaf, { maxKeys: 4 }) },
  { weight: 1, arbitrary: leaf },
);
const scopes = fc.oneof(
  fc.constant(undefined),
  fc.dictionary(key, fc.oneof(fc.dictionary(key, leaf, { maxKeys: 3 }), leaf), { maxKeys: 3 }),
  leaf,
);

Deno.test("plugin map by hand: the valibot schemas' issues and map, for any input", () => {
  fc.assert(
    fc.property(record, record, scopes, (plugins, imports, scope) => {
      // A list and reserved names are refused before the schemas (in both versions).
      fc.pre(!Array.isArray(plugins));
      fc.pre(!Object.keys(plugins ?? {}).some((k) => RESERVED_NAMES.has(k)));
      deepEqual(byHand(plugins, imports, scope), withValibot(plugins, imports, scope));
    }),
    { numRuns: 2000 },
  );
});

Deno.test("plugin map by hand: prototype keys are left out of imports and scopes", () => {
  const imports = JSON.parse('{"__proto__": "x", "constructor": "y", "a": "./a.ts"}');
  const scope = JSON.parse('{"/p/": {"__proto__": "x", "b": "./b.ts"}}');
  deepEqual(byHand({}, imports, scope), withValibot({}, imports, scope));
  deepEqual(byHand({}, imports, scope), {
    plugins: [],
    imports: { a: "./a.ts" },
    scopes: { "/p/": { b: "./b.ts" } },
  });
});

// Most maps are valid: names that are plugin names (integer-like ones too, which objects order
// first) and non-empty specifiers. parsePluginMap takes those in one pass; the map must still be
// the schemas' map, in the same order.
const name = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/),
  fc.constantFrom("0", "7", "10", "slo", "hooks-2"),
);
const specifier = fc.oneof(fc.constantFrom("./r.yaml", "jsr:@a/b@^1"), fc.string({ minLength: 1 }));

Deno.test("plugin map by hand: a valid map is the schemas' map, in their order", () => {
  fc.assert(
    fc.property(fc.dictionary(name, specifier, { maxKeys: 12 }), (plugins) => {
      const expected = withValibot(plugins, undefined, undefined);
      deepEqual(expected.issues, undefined);
      deepEqual(byHand(plugins, undefined, undefined), expected);
    }),
    { numRuns: 1000 },
  );
});
