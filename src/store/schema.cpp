// SPDX-License-Identifier: Apache-2.0
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
          policy      INTEGER NOT NULL,               -- demand.policy
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
      // 3: customers, prospects and the audit log. customer and prospect hold each record's current
      // state; every change to them is in audit with its before and after. activity,
      // prospect_event and audit are append-only.
      R"sql(
        CREATE TABLE customer (
          seq        INTEGER PRIMARY KEY,
          id         TEXT NOT NULL UNIQUE,
          owner      TEXT NOT NULL,
          department TEXT NOT NULL,
          company    TEXT NOT NULL,
          since      INTEGER,          -- customer since (NULL: not given)
          contact_name  TEXT NOT NULL, -- the first contact, for lists ('' when none)
          contact_phone TEXT NOT NULL,
          contact_email TEXT NOT NULL,
          potential  INTEGER,          -- estimated potential annual spend, cents (NULL: none)
          document   TEXT NOT NULL     -- the customer JSON, canonical
        ) STRICT;
        CREATE TABLE activity (
          customer INTEGER NOT NULL REFERENCES customer (seq),
          n        INTEGER NOT NULL,   -- 1, 2, ... in recording order
          type     INTEGER NOT NULL,   -- 1 purchase, 2 interaction, 3 survey, 4 contract
          at       INTEGER NOT NULL,
          amount   INTEGER NOT NULL,   -- cents (purchase, contract), else 0
          score    INTEGER NOT NULL,   -- survey 1..5, else 0
          ends_at  INTEGER NOT NULL,   -- contract end, else 0
          needs    INTEGER NOT NULL,   -- interaction: 1 when the customer's needs were collected
          kind     TEXT NOT NULL,      -- interaction kind, else ''
          note     TEXT NOT NULL,
          actor    TEXT NOT NULL,
          ref      TEXT NOT NULL,      -- the sender's id for the activity ('' none): a retry is a no-op
          PRIMARY KEY (customer, n)
        ) STRICT, WITHOUT ROWID;
        CREATE UNIQUE INDEX activity_ref ON activity (customer, ref) WHERE ref <> '';
        CREATE TABLE prospect (
          seq           INTEGER PRIMARY KEY,
          id            TEXT NOT NULL UNIQUE,
          company       TEXT NOT NULL,
          department    TEXT NOT NULL,
          first_contact TEXT NOT NULL,
          follow_up     TEXT NOT NULL,
          project       TEXT NOT NULL,
          industry      TEXT NOT NULL,
          size          TEXT NOT NULL,
          need          TEXT NOT NULL,
          source        TEXT NOT NULL,
          created_at    INTEGER NOT NULL,
          stage         INTEGER NOT NULL,  -- derived from its stage events, in the same transaction
          customer      TEXT,              -- the customer it was converted into
          document      TEXT NOT NULL
        ) STRICT;
        CREATE TABLE prospect_event (
          prospect INTEGER NOT NULL REFERENCES prospect (seq),
          n        INTEGER NOT NULL,
          type     INTEGER NOT NULL,   -- 1 stage, 2 follow_up, 3 plan, 4 evaluation, 5 convert
          at       INTEGER NOT NULL,
          stage    INTEGER NOT NULL,   -- stage: the new stage; else the stage at the time
          item     TEXT NOT NULL,      -- plan: the item; follow_up: the item it fulfils; else ''
          due_at   INTEGER NOT NULL,   -- plan: when the item falls due; else 0
          quality  INTEGER NOT NULL,   -- follow_up: its quality 1..5; else 0
          actor    TEXT NOT NULL,
          details  TEXT NOT NULL,      -- the remaining fields as JSON
          PRIMARY KEY (prospect, n)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE audit (
          seq         INTEGER PRIMARY KEY,
          recorded_at INTEGER NOT NULL,  -- wall clock of the write, UTC seconds
          actor       TEXT NOT NULL,
          role        TEXT NOT NULL,
          operation   TEXT NOT NULL,
          kind        TEXT NOT NULL,     -- customer or prospect
          record      TEXT NOT NULL,     -- its id
          outcome     TEXT NOT NULL,     -- ok or denied
          before      TEXT,              -- the record (or the appended fact) before and after, JSON
          after       TEXT,
          message     TEXT NOT NULL
        ) STRICT;
        CREATE INDEX audit_record ON audit (kind, record);
        CREATE INDEX customer_owner ON customer (owner);
        CREATE INDEX customer_department ON customer (department);
        CREATE TRIGGER activity_no_update BEFORE UPDATE ON activity BEGIN SELECT RAISE(ABORT, 'activities are append-only'); END;
        CREATE TRIGGER activity_no_delete BEFORE DELETE ON activity BEGIN SELECT RAISE(ABORT, 'activities are append-only'); END;
        CREATE TRIGGER prospect_event_no_update BEFORE UPDATE ON prospect_event BEGIN SELECT RAISE(ABORT, 'prospect events are append-only'); END;
        CREATE TRIGGER prospect_event_no_delete BEFORE DELETE ON prospect_event BEGIN SELECT RAISE(ABORT, 'prospect events are append-only'); END;
        CREATE TRIGGER customer_no_delete BEFORE DELETE ON customer BEGIN SELECT RAISE(ABORT, 'customers are never deleted'); END;
        CREATE TRIGGER prospect_no_delete BEFORE DELETE ON prospect BEGIN SELECT RAISE(ABORT, 'prospects are never deleted'); END;
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      )sql",
      // 4: the base calendar data the ledger computes with, pinned per database (README "The
      // built-in China calendar"): each version with its text and when it took effect.
      R"sql(
        CREATE TABLE calendar_data (
          seq        INTEGER PRIMARY KEY,
          base       TEXT NOT NULL,     -- "cn"
          version    TEXT NOT NULL,     -- "cn 2025-11-04": the newest notice's date
          applied_at INTEGER NOT NULL,  -- UTC seconds: targets running then follow this data
          data       TEXT NOT NULL      -- the data file's text
        ) STRICT;
        CREATE TRIGGER calendar_data_no_update BEFORE UPDATE ON calendar_data BEGIN SELECT RAISE(ABORT, 'calendar data versions are append-only'); END;
        CREATE TRIGGER calendar_data_no_delete BEFORE DELETE ON calendar_data BEGIN SELECT RAISE(ABORT, 'calendar data versions are append-only'); END;
      )sql",
      // 5: an event may carry the sender's id: a retry under it is a no-op (README "Event JSON").
      R"sql(
        ALTER TABLE event ADD COLUMN ref TEXT NOT NULL DEFAULT '';
        CREATE UNIQUE INDEX event_ref ON event (demand, ref) WHERE ref <> '';
        -- The complaints a customer has open at an instant (churn warnings).
        CREATE INDEX demand_complaint ON demand (received_at) WHERE channel = 'complaint';
      )sql",
      // 6: the stored customer a demand was classified with, pinned when recorded (NULL: its
      // customer was not stored): spend in cents over the 365 days up to received_at, the tier
      // and key flag the policy gave it (NULL without tiers).
      R"sql(
        ALTER TABLE demand ADD COLUMN customer_spend INTEGER;
        ALTER TABLE demand ADD COLUMN customer_tier TEXT;
        ALTER TABLE demand ADD COLUMN customer_key INTEGER;
      )sql",
      // 7: the work list's pages (README "Work list"): running targets in the list's own order,
      // byte order for text on both engines, and the longest warn lead, which bounds how far past
      // `at` a target at risk can be due.
      R"sql(
        DROP INDEX open_target_due;
        CREATE INDEX open_target_order ON open_target (due_at, id COLLATE BINARY, target COLLATE BINARY);
        CREATE INDEX open_target_lead ON open_target ((due_at - warn_at));
      )sql",
      // 8: the report facts of each demand (store/fact_rows.cpp), derived from the ledger like
      // open_target and rewritten with every change; fact_build.complete turns 1 once every demand
      // has its row (the first open after this migration builds them).
      R"sql(
        CREATE TABLE demand_fact (
          demand      INTEGER PRIMARY KEY,            -- demand.seq (derived rows: no foreign keys to check on every write)
          policy      INTEGER NOT NULL,               -- demand.policy
          received_at INTEGER NOT NULL,
          settled_at  INTEGER NOT NULL,  -- the facts hold at report instants from this one on
          goal_policy INTEGER NOT NULL,  -- the policy version goal_mask was judged under
          goal_mask   INTEGER NOT NULL,
          provisional INTEGER NOT NULL,  -- targets due on provisional calendar days
          facts       BLOB NOT NULL      -- classification, assignment, state, assessment, targets, open spans, reopenings, feedback
        ) STRICT;
        CREATE INDEX demand_fact_provisional ON demand_fact (provisional) WHERE provisional > 0;
        CREATE TABLE fact_build (complete INTEGER NOT NULL) STRICT;
        INSERT INTO fact_build (complete) VALUES (0);
      )sql",
      // 9: the change feed (store/change_log.cpp, README "Change feed"). demand_crossing holds the
      // time-driven transitions (at risk, breached, escalation steps) the feed has not passed yet,
      // derived like open_target and rebuilt with the report facts (fact_build); demand_change is
      // the append-only log of what writes changed (a row holds up to 256 demands of one write);
      // feed.served_until is how far the feed's time-driven part has been read: a transition that a
      // write adds or removes at or before it is told through the log, never by rewriting what was read.
      R"sql(
        -- Keyed in the feed's order, so that a page reads one range of rows (text in byte order on
        -- both engines).
        CREATE TABLE demand_crossing (
          at       INTEGER NOT NULL,
          demand   INTEGER NOT NULL,   -- demand.seq
          target   TEXT COLLATE BINARY NOT NULL,
          kind     INTEGER NOT NULL,   -- ledger/transitions.hpp ChangeKind
          step     INTEGER NOT NULL,   -- escalation: the step's index and round; else 0
          round    INTEGER NOT NULL,
          id       TEXT NOT NULL,      -- the demand's id
          policy   INTEGER NOT NULL,   -- the target clock's policy version (its steps' recipients)
          owner    TEXT NOT NULL,
          department TEXT NOT NULL,
          PRIMARY KEY (at, demand, target, kind, step, round)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX demand_crossing_demand ON demand_crossing (demand, at);
        CREATE TABLE demand_change (
          seq     INTEGER PRIMARY KEY,
          changes BLOB NOT NULL  -- what the write changed, demand by demand, in order (store/change_log.cpp)
        ) STRICT;
        CREATE TRIGGER demand_change_no_update BEFORE UPDATE ON demand_change BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
        CREATE TRIGGER demand_change_no_delete BEFORE DELETE ON demand_change BEGIN SELECT RAISE(ABORT, 'the change log is append-only'); END;
        CREATE TABLE feed (served_until INTEGER NOT NULL) STRICT;
        INSERT INTO feed (served_until) VALUES (-9223372036854775808);
        UPDATE fact_build SET complete = 0;
      )sql",
      // 10: the stored customer's account owner, pinned with its other facts when a demand is
      // recorded (README "Routing"): a route may assign the demand to them. NULL: none. And the
      // customer side of the change feed (customers/account_feed.cpp): account_transition holds
      // each customer's and prospect's transitions as the feed last took them, the list a later
      // write, policy or calendar is compared with; account_feed.state is 0 when they are in
      // step, 1 when a policy, calendar data or a restore may have moved them, 2 when they were
      // never taken (they are then taken without logging what lies behind the feed).
      R"sql(
        ALTER TABLE demand ADD COLUMN customer_owner TEXT;
        CREATE TABLE account_transition (
          account INTEGER NOT NULL,   -- store/change_log.hpp feed_key: -2 customer.seq, -2 prospect.seq - 1
          target  TEXT COLLATE BINARY NOT NULL,
          kind    INTEGER NOT NULL,   -- ledger/transitions.hpp ChangeKind
          at      INTEGER NOT NULL,
          PRIMARY KEY (account, target, kind, at)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE account_feed (state INTEGER NOT NULL) STRICT;
        INSERT INTO account_feed (state) VALUES (2);
      )sql",
      // 11: security (README "Security"). Each audit entry's chain is BLAKE2b over the previous
      // entry's chain and its own content (store/audit_log.cpp), keyed with the keyring's audit key
      // when the writer held it; entries written before this migration have chain '' and stay
      // outside it. audit_head counts the chained entries and holds the last chain, so entries
      // removed from the end show too, `unchained` how many came before the chain, and `seal` a
      // keyed hash of the head once the audit key is in use. keyring holds the database's own
      // keys, each sealed under the host's key (store/keyring.cpp), never the host's key itself.
      R"sql(
        ALTER TABLE audit ADD COLUMN keyed INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE audit ADD COLUMN chain TEXT NOT NULL DEFAULT '';
        CREATE TABLE audit_head (entries INTEGER NOT NULL, chain TEXT NOT NULL, unchained INTEGER NOT NULL, seal TEXT NOT NULL) STRICT;
        INSERT INTO audit_head (entries, chain, unchained, seal) SELECT 0, '', count(*), '' FROM audit;
        CREATE TABLE keyring (
          id         INTEGER PRIMARY KEY,
          purpose    TEXT NOT NULL,     -- audit (one) or data (personal data; the highest id is current)
          created_at INTEGER NOT NULL,
          wrapped    TEXT NOT NULL      -- base64: XChaCha20-Poly1305 under the host's key, bound to id and purpose
        ) STRICT;
      )sql",
      // 12: personal data at rest (store/personal_data.hpp). Once a database has a keyring, the
      // customer and prospect documents and the audit's before and after hold their personal
      // fields masked, the plaintext sealed in the document's "$sealed" member; the first
      // contact's list columns are masked too, their plaintext sealed in contact_sealed (NULL: the
      // columns are the plaintext, as in a database without a keyring). personal_lookup finds
      // customers by a contact's phone or email through a keyed hash of it, never the plaintext;
      // derived from the records, it is built on the first open that can read them
      // (personal_lookup_build.complete turns 1).
      R"sql(
        ALTER TABLE customer ADD COLUMN contact_sealed TEXT;
        CREATE TABLE personal_lookup (
          field  TEXT NOT NULL,   -- customer.phone, customer.email
          hash   TEXT NOT NULL,   -- hex BLAKE2b-256 of the normalised value (store/personal_data.cpp)
          record TEXT NOT NULL,   -- the customer's id
          PRIMARY KEY (field, hash, record)
        ) STRICT, WITHOUT ROWID;
        CREATE INDEX personal_lookup_record ON personal_lookup (record);
        CREATE TABLE personal_lookup_build (complete INTEGER NOT NULL) STRICT;
        INSERT INTO personal_lookup_build (complete) SELECT CASE WHEN EXISTS (SELECT 1 FROM customer) THEN 0 ELSE 1 END;
      )sql",
      // 13: open demands by customer, keyed first by the demand's block of 65,536 sequence numbers
      // (demand >> 16). Keyed by customer alone, every batch of new demands wrote to pages all
      // over an index as large as the open demands (5,000 customers: an import slowed by half from
      // 100,000 to 1,000,000 demands, benchmarks/sqlite_floor.py); now new entries land in the
      // latest block's part only. The similar-demand search visits each block from the oldest
      // open demand's to the newest's (similar_candidates_ in store/database.cpp).
      R"sql(
        DROP INDEX IF EXISTS open_demand_customer;
        CREATE INDEX open_demand_customer ON open_demand ((demand >> 16), customer);
      )sql",
  };
  return kMigrations;
}

}  // namespace crm::detail
