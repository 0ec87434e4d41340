// POST /v1/responses: OpenAI's Responses API, on the same token clock as the chat route.
// Streamed as typed events (response.created, response.reasoning_text.delta,
// response.output_text.delta, response.completed with the usage), or one response object.

import { sleepUntil } from "../_sleep.ts";
import { errorResponse } from "./_openai_responses.ts";
import { isObject, mediaProblem, readJsonObject } from "./_request_body.ts";
import type { ServerContext } from "./_server_context.ts";
import { sse, streamEvents } from "./_stream_events.ts";
import { tokenSchedule } from "./_token_schedule.ts";

/** Answers a Responses request. */
export async function responsesRoute(
  request: Request,
  context: ServerContext,
  arrived: number,
): Promise<Response> {
  const body = await readJsonObject(request);
  if (body instanceof Response) return body;
  const prompt = inputText(body.input);
  if (prompt === undefined) {
    return errorResponse(400, '"input" must be a string or a list of messages', undefined, "input");
  }
  const media = mediaProblem(body.input);
  if (media !== undefined) return errorResponse(400, media, undefined, "input");
  const limit = body.max_output_tokens;
  if (limit !== undefined && limit !== null && !(Number.isInteger(limit) && Number(limit) >= 1)) {
    return errorResponse(
      400,
      '"max_output_tokens" must be a positive integer',
      undefined,
      "max_output_tokens",
    );
  }
  const fault = context.admit();
  if (fault !== undefined) return fault;
  const s = context.settings;
  const output = typeof limit === "number" ? Math.min(limit, s.outputTokens) : s.outputTokens;
  const schedule = tokenSchedule({
    arrived,
    ttftMs: s.ttftMs,
    itlMs: s.itlMs,
    thinking: s.reasoningTokens,
    output,
    perChunk: s.tokensPerChunk,
  });
  const id = context.nextId("resp");
  const model = typeof body.model === "string" ? body.model : s.model;
  const instructions = typeof body.instructions === "string" ? body.instructions : "";
  const inputTokens = await context.countPromptTokens(
    instructions === "" ? prompt : `${instructions}\n${prompt}`,
  );
  const usage = {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: schedule.total,
    output_tokens_details: { reasoning_tokens: schedule.thinking },
    total_tokens: inputTokens + schedule.total,
  };
  const object = (status: string, done: boolean) => ({
    id,
    object: "response",
    created_at: Math.floor(Date.now() / 1000),
    status,
    model,
    output: done
      ? outputItems(
        id,
        schedule.textOf(0, schedule.thinking),
        schedule.textOf(schedule.thinking, schedule.total),
      )
      : [],
    usage: done && s.usage ? usage : null,
    error: null,
  });
  if (body.stream !== true) {
    if (!await sleepUntil(schedule.tokenAt(schedule.total - 1), context.shutdown)) {
      return errorResponse(503, "Server shutting down", "server_error");
    }
    return Response.json(object("completed", true));
  }
  let sequence = 0;
  const event = (type: string, fields: Record<string, unknown>) =>
    sse(JSON.stringify({ type, sequence_number: sequence++, ...fields }), type);
  return streamEvents(schedule, {
    opening: [event("response.created", { response: object("in_progress", false) })],
    chunk(from, to) {
      const reasoning = from < schedule.thinking;
      return event(reasoning ? "response.reasoning_text.delta" : "response.output_text.delta", {
        item_id: `${reasoning ? "rs" : "msg"}_${id}`,
        output_index: reasoning || schedule.thinking === 0 ? 0 : 1,
        content_index: 0,
        delta: schedule.textOf(from, to),
      });
    },
    closing: () => event("response.completed", { response: object("completed", true) }),
  }, context.shutdown);
}

// The output items of a finished response: a reasoning item (when there was reasoning), then
// the assistant message.
function outputItems(id: string, reasoning: string, text: string): unknown[] {
  const message = {
    type: "message",
    id: `msg_${id}`,
    status: "completed",
    role: "assistant",
    content: [{ type: "output_text", text, annotations: [] }],
  };
  if (reasoning === "") return [message];
  return [
    {
      type: "reasoning",
      id: `rs_${id}`,
      summary: [],
      content: [{ type: "reasoning_text", text: reasoning }],
    },
    message,
  ];
}

// The text of `input`: a string, or messages whose content is a string or input_text parts.
function inputText(input: unknown): string | undefined {
  if (typeof input === "string") return input;
  if (!Array.isArray(input) || input.length === 0) return undefined;
  const parts: string[] = [];
  for (const message of input) {
    if (!isObject(message)) return undefined;
    const content = message.content;
    if (typeof content === "string") parts.push(content);
    else if (Array.isArray(content)) {
      for (const part of content) {
        if (isObject(part) && typeof part.text === "string") parts.push(part.text);
      }
    }
  }
  return parts.join("\n");
}
