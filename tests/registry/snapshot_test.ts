// The index snapshot can never be stale: whatever changes, discovery with the snapshot gives
// what discovery without it gives. Each case runs twice (fill, then use) and compares.
import { deepEqual, equal, notEqual, ok } from "node:assert/strict";
import { createRegistry, parsePluginMap, type Registry, type RegistryOptions } from "../../mod.ts";
import { main } from "../../src/cli/main.ts";

const A = "plugin: {name: a, version: 1.0.0}\nphase_hook:\n  one: ./a.ts#One\n";
// Same size as A, one implementation renamed.
const B = "plugin: {name: a, version: 1.0.0}\nphase_hook:\n  two: ./a.ts#One\n";

async function project() {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-snapshot-" });
  await Deno.writeTextFile(`${dir}/a.yaml`, A);
  await Deno.writeTextFile(
    `${dir}/b.yaml`,
    "plugin: {name: b, version: 2.0.0}\nendpoint:\n  chat: ./b.ts\n",
  );
  const cacheDir = `${dir}/cache`;
  const options = (extra: Partial<RegistryOptions> = {}): RegistryOptions => ({
    host: { name: "app", version: "1.0.0" },
    categories: { phase_hook: { description: "Hooks" }, endpoint: { description: "Endpoints" } },
    plugins: parsePluginMap({ a: "./a.yaml", b: "./b.yaml" }, { url: `file://${dir}/app.json` }),
    cacheDir,
    ...extra,
  });
  return { dir, cacheDir, options };
}

function view(registry: Registry) {
  return {
    names: registry.plugins().flatMap((p) => p.implementations.map((i) => i.qualifiedName)),
    diagnostics: registry.diagnostics.map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`),
  };
}

async function snapshotFiles(cacheDir: string): Promise<string[]> {
  const files: string[] = [];
  try {
    for await (const e of Deno.readDir(`${cacheDir}/snapshots`)) files.push(e.name);
  } catch { /* none */ }
  return files;
}

Deno.test("snapshot: an edit that keeps size and mtime is read again", async () => {
  const { dir, cacheDir, options } = await project();
  const first = view(await createRegistry(options()));
  equal((await snapshotFiles(cacheDir)).length, 2, "the manifests' and the finished index");
  deepEqual(view(await createRegistry(options())), first);
  const { mtime } = await Deno.stat(`${dir}/a.yaml`);
  await Deno.writeTextFile(`${dir}/a.yaml`, B);
  await Deno.utime(`${dir}/a.yaml`, mtime!, mtime!);
  equal((await Deno.stat(`${dir}/a.yaml`)).size, A.length);
  const after = view(await createRegistry(options()));
  ok(after.names.includes("a/two") && !after.names.includes("a/one"));
  deepEqual(after, view(await createRegistry(options({ snapshot: false }))));
});

Deno.test("snapshot: swapped files, a changed map, host and categories", async () => {
  const { dir, options } = await project();
  await createRegistry(options());
  // Swap the two files' contents.
  const a = await Deno.readTextFile(`${dir}/a.yaml`);
  await Deno.writeTextFile(`${dir}/a.yaml`, await Deno.readTextFile(`${dir}/b.yaml`));
  await Deno.writeTextFile(`${dir}/b.yaml`, a);
  deepEqual(
    view(await createRegistry(options())),
    view(await createRegistry(options({ snapshot: false }))),
  );
  // The map changes: another name for the same file.
  const map = parsePluginMap({ z: "./b.yaml" }, { url: `file://${dir}/app.json` });
  deepEqual(view(await createRegistry(options({ plugins: map }))).names, ["z/one"]);
  // Host and categories change: requirements and unknown categories are worked out anew.
  await Deno.writeTextFile(
    `${dir}/a.yaml`,
    A.replace("version: 1.0.0}", "version: 1.0.0, requires: [app>=2]}"),
  );
  await createRegistry(options());
  const old = view(await createRegistry(options()));
  ok(old.diagnostics.some((d) => d.startsWith("requirement_unmet")));
  const newer = view(await createRegistry(options({ host: { name: "app", version: "2.0.0" } })));
  ok(!newer.diagnostics.some((d) => d.startsWith("requirement_unmet")));
  const fewer = view(
    await createRegistry(options({ categories: { endpoint: { description: "E" } } })),
  );
  ok(fewer.diagnostics.some((d) => d.startsWith("unknown_category")));
});

