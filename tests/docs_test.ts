// The README's quick starts are the files of examples/quick_start, shown verbatim, and the output
// it shows is what running them prints: documentation that cannot drift from the code.
import { equal, ok } from "node:assert/strict";

const root = new URL("../", import.meta.url);
const readme = await Deno.readTextFile(new URL("README.md", root));

function block(label: string): string {
  const start = readme.indexOf(`${label}\n`);
  ok(start >= 0, `README has no block starting with ${label}`);
  const body = start + label.length + 1;
  return readme.slice(body, readme.indexOf("```", body));
}

Deno.test("README quick starts show the example files verbatim", async () => {
  for (
    const [label, file] of [
      ["// app.ts", "app.ts"],
      ["# plugins/shout/registry.yaml", "plugins/shout/registry.yaml"],
      ["// plugins/shout/hooks.ts", "plugins/shout/hooks.ts"],
    ]
  ) {
    const text = await Deno.readTextFile(new URL(`examples/quick_start/${file}`, root));
    equal(block(label!), text, `README's ${file} differs from examples/quick_start/${file}`);
  }
  const map = await Deno.readTextFile(new URL("examples/quick_start/app.json", root));
  ok(readme.includes("```json\n" + map + "```"), "README's app.json differs");
});

Deno.test("README shows what the quick start prints", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-lock", "examples/quick_start/app.ts"],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  equal(output.code, 0, new TextDecoder().decode(output.stderr));
  equal(new TextDecoder().decode(output.stderr), "", "no diagnostics");
  equal(block("$ deno run -A examples/quick_start/app.ts"), stdout);
});
