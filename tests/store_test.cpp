// SPDX-License-Identifier: Apache-2.0
// The embedded store: opening, migrations, refusing newer schemas, immutable policy versions.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "crmpolicy/crmpolicy.h"
#include "crmpolicy/database.hpp"
#include "store_fixture.hpp"
#include "test_time.hpp"

namespace crm {
namespace {

using test::query;
using test::sample_policy;
using test::TempDir;

std::string small_policy(const std::string& name, const std::string& version, int hours = 2) {
  return R"({"name":")" + name + R"(","version":")" + version +
         R"(","calendars":{"utc":{"time_zone":"UTC","hours":{"mon":"09:00-17:00"}}},
            "defaults":{"urgency":"general","category":"other","nature":"functional"},
            "targets":[{"name":"t","within":{"working_hours":)" +
         std::to_string(hours) + R"(},"met_by":"acknowledged"}]})";
}

// PostgreSQL (issue 15 §2): the schema version counted in the database, a newer one refused
// untouched, the append-only triggers, the role README "PostgreSQL" documents (records and reads the
// ledger, never rewrites it), and passwords kept out of messages.
TEST(Postgres, SchemaVersionTriggersTheDocumentedRoleAndNoPasswordInMessages) {
  test::TempDir dir;
  const std::string uri = test::fresh_database("postgres", dir);
  const std::string schema = uri.substr(uri.find("%3D") + 3);
  {
    auto db = Database::open(uri);
    ASSERT_TRUE(db.ok()) << db.status().to_string();
    EXPECT_EQ(db->schema_version(), 13);
    ASSERT_TRUE(db->put_policy(test::sample_policy()).ok());
    ASSERT_TRUE(db->record_demand(R"({"id":"P-1","received_at":1735700000,"channel":"phone","title":"设备停机"})").ok());
    ASSERT_TRUE(db->append_event("P-1", R"({"type":"acknowledged","at":1735700100,"actor":"a"})").ok());
  }
  EXPECT_EQ(test::query(uri, "SELECT version FROM crm_schema_version"), "13");
  EXPECT_FALSE(test::exec(uri, "UPDATE demand SET channel = 'visit'"));  // the trigger
  EXPECT_FALSE(test::exec(uri, "DELETE FROM event"));
  EXPECT_EQ(test::query(uri, "SELECT channel FROM demand"), "phone");

  const std::string role = "crm_app_" + schema;
  const std::string grants = "CREATE ROLE " + role + " LOGIN; GRANT USAGE ON SCHEMA " + schema + " TO " + role + "; "
      "GRANT SELECT, INSERT ON policy, demand, event, activity, prospect_event, audit, calendar_data TO " + role + "; "
      "GRANT SELECT, INSERT, UPDATE, DELETE ON open_demand, open_target, demand_fact TO " + role + "; "
      "GRANT SELECT, UPDATE ON fact_build, feed, account_feed, audit_head, personal_lookup_build TO " + role + "; "
      "GRANT SELECT, INSERT, DELETE ON demand_crossing, account_transition, personal_lookup TO " + role + "; "
      "GRANT SELECT, INSERT ON demand_change TO " + role + "; "
      "GRANT SELECT, INSERT, UPDATE ON customer, prospect, keyring TO " + role + "; "
      "GRANT USAGE ON ALL SEQUENCES IN SCHEMA " + schema + " TO " + role + "; "
      "GRANT SELECT, UPDATE ON crm_schema_version TO " + role;
  ASSERT_TRUE(test::exec(uri, grants.c_str()));
  std::string as_app = uri;
  as_app.replace(as_app.find("user=crm"), 8, "user=" + role);
  {
    auto db = Database::open(as_app);
    ASSERT_TRUE(db.ok()) << db.status().to_string();
    EXPECT_TRUE(db->record_demand(R"({"id":"P-2","received_at":1735700000,"channel":"email","title":"咨询价格"})").ok());
    EXPECT_TRUE(db->append_event("P-2", R"({"type":"acknowledged","at":1735700100,"actor":"a"})").ok());
    EXPECT_TRUE(db->worklist(R"({"at":1735800000})").ok());
  }
  EXPECT_FALSE(test::exec(as_app, "DELETE FROM event"));
  EXPECT_FALSE(test::exec(as_app, "UPDATE event SET at = 0"));
  EXPECT_EQ(test::query(uri, "SELECT count(*) FROM event"), "2");

  test::exec(uri, "UPDATE crm_schema_version SET version = 99");
  auto newer = Database::open(uri);
  ASSERT_FALSE(newer.ok());
  EXPECT_EQ(newer.status().code(), StatusCode::invalid_state);
  EXPECT_EQ(test::query(uri, "SELECT version FROM crm_schema_version"), "99");

  auto wrong = Database::open("postgresql://crm:s3cret-pw@127.0.0.1:1/crm?connect_timeout=2");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), StatusCode::io_error);
  EXPECT_EQ(wrong.status().message().find("s3cret-pw"), std::string::npos) << wrong.status().message();
  EXPECT_NE(wrong.status().message().find("crm:***@"), std::string::npos) << wrong.status().message();
  auto keywords = Database::open("postgresql:host=127.0.0.1 port=1 password=s3cret-pw connect_timeout=2");
  ASSERT_FALSE(keywords.ok());
  EXPECT_EQ(keywords.status().message().find("s3cret-pw"), std::string::npos) << keywords.status().message();
}

// An archive moves between engines: SQLite -> PostgreSQL -> an export identical to the first.
TEST(Postgres, ASnapshotMovesBetweenEnginesByteForByte) {
  test::TempDir dir;
  const std::string file = test::fresh_database("sqlite", dir), server = test::fresh_database("postgres", dir);
  {
    auto db = Database::open(file);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->put_policy(test::sample_policy()).ok());
    for (int i = 0; i < 20; ++i)
      ASSERT_TRUE(db->record_demand(R"({"id":"M-)" + std::to_string(i) + R"(","received_at":)" + std::to_string(1735700000 + i) +
                                    R"(,"channel":"phone","title":"设备停机","customer":{"id":"C-1"}})")
                      .ok());
    ASSERT_TRUE(db->append_event("M-3", R"({"id":"e","type":"resolved","at":1735800000,"actor":"a"})").ok());
    ASSERT_TRUE(db->put_customer(R"({"id":"admin","role":"admin"})",
                                 R"({"id":"C-1","company":"华东机械","owner":"li","department":"east"})").ok());
    ASSERT_TRUE(db->export_snapshot(dir.file("one.snapshot")).ok());
  }
  auto pg = Database::open(server);
  ASSERT_TRUE(pg.ok());
  const Status restored = pg->import_snapshot(dir.file("one.snapshot"));
  ASSERT_TRUE(restored.ok()) << restored.to_string();
  ASSERT_TRUE(pg->export_snapshot(dir.file("two.snapshot")).ok());
  std::ifstream a(dir.file("one.snapshot"), std::ios::binary), b(dir.file("two.snapshot"), std::ios::binary);
  std::stringstream x, y;
  x << a.rdbuf();
  y << b.rdbuf();
  EXPECT_EQ(x.str(), y.str());
  // New rows continue after the restored keys.
  EXPECT_TRUE(pg->record_demand(R"({"id":"M-new","received_at":1735900000,"channel":"phone"})").ok());
  EXPECT_EQ(test::query(server, "SELECT max(seq) FROM demand"), "21");
}

