// POST /v1/embeddings: one vector of 8 numbers per input, after ttftMs; usage counts tokens.

import { sleepUntil } from "../_sleep.ts";
import { errorResponse } from "./_openai_responses.ts";
import { readJsonObject } from "./_request_body.ts";
import type { ServerContext } from "./_server_context.ts";

/** Answers an embeddings request. */
export async function embeddingsRoute(
  request: Request,
  context: ServerContext,
  arrived: number,
): Promise<Response> {
  const body = await readJsonObject(request);
  if (body instanceof Response) return body;
  const input = body.input;
  const inputs = typeof input === "string"
    ? [input]
    : Array.isArray(input) && input.length > 0 && input.every((i) => typeof i === "string")
    ? input as string[]
    : undefined;
  if (inputs === undefined) {
    return errorResponse(400, '"input" must be a string or a list of strings', undefined, "input");
  }
  const fault = context.admit();
  if (fault !== undefined) return fault;
  if (!await sleepUntil(arrived + context.settings.ttftMs, context.shutdown)) {
    return errorResponse(503, "Server shutting down", "server_error");
  }
  let tokens = 0;
  for (const text of inputs) tokens += await context.countPromptTokens(text);
  return Response.json({
    object: "list",
    data: inputs.map((text, index) => ({
      object: "embedding",
      index,
      embedding: Array.from({ length: 8 }, (_, i) => ((text.length * 31 + i * 7) % 100) / 100),
    })),
    model: typeof body.model === "string" ? body.model : context.settings.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}
