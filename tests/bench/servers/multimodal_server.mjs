#!/usr/bin/env node
// A multimodal chat server written independently of plugmap (Node's node:http, no plugmap code,
// no image or audio package): it reads every request's content parts on arrival, decodes each
// image's PNG or JPEG header for its size and each WAV header for its rate, depth, channels and
// length, refuses a malformed part with 400, and streams a vLLM-style reply on a token clock.
// Usage: node multimodal_server.mjs '<json>'; prints the port on its first line.
//
// Options: ttft_ms, itl_ms (from the request's arrival), output (tokens, each " hello"),
// log (a file: one JSON line per request, {images: [{format, width, height}], audios:
// [{rate, depth, channels, seconds}], text}).
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

function readParts(body) {
  if (!Array.isArray(body.messages)) throw new Error("messages must be an array");
  const seen = { images: [], audios: [], text: "" };
  for (const m of body.messages) {
    if (typeof m.content === "string") {
      seen.text += m.content;
      continue;
    }
    if (!Array.isArray(m.content)) throw new Error("content must be a string or parts");
    for (const part of m.content) {
      if (part.type === "text") seen.text += part.text;
      else if (part.type === "image_url") {
        const match = /^data:image\/(png|jpeg);base64,(.*)$/s.exec(part.image_url?.url ?? "");
        if (!match) throw new Error("image_url.url is not a PNG or JPEG data URL");
        const bytes = Buffer.from(match[2], "base64");
        const size = match[1] === "png" ? pngSize(bytes) : jpegSize(bytes);
        seen.images.push({ format: match[1], ...size });
      } else if (part.type === "input_audio") {
        if (part.input_audio?.format !== "wav") throw new Error("input_audio.format is not wav");
        seen.audios.push(wavInfo(Buffer.from(part.input_audio.data, "base64")));
      } else throw new Error(`unknown part type ${part.type}`);
    }
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

async function handle(_req, res, raw, t0) {
  const id = `chatcmpl-${++served}`;
  let body;
  let seen;
  try {
    body = JSON.parse(raw);
    seen = readParts(body);
  } catch (e) {
    res.writeHead(400, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { message: String(e.message), type: "BadRequestError" } }));
    return;
  }
  if (o.log) appendFileSync(o.log, JSON.stringify(seen) + "\n");
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

server.listen(0, "127.0.0.1", () => console.log(server.address().port));
