// The first 64 KiB are enough to see the first entry; a trace may be gigabytes.
const HEAD_BYTES = 64 * 1024;

const TYPES = ["single_turn", "multi_turn", "random_pool", "mooncake_trace", "sharegpt"];

/**
 * Guesses the `--custom-dataset-type` of a dataset file from its first entry, so `--input-file`
 * alone reads a multi-turn or single-turn file as what it is: an explicit `type` field wins;
 * a JSON array or `conversations` is `sharegpt`; `turns` is `multi_turn`; `input_length`,
 * `hash_ids` or `text_input` is `mooncake_trace`; `text` or `texts` is `single_turn`.
 *
 * @param head The file's first bytes as text (at least its first line).
 * @returns The type, or `undefined` when nothing tells (the caller keeps its default).
 *
 * @example
 * ```ts
 * import { detectDatasetType } from "./detect_dataset_type.ts";
 *
 * const type = detectDatasetType('{"session_id": "a", "turns": [{"text": "hi"}]}\n');
 * if (type !== "multi_turn") throw new Error(String(type));
 * ```
 */
export function detectDatasetType(head: string): string | undefined {
  const text = head.trimStart();
  if (text.startsWith("[")) return "sharegpt";
  const line = text.split(/\r?\n/, 1)[0] ?? "";
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const entry = value as Record<string, unknown>;
  if (typeof entry.type === "string" && TYPES.includes(entry.type)) return entry.type;
  if ("conversations" in entry) return "sharegpt";
  if ("turns" in entry) return "multi_turn";
  if ("input_length" in entry || "hash_ids" in entry || "text_input" in entry) {
    return "mooncake_trace";
  }
  if ("text" in entry || "texts" in entry) return "single_turn";
  return undefined;
}

/**
 * {@linkcode detectDatasetType} of a local file (its first 64 KiB); `undefined` for a remote
 * URL or a file that cannot be read (loading it later reports why).
 *
 * @param url The dataset's location.
 * @returns The type, or `undefined`.
 */
export function detectDatasetFileType(url: URL): string | undefined {
  if (url.protocol !== "file:") return undefined;
  let file: Deno.FsFile | undefined;
  try {
    file = Deno.openSync(url);
    const buffer = new Uint8Array(HEAD_BYTES);
    const read = file.readSync(buffer) ?? 0;
    return detectDatasetType(new TextDecoder().decode(buffer.subarray(0, read)));
  } catch {
    return undefined;
  } finally {
    file?.close();
  }
}
