/**
 * Every setting of `deno task bench` and `deno task serve`, one row each. The parser, `--help`,
 * the benchmark file's own keys and its JSON Schema, the embedded server's options and
 * `docs/cli.md` are all derived from these rows.
 *
 * ## Adding an option: ONE row
 *
 * 1. Add a `setting({...})` row below, in its group: `key` (the name in `BenchArgs`), `flags`
 *    (AIPerf's spelling first when it has one, then other spellings), `kind` (from `_values.ts`:
 *    `integer`, `number`, `choice`, `text`, `boolean`, `parsed`, ...), `group`, `help`, `aiperf`
 *    (`same`, `default`, `no-effect` or `ours`, with an `aiperfNote` unless `same`). Optional:
 *    `default`, `negatable` (adds `--no-x`), `repeatable`, `file` (a benchmark-file key this
 *    table owns), `seeFile` (where a plugin's config holds it), `plugin` (a config key of the
 *    chosen dataset), `commands` (`["bench", "serve"]` for an embedded server option).
 * 2. Use the value: `parseBenchArgs(argv).<key>` is typed from the row. Rules between settings
 *    (needs X, cannot be combined with Y) go in the `resolve_*` steps, not in the row.
 * 3. Run `deno task gen:cli` to regenerate `docs/cli.md` and `schema/benchmark.schema.json`
 *    (`tests/bench/config/settings_table_test.ts` fails until you do).
 *
 * Rules every row gets for free: `--no-x` for a `negatable` switch; giving two spellings of one
 * setting (`--duration 5 --benchmark-duration 9`, `--progress --no-progress`) is an error naming
 * both (exit 2); errors name the spelling that was typed.
 *
 * @module
 */
import { parseGoodput } from "./parse_goodput.ts";
import { parseSearchSpace } from "./parse_search_space.ts";
import {
  audioDepths,
  audioFormat,
  exportLevel,
  exportPrefix,
  extraInputPairs,
  headerPairs,
  httpUrl,
  percentiles,
  sampleRates,
} from "./_text_values.ts";
import {
  boolean,
  choice,
  counter,
  fraction,
  integer,
  number,
  parsed,
  parsedList,
  text,
} from "./_values.ts";
import { setting } from "./setting.ts";
import { formatList, splitList } from "./flag_lists.ts";

/** The dataset types of `--custom-dataset-type` (each a built-in dataset of that name). */
export const DATASET_TYPES = [
  "single_turn",
  "multi_turn",
  "random_pool",
  "mooncake_trace",
  "sharegpt",
] as const;

/** AIPerf's `--log-level` choices. */
const LOG_LEVELS = ["trace", "debug", "info", "notice", "warning", "success", "error", "critical"];

