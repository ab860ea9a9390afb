#include "store/schema.hpp"

namespace crm::detail {

const std::vector<const char*>& migrations() {
  static const std::vector<const char*> kMigrations = {
      // 1: policies, immutable per (name, version). calendar_data names the base-calendar data each
      // calendar was built with (e.g. {"cn-office":"cn 2025-11-04"}), for audits of old deadlines.
      R"sql(
        CREATE TABLE policy (
          id            INTEGER PRIMARY KEY,
          name          TEXT NOT NULL,
          version       TEXT NOT NULL,
          document      TEXT NOT NULL,
          calendar_data TEXT NOT NULL,
          UNIQUE (name, version)
        ) STRICT;
      )sql",
      // 2: the demand ledger. demand and event are append-only (triggers refuse UPDATE and
      // DELETE); open_demand and open_target are derived from them, rewritten in the same
      // transaction as every change, and hold no fact the ledger does not.
      R"sql(
        CREATE TABLE demand (
          seq         INTEGER PRIMARY KEY,
          id          TEXT NOT NULL UNIQUE,
          policy      INTEGER NOT NULL REFERENCES policy (id),
          received_at INTEGER NOT NULL,
          customer    TEXT NOT NULL,
          channel     TEXT NOT NULL,
          owner       TEXT NOT NULL,
          department  TEXT NOT NULL,
          urgency     TEXT NOT NULL,   -- as classified when recorded; reclassified events follow
          category    TEXT NOT NULL,
          nature      TEXT NOT NULL,
          actor       TEXT NOT NULL,
          document    TEXT NOT NULL    -- the demand JSON exactly as recorded
        ) STRICT;
        CREATE TABLE event (
          demand  INTEGER NOT NULL REFERENCES demand (seq),
          n       INTEGER NOT NULL,    -- 1, 2, ... in recording order
          type    INTEGER NOT NULL,
          at      INTEGER NOT NULL,
          actor   TEXT NOT NULL,
          payload TEXT,                -- type-specific fields as JSON; NULL when none
          PRIMARY KEY (demand, n)
        ) STRICT, WITHOUT ROWID;
        CREATE TRIGGER policy_no_update BEFORE UPDATE ON policy BEGIN SELECT RAISE(ABORT, 'a stored policy version never changes'); END;
        CREATE TRIGGER policy_no_delete BEFORE DELETE ON policy BEGIN SELECT RAISE(ABORT, 'a stored policy version never changes'); END;
        CREATE TRIGGER demand_no_update BEFORE UPDATE ON demand BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
        CREATE TRIGGER demand_no_delete BEFORE DELETE ON demand BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
        CREATE TRIGGER event_no_update BEFORE UPDATE ON event BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
        CREATE TRIGGER event_no_delete BEFORE DELETE ON event BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
        CREATE TABLE open_demand (
          demand   INTEGER PRIMARY KEY REFERENCES demand (seq),
          customer TEXT NOT NULL,
          owner    TEXT NOT NULL,
          grams    BLOB NOT NULL     -- text_grams() of title and text, for duplicate detection
        ) STRICT;
        CREATE INDEX open_demand_customer ON open_demand (customer);
        CREATE TABLE open_target (
          demand     INTEGER NOT NULL REFERENCES demand (seq),
          target     TEXT NOT NULL,
          id         TEXT NOT NULL,    -- the demand's id, so the work list needs no join
          policy     INTEGER NOT NULL REFERENCES policy (id),
          calendar   TEXT NOT NULL,    -- the calendar the target counts working time on; '' = elapsed time
          due_at     INTEGER NOT NULL,
          warn_at    INTEGER NOT NULL,
          paused_since INTEGER,        -- the demand's pause began; NULL while the clock runs
          owner      TEXT NOT NULL,
          department TEXT NOT NULL,
          urgency    TEXT NOT NULL,
          PRIMARY KEY (demand, target)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX open_target_due ON open_target (due_at);
        -- Covers the work list's query: its rows are read from this index alone.
        CREATE INDEX open_target_warn
          ON open_target (warn_at, due_at, paused_since, owner, department, urgency, id, policy, calendar);
        CREATE INDEX open_target_paused ON open_target (paused_since) WHERE paused_since IS NOT NULL;
      )sql",
  };
  return kMigrations;
}

}  // namespace crm::detail
