// AIPerf's --shared-system-prompt-length: one synthetic system prompt of exactly N tokens (in the
// tokenizer prompts are sized in), the same in every request: a chat system message and the
// Responses API's `instructions`, checked on arrival by an independent server
// (tests/bench/servers/multimodal_server.mjs); a completions prompt's first line.
import { encode } from "gpt-tokenizer/encoding/cl100k_base";
import { assert, assertEquals } from "../_assert.ts";
import { runMain, withServerProcess } from "../_helpers.ts";
import { SyntheticDataset } from "../../../src/bench/datasets/synthetic_dataset.ts";

const SCRIPT = new URL("../servers/multimodal_server.mjs", import.meta.url).pathname;

interface Seen {
  route: string;
  text: string;
  system?: string;
  instructions?: string;
}

async function seenBy(type: string): Promise<Seen[]> {
  const log = await Deno.makeTempFile({ prefix: "plugmap-system-log-" });
  try {
    await withServerProcess(
      "node",
      SCRIPT,
      { ttft_ms: 1, itl_ms: 0, output: 2, log },
      async (url) => {
        const run = await runMain([
          "-u",
          url,
          "-m",
          "m",
          "--endpoint-type",
          type,
          "--shared-system-prompt-length",
          "50",
          "--synthetic-input-tokens-mean",
          "20",
          "--request-count",
          "6",
          "--warmup-request-count",
          "0",
          "--no-progress",
        ]);
        assertEquals(run.status, 0, run.stderr);
      },
    );
    // Without the pre-flight request (the first dataset entry, as a check).
    return (await Deno.readTextFile(log)).trim().split("\n").map((l) => JSON.parse(l)).slice(1);
  } finally {
    await Deno.remove(log);
  }
}

Deno.test("system prompt: chat sends one shared system message of exactly N tokens", async () => {
  const seen = await seenBy("chat");
  assertEquals(seen.length, 6);
  const system = seen[0]!.system!;
  assertEquals(encode(system).length, 50);
  assert(seen.every((s) => s.system === system && s.route === "/v1/chat/completions"));
  assert(seen.every((s) => !s.text.includes(system)), "the user message is the prompt alone");
});

Deno.test("system prompt: the Responses API gets it as instructions", async () => {
  const seen = await seenBy("responses");
  assertEquals(seen.length, 6);
  const instructions = seen[0]!.instructions!;
  assertEquals(encode(instructions).length, 50);
  assert(seen.every((s) => s.instructions === instructions && s.system === undefined));
});

Deno.test("system prompt: the same prompts with or without it; completions put it first", async () => {
  const plain = await new SyntheticDataset({
    count: 3,
    input_tokens_mean: 10,
    seed: 4,
    turn_mean: 2,
  })
    .load();
  const withSystem = await new SyntheticDataset({
    count: 3,
    input_tokens_mean: 10,
    seed: 4,
    system_prompt_length: 12,
    turn_mean: 2,
  }).load();
  assertEquals(withSystem.map((e) => e.prompt), plain.map((e) => e.prompt));
  const system = withSystem[0]!.system!;
  assertEquals(encode(system).length, 12);
  assert(withSystem.every((e) => e.system === system && e.turns?.[0]?.system === system));
  const dir = await Deno.makeTempDir({ prefix: "plugmap-system-" });
  try {
    const run = await runMain([
      "--endpoint-type",
      "completions",
      "--shared-system-prompt-length",
      "8",
      "--request-count",
      "2",
      "--warmup-request-count",
      "0",
      "--no-progress",
      "--output",
      dir,
    ]);
    assertEquals(run.status, 0, run.stderr);
    const inputs = JSON.parse(await Deno.readTextFile(`${dir}/inputs.json`));
    const prompts: string[] = inputs.data.map((s: { payloads: { prompt: string }[] }) =>
      s.payloads[0]!.prompt
    );
    // The run's dataset (seed 0) has this system prompt.
    const [entry] = await new SyntheticDataset({ count: 1, system_prompt_length: 8 }).load();
    assertEquals(encode(entry!.system!).length, 8);
    assert(prompts.every((p) => p.startsWith(entry!.system! + "\n")), prompts[0]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
