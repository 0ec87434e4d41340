/**
 * `deno task serve`: runs the embedded OpenAI-compatible server on its own, with deterministic
 * timings, so other tools can be pointed at it. Run with `--help` for the flags.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { flagError } from "./_flag_error.ts";
import { type ServerOptions, startServer } from "./server/start_server.ts";

/** The `--help` text of `deno task serve`. */
export const SERVE_HELP = `Usage: deno task serve [options]

Runs an OpenAI-compatible server with deterministic timings: /v1/chat/completions,
/v1/completions (streamed or whole), /v1/models, /health. Stop it with Ctrl-C.

Options:
  --port P            port (default 8000; 0 = any free port)
  --host H            interface (default 127.0.0.1)
  --ttft-ms T         time to first token in ms (default 20)
  --itl-ms I          inter-token latency in ms (default 2)
  --output-tokens N   tokens per response, fewer if max_tokens is lower (default 32)
  --model NAME        model name /v1/models lists (default plugmap-mock)
  --error-every N     every N-th completion request fails with HTTP 500 (default 0: never)
  --reasoning-tokens N  reasoning tokens before the output (chat; default 0)
  --reasoning-field F   reasoning (vLLM's field, default) or reasoning_content
  --tokens-per-chunk N  tokens per streamed chunk (default 1)
  --no-usage          report no usage
  --crash-after N     go away after N completion requests (stop listening, cut streams)
  -h, --help          show this help
`;

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
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        help: { type: "boolean", short: "h" },
        port: { type: "string" },
        host: { type: "string" },
        "ttft-ms": { type: "string" },
        "itl-ms": { type: "string" },
        "output-tokens": { type: "string" },
        model: { type: "string" },
        "error-every": { type: "string" },
        "reasoning-tokens": { type: "string" },
        "reasoning-field": { type: "string" },
        "tokens-per-chunk": { type: "string" },
        "no-usage": { type: "boolean" },
        "crash-after": { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    const { flag, detail } = flagError(error);
    console.error(`error: Invalid flag ${flag}: ${detail}`);
    return 2;
  }
  if (values.help) {
    console.log(SERVE_HELP);
    return 0;
  }
  const number = (flag: string, value: string | undefined, integer: boolean, min: number) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (
      value.trim() === "" || !Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))
    ) {
      const expected = integer ? `an integer >= ${min}` : `a number >= ${min}`;
      throw new TypeError(`Invalid flag --${flag}: expected ${expected}, got "${value}"`);
    }
    return n;
  };
  let options: ServerOptions;
  try {
    const port = number("port", values.port, true, 0) ?? 8000;
    if (port > 65535) {
      throw new TypeError(`Invalid flag --port: expected at most 65535, got ${port}`);
    }
    const set = <T>(key: string, value: T | undefined) =>
      value === undefined ? {} : { [key]: value };
    options = {
      port,
      hostname: values.host ?? "127.0.0.1",
      ...set("ttftMs", number("ttft-ms", values["ttft-ms"], false, 0)),
      ...set("itlMs", number("itl-ms", values["itl-ms"], false, 0)),
      ...set("outputTokens", number("output-tokens", values["output-tokens"], true, 1)),
      ...set("errorEvery", number("error-every", values["error-every"], true, 0)),
      ...set("model", values.model),
      ...set("reasoningTokens", number("reasoning-tokens", values["reasoning-tokens"], true, 0)),
      ...set("tokensPerChunk", number("tokens-per-chunk", values["tokens-per-chunk"], true, 1)),
      ...set("crashAfter", number("crash-after", values["crash-after"], true, 1)),
      ...set("usage", values["no-usage"] ? false : undefined),
    };
    const field = values["reasoning-field"];
    if (field !== undefined) {
      if (field !== "reasoning" && field !== "reasoning_content") {
        throw new TypeError(
          `Invalid flag --reasoning-field: expected "reasoning" or "reasoning_content", got "${field}"`,
        );
      }
      options = { ...options, reasoningField: field as "reasoning" | "reasoning_content" };
    }
  } catch (error) {
    console.error(`error: ${(error as Error).message}`);
    return 2;
  }
  const server = await startServer(options);
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
