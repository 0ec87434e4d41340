// AIPerf's default artifact directory, named from the flags as AIPerf names it.
import { assertEquals } from "../_assert.ts";
import { aiperfArtifactDir } from "../../../src/bench/config/aiperf_artifact_dir.ts";
import { parseBenchArgs } from "../../../src/bench/config/parse_bench_args.ts";

Deno.test("aiperf artifact dir: model, endpoint type and load, as AIPerf names them", () => {
  const dir = (argv: string[]) => aiperfArtifactDir(parseBenchArgs(argv));
  assertEquals(
    dir(["-m", "Qwen/Qwen3-0.6B"]),
    "artifacts/Qwen_Qwen3-0.6B-openai-chat-concurrency1",
  );
  assertEquals(
    dir(["-m", "a,b", "--endpoint-type", "embeddings", "--concurrency", "8"]),
    "artifacts/a_multi-openai-embeddings-concurrency8",
  );
  assertEquals(
    dir(["--model", "m", "--request-rate", "2.5", "--concurrency", "4"]),
    "artifacts/m-openai-chat-concurrency4-request_rate2.5",
  );
  assertEquals(
    dir(["my/model", "--request-rate", "32"]),
    "artifacts/my_model-openai-chat-request_rate32.0",
  );
  assertEquals(
    dir(["-m", "m", "--fixed-schedule", "--endpoint-type", "hf_tei_rankings"]),
    "artifacts/m-openai-hf_tei_rankings-fixed_schedule",
  );
});