/** The settings, in `--help` order within each group. */
export const SETTINGS = [
  // General
  setting({
    key: "help",
    flags: ["help"],
    short: "h",
    kind: boolean(),
    group: "general",
    help: "show this help",
    aiperf: "same",
    commands: ["bench", "serve"],
  }),
  setting({
    key: "config",
    flags: ["config"],
    kind: text("FILE"),
    group: "general",
    help: "YAML benchmark file (see examples/benchmark.yaml); flags override it",
    aiperf: "ours",
    aiperfNote: "AIPerf's YAML config (-f) has another shape; see docs/benchmark.md",
  }),
  setting({
    key: "strictPlugins",
    flags: ["strict-plugins"],
    kind: boolean(),
    file: "strict",
    group: "general",
    help: "exit non-zero on any plugin problem (a broken or incompatible plugin, even one the " +
      "run does not use) and on any phase hook that throws; for CI",
    aiperf: "ours",
  }),
  setting({
    key: "pluginLoadTimeout",
    flags: ["plugin-load-timeout"],
    kind: number("S", true),
    default: 30,
    group: "general",
    help: "fail when loading and creating one plugin takes longer than S seconds (a module " +
      "whose top-level await never settles); the run names a plugin that takes over 1 s",
    aiperf: "ours",
  }),

  setting({
    key: "frozen",
    flags: ["frozen"],
    kind: boolean(),
    group: "general",
    help: "verify the benchmark file's plugins against plugins.lock.json beside it " +
      "(deno task bench:plugins --config FILE lock) and refuse any it does not list: every " +
      "machine of a sharded run loads the same plugin bytes",
    aiperf: "ours",
  }),
  setting({
    key: "rerun",
    flags: ["rerun"],
    kind: text("DIR"),
    group: "general",
    help: "run the benchmark of DIR (a run's --output) again: its settings, prompts and " +
      "schedule; flags given beside it override its own; the API key and credential headers " +
      "(never written) come again from flags or the environment; says what differs from the " +
      "original environment",
    aiperf: "ours",
  }),

  // Endpoint
  setting({
    key: "url",
    flags: ["url"],
    short: "u",
    kind: parsed("URL", httpUrl),
    seeFile: "endpoint.config.url",
    group: "endpoint",
    help: "server base URL, e.g. http://127.0.0.1:8000 (http:// when no scheme is given); " +
      "without it an embedded server is started",
    aiperf: "default",
    aiperfNote: "AIPerf defaults to localhost:8000; without --url we benchmark an embedded server",
  }),
  setting({
    key: "model",
    flags: ["model", "model-names"],
    short: "m",
    kind: text("NAME[,NAME...]"),
    seeFile: "endpoint.config.model",
    group: "endpoint",
    help: "model to ask for; several (comma-separated) share the requests",
    defaultText: "plugmap-mock",
    aiperf: "default",
    aiperfNote: "required by AIPerf; defaults to the embedded server's model here",
  }),
  setting({
    key: "modelSelection",
    flags: ["model-selection-strategy"],
    kind: choice(["round_robin", "random"], { aliases: { "round-robin": "round_robin" } }),
    seeFile: "endpoint.config.model_selection",
    group: "endpoint",
    help: "round_robin: the nth request asks for model n mod count; random: uniform, " +
      "repeatable with --random-seed",
    defaultText: "round_robin",
    aiperf: "same",
  }),
  setting({
    key: "endpoint",
    flags: ["endpoint"],
    kind: text("NAME|PATH"),
    seeFile: "endpoint.name",
    group: "endpoint",
    help: 'an endpoint implementation (openai_chat, ...), or, a value with a "/", the route ' +
      "(as AIPerf's --endpoint)",
    aiperf: "same",
  }),
  setting({
    key: "endpointType",
    flags: ["endpoint-type"],
    kind: choice(["chat", "completions", "embeddings", "responses", "rankings"]),
    seeFile: "endpoint.name",
    group: "endpoint",
    help: "the OpenAI endpoint (openai_chat, openai_completions, openai_embeddings, " +
      "openai_responses: the Responses API, rankings: a NIM reranker)",
    defaultText: "chat",
    aiperf: "same",
  }),
  setting({
    key: "endpointPath",
    flags: ["custom-endpoint"],
    kind: text("PATH"),
    seeFile: "endpoint.config.path",
    group: "endpoint",
    help: "route instead of the OpenAI default, e.g. /v1/chat/completions",
    aiperf: "same",
  }),
  setting({
    key: "streaming",
    flags: ["streaming"],
    kind: boolean(),
    negatable: true,
    default: true,
    seeFile: "endpoint.config.streaming",
    group: "endpoint",
    help: "stream responses (only then are TTFT and ITL measured)",
    aiperf: "default",
    aiperfNote: "AIPerf streams only with --streaming; we stream unless --no-streaming",
  }),
  setting({
    key: "thinkTags",
    flags: ["think-tags"],
    kind: boolean(),
    negatable: true,
    default: true,
    seeFile: "endpoint.config.think_tags",
    group: "endpoint",
    help: "read <think>...</think> in the content as reasoning (servers without a reasoning " +
      "parser); --no-think-tags counts it as output (docs/metrics-truth.md)",
    aiperf: "ours",
    aiperfNote: "not an AIPerf option: reasoning in <think> tags is read unless turned off",
  }),
  setting({
    key: "apiKey",
    flags: ["api-key"],
    kind: text("KEY"),
    seeFile: "endpoint.config.api_key",
    group: "endpoint",
    help: 'sent as "Authorization: Bearer KEY"',
    aiperf: "same",
  }),
  setting({
    key: "headers",
    flags: ["header"],
    short: "H",
    kind: parsedList('"Name: value"', headerPairs),
    repeatable: true,
    seeFile: "endpoint.config.headers",
    group: "endpoint",
    help: "an extra HTTP header (repeatable, or a JSON object)",
    aiperf: "same",
  }),
  setting({
    key: "extraInputs",
    flags: ["extra-inputs"],
    kind: parsedList("KEY:VALUE", extraInputPairs),
    repeatable: true,
    seeFile: "endpoint.config.extra_body",
    group: "endpoint",
    help: "an extra request body field (repeatable; VALUE is JSON when it parses, e.g. " +
      "ignore_eos:true), or a JSON object",
    aiperf: "same",
  }),
  setting({
    key: "requestTimeoutSeconds",
    flags: ["request-timeout-seconds"],
    kind: number("S", true),
    default: 600,
    seeFile: "endpoint.config.timeout_ms",
    group: "endpoint",
    help: "give up a request after S seconds",
    aiperf: "default",
    aiperfNote: "AIPerf's default is 21600 (6 hours); a hung request fails sooner here",
  }),

  // Input
  setting({
    key: "inputFile",
    flags: ["input-file"],
    kind: text("PATH"),
    seeFile: "dataset.config.path",
    group: "input",
    help: "dataset file (or directory, for random_pool)",
    aiperf: "same",
  }),
  setting({
    key: "customDatasetType",
    flags: ["custom-dataset-type"],
    kind: choice(DATASET_TYPES),
    seeFile: "dataset.name",
    group: "input",
    help: "the format of --input-file",
    defaultText: "mooncake_trace",
    aiperf: "same",
  }),
  setting({
    key: "inputTokensMean",
    flags: ["synthetic-input-tokens-mean", "prompt-input-tokens-mean", "isl"],
    kind: integer(),
    plugin: { category: "dataset", key: "input_tokens_mean" },
    group: "input",
    help: "prompt tokens",
    defaultText: "32",
    aiperf: "default",
    aiperfNote: "AIPerf's default is 550; 32 keeps the default run quick",
  }),
  setting({
    key: "inputTokensStddev",
    flags: ["synthetic-input-tokens-stddev", "prompt-input-tokens-stddev", "isl-stddev"],
    kind: number("N", false),
    plugin: { category: "dataset", key: "input_tokens_stddev" },
    group: "input",
    help: "spread of prompt tokens",
    defaultText: "0",
    aiperf: "same",
  }),
  setting({
    key: "outputTokensMean",
    flags: ["output-tokens-mean", "prompt-output-tokens-mean", "osl"],
    kind: integer(),
    plugin: { category: "dataset", key: "output_tokens_mean" },
    group: "input",
    help: "max_tokens asked for",
    aiperf: "same",
  }),
  setting({
    key: "outputTokensStddev",
    flags: ["output-tokens-stddev", "prompt-output-tokens-stddev", "osl-stddev"],
    kind: number("N", false),
    plugin: { category: "dataset", key: "output_tokens_stddev" },
    group: "input",
    help: "spread of max_tokens",
    defaultText: "0",
    aiperf: "same",
  }),
  setting({
    key: "prefixPromptLength",
    flags: ["prefix-prompt-length", "prompt-prefix-length"],
    kind: integer("N", 0),
    plugin: { category: "dataset", key: "prefix_prompt_length" },
    group: "input",
    help: "tokens of a shared prefix before each prompt",
    defaultText: "0",
    aiperf: "same",
  }),
  setting({
    key: "numPrefixPrompts",
    flags: ["num-prefix-prompts", "prompt-prefix-pool-size", "prefix-prompt-pool-size"],
    kind: integer("N", 0),
    plugin: { category: "dataset", key: "num_prefix_prompts", omit: (n) => n === 0 },
    group: "input",
    help: "how many different prefixes (0 counts as 1)",
    defaultText: "1",
    aiperf: "default",
    aiperfNote: "AIPerf's default is 0, which turns prefixes off; here --prefix-prompt-length " +
      "alone gives one shared prefix",
  }),
  setting({
    key: "numDatasetEntries",
    flags: ["num-dataset-entries", "num-prompts"],
    kind: integer(),
    plugin: { category: "dataset", key: "count" },
    group: "input",
    help: "distinct synthetic prompts",
    defaultText: "one per profiling request, 100 to 2,000",
    aiperf: "default",
    aiperfNote: "AIPerf's default is 100; one prompt per request keeps a prefix cache honest",
  }),
  setting({
    key: "blockSize",
    flags: [
      "isl-block-size",
      "prompt-input-tokens-block-size",
      "synthetic-input-tokens-block-size",
    ],
    kind: integer(),
    plugin: { category: "dataset", key: "block_size" },
    group: "input",
    help: "tokens per Mooncake hash_ids block",
    defaultText: "512",
    aiperf: "same",
  }),
  setting({
    key: "publicDataset",
    flags: ["public-dataset"],
    kind: choice(["sharegpt"]),
    group: "input",
    help: "a public dataset read from the local Hugging Face cache (nothing is downloaded; the " +
      "error names the huggingface-cli command that fetches it)",
    aiperf: "default",
    aiperfNote: "AIPerf downloads it; here it must already be in the Hugging Face cache",
  }),
  setting({
    key: "promptBatchSize",
    flags: ["prompt-batch-size", "batch-size-text", "batch-size"],
    short: "b",
    kind: integer(),
    plugin: { category: "dataset", key: "batch_size" },
    group: "input",
    help: "texts per request: the embeddings endpoint sends N synthetic prompts as one input " +
      "list (other endpoints send the first)",
    defaultText: "1",
    aiperf: "same",
  }),
  setting({
    key: "imageWidthMean",
    flags: ["image-width-mean"],
    kind: number("PX", false),
    plugin: { category: "dataset", key: "image_width_mean" },
    group: "input",
    help:
      "image width in pixels, mean: with --image-height-mean, each chat request carries random-" +
      "noise images (image_url data URLs, generated locally, repeatable with --random-seed)",
    defaultText: "0",
    aiperf: "same",
  }),
  setting({
    key: "imageWidthStddev",
    flags: ["image-width-stddev"],
    kind: number("PX", false),
    plugin: { category: "dataset", key: "image_width_stddev" },
    group: "input",
    help: "image width, standard deviation",
    defaultText: "0",
    aiperf: "same",
  }),
  setting({
    key: "imageHeightMean",
    flags: ["image-height-mean"],
    kind: number("PX", false),
    plugin: { category: "dataset", key: "image_height_mean" },
    group: "input",
    help: "image height in pixels, mean (images only when both means are above 0)",
    defaultText: "0",
    aiperf: "same",
  }),
  setting({
    key: "imageHeightStddev",
    flags: ["image-height-stddev"],
    kind: number("PX", false),
    plugin: { category: "dataset", key: "image_height_stddev" },
    group: "input",
    help: "image height, standard deviation",
    defaultText: "0",
    aiperf: "same",
  }),
  setting({
    key: "imageFormat",
    flags: ["image-format"],
    kind: choice(["png", "jpeg", "random"]),
    plugin: { category: "dataset", key: "image_format" },
    group: "input",
    help: "image encoding; random draws png or jpeg for each image",
    defaultText: "png",
    aiperf: "same",
  }),
  setting({
    key: "imageBatchSize",
    flags: ["image-batch-size", "batch-size-image"],
    kind: integer(),
    plugin: { category: "dataset", key: "image_batch_size" },
    group: "input",
    help: "images per request",
    defaultText: "1",
    aiperf: "same",
  }),
  setting({
    key: "audioLengthMean",
    flags: ["audio-length-mean"],
    kind: number("S", false),
    plugin: { category: "dataset", key: "audio_length_mean" },
    group: "input",
    help:
      "audio length in seconds, mean: above 0, each chat request carries white-noise WAV clips " +
      "(input_audio parts, generated locally, repeatable with --random-seed)",
    defaultText: "0",
    aiperf: "same",
  }),
  setting({
    key: "audioLengthStddev",
    flags: ["audio-length-stddev"],
    kind: number("S", false),
    plugin: { category: "dataset", key: "audio_length_stddev" },
    group: "input",
    help: "audio length, standard deviation (a length is redrawn until at least 10 ms)",
    defaultText: "0",
    aiperf: "same",
  }),
  setting({
    key: "audioFormat",
    flags: ["audio-format"],
    kind: parsed("wav", audioFormat),
    plugin: { category: "dataset", key: "audio_format" },
    group: "input",
    help: "audio encoding: wav",
    defaultText: "wav",
    aiperf: "same",
    aiperfNote: "mp3 is refused (exit 2): no MP3 encoder is used; wav only",
  }),
  setting({
    key: "audioSampleRates",
    flags: ["audio-sample-rates"],
    kind: parsedList("KHZ...", sampleRates),
    repeatable: true,
    plugin: { category: "dataset", key: "audio_sample_rates" },
    group: "input",
    help: "sample rates in kHz, one drawn for each clip (several: words or commas)",
    defaultText: "[16.0]",
    aiperf: "same",
  }),
  setting({
    key: "audioDepths",
    flags: ["audio-depths"],
    kind: parsedList("BITS...", audioDepths),
    repeatable: true,
    plugin: { category: "dataset", key: "audio_depths" },
    group: "input",
    help: "bits per sample (8, 16, 24, 32), one drawn for each clip",
    defaultText: "[16]",
    aiperf: "same",
  }),
  setting({
    key: "audioNumChannels",
    flags: ["audio-num-channels"],
    kind: integer("N", 1, 2),
    plugin: { category: "dataset", key: "audio_num_channels" },
    group: "input",
    help: "audio channels: 1 (mono) or 2 (stereo)",
    defaultText: "1",
    aiperf: "same",
  }),
  setting({
    key: "audioBatchSize",
    flags: ["audio-batch-size", "batch-size-audio"],
    kind: integer(),
    plugin: { category: "dataset", key: "audio_batch_size" },
    group: "input",
    help: "audio clips per request",
    defaultText: "1",
    aiperf: "same",
  }),
  setting({
    key: "sequenceDistribution",
    flags: ["seq-dist", "sequence-distribution"],
    kind: text("ISL,OSL:W;..."),
    plugin: { category: "dataset", key: "sequence_distribution" },
    group: "input",
    help: 'a mixture of (input, output) lengths with weights, e.g. "256,128:60;512,256:40" ' +
      "(a length may carry |STDDEV); replaces the input and output means",
    aiperf: "same",
  }),
  setting({
    key: "conversationTurnMean",
    flags: ["conversation-turn-mean", "session-turns-mean"],
    kind: integer(),
    plugin: { category: "dataset", key: "turn_mean" },
    group: "input",
    help: "turns per synthetic conversation, mean; each later turn carries the history",
    defaultText: "1",
    aiperf: "same",
  }),
  setting({
    key: "conversationTurnStddev",
    flags: ["conversation-turn-stddev", "session-turns-stddev"],
    kind: number("N", false),
    plugin: { category: "dataset", key: "turn_stddev" },
    group: "input",
    help: "turns per synthetic conversation, standard deviation",
    defaultText: "0",
    aiperf: "same",
  }),
  setting({
    key: "conversationTurnDelayMean",
    flags: ["conversation-turn-delay-mean", "session-turn-delay-mean"],
    kind: number("MS", false),
    plugin: { category: "dataset", key: "turn_delay_mean" },
    group: "input",
    help: "milliseconds from a reply to the next turn of its conversation, mean",
    defaultText: "0",
    aiperf: "same",
  }),
  setting({
    key: "conversationTurnDelayStddev",
    flags: ["conversation-turn-delay-stddev", "session-turn-delay-stddev"],
    kind: number("MS", false),
    plugin: { category: "dataset", key: "turn_delay_stddev" },
    group: "input",
    help: "standard deviation of that delay",
    defaultText: "0",
    aiperf: "same",
  }),
  setting({
    key: "conversationTurnDelayRatio",
    flags: ["conversation-turn-delay-ratio", "session-delay-ratio"],
    kind: number("R", false),
    plugin: { category: "dataset", key: "turn_delay_ratio" },
    group: "input",
    help: "every turn delay is multiplied by R (0: no delays)",
    defaultText: "1",
    aiperf: "same",
  }),
  setting({
    key: "conversationNum",
    flags: ["conversation-num", "num-conversations", "num-sessions"],
    kind: integer(),
    seeFile: "phases.profiling.conversation_count",
    group: "input",
    help: "profiling stops after N conversations; synthetic prompts: N unique conversations, " +
      "each sent once (AIPerf's meaning)",
    aiperf: "same",
  }),
  setting({
    key: "randomSeed",
    flags: ["random-seed"],
    kind: integer("N", 0),
    group: "input",
    help: "seed of prompts, samplers, model selection and arrivals",
    aiperf: "same",
  }),

  // Tokenizer
  setting({
    key: "tokenizer",
    flags: ["tokenizer"],
    kind: text("NAME|PATH"),
    group: "tokenizer",
    help: "the tokenizer prompts are sized in (also o200k_base, or a Hugging Face " +
      "tokenizer.json, file or folder), and the one that counts tokens the server does not " +
      "report in usage",
    defaultText: "cl100k_base",
    aiperf: "default",
    aiperfNote: "AIPerf loads the model's tokenizer from Hugging Face; we run offline",
  }),
  setting({
    key: "tokenizerRevision",
    flags: ["tokenizer-revision"],
    kind: text("REV"),
    group: "tokenizer",
    help: "branch, tag or commit of a Hugging Face --tokenizer ORG/NAME, looked up in the " +
      "local cache",
    defaultText: "main",
    aiperf: "same",
  }),
  setting({
    key: "useServerTokenCount",
    flags: ["use-server-token-count"],
    kind: boolean(),
    negatable: true,
    group: "tokenizer",
    help: "count tokens from the server's usage when it reports them; --no-use-server-token-" +
      "count counts every request with --tokenizer (cl100k_base without one), as AIPerf does " +
      "by default",
    defaultText: "on",
    aiperf: "default",
    aiperfNote: "on by default here (AIPerf re-tokenizes by default): usage is exact for the " +
      "model that generated the tokens and needs no tokenizer download; " +
      "--no-use-server-token-count gives AIPerf's default",
  }),
  setting({
    key: "tokenizerTrustRemoteCode",
    flags: ["tokenizer-trust-remote-code"],
    kind: boolean(),
    group: "tokenizer",
    help: "accepted so AIPerf command lines run; no effect",
    aiperf: "no-effect",
    aiperfNote: "a tokenizer.json runs no code",
  }),

  // Load generator
  setting({
    key: "concurrency",
    flags: ["concurrency"],
    kind: integer(),
    sweeps: true,
    seeFile: "timing_strategy.config.concurrency",
    group: "load",
    help: "requests (or conversations) in flight, or the cap on in-flight requests with " +
      "--request-rate; a list (1,2,4,8) sweeps: one profiling phase per value",
    defaultText: "8",
    aiperf: "default",
    aiperfNote: "AIPerf's default is 1",
  }),
  setting({
    key: "concurrencyRampDuration",
    flags: ["concurrency-ramp-duration"],
    kind: number("S", false),
    seeFile: "timing_strategy.config.ramp_duration",
    group: "load",
    help: "concurrency grows from 1 to N over S seconds",
    aiperf: "same",
  }),
  setting({
    key: "requestRate",
    flags: ["request-rate"],
    kind: number("R", true),
    sweeps: true,
    seeFile: "timing_strategy.config.request_rate",
    group: "load",
    help: "requests per second (request_rate timing); a list (5,10,20) sweeps the rate",
    aiperf: "same",
  }),
  setting({
    key: "requestRateRampDuration",
    flags: ["request-rate-ramp-duration"],
    kind: number("S", false),
    seeFile: "timing_strategy.config.ramp_duration",
    group: "load",
    help: "the rate grows from 0 to R over S seconds",
    aiperf: "same",
  }),
  setting({
    key: "arrival",
    flags: ["arrival-pattern", "request-rate-mode", "arrival"],
    kind: choice(["constant", "poisson", "gamma"]),
    seeFile: "timing_strategy.config.arrival",
    group: "load",
    help: "arrivals for --request-rate",
    defaultText: "constant",
    aiperf: "default",
    aiperfNote: "AIPerf's default is poisson",
  }),
  setting({
    key: "arrivalSmoothness",
    flags: ["arrival-smoothness", "vllm-burstiness", "burstiness"],
    kind: number("K", true),
    seeFile: "timing_strategy.config.smoothness",
    group: "load",
    help: "gamma shape: < 1 burstier, > 1 smoother",
    defaultText: "1",
    aiperf: "same",
  }),
  setting({
    key: "fixedSchedule",
    flags: ["fixed-schedule"],
    kind: boolean(),
    seeFile: "timing_strategy.name",
    group: "load",
    help: "send each entry at its timestamp (trace replay)",
    aiperf: "same",
  }),
  setting({
    key: "fixedScheduleAutoOffset",
    flags: ["fixed-schedule-auto-offset"],
    kind: boolean(),
    seeFile: "timing_strategy.config.auto_offset",
    group: "load",
    help: "count timestamps from the first one",
    aiperf: "same",
  }),
  setting({
    key: "fixedScheduleStartOffset",
    flags: ["fixed-schedule-start-offset"],
    kind: integer("MS", 0),
    seeFile: "timing_strategy.config.start_offset",
    group: "load",
    help: "send only entries with timestamp >= MS; times count from MS (not with " +
      "--fixed-schedule-auto-offset)",
    aiperf: "same",
  }),
  setting({
    key: "fixedScheduleEndOffset",
    flags: ["fixed-schedule-end-offset"],
    kind: integer("MS", 0),
    group: "load",
    help: "send only entries with timestamp <= MS",
    aiperf: "same",
  }),
  setting({
    key: "requestCount",
    flags: ["request-count", "num-requests"],
    kind: integer(),
    seeFile: "phases.profiling.request_count",
    group: "load",
    help: "profiling stops after N requests",
    defaultText: "100; with --input-file, the file once",
    aiperf: "default",
    aiperfNote: "AIPerf's default is 10",
  }),
  setting({
    key: "duration",
    flags: ["benchmark-duration", "duration"],
    kind: number("SECONDS", true),
    seeFile: "phases.profiling.duration",
    group: "load",
    help: "profiling stops issuing after SECONDS",
    aiperf: "same",
  }),
  setting({
    key: "gracePeriod",
    flags: ["benchmark-grace-period"],
    kind: number("S", false),
    default: 30,
    group: "load",
    help: "with a duration: requests in flight when it ends get S more seconds; those still " +
      "unfinished are cancelled, counted as cancelled and kept out of the metrics",
    aiperf: "same",
  }),
  setting({
    key: "warmupRequestCount",
    flags: ["warmup-request-count", "num-warmup-requests"],
    kind: integer("N", 0),
    seeFile: "phases.warmup.request_count",
    group: "load",
    help: "warmup requests, discarded (0 = none)",
    defaultText: "8; with --input-file, none",
    aiperf: "default",
    aiperfNote: "AIPerf's default is 0",
  }),
  setting({
    key: "sweepMaxErrorRate",
    flags: ["sweep-max-error-rate"],
    kind: fraction(),
    default: 0.1,
    group: "load",
    help: "a sweep stops after a value whose share of failed requests is above F",
    aiperf: "ours",
  }),
  setting({
    key: "sliceDuration",
    flags: ["slice-duration"],
    kind: number("S", true),
    group: "output",
    help: "cut the profiling phase into time slices of S seconds (by request start), each " +
      "with its counts, throughput and statistics, in profile_export.json and report.html",
    aiperf: "same",
  }),
  setting({
    key: "numProfileRuns",
    flags: ["num-profile-runs"],
    kind: integer("N", 1, 100),
    default: 1,
    group: "runs",
    help: "run the benchmark N times with the same workload (the same prompts and schedule): " +
      "each run's exports in profile_runs/run_0001/..., and mean, std, cv and a confidence " +
      "interval over the runs of every statistic in aggregate/profile_export_aiperf_aggregate" +
      ".json and .csv",
    aiperf: "same",
  }),
  setting({
    key: "profileRunCooldownSeconds",
    flags: ["profile-run-cooldown-seconds"],
    kind: number("S", false),
    default: 0,
    group: "runs",
    help: "pause S seconds between repeated runs",
    aiperf: "same",
  }),
  setting({
    key: "confidenceLevel",
    flags: ["confidence-level"],
    kind: fraction(),
    default: 0.95,
    group: "runs",
    help: "confidence level of the intervals over repeated runs (Student's t) and of the " +
      "bootstrap intervals of each run's statistics in profile_export.json (above 0, below 1)",
    aiperf: "same",
  }),
  setting({
    key: "profileRunDisableWarmupAfterFirst",
    flags: ["profile-run-disable-warmup-after-first"],
    kind: boolean(),
    negatable: true,
    default: true,
    group: "runs",
    help: "warm up before the first repeated run only; --no-... warms up before each",
    aiperf: "same",
  }),
  setting({
    key: "setConsistentSeed",
    flags: ["set-consistent-seed"],
    kind: boolean(),
    negatable: true,
    default: true,
    group: "runs",
    help: "repeated runs without --random-seed use --random-seed 42, so every run sends the " +
      "same workload",
    aiperf: "same",
  }),
  setting({
    key: "searchSpace",
    flags: ["search-space"],
    kind: parsed("FIELD:LOW:HIGH", parseSearchSpace),
    group: "load",
    help: "search the largest request_rate (or concurrency) from LOW to HIGH at which the " +
      "share of requests meeting every --goodput SLO is at least --search-goodput-fraction: " +
      "bracketing (doubling from LOW), then bisection; each probe a full run (warmup, then " +
      "profiling); writes search.json and search.html (docs/answers.md)",
    aiperf: "ours",
    aiperfNote: "AIPerf's --search-space drives a Bayesian search over any setting; this one " +
      "bisects one load setting against the goodput SLOs",
  }),
  setting({
    key: "searchGoodputFraction",
    flags: ["search-goodput-fraction"],
    kind: fraction(),
    defaultText: "0.95",
    group: "load",
    help: "share of a probe's requests that must meet every --goodput SLO (AIPerf's " +
      "good_request_fraction)",
    aiperf: "ours",
  }),
  setting({
    key: "searchPrecision",
    flags: ["search-precision"],
    kind: number("F", true),
    defaultText: "0.1",
    group: "load",
    help: "a request-rate search stops when the bracket is narrower than F times its lower " +
      "end (a concurrency search: one wide)",
    aiperf: "ours",
  }),
  setting({
    key: "searchMaxIterations",
    flags: ["search-max-iterations"],
    kind: integer(),
    defaultText: "12",
    group: "load",
    help: "a search stops after N probes",
    aiperf: "ours",
  }),
  setting({
    key: "searchMaxErrorRate",
    flags: ["search-max-error-rate"],
    kind: fraction(),
    defaultText: "0.05",
    group: "load",
    help: "a probe whose share of failed requests is above F misses the target",
    aiperf: "ours",
  }),
  setting({
    key: "requestCancellationRate",
    flags: ["request-cancellation-rate"],
    kind: number("PERCENT", true),
    group: "load",
    help: "percent (0 to 100) of requests to cancel: each chosen request is sent, then " +
      "aborted (the connection dropped) after --request-cancellation-delay; it counts as a " +
      "failed request of kind cancelled (AIPerf's 499 RequestCancellationError)",
    aiperf: "same",
  }),
  setting({
    key: "requestCancellationDelay",
    flags: ["request-cancellation-delay"],
    kind: number("SECONDS", false),
    group: "load",
    help: "seconds after a chosen request is sent before it is aborted (needs " +
      "--request-cancellation-rate)",
    defaultText: "0",
    aiperf: "same",
  }),
  setting({
    key: "workers",
    flags: ["workers", "workers-max", "max-workers"],
    kind: integer(),
    default: 1,
    group: "load",
    help: "send the load from N Deno workers (1: the main thread); use when the client is late",
    aiperf: "default",
    aiperfNote: "AIPerf's --workers-max caps its worker processes (default from the CPU count); " +
      "here it is the number of Deno workers, default 1 (the main thread keeps up with most " +
      "loads; the bench warns when the client is late)",
  }),
  setting({
    key: "preflight",
    flags: ["preflight"],
    kind: boolean(),
    negatable: true,
    default: true,
    group: "load",
    help: "check the endpoint with one request before the warmup",
    aiperf: "ours",
  }),

  // Output and metrics
  setting({
    key: "output",
    flags: ["output", "artifact-dir", "output-artifact-dir"],
    kind: text("DIR"),
    file: "output",
    group: "output",
    help: "write DIR/profile_export.json, records.jsonl, profile_export.csv and report.html " +
      "(a sweep: one directory per value, sweep.csv and sweep.html)",
    aiperf: "default",
    aiperfNote: "AIPerf always writes to artifacts/; without --output we print the table only",
  }),
  setting({
    key: "goodput",
    flags: ["goodput"],
    kind: parsed('"METRIC:VALUE ..."', parseGoodput),
    group: "output",
    help: 'goodput SLOs, e.g. "time_to_first_token:200 inter_token_latency:20" (ms)',
    aiperf: "same",
  }),
  setting({
    key: "percentiles",
    flags: ["metric-percentiles"],
    kind: parsed("LIST", percentiles),
    group: "output",
    help: "percentiles to report",
    defaultText: "1,5,10,25,50,75,90,95,99",
    aiperf: "ours",
  }),
  setting({
    key: "perPhase",
    flags: ["per-phase"],
    kind: boolean(),
    seeFile: "exporters[].config.per_phase (console)",
    group: "output",
    help: "print one metrics table per phase",
    aiperf: "ours",
  }),
  setting({
    key: "profileExportPrefix",
    flags: ["profile-export-prefix", "profile-export-file"],
    kind: parsed("STEM", exportPrefix),
    seeFile: "exporters[].config.prefix (aiperf)",
    group: "output",
    help: "AIPerf's files are STEM.json, STEM.csv and STEM.jsonl (a given extension is " +
      "dropped); inputs.json keeps its name",
    defaultText: "profile_export_aiperf (summaries), profile_export (records)",
    aiperf: "same",
  }),
  setting({
    key: "exportLevel",
    flags: ["export-level", "profile-export-level"],
    kind: parsed("LEVEL", exportLevel),
    seeFile: "exporters[].config.export_level (aiperf)",
    group: "output",
    help: "records: AIPerf's summaries and its per-request profile_export.jsonl; summary: " +
      "the summaries only",
    defaultText: "records",
    aiperf: "same",
    aiperfNote: "raw is refused (exit 2): the bench keeps no request or response bodies",
  }),

  setting({
    key: "serverMetrics",
    flags: ["server-metrics"],
    kind: parsedList("URL...", splitList),
    repeatable: true,
    group: "output",
    help: "more Prometheus endpoints to scrape during each phase (the server's own /metrics, " +
      "from --url, always is when it answers); see docs/server-metrics.md",
    aiperf: "same",
  }),
  setting({
    key: "noServerMetrics",
    flags: ["no-server-metrics"],
    kind: boolean(),
    group: "output",
    help: "scrape no metrics endpoint, the server's own included",
    aiperf: "same",
  }),
  setting({
    key: "serverMetricsFormats",
    flags: ["server-metrics-formats"],
    kind: parsedList("FORMAT...", formatList),
    repeatable: true,
    group: "output",
    help: "server_metrics_export files: json, csv, jsonl (every scrape)",
    defaultText: "json csv",
    aiperf: "default",
    aiperfNote: "parquet is not written; AIPerf's newer versions also write it by default",
  }),
  setting({
    key: "gpuTelemetry",
    flags: ["gpu-telemetry"],
    kind: parsedList("[URL...]", splitList),
    repeatable: true,
    group: "output",
    help: "scrape DCGM exporters (without a URL: localhost:9400 and :9401)",
    aiperf: "default",
    aiperfNote: "scraped only when the flag is given; pynvml and dashboard are accepted, ignored",
  }),
  setting({
    key: "noGpuTelemetry",
    flags: ["no-gpu-telemetry"],
    kind: boolean(),
    group: "output",
    help: "scrape no DCGM exporter",
    aiperf: "same",
  }),

  // Sharding
  setting({
    key: "shard",
    flags: ["shard"],
    kind: text("I/N|auto"),
    group: "shard",
    help: "run shard I of N (from 0) of one benchmark; auto reads SLURM_PROCID and " +
      "SLURM_NTASKS, or JOB_COMPLETION_INDEX and BENCH_SHARD_COUNT (a Kubernetes Indexed Job); " +
      "each shard writes OUTPUT/shard-I/",
    aiperf: "ours",
  }),
  setting({
    key: "coordinator",
    flags: ["coordinator"],
    kind: text("HOST:PORT"),
    group: "shard",
    help: "where shard 0 listens and every shard reports ready (settings hash, clock sample) " +
      "and gets one start instant",
    defaultText: "on Slurm, the step's first node, a port from the job id; none otherwise",
    aiperf: "ours",
  }),
  setting({
    key: "coordinatorTimeout",
    flags: ["coordinator-timeout"],
    kind: number("S", true),
    group: "shard",
    help: "seconds shards wait for one another (to report ready, to reach the start)",
    defaultText: "120",
    aiperf: "ours",
  }),

  // UI and logging
  setting({
    key: "progress",
    flags: ["progress"],
    kind: boolean(),
    negatable: true,
    group: "ui",
    help: "a progress line (redrawn on a terminal, periodic otherwise)",
    aiperf: "ours",
  }),
  setting({
    key: "uiType",
    flags: ["ui-type", "ui"],
    kind: choice(["none", "simple", "dashboard"]),
    group: "ui",
    help: "none: no progress line; simple and dashboard: the progress line",
    aiperf: "no-effect",
    aiperfNote: "one progress line stands for AIPerf's two screens",
  }),
  setting({
    key: "logLevel",
    flags: ["log-level"],
    kind: choice(LOG_LEVELS, { metavar: "LEVEL", fold: true }),
    group: "ui",
    help: "accepted so AIPerf command lines run; no effect (the bench always prints its " +
      "warnings, errors by kind and the summary)",
    aiperf: "no-effect",
    aiperfNote: "the bench always prints its warnings, errors by kind and the summary",
  }),
  setting({
    key: "verbose",
    flags: ["verbose"],
    short: "v",
    kind: counter(),
    group: "ui",
    help: "--log-level debug (-vv: trace)",
    aiperf: "no-effect",
    aiperfNote: "as --log-level",
  }),
  setting({
    key: "extraVerbose",
    flags: ["extra-verbose"],
    kind: boolean(),
    group: "ui",
    help: "--log-level trace",
    aiperf: "no-effect",
    aiperfNote: "as --log-level",
  }),

  // Embedded server (also `deno task serve`)
  setting({
    key: "ttftMs",
    flags: ["ttft-ms"],
    kind: number("MS", false),
    default: 20,
    file: "server.ttft_ms",
    group: "server",
    help: "time to first token in ms",
    aiperf: "ours",
    commands: ["bench", "serve"],
  }),
  setting({
    key: "itlMs",
    flags: ["itl-ms"],
    kind: number("MS", false),
    default: 2,
    file: "server.itl_ms",
    group: "server",
    help: "inter-token latency in ms",
    aiperf: "ours",
    commands: ["bench", "serve"],
  }),
  setting({
    key: "outputTokens",
    flags: ["output-tokens"],
    kind: integer(),
    default: 32,
    file: "server.output_tokens",
    group: "server",
    help: "output tokens per response (fewer if max_tokens is lower)",
    aiperf: "ours",
    commands: ["bench", "serve"],
  }),
  setting({
    key: "reasoningTokens",
    flags: ["reasoning-tokens"],
    kind: integer("N", 0),
    default: 0,
    file: "server.reasoning_tokens",
    group: "server",
    help: "reasoning tokens before the output (chat)",
    aiperf: "ours",
    commands: ["bench", "serve"],
  }),
  setting({
    key: "reasoningField",
    flags: ["reasoning-field"],
    kind: choice(["reasoning", "reasoning_content"]),
    default: "reasoning",
    file: "server.reasoning_field",
    group: "server",
    help: "the delta field reasoning goes in (reasoning: vLLM's)",
    aiperf: "ours",
    commands: ["bench", "serve"],
  }),
  setting({
    key: "tokensPerChunk",
    flags: ["tokens-per-chunk"],
    kind: integer(),
    default: 1,
    file: "server.tokens_per_chunk",
    group: "server",
    help: "tokens per streamed chunk",
    aiperf: "ours",
    commands: ["bench", "serve"],
  }),
  setting({
    key: "usage",
    flags: ["usage"],
    kind: boolean(),
    negatable: true,
    default: true,
    file: "server.usage",
    group: "server",
    help: "report usage (token counts)",
    aiperf: "ours",
    commands: ["bench", "serve"],
  }),
  setting({
    key: "errorEvery",
    flags: ["error-every"],
    kind: integer("N", 0),
    default: 0,
    file: "server.error_every",
    group: "server",
    help: "every N-th completion request fails with HTTP 500 (0: never)",
    aiperf: "ours",
    commands: ["bench", "serve"],
  }),
  setting({
    key: "crashAfter",
    flags: ["crash-after"],
    kind: integer(),
    file: "server.crash_after",
    group: "server",
    help: "the server goes away after N completion requests (stops listening, cuts streams)",
    aiperf: "ours",
    commands: ["bench", "serve"],
  }),

  // `deno task serve` only
  setting({
    key: "port",
    flags: ["port"],
    kind: integer("P", 0, 65535),
    default: 8000,
    group: "serve",
    help: "port (0: any free port)",
    aiperf: "ours",
    commands: ["serve"],
  }),
  setting({
    key: "host",
    flags: ["host"],
    kind: text("H"),
    default: "127.0.0.1",
    group: "serve",
    help: "interface to listen on",
    aiperf: "ours",
    commands: ["serve"],
  }),
  setting({
    key: "serverModel",
    flags: ["model"],
    kind: text("NAME"),
    default: "plugmap-mock",
    group: "serve",
    help: "model name /v1/models lists",
    aiperf: "ours",
    commands: ["serve"],
  }),
] as const;

type Row = (typeof SETTINGS)[number];

/**
 * The default of a setting, from its row (for the code that applies it).
 *
 * @param key The setting's key.
 * @returns Its `default`.
 * @throws {TypeError} When the row has no default (a mistake in the code).
 *
 * @example
 * ```ts
 * import { defaultOf } from "./settings_table.ts";
 *
 * if (defaultOf("ttftMs") !== 20) throw new Error("wrong");
 * ```
 */
export function defaultOf<const K extends Row["key"]>(
  key: K,
): Extract<Row, { key: K }> extends { default?: infer T } ? Exclude<T, undefined> : never {
  const row = SETTINGS.find((r) => r.key === key) as { default?: unknown } | undefined;
  if (row?.default === undefined) throw new TypeError(`The setting "${key}" has no default`);
  return row.default as never;
}
