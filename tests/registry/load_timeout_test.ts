/**
 * Plugin loading has a time limit: a real plugin module whose top-level await never settles
 * makes `get` and `create` fail with a `timeout` PluginLoadError naming the implementation, the
 * module and the time waited. Run in a child process: Deno reports a never-settled top-level
 * await when the event loop empties, which would fail the test runner itself.
 */
import { equal, match, ok, rejects } from "node:assert/strict";
import { createRegistry, parsePluginMap } from "../../mod.ts";
import { tree } from "../_helpers/fixtures.ts";

const ROOT = new URL("../../", import.meta.url);
const MOD = new URL("mod.ts", ROOT).href;

const MANIFEST = `plugin: {name: slow, version: 1.0.0}
phase_hook:
  hang: ./hang.ts#Hang
  late: ./late.ts#Late
  stall: ./stall.ts#stall
  quick: ./quick.ts#Quick
`;

const FILES = {
  "registry.yaml": MANIFEST,
  // The module never finishes evaluating.
  "hang.ts": "await new Promise(() => {});\nexport class Hang {}\n",
  // Finishes after 300 ms: within a generous limit, past a tight one.
  "late.ts": "await new Promise((r) => setTimeout(r, 300));\nexport class Late {}\n",
  // Imports at once, but its async factory never settles.
  "stall.ts": "export function stall() { return new Promise(() => {}); }\n",
  "quick.ts": "export class Quick { ok = true; }\n",
};

const SCRIPT = `import { createRegistry, parsePluginMap } from "${MOD}";
const registry = await createRegistry({
  host: { name: "host", version: "1.0.0" },
  categories: { phase_hook: { description: "hooks" } },
  plugins: parsePluginMap({ slow: "./registry.yaml" }, { url: new URL("./app.json", import.meta.url) }),
  loadTimeoutMs: 400,
});
const hooks = registry.factory("phase_hook");
const calls = [
  ["get hang", () => hooks.get("hang")],
  ["create hang", () => hooks.create("hang", {}, undefined, { timeoutMs: 200 })],
  ["create stall", () => hooks.create("stall")],
  ["create late, 100 ms", () => hooks.create("late", {}, undefined, { timeoutMs: 100 })],
  ["create late, 5 s", () => hooks.create("late", {}, undefined, { timeoutMs: 5000 })],
  ["create quick", () => hooks.create("quick")],
];
for (const [name, call] of calls) {
  try {
    await call();
    console.log(JSON.stringify({ name, ok: true }));
  } catch (error) {
    const { code, implementation, module, waitedMs, message } = error;
    console.log(JSON.stringify({ name, code, implementation, module, waitedMs, message }));
  }
}
// The hanging import goes on in the background; the host decides when to end.
Deno.exit(0);
`;

interface Outcome {
  name: string;
  ok?: boolean;
  code?: string;
  implementation?: string;
  module?: string;
  waitedMs?: number;
  message?: string;
}

Deno.test("a plugin module that never finishes loading fails with a timeout naming it", async () => {
  const t = await tree({ ...FILES, "script.ts": SCRIPT });
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      `--config=${new URL("deno.json", ROOT).pathname}`,
      `--allow-read=${t.dir},${ROOT.pathname}`,
      `${t.dir}/script.ts`,
    ],
    cwd: t.dir,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  ok(output.success, `${stdout}\n${new TextDecoder().decode(output.stderr)}`);
  const results = new Map<string, Outcome>(
    stdout.trim().split("\n").map((line) => {
      const outcome = JSON.parse(line) as Outcome;
      return [outcome.name, outcome];
    }),
  );
  const hang = results.get("get hang")!;
  equal(hang.code, "timeout");
  equal(hang.implementation, "slow/hang");
  equal(hang.module, t.url("hang.ts"));
  ok(hang.waitedMs! >= 400, `waited ${hang.waitedMs} ms, the registry's limit is 400`);
  match(
    hang.message!,
    new RegExp(
      `^Cannot load "slow/hang" from "${
        t.url("hang.ts")
      }": It did not finish loading within 400 ms \\(waited \\d+ ms\\)`,
    ),
  );
  // A call's own limit wins over the registry's.
  match(results.get("create hang")!.message!, /within 200 ms/);
  equal(results.get("create hang")!.code, "timeout");
  // The limit covers an async factory too.
  equal(results.get("create stall")!.code, "timeout");
  equal(results.get("create stall")!.implementation, "slow/stall");
  equal(results.get("create late, 100 ms")!.code, "timeout");
  // The same import, still going, finishes within a longer limit: a slow module is not broken.
  equal(results.get("create late, 5 s")!.ok, true);
  equal(results.get("create quick")!.ok, true);
});

Deno.test("loadTimeoutMs and timeoutMs must be positive numbers", async () => {
  const t = await tree({ "registry.yaml": MANIFEST, "quick.ts": FILES["quick.ts"] });
  const options = {
    host: { name: "host", version: "1.0.0" },
    categories: { phase_hook: { description: "hooks" } },
    plugins: parsePluginMap({ slow: "./registry.yaml" }, { url: t.url("app.json") }),
  };
  await rejects(
    createRegistry({ ...options, loadTimeoutMs: -1 }),
    /"loadTimeoutMs" must be a positive number of milliseconds/,
  );
  const registry = await createRegistry({ ...options, loadTimeoutMs: Infinity });
  const hooks = registry.factory<{ ok: boolean }>("phase_hook");
  await rejects(hooks.create("quick", {}, undefined, { timeoutMs: 0 }), TypeError);
  equal((await hooks.create("quick")).ok, true);
});
