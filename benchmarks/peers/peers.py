# SPDX-License-Identifier: Apache-2.0
"""The Python peers of crmpolicy's hot paths, on the inputs the C++ benchmarks use.

numpy busday_offset (working days) and pandas CustomBusinessHour (working hours with a lunch
break) draw the deadline inputs of benchmarks/peer_inputs.hpp with the same splitmix64; pandas
groupby reads the 10,000,000 report rows metrics_bench exported (CRMPOLICY_BENCH_EXPORT_TARGETS).
Both calendar peers get the mainland holidays of data/calendars/cn.txt but not its make-up working
weekends, which neither can express: an easier job than ours. Prints one JSON object per peer:
{"name": ..., "ns_per_item": ...}, the best of three runs.

Usage: /usr/bin/python3 benchmarks/peers/peers.py data/calendars/cn.txt [targets.bin]
"""
import datetime
import json
import sys
import time

import numpy as np
import pandas as pd

INPUTS = 8192
FIRST_START = 1704067200  # 2024-01-01T00:00:00Z
SPAN = 3 * 365 * 86400
MASK = (1 << 64) - 1


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


def peer_inputs():
    state, starts, hours, days = 2026, [], [], []
    for _ in range(INPUTS):
        state, r = splitmix64(state)
        starts.append(FIRST_START + r % SPAN)
        state, r = splitmix64(state)
        hours.append(1 + r % 72)
        state, r = splitmix64(state)
        days.append(1 + r % 10)
    return starts, hours, days


def cn_holidays(path):
    """The "off" dates of cn.txt (one date or an inclusive range per line)."""
    out = []
    for line in open(path, encoding="utf-8"):
        fields = line.split()
        if not fields or fields[0] != "off":
            continue
        first = datetime.date.fromisoformat(fields[1])
        last = datetime.date.fromisoformat(fields[2]) if len(fields) > 2 and fields[2][:1].isdigit() else first
        while first <= last:
            out.append(first)
            first += datetime.timedelta(days=1)
    return out


def best_of_three(run, items):
    best = None
    for _ in range(3):
        start = time.perf_counter()
        run()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best / items * 1e9


def report(name, ns):
    print(json.dumps({"name": name, "ns_per_item": ns}), flush=True)


def main():
    starts, hours, days = peer_inputs()
    holidays = cn_holidays(sys.argv[1])
    beijing = [datetime.datetime.utcfromtimestamp(t + 8 * 3600) for t in starts]

    # numpy: whole arrays at once, its best case (a Python loop would be 100 times slower).
    calendar = np.busdaycalendar(weekmask="1111100", holidays=np.array(holidays, dtype="datetime64[D]"))
    dates = np.array([b.date() for b in beijing], dtype="datetime64[D]")
    offsets = np.array(days)
    repeat = 100
    report("numpy_busday_offset", best_of_three(
        lambda: [np.busday_offset(dates, offsets, roll="forward", busdaycal=calendar) for _ in range(repeat)],
        INPUTS * repeat))

    # pandas: one Timestamp plus n business hours at a time, as an application computes a deadline.
    stamps = [pd.Timestamp(b) for b in beijing]
    offsets = [pd.offsets.CustomBusinessHour(n=h, start=["09:00", "13:30"], end=["12:00", "18:00"],
                                             weekmask="Mon Tue Wed Thu Fri", holidays=holidays) for h in hours]
    sample = 2000
    report("pandas_custom_business_hour", best_of_three(
        lambda: [stamps[i] + offsets[i] for i in range(sample)], sample))

    if len(sys.argv) > 2:
        raw = np.fromfile(sys.argv[2], dtype=np.uint8)
        n = raw.size // 3
        frame = pd.DataFrame({"month": raw[:n], "department": raw[n:2 * n], "status": raw[2 * n:]})

        def timeliness():
            status = frame["status"]
            rows = frame.assign(met=status == 2, decided=status.between(2, 4))
            return rows.groupby(["month", "department"])[["met", "decided"]].sum()
        report("pandas_groupby_timeliness", best_of_three(timeliness, n))


if __name__ == "__main__":
    main()
