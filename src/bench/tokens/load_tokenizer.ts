import { BenchConfigError } from "../config/bench_config_error.ts";

/** Something that counts tokens in a text. */
export interface TokenCounter {
  /** What was loaded: the encoding name or the `tokenizer.json` path. */
  readonly name: string;
  /** The number of tokens of `text`, without special tokens. */
  count(text: string): number;
}

/** The encodings that ship in the npm package `gpt-tokenizer` (nothing downloaded at run time). */
export const ENCODINGS = ["cl100k_base", "o200k_base"] as const;

/**
 * Loads a tokenizer for `--tokenizer`: `cl100k_base` or `o200k_base` (from `gpt-tokenizer`), or
 * a Hugging Face `tokenizer.json` file, or a folder holding one (with its
 * `tokenizer_config.json` when present), read by `@huggingface/tokenizers`. The libraries are
 * imported here, on first use, so a run without `--tokenizer` never loads them.
 *
 * @param spec The encoding name or a path (relative to the working directory).
 * @returns The counter.
 * @throws {BenchConfigError} Naming `--tokenizer` when the name is unknown or the file cannot
 * be read or parsed.
 *
 * @example
 * ```ts
 * import { loadTokenizer } from "./load_tokenizer.ts";
 *
 * const tokenizer = await loadTokenizer("cl100k_base");
 * if (tokenizer.count("hello world") !== 2) throw new Error("wrong");
 * ```
 */
export async function loadTokenizer(spec: string): Promise<TokenCounter> {
  if (spec === "cl100k_base") {
    const { countTokens } = await import("gpt-tokenizer/encoding/cl100k_base");
    return { name: spec, count: (text) => text === "" ? 0 : countTokens(text) };
  }
  if (spec === "o200k_base") {
    const { countTokens } = await import("gpt-tokenizer/encoding/o200k_base");
    return { name: spec, count: (text) => text === "" ? 0 : countTokens(text) };
  }
  const fail = (detail: string): never => {
    throw new BenchConfigError(detail, { flag: "--tokenizer" });
  };
  let path = spec;
  let info: Deno.FileInfo | undefined;
  try {
    info = await Deno.stat(path);
  } catch {
    fail(
      `"${spec}" is neither a known encoding (${ENCODINGS.join(", ")}) nor a tokenizer.json ` +
        "file or folder",
    );
  }
  let configPath: string | undefined;
  if (info!.isDirectory) {
    configPath = `${path}/tokenizer_config.json`;
    path = `${path}/tokenizer.json`;
  } else {
    configPath = path.replace(/[^/\\]*$/, "tokenizer_config.json");
  }
  const readJson = async (file: string, required: boolean): Promise<unknown> => {
    let text: string;
    try {
      text = await Deno.readTextFile(file);
    } catch (error) {
      if (!required && error instanceof Deno.errors.NotFound) return undefined;
      return fail(`cannot read "${file}": ${(error as Error).message}`);
    }
    try {
      return JSON.parse(text);
    } catch (error) {
      return fail(`"${file}" is not JSON: ${(error as Error).message}`);
    }
  };
  const json = await readJson(path, true);
  const config = await readJson(configPath, false) ?? {};
  const { Tokenizer } = await import("@huggingface/tokenizers");
  let tokenizer: InstanceType<typeof Tokenizer>;
  try {
    tokenizer = new Tokenizer(json as object, config as object);
    tokenizer.encode("a", { add_special_tokens: false });
  } catch (error) {
    return fail(`"${path}" is not a tokenizer the library can load: ${(error as Error).message}`);
  }
  return {
    name: path,
    count: (text) =>
      text === "" ? 0 : tokenizer.encode(text, { add_special_tokens: false }).ids.length,
  };
}
