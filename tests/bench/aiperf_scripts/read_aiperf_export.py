"""Reads an AIPerf artifact directory the way a user's script does, written against AIPerf's
documented layouts only (docs: "Working with Profile Export Files" and "profile_export_aiperf.json
Schema"), with the standard library. Exits non-zero, naming the field, when a file does not have
the documented shape; prints one JSON line of figures otherwise.

usage: python3 read_aiperf_export.py ARTIFACT_DIR [PREFIX]
"""

import csv
import json
import sys
from datetime import datetime
from pathlib import Path

STATS = ["avg", "min", "max", "p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99", "std"]


def need(condition, what):
    if not condition:
        sys.exit(f"not AIPerf's layout: {what}")


def main():
    artifacts = Path(sys.argv[1])
    summary_stem = sys.argv[2] if len(sys.argv) > 2 else "profile_export_aiperf"
    records_stem = sys.argv[2] if len(sys.argv) > 2 else "profile_export"

    # profile_export_aiperf.json: metrics at the top level, each a stats block with a unit.
    summary = json.loads((artifacts / f"{summary_stem}.json").read_text())
    for name in ["request_latency", "time_to_first_token", "inter_token_latency",
                 "output_sequence_length", "input_sequence_length"]:
        block = summary.get(name)
        need(isinstance(block, dict), f"{name} missing at the top level")
        need(block["unit"] in ("ms", "tokens"), f"{name}.unit")
        for key in ("avg", "min", "max", "p50", "p90", "p99", "std"):
            need(isinstance(block[key], (int, float)), f"{name}.{key}")
    for name in ["request_throughput", "request_count", "output_token_throughput",
                 "benchmark_duration", "total_output_tokens", "total_osl", "total_isl"]:
        need(isinstance(summary[name]["avg"], (int, float)), f"{name}.avg")
        need("p50" not in summary[name], f"{name} is an aggregate: no percentiles")
    need(isinstance(summary["input_config"], dict), "input_config")
    need(isinstance(summary["input_config"]["endpoint"]["model_names"], list),
         "input_config.endpoint.model_names")
    need(isinstance(summary["was_cancelled"], bool), "was_cancelled")
    need(isinstance(summary["error_summary"], list), "error_summary")
    for entry in summary["error_summary"]:
        need(set(entry["error_details"]) >= {"code", "type", "message"}, "error_details")
        need(isinstance(entry["count"], int), "error_summary[].count")
    start = datetime.fromisoformat(summary["start_time"])
    end = datetime.fromisoformat(summary["end_time"])
    need(end >= start, "end_time before start_time")

    # profile_export_aiperf.csv: request metrics with percentiles, a blank line, then the rest.
    with open(artifacts / f"{summary_stem}.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    need(rows[0] == ["Metric"] + STATS, "CSV header")
    by_name = {row[0]: row for row in rows if row}
    need("Request Latency (ms)" in by_name, "CSV Request Latency (ms) row")
    csv_latency_avg = float(by_name["Request Latency (ms)"][1])
    blank = rows.index([])
    need(rows[blank + 1] == ["Metric", "Value"], "CSV second section header")

    # profile_export.jsonl: one {metadata, metrics, error} record per request.
    records = []
    with open(artifacts / f"{records_stem}.jsonl", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                records.append(json.loads(line))
    need(len(records) > 0, "no records")
    ok = [r for r in records if r["error"] is None]
    for r in records:
        m = r["metadata"]
        for key in ("session_num", "x_request_id", "x_correlation_id", "conversation_id",
                    "turn_index", "request_start_ns", "request_end_ns", "benchmark_phase",
                    "was_cancelled"):
            need(key in m, f"metadata.{key}")
        need(isinstance(m["request_start_ns"], int) and m["request_start_ns"] > 10**18,
             "request_start_ns is epoch nanoseconds")
        need(m["request_end_ns"] >= m["request_start_ns"], "request_end_ns")
        need(m["benchmark_phase"] == "profiling", "benchmark_phase")
    for r in ok:
        latency = r["metrics"]["request_latency"]
        need(latency["unit"] == "ms" and latency["value"] > 0, "metrics.request_latency")
        need(isinstance(r["metrics"]["inter_chunk_latency"]["value"], list),
             "metrics.inter_chunk_latency is a list")
    for r in records:
        if r["error"] is not None:
            need(set(r["error"]) >= {"code", "type", "message"}, "error fields")
    mean = sum(r["metrics"]["request_latency"]["value"] for r in ok) / len(ok)

    # inputs.json: sessions whose ids are the records' conversation ids.
    inputs = json.loads((artifacts / "inputs.json").read_text())
    sessions = {s["session_id"]: s for s in inputs["data"]}
    for r in records:
        session = sessions.get(r["metadata"]["conversation_id"])
        need(session is not None, "conversation_id not in inputs.json")
        need(r["metadata"]["turn_index"] < len(session["payloads"]), "turn_index out of range")

    print(json.dumps({
        "records": len(records),
        "errors": len(records) - len(ok),
        "request_count": summary["request_count"]["avg"],
        "error_request_count": summary.get("error_request_count", {}).get("avg", 0),
        "latency_avg_json": summary["request_latency"]["avg"],
        "latency_avg_csv": csv_latency_avg,
        "latency_avg_records": mean,
        "total_osl": summary["total_osl"]["avg"],
        "osl_sum_records": sum(r["metrics"]["output_sequence_length"]["value"] for r in ok),
        "sessions": len(sessions),
        "first_payload": inputs["data"][0]["payloads"][0],
    }))


if __name__ == "__main__":
    main()
