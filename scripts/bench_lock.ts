/**
 * Writes `bench.lock`: the lock file of the benchmark's tasks (`deno task bench`, `serve`,
 * `bench:report`, `bench:k8s`), holding only the packages `mod.ts` and `src/bench/` import.
 * Deno installs every package of a run's lock file before running it, and `deno task` every
 * package of the configured one; deno.lock also holds the tests' packages (puppeteer-core,
 * openai, fast-check, kubernetes-models, ...), so deno.json configures no lock (`"lock": false`)
 * and each task names its own. Run `deno task lock:bench` after changing a dependency of src/;
 * `tests/deps_test.ts` fails until you do.
 *
 * @module
 */

/** `bench.lock`, from the repository root. */
export const BENCH_LOCK: URL = new URL("../bench.lock", import.meta.url);

/** Every module of the benchmark, relative to the repository root. */
export async function benchModules(): Promise<string[]> {
  const root = new URL("../", import.meta.url);
  const files = ["mod.ts"];
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(new URL(dir, root))) {
      const path = `${dir}${entry.name}`;
      if (entry.isDirectory) await walk(`${path}/`);
      else if (entry.name.endsWith(".ts")) files.push(path);
    }
  };
  await walk("src/bench/");
  return files.sort();
}

/**
 * Resolves the benchmark's modules into a lock file at `lock` (created afresh), from the
 * packages already in the cache; returns whether it succeeded, and Deno's message.
 */
export async function writeBenchLock(lock: string): Promise<{ ok: boolean; message: string }> {
  await Deno.remove(lock).catch(() => {});
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["cache", `--lock=${lock}`, ...await benchModules()],
    cwd: new URL("../", import.meta.url),
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { ok: output.success, message: new TextDecoder().decode(output.stderr) };
}

if (import.meta.main) {
  const { ok, message } = await writeBenchLock(BENCH_LOCK.pathname);
  if (!ok) {
    console.error(message);
    Deno.exit(1);
  }
  console.log(`Wrote ${BENCH_LOCK.pathname}`);
}
