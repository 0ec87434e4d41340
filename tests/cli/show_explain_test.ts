import { deepEqual, equal, match, ok } from "node:assert/strict";
import { cli, parsed, project } from "./_helpers.ts";

Deno.test("show PLUGIN: metadata, implementations with status, exit 0", async () => {
  const { dir } = await project();
  const run = await cli(["show", "alpha"], { cwd: dir });
  equal(run.code, 0, run.stderr);
  match(run.stdout, /^alpha 1\.2\.0 ok$/m);
  match(run.stdout, /description:\s+The first plugin/);
  match(run.stdout, /author:\s+Ada/);
  match(run.stdout, /specifier:\s+\.\/alpha\/registry\.yaml/);
  match(run.stdout, /^\s+endpoint\s+chat\s+selected\s+-\s+Chat endpoint$/m);
  match(run.stdout, /^\s+phase_hook\s+log\s+selected/m);
  equal(run.stderr, "", "other plugins' problems are not shown");
});

Deno.test("show PLUGIN --json: the documented shape", async () => {
  const { dir } = await project();
  const out = parsed<{ plugin: Record<string, unknown>; diagnostics: unknown[] }>(
    await cli(["show", "beta", "--json"], { cwd: dir }),
  );
  deepEqual(Object.keys(out.plugin).sort(), [
    "builtin",
    "implementations",
    "integrity",
    "jsrVersion",
    "metadata",
    "name",
    "specifier",
    "status",
    "url",
  ]);
  deepEqual(out.plugin.metadata, { name: "beta", version: "0.3.0", requires: {} });
  deepEqual(
    (out.plugin.implementations as { name: string; status: string }[]).map((
      i,
    ) => [i.name, i.status]),
    [["chat", "shadowed"], ["off", "disabled"]],
  );
  deepEqual(out.diagnostics, []);
});

Deno.test("show: a broken plugin shows its problems and exits 1", async () => {
  const { dir } = await project();
  const run = await cli(["show", "broken"], { cwd: dir });
  equal(run.code, 1);
  match(run.stdout, /^broken broken$/m);
  match(run.stdout, /implementations: none/);
  match(run.stderr, /broken\/registry\.yaml:4:5: error: .*clas/);
  const json = parsed<{ diagnostics: { plugin: string }[] }>(
    await cli(["show", "broken", "--json"], { cwd: dir }),
  );
  ok(json.diagnostics.length > 0 && json.diagnostics.every((d) => d.plugin === "broken"));
});

Deno.test("show: an unknown plugin exits 1 with a suggestion; no PLUGIN exits 2", async () => {
  const { dir } = await project();
  const run = await cli(["show", "alpah"], { cwd: dir });
  equal(run.code, 1);
  match(
    run.stderr,
    /Cannot find plugin "alpah" \(did you mean "alpha"\?\): available: alpha, beta, broken, old/,
  );
  const usage = await cli(["show"], { cwd: dir });
  equal(usage.code, 2);
  match(usage.stderr, /error: Missing PLUGIN\nRun "plugins show --help" for usage\./);
  const extra = await cli(["show", "a", "b"], { cwd: dir });
  equal(extra.code, 2);
  match(extra.stderr, /Unexpected argument "b"/);
});

Deno.test("explain: the winner and why every other candidate lost", async () => {
  const { dir } = await project();
  const run = await cli(["explain", "endpoint", "chat"], { cwd: dir });
  equal(run.code, 0, run.stderr);
  match(
    run.stdout,
    /^endpoint "chat" resolves to alpha\/chat \(file:\/\/.*alpha\/chat\.ts#Chat\)$/m,
  );
  match(run.stdout, /^\s+selected\s+alpha\/chat\s+priority 5\s+Highest priority \(5\)$/m);
  match(
    run.stdout,
    /^\s+shadowed\s+beta\/chat\s+priority 1\s+Shadowed by "alpha\/chat": priority 5 beats 1$/m,
  );
  const json = parsed<
    {
      category: string;
      name: string;
      selected: string;
      candidates: { qualifiedName: string; status: string; reason: string }[];
      diagnostics: unknown[];
    }
  >(
    await cli(["explain", "endpoint", "chat", "--json"], { cwd: dir }),
  );
  equal(json.selected, "alpha/chat");
  deepEqual(json.candidates.map((c) => [c.qualifiedName, c.status]), [["alpha/chat", "selected"], [
    "beta/chat",
    "shadowed",
  ]]);
});

Deno.test("explain: a name with no usable candidate exits 1 and says why", async () => {
  const { dir } = await project();
  const off = await cli(["explain", "endpoint", "off"], { cwd: dir });
  equal(off.code, 1);
  match(off.stdout, /does not resolve: no usable candidate/);
  match(off.stdout, /disabled\s+beta\/off\s+priority 0\s+Disabled by its manifest/);
  const legacy = parsed<{ selected: null; candidates: { status: string; reason: string }[] }>(
    await cli(["explain", "endpoint", "legacy", "--json"], { cwd: dir }),
  );
  equal(legacy.selected, null);
  equal(legacy.candidates[0]?.status, "incompatible");
  match(legacy.candidates[0]!.reason, /Requires bench >=2\.0\.0/);
});

Deno.test("explain: unknown names and categories exit 1; missing arguments exit 2", async () => {
  const { dir } = await project();
  const name = await cli(["explain", "endpoint", "chta"], { cwd: dir });
  equal(name.code, 1);
  match(name.stderr, /did you mean "chat"/);
  const category = await cli(["explain", "nope", "chat", "--json"], { cwd: dir });
  equal(category.code, 1);
  equal(parsed<{ error: { code: string } }>(category).error.code, "not_found");
  const usage = await cli(["explain", "endpoint"], { cwd: dir });
  equal(usage.code, 2);
  match(usage.stderr, /Missing NAME/);
  const json = await cli(["explain", "endpoint", "chta", "--json"], { cwd: dir });
  equal(json.code, 1);
  const error = parsed<{ error: { code: string; message: string } }>(json).error;
  equal(error.code, "not_found");
  match(error.message, /^Cannot find endpoint "chta" \(did you mean "chat"\?\)/);
  const qualified = await cli(["explain", "endpoint", "alhpa/chat"], { cwd: dir });
  match(qualified.stderr, /did you mean "alpha\/chat"/);
});

Deno.test("explain: a qualified name resolves to its own implementation, a loser too", async () => {
  const { dir } = await project();
  const loser = await cli(["explain", "endpoint", "beta/chat"], { cwd: dir });
  equal(loser.code, 0, loser.stderr);
  match(loser.stdout, /^endpoint "beta\/chat" resolves to beta\/chat /);
  match(loser.stdout, /selected\s+alpha\/chat[\s\S]*shadowed\s+beta\/chat/);
});
