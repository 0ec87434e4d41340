// Reading the dataset files users bring (AIPerf's JSONL types, ShareGPT JSON): every problem
// names the file, the line and the field, and a file with any bad line is refused whole, so a
// run never starts on half a dataset.

import { resolveLocation } from "../_file_url.ts";
import { DatasetFileError, type DatasetProblem } from "./dataset_file_error.ts";

/** What the host passes when it creates a dataset. */
export interface DatasetContext {
  /** The URL relative paths resolve against (the benchmark file, or the working directory). */
  readonly baseUrl?: URL;
}

/** One JSON object of a JSONL file, with the line it is on. */
export interface JsonLine {
  readonly line: number;
  readonly value: Record<string, unknown>;
}

/** Collects problems; `check()` throws them all at once. */
export class Problems {
  readonly file: string;
  readonly list: DatasetProblem[] = [];

  constructor(file: string) {
    this.file = file;
  }

  add(line: number | undefined, field: string | undefined, message: string): void {
    this.list.push({
      ...(line === undefined ? {} : { line }),
      ...(field === undefined ? {} : { field }),
      message,
    });
  }

  /** Throws every problem, in line order, if there is any. */
  check(): void {
    if (this.list.length === 0) return;
    const sorted = this.list.map((p, i) => [p, i] as const)
      .sort(([a, i], [b, j]) => (a.line ?? 0) - (b.line ?? 0) || i - j)
      .map(([p]) => p);
    throw new DatasetFileError(this.file, sorted);
  }
}

/** Resolves a dataset's `path` config. */
export function datasetUrl(kind: string, path: unknown, context: DatasetContext): URL {
  if (typeof path !== "string" || path === "") {
    throw new TypeError(`Invalid ${kind} dataset: "path" is required (--input-file)`);
  }
  return resolveLocation(path, context.baseUrl);
}

/** The display name of a dataset URL: the path for files. */
export function displayName(url: URL): string {
  return url.protocol === "file:" ? decodeURIComponent(url.pathname) : url.href;
}

/** Reads a file's text, with the file named on failure. */
export async function readText(url: URL): Promise<string> {
  try {
    if (url.protocol === "file:") return await Deno.readTextFile(url);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return await response.text();
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound
      ? "file not found"
      : error instanceof Deno.errors.IsADirectory
      ? "is a directory"
      : (error as Error).message;
    throw new DatasetFileError(displayName(url), [{ message: reason }]);
  }
}

/** Parses JSONL text: one object per non-blank line; bad lines go to `problems`. */
export function parseJsonLines(text: string, problems: Problems): JsonLine[] {
  const rows: JsonLine[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      problems.add(i + 1, undefined, `not valid JSON: ${(error as Error).message}`);
      continue;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      problems.add(i + 1, undefined, "expected a JSON object");
      continue;
    }
    rows.push({ line: i + 1, value: value as Record<string, unknown> });
  }
  if (rows.length === 0 && problems.list.length === 0) {
    problems.add(undefined, undefined, "no entries");
  }
  return rows;
}

/** Reports keys of `value` that are not in `known`. */
export function checkKeys(
  value: Record<string, unknown>,
  known: readonly string[],
  line: number,
  problems: Problems,
  at = "",
): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    problems.add(
      line,
      at + key,
      `unknown field; expected ${known.map((k) => `"${k}"`).join(", ")}`,
    );
  }
}

// A field read when present: its value when `accepts` it, else a problem saying what was expected.
function field<T>(
  value: Record<string, unknown>,
  key: string,
  line: number,
  problems: Problems,
  at: string,
  accepts: (v: unknown) => v is T,
  expected: string,
): T | undefined {
  const v = value[key];
  if (v === undefined || v === null) return undefined;
  if (accepts(v)) return v;
  problems.add(line, at + key, `expected ${expected}, got ${JSON.stringify(v)}`);
  return undefined;
}

