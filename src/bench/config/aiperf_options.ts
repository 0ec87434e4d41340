/**
 * Every option of `aiperf profile`, as AIPerf's `docs/cli_options.md` lists them (the newest
 * version read, ai-dynamo/aiperf commit 023e12c, 2026), for the AIPerf table of `docs/cli.md`.
 * Whether one is supported is not written here: an option is supported when a row of the
 * settings table spells it, and that row says how. `why` says why the others are not.
 *
 * @module
 */

/** One AIPerf option: its group, its spellings, its default, and why we do not take it. */
export interface AiperfOption {
  /** AIPerf's group (its help's heading). */
  readonly group: string;
  /** Every spelling, with dashes (`-m`, `--model-names`, `--model`). */
  readonly flags: readonly string[];
  /** AIPerf's default, as its reference writes it ("" when none). */
  readonly default: string;
  /** Why no row of ours takes it (read only when none does). */
  readonly why: string;
}

const SYNTHESIS = "trace synthesis is not implemented (replay a trace as it is)";
const ACCURACY = "accuracy benchmarks are out of scope (performance only)";
const SERVICES = "one process with optional Deno workers; no ZMQ services";

function option(group: string, flags: string, defaultValue = "", why = ""): AiperfOption {
  return { group, flags: flags.split(" "), default: defaultValue, why };
}

