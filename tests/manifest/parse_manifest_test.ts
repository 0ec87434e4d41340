import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { ManifestSyntaxError, ManifestValidationError } from "../../mod.ts";
import { parseManifest, tryParseManifest } from "../../src/manifest/mod.ts";

const fixture = await Deno.readTextFile(
  new URL("../fixtures/datadog.registry.yaml", import.meta.url),
);
const url = "file:///plugins/datadog/registry.yaml";

function issuesOf(text: string) {
  const result = tryParseManifest(text, { url });
  if (result.ok) throw new Error("expected a failure");
  ok(result.error instanceof ManifestValidationError, result.error.message);
  return result.error.issues;
}

Deno.test("the original design's example manifest parses as written (ESM class specifiers)", () => {
  const manifest = parseManifest(fixture, { url });
  equal(manifest.url, url);
  equal(manifest.plugin.name, "aiperf-datadog-plugin");
  equal(manifest.plugin.version, "1.0.0");
  deepEqual(manifest.plugin.requires, { datadog: ">=0.44.0", aiperf: ">=2.0.0" });
  deepEqual(Object.keys(manifest.categories), ["phase_hook", "endpoint", "dataset_sampler"]);
  const datadog = manifest.categories.phase_hook?.datadog;
  equal(datadog?.class, "./hooks.ts#DatadogPhaseHook");
  deepEqual(datadog?.config_schema.api_key, {
    type: "string",
    required: true,
    description: "Datadog API key",
    env_var: "DATADOG_API_KEY",
  });
  deepEqual(datadog?.config_schema.tags?.default, []);
  equal(manifest.categories.phase_hook?.datadog_legacy?.enabled, false);
  equal(manifest.categories.dataset_sampler?.datadog_weighted?.priority, 0);
});

Deno.test("shorthand entries and both requires forms normalise to one shape", () => {
  const manifest = parseManifest(
    `plugin:
  name: p
  version: 0.1.0
  requires: {bench: ">=0.1.0", other: "==1.2.0"}
endpoint:
  chat: ./chat.ts#Chat
  completions:
    class: ./completions.ts
    requires: ["bench>=0.1,<1"]
`,
    { url },
  );
  deepEqual(manifest.plugin.requires, { bench: ">=0.1.0", other: "=1.2.0" });
  deepEqual(manifest.categories.endpoint?.chat, {
    class: "./chat.ts#Chat",
    description: "",
    config_schema: {},
    enabled: true,
    priority: 0,
    metadata: {},
    requires: {},
  });
  deepEqual(manifest.categories.endpoint?.completions?.requires, { bench: ">=0.1 <1" });
});

Deno.test("schema errors carry the field path, YAML line and column, and what was expected", () => {
  const issues = issuesOf(`plugin:
  name: p
  version: one
endpoint:
  chat:
    class: 42
    config_schema:
      temperature: {type: float, default: 0.7}
      retries: {type: integer, default: 3, required: false, extra: 1}
      timeout: {type: integer, default: "three"}
`);
  const byPath = Object.fromEntries(issues.map((i) => [i.path, i]));
  equal(byPath["plugin.version"]?.message, 'Invalid semver version "one"');
  equal(byPath["plugin.version"]?.line, 3);
  equal(byPath["plugin.version"]?.column, 12);
  equal(byPath["endpoint.chat.class"]?.message, 'Expected "class" to be a string but received 42');
  equal(byPath["endpoint.chat.class"]?.line, 6);
  ok(
    byPath["endpoint.chat.config_schema.temperature.type"]?.message.includes(
      "expected one of string, integer",
    ),
  );
  equal(
    byPath["endpoint.chat.config_schema.retries.extra"]?.message,
    'Unknown key "extra" in a config field',
  );
  equal(byPath["endpoint.chat.config_schema.retries.extra"]?.line, 9);
  equal(
    byPath["endpoint.chat.config_schema.timeout.default"]?.message,
    "The default does not match the field's type",
  );
});

