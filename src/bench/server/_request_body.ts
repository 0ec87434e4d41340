// Readers for request bodies: the JSON object itself and the prompt text inside it.

import { errorResponse } from "./_openai_responses.ts";

/** True for a plain JSON object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads the body as a JSON object, or returns the 400 response to send. */
export async function readJsonObject(
  request: Request,
): Promise<Record<string, unknown> | Response> {
  try {
    const parsed: unknown = await request.json();
    if (!isObject(parsed)) return errorResponse(400, "The request body must be a JSON object");
    return parsed;
  } catch {
    return errorResponse(400, "The request body is not valid JSON");
  }
}

/** The text of chat `messages` (string contents and text parts), or undefined when malformed. */
export function chatPrompt(messages: unknown): string | undefined {
  if (!Array.isArray(messages) || messages.length === 0) return undefined;
  const parts: string[] = [];
  for (const message of messages) {
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

/** The text of a completions `prompt` (a string or strings), or undefined when malformed. */
export function textPrompt(prompt: unknown): string | undefined {
  if (typeof prompt === "string") return prompt;
  if (Array.isArray(prompt) && prompt.every((p) => typeof p === "string")) {
    return prompt.join("\n");
  }
  return undefined;
}

/**
 * The output length asked for (`max_completion_tokens`, else `max_tokens`): a number, undefined
 * when absent, or the 400 response to send when it is not a positive integer.
 */
export function maxTokensOf(body: Record<string, unknown>): number | undefined | Response {
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens === undefined || maxTokens === null) return undefined;
  if (typeof maxTokens === "number" && Number.isInteger(maxTokens) && maxTokens >= 1) {
    return maxTokens;
  }
  return errorResponse(400, '"max_tokens" must be a positive integer', undefined, "max_tokens");
}
