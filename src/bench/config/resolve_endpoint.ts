import type { BenchmarkFile } from "./benchmark_file.ts";
import type { BenchArgs } from "./parse_bench_args.ts";
import type { SelectionSetting } from "./types.ts";
import { DEFAULTS } from "./_defaults.ts";

/**
 * Chooses the endpoint: the file's (or `openai_chat`), its config overridden by the flags.
 *
 * @param args The parsed flags.
 * @param file The benchmark file (`{}` without one).
 * @returns The endpoint to create.
 *
 * @example
 * ```ts
 * import { resolveEndpoint } from "./resolve_endpoint.ts";
 *
 * const endpoint = resolveEndpoint({ url: "http://127.0.0.1:8000", requestTimeoutSeconds: 2 }, {});
 * if (endpoint.name !== "openai_chat" || endpoint.config.timeout_ms !== 2000) throw new Error();
 * ```
 */
export function resolveEndpoint(args: BenchArgs, file: BenchmarkFile): SelectionSetting {
  const chosen = file.endpoint ?? { name: DEFAULTS.endpoint, config: {} };
  const config: Record<string, unknown> = { ...chosen.config };
  if (args.url !== undefined) config.url = args.url;
  if (args.model !== undefined) config.model = args.model;
  if (args.streaming !== undefined) config.streaming = args.streaming;
  if (args.thinkTags !== undefined) config.think_tags = args.thinkTags;
  if (args.endpointPath !== undefined) config.path = args.endpointPath;
  if (args.apiKey !== undefined) config.api_key = args.apiKey;
  if (args.headers !== undefined) config.headers = { ...config.headers as object, ...args.headers };
  if (args.extraInputs !== undefined) {
    config.extra_body = { ...config.extra_body as object, ...args.extraInputs };
  }
  if (args.modelSelection !== undefined) config.model_selection = args.modelSelection;
  if (args.modelSelection === "random" && args.randomSeed !== undefined) {
    config.seed = args.randomSeed;
  }
  // AIPerf's rankings endpoint types name the reranker's API: the shape of the rankings endpoint.
  const shape = { hf_tei_rankings: "tei", cohere_rankings: "cohere", nim_rankings: "nim" }[
    args.endpointType as string
  ];
  if (shape !== undefined) config.shape = shape;
  if (args.requestTimeoutSeconds !== undefined) {
    config.timeout_ms = Math.round(args.requestTimeoutSeconds * 1000);
  }
  return { name: args.endpoint ?? chosen.name, config, field: "endpoint" };
}