Deno.test("snapshot: broken manifests keep their diagnostics, positions included", async () => {
  const { dir, options } = await project();
  await Deno.writeTextFile(`${dir}/a.yaml`, "phase_hook:\n  one:\n    clas: ./a.ts\n");
  const fresh = view(await createRegistry(options({ snapshot: false })));
  ok(fresh.diagnostics.length > 0);
  await createRegistry(options());
  deepEqual(view(await createRegistry(options())), fresh);
});

Deno.test("snapshot: after an edit, each unchanged manifest is taken from the snapshot and written back as read", async () => {
  const { dir, cacheDir, options } = await project();
  await createRegistry(options());
  const files = await snapshotFiles(cacheDir);
  const manifests = `${cacheDir}/snapshots/${files.find((f) => !f.endsWith(".index.json"))}`;
  const finished = `${cacheDir}/snapshots/${files.find((f) => f.endsWith(".index.json"))}`;
  // b's entry says something b's manifest does not (its header's hash made to match), so a
  // discovery that shows it took the entry rather than parsing b again.
  const [header, ...lines] = (await Deno.readTextFile(manifests)).split("\n");
  const b = lines.findIndex((line) => line.includes("b.yaml"));
  ok(b >= 0 && lines.length === 2, "one line per manifest");
  lines[b] = lines[b]!.replace('"description":""', '"description":"from the snapshot"');
  ok(lines[b]!.includes("from the snapshot"));
  const body = lines.join("\n");
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body));
  const hex = [...new Uint8Array(digest)].map((x) => x.toString(16).padStart(2, "0")).join("");
  const fields = { ...JSON.parse(header!), body: `sha256-${hex}` };
  await Deno.writeTextFile(manifests, `${JSON.stringify(fields)}\n${body}`);
  await Deno.remove(finished);
  await Deno.writeTextFile(`${dir}/a.yaml`, B);
  const registry = await createRegistry(options());
  const chat = registry.plugins().find((p) => p.name === "b")!.implementations[0]!;
  equal(chat.description, "from the snapshot");
  ok(registry.plugins().find((p) => p.name === "a")!.implementations[0]!.name === "two");
  const after = (await Deno.readTextFile(manifests)).split("\n").slice(1);
  ok(after.includes(lines[b]!), "b's line written back as it was read");
  ok(!after.includes(lines[1 - b]!), "a's line written anew");
});

async function corrupt(file: string, check: () => Promise<void>) {
  const good = await Deno.readTextFile(file);
  const [header, body] = [good.slice(0, good.indexOf("\n")), good.slice(good.indexOf("\n") + 1)];
  const forged = body.replaceAll("a/one", "a/evil").replaceAll('"one"', '"evil"');
  ok(forged !== body);
  const cases = [
    "not json at all",
    good.slice(0, good.length / 2), // truncated
    `${header}\n${forged}`, // body changed, header kept
    `${header.replace('"version":"', '"version":"9')}\n${body}`, // another plugmap version
    `{"format":"something-else"}\n${body}`, // foreign
    "",
  ];
  for (const text of cases) {
    await Deno.writeTextFile(file, text);
    await check();
    notEqual(await Deno.readTextFile(file), text, `rewritten: ${text.slice(0, 40)}`);
  }
}

