// The tokenizer synthetic prompts are sized with. The generator needs only `encode` and
// `decode`, so any tokenizer (gpt-tokenizer's encodings here, a Hugging Face tokenizer.json
// elsewhere) plugs in through this interface.

/** Turns text into token ids and back. */
export interface TextTokenizer {
  /** The tokenizer's name, for reports (`cl100k_base`). */
  readonly name: string;
  /** Token ids of `text`, without special tokens. */
  encode(text: string): number[];
  /** The text of `ids`. */
  decode(ids: readonly number[]): string;
}

/** The encodings that ship with gpt-tokenizer (nothing is downloaded at run time). */
export const ENCODINGS = ["cl100k_base", "o200k_base"] as const;

/** The tokenizer prompts are sized with when none is chosen. */
export const DEFAULT_TOKENIZER = "cl100k_base";

const cache = new Map<string, Promise<TextTokenizer>>();

/**
 * Loads one of gpt-tokenizer's encodings by name, once per process.
 *
 * @throws {TypeError} For a name that is not one of {@linkcode ENCODINGS}.
 */
export function loadTokenizer(name: string = DEFAULT_TOKENIZER): Promise<TextTokenizer> {
  let loaded = cache.get(name);
  if (loaded === undefined) {
    loaded = importEncoding(name);
    cache.set(name, loaded);
  }
  return loaded;
}

async function importEncoding(name: string): Promise<TextTokenizer> {
  // Static specifiers, so that `deno check` and the lock file see both modules.
  const module = name === "cl100k_base"
    ? await import("gpt-tokenizer/encoding/cl100k_base")
    : name === "o200k_base"
    ? await import("gpt-tokenizer/encoding/o200k_base")
    : undefined;
  if (module === undefined) {
    throw new TypeError(
      `Unknown tokenizer "${name}": expected one of ${ENCODINGS.map((e) => `"${e}"`).join(", ")}`,
    );
  }
  return {
    name,
    encode: (text) => module.encode(text, { disallowedSpecial: new Set() }),
    decode: (ids) => module.decode(ids),
  };
}
