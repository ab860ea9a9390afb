# SPDX-License-Identifier: Apache-2.0
"""The table scripts/bench-peers.sh prints: each crmpolicy figure over its peers', from one run.

Reads the Google Benchmark JSON files (median of three repetitions) and peers.py's lines in the
directory given. Usage: python3 benchmarks/peers/ratios.py DIR
"""
import json
import os
import platform
import sys
import time


def medians(path):
    """ns per item of each benchmark's median repetition."""
    doc = json.load(open(path))
    out = {}
    for b in doc["benchmarks"]:
        if b.get("aggregate_name") != "median":
            continue
        ns = b["real_time"] * {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b["time_unit"]]
        targets = b.get("targets")
        out[b["run_name"].split("/")[0]] = ns / targets if targets else ns
    return out


def main():
    d = sys.argv[1]
    ours = {}
    for name in ("calendar", "quantlib", "metrics"):
        ours.update(medians(os.path.join(d, name + ".json")))
    for line in open(os.path.join(d, "python.jsonl")):
        item = json.loads(line)
        ours[item["name"]] = item["ns_per_item"]
    rows = [
        ("working-day deadline, C API", "BM_Peer_AddWorkingDays", "numpy busday_offset (whole arrays)",
         "numpy_busday_offset", 10),
        ("working-day deadline, C API", "BM_Peer_AddWorkingDays", "QuantLib China::IB advance",
         "BM_QuantLib_ChinaIbAdvanceBusinessDays", 200),
        ("working-hour deadline, lunch break, C API", "BM_Peer_AddWorkingHours", "pandas CustomBusinessHour",
         "pandas_custom_business_hour", 5000),
        ("timeliness by department x month, 10M targets", "BM_TimelinessByMonthAndDepartment",
         "SQLite GROUP BY, covering index", "BM_SqliteGroupBy", 15),
        ("timeliness by department x month, 10M targets", "BM_TimelinessByMonthAndDepartment",
         "pandas groupby", "pandas_groupby_timeliness", 6),
    ]
    print("crmpolicy beside its peers, one run: %s, %s (%d CPUs), %s" % (
        time.strftime("%Y-%m-%d"), cpu_model(), os.cpu_count(), platform.platform()))
    print()
    print("| workload | crmpolicy | peer | peer's | ratio | target |")
    print("| --- | ---: | --- | ---: | ---: | ---: |")
    for workload, mine, peer_name, peer, target in rows:
        a, b = ours[mine], ours[peer]
        print("| %s | %s | %s | %s | %.1f× | ≥ %d× %s |" % (
            workload, fmt(a), peer_name, fmt(b), b / a, target, "met" if b / a >= target else "**missed**"))


def cpu_model():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.machine()


def fmt(ns):
    return "%.2f ns" % ns if ns < 1000 else "%.1f µs" % (ns / 1e3) if ns < 1e6 else "%.1f ms" % (ns / 1e6)


if __name__ == "__main__":
    main()
