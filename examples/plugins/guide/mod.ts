/**
 * The worked examples of the guide "Writing a benchmark plugin": a CSV exporter, a phase hook,
 * an endpoint for TGI's `/generate_stream` and a dataset of prompt lines, each typed with the
 * contracts of `jsr:@plugmap/plugmap/bench`.
 *
 * @example
 * ```ts
 * import { TgiEndpoint } from "./mod.ts";
 *
 * const endpoint = new TgiEndpoint({ url: "http://127.0.0.1:8080", max_new_tokens: 8 });
 * if (endpoint.url !== "http://127.0.0.1:8080/generate_stream") throw new Error(endpoint.url);
 * ```
 *
 * @module
 */
export * from "./records_csv.ts";
export * from "./phase_log.ts";
export * from "./tgi_endpoint.ts";
export * from "./prompt_lines.ts";
