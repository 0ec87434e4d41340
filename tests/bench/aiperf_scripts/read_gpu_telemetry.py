"""Reads AIPerf's GPU telemetry the way a script written for AIPerf's documented layout does: the
time series gpu_telemetry_export.jsonl (one JSON object per GPU per scrape: timestamp_ns,
dcgm_url, gpu_uuid, gpu_index, hostname, gpu_model_name, telemetry_data with the nvidia_* fields)
and the aggregated telemetry_data of profile_export_aiperf.json (endpoints -> host:port -> gpus
-> gpu_N -> metrics -> nvidia_* -> avg, min, max, p50, ..., unit), and prints what it found as
JSON. Python's standard library only.

Usage: python3 read_gpu_telemetry.py ARTIFACT_DIR
"""

import json
import sys
from pathlib import Path

FIELDS = [
    "nvidia_power_usage",
    "nvidia_energy_consumption",
    "nvidia_gpu_utilization",
    "nvidia_memory_used",
    "nvidia_temperature",
]


def main(artifact_dir: str) -> None:
    path = Path(artifact_dir) / "gpu_telemetry_export.jsonl"
    gpus: dict[tuple[str, str], dict] = {}
    records = []
    with path.open() as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            data = rec["telemetry_data"]
            key = (rec["dcgm_url"], rec["gpu_uuid"])
            gpu = gpus.setdefault(
                key,
                {
                    "dcgm_url": rec["dcgm_url"],
                    "gpu_uuid": rec["gpu_uuid"],
                    "gpu_index": rec["gpu_index"],
                    "gpu_model_name": rec["gpu_model_name"],
                    "hostname": rec["hostname"],
                    "samples": 0,
                    "timestamps_ns": [],
                },
            )
            gpu["samples"] += 1
            gpu["timestamps_ns"].append(rec["timestamp_ns"])
            records.append(
                {"gpu_index": rec["gpu_index"], **{f: data.get(f) for f in FIELDS}}
            )
    summary = []
    for gpu in gpus.values():
        ts = gpu.pop("timestamps_ns")
        gpu["time_ordered"] = ts == sorted(ts)
        gpu["span_s"] = (ts[-1] - ts[0]) / 1e9
        powers = [r["nvidia_power_usage"] for r in records if r["gpu_index"] == gpu["gpu_index"]]
        gpu["avg_power_w"] = sum(powers) / len(powers)
        summary.append(gpu)
    with (Path(artifact_dir) / "profile_export_aiperf.json").open() as f:
        telemetry = json.load(f)["telemetry_data"]
    aggregated = []
    for host, endpoint in telemetry["endpoints"].items():
        for key, gpu in endpoint["gpus"].items():
            m = gpu["metrics"]
            aggregated.append(
                {
                    "endpoint": host,
                    "key": key,
                    "gpu_uuid": gpu["gpu_uuid"],
                    "gpu_name": gpu["gpu_name"],
                    "platform": gpu["platform"],
                    "power_avg_w": m["nvidia_power_usage"]["avg"],
                    "power_max_w": m["nvidia_power_usage"]["max"],
                    "power_p50_w": m["nvidia_power_usage"]["p50"],
                    "power_unit": m["nvidia_power_usage"]["unit"],
                    "memory_used_max_gb": m["nvidia_memory_used"]["max"],
                    "energy_mj": m["nvidia_energy_consumption"]["avg"],
                    "energy_unit": m["nvidia_energy_consumption"]["unit"],
                }
            )
    json.dump(
        {
            "gpus": summary,
            "records": records,
            "aggregated": aggregated,
            "endpoints_successful": telemetry["summary"]["endpoints_successful"],
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main(sys.argv[1])
