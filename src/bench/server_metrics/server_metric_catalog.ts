import type { MetricRole } from "./types.ts";

/** A metric the bench knows by name. */
export interface KnownMetric {
  /** The exported name (a counter without `_total`), e.g. `vllm:num_requests_waiting`. */
  readonly name: string;
  /** The server or exporter that publishes it. */
  readonly server: "vLLM" | "SGLang" | "TGI" | "TensorRT-LLM" | "Dynamo" | "DCGM";
  readonly role: MetricRole;
  /** A short label for tables and charts. */
  readonly title: string;
  /** The unit shown: a histogram in seconds is shown in ms. */
  readonly unit: string;
}

const k = (
  server: KnownMetric["server"],
  name: string,
  role: MetricRole,
  title: string,
  unit: string,
): KnownMetric => ({ name, server, role, title, unit });

/**
 * The metrics of the main LLM servers and of NVIDIA's DCGM exporter, in the order summaries and
 * reports show them: what the server was doing (running batch, queue, KV cache, preemptions),
 * its own latencies, its token throughput, then the GPU. Names as the servers publish them
 * (vLLM v1, SGLang, TGI, TensorRT-LLM's `trtllm-serve`, Dynamo's frontend, dcgm-exporter).
 *
 * @example
 * ```ts
 * import { SERVER_METRIC_CATALOG } from "./server_metric_catalog.ts";
 *
 * const waiting = SERVER_METRIC_CATALOG.find((m) => m.name === "vllm:num_requests_waiting");
 * if (waiting?.role !== "waiting") throw new Error("wrong");
 * ```
 */
