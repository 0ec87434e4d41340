import type { MetricFamily } from "./types.ts";

/**
 * One line of AIPerf's `gpu_telemetry_export.jsonl`: one GPU at one scrape of a DCGM exporter,
 * with the GPU's identity from the exporter's labels and its metrics under AIPerf's NVIDIA field
 * names, in AIPerf's units.
 */
export interface GpuTelemetryRecord {
  /** When the scrape started, epoch nanoseconds (millisecond precision). */
  readonly timestamp_ns: number;
  /** The exporter's URL. */
  readonly dcgm_url: string;
  /** The `gpu` label. */
  readonly gpu_index: number;
  /** The `UUID` label. */
  readonly gpu_uuid: string | null;
  /** The `modelName` label. */
  readonly gpu_model_name: string | null;
  /** The `pci_bus_id` label. */
  readonly pci_bus_id: string | null;
  /** The `device` label. */
  readonly device: string | null;
  /** The `Hostname` label. */
  readonly hostname: string | null;
  /** The `namespace` label (Kubernetes). */
  readonly namespace: string | null;
  /** The `pod` label (Kubernetes). */
  readonly pod_name: string | null;
  /** The metrics the exporter published, by AIPerf's field name (see `DCGM_FIELDS`). */
  readonly telemetry_data: Readonly<Record<string, number>>;
}

/**
 * DCGM's metrics that AIPerf's GPU telemetry records carry, each with AIPerf's field name, the
 * unit it is written in and the factor from DCGM's unit (AIPerf's conversions: energy mJ to MJ,
 * framebuffer MiB to GB, SM activity ratio to %, power violation ns to µs).
 *
 * @example
 * ```ts
 * import { DCGM_FIELDS } from "./gpu_telemetry_records.ts";
 *
 * if (DCGM_FIELDS.DCGM_FI_DEV_POWER_USAGE?.field !== "nvidia_power_usage") throw new Error("wrong");
 * ```
 */
export const DCGM_FIELDS: Readonly<
  Record<string, { readonly field: string; readonly unit: string; readonly scale: number }>
> = {
  DCGM_FI_DEV_POWER_USAGE: { field: "nvidia_power_usage", unit: "W", scale: 1 },
  DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION: {
    field: "nvidia_energy_consumption",
    unit: "MJ",
    scale: 1e-9,
  },
  DCGM_FI_DEV_GPU_UTIL: { field: "nvidia_gpu_utilization", unit: "%", scale: 1 },
  DCGM_FI_DEV_MEM_COPY_UTIL: { field: "nvidia_memory_utilization", unit: "%", scale: 1 },
  DCGM_FI_DEV_FB_USED: { field: "nvidia_memory_used", unit: "GB", scale: 1.048576e-3 },
  DCGM_FI_DEV_GPU_TEMP: { field: "nvidia_temperature", unit: "°C", scale: 1 },
  DCGM_FI_DEV_ENC_UTIL: { field: "nvidia_encoder_utilization", unit: "%", scale: 1 },
  DCGM_FI_DEV_DEC_UTIL: { field: "nvidia_decoder_utilization", unit: "%", scale: 1 },
  DCGM_FI_PROF_SM_ACTIVE: { field: "nvidia_sm_utilization", unit: "%", scale: 100 },
  DCGM_FI_DEV_XID_ERRORS: { field: "nvidia_xid_errors", unit: "count", scale: 1 },
  DCGM_FI_DEV_POWER_VIOLATION: { field: "nvidia_power_violation", unit: "µs", scale: 1e-3 },
};

/**
 * Turns one scrape of a DCGM exporter into AIPerf's GPU telemetry records: one per GPU (the
 * `gpu` label), in GPU order, each with the metrics of {@linkcode DCGM_FIELDS} the exporter
 * published for it. Samples without a whole-number `gpu` label, and NaN or infinite values, are
 * left out, as AIPerf does; a GPU with none of the metrics gets no record.
 *
 * @param url The exporter's URL.
 * @param timeMs When the scrape started, epoch milliseconds.
 * @param families The parsed page.
 * @returns The records.
 *
 * @example
 * ```ts
 * import { gpuTelemetryRecords } from "./gpu_telemetry_records.ts";
 *
 * const [gpu0] = gpuTelemetryRecords("http://node1:9400/metrics", 1_700_000_000_000, [{
 *   name: "DCGM_FI_DEV_FB_USED", type: "gauge", help: "",
 *   samples: [{ labels: { gpu: "0", UUID: "GPU-1", modelName: "H100" }, value: 1000 }],
 * }]);
 * const gb = gpu0?.telemetry_data.nvidia_memory_used ?? 0;
 * if (Math.abs(gb - 1.048576) > 1e-12) throw new Error("MiB to GB");
 * ```
 */
export function gpuTelemetryRecords(
  url: string,
  timeMs: number,
  families: readonly MetricFamily[],
): GpuTelemetryRecord[] {
  const gpus = new Map<
    number,
    { labels: Readonly<Record<string, string>>; data: Record<string, number> }
  >();
  for (const family of families) {
    const known = DCGM_FIELDS[family.name.replace(/_total$/, "")];
    if (known === undefined) continue;
    for (const sample of family.samples) {
      const index = Number(sample.labels.gpu);
      const value = sample.value;
      if (
        !/^\d+$/.test(sample.labels.gpu ?? "") || value === undefined || !Number.isFinite(value)
      ) {
        continue;
      }
      const gpu = gpus.get(index) ?? { labels: sample.labels, data: {} };
      gpus.set(index, gpu);
      gpu.data[known.field] = value * known.scale;
    }
  }
  const label = (labels: Readonly<Record<string, string>>, name: string) => labels[name] ?? null;
  return [...gpus.entries()].sort(([a], [b]) => a - b).map(([index, { labels, data }]) => ({
    timestamp_ns: timeMs * 1e6,
    dcgm_url: url,
    gpu_index: index,
    gpu_uuid: label(labels, "UUID"),
    gpu_model_name: label(labels, "modelName"),
    pci_bus_id: label(labels, "pci_bus_id"),
    device: label(labels, "device"),
    hostname: label(labels, "Hostname"),
    namespace: label(labels, "namespace"),
    pod_name: label(labels, "pod"),
    telemetry_data: data,
  }));
}