// Reports from a read replica (docs/scaling.md): a handle on a server that refuses every write,
// as a hot standby does (here default_transaction_read_only), serves every read call; a write
// through it fails with CRM_EIO saying why, and nothing changes.
TEST(Postgres, AReadOnlyServerServesEveryReadCall) {
  test::TempDir dir;
  const std::string primary = test::fresh_database("postgres", dir);
  const char* admin = R"({"id":"admin","role":"admin"})";
  {
    auto db = Database::open(primary);
    ASSERT_TRUE(db.ok()) << db.status().to_string();
    ASSERT_TRUE(db->put_policy(test::sample_policy()).ok());
    ASSERT_TRUE(db->put_customer(admin, R"({"id":"C-1","company":"华东机械","owner":"li","department":"east"})").ok());
    for (int i = 0; i < 5; ++i)
      ASSERT_TRUE(db->record_demand(R"({"id":"RO-)" + std::to_string(i) + R"(","received_at":)" + std::to_string(1735700000 + i) +
                                    R"(,"channel":"phone","title":"设备停机","owner":"li","customer":{"id":"C-1"}})")
                      .ok());
    ASSERT_TRUE(db->append_event("RO-1", R"({"type":"acknowledged","at":1735700600,"actor":"li"})").ok());
  }
  auto replica = Database::open(primary + "%20-cdefault_transaction_read_only%3Don");
  ASSERT_TRUE(replica.ok()) << replica.status().to_string();
  EXPECT_TRUE(replica->demand("RO-1", 1735800000).ok());
  EXPECT_TRUE(replica->worklist(R"({"at":1735800000})").ok());
  EXPECT_TRUE(replica->next_wakeup(1735700000).ok());
  EXPECT_TRUE(replica->weekly_progress(R"({"at":1735800000})").ok());
  auto report = replica->report(R"({"period":"month","by":["owner"],"from":1735660800,"to":1738339200,"at":1738339200})");
  EXPECT_TRUE(report.ok()) << report.status().to_string();
  auto tiers = replica->customer_query(admin, R"({"query":"tiers","at":1735800000})");
  EXPECT_TRUE(tiers.ok()) << tiers.status().to_string();
  auto write = replica->record_demand(R"({"id":"RO-9","received_at":1735700000})");
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.status().code(), StatusCode::io_error);
  EXPECT_NE(write.status().message().find("read-only transaction"), std::string::npos) << write.status().message();
  EXPECT_EQ(test::query(primary, "SELECT count(*) FROM demand"), "5");
}