export const SERVER_METRIC_CATALOG: readonly KnownMetric[] = [
  k("vLLM", "vllm:num_requests_running", "running", "vLLM running requests", "requests"),
  k("vLLM", "vllm:num_requests_waiting", "waiting", "vLLM waiting requests", "requests"),
  k("vLLM", "vllm:kv_cache_usage_perc", "kv_cache", "vLLM KV cache usage", "ratio"),
  k("vLLM", "vllm:gpu_cache_usage_perc", "kv_cache", "vLLM KV cache usage (v0)", "ratio"),
  k("vLLM", "vllm:num_preemptions", "preemptions", "vLLM preemptions", "requests"),
  k("vLLM", "vllm:time_to_first_token_seconds", "ttft", "vLLM time to first token", "ms"),
  k("vLLM", "vllm:inter_token_latency_seconds", "itl", "vLLM inter-token latency", "ms"),
  k("vLLM", "vllm:time_per_output_token_seconds", "itl", "vLLM time per output token", "ms"),
  k("vLLM", "vllm:e2e_request_latency_seconds", "e2e", "vLLM request latency", "ms"),
  k("vLLM", "vllm:request_queue_time_seconds", "queue_time", "vLLM queue time", "ms"),
  k("vLLM", "vllm:prompt_tokens", "prompt_tokens", "vLLM prompt tokens", "tokens"),
  k("vLLM", "vllm:generation_tokens", "generation_tokens", "vLLM generation tokens", "tokens"),
  k("vLLM", "vllm:request_success", "requests", "vLLM finished requests", "requests"),
  k("vLLM", "vllm:prefix_cache_hits", "prefix_cache_hits", "vLLM prefix cache hits", "tokens"),
  k(
    "vLLM",
    "vllm:prefix_cache_queries",
    "prefix_cache_queries",
    "vLLM prefix cache queries",
    "tokens",
  ),
  k("SGLang", "sglang:num_running_reqs", "running", "SGLang running requests", "requests"),
  k("SGLang", "sglang:num_queue_reqs", "waiting", "SGLang queued requests", "requests"),
  k("SGLang", "sglang:token_usage", "kv_cache", "SGLang token usage", "ratio"),
  k("SGLang", "sglang:time_to_first_token_seconds", "ttft", "SGLang time to first token", "ms"),
  k("SGLang", "sglang:inter_token_latency_seconds", "itl", "SGLang inter-token latency", "ms"),
  k("SGLang", "sglang:e2e_request_latency_seconds", "e2e", "SGLang request latency", "ms"),
  k("SGLang", "sglang:queue_time_seconds", "queue_time", "SGLang queue time", "ms"),
  k("SGLang", "sglang:prompt_tokens", "prompt_tokens", "SGLang prompt tokens", "tokens"),
  k(
    "SGLang",
    "sglang:generation_tokens",
    "generation_tokens",
    "SGLang generation tokens",
    "tokens",
  ),
  k("TGI", "tgi_batch_current_size", "running", "TGI batch size", "requests"),
  k("TGI", "tgi_queue_size", "waiting", "TGI queue size", "requests"),
  k("TGI", "tgi_request_queue_duration", "queue_time", "TGI queue time", "ms"),
  k("TGI", "tgi_request_duration", "e2e", "TGI request duration", "ms"),
  k("TGI", "tgi_request_mean_time_per_token_duration", "itl", "TGI time per token", "ms"),
  k("TGI", "tgi_request_input_length", "prompt_tokens", "TGI input length", "tokens"),
  k("TGI", "tgi_request_generated_tokens", "generation_tokens", "TGI generated tokens", "tokens"),
  k("TGI", "tgi_request_success", "requests", "TGI finished requests", "requests"),
  k("TensorRT-LLM", "trtllm_num_requests_running", "running", "TRT-LLM running", "requests"),
  k("TensorRT-LLM", "trtllm_num_requests_waiting", "waiting", "TRT-LLM waiting", "requests"),
  k("TensorRT-LLM", "trtllm_kv_cache_utilization", "kv_cache", "TRT-LLM KV cache", "ratio"),
  k("TensorRT-LLM", "trtllm_time_to_first_token_seconds", "ttft", "TRT-LLM TTFT", "ms"),
  k("TensorRT-LLM", "trtllm_time_per_output_token_seconds", "itl", "TRT-LLM time/token", "ms"),
  k("TensorRT-LLM", "trtllm_e2e_request_latency_seconds", "e2e", "TRT-LLM latency", "ms"),
  k("TensorRT-LLM", "trtllm_request_queue_time_seconds", "queue_time", "TRT-LLM queue", "ms"),
  k("TensorRT-LLM", "trtllm_prompt_tokens", "prompt_tokens", "TRT-LLM prompt tokens", "tokens"),
  k(
    "TensorRT-LLM",
    "trtllm_generation_tokens",
    "generation_tokens",
    "TRT-LLM gen tokens",
    "tokens",
  ),
  k("Dynamo", "dynamo_frontend_inflight_requests", "running", "Dynamo in flight", "requests"),
  k("Dynamo", "dynamo_frontend_queued_requests", "waiting", "Dynamo queued", "requests"),
  k("Dynamo", "dynamo_component_gpu_cache_usage_percent", "kv_cache", "Dynamo KV cache", "ratio"),
  k("Dynamo", "dynamo_frontend_time_to_first_token_seconds", "ttft", "Dynamo TTFT", "ms"),
  k("Dynamo", "dynamo_frontend_inter_token_latency_seconds", "itl", "Dynamo ITL", "ms"),
  k("Dynamo", "dynamo_frontend_request_duration_seconds", "e2e", "Dynamo latency", "ms"),
  k(
    "Dynamo",
    "dynamo_frontend_output_tokens",
    "generation_tokens",
    "Dynamo output tokens",
    "tokens",
  ),
  k("Dynamo", "dynamo_frontend_requests", "requests", "Dynamo requests", "requests"),
  k("DCGM", "DCGM_FI_DEV_GPU_UTIL", "gpu_utilization", "GPU utilization", "%"),
  k("DCGM", "DCGM_FI_DEV_FB_USED", "gpu_memory_used", "GPU memory used", "MiB"),
  k("DCGM", "DCGM_FI_DEV_POWER_USAGE", "gpu_power", "GPU power", "W"),
  k("DCGM", "DCGM_FI_DEV_GPU_TEMP", "gpu_temperature", "GPU temperature", "°C"),
  k("DCGM", "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", "gpu_energy", "GPU energy", "mJ"),
];
