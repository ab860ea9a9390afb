#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The monthly report through Python ctypes: crm_db_report against the shared library.

usage: report.py LIBCRMPOLICY_SO DATABASE [AT_EPOCH_SECONDS]
Prints timeliness, completion and satisfaction per month, and which goals were missed.
"""
import ctypes
import json
import sys


def main():
    lib = ctypes.CDLL(sys.argv[1])
    lib.crm_db_open.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
    lib.crm_db_report.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
    lib.crm_db_close.argtypes = [ctypes.c_void_p]
    lib.crm_free.argtypes = [ctypes.c_void_p]
    lib.crm_last_error.restype = ctypes.c_char_p

    db = ctypes.c_void_p()
    if lib.crm_db_open(sys.argv[2].encode(), ctypes.byref(db)) != 0:
        sys.exit("open: " + lib.crm_last_error().decode())
    at = int(sys.argv[3]) if len(sys.argv) > 3 else 1767175200  # 2025-12-31 18:00 +08:00
    query = json.dumps({"at": at, "period": "month", "by": ["department"]}).encode()
    out = ctypes.c_void_p()
    try:
        if lib.crm_db_report(db, query, ctypes.byref(out)) != 0:
            sys.exit("report: " + lib.crm_last_error().decode())
        report = json.loads(ctypes.string_at(out.value).decode())  # copy, then free the library's buffer
    finally:
        lib.crm_free(out)
        lib.crm_db_close(db)

    def pct(v):
        return "   -  " if v is None else f"{100 * v:5.1f}%"

    print(f"{report['policy']} {report['policy_version']} ({report['time_zone']})")
    print("period   received  timely  complete  satisfied")
    for row in report["rows"]:
        if "group" in row:
            continue
        print(f"{row['period']:<8} {row['received']:>8}  {pct(row['timeliness']['rate'])}  "
              f"{pct(row['completion']['rate'])}    {pct(row['satisfaction']['rate'])}")
    overall = next(r for r in report["rows"] if r["period"] == "all" and "group" not in r)
    # Each goal is judged on its own periods (a quarterly goal on quarters): report["goals"][i]["rows"].
    for g in report["goals"]:
        for judged in g["rows"]:
            if judged["complete"] and judged["met"] is False:
                print(f"goal missed: {g['metric']} {g.get('target', '')} in {judged['period']}: "
                      f"{pct(judged['value'])} < {pct(g['min'])}")
    if overall["received"] == 0:
        sys.exit("the report is empty")


if __name__ == "__main__":
    main()