TEST(Store, CreatesAFileWithWalAndTheCurrentSchema) {
  TempDir dir;
  const std::string path = dir.file("crm.db");
  {
    auto db = Database::open(path);
    ASSERT_TRUE(db.ok()) << db.status().to_string();
    EXPECT_EQ(db->schema_version(), 13);
  }
  EXPECT_EQ(query(path, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(query(path, "PRAGMA page_size"), "16384");
  EXPECT_EQ(query(path, "PRAGMA user_version"), "13");
  EXPECT_EQ(query(path, "PRAGMA integrity_check"), "ok");
  auto again = Database::open(path);  // reopening migrates nothing
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->schema_version(), 13);
}

// Another connection holding the writer lock of `where` until release(): an open IMMEDIATE
// transaction on SQLite, the store's advisory lock in an open transaction on PostgreSQL.
class LockHolder {
 public:
  LockHolder(const std::string& engine, const std::string& where) : sqlite_(engine == "sqlite") {
    if (sqlite_) {
      held_ = sqlite3_open(where.c_str(), &lite_) == SQLITE_OK &&
              sqlite3_exec(lite_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK;
      return;
    }
    pg_ = PQconnectdb(where.c_str());
    if (PQstatus(pg_) != CONNECTION_OK) return;
    PQclear(PQexec(pg_, "BEGIN"));
    PGresult* lock = PQexec(pg_, "SELECT pg_advisory_xact_lock(726100, hashtext(current_schema()))");
    held_ = PQresultStatus(lock) == PGRES_TUPLES_OK;
    PQclear(lock);
  }
  LockHolder(const LockHolder&) = delete;
  LockHolder& operator=(const LockHolder&) = delete;
  ~LockHolder() {
    release();
    if (lite_) sqlite3_close(lite_);
    if (pg_) PQfinish(pg_);
  }
  bool held() const { return held_; }
  void release() {
    if (!held_) return;
    if (sqlite_) sqlite3_exec(lite_, "COMMIT", nullptr, nullptr, nullptr);
    else PQclear(PQexec(pg_, "COMMIT"));
    held_ = false;
  }

 private:
  bool sqlite_;
  bool held_ = false;
  sqlite3* lite_ = nullptr;
  PGconn* pg_ = nullptr;
};

// A writer waits for the writer lock no longer than the handle's busy timeout (SQLite's busy
// handler, store/sqlite_engine.cpp BusyWait; lock_timeout on PostgreSQL): then CRM_EIO saying the
// database is busy, nothing written. A lock freed during the wait is taken and the call goes on.
// (The Concurrency suite puts 8 writers on the same wait.)
class BusyTimeout : public ::testing::TestWithParam<std::string> {};
INSTANTIATE_TEST_SUITE_P(Engines, BusyTimeout, ::testing::ValuesIn(test::engines()), test::engine_name);

TEST_P(BusyTimeout, AWriterWaitsNoLongerThanItAndTakesALockFreedMeanwhile) {
  TempDir dir;
  const std::string where = test::fresh_database(GetParam(), dir);
  DatabaseOptions options;
  options.busy_timeout_ms = 300;
  auto db = Database::open(where, options);
  ASSERT_TRUE(db.ok()) << db.status().to_string();
  ASSERT_TRUE(db->put_policy(test::sample_policy()).ok());
  options.busy_timeout_ms = 5000;
  auto patient = Database::open(where, options);
  ASSERT_TRUE(patient.ok()) << patient.status().to_string();
  LockHolder other(GetParam(), where);
  ASSERT_TRUE(other.held());
  const auto begin = std::chrono::steady_clock::now();
  auto waited = db->record_demand(R"({"id":"L-1","received_at":1735700000,"channel":"phone"})");
  const auto waited_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - begin).count();
  ASSERT_FALSE(waited.ok());
  EXPECT_EQ(waited.status().code(), StatusCode::io_error);
  EXPECT_NE(waited.status().message().find("(database is busy)"), std::string::npos) << waited.status().message();
  EXPECT_GE(waited_ms, 250);  // it did wait (an upper bound would be a timed test)
  EXPECT_EQ(query(where, "SELECT count(*) FROM demand"), "0");

  // The lock is freed 200 ms into a 5 s wait: the call goes on and records.
  std::thread release([&other] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    other.release();
  });
  auto recorded = patient->record_demand(R"({"id":"L-2","received_at":1735700000,"channel":"phone"})");
  release.join();
  EXPECT_TRUE(recorded.ok()) << recorded.status().to_string();
  EXPECT_EQ(query(where, "SELECT count(*) FROM demand"), "1");
}

