// Runs shards of one benchmark as separate `deno run src/bench/main.ts` processes.
import { ROOT } from "../_helpers.ts";

/** A shard process's end. */
export interface ShardExit {
  readonly status: number;
  readonly stderr: string;
  readonly stdout: string;
}

/** Starts one shard process; `args` are the bench flags (with --shard). */
export function spawnShard(args: readonly string[], env: Record<string, string> = {}): {
  child: Deno.ChildProcess;
  done: Promise<ShardExit>;
  /** Resolves once standard error has shown `text`. */
  saw(text: string): Promise<void>;
} {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}src/bench/main.ts`, ...args],
    cwd: ROOT,
    env,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  const watchers: { text: string; resolve: () => void }[] = [];
  const read = (async () => {
    const decoder = new TextDecoder();
    for await (const bytes of child.stderr) {
      stderr += decoder.decode(bytes, { stream: true });
      for (const w of watchers.filter((w) => stderr.includes(w.text))) w.resolve();
    }
  })();
  const stdout = new Response(child.stdout).text();
  const done = Promise.all([child.status, stdout, read]).then(([status, out]) => ({
    status: status.code,
    stdout: out,
    stderr,
  }));
  return {
    child,
    done,
    saw: (text) =>
      stderr.includes(text)
        ? Promise.resolve()
        : new Promise<void>((resolve) => watchers.push({ text, resolve })),
  };
}

/** A free loopback port for a coordinator. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}
