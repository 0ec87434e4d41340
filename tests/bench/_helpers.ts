// Shared helpers of the bench tests: free ports, quick raw servers, running main in process.

import { main } from "../../src/bench/main.ts";

/** A port nothing listens on (bound, then released). */
export function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Serves `handler` on a free loopback port until the returned `close()`. */
export function serveLoopback(
  handler: (request: Request) => Response | Promise<Response>,
): { url: string; close: () => Promise<void> } {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  return { url: `http://127.0.0.1:${server.addr.port}`, close: () => server.shutdown() };
}

/** Runs `deno task bench` in this process, capturing its output. */
export async function runMain(
  argv: readonly string[],
  interrupt?: AbortSignal,
): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const status = await main(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    terminal: false,
    signals: false,
    ...(interrupt === undefined ? {} : { interrupt }),
  });
  return { status, stdout, stderr };
}

/** Writes files under a new temporary directory; returns its path. */
export async function tempTree(files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "plugmap-bench-" });
  for (const [path, text] of Object.entries(files)) {
    const full = `${dir}/${path}`;
    await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(full, text);
  }
  return dir;
}

/** The repository root, as a path. */
export const ROOT = new URL("../../", import.meta.url).pathname;

/**
 * Starts an independent test server (`command script '<options JSON>'`, e.g. python3 or node),
 * which prints its port on its first line, runs `fn` with its URL, then kills it.
 */
export async function withServerProcess<T>(
  command: string,
  script: string,
  options: Record<string, unknown>,
  fn: (url: string) => Promise<T>,
): Promise<T> {
  const child = new Deno.Command(command, {
    args: [script, JSON.stringify(options)],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the ${command} server ${script} did not start`);
    text += value;
  }
  try {
    return await fn(`http://127.0.0.1:${text.trim()}`);
  } finally {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone (a server told to crash)
    }
    await child.status;
    await reader.cancel().catch(() => {});
  }
}