// A database of schema 6 (before the work list's pages) opens as the current one: its open targets
// indexed in the list's order, its data as it was.
TEST(Store, MigratesSchemaSixKeepingTheLedger) {
  TempDir dir;
  const std::string path = dir.file("crm.db");
  const std::string at = "1735800000";
  std::string before;
  {
    auto db = Database::open(path);
    ASSERT_TRUE(db.ok()) << db.status().to_string();
    ASSERT_TRUE(db->put_policy(test::sample_policy()).ok());
    for (const char* id : {"M-1", "M-2", "M-3"})
      ASSERT_TRUE(db->record_demand(std::string(R"({"id":")") + id + R"(","received_at":1735700000,"channel":"phone","title":"设备停机"})").ok());
    before = *db->worklist(R"({"at":)" + at + "}");
  }
  ASSERT_TRUE(test::exec(path, "DROP INDEX open_target_order; DROP INDEX open_target_lead; "
                         "CREATE INDEX open_target_due ON open_target (due_at); DROP TABLE demand_fact; DROP TABLE fact_build; "
                         "DROP TABLE demand_crossing; DROP TABLE demand_change; DROP TABLE feed; ALTER TABLE demand DROP COLUMN customer_owner; DROP TABLE account_transition; DROP TABLE account_feed; ALTER TABLE audit DROP COLUMN chain; ALTER TABLE audit DROP COLUMN keyed; DROP TABLE audit_head; DROP TABLE keyring; ALTER TABLE customer DROP COLUMN contact_sealed; DROP TABLE personal_lookup; DROP TABLE personal_lookup_build; PRAGMA user_version = 6;"));
  auto db = Database::open(path);
  ASSERT_TRUE(db.ok()) << db.status().to_string();
  EXPECT_EQ(db->schema_version(), 13);
  EXPECT_EQ(*db->worklist(R"({"at":)" + at + "}"), before);
  const nlohmann::json page = nlohmann::json::parse(*db->worklist(R"({"at":)" + at + R"(,"page_size":2})"));
  EXPECT_EQ(page["count"], 2);
  EXPECT_TRUE(page["next"].is_string());
  EXPECT_EQ(query(path, "SELECT count(*) FROM sqlite_master WHERE name IN ('open_target_order', 'open_target_lead')"), "2");
  EXPECT_EQ(query(path, "SELECT count(*) FROM sqlite_master WHERE name = 'open_target_due'"), "0");
}

// A database of schema 7 (before the report facts) opens as the current one with every demand's facts built
// from its ledger: the same report as before, now read from the rows.
TEST(Store, MigratesSchemaSevenBuildingTheReportFacts) {
  TempDir dir;
  const std::string path = dir.file("crm.db");
  const std::string q = R"({"at":1736500000,"period":"week","by":["owner"]})";
  std::string before;
  {
    auto db = Database::open(path);
    ASSERT_TRUE(db.ok()) << db.status().to_string();
    ASSERT_TRUE(db->put_policy(test::sample_policy()).ok());
    for (int i = 0; i < 40; ++i) {
      const std::string id = "S-" + std::to_string(i), at = std::to_string(1735700000 + i * 7200);
      ASSERT_TRUE(db->record_demand(R"({"id":")" + id + R"(","received_at":)" + at + R"(,"channel":"phone","title":"设备停机","owner":")" +
                                    (i % 3 ? "li" : "wang") + "\"}").ok());
      if (i % 2) {
        ASSERT_TRUE(db->append_event(id, R"({"type":"acknowledged","at":)" + std::to_string(1735700000 + i * 7200 + 600) +
                                             R"(,"actor":"a"})")
                        .ok());
      }
    }
    before = *db->report(q);
  }
  ASSERT_TRUE(test::exec(path, "DROP TABLE demand_fact; DROP TABLE fact_build; DROP TABLE demand_crossing; "
                               "DROP TABLE demand_change; DROP TABLE feed; ALTER TABLE demand DROP COLUMN customer_owner; DROP TABLE account_transition; DROP TABLE account_feed; ALTER TABLE audit DROP COLUMN chain; ALTER TABLE audit DROP COLUMN keyed; DROP TABLE audit_head; DROP TABLE keyring; ALTER TABLE customer DROP COLUMN contact_sealed; DROP TABLE personal_lookup; DROP TABLE personal_lookup_build; PRAGMA user_version = 7;"));
  auto db = Database::open(path);
  ASSERT_TRUE(db.ok()) << db.status().to_string();
  EXPECT_EQ(db->schema_version(), 13);
  EXPECT_EQ(query(path, "SELECT count(*) FROM demand_fact"), "40");
  EXPECT_EQ(query(path, "SELECT complete FROM fact_build"), "1");
  EXPECT_EQ(*db->report(q), before);
  auto rebuilt = db->rebuild_report_facts();
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status().to_string();
  EXPECT_EQ(*rebuilt, 40);
  EXPECT_EQ(*db->report(q), before);
}

