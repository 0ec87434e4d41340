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
} {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}src/bench/main.ts`, ...args],
    cwd: ROOT,
    env,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const done = child.output().then((out) => ({
    status: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  }));
  return { child, done };
}

/** A free loopback port for a coordinator. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}
