// The quick starts are the files of examples/quick_start, shown verbatim on the pages that teach
// them (README's host, docs/library.md's application, docs/plugin-authors.md's plugin), and the
// output shown is what running them prints: documentation that cannot drift from the code.
import { equal, ok } from "node:assert/strict";

const root = new URL("../", import.meta.url);
const pages = {
  readme: await Deno.readTextFile(new URL("README.md", root)),
  library: await Deno.readTextFile(new URL("docs/library.md", root)),
  plugin: await Deno.readTextFile(new URL("docs/plugin-authors.md", root)),
};

function block(page: keyof typeof pages, label: string): string {
  const text = pages[page];
  const start = text.indexOf(`${label}\n`);
  ok(start >= 0, `${page} has no block starting with ${label}`);
  const body = start + label.length + 1;
  return text.slice(body, text.indexOf("```", body));
}

async function run(file: string): Promise<string> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-lock", `examples/quick_start/${file}`],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  equal(output.code, 0, new TextDecoder().decode(output.stderr));
  equal(new TextDecoder().decode(output.stderr), "", "no diagnostics");
  return new TextDecoder().decode(output.stdout);
}

Deno.test("the quick starts show the example files verbatim", async () => {
  for (
    const [page, label, file] of [
      ["readme", "// examples/quick_start/host.ts", "host.ts"],
      ["library", "// app.ts", "app.ts"],
      ["plugin", "# plugins/shout/registry.yaml", "plugins/shout/registry.yaml"],
      ["plugin", "// plugins/shout/hooks.ts", "plugins/shout/hooks.ts"],
    ] as const
  ) {
    const text = await Deno.readTextFile(new URL(`examples/quick_start/${file}`, root));
    equal(block(page, label), text, `${page}'s ${file} differs from examples/quick_start/${file}`);
  }
  const map = await Deno.readTextFile(new URL("examples/quick_start/app.json", root));
  ok(pages.library.includes("```json\n" + map + "```"), "docs/library.md's app.json differs");
});

Deno.test("the quick starts print what the pages show", async () => {
  equal(block("library", "$ deno run -A examples/quick_start/app.ts"), await run("app.ts"));
  const host = await run("host.ts");
  ok(block("readme", "// examples/quick_start/host.ts").includes(`// ${host.trim()}`), host);
});

Deno.test("README and docs/ link only to files that exist", async () => {
  const files: [string, string][] = [["README.md", pages.readme]];
  for await (const entry of Deno.readDir(new URL("docs/", root))) {
    if (entry.name.endsWith(".md")) {
      files.push([
        `docs/${entry.name}`,
        await Deno.readTextFile(new URL(`docs/${entry.name}`, root)),
      ]);
    }
  }
  const missing: string[] = [];
  for (const [name, text] of files) {
    for (const [, target] of text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)) {
      if (/^[a-z]+:/.test(target!)) continue;
      try {
        await Deno.stat(new URL(target!, new URL(name, root)));
      } catch {
        missing.push(`${name} → ${target}`);
      }
    }
  }
  equal(missing.join("\n"), "", "broken links");
});