// A database of schema 9 (before the pinned account owner) opens as the current one: its demands
// as they were, with no account owner pinned; a demand recorded after the upgrade has one.
TEST(Store, MigratesSchemaNinePinningAccountOwnersFromThenOn) {
  TempDir dir;
  const std::string path = dir.file("crm.db");
  const char* admin = R"({"id":"admin","role":"admin"})";
  const auto demand = [](const char* id) {
    return std::string(R"({"id":")") + id + R"(","received_at":1735700000,"channel":"phone","title":"设备停机","customer":{"id":"C-1"}})";
  };
  {
    auto db = Database::open(path);
    ASSERT_TRUE(db.ok()) << db.status().to_string();
    ASSERT_TRUE(db->put_policy(test::sample_policy()).ok());
    ASSERT_TRUE(db->put_customer(admin, R"({"id":"C-1","company":"华东机械","owner":"li","department":"east"})").ok());
    ASSERT_TRUE(db->record_demand(demand("O-1")).ok());
  }
  ASSERT_TRUE(test::exec(path, "ALTER TABLE demand DROP COLUMN customer_owner; DROP TABLE account_transition; DROP TABLE account_feed; ALTER TABLE audit DROP COLUMN chain; ALTER TABLE audit DROP COLUMN keyed; DROP TABLE audit_head; DROP TABLE keyring; ALTER TABLE customer DROP COLUMN contact_sealed; DROP TABLE personal_lookup; DROP TABLE personal_lookup_build; PRAGMA user_version = 9;"));
  auto db = Database::open(path);
  ASSERT_TRUE(db.ok()) << db.status().to_string();
  EXPECT_EQ(db->schema_version(), 13);
  EXPECT_EQ(query(path, "SELECT count(*) FROM demand WHERE customer_owner IS NULL"), "1");
  ASSERT_TRUE(db->record_demand(demand("O-2")).ok());
  EXPECT_EQ(query(path, "SELECT customer_owner FROM demand WHERE id = 'O-2'"), "li");
  // The sample policy routes a key customer's demands to its owner; C-1 buys nothing: not key.
  EXPECT_EQ(nlohmann::json::parse(*db->demand("O-2", 1735800000))["customer_as_classified"]["owner"], "li");
}

// A database of schema 8 (before the change feed) opens as the current one with the time-driven
// transitions of its demands scheduled: the feed tells a breach that falls due after the upgrade.
TEST(Store, MigratesSchemaEightSchedulingTheChangeFeed) {
  TempDir dir;
  const std::string path = dir.file("crm.db");
  const int64_t received = test::shanghai(2025, 3, 3, 9);  // urgent: first_response due 11:00
  {
    auto db = Database::open(path);
    ASSERT_TRUE(db.ok()) << db.status().to_string();
    ASSERT_TRUE(db->put_policy(test::sample_policy()).ok());
    ASSERT_TRUE(db->record_demand(R"({"id":"F-1","received_at":)" + std::to_string(received) +
                                  R"(,"channel":"phone","title":"生产线设备停机，请尽快维修"})").ok());
  }
  ASSERT_TRUE(test::exec(path, "DROP TABLE demand_crossing; DROP TABLE demand_change; DROP TABLE feed; "
                               "ALTER TABLE demand DROP COLUMN customer_owner; DROP TABLE account_transition; DROP TABLE account_feed; ALTER TABLE audit DROP COLUMN chain; ALTER TABLE audit DROP COLUMN keyed; DROP TABLE audit_head; DROP TABLE keyring; ALTER TABLE customer DROP COLUMN contact_sealed; DROP TABLE personal_lookup; DROP TABLE personal_lookup_build; PRAGMA user_version = 8;"));
  auto db = Database::open(path);
  ASSERT_TRUE(db.ok()) << db.status().to_string();
  EXPECT_EQ(db->schema_version(), 13);
  EXPECT_EQ(query(path, "SELECT complete FROM fact_build"), "1");
  auto page = db->changes(R"({"until":)" + std::to_string(test::shanghai(2025, 3, 3, 11)) + "}");
  ASSERT_TRUE(page.ok()) << page.status().to_string();
  const nlohmann::json answer = nlohmann::json::parse(*page);
  std::vector<std::string> kinds;
  for (const nlohmann::json& c : answer["changes"])
    if (c.value("target", "") == "first_response") kinds.push_back(c["kind"]);
  // Written before the feed existed: no log entries, only what time brings.
  EXPECT_EQ(kinds, (std::vector<std::string>{"at_risk", "escalation", "breached", "escalation"}));
  EXPECT_EQ(answer["count"], 4);
}

// Report facts altered behind the library's back so that they name demands the ledger does not
// hold as they say: the report refuses (an internal error saying to rebuild), never counts wrong.
TEST(Store, ReportFactsThatDisagreeWithTheLedgerAreAnErrorNotAFigure) {
  TempDir dir;
  const std::string path = dir.file("crm.db");
  auto db = Database::open(path);
  ASSERT_TRUE(db.ok()) << db.status().to_string();
  ASSERT_TRUE(db->put_policy(test::sample_policy()).ok());
  for (int i = 0; i < 300; ++i)
    ASSERT_TRUE(db->record_demand(R"({"id":"T-)" + std::to_string(i) + R"(","received_at":)" +
                                  std::to_string(1735700000 + i * 60) + R"(,"channel":"phone","title":"设备停机"})")
                    .ok());
  const std::string q = R"({"at":1735000000,"period":"month"})";
  ASSERT_TRUE(db->report(q).ok());
  ASSERT_TRUE(test::exec(path, "UPDATE demand_fact SET settled_at = 9223372036854775807, received_at = 0"));
  auto report = db->report(q);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::internal);
  EXPECT_NE(report.status().message().find("crm_db_rebuild_report_facts"), std::string::npos) << report.status().message();
  ASSERT_TRUE(db->rebuild_report_facts().ok());
  EXPECT_TRUE(db->report(q).ok());
}

