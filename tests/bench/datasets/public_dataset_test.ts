// AIPerf's --public-dataset, from the local Hugging Face cache only.
import { assert, assertEquals } from "../_assert.ts";
import { runMain } from "../_helpers.ts";

const QUIET = ["--no-progress", "--ttft-ms", "1", "--itl-ms", "0", "--warmup-request-count", "0"];

async function withCache<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const before = Deno.env.get("HF_HUB_CACHE");
  Deno.env.set("HF_HUB_CACHE", dir);
  try {
    return await fn();
  } finally {
    if (before === undefined) Deno.env.delete("HF_HUB_CACHE");
    else Deno.env.set("HF_HUB_CACHE", before);
  }
}

Deno.test("--public-dataset sharegpt: read from the Hugging Face cache, never fetched", async () => {
  const cache = await Deno.makeTempDir({ prefix: "plugmap-hf-" });
  try {
    const missing = await withCache(
      cache,
      () => runMain(["--public-dataset", "sharegpt", ...QUIET]),
    );
    assertEquals(missing.status, 2);
    assert(
      missing.stderr.includes("--public-dataset") &&
        missing.stderr.includes(
          "huggingface-cli download anon8231489123/ShareGPT_Vicuna_unfiltered " +
            "ShareGPT_V3_unfiltered_cleaned_split.json --repo-type dataset",
        ),
      missing.stderr,
    );
    const snapshot =
      `${cache}/datasets--anon8231489123--ShareGPT_Vicuna_unfiltered/snapshots/0123abc`;
    await Deno.mkdir(snapshot, { recursive: true });
    const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(" ");
    const conversations = Array.from({ length: 5 }, (_, i) => ({
      id: `c${i}`,
      conversations: [
        { from: "human", value: `question ${i}: ${words(20)}` },
        { from: "gpt", value: words(12) },
      ],
    }));
    await Deno.writeTextFile(
      `${snapshot}/ShareGPT_V3_unfiltered_cleaned_split.json`,
      JSON.stringify(conversations),
    );
    const found = await withCache(
      cache,
      () => runMain(["--public-dataset", "sharegpt", "--request-count", "5", ...QUIET]),
    );
    assertEquals(found.status, 0, found.stderr);
    assert(found.stdout.includes("dataset: sharegpt"), found.stdout);
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
});
