/**
 * `deno task serve`: runs the embedded OpenAI-compatible server on its own, with deterministic
 * timings, so other tools can be pointed at it. Run with `--help` for the flags.
 *
 * @module
 */
import { parseServeArgs, SERVE_HELP } from "./config/parse_serve_args.ts";
import { startServer } from "./server/start_server.ts";

export { SERVE_HELP };

/**
 * Parses the flags, starts the server and waits for Ctrl-C.
 *
 * @param argv The command-line arguments.
 * @returns The exit status: 0 after Ctrl-C, 2 for bad flags.
 *
 * @example
 * ```ts
 * import { serve } from "./serve.ts";
 *
 * if (await serve(["--port=70000"]) !== 2) throw new Error("bad port accepted");
 * ```
 */
export async function serve(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseServeArgs(argv);
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    return 2;
  }
  if (parsed.help) {
    console.log(SERVE_HELP);
    return 0;
  }
  const server = await startServer(parsed.options);
  console.log(`Listening on ${server.url}`);
  const { promise, resolve } = Promise.withResolvers<void>();
  const stop = () => resolve();
  Deno.addSignalListener("SIGINT", stop);
  await promise;
  Deno.removeSignalListener("SIGINT", stop);
  await server.close();
  return 0;
}

if (import.meta.main) {
  Deno.exit(await serve(Deno.args));
}