TEST(Store, InMemoryDatabasesWork) {
  auto db = Database::open(":memory:");
  ASSERT_TRUE(db.ok()) << db.status().to_string();
  EXPECT_TRUE(db->put_policy(sample_policy()).ok());
  EXPECT_TRUE(db->policy("precise-customer-demand-management", "2025.1").ok());
}

TEST(Store, RefusesANewerSchemaAndLeavesItAlone) {
  TempDir dir;
  const std::string path = dir.file("future.db");
  { ASSERT_TRUE(Database::open(path).ok()); }
  query(path, "PRAGMA user_version = 99");
  auto db = Database::open(path);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::invalid_state);
  EXPECT_NE(db.status().message().find("99"), std::string::npos) << db.status().message();
  EXPECT_EQ(query(path, "PRAGMA user_version"), "99");
}

TEST(Store, UnopenablePathIsAnIoError) {
  auto db = Database::open("/nonexistent-dir/x/y.db");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), StatusCode::io_error);
  EXPECT_NE(db.status().message().find("/nonexistent-dir/x/y.db"), std::string::npos);
}

TEST(Store, PolicyVersionsAreImmutable) {
  TempDir dir;
  const std::string path = dir.file("p.db");
  auto db = Database::open(path);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->put_policy(small_policy("p", "1")).ok());
  EXPECT_TRUE(db->put_policy(small_policy("p", "1")).ok());  // an identical retry changes nothing
  const Status changed = db->put_policy(small_policy("p", "1", 3));
  EXPECT_EQ(changed.code(), StatusCode::conflict);
  EXPECT_NE(changed.message().find("new version"), std::string::npos);
  ASSERT_TRUE(db->put_policy(small_policy("p", "2", 3)).ok());
  EXPECT_EQ(query(path, "SELECT count(*) FROM policy"), "2");
  // The stored version 1 is the original document.
  auto v1 = db->policy("p", "1");
  ASSERT_TRUE(v1.ok());
  Demand d;
  d.received_at = test::utc(2025, 6, 2, 9, 0);  // a Monday
  EXPECT_EQ(v1->evaluate(d)->targets[0].due_at, test::utc(2025, 6, 2, 11, 0));
  EXPECT_EQ(db->policy("p", "2")->evaluate(d)->targets[0].due_at, test::utc(2025, 6, 2, 12, 0));
  EXPECT_EQ(db->policy("p", "3").status().code(), StatusCode::not_found);
}

