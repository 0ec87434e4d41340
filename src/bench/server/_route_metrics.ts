// GET /metrics: the server's state in the Prometheus text format, under vLLM's names.

import type { ServerContext } from "./_server_context.ts";

/** The handler of `/metrics`. */
export function metricsRoute(_request: Request, context: ServerContext): Response {
  return new Response(context.metrics.render(), {
    headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
  });
}
