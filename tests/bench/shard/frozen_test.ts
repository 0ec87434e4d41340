// --frozen: the benchmark file's plugins are verified against plugins.lock.json beside it, and
// plugins it does not list are refused (what every pod of a sharded Kubernetes run uses).
import { assert, assertEquals } from "../_assert.ts";
import { ROOT, runMain, tempTree } from "../_helpers.ts";

const HOOK = (name: string) => `
plugin: { name: ${name}, version: 1.0.0 }
phase_hook:
  ${name}:
    class: ./hook.ts#hook
    description: Says hello
`;

Deno.test("--frozen: locked plugins run; a plugin the lock does not list is refused", async () => {
  const dir = await tempTree({
    "a/registry.yaml": HOOK("a"),
    "a/hook.ts": "export function hook() { return {}; }\n",
    "b/registry.yaml": HOOK("b"),
    "b/hook.ts": "export function hook() { return {}; }\n",
    "bench.yaml": `
phases: { warmup: { request_count: 0 }, profiling: { request_count: 2 } }
plugins:
  map: { a: ./a/registry.yaml }
  phase_hooks: [a]
`,
  });
  try {
    const lock = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "src/bench/plugins.ts", "--config", `${dir}/bench.yaml`, "lock"],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(lock.code, 0, new TextDecoder().decode(lock.stderr));
    const ok = await runMain(["--config", `${dir}/bench.yaml`, "--frozen", "--no-progress"]);
    assertEquals(ok.status, 0, ok.stderr);
    await Deno.writeTextFile(
      `${dir}/bench.yaml`,
      (await Deno.readTextFile(`${dir}/bench.yaml`)).replace(
        "map: { a: ./a/registry.yaml }",
        "map: { a: ./a/registry.yaml, b: ./b/registry.yaml }",
      ).replace("phase_hooks: [a]", "phase_hooks: [a, b]"),
    );
    const refused = await runMain(["--config", `${dir}/bench.yaml`, "--frozen", "--no-progress"]);
    assert(refused.status !== 0, refused.stderr);
    assert(refused.stderr.includes('"b" is not in the lock file'), refused.stderr);
    const noMap = await runMain(["--frozen", "--no-progress"]);
    assertEquals(noMap.status, 2);
    assert(
      noMap.stderr.includes("--frozen: needs a benchmark file with a plugin map"),
      noMap.stderr,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
