# SPDX-License-Identifier: Apache-2.0
"""What SQLite alone costs for the rows an import writes: no parsing, no policy, no replay.

Copies the schema of an empty library database (make one with
`crmctl --db EMPTY.db policy put data/policies/demand-management.json`) and inserts, per demand of
BM_ImportDemandsWithThreeEvents, the rows the library writes: the demand, its three events, its
open_demand row, its demand_fact row and, for one demand in four (the important ones), an
open_target row and two demand_crossing rows (its warning and due instants), and the change log's
bytes (demand_change); in transactions of 2,500 demands (the benchmark's 10,000 lines), with the
library's pragmas. Then other layouts: the three events packed into one row, open demands indexed
by customer alone (schema 12, before they were keyed by blocks of demands), and no such index; and the
library's layout in SQLite's default 4 KiB pages (files made before 16 KiB pages). Usage:
  python3 benchmarks/sqlite_floor.py EMPTY.db DIRECTORY [DEMANDS]
"""
import os
import sqlite3
import sys
import time

BATCH = 2500
# The change log (demand_change) as the library writes it for these demands: a row per 250 demands,
# about 123 bytes a demand (measured on 10,000 of them).
CHANGES_PER_ROW, CHANGE_BYTES = 250, 123
DOC = ('{"id":"D1-00000","received_at":1735660800,"channel":"phone","title":"生产线设备停机，请尽快维修",'
       '"owner":"li","department":"service","customer":{"id":"C1234"}}')
# The library's pragmas (store/sqlite_engine.cpp): 16 KiB pages in a new file, a checkpoint every ~40 MB of log.
PRAGMAS = ("PRAGMA page_size = %d; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = %d; "
           "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;")
PAGE_SIZE = 16384
PACKED = ("CREATE TABLE event_batch (demand INTEGER NOT NULL REFERENCES demand (seq), first_n INTEGER NOT NULL, "
          "events BLOB NOT NULL, PRIMARY KEY (demand, first_n)) STRICT, WITHOUT ROWID;")


BY_CUSTOMER = "CREATE INDEX open_demand_customer ON open_demand (customer);"


def library_schema(path, leave_out=(), extra=""):
    """The CREATE statements of the library's database, in creation order, but those naming leave_out,
    then `extra`."""
    c = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    statements = [sql for (name, sql) in c.execute(
        "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid") if name not in leave_out]
    c.close()
    return ";\n".join(statements) + ";" + extra


def run(path, schema, demands, packed, page_size=PAGE_SIZE):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    c = sqlite3.connect(path, isolation_level=None)
    c.executescript(PRAGMAS % (page_size, (40 << 20) // page_size) + schema + (PACKED if packed else ""))
    c.execute("INSERT INTO policy (id, name, version, document, calendar_data) VALUES (1, 'p', '1', '{}', '{}')")
    start = time.perf_counter()
    for b in range(0, demands, BATCH):
        batch = range(b, min(b + BATCH, demands))
        c.execute("BEGIN IMMEDIATE")
        c.executemany("INSERT INTO demand (seq, id, policy, received_at, customer, channel, owner, department, urgency, "
                      "category, nature, actor, document) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                      [(i + 1, "D1-%d" % i, 1, 1735660800 + i * 20, "C%d" % (i * 7919 % 5000), "phone", "li", "service",
                        "urgent", "service", "functional", "", DOC) for i in batch])
        if packed:
            c.executemany("INSERT INTO event_batch VALUES (?,?,?)", [(i + 1, 1, bytes(60)) for i in batch])
        else:
            c.executemany("INSERT INTO event (demand, n, type, at, actor, payload, ref) VALUES (?,?,?,?,?,NULL,'')",
                          [(i + 1, n, t, 1735660800 + i * 20 + 1800 + n * 43200, "li")
                           for i in batch for n, t in ((1, 1), (2, 4), (3, 7))])
        c.executemany("INSERT INTO open_demand (demand, customer, owner, grams) VALUES (?,?,?,?)",
                      [(i + 1, "C%d" % (i * 7919 % 5000), "li", bytes(42)) for i in batch])
        c.executemany("INSERT INTO open_target (demand, target, id, policy, calendar, due_at, warn_at, paused_since, "
                      "owner, department, urgency) VALUES (?,?,?,?,?,?,?,NULL,?,?,?)",
                      [(i + 1, "detailed_plan", "D1-%d" % i, 1, "cn-office", 1736157600 + i * 20, 1736136000 + i * 20,
                        "li", "service", "important") for i in batch if i % 4 == 0])
        c.executemany("INSERT INTO demand_crossing (at, demand, target, kind, step, round, id, policy, owner, department) "
                      "VALUES (?,?,'detailed_plan',?,0,0,?,1,'li','service')",
                      [(at + i * 20, i + 1, kind, "D1-%d" % i) for i in batch if i % 4 == 0
                       for (at, kind) in ((1736136000, 6), (1736157600, 7))])
        c.executemany("INSERT INTO demand_change (changes) VALUES (?)",
                      [(bytes(CHANGE_BYTES * CHANGES_PER_ROW),) for _ in range(0, len(batch), CHANGES_PER_ROW)])
        c.executemany("INSERT INTO demand_fact (demand, policy, received_at, settled_at, goal_policy, goal_mask, "
                      "provisional, facts) VALUES (?,?,?,?,?,?,?,?)",
                      [(i + 1, 1, 1735660800 + i * 20, 1735749004 + i * 20, 1, 31, 0, bytes(138)) for i in batch])
        c.execute("COMMIT")
    elapsed = time.perf_counter() - start
    c.close()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    return elapsed


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    empty, directory = sys.argv[1], sys.argv[2]
    demands = int(sys.argv[3]) if len(sys.argv) == 4 else 100000
    if "demand >> 16" not in library_schema(empty):
        sys.exit("%s is not a crmpolicy database of schema 13 or later" % empty)
    layouts = (("the library's (6.75 rows a demand + changes)", library_schema(empty), False, PAGE_SIZE),
               ("the same in 4 KiB pages (older files)", library_schema(empty), False, 4096),
               ("the events packed into one row", library_schema(empty), True, PAGE_SIZE),
               ("schema 12: open demands by customer alone", library_schema(empty, ("open_demand_customer",), BY_CUSTOMER),
                False, PAGE_SIZE),
               ("no index of open demands by customer", library_schema(empty, ("open_demand_customer",)), False, PAGE_SIZE))
    # Unmeasured: the first run of a process pays for warming the file system and the allocator.
    run(os.path.join(directory, "floor.db"), layouts[0][1], min(demands, 25000), False)
    for name, schema, packed, page_size in layouts:
        elapsed = run(os.path.join(directory, "floor.db"), schema, demands, packed, page_size)
        print("%-40s %7d demands %7.2f s %8.0f demands/s %5.1f us/demand" %
              (name, demands, elapsed, demands / elapsed, elapsed / demands * 1e6), flush=True)


if __name__ == "__main__":
    main()