Deno.test("the error message names the manifest, the place and the problem", () => {
  throws(
    () => parseManifest("endpoint:\n  chat:\n    clas: ./chat.ts\n", { url }),
    (error: unknown) => {
      ok(error instanceof ManifestValidationError);
      equal(
        error.message,
        `Cannot load manifest "${url}": line 3, column 5: "endpoint.chat.class": Missing key "class" in an implementation entry (and 1 more)`,
      );
      equal(
        error.issues[1]?.message,
        'Unknown key "clas" in an implementation entry (did you mean "class"?)',
      );
      equal(error.issues[1]?.line, 3);
      return true;
    },
  );
});

Deno.test("YAML syntax errors are SyntaxErrors with line and column", () => {
  throws(() => parseManifest("endpoint:\n  chat: [a, b\n", { url }), (error: unknown) => {
    ok(error instanceof ManifestSyntaxError);
    ok(error instanceof SyntaxError);
    equal(error.code, "yaml_syntax");
    equal(error.url, url);
    equal(typeof error.line, "number");
    ok(error.message.startsWith(`Cannot load manifest "${url}": line `), error.message);
    return true;
  });
});

Deno.test("empty documents, non-mappings and bad names are refused", () => {
  equal(issuesOf("")[0]?.message, "The manifest is empty");
  ok(issuesOf("- a\n- b\n")[0]?.message.includes("Expected the manifest to be a mapping"));
  ok(issuesOf("endpoint: 5\n")[0]?.message.includes("Expected a category section to be a mapping"));
  ok(issuesOf("endpoint:\n  bad name: ./x.ts\n")[0]?.message.includes("must be an identifier"));
  ok(issuesOf("endpoint:\n  x: {class: ./x.ts, priority: 1.5}\n")[0]?.message.includes("integer"));
  ok(
    issuesOf('endpoint:\n  x: {class: ./x.ts, requires: ["bench>>1"]}\n')[0]?.message.includes(
      "Invalid requirement",
    ),
  );
  ok(
    issuesOf(
      "endpoint:\n  x:\n    class: ./x.ts\n    config_schema:\n      constructor: {type: string}\n",
    )[0]?.message.includes('Reserved key "constructor"'),
  );
});

Deno.test("issues come in document order, and an unquoted version says how to fix it", () => {
  const issues = issuesOf(
    "plugin:\n  version: 1.0\nendpoint:\n  b:\n    class: ./b.ts\n    priorty: 1\n  a: 42\n",
  );
  deepEqual(issues.map((i) => i.line), [2, 6, 7]);
  equal(
    issues[0]?.message,
    'Expected "version" to be a string but received 1 (quote it, e.g. "1.0.0")',
  );
});

Deno.test("YAML merge keys share settings through an anchor, as PyYAML and @std/yaml read them", () => {
  const manifest = parseManifest(
    `plugin: {name: shared, version: 1.0.0}
endpoint:
  chat: &chat
    class: ./chat.ts#Chat
    description: Chat
    priority: 2
  chat_fast:
    <<: *chat
    class: ./chat.ts#Fast
  both:
    <<: [*chat, {enabled: false}]
`,
  );
  const { chat, chat_fast: fast, both } = manifest.categories.endpoint ?? {};
  deepEqual([fast?.class, fast?.description, fast?.priority], ["./chat.ts#Fast", "Chat", 2]);
  deepEqual([both?.class, both?.enabled, chat?.class], ["./chat.ts#Chat", false, "./chat.ts#Chat"]);
  // A merged mapping goes through the same reserved-key guard; a merge of a scalar is a syntax
  // error with its place.
  throws(
    () => parseManifest("x: &p {__proto__: {a: 1}}\nendpoint:\n  c: {<<: *p, class: ./c.ts}\n"),
    (e: unknown) => e instanceof ManifestValidationError && /__proto__/.test(e.message),
  );
  equal(({} as Record<string, unknown>).a, undefined);
  throws(
    () => parseManifest("endpoint:\n  c: {<<: 3, class: ./c.ts}\n"),
    (e: unknown) => e instanceof ManifestSyntaxError && e.line === 2 && /merge/.test(e.reason),
  );
});
