#!/usr/bin/env node
// A reranking server written apart from plugmap's own: Node's node:http, answering NIM's
// POST /v1/ranking, Hugging Face TEI's POST /rerank and Cohere's POST /v2/rerank with their
// documented bodies, after delay_ms. Each request is checked on arrival (400 when its body is
// not that API's). Usage: node rankings_server.mjs '<json>'; prints its port.
// Options: delay_ms; fault: "short" (one ranking fewer than passages), "status_500"
import http from "node:http";

const o = JSON.parse(process.argv[2] ?? "{}");

function texts(route, body) {
  if (route === "/v1/ranking") {
    if (typeof body.model !== "string" || typeof body.query?.text !== "string") return undefined;
    if (!Array.isArray(body.passages)) return undefined;
    const list = body.passages.map((p) => p?.text);
    return list.every((t) => typeof t === "string") ? list : undefined;
  }
  if (route === "/rerank") {
    if (typeof body.query !== "string" || !Array.isArray(body.texts)) return undefined;
    return body.texts.every((t) => typeof t === "string") ? body.texts : undefined;
  }
  if (route === "/v2/rerank") {
    if (typeof body.model !== "string" || typeof body.query !== "string") return undefined;
    if (!Array.isArray(body.documents)) return undefined;
    return body.documents.every((t) => typeof t === "string") ? body.documents : undefined;
  }
  return undefined;
}

const server = http.createServer((req, res) => {
  const t0 = performance.now();
  let raw = "";
  req.on("data", (d) => (raw += d));
  req.on("end", () => {
    let body;
    try {
      body = JSON.parse(raw);
    } catch {
      body = {};
    }
    const list = texts(req.url, body ?? {});
    const reply = (status, value) => {
      setTimeout(() => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(value));
      }, Math.max(0, t0 + (o.delay_ms ?? 0) - performance.now()));
    };
    if (list === undefined) return reply(400, { error: `not a ${req.url} body` });
    if (o.fault === "status_500") return reply(500, { error: "boom" });
    const n = o.fault === "short" ? list.length - 1 : list.length;
    const ranked = Array.from({ length: n }, (_, index) => ({ index, s: 1 / (index + 1) }));
    if (req.url === "/v1/ranking") {
      return reply(200, { rankings: ranked.map(({ index, s }) => ({ index, logit: s })) });
    }
    if (req.url === "/rerank") {
      return reply(200, ranked.map(({ index, s }) => ({ index, score: s })));
    }
    return reply(200, {
      id: "r1",
      results: ranked.map(({ index, s }) => ({ index, relevance_score: s })),
      meta: { billed_units: { search_units: 1 } },
    });
  });
});

server.listen(0, "127.0.0.1", () => console.log(server.address().port));
