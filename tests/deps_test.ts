// The main job downloads only what it runs: deno.json's import map holds only packages the
// shipped code (mod.ts, src/) imports, because `deno task bench` on an empty DENO_DIR fetches every
// package the map names. Test-only packages are written in full where tests import them
// (`npm:fast-check@^4.3.0`).
import { equal } from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);

async function sources(dir: URL): Promise<string[]> {
  const texts: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
    if (entry.isDirectory) texts.push(...await sources(url));
    else if (/\.(ts|js|yaml)$/.test(entry.name)) texts.push(await Deno.readTextFile(url));
  }
  return texts;
}

Deno.test("deno.json imports only packages the shipped code uses (no test-only package)", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  const shipped = [
    await Deno.readTextFile(new URL("mod.ts", ROOT)),
    ...await sources(new URL("src/", ROOT)),
  ].join("\n");
  const unused = Object.values(config.imports as Record<string, string>)
    .map((target) => /^npm:\/?((?:@[^/@]+\/)?[^/@]+)/.exec(target)?.[1])
    .filter((name): name is string => name !== undefined && !shipped.includes(`npm:${name}@`));
  equal(
    unused.join(", "),
    "",
    "deno.json imports packages src/ never imports; `deno task bench` would download them. " +
      "Write test-only packages in full in the tests (npm:name@range) instead",
  );
});

Deno.test("bench.lock holds exactly the packages mod.ts and src/bench/ resolve to", async () => {
  const { BENCH_LOCK, writeBenchLock } = await import("../scripts/bench_lock.ts");
  const dir = await Deno.makeTempDir();
  try {
    const fresh = `${dir}/bench.lock`;
    const { ok, message } = await writeBenchLock(fresh);
    equal(ok, true, message);
    const packages = async (path: string | URL) => {
      const lock = JSON.parse(await Deno.readTextFile(path));
      return Object.keys(lock.npm ?? {}).sort().join(", ");
    };
    equal(
      await packages(BENCH_LOCK),
      await packages(fresh),
      "bench.lock is stale: run `deno task lock:bench` and commit it",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno.json configures no lock; the bench's tasks use bench.lock", async () => {
  // `deno task` installs every package of the configured lock before any task runs.
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  equal(config.lock, false);
  for (const task of ["bench", "serve", "bench:report", "bench:k8s"]) {
    equal(String(config.tasks[task]).startsWith("deno run --lock=bench.lock "), true, task);
  }
});

Deno.test("the committed locks pin no loopback module (a test server's port comes back with other code)", async () => {
  // `deno task test` copies deno.lock into .test.lock. A module a test served on 127.0.0.1:PORT,
  // once in a committed lock, fails a later run whose server gets the same port and path with
  // other code: Deno's integrity error then ends the whole test process.
  for (const name of ["deno.lock", "bench.lock"]) {
    const lock = JSON.parse(await Deno.readTextFile(new URL(name, ROOT)));
    const loopback = Object.keys(lock.remote ?? {})
      .filter((url) => /^https?:\/\/(127\.|localhost|\[::1\])/.test(url));
    equal(loopback.join("\n"), "", `${name} pins loopback modules: remove them`);
  }
});