TEST(Store, InvalidPoliciesWriteNothing) {
  TempDir dir;
  const std::string path = dir.file("i.db");
  auto db = Database::open(path);
  ASSERT_TRUE(db.ok());
  const Status bad = db->put_policy(R"({"name":"p","version":"1"})");
  EXPECT_EQ(bad.code(), StatusCode::invalid_argument);
  EXPECT_EQ(query(path, "SELECT count(*) FROM policy"), "0");
}

TEST(Store, RecordsTheCalendarDataEachPolicyWasBuiltWith) {
  TempDir dir;
  const std::string path = dir.file("c.db");
  auto db = Database::open(path);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->put_policy(sample_policy()).ok());
  EXPECT_EQ(query(path, "SELECT calendar_data FROM policy"), R"({"cn-office":"cn 2025-11-04"})");
}

TEST(Store, StringsAreBoundNeverSpliced) {
  TempDir dir;
  const std::string path = dir.file("s.db");
  auto db = Database::open(path);
  ASSERT_TRUE(db.ok());
  const std::string evil = "x'); DROP TABLE policy; --";
  ASSERT_TRUE(db->put_policy(small_policy(evil, "1' OR '1'='1")).ok());
  EXPECT_EQ(query(path, "SELECT name FROM policy"), evil);
  EXPECT_TRUE(db->policy(evil, "1' OR '1'='1").ok());
  EXPECT_EQ(db->policy(evil, "1").status().code(), StatusCode::not_found);
}

TEST(StoreCApi, OpenPutClose) {
  TempDir dir;
  crm_db* db = nullptr;
  EXPECT_EQ(crm_db_open(nullptr, &db), CRM_EINVAL);
  ASSERT_EQ(crm_db_open(dir.file("c.db").c_str(), &db), CRM_OK) << crm_last_error();
  EXPECT_EQ(crm_db_put_policy(db, small_policy("p", "1").c_str()), CRM_OK);
  EXPECT_EQ(crm_db_put_policy(db, small_policy("p", "1", 5).c_str()), CRM_ECONFLICT);
  EXPECT_NE(std::string(crm_last_error()).find("different document"), std::string::npos);
  EXPECT_EQ(crm_db_put_policy(db, "{"), CRM_EINVAL);
  EXPECT_EQ(crm_db_put_policy(nullptr, "{}"), CRM_EINVAL);
  crm_db_close(db);
  crm_db_close(nullptr);
  crm_db* bad = reinterpret_cast<crm_db*>(0x1);
  EXPECT_EQ(crm_db_open("/nonexistent-dir/x.db", &bad), CRM_EIO);
  EXPECT_EQ(bad, reinterpret_cast<crm_db*>(0x1));
}

}  // namespace
}  // namespace crm

