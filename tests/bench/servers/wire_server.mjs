#!/usr/bin/env node
// An OpenAI-compatible server written independently of plugmap's own server and of
// sse_server.py: Node's node:http, writing the exact bytes real servers put on the wire, with
// control over how those bytes are cut into TCP writes. Usage: node wire_server.mjs '<json>';
// prints the port on its first line.
//
// Options (all optional):
//   style: "vllm" (default; role-only first chunk with content "", finish chunk with empty
//          content, a usage-only chunk with choices [] when stream_options.include_usage),
//          "openai" (usage: null in every chunk, usage chunk with choices []),
//          "tgi" ("data:" without a space, usage in the finish chunk),
//          "ollama" (role in every chunk), "openrouter" (": OPENROUTER PROCESSING" comments,
//          usage in the finish chunk)
//   ttft_ms, itl_ms: first token time and the gap between chunks (ms, from the request's arrival)
//   reasoning, output: token counts (each token is " hello", one token in cl100k/o200k)
//   field: "reasoning" (current vLLM) or "reasoning_content" (older vLLM, SGLang, DeepSeek)
//   per_chunk: tokens per chunk; usage: false sends no usage at all
//   crlf: "\r\n" line ends; split: every event cut in two TCP writes (the cut 1 ms apart);
//   batch: all events written in one TCP write at the end of each pair of chunks
//   fault: "json_error_200" (200 with a JSON error body), "status_429" (429, Retry-After: 1),
//          "status_500", "status_401", "status_404", "close_mid" (socket destroyed after 2
//          chunks), "vllm_error_event" (vLLM's {"object":"error"} data event after 2 chunks),
//          "tgi_error_event" (TGI's {"error": "...", "error_type": ...} data event),
//          "slow_headers" (headers after 30 s)
//   fault_every: the fault hits every N-th request only (default every request)
//   crash_after: the process exits after serving this many requests
//   log: a file path; each request is appended to it as one JSON line {t, url, headers, body}
//   usage_completion, usage_prompt: the completion_tokens / prompt_tokens usage reports instead
//          of the true counts (a server that miscounts)
//   choices: every streamed chunk is sent once per choice index 0..choices-1, interleaved, as
//          a server answering n > 1 does; usage counts the tokens of all choices
//   think: the reasoning tokens go in the content inside <think>...</think>, as a server without
//          a reasoning parser sends them: "open" (the tags in chunks of their own), "split"
//          (each tag cut across two chunks: "<thi", "nk>", ..., "</thi", "nk>"), "close_only"
//          (no opening tag: the chat template wrote it into the prompt); usage counts every
//          chunk of the reasoning span, tags included, as one token
import { appendFileSync } from "node:fs";
import http from "node:http";

const o = JSON.parse(process.argv[2] ?? "{}");
const TOKEN = " hello";
let served = 0;

const sleepUntil = (t0, ms) =>
  new Promise((r) => setTimeout(r, Math.max(0, t0 + ms - performance.now())));

function chunkJson(style, model, id, delta, finish, usage) {
  const choice = { index: 0, delta, logprobs: null, finish_reason: finish ?? null };
  const c = {
    id,
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model,
    choices: [choice],
  };
  if (style === "openai") c.usage = usage ?? null;
  else if (usage) c.usage = usage;
  return c;
}

function frame(style, obj, eol) {
  const sep = style === "tgi" ? "data:" : "data: ";
  const data = typeof obj === "string" ? obj : JSON.stringify(obj);
  return `${sep}${data}${eol}${eol}`;
}

const server = http.createServer((req, res) => {
  let raw = "";
  req.on("data", (d) => raw += d);
  req.on("end", () => handle(req, res, raw).catch(() => res.destroy()));
});

