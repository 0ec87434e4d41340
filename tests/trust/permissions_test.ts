/**
 * Declared permissions: an implementation's `permissions` are checked with
 * `Deno.permissions.query` before its code is imported, and a refusal names the exact flags.
 * The refusals are proved in a subprocess run with limited permissions.
 */
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { createRegistry, ManifestValidationError, parsePluginMap } from "../../mod.ts";
import { parseManifest } from "../../src/manifest/mod.ts";
import { importCount, sideEffectModule, tree } from "../_helpers/fixtures.ts";

const ROOT = new URL("../../", import.meta.url);
const MOD = new URL("mod.ts", ROOT).href;

const MANIFEST = `plugin: {name: dd, version: 1.0.0}
phase_hook:
  datadog:
    class: ./hooks.ts#Hook
    permissions:
      net: [api.datadoghq.com, intake.datadoghq.com:443]
      env: [DD_API_KEY]
  everything:
    class: ./hooks.ts#Hook
    permissions: {net: true, run: [git]}
  plain: ./hooks.ts#Hook
`;

const HOOKS = "export class Hook { ok = true; }\n";

// Prints one JSON line per implementation: created, or the error's code and message.
const SCRIPT = `import { createRegistry, parsePluginMap } from "${MOD}";
const registry = await createRegistry({
  host: { name: "host", version: "1.0.0" },
  categories: { phase_hook: { description: "hooks" } },
  plugins: parsePluginMap({ dd: "./registry.yaml" }, { url: new URL("./app.json", import.meta.url) }),
});
const g = globalThis as unknown as { __plugmapImports?: Record<string, number> };
for (const name of ["datadog", "everything", "plain"]) {
  try {
    await registry.factory("phase_hook").create(name);
    console.log(JSON.stringify({ name, ok: true }));
  } catch (error) {
    const e = error as { code?: string; message: string };
    console.log(JSON.stringify({ name, code: e.code, message: e.message }));
  }
}
console.log(JSON.stringify({ imports: g.__plugmapImports?.hooks ?? 0 }));
`;

async function runScript(
  dir: string,
  flags: string[],
): Promise<Record<string, { ok?: boolean; code?: string; message?: string; imports?: number }>> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      `--config=${new URL("deno.json", ROOT).pathname}`,
      `--allow-read=${dir},${ROOT.pathname}`,
      ...flags,
      `${dir}/script.ts`,
    ],
    cwd: dir,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  ok(output.success, `${stdout}\n${new TextDecoder().decode(output.stderr)}`);
  const results: Record<string, { ok?: boolean; code?: string; message?: string }> = {};
  for (const line of stdout.trim().split("\n")) {
    const parsed = JSON.parse(line);
    results[parsed.name ?? "imports"] = parsed;
  }
  return results;
}

async function scriptTree(): Promise<string> {
  const t = await tree({
    "registry.yaml": MANIFEST,
    "hooks.ts": sideEffectModule("hooks", HOOKS),
    "script.ts": SCRIPT,
  });
  return t.dir;
}

Deno.test("permissions are validated and carried onto the implementation", async () => {
  const manifest = parseManifest(MANIFEST);
  deepEqual(manifest.categories.phase_hook?.datadog?.permissions, {
    net: ["api.datadoghq.com", "intake.datadoghq.com:443"],
    env: ["DD_API_KEY"],
  });
  for (
    const bad of [
      "{net: yes}",
      "{net: [1]}",
      "{nett: true}",
      "{env: ['NOT A VAR']}",
      "{read: ['a,b']}",
      "{net: false}",
      "[net]",
    ]
  ) {
    throws(
      () => parseManifest(`phase_hook:\n  a: {class: ./a.ts, permissions: ${bad}}\n`),
      ManifestValidationError,
      bad,
    );
  }
  const t = await tree({ "registry.yaml": MANIFEST, "hooks.ts": HOOKS });
  const registry = await createRegistry({
    host: { name: "host", version: "1.0.0" },
    categories: { phase_hook: { description: "hooks" } },
    plugins: parsePluginMap({ dd: "./registry.yaml" }, { url: t.url("app.json") }),
  });
  deepEqual(registry.factory("phase_hook").describe("everything").permissions, {
    net: true,
    run: ["git"],
  });
  deepEqual(registry.factory("phase_hook").describe("plain").permissions, {});
  // This test process runs with -A: every declared permission is granted.
  equal((await registry.factory<{ ok: boolean }>("phase_hook").create("datadog")).ok, true);
  equal(importCount("hooks"), 0, "the side-effect key is only used by the subprocess tests");
});

Deno.test("missing permissions are refused before import, naming the exact flags", async () => {
  const dir = await scriptTree();
  const results = await runScript(dir, []);
  equal(results.datadog?.code, "refused");
  ok(
    results.datadog?.message?.includes(
      "run with --allow-net=api.datadoghq.com,intake.datadoghq.com:443 --allow-env=DD_API_KEY",
    ),
    results.datadog?.message,
  );
  equal(results.everything?.code, "refused");
  ok(
    results.everything?.message?.includes("run with --allow-net --allow-run=git"),
    results.everything?.message,
  );
  equal(results.plain?.ok, true, "an implementation declaring nothing still loads");
  equal(results.imports?.imports, 1, "refused implementations were never imported");
});

Deno.test("granting the named flags is enough; a partial grant names only what is missing", async () => {
  const dir = await scriptTree();
  const partial = await runScript(dir, ["--allow-net=api.datadoghq.com"]);
  equal(partial.datadog?.code, "refused");
  ok(
    partial.datadog?.message?.includes(
      "run with --allow-net=intake.datadoghq.com:443 --allow-env=DD_API_KEY",
    ),
    partial.datadog?.message,
  );
  const granted = await runScript(dir, [
    "--allow-net=api.datadoghq.com,intake.datadoghq.com:443",
    "--allow-env=DD_API_KEY",
  ]);
  equal(granted.datadog?.ok, true);
  equal(granted.everything?.code, "refused");
});