/**
 * AIPerf's rankings rows name their texts (`{"name": "query", "contents": [...]}` and
 * `{"name": "passages", ...}`): the query and the passages, when both are named.
 */
export function namedRankingTexts(
  value: Record<string, unknown>,
): { query: string; passages: string[] } | undefined {
  const texts = value.texts;
  if (!Array.isArray(texts)) return undefined;
  const named = (name: string) =>
    texts.find((t: unknown) =>
      typeof t === "object" && t !== null && (t as { name?: unknown }).name === name
    ) as { contents?: unknown } | undefined;
  const query = named("query")?.contents;
  const passages = named("passages")?.contents;
  if (!Array.isArray(query) || !Array.isArray(passages) || passages.length === 0) return undefined;
  if (![...query, ...passages].every((c) => typeof c === "string")) return undefined;
  return { query: (query as string[]).join("\n"), passages: passages as string[] };
}

/** A field that must be an integer >= `min` when present. */
export function integerField(
  value: Record<string, unknown>,
  key: string,
  min: number,
  line: number,
  problems: Problems,
  at = "",
): number | undefined {
  const accepts = (v: unknown): v is number =>
    typeof v === "number" && Number.isInteger(v) && v >= min;
  const expected = min === 0 ? "an integer >= 0" : "a positive integer";
  return field(value, key, line, problems, at, accepts, expected);
}

/** A field that must be a number >= 0 when present (a timestamp or delay in ms). */
export function millisecondsField(
  value: Record<string, unknown>,
  key: string,
  line: number,
  problems: Problems,
  at = "",
): number | undefined {
  const accepts = (v: unknown): v is number =>
    typeof v === "number" && Number.isFinite(v) && v >= 0;
  return field(value, key, line, problems, at, accepts, "milliseconds >= 0");
}

/** A field that must be a string when present. */
export function stringField(
  value: Record<string, unknown>,
  key: string,
  line: number,
  problems: Problems,
  at = "",
): string | undefined {
  const accepts = (v: unknown): v is string => typeof v === "string";
  return field(value, key, line, problems, at, accepts, "a string");
}

/**
 * The text of an AIPerf turn: `text` (a string) or `texts` (strings, or `{name, contents}`
 * objects), joined with newlines. Reports a missing or malformed text, unless `optional` (a
 * turn that carries images or audio may have none: then "").
 */
export function turnText(
  value: Record<string, unknown>,
  line: number,
  problems: Problems,
  at = "",
  optional = false,
): string | undefined {
  const { text, texts } = value;
  if (text !== undefined && text !== null && texts !== undefined && texts !== null) {
    problems.add(line, at + "texts", '"text" and "texts" cannot be set together');
    return undefined;
  }
  if (text !== undefined && text !== null) {
    if (typeof text !== "string" || text === "") {
      problems.add(line, at + "text", `expected a non-empty string, got ${JSON.stringify(text)}`);
      return undefined;
    }
    return text;
  }
  if (texts === undefined || texts === null) {
    if (optional) return "";
    problems.add(line, at + "text", 'missing: expected "text" or "texts"');
    return undefined;
  }
  if (!Array.isArray(texts) || texts.length === 0) {
    problems.add(line, at + "texts", "expected a non-empty list");
    return undefined;
  }
  const parts: string[] = [];
  for (let i = 0; i < texts.length; i++) {
    const item: unknown = texts[i];
    if (typeof item === "string") parts.push(item);
    else if (
      typeof item === "object" && item !== null &&
      Array.isArray((item as { contents?: unknown }).contents) &&
      (item as { contents: unknown[] }).contents.every((c) => typeof c === "string")
    ) {
      parts.push(...(item as { contents: string[] }).contents);
    } else {
      problems.add(line, `${at}texts[${i}]`, 'expected a string or {"name", "contents"}');
      return undefined;
    }
  }
  return parts.join("\n");
}
