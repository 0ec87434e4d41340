// AIPerf's --public-dataset, read from the local Hugging Face cache only: nothing is
// downloaded; when the file is not there, the error says how to fetch it.

import { BenchConfigError } from "./bench_config_error.ts";

/** AIPerf's public datasets: where each lives on the Hub and the dataset type that reads it. */
const PUBLIC_DATASETS: Readonly<
  Record<string, { readonly repo: string; readonly file: string; readonly type: string }>
> = {
  sharegpt: {
    repo: "anon8231489123/ShareGPT_Vicuna_unfiltered",
    file: "ShareGPT_V3_unfiltered_cleaned_split.json",
    type: "sharegpt",
  },
};

/**
 * The dataset type and the cached file of a public dataset.
 *
 * @throws {BenchConfigError} For an unknown name, or a file not in the cache (naming the
 * `huggingface-cli download` command that fetches it).
 */
export function publicDataset(name: string, flag: string): { type: string; path: string } {
  const known = PUBLIC_DATASETS[name];
  if (known === undefined) {
    throw new BenchConfigError(
      `expected one of ${Object.keys(PUBLIC_DATASETS).join(", ")}, got "${name}"`,
      { flag },
    );
  }
  const cache = hfCacheDir();
  const path = cache === undefined ? undefined : findCached(cache, known.repo, known.file);
  if (path === undefined) {
    throw new BenchConfigError(
      `"${name}" (${known.repo}, ${known.file}) is not in the Hugging Face cache ` +
        `(${cache ?? "HF_HUB_CACHE"}); nothing is downloaded: fetch it with "huggingface-cli ` +
        `download ${known.repo} ${known.file} --repo-type dataset", or pass the file with ` +
        `--input-file FILE --custom-dataset-type ${known.type}`,
      { flag },
    );
  }
  return { type: known.type, path };
}

// The Hugging Face hub cache: HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub.
function hfCacheDir(): string | undefined {
  try {
    const env = (key: string) => Deno.env.get(key) || undefined;
    const home = env("HF_HOME");
    const user = env("HOME") ?? env("USERPROFILE");
    return env("HF_HUB_CACHE") ?? (home !== undefined ? `${home}/hub` : undefined) ??
      (user !== undefined ? `${user}/.cache/huggingface/hub` : undefined);
  } catch {
    return undefined; // no --allow-env
  }
}

// The file in the snapshot refs/main names, else in any snapshot.
function findCached(cache: string, repo: string, file: string): string | undefined {
  const root = `${cache}/datasets--${repo.replace("/", "--")}`;
  const snapshots: string[] = [];
  try {
    snapshots.push(Deno.readTextFileSync(`${root}/refs/main`).trim());
  } catch {
    // no main ref: look at every snapshot
  }
  try {
    for (const entry of Deno.readDirSync(`${root}/snapshots`)) snapshots.push(entry.name);
  } catch {
    return undefined;
  }
  for (const snapshot of snapshots) {
    const path = `${root}/snapshots/${snapshot}/${file}`;
    try {
      if (Deno.statSync(path).isFile) return path;
    } catch {
      // not in this snapshot
    }
  }
  return undefined;
}
