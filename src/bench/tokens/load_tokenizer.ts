import { BenchConfigError } from "../config/bench_config_error.ts";

/** Something that counts tokens in a text. */
export interface TokenCounter {
  /** What was loaded: the encoding name or the `tokenizer.json` path. */
  readonly name: string;
  /** The number of tokens of `text`, without special tokens. */
  count(text: string): number;
}

/**
 * A tokenizer that also turns text into token ids and back: what synthetic prompts are sized
 * with (any tokenizer plugs into the prompt generator through `encode` and `decode`).
 */
export interface TextTokenizer extends TokenCounter {
  /** Token ids of `text`, without special tokens. */
  encode(text: string): number[];
  /** The text of `ids` (special tokens skipped). */
  decode(ids: readonly number[]): string;
}

/** The encodings that ship in the npm package `gpt-tokenizer` (nothing downloaded at run time). */
export const ENCODINGS = ["cl100k_base", "o200k_base"] as const;

/** The tokenizer synthetic prompts are sized in when `--tokenizer` is not given. */
export const DEFAULT_TOKENIZER = "cl100k_base";

const loaded = new Map<string, Promise<TextTokenizer>>();

/**
 * Loads a tokenizer for `--tokenizer`: `cl100k_base` or `o200k_base` (from `gpt-tokenizer`), or
 * a Hugging Face `tokenizer.json` file, or a folder holding one (with its
 * `tokenizer_config.json` when present), read by `@huggingface/tokenizers`. The libraries are
 * imported here, on first use; each tokenizer is loaded once per process (the datasets that
 * size prompts and the host that counts tokens share it).
 *
 * @param spec The encoding name or a path (relative to the working directory).
 * @returns The tokenizer.
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
export function loadTokenizer(spec: string): Promise<TextTokenizer> {
  let tokenizer = loaded.get(spec);
  if (tokenizer === undefined) {
    tokenizer = load(spec);
    loaded.set(spec, tokenizer);
    // A failure is not kept: the file may be fixed before the next try.
    tokenizer.catch(() => loaded.delete(spec));
  }
  return tokenizer;
}

async function load(spec: string): Promise<TextTokenizer> {
  // Static specifiers, so that `deno check` and the lock file see both modules.
  const encoding = spec === "cl100k_base"
    ? await import("npm:gpt-tokenizer@^4.0.0/encoding/cl100k_base")
    : spec === "o200k_base"
    ? await import("npm:gpt-tokenizer@^4.0.0/encoding/o200k_base")
    : undefined;
  if (encoding !== undefined) {
    const special = { disallowedSpecial: new Set<string>() };
    return {
      name: spec,
      count: (text) => text === "" ? 0 : encoding.countTokens(text, special),
      encode: (text) => encoding.encode(text, special),
      decode: (ids) => encoding.decode(ids),
    };
  }
  const fail = (detail: string): never => {
    throw new BenchConfigError(detail, { flag: "--tokenizer" });
  };
  let path = spec;
  let info: Deno.FileInfo | undefined;
  try {
    info = await Deno.stat(path);
  } catch {
    // AIPerf's --tokenizer takes a Hugging Face model name: found in the local Hugging Face
    // cache (where vLLM and huggingface-cli put it), never downloaded. `ORG/NAME@REV` is the
    // name with --tokenizer-revision (a branch, tag or commit).
    const hf = /^([\w.-]+\/[\w.-]+)(?:@((?!.*\.\.)[\w./-]+))?$/.exec(spec);
    const cached = hf !== null ? await findInHfCache(hf[1]!, hf[2]) : undefined;
    if (cached !== undefined) {
      path = cached;
      info = await Deno.stat(path);
    } else {
      fail(
        `"${spec}" is neither a known encoding (${ENCODINGS.join(", ")}) nor a tokenizer.json ` +
          "file or folder" +
          (hf !== null
            ? `, and no snapshot of the model "${hf[1]}"` +
              (hf[2] === undefined ? "" : ` at revision "${hf[2]}"`) +
              ` with a tokenizer.json is in the Hugging Face cache ` +
              `(${hfCacheDir() ?? "HF_HUB_CACHE"}); nothing is downloaded: fetch it with ` +
              `"huggingface-cli download ${hf[1]} tokenizer.json tokenizer_config.json` +
              (hf[2] === undefined ? "" : ` --revision ${hf[2]}`) +
              ` --local-dir DIR" and pass --tokenizer DIR`
            : ""),
      );
    }
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
  const { Tokenizer } = await import("npm:@huggingface/tokenizers@^0.2.0");
  let tokenizer: InstanceType<typeof Tokenizer>;
  try {
    tokenizer = new Tokenizer(json as object, config as object);
    tokenizer.encode("a", { add_special_tokens: false });
  } catch (error) {
    return fail(`"${path}" is not a tokenizer the library can load: ${(error as Error).message}`);
  }
  const encode = (text: string) => tokenizer.encode(text, { add_special_tokens: false }).ids;
  return {
    name: path,
    count: (text) => text === "" ? 0 : encode(text).length,
    encode,
    decode: (ids) => tokenizer.decode([...ids], { skip_special_tokens: true }),
  };
}

// The Hugging Face hub cache: HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub.
function hfCacheDir(): string | undefined {
  try {
    const env = (name: string) => Deno.env.get(name) || undefined;
    const home = env("HF_HOME");
    const user = env("HOME") ?? env("USERPROFILE");
    return env("HF_HUB_CACHE") ?? (home !== undefined ? `${home}/hub` : undefined) ??
      (user !== undefined ? `${user}/.cache/huggingface/hub` : undefined);
  } catch {
    return undefined; // no --allow-env
  }
}

// The folder of a cached model's tokenizer.json. With a revision: the snapshot its ref (branch
// or tag) names, or the snapshot of that commit, and no other. Without: refs/main's, else any.
async function findInHfCache(model: string, revision?: string): Promise<string | undefined> {
  const cache = hfCacheDir();
  if (cache === undefined) return undefined;
  const repo = `${cache}/models--${model.replace("/", "--")}`;
  const snapshots: string[] = [];
  try {
    snapshots.push((await Deno.readTextFile(`${repo}/refs/${revision ?? "main"}`)).trim());
  } catch {
    // no such ref: a commit id, or (without a revision) look at every snapshot
  }
  if (revision !== undefined) snapshots.push(revision);
  else {
    try {
      for await (const entry of Deno.readDir(`${repo}/snapshots`)) snapshots.push(entry.name);
    } catch {
      return undefined;
    }
  }
  for (const snapshot of snapshots) {
    const dir = `${repo}/snapshots/${snapshot}`;
    try {
      await Deno.stat(`${dir}/tokenizer.json`);
      return dir;
    } catch {
      // not in this snapshot
    }
  }
  return undefined;
}
