#!/usr/bin/env node
// A Responses API server (POST /v1/responses) written apart from plugmap's own: Node's
// node:http, writing OpenAI's typed events as they go on the wire ("event: <type>" then
// "data: {...}"), with response.created and response.in_progress first, an output_item.added /
// content_part.added before the deltas, the done events after them, and response.completed
// carrying the usage. It checks each request on arrival (400 with OpenAI's error body when the
// body is not a Responses request). Usage: node responses_server.mjs '<json>'; prints its port.
//
// Options (all optional):
//   ttft_ms, itl_ms: first delta time and the gap between deltas (ms from the request's arrival)
//   reasoning, output: delta counts (each delta is " hello", one token in cl100k/o200k)
//   fault: "error_event" (an error event after 2 deltas, then the stream ends),
//          "failed" (response.failed after 2 deltas), "close_mid" (socket destroyed after 2
//          deltas), "status_500"
import http from "node:http";

const o = JSON.parse(process.argv[2] ?? "{}");
const TOKEN = " hello";
let seq = 0;

const sleepUntil = (t0, ms) =>
  new Promise((r) => setTimeout(r, Math.max(0, t0 + ms - performance.now())));

function problem(body) {
  if (typeof body !== "object" || body === null) return "body is not a JSON object";
  if (typeof body.model !== "string") return "model is required";
  const input = body.input;
  const okInput = typeof input === "string" ||
    (Array.isArray(input) && input.length > 0 &&
      input.every((m) => m && typeof m.role === "string" && m.content !== undefined));
  if (!okInput) return "input must be a string or a list of messages";
  if ("messages" in body || "prompt" in body) return "messages/prompt are not Responses fields";
  if ("max_tokens" in body) return "use max_output_tokens";
  if (body.max_output_tokens !== undefined && !(body.max_output_tokens >= 1)) {
    return "max_output_tokens must be positive";
  }
  return undefined;
}

const server = http.createServer((req, res) => {
  const t0 = performance.now();
  let raw = "";
  req.on("data", (d) => (raw += d));
  req.on("end", async () => {
    let body;
    try {
      body = JSON.parse(raw);
    } catch {
      body = undefined;
    }
    const bad = req.url !== "/v1/responses" ? `no route ${req.url}` : problem(body);
    if (bad !== undefined || o.fault === "status_500") {
      res.writeHead(bad ? 400 : 500, { "content-type": "application/json" });
      res.end(JSON.stringify({
        error: { message: bad ?? "boom", type: "invalid_request_error", param: null, code: null },
      }));
      return;
    }
    const id = `resp_${++seq}`;
    const reasoning = o.reasoning ?? 0;
    const output = Math.min(o.output ?? 8, body.max_output_tokens ?? Infinity);
    const usage = {
      input_tokens: 7,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: reasoning + output,
      output_tokens_details: { reasoning_tokens: reasoning },
      total_tokens: 7 + reasoning + output,
    };
    const response = (status, extra) => ({
      id,
      object: "response",
      created_at: 1_700_000_000,
      status,
      model: body.model,
      output: [],
      usage: null,
      ...extra,
    });
    if (!body.stream) {
      await sleepUntil(t0, (o.ttft_ms ?? 0) + (reasoning + output - 1) * (o.itl_ms ?? 0));
      res.writeHead(200, { "content-type": "application/json" });
      const text = TOKEN.repeat(output);
      res.end(JSON.stringify(response("completed", {
        output: [{
          type: "message",
          id: `msg_${id}`,
          role: "assistant",
          status: "completed",
          content: [{ type: "output_text", text, annotations: [] }],
        }],
        usage,
      })));
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    let n = 0;
    const send = (type, fields) =>
      res.write(
        `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: n++, ...fields })}\n\n`,
      );
    send("response.created", { response: response("in_progress") });
    send("response.in_progress", { response: response("in_progress") });
    const items = [];
    if (reasoning > 0) items.push({ kind: "reasoning", count: reasoning });
    items.push({ kind: "message", count: output });
    let delta = 0;
    for (const [index, item] of items.entries()) {
      const itemId = `${item.kind === "reasoning" ? "rs" : "msg"}_${id}`;
      send("response.output_item.added", {
        output_index: index,
        item: { id: itemId, type: item.kind },
      });
      if (item.kind === "message") {
        send("response.content_part.added", {
          item_id: itemId,
          output_index: index,
          content_index: 0,
          part: { type: "output_text", text: "" },
        });
      }
      for (let i = 0; i < item.count; i++, delta++) {
        await sleepUntil(t0, (o.ttft_ms ?? 0) + delta * (o.itl_ms ?? 0));
        if (delta === 2 && o.fault === "error_event") {
          send("error", { code: "server_error", message: "The model crashed", param: null });
          res.end();
          return;
        }
        if (delta === 2 && o.fault === "failed") {
          send("response.failed", {
            response: response("failed", {
              error: { code: "server_error", message: "Generation failed" },
            }),
          });
          res.end();
          return;
        }
        if (delta === 2 && o.fault === "close_mid") {
          res.socket.destroy();
          return;
        }
        send(
          item.kind === "reasoning"
            ? "response.reasoning_text.delta"
            : "response.output_text.delta",
          { item_id: itemId, output_index: index, content_index: 0, delta: TOKEN },
        );
      }
      if (item.kind === "message") {
        send("response.output_text.done", {
          item_id: itemId,
          output_index: index,
          content_index: 0,
          text: TOKEN.repeat(item.count),
        });
      }
      send("response.output_item.done", {
        output_index: index,
        item: { id: itemId, type: item.kind },
      });
    }
    send("response.completed", { response: response("completed", { usage }) });
    res.end();
  });
});

server.listen(0, "127.0.0.1", () => console.log(server.address().port));
