// POST /v1/chat/completions and /v1/completions: a deterministic answer, streamed as
// server-sent events ending in `data: [DONE]`, or whole after its last token is due.

import { sleepUntil } from "../_sleep.ts";
import {
  chunk,
  completion,
  type CompletionKind,
  errorResponse,
  reasoningChunk,
  type ResponseHead,
  usage,
  usageChunk,
} from "./_openai_responses.ts";
import {
  chatPrompt,
  isObject,
  maxTokensOf,
  mediaProblem,
  readJsonObject,
  textPrompt,
} from "./_request_body.ts";
import type { ServerContext } from "./_server_context.ts";
import { sse, streamEvents } from "./_stream_events.ts";
import { tokenSchedule } from "./_token_schedule.ts";
import { trackedResponse } from "./_vllm_metrics.ts";

/** The handler of the chat (`kind` "chat") or text completions route. */
export function completionsRoute(kind: CompletionKind) {
  return async (request: Request, context: ServerContext, arrived: number) => {
    const body = await readJsonObject(request);
    if (body instanceof Response) return body;
    const prompt = kind === "chat" ? chatPrompt(body.messages) : textPrompt(body.prompt);
    if (prompt === undefined) {
      return kind === "chat"
        ? errorResponse(
          400,
          '"messages" must be a non-empty array of messages',
          undefined,
          "messages",
        )
        : errorResponse(
          400,
          '"prompt" must be a string or an array of strings',
          undefined,
          "prompt",
        );
    }
    const media = kind === "chat" ? mediaProblem(body.messages) : undefined;
    if (media !== undefined) return errorResponse(400, media, undefined, "messages");
    const limit = maxTokensOf(body);
    if (limit instanceof Response) return limit;
    const fault = context.admit();
    if (fault !== undefined) return fault;
    const settings = context.settings;
    const length = body.ignore_eos === true && limit !== undefined
      ? limit
      : Math.min(limit ?? settings.outputTokens, settings.outputTokens);
    const finishReason = limit !== undefined && length >= limit ? "length" : "stop";
    const head: ResponseHead = {
      id: context.nextId(kind === "chat" ? "chatcmpl" : "cmpl"),
      created: Math.floor(Date.now() / 1000),
      model: typeof body.model === "string" ? body.model : settings.model,
    };
    const thinking = kind === "chat" ? settings.reasoningTokens : 0;
    const schedule = tokenSchedule({
      arrived,
      ttftMs: settings.ttftMs,
      itlMs: settings.itlMs,
      thinking,
      output: length,
      perChunk: settings.tokensPerChunk,
    });
    const promptTokens = await context.countPromptTokens(prompt);
    const u = usage(promptTokens, schedule.total, thinking);
    // The server's own /metrics (vLLM's names): this request runs until its answer is out.
    const tracked = context.metrics.start(arrived, promptTokens);
    const field = settings.reasoningField;

    if (body.stream !== true) {
      const reached = await sleepUntil(schedule.tokenAt(schedule.total - 1), context.shutdown);
      if (!reached) {
        tracked.end("abort");
        return errorResponse(503, "Server shutting down", "server_error");
      }
      tracked.firstToken(schedule.tokenAt(0));
      tracked.tokens(1, schedule.tokenAt(0));
      tracked.tokens(schedule.total - 1, schedule.tokenAt(schedule.total - 1));
      const reasoning = thinking > 0 ? { field, text: schedule.textOf(0, thinking) } : undefined;
      const text = schedule.textOf(thinking, schedule.total);
      const reported = settings.usage ? u : undefined;
      const response = new Response(
        completion(kind, head, text, finishReason, reported, reasoning),
        { headers: { "content-type": "application/json" } },
      );
      return trackedResponse(response, tracked, finishReason);
    }

    const includeUsage = settings.usage && isObject(body.stream_options) &&
      body.stream_options.include_usage === true;
    return trackedResponse(
      streamEvents(schedule, {
        // A streamed chat response starts with a role-only chunk at once, as real servers do.
        opening: kind === "chat" ? [sse(chunk(kind, head, "", null, true))] : [],
        chunk(from, to, last) {
          const now = performance.now();
          tracked.firstToken(now);
          tracked.tokens(to - from, now);
          const piece = schedule.textOf(from, to);
          return sse(
            from < thinking
              ? reasoningChunk(head, field, piece)
              : chunk(kind, head, piece, last ? finishReason : null),
          );
        },
        closing: () => (includeUsage ? sse(usageChunk(kind, head, u)) : "") + "data: [DONE]\n\n",
      }, context.shutdown),
      tracked,
      finishReason,
    );
  };
}
