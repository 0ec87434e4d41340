// GET /v1/models: the one model name the server lists (requests may name any model).

import type { ServerContext } from "./_server_context.ts";

/** Lists the configured model. */
export function modelsRoute(_request: Request, context: ServerContext): Response {
  return Response.json({
    object: "list",
    data: [{ id: context.settings.model, object: "model", created: 0, owned_by: "plugmap" }],
  });
}