Deno.test("snapshot: a corrupt, foreign or other-version snapshot is ignored and rewritten", async () => {
  const { cacheDir, options } = await project();
  const fresh = view(await createRegistry(options()));
  const files = await snapshotFiles(cacheDir);
  const manifests = `${cacheDir}/snapshots/${files.find((f) => !f.endsWith(".index.json"))}`;
  const finished = `${cacheDir}/snapshots/${files.find((f) => f.endsWith(".index.json"))}`;
  // The manifests' snapshot is read only when the finished index is not taken.
  await corrupt(manifests, async () => {
    await Deno.remove(finished);
    deepEqual(view(await createRegistry(options())), fresh);
  });
  await corrupt(finished, async () => {
    deepEqual(view(await createRegistry(options())), fresh);
  });
});

// Everything a host can see: plugins, diagnostics, and each name's candidates in order.
function whole(registry: Registry) {
  return {
    plugins: registry.plugins(),
    diagnostics: registry.diagnostics,
    categories: registry.categories(),
    explained: registry.categories().flatMap(({ name: category }) => {
      const factory = registry.factory(category);
      const names = new Set(
        registry.plugins().flatMap((p) =>
          p.implementations.filter((i) => i.category === category).map((i) => i.name)
        ),
      );
      return [...names].map((name) => factory.explain(name));
    }),
  };
}

Deno.test("snapshot: the finished index is taken whole when nothing changed, precedence included", async () => {
  const { dir, cacheDir, options } = await project();
  // c ties with a for "one" (a wins by map order), d's "one" is disabled and its "two" beats
  // a's by priority (a later candidate sorted first), e's requirement is unmet.
  await Deno.writeTextFile(`${dir}/a.yaml`, `${A}  two: ./a.ts#Two\n`);
  await Deno.writeTextFile(`${dir}/c.yaml`, "plugin: {name: c}\nphase_hook:\n  one: ./c.ts\n");
  await Deno.writeTextFile(
    `${dir}/d.yaml`,
    "phase_hook:\n  one: {class: ./d.ts, enabled: false}\n  two: {class: ./d.ts, priority: 5}\n",
  );
  await Deno.writeTextFile(
    `${dir}/e.yaml`,
    "plugin: {requires: {app: '>=9'}}\nendpoint:\n  chat: ./e.ts\n",
  );
  const map = parsePluginMap(
    { a: "./a.yaml", b: "./b.yaml", c: "./c.yaml", d: "./d.yaml", e: "./e.yaml" },
    { url: `file://${dir}/app.json` },
  );
  for (const categories of ["declared" as const, undefined]) {
    const extra = { plugins: map, ...(categories ? { categories } : {}) };
    const fresh = whole(await createRegistry(options({ ...extra, snapshot: false })));
    ok(fresh.diagnostics.some((d) => d.code === "priority_tie"));
    ok(fresh.diagnostics.some((d) => d.code === "requirement_unmet"));
    deepEqual(whole(await createRegistry(options(extra))), fresh, "filled");
    // Taken whole: the manifests' snapshot is not even opened, so it is not written again.
    const files = await snapshotFiles(cacheDir);
    for (const file of files.filter((f) => !f.endsWith(".index.json"))) {
      await Deno.remove(`${cacheDir}/snapshots/${file}`);
    }
    deepEqual(whole(await createRegistry(options(extra))), fresh, "taken whole");
    equal((await snapshotFiles(cacheDir)).length, files.length - 1);
  }
});

Deno.test("snapshot: no finished index when a category checks metadata with a schema", async () => {
  const { cacheDir, options } = await project();
  let checked = 0;
  const metadata = {
    "~standard": {
      version: 1 as const,
      vendor: "test",
      validate: (value: unknown) => {
        checked++;
        return { value };
      },
    },
  };
  const categories = {
    phase_hook: { description: "Hooks", metadata },
    endpoint: { description: "Endpoints" },
  };
  await createRegistry(options({ categories }));
  await createRegistry(options({ categories }));
  equal(checked, 2, "the schema ran on each discovery");
  ok(!(await snapshotFiles(cacheDir)).some((f) => f.endsWith(".index.json")));
});

