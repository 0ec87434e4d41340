#!/usr/bin/env node
// A multimodal chat and Responses server written independently of plugmap (Node's node:http, no
// plugmap code, no image or audio package): it reads every request's content parts on arrival
// (chat: `messages` with `text`, `image_url`, `input_audio`; POST /v1/responses: `input` with
// `input_text`, `input_image`, `input_audio`, and `instructions`), decodes each image's PNG or
// JPEG header for its size, each WAV header for its rate, depth, channels and length, and each
// chat `video_url` data URL's container (WebM: the EBML magic 1A 45 DF A3; MP4: "ftyp" at byte
// 4), refuses
// a malformed part with 400, and streams a vLLM-style chat reply, or the Responses API's typed
// events, on a token clock. An http(s) image or video URL is logged as it is (not fetched).
// Usage: node multimodal_server.mjs '<json>'; prints the port on its first line.
//
// Options: ttft_ms, itl_ms (from the request's arrival), output (tokens, each " hello"),
// log (a file: one JSON line per request, {route, images: [{format, width, height} or {url}],
// audios: [{rate, depth, channels, seconds}], videos: [{format, bytes} or {url}], text, system (a chat system message),
// instructions (Responses)}).
import { appendFileSync } from "node:fs";
import http from "node:http";

const o = JSON.parse(process.argv[2] ?? "{}");

const sleepUntil = (t0, ms) =>
  new Promise((r) => setTimeout(r, Math.max(0, t0 + ms - performance.now())));

// PNG: the signature, then the IHDR chunk whose first 8 bytes are width and height.
function pngSize(b) {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!sig.every((v, i) => b[i] === v) || b.toString("latin1", 12, 16) !== "IHDR") {
    throw new Error("not a PNG");
  }
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

// JPEG: markers after SOI until a start-of-frame (C0-CF but C4, C8, CC), whose payload holds
// precision, height, width.
function jpegSize(b) {
  if (b[0] !== 0xff || b[1] !== 0xd8) throw new Error("not a JPEG");
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) throw new Error("bad JPEG marker");
    const marker = b[i + 1];
    const length = b.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
    }
    i += 2 + length;
  }
  throw new Error("JPEG without a frame header");
}

// WAV: RIFF/WAVE, the fmt chunk (channels, rate, bits), the data chunk's size.
function wavInfo(b) {
  if (b.toString("latin1", 0, 4) !== "RIFF" || b.toString("latin1", 8, 12) !== "WAVE") {
    throw new Error("not a WAV file");
  }
  let i = 12;
  let fmt;
  while (i + 8 <= b.length) {
    const id = b.toString("latin1", i, i + 4);
    const size = b.readUInt32LE(i + 4);
    if (id === "fmt ") {
      fmt = {
        channels: b.readUInt16LE(i + 10),
        rate: b.readUInt32LE(i + 12),
        depth: b.readUInt16LE(i + 22),
      };
    } else if (id === "data") {
      if (!fmt) throw new Error("WAV data before fmt");
      if (i + 8 + size > b.length) throw new Error("WAV data chunk cut short");
      const frames = size / (fmt.channels * fmt.depth / 8);
      return { ...fmt, seconds: frames / fmt.rate };
    }
    i += 8 + size + (size % 2);
  }
  throw new Error("WAV without a data chunk");
}

// An image reference: an http(s) URL (logged, not fetched) or a PNG or JPEG data URL (decoded).
function readImage(url) {
  if (/^https?:\/\/\S+$/.test(url ?? "")) return { url };
  const match = /^data:image\/(png|jpeg);base64,(.*)$/s.exec(url ?? "");
  if (!match) throw new Error("the image is not an http(s) URL or a PNG or JPEG data URL");
  const bytes = Buffer.from(match[2], "base64");
  const size = match[1] === "png" ? pngSize(bytes) : jpegSize(bytes);
  return { format: match[1], ...size };
}

// A video data URL: its declared container must match the bytes' own signature. An http(s) URL
// is recorded as it is (nothing is fetched).
function readVideo(url) {
  if (/^https?:\/\/\S+$/.test(url ?? "")) return { url };
  const match = /^data:video\/(webm|mp4);base64,(.*)$/s.exec(url ?? "");
  if (!match) throw new Error("the video is not a webm or mp4 data URL");
  const b = Buffer.from(match[2], "base64");
  const webm = b.length > 4 && b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3;
  const mp4 = b.length > 8 && b.toString("latin1", 4, 8) === "ftyp";
  if (match[1] === "webm" ? !webm : !mp4) throw new Error(`the video is not a ${match[1]} file`);
  return { format: match[1], bytes: b.length };
}

