// The request loop of the OpenAI endpoints: send one request, then read the reply by its shape
// (an HTTP error, a whole JSON reply, or an event stream) into one timed result. The pieces it
// uses each have one job: settings (_openai_settings.ts), payloads as pure functions
// (_openai_payloads.ts), the event stream (_event_stream.ts), fetch failures (_fetch_error.ts).

import { oneLine } from "../_one_line.ts";
import { requestSignal } from "./_request_signal.ts";
import type { EndpointRequest, EndpointResult } from "../types.ts";
import { readEventStream } from "./_event_stream.ts";
import { failedRequest } from "./_fetch_error.ts";
import {
  choicesOf,
  errorOf,
  httpError,
  isObject,
  requestBody,
  usageOf,
} from "./_openai_payloads.ts";
import { splitThinkTags } from "./_think_tags.ts";
import type { OpenAISettings } from "./_openai_settings.ts";

/** Sends one request and times it; never rejects. */
export async function sendOpenAI(
  s: OpenAISettings,
  request: EndpointRequest,
): Promise<EndpointResult> {
  const model = request.preflight ? s.models[0]! : s.models[s.nextModel()]!;
  const json = JSON.stringify(requestBody(s, request, model));
  const guard = requestSignal(request.signal, s.timeoutMs);
  const signal = guard.signal;

  const start = performance.now();
  let status: number | undefined;
  try {
    const response = await fetch(s.url, { method: "POST", headers: s.headers, body: json, signal });
    status = response.status;
    if (!response.ok) return await failedStatus(response, start);
    if (!s.streaming) return await wholeReply(s, response, start);
    // A server may answer a streamed request with one JSON body: an error with status 200
    // (gateways, overloaded servers) or the whole reply (a server that ignores "stream").
    const type = response.headers.get("content-type") ?? "";
    if (/json/i.test(type) && !/event-stream/i.test(type)) {
      return await jsonInsteadOfStream(response, start);
    }
    return await readEventStream(
      s.kind,
      s.thinkTags,
      response,
      start,
      status,
      signal,
      request.onFirstToken,
    );
  } catch (error) {
    const cancelled = request.signal.aborted;
    const { timeoutMs, url } = s;
    return await failedRequest(error, {
      start,
      status,
      cancelled,
      timedOut: guard.timedOut(),
      timeoutMs,
      url,
    });
  } finally {
    guard.dispose();
  }
}

// A status other than 2xx. A 429 is the server refusing the load: the benchmark measures that,
// it does not wait for the server's Retry-After and send again (nor does AIPerf); the error
// says so.
async function failedStatus(response: Response, start: number): Promise<EndpointResult> {
  const status = response.status;
  const text = await response.text();
  const retryAfter = response.headers.get("retry-after");
  return {
    start,
    end: performance.now(),
    status,
    error: httpError(status, text) +
      (status !== 429
        ? ""
        : retryAfter === null
        ? " (rate limited; not retried)"
        : ` (rate limited; Retry-After: ${oneLine(retryAfter).slice(0, 40)}, not retried)`),
    errorKind: status === 429 ? "rate_limited" : "http",
  };
}

// A reply that was not streamed: its texts and usage, timed at the end of the body.
async function wholeReply(
  s: OpenAISettings,
  response: Response,
  start: number,
): Promise<EndpointResult> {
  const status = response.status;
  const data: unknown = await response.json();
  const end = performance.now();
  const apiError = errorOf(data);
  if (apiError !== undefined) return { start, end, status, error: apiError, errorKind: "stream" };
  if (s.kind === "embeddings") {
    if (!isObject(data) || !Array.isArray(data.data) || data.data.length === 0) {
      return { start, end, status, error: "Response has no embeddings", errorKind: "response" };
    }
    // An embedding has no output tokens; the input is counted from usage or the tokenizer.
    return { start, end, status, usage: { ...usageOf(data), completion_tokens: 0 } };
  }
  const choices = choicesOf(s.kind, data, "message");
  const first = choices.find((c) => c.index === 0)?.parts;
  const usage = usageOf(data);
  if (first === undefined && usage === undefined) {
    return { start, end, status, error: "Response has no choices", errorKind: "response" };
  }
  const think = s.thinkTags && first ? splitThinkTags([first.output]) : undefined;
  const reasoning = (first?.reasoning ?? "") + (think?.reasoning ?? "");
  const several = Math.max(0, ...choices.map((c) => c.index + 1));
  return {
    start,
    end,
    status,
    outputText: think?.output ?? first?.output ?? "",
    ...(reasoning ? { reasoningText: reasoning } : {}),
    ...(usage === undefined ? {} : { usage }),
    ...(think === undefined ? {} : { thinkTags: true as const }),
    ...(several > 1 ? { choices: several } : {}),
  };
}

// One JSON body where an event stream was asked for: the server's error, or a failure that says
// what came instead.
async function jsonInsteadOfStream(response: Response, start: number): Promise<EndpointResult> {
  const status = response.status;
  const text = await response.text();
  const end = performance.now();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return {
      start,
      end,
      status,
      error: `Invalid JSON body: ${oneLine(text).slice(0, 80)}`,
      errorKind: "response",
    };
  }
  const apiError = errorOf(data);
  if (apiError !== undefined) return { start, end, status, error: apiError, errorKind: "stream" };
  return {
    start,
    end,
    status,
    error: "Expected an event stream (text/event-stream), got one JSON body without an error",
    errorKind: "response",
  };
}