Deno.test("snapshot: off with snapshot: false, and with --no-cache on the command line", async () => {
  const { dir, cacheDir, options } = await project();
  await createRegistry(options({ snapshot: false }));
  deepEqual(await snapshotFiles(cacheDir), []);
  await Deno.writeTextFile(`${dir}/deno.json`, JSON.stringify({ plugins: { a: "./a.yaml" } }));
  const env = Deno.env.get("PLUGMAP_CACHE");
  Deno.env.set("PLUGMAP_CACHE", cacheDir);
  try {
    const io = { out: () => {}, err: () => {}, colorOut: false, colorErr: false, cwd: dir };
    equal(await main(["list", "--no-cache"], io), 0);
    deepEqual(await snapshotFiles(cacheDir), []);
    equal(await main(["list"], io), 0);
    equal((await snapshotFiles(cacheDir)).length, 2);
  } finally {
    if (env === undefined) Deno.env.delete("PLUGMAP_CACHE");
    else Deno.env.set("PLUGMAP_CACHE", env);
  }
});

Deno.test("snapshot: a cache directory that cannot be written is skipped, never an error", async () => {
  const { dir, options } = await project();
  const expected = view(await createRegistry(options({ snapshot: false })));
  // A file where the directory should be: nothing can be created under it.
  await Deno.writeTextFile(`${dir}/blocked`, "not a directory");
  for (let run = 0; run < 2; run++) {
    deepEqual(view(await createRegistry(options({ cacheDir: `${dir}/blocked` }))), expected);
  }
  deepEqual(await snapshotFiles(`${dir}/blocked`), []);
  // A directory without write permission (root writes anyway: then the snapshot is simply kept).
  await Deno.mkdir(`${dir}/readonly`, { mode: 0o555 });
  for (let run = 0; run < 2; run++) {
    deepEqual(view(await createRegistry(options({ cacheDir: `${dir}/readonly` }))), expected);
  }
  await Deno.chmod(`${dir}/readonly`, 0o755);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("snapshot: a number JSON cannot carry (.nan, .inf) is never stored as null", async () => {
  const { dir, options } = await project();
  await Deno.writeTextFile(
    `${dir}/a.yaml`,
    "phase_hook:\n  one: {class: ./a.ts, metadata: {x: .nan, y: .inf, z: null}}\n",
  );
  for (let run = 0; run < 3; run++) {
    const [one] = (await createRegistry(options())).plugin("a")!.implementations;
    deepEqual(one?.metadata, { x: NaN, y: Infinity, z: null }, `run ${run}`);
  }
});

// A local manifest is kept as bytes and decoded only on a miss (the finished index is keyed by the
// bytes): one that is not UTF-8 gets the same not_text diagnostic, and a byte-order mark is taken
// off, whether the snapshots are off, being filled or used, and when only its bytes change.
Deno.test("snapshot: undecoded local bytes give what decoded text gives", async () => {
  const { dir, cacheDir, options } = await project();
  await Deno.writeFile(`${dir}/b.yaml`, new Uint8Array([0xff, 0xfe, 0xc3, 0x28]));
  await Deno.writeTextFile(`${dir}/a.yaml`, `\uFEFF${A}`);
  const fresh = whole(await createRegistry(options({ snapshot: false })));
  deepEqual(fresh.diagnostics.map((d) => `${d.plugin} ${d.code}`), ["b not_text"]);
  deepEqual(fresh.plugins.map((p) => p.status), ["ok", "broken"]);
  deepEqual(whole(await createRegistry(options())), fresh, "filled");
  deepEqual(whole(await createRegistry(options())), fresh, "taken whole");
  // Other bytes, other key: a byte that makes it UTF-8 is read again, not taken from the index.
  await Deno.writeFile(`${dir}/b.yaml`, new Uint8Array([0x7b, 0x7d, 0x0a]));
  const fixed = whole(await createRegistry(options({ snapshot: false })));
  deepEqual(fixed.diagnostics, []);
  deepEqual(whole(await createRegistry(options())), fixed, "after the change");
  ok((await snapshotFiles(cacheDir)).length > 0);
});