// Chat parts (`text`, `image_url`, `video_url`) or, for /v1/responses, the Responses API's (`input_text`,
// `input_image` with a string image_url); `input_audio` is the same in both.
function readParts(messages, responses) {
  if (!Array.isArray(messages)) throw new Error("the messages must be an array");
  const seen = { images: [], audios: [], videos: [], text: "" };
  for (const m of messages) {
    if (m.role === "system") {
      if (typeof m.content !== "string") throw new Error("a system message's content is not text");
      seen.system = m.content;
      continue;
    }
    if (typeof m.content === "string") {
      seen.text += m.content;
      continue;
    }
    if (!Array.isArray(m.content)) throw new Error("content must be a string or parts");
    for (const part of m.content) {
      if (part.type === (responses ? "input_text" : "text")) seen.text += part.text;
      else if (!responses && part.type === "image_url") {
        seen.images.push(readImage(part.image_url?.url));
      } else if (!responses && part.type === "video_url") {
        seen.videos.push(readVideo(part.video_url?.url));
      } else if (responses && part.type === "input_image") {
        if (typeof part.image_url !== "string") {
          throw new Error("input_image.image_url is not a string");
        }
        seen.images.push(readImage(part.image_url));
      } else if (part.type === "input_audio") {
        if (part.input_audio?.format !== "wav") throw new Error("input_audio.format is not wav");
        seen.audios.push(wavInfo(Buffer.from(part.input_audio.data, "base64")));
      } else throw new Error(`unknown part type ${part.type}`);
    }
  }
  return seen;
}

function readRequest(route, body) {
  if (route !== "/v1/responses") return { route, ...readParts(body.messages, false) };
  const input = typeof body.input === "string"
    ? [{ role: "user", content: body.input }]
    : body.input;
  const seen = { route, ...readParts(input, true) };
  if (body.instructions !== undefined) {
    if (typeof body.instructions !== "string") throw new Error("instructions is not a string");
    seen.instructions = body.instructions;
  }
  return seen;
}

const chunk = (id, delta, finish) =>
  `data: ${
    JSON.stringify({
      id,
      object: "chat.completion.chunk",
      created: 1_700_000_000,
      model: "m",
      choices: [{ index: 0, delta, finish_reason: finish ?? null }],
    })
  }\n\n`;

let served = 0;
const server = http.createServer((req, res) => {
  const t0 = performance.now();
  const parts = [];
  req.on("data", (d) => parts.push(d));
  req.on(
    "end",
    () => handle(req, res, Buffer.concat(parts).toString(), t0).catch(() => res.destroy()),
  );
});

async function handle(req, res, raw, t0) {
  const id = `chatcmpl-${++served}`;
  let body;
  let seen;
  try {
    body = JSON.parse(raw);
    seen = readRequest(req.url, body);
  } catch (e) {
    res.writeHead(400, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { message: String(e.message), type: "BadRequestError" } }));
    return;
  }
  if (o.log) appendFileSync(o.log, JSON.stringify(seen) + "\n");
  if (req.url === "/v1/responses") return await respond(res, body, seen, t0);
  const output = body.max_tokens === 1 ? 1 : o.output ?? 8;
  res.writeHead(200, { "content-type": "text/event-stream" });
  res.flushHeaders();
  res.write(chunk(id, { role: "assistant", content: "" }));
  for (let k = 0; k < output; k++) {
    await sleepUntil(t0, (o.ttft_ms ?? 20) + k * (o.itl_ms ?? 5));
    res.write(chunk(id, { content: " hello" }));
  }
  res.write(chunk(id, { content: "" }, "length"));
  const words = seen.text.split(/\s+/).filter(Boolean).length;
  res.write(
    `data: ${
      JSON.stringify({
        id,
        object: "chat.completion.chunk",
        model: "m",
        choices: [],
        usage: { prompt_tokens: words, completion_tokens: output, total_tokens: words + output },
      })
    }\n\ndata: [DONE]\n\n`,
  );
  res.end();
}

// The Responses API's events: created, one output_text.delta per token, completed with usage.
async function respond(res, body, seen, t0) {
  const id = `resp_${served}`;
  const output = body.max_output_tokens === 1 ? 1 : o.output ?? 8;
  let n = 0;
  const event = (type, fields) =>
    res.write(
      `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: n++, ...fields })}\n\n`,
    );
  const response = (status, extra) => ({ id, object: "response", status, model: "m", ...extra });
  res.writeHead(200, { "content-type": "text/event-stream" });
  res.flushHeaders();
  event("response.created", { response: response("in_progress", { output: [] }) });
  for (let k = 0; k < output; k++) {
    await sleepUntil(t0, (o.ttft_ms ?? 20) + k * (o.itl_ms ?? 5));
    event("response.output_text.delta", {
      item_id: "msg_1",
      output_index: 0,
      content_index: 0,
      delta: " hello",
    });
  }
  const words = (seen.text + " " + (seen.instructions ?? "")).split(/\s+/).filter(Boolean).length;
  const text = " hello".repeat(output);
  event("response.completed", {
    response: response("completed", {
      output: [{
        type: "message",
        id: "msg_1",
        role: "assistant",
        content: [{ type: "output_text", text }],
      }],
      usage: { input_tokens: words, output_tokens: output, total_tokens: words + output },
    }),
  });
  res.end();
}

server.listen(0, "127.0.0.1", () => console.log(server.address().port));