namespace crm {
namespace {

// Backups that hold everything (issue 14 §2, in part): the online backup copies every table of a
// live database; it and snapshots are written 0600.
TEST(StoreBackup, AHotBackupHoldsEveryTableAndIsOwnerOnly) {
  test::TempDir dir;
  const std::string path = dir.file("live.db"), copy = dir.file("copy.db");
  auto db = Database::open(path);
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db->put_policy(test::sample_policy()).ok());
  ASSERT_TRUE(db->record_demand(R"({"id":"B-1","received_at":1760000000,"channel":"phone","title":"停机"})").ok());
  ASSERT_TRUE(db->put_customer(R"({"id":"admin","role":"admin"})",
                               R"({"id":"C1","company":"华东机械","owner":"li.na","department":"east"})").ok());
  ASSERT_TRUE(db->backup(copy).ok());
  struct stat st {};
  ASSERT_EQ(::stat(copy.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  for (const char* table : {"policy", "demand", "customer", "audit", "calendar_data"})
    EXPECT_EQ(test::query(copy, (std::string("SELECT count(*) FROM ") + table).c_str()),
              test::query(path, (std::string("SELECT count(*) FROM ") + table).c_str()))
        << table;
  auto reopened = Database::open(copy);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(*reopened->demand("B-1", 1760000000), *db->demand("B-1", 1760000000));
  ASSERT_TRUE(db->backup(copy).ok());  // over an existing file
  const std::string snapshot = dir.file("all.snapshot");
  ASSERT_TRUE(db->export_snapshot(snapshot).ok());
  ASSERT_EQ(::stat(snapshot.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(db->backup(dir.file("no/such/dir/x.db")).code(), StatusCode::io_error);
}

}  // namespace
}  // namespace crm

#include "store/fact_rows.hpp"

namespace crm {
namespace {

// The report facts blob (store/fact_rows.cpp): random facts come back as they went in, whatever
// the instants (before receipt, far after, never); every cut or padded blob is refused.
TEST(FactBlob, RoundTripsAndRefusesEveryCutOrPaddedBlob) {
  std::mt19937_64 rng(16);
  const auto instant = [&](int64_t origin) -> int64_t {
    switch (rng() % 4) {
      case 0: return detail::kNever;
      case 1: return origin - static_cast<int64_t>(rng() % 100000);
      case 2: return origin + static_cast<int64_t>(rng() % 7000000000);
      default: return origin + static_cast<int64_t>(rng() % 100000);
    }
  };
  for (int round = 0; round < 300; ++round) {
    detail::DemandFacts f;
    f.received_at = static_cast<int64_t>(rng() % 7000000000) - 100000;
    for (std::string* t : {&f.id, &f.department, &f.owner, &f.urgency, &f.category, &f.nature, &f.policy_version,
                           &f.channel, &f.customer_tier, &f.customer})
      *t = std::string(rng() % 200, static_cast<char>('a' + rng() % 26));
    f.state = static_cast<uint8_t>(rng() % 6);
    f.resolution = static_cast<uint8_t>(rng() % 3);
    f.technical = static_cast<int8_t>(static_cast<int>(rng() % 3) - 1);
    f.value = rng() % 2 ? -1 : static_cast<double>(rng() % 101) / 10;
    f.resolved_at = instant(f.received_at);
    f.first_response_at = instant(f.received_at);
    for (size_t n = rng() % 4; n > 0; --n)
      f.targets.push_back({"t" + std::to_string(rng() % 1000), instant(f.received_at), instant(f.received_at),
                           static_cast<uint8_t>(rng() % 2 ? detail::kRunningTarget : rng() % 6), rng() % 2 == 0});
    for (size_t n = rng() % 3; n > 0; --n) f.open_spans.emplace_back(instant(f.received_at), instant(f.received_at));
    for (size_t n = rng() % 3; n > 0; --n) f.reopened.push_back(instant(f.received_at));
    for (size_t n = rng() % 3; n > 0; --n) f.feedback.push_back({instant(f.received_at), static_cast<int>(1 + rng() % 5)});

    std::string blob, again;
    detail::encode_fact_blob(f, blob);
    detail::DemandFacts g;
    g.received_at = f.received_at;
    ASSERT_TRUE(detail::decode_fact_blob(blob, g));
    detail::encode_fact_blob(g, again);
    EXPECT_EQ(again, blob);
    EXPECT_EQ(g.id, f.id);
    EXPECT_EQ(g.customer, f.customer);
    EXPECT_EQ(g.resolved_at, f.resolved_at);
    EXPECT_EQ(g.value, f.value);
    ASSERT_EQ(g.targets.size(), f.targets.size());
    for (size_t i = 0; i < f.targets.size(); ++i) {
      EXPECT_EQ(g.targets[i].due, f.targets[i].due);
      EXPECT_EQ(g.targets[i].warn, f.targets[i].warn);
      EXPECT_EQ(g.targets[i].status, f.targets[i].status);
    }
    EXPECT_EQ(g.open_spans, f.open_spans);
    EXPECT_EQ(g.reopened, f.reopened);
    for (size_t cut = 0; cut < blob.size(); cut += 1 + blob.size() / 40) {
      detail::DemandFacts h;
      EXPECT_FALSE(detail::decode_fact_blob(std::string_view(blob).substr(0, cut), h)) << cut;
    }
    detail::DemandFacts h;
    EXPECT_FALSE(detail::decode_fact_blob(blob + '\0', h));
  }
}

}  // namespace
}  // namespace crm
