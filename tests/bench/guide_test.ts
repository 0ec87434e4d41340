// The guide "Writing a benchmark plugin" (examples/README.md) against the code: the host it
// names, the version plugins require, the files it points at.
import { equal, ok } from "node:assert/strict";
import { load } from "js-yaml";
import { BENCH_HOST } from "../../src/bench/mod.ts";
import { ROOT } from "./_helpers.ts";

Deno.test("guide: the host name and version are the bench's own", async () => {
  const manifest = load(await Deno.readTextFile(`${ROOT}src/bench/registry.yaml`)) as {
    plugin: { name: string; version: string };
  };
  equal(BENCH_HOST.name, manifest.plugin.name);
  equal(BENCH_HOST.version, manifest.plugin.version);
  const guide = await Deno.readTextFile(`${ROOT}examples/README.md`);
  const section = guide.slice(guide.indexOf("## Writing a benchmark plugin"));
  ok(section.includes(`**\`${BENCH_HOST.name}\`**, version **${BENCH_HOST.version}**`));
  // Every requirement on the host, in the guide and in the example plugins, is satisfiable.
  const texts = [guide];
  for (const dir of ["guide", "slo-gate", "webhook"]) {
    texts.push(await Deno.readTextFile(`${ROOT}examples/plugins/${dir}/registry.yaml`));
  }
  for (const text of texts) {
    for (const [, version] of text.matchAll(/plugmap-bench:? *"?>=([\d.]+)/g)) {
      equal(version, BENCH_HOST.version);
    }
    ok(!/(?<![\w-])bench>=|\{bench:/.test(text), "the host is plugmap-bench, not bench");
  }
  // Every relative link of the section names a file that exists.
  for (const [, link] of section.matchAll(/\]\((\.{1,2}\/[^)#]+)\)/g)) {
    await Deno.stat(new URL(link!, `file://${ROOT}examples/`));
  }
});
