// The rerank routes: POST /v1/ranking (NIM: {query: {text}, passages: [{text}]} -> {rankings:
// [{index, logit}]}), /rerank (Hugging Face TEI: {query, texts} -> [{index, score}]) and
// /v2/rerank (Cohere: {query, documents} -> {results: [{index, relevance_score}]}). Answered
// after ttftMs, passages scored by the words they share with the query, best first.

import { sleepUntil } from "../_sleep.ts";
import { errorResponse } from "./_openai_responses.ts";
import { isObject, readJsonObject } from "./_request_body.ts";
import type { ServerContext } from "./_server_context.ts";

/** The handler of one rerank shape. */
export function rankingsRoute(shape: "nim" | "tei" | "cohere") {
  return async (request: Request, context: ServerContext, arrived: number) => {
    const body = await readJsonObject(request);
    if (body instanceof Response) return body;
    const query = shape === "nim"
      ? (isObject(body.query) ? body.query.text : undefined)
      : body.query;
    const raw = shape === "nim" ? body.passages : shape === "tei" ? body.texts : body.documents;
    const passages = Array.isArray(raw)
      ? raw.map((p) => shape === "nim" ? (isObject(p) ? p.text : undefined) : p)
      : [];
    if (
      typeof query !== "string" || passages.length === 0 ||
      !passages.every((p): p is string => typeof p === "string")
    ) {
      const field = shape === "nim"
        ? "query.text and passages[].text"
        : shape === "tei"
        ? "query and texts"
        : "query and documents";
      return errorResponse(400, `"${field}" must be text`, undefined, field);
    }
    const fault = context.admit();
    if (fault !== undefined) return fault;
    if (!await sleepUntil(arrived + context.settings.ttftMs, context.shutdown)) {
      return errorResponse(503, "Server shutting down", "server_error");
    }
    const words = new Set(query.toLowerCase().split(/\s+/));
    const scored = passages.map((text, index) => ({
      index,
      score: text.toLowerCase().split(/\s+/).filter((w) => words.has(w)).length /
        (1 + text.split(/\s+/).length),
    })).sort((a, b) => b.score - a.score);
    if (shape === "tei") return Response.json(scored.map(({ index, score }) => ({ index, score })));
    if (shape === "cohere") {
      return Response.json({
        id: context.nextId("rerank"),
        results: scored.map(({ index, score }) => ({ index, relevance_score: score })),
      });
    }
    let tokens = await context.countPromptTokens(query);
    for (const text of passages) tokens += await context.countPromptTokens(text);
    return Response.json({
      rankings: scored.map(({ index, score }) => ({ index, logit: score })),
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  };
}
