# SPDX-License-Identifier: Apache-2.0
"""What SQLite alone costs for the ledger's rows on this machine: no parsing, no policy, no replay.

Inserts 100,000 demands (the demand row with its unique id index, three event rows, the
open-demand row with its customer index) in transactions of 2,500 demands, WAL and
synchronous=FULL as the library does; then the same demands with their three events packed into
one row. Usage: python3 benchmarks/sqlite_floor.py [directory]
"""
import os
import sqlite3
import sys
import tempfile
import time

N = 100000
DOC = ('{"id":"D1-00000","received_at":1735660800,"channel":"phone","title":"生产线设备停机，请尽快维修",'
       '"owner":"li","department":"service","customer":{"id":"C1234"}}')
DEMAND = ("CREATE TABLE demand (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, policy INTEGER NOT NULL, "
          "received_at INTEGER NOT NULL, customer TEXT NOT NULL, channel TEXT NOT NULL, owner TEXT NOT NULL, "
          "department TEXT NOT NULL, urgency TEXT NOT NULL, category TEXT NOT NULL, nature TEXT NOT NULL, "
          "actor TEXT NOT NULL, document TEXT NOT NULL) STRICT;")


def run(path, schema, batches):
    c = sqlite3.connect(path, isolation_level=None)
    c.execute("PRAGMA journal_mode=WAL")
    c.execute("PRAGMA synchronous=FULL")
    c.executescript(DEMAND + schema)
    demands = [(i + 1, "D1-%d" % i, 1, 1735660800 + i * 20, "C%d" % (i % 5000), "phone", "li", "service",
                "urgent", "service", "functional", "", DOC) for i in range(N)]
    start = time.perf_counter()
    for b in range(0, N, 2500):
        c.execute("BEGIN IMMEDIATE")
        c.executemany("INSERT INTO demand VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", demands[b:b + 2500])
        for sql, rows in batches(b):
            c.executemany(sql, rows)
        c.execute("COMMIT")
    elapsed = time.perf_counter() - start
    c.close()
    return elapsed


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp()
    rows = run(os.path.join(directory, "rows.db"),
               "CREATE TABLE event (demand INTEGER NOT NULL, n INTEGER NOT NULL, type INTEGER NOT NULL, "
               "at INTEGER NOT NULL, actor TEXT NOT NULL, payload TEXT, PRIMARY KEY (demand, n)) STRICT, WITHOUT ROWID;"
               "CREATE TABLE open_demand (demand INTEGER PRIMARY KEY, customer TEXT NOT NULL, owner TEXT NOT NULL, "
               "grams BLOB NOT NULL) STRICT; CREATE INDEX open_demand_customer ON open_demand (customer);",
               lambda b: [("INSERT INTO event VALUES (?,?,?,?,?,?)",
                           [(i + 1, n, t, 1735660800 + i * 20 + 1800, "li", None)
                            for i in range(b, b + 2500) for n, t in ((1, 1), (2, 4), (3, 7))]),
                          ("INSERT INTO open_demand VALUES (?,?,?,?)",
                           [(i + 1, "C%d" % (i % 5000), "li", b"\0" * 48) for i in range(b, b + 2500)])])
    packed = run(os.path.join(directory, "packed.db"),
                 "CREATE TABLE event_batch (demand INTEGER NOT NULL, first_n INTEGER NOT NULL, events BLOB NOT NULL, "
                 "PRIMARY KEY (demand, first_n)) STRICT, WITHOUT ROWID;",
                 lambda b: [("INSERT INTO event_batch VALUES (?,?,?)", [(i + 1, 1, b"\0" * 60) for i in range(b, b + 2500)])])
    for name, elapsed in (("the ledger's rows (5 per demand)", rows), ("events packed into one row (2 per demand)", packed)):
        print("%-42s %6.2f s  %8.0f demands/s  %5.1f us/demand" % (name, elapsed, N / elapsed, elapsed / N * 1e6))


if __name__ == "__main__":
    main()
