import { equal, match, ok } from "node:assert/strict";
import { main } from "../../src/cli/main.ts";
import { cli, cliProcess, parsed, project } from "./_helpers.ts";

const COMMANDS = ["list", "show", "validate", "explain", "schema", "init"];

Deno.test("every command has --help (exit 0, on stdout)", async () => {
  for (const command of COMMANDS) {
    const run = await cli([command, "--help"]);
    equal(run.code, 0, command);
    match(run.stdout, new RegExp(`^Usage: plugins ${command}`), command);
    match(run.stdout, /--json/, command);
    match(run.stdout, /Exit status/, command);
  }
  const help = await cli(["help", "explain"]);
  match(help.stdout, /^Usage: plugins explain CATEGORY NAME/);
  // A subprocess, as a person runs it: stdout, exit status.
  const top = await cliProcess(["--help"]);
  equal(top.code, 0);
  for (const command of COMMANDS) match(top.stdout, new RegExp(`^  ${command}`, "m"));
});

Deno.test("no command, or an unknown one, is a usage error (exit 2)", async () => {
  const none = await cli([]);
  equal(none.code, 2);
  match(none.stderr, /^Usage: plugins <command>/);
  const unknown = await cliProcess(["lsit"]);
  equal(unknown.code, 2);
  match(
    unknown.stderr,
    /^error: Unknown command "lsit" \(did you mean "list"\?\)\nRun "plugins --help" for usage\.\n$/,
  );
  const extra = await cli(["list", "a", "b", "c"]);
  equal(extra.code, 2);
  match(extra.stderr, /Unexpected argument "c"/);
});

Deno.test("colour only on a terminal, never with NO_COLOR", async (t) => {
  const { dir } = await project();
  const script = await Deno.stat("/usr/bin/script").then(() => true, () => false);
  const main = new URL("../../src/cli/main.ts", import.meta.url).pathname;
  const tty = async (env: Record<string, string>) => {
    const output = await new Deno.Command("/usr/bin/script", {
      args: ["-qec", `${Deno.execPath()} run -A --no-lock ${main} list endpoint`, "/dev/null"],
      cwd: dir,
      env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    return new TextDecoder().decode(output.stdout);
  };
  await t.step({
    name: "a terminal gets colour",
    ignore: !script,
    fn: async () => ok((await tty({ NO_COLOR: "" })).includes("\x1b[32mselected")),
  });
  await t.step({
    name: "NO_COLOR turns it off",
    ignore: !script,
    fn: async () => {
      const text = await tty({ NO_COLOR: "1" });
      ok(text.includes("selected") && !text.includes("\x1b["), text);
    },
  });
  await t.step("a pipe gets none", async () => {
    const run = await cliProcess(["list", "endpoint"], { cwd: dir });
    ok(!run.stdout.includes("\x1b[") && !run.stderr.includes("\x1b["));
  });
});

Deno.test("main() runs in-process and reports where it is told", async () => {
  const { dir } = await project();
  let out = "";
  let err = "";
  const io = { out: (s: string) => void (out += s), err: (s: string) => void (err += s), cwd: dir };
  equal(await main(["explain", "endpoint", "chat"], io), 0);
  match(out, /resolves to alpha\/chat/);
  out = "";
  equal(await main(["list", "--json"], { ...io, colorOut: true }), 1);
  equal(parsed({ code: 1, stdout: out, stderr: "" }).plugins instanceof Array, true);
  out = "";
  // 1: "old" provides an endpoint and is incompatible (its error is shown on stderr).
  equal(await main(["list", "endpoint"], { ...io, colorOut: true }), 1);
  match(err, /requirement_unmet/);
  ok(out.includes("\x1b[32mselected\x1b[39m"));
  equal(await main(["show"], io), 2);
  match(err, /Missing PLUGIN/);
});

Deno.test("importing main.ts does nothing", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `await import(${JSON.stringify(new URL("../../src/cli/main.ts", import.meta.url).href)});`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  equal(output.code, 0);
  equal(new TextDecoder().decode(output.stdout), "");
});

Deno.test("--builtins: the host's manifest; a plugin beats a built-in of the same name", async () => {
  const { dir } = await project({
    "builtins.yaml": "endpoint:\n  chat: ./builtin_chat.ts#Chat\n  echo: ./builtin_chat.ts#Echo\n",
  });
  const run = await cli(["explain", "endpoint", "chat", "--builtins", "builtins.yaml", "--json"], {
    cwd: dir,
  });
  const out = parsed<
    { selected: string; candidates: { qualifiedName: string; builtin: boolean; reason: string }[] }
  >(run);
  equal(out.selected, "alpha/chat");
  const builtin = out.candidates.find((c) => c.builtin);
  equal(builtin?.qualifiedName, "bench/chat");
  match(builtin!.reason, /a plugin beats a built-in/);
  const list = await cli(["list", "--builtins", "builtins.yaml"], { cwd: dir });
  match(list.stdout, /^bench \(built-in\)\s+-\s+ok\s+endpoint: 2/m);
});

Deno.test("options may come before the command, so a task can preset them", async () => {
  const { dir } = await project();
  const after = await cli(["list", "--json", "--map", `${dir}/deno.json`]);
  const before = await cli(["--map", `${dir}/deno.json`, "--json", "list"]);
  equal(before.code, after.code);
  equal(before.stdout, after.stdout);
  ok(parsed<{ plugins: unknown[] }>(before).plugins.length > 0);
  const unknown = await cli(["--map", `${dir}/deno.json`, "lsit"]);
  equal(unknown.code, 2);
});

Deno.test("a mistyped command after options is the unknown command, not the option", async () => {
  const typo = await cli(["--map", "app.yaml", "--frozen", "lst"]);
  equal(typo.code, 2);
  match(typo.stderr, /^error: Unknown command "lst" \(did you mean "list"\?\)\n/);
  const joined = await cli(["--map=app.yaml", "--host", "bench@0.1.0", "explian", "endpoint"]);
  match(joined.stderr, /^error: Unknown command "explian" \(did you mean "explain"\?\)\n/);
  const none = await cli(["--map", "app.yaml"]);
  equal(none.code, 2);
  match(none.stderr, /^error: Missing command\nRun "plugins --help" for usage\.\n$/);
});

// `plugins list --json | head`: the reader closes the pipe after a few lines. Deno ignores
// SIGPIPE, so the next write fails with BrokenPipe; the command stops quietly (exit 0) instead of
// dying with an uncaught error and a stack trace.
Deno.test("a closed standard output (| head) ends the command quietly", async () => {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-pipe-" });
  await Deno.writeTextFile(
    `${dir}/a.yaml`,
    "plugin: {name: a, version: 1.0.0}\nendpoint:\n  chat: ./a.ts\n",
  );
  // 3,000 plugins of one manifest: far more JSON than a pipe holds (64 KiB).
  const plugins = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`p${i}`, "./a.yaml"]));
  await Deno.writeTextFile(`${dir}/deno.json`, JSON.stringify({ plugins }));
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--no-lock",
      new URL("../../src/cli/main.ts", import.meta.url).pathname,
      "list",
      "--json",
      "--no-cache",
    ],
    cwd: dir,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.getReader();
  const first = await reader.read();
  ok(!first.done && first.value.length > 0);
  await reader.cancel();
  const [status, stderr] = await Promise.all([
    child.status,
    new Response(child.stderr).text(),
  ]);
  equal(stderr, "");
  equal(status.code, 0);
});