/** The options of `aiperf profile`, in its reference's order. */
export const AIPERF_OPTIONS: readonly AiperfOption[] = [
  option("Every command", "-h --help"),
  option("Endpoint", "-m --model-names --model"),
  option("Endpoint", "--model-selection-strategy", "round_robin"),
  option("Endpoint", "--custom-endpoint --endpoint"),
  option("Endpoint", "--endpoint-type", "chat"),
  option("Endpoint", "--streaming", "off"),
  option("Endpoint", "-u --url", "localhost:8000"),
  option("Endpoint", "--url-strategy", "round_robin", "one URL per run"),
  option("Endpoint", "--request-timeout-seconds", "21600"),
  option("Endpoint", "--api-key"),
  option("Endpoint", "--transport --transport-type", "http", "HTTP only (fetch); no choice"),
  option(
    "Endpoint",
    "--use-legacy-max-tokens",
    "",
    "max_tokens is what we send; set max_completion_tokens with --extra-inputs",
  ),
  option("Endpoint", "--use-server-token-count", ""),
  option("Endpoint", "--connection-reuse-strategy", "pooled", "fetch pools connections"),
  option(
    "Endpoint",
    "--download-video-content",
    "",
    "no video generation endpoint (videos are sent to chat, not downloaded)",
  ),
  option("Input", "--extra-inputs"),
  option("Input", "-H --header"),
  option("Input", "--input-file"),
  option("Input", "--fixed-schedule"),
  option("Input", "--fixed-schedule-auto-offset"),
  option("Input", "--fixed-schedule-start-offset"),
  option("Input", "--fixed-schedule-end-offset"),
  option("Input", "--public-dataset", ""),
  option("Input", "--custom-dataset-type"),
  option(
    "Input",
    "--dataset-sampling-strategy",
    "",
    "set dataset_sampler in the benchmark file (sequential, random, shuffle)",
  ),
  option("Input", "--random-seed"),
  option("Input", "--goodput"),
  option("Audio Input", "--audio-batch-size --batch-size-audio", "1"),
  option("Audio Input", "--audio-length-mean", "0.0"),
  option("Audio Input", "--audio-length-stddev", "0.0"),
  option("Audio Input", "--audio-format", "wav"),
  option("Audio Input", "--audio-depths", "[16]"),
  option("Audio Input", "--audio-sample-rates", "[16.0]"),
  option("Audio Input", "--audio-num-channels", "1"),
  option("Image Input", "--image-width-mean", "0.0"),
  option("Image Input", "--image-width-stddev", "0.0"),
  option("Image Input", "--image-height-mean", "0.0"),
  option("Image Input", "--image-height-stddev", "0.0"),
  option("Image Input", "--image-batch-size --batch-size-image", "1"),
  option("Image Input", "--image-format", "png"),
  option("Video Input", "--video-batch-size --batch-size-video", "1"),
  option("Video Input", "--video-duration", "5.0"),
  option("Video Input", "--video-fps", "4"),
  option("Video Input", "--video-width"),
  option("Video Input", "--video-height"),
  option("Video Input", "--video-synth-type", "moving_shapes"),
  option("Video Input", "--video-format", "webm"),
  option("Video Input", "--video-codec", "libvpx-vp9"),
  option("Prompt", "-b --prompt-batch-size --batch-size-text --batch-size", "1"),
  option(
    "Input Sequence Length (ISL)",
    "--prompt-input-tokens-mean --synthetic-input-tokens-mean --isl",
    "550",
  ),
  option(
    "Input Sequence Length (ISL)",
    "--prompt-input-tokens-stddev --synthetic-input-tokens-stddev --isl-stddev",
    "0.0",
  ),
  option(
    "Input Sequence Length (ISL)",
    "--prompt-input-tokens-block-size --synthetic-input-tokens-block-size --isl-block-size",
    "512",
  ),
  option("Input Sequence Length (ISL)", "--seq-dist --sequence-distribution", ""),
  option("Output Sequence Length (OSL)", "--prompt-output-tokens-mean --output-tokens-mean --osl"),
  option(
    "Output Sequence Length (OSL)",
    "--prompt-output-tokens-stddev --output-tokens-stddev --osl-stddev",
    "0",
  ),
  option(
    "Prefix Prompt",
    "--prompt-prefix-pool-size --prefix-prompt-pool-size --num-prefix-prompts",
    "0",
  ),
  option("Prefix Prompt", "--prompt-prefix-length --prefix-prompt-length", "0"),
  option("Prefix Prompt", "--shared-system-prompt-length"),
  option("Prefix Prompt", "--user-context-prompt-length", "", "not implemented"),
  option("Rankings", "--rankings-passages-mean", "1"),
  option("Rankings", "--rankings-passages-stddev", "0"),
  option("Rankings", "--rankings-passages-prompt-token-mean", "550"),
  option("Rankings", "--rankings-passages-prompt-token-stddev", "0"),
  option("Rankings", "--rankings-query-prompt-token-mean", "550"),
  option("Rankings", "--rankings-query-prompt-token-stddev", "0"),
  option("Synthesis", "--synthesis-speedup-ratio", "1.0", SYNTHESIS),
  option("Synthesis", "--synthesis-prefix-len-multiplier", "1.0", SYNTHESIS),
  option("Synthesis", "--synthesis-prefix-root-multiplier", "1", SYNTHESIS),
  option("Synthesis", "--synthesis-prompt-len-multiplier", "1.0", SYNTHESIS),
  option("Synthesis", "--synthesis-max-isl", "", SYNTHESIS),
  option("Synthesis", "--synthesis-max-osl", "", SYNTHESIS),
  option("Conversation Input", "--conversation-num --num-conversations --num-sessions"),
  option("Conversation Input", "--num-dataset-entries --num-prompts", "100"),
  option("Conversation Input", "--conversation-turn-mean --session-turns-mean", "1"),
  option("Conversation Input", "--conversation-turn-stddev --session-turns-stddev", "0"),
  option("Conversation Input", "--conversation-turn-delay-mean --session-turn-delay-mean", "0.0"),
  option(
    "Conversation Input",
    "--conversation-turn-delay-stddev --session-turn-delay-stddev",
    "0.0",
  ),
  option("Conversation Input", "--conversation-turn-delay-ratio --session-delay-ratio", "1.0"),
  option("Output", "--output-artifact-dir --artifact-dir", "artifacts"),
  option("Output", "--profile-export-prefix --profile-export-file", ""),
  option("Output", "--export-level --profile-export-level", "records"),
  option("Output", "--slice-duration"),
  option("Output", "--export-http-trace", "", "no HTTP trace"),
  option("Output", "--show-trace-timing", "", "no HTTP trace"),
  option("Tokenizer", "--tokenizer"),
  option("Tokenizer", "--tokenizer-revision", "main"),
  option("Tokenizer", "--tokenizer-trust-remote-code"),
  option("Load Generator", "--benchmark-duration"),
  option("Load Generator", "--benchmark-grace-period", "30.0"),
  option("Load Generator", "--concurrency"),
  option("Load Generator", "--prefill-concurrency"),
  option("Load Generator", "--request-rate"),
  option("Load Generator", "--arrival-pattern --request-rate-mode", "poisson"),
  option("Load Generator", "--arrival-smoothness --vllm-burstiness"),
  option("Load Generator", "--request-count --num-requests", "max(10, concurrency * 2)"),
  option("Load Generator", "--warmup-request-count --num-warmup-requests", "none"),
  option("Load Generator", "--warmup-duration"),
  option("Load Generator", "--num-warmup-sessions"),
  option("Load Generator", "--warmup-concurrency"),
  option("Load Generator", "--warmup-prefill-concurrency"),
  option("Load Generator", "--warmup-request-rate"),
  option("Load Generator", "--warmup-arrival-pattern"),
  option("Load Generator", "--warmup-grace-period"),
  option("Load Generator", "--request-cancellation-rate", ""),
  option("Load Generator", "--request-cancellation-delay", "0.0"),
  option("Load Generator", "--user-centric-rate", "", "not implemented"),
  option("Load Generator", "--num-users", "", "not implemented"),
  option("Load Generator", "--concurrency-ramp-duration"),
  option("Load Generator", "--prefill-concurrency-ramp-duration"),
  option("Load Generator", "--warmup-concurrency-ramp-duration"),
  option("Load Generator", "--warmup-prefill-concurrency-ramp-duration"),
  option("Load Generator", "--request-rate-ramp-duration"),
  option("Load Generator", "--warmup-request-rate-ramp-duration"),
  option("Multi-Run Confidence Reporting", "--num-profile-runs", "1"),
  option("Multi-Run Confidence Reporting", "--profile-run-cooldown-seconds", "0.0"),
  option("Multi-Run Confidence Reporting", "--confidence-level", "0.95"),
  option(
    "Multi-Run Confidence Reporting",
    "--profile-run-disable-warmup-after-first --no-profile-run-disable-warmup-after-first",
    "True",
  ),
  option(
    "Multi-Run Confidence Reporting",
    "--set-consistent-seed --no-set-consistent-seed",
    "True",
  ),
  option("Accuracy", "--accuracy-benchmark", "", ACCURACY),
  option("Accuracy", "--accuracy-tasks", "", ACCURACY),
  option("Accuracy", "--accuracy-n-shots", "0", ACCURACY),
  option("Accuracy", "--accuracy-enable-cot", "", ACCURACY),
  option("Accuracy", "--accuracy-grader", "", ACCURACY),
  option("Accuracy", "--accuracy-system-prompt", "", ACCURACY),
  option("Accuracy", "--accuracy-verbose", "", ACCURACY),
  option("Telemetry", "--gpu-telemetry"),
  option("Telemetry", "--no-gpu-telemetry"),
  option("Server Metrics", "--server-metrics", "on"),
  option("Server Metrics", "--no-server-metrics"),
  option("Server Metrics", "--server-metrics-formats", "json csv"),
  option("ZMQ Communication", "--zmq-host", "127.0.0.1", SERVICES),
  option("ZMQ Communication", "--zmq-ipc-path", "", SERVICES),
  option("Workers", "--workers-max --max-workers", ""),
  option("Service", "--log-level", "INFO"),
  option("Service", "-v --verbose"),
  option("Service", "-vv --extra-verbose"),
  option("Service", "--record-processor-service-count --record-processors", "", SERVICES),
  option("Service", "--ui-type --ui", "dashboard"),
];