async function handle(req, res, raw) {
  const t0 = performance.now();
  served++;
  if (o.crash_after && served > o.crash_after) process.exit(3);
  const body = raw ? JSON.parse(raw) : {};
  if (o.log) {
    const line = { t: Date.now(), url: req.url, headers: req.headers, body };
    appendFileSync(o.log, JSON.stringify(line) + "\n");
  }
  // The bench's pre-flight (max_tokens 1) meets HTTP status faults only when every request does.
  const faulty = o.fault &&
    (o.fault_every ? served % o.fault_every === 0 && body.max_tokens !== 1 : true);
  const style = o.style ?? "vllm";
  const eol = o.crlf ? "\r\n" : "\n";
  const model = body.model ?? "m";
  const id = `chatcmpl-${served}`;
  const completions = req.url.endsWith("/completions") && !req.url.endsWith("/chat/completions");
  if (faulty && o.fault.startsWith("status_")) {
    const status = Number(o.fault.slice(7));
    const headers = { "content-type": "application/json" };
    if (status === 429) headers["retry-after"] = "1";
    res.writeHead(status, headers);
    res.end(
      JSON.stringify({ object: "error", message: `status ${status}`, type: "X", code: status }),
    );
    return;
  }
  if (faulty && o.fault === "json_error_200") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify({ error: { message: "model overloaded", type: "server_error", code: 503 } }),
    );
    return;
  }
  if (faulty && o.fault === "slow_headers") {
    await new Promise((r) => setTimeout(r, 30_000));
  }
  let reasoning = o.reasoning ?? 0;
  let output = o.output ?? 16;
  if (body.max_tokens === 1) [reasoning, output] = [0, 1];
  else if (typeof body.max_tokens === "number" && body.max_tokens < reasoning + output) {
    output = Math.max(0, body.max_tokens - reasoning);
  }
  const perChunk = o.per_chunk ?? 1;
  const prompt = completions ? String(body.prompt ?? "") : JSON.stringify(body.messages ?? "");
  const usage = {
    prompt_tokens: prompt.split(/\s+/).length,
    total_tokens: 0,
    completion_tokens: reasoning + output,
  };
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  if (!body.stream) {
    if (o.usage_completion !== undefined) usage.completion_tokens = o.usage_completion;
    if (o.usage_prompt !== undefined) usage.prompt_tokens = o.usage_prompt;
    await sleepUntil(t0, (o.ttft_ms ?? 20) + (o.itl_ms ?? 5) * (reasoning + output - 1));
    const text = TOKEN.repeat(output);
    const reply = completions
      ? {
        id,
        object: "text_completion",
        model,
        choices: [{ index: 0, text, finish_reason: "length" }],
      }
      : {
        id,
        object: "chat.completion",
        model,
        choices: [{
          index: 0,
          message: {
            role: "assistant",
            content: o.think && reasoning
              ? `${o.think === "close_only" ? "" : "<think>"}${TOKEN.repeat(reasoning)}</think>` +
                text
              : text,
            ...(reasoning && !o.think ? { [o.field ?? "reasoning"]: TOKEN.repeat(reasoning) } : {}),
          },
          finish_reason: "length",
        }],
      };
    if (o.usage !== false) reply.usage = usage;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(reply));
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  res.flushHeaders();
  const wantUsage = o.usage !== false &&
    (style === "tgi" || style === "openrouter" || body.stream_options?.include_usage === true);
  // The planned events: [time ms, text]
  const events = [];
  if (style === "openrouter") events.push([0, `: OPENROUTER PROCESSING${eol}${eol}`]);
  if (!completions && (style === "vllm" || style === "openai")) {
    events.push([
      0,
      frame(style, chunkJson(style, model, id, { role: "assistant", content: "" }), eol),
    ]);
  }
  const pieces = [];
  for (let i = 0; i < reasoning; i += perChunk) {
    pieces.push(["r", Math.min(perChunk, reasoning - i)]);
  }
  if (o.think && reasoning > 0) {
    // The reasoning goes in the content; the tags are chunks of their own (one token each).
    const open = { open: ["<think>"], split: ["<thi", "nk>"], close_only: [] }[o.think];
    const close = o.think === "split" ? ["</thi", "nk>"] : ["</think>"];
    pieces.splice(
      0,
      pieces.length,
      ...open.map((t) => ["t", t]),
      ...pieces.map(([, n]) => [
        "t",
        TOKEN.repeat(n),
      ]),
      ...close.map((t) => ["t", t]),
    );
  }
  for (let i = 0; i < output; i += perChunk) pieces.push(["c", Math.min(perChunk, output - i)]);
  const tokensIn = (kind, n) => kind === "t" ? 1 : n;
  usage.completion_tokens = (o.choices ?? 1) *
    pieces.reduce((sum, [kind, n]) => sum + tokensIn(kind, n), 0);
  if (o.usage_completion !== undefined) usage.completion_tokens = o.usage_completion;
  if (o.usage_prompt !== undefined) usage.prompt_tokens = o.usage_prompt;
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  pieces.forEach(([kind, n], k) => {
    const text = kind === "t" ? n : TOKEN.repeat(n);
    const at = (o.ttft_ms ?? 20) + k * (o.itl_ms ?? 5);
    if (faulty && k === 2 && o.fault === "vllm_error_event") {
      events.push([
        at,
        frame(style, {
          object: "error",
          message: "engine dead",
          type: "InternalServerError",
          param: null,
          code: 500,
        }, eol),
      ]);
      return;
    }
    if (faulty && k === 2 && o.fault === "tgi_error_event") {
      events.push([
        at,
        frame(style, {
          error: "Request failed during generation: Server error: CUDA OOM",
          error_type: "generation",
        }, eol),
      ]);
      return;
    }
    if (faulty && k === 2 && o.fault === "close_mid") {
      events.push([at, "CLOSE"]);
      return;
    }
    let chunk;
    if (completions) {
      chunk = {
        id,
        object: "text_completion",
        created: 1,
        model,
        choices: [{ index: 0, text, logprobs: null, finish_reason: null }],
      };
      if (style === "openai") chunk.usage = null;
    } else {
      const delta = kind === "r" ? { [o.field ?? "reasoning"]: text } : { content: text };
      if (style === "ollama") delta.role = "assistant";
      chunk = chunkJson(style, model, id, delta);
    }
    events.push([at, frame(style, chunk, eol)]);
    // The other choices' chunks of the same step, each with its index, right after.
    for (let index = 1; index < (o.choices ?? 1); index++) {
      const other = structuredClone(chunk);
      other.choices[0].index = index;
      events.push([at, frame(style, other, eol)]);
    }
  });
  const endAt = (o.ttft_ms ?? 20) + (pieces.length - 1) * (o.itl_ms ?? 5);
  const inlineUsage = style === "tgi" || style === "openrouter";
  if (completions) {
    const fin = {
      id,
      object: "text_completion",
      created: 1,
      model,
      choices: [{ index: 0, text: "", logprobs: null, finish_reason: "length" }],
    };
    if (wantUsage && inlineUsage) fin.usage = usage;
    events.push([endAt, frame(style, fin, eol)]);
  } else {
    events.push([
      endAt,
      frame(
        style,
        chunkJson(
          style,
          model,
          id,
          { content: "" },
          "length",
          wantUsage && inlineUsage ? usage : undefined,
        ),
        eol,
      ),
    ]);
  }
  if (wantUsage && !inlineUsage) {
    const u = {
      id,
      object: completions ? "text_completion" : "chat.completion.chunk",
      created: 1,
      model,
      choices: [],
      usage,
    };
    events.push([endAt, frame(style, u, eol)]);
  }
  events.push([endAt, frame(style, "[DONE]", eol)]);
  let pending = "";
  for (let i = 0; i < events.length; i++) {
    const [at, text] = events[i];
    await sleepUntil(t0, at);
    if (text === "CLOSE") {
      res.socket.destroy();
      return;
    }
    if (o.batch) {
      pending += text;
      if (i % 2 === 1 || i === events.length - 1) {
        res.write(pending);
        pending = "";
      }
    } else if (o.split) {
      const cut = Math.floor(text.length / 2);
      res.write(text.slice(0, cut));
      await new Promise((r) => setTimeout(r, 1));
      res.write(text.slice(cut));
    } else {
      res.write(text);
    }
  }
  res.end();
}

server.keepAliveTimeout = 5_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${server.address().port}\n`);
});
