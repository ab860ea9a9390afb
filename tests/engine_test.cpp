// SPDX-License-Identifier: Apache-2.0
// The SQLite engine's appended rows (store/sqlite_engine.cpp): inserted on a second thread in
// hand-offs, or by the next use of the connection; read back in order by any query; a failed
// insert fails every later use until a rollback, so a transaction missing a row never commits.
// Then, on both engines, a commit started while the caller goes on (Engine::start_commit).
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "store/engine.hpp"
#include "store_fixture.hpp"

namespace crm::detail {
namespace {

// More rows than several hand-offs (512 rows each), so most are inserted by the second thread.
constexpr int kManyRows = 5000;

// The first column of a query's first row, or what went wrong.
std::string first_cell(Engine& engine, const char* sql) {
  auto q = engine.prepare(sql, false);
  if (!q) return "prepare failed: " + engine.error_message();
  const Step rc = q->step();
  if (rc != Step::row) return rc == Step::done ? "no row" : "error: " + engine.error_message();
  return q->string(0);
}

class SqliteEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = open_sqlite_engine(dir_.file("engine.db"), DatabaseOptions());
    ASSERT_TRUE(opened.ok()) << opened.status().to_string();
    engine_ = std::move(*opened);
    ASSERT_TRUE(engine_->exec("CREATE TABLE parent (seq INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
                              "CREATE TABLE child (parent INTEGER NOT NULL REFERENCES parent, n INTEGER NOT NULL, "
                              "  note TEXT, bytes BLOB, PRIMARY KEY (parent, n))"))
        << engine_->error_message();
    parents_ = engine_->appender("parent", "seq, name");
    children_ = engine_->appender("child", "parent, n, note, bytes");
    ASSERT_TRUE(parents_ && children_);
  }
  void TearDown() override {
    parents_.reset();
    children_.reset();
    engine_.reset();
  }

  // A parent and two children (one with a NULL note and an empty blob), as an import appends them.
  void append_family(int i, const std::string& name) {
    parents_->add_int(i);
    parents_->add_text(name);
    ASSERT_TRUE(parents_->end_row());
    for (int n = 1; n <= 2; ++n) {
      children_->add_int(i);
      children_->add_int(n);
      if (n == 1) children_->add_text("note " + std::to_string(i));
      else children_->add_null();
      children_->add_blob(n == 1 ? std::string("\0\1\2", 3) : std::string());
      ASSERT_TRUE(children_->end_row());
    }
  }

  std::string ask(const char* sql) { return first_cell(*engine_, sql); }

  test::TempDir dir_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Appender> parents_, children_;
};

TEST_F(SqliteEngineTest, AppendedRowsAreReadBackInOrderByTheNextQuery) {
  ASSERT_TRUE(engine_->begin(true));
  for (int i = 1; i <= kManyRows; ++i) append_family(i, "p" + std::to_string(i));
  // Children reference their parents (foreign keys are on): the order of appending is kept across appenders.
  EXPECT_EQ(ask("SELECT count(*) || ' ' || sum(seq) FROM parent"), std::to_string(kManyRows) + " " +
                                                                      std::to_string(kManyRows * (kManyRows + 1) / 2));
  EXPECT_EQ(ask("SELECT count(*) FROM child"), std::to_string(2 * kManyRows));
  EXPECT_EQ(ask("SELECT note || '|' || hex(bytes) FROM child WHERE parent = 4321 AND n = 1"), "note 4321|000102");
  EXPECT_EQ(ask("SELECT (note IS NULL) || '|' || typeof(bytes) || length(bytes) FROM child WHERE parent = 17 AND n = 2"),
            "1|blob0");
  // A few rows more, fewer than a hand-off: inserted by the commit.
  for (int i = kManyRows + 1; i <= kManyRows + 3; ++i) append_family(i, "p" + std::to_string(i));
  ASSERT_TRUE(engine_->commit()) << engine_->error_message();
  EXPECT_EQ(ask("SELECT count(*) FROM parent"), std::to_string(kManyRows + 3));
}

TEST_F(SqliteEngineTest, AQueryCountsItsOwnChangesNotRowsAppendedAfterIt) {
  ASSERT_TRUE(engine_->begin(true));
  for (int i = 1; i <= 10; ++i) append_family(i, "p" + std::to_string(i));
  auto update = engine_->prepare("UPDATE child SET note = 'x' WHERE n = 2", false);
  ASSERT_TRUE(update);
  ASSERT_EQ(update->step(), Step::done);
  for (int i = 11; i <= 20; ++i) append_family(i, "p" + std::to_string(i));
  EXPECT_EQ(update->affected_rows(), 10);
  update.reset();
  ASSERT_TRUE(engine_->commit());
}

// The failing row comes after several hand-offs and is followed by more than a hand-off (the
// second thread finds it), or among a few rows never handed off (the next use of the connection
// finds it). Parameters: the family whose parent fails, the families after it.
class SqliteEngineFailure : public SqliteEngineTest, public ::testing::WithParamInterface<std::pair<int, int>> {};

TEST_P(SqliteEngineFailure, AFailedInsertFailsEveryUseUntilARollback) {
  const auto [failing_at, after] = GetParam();
  auto probe = engine_->prepare("SELECT count(*) FROM parent", false);
  ASSERT_TRUE(probe);
  ASSERT_TRUE(engine_->begin(true));
  for (int i = 1; i <= failing_at + after; ++i) append_family(i, i == failing_at ? "p1" : "p" + std::to_string(i));
  EXPECT_EQ(probe->step(), Step::error);
  EXPECT_NE(engine_->error_message().find("inserting into parent: UNIQUE constraint failed: parent.name"),
            std::string::npos)
      << engine_->error_message();
  EXPECT_EQ(engine_->last_error(), EngineError::unique_violation);
  EXPECT_EQ(engine_->prepare("SELECT 1", false), nullptr);
  EXPECT_FALSE(engine_->exec("SELECT 1"));
  EXPECT_FALSE(engine_->flush());
  EXPECT_FALSE(engine_->commit());  // never: the transaction lacks a row
  ASSERT_TRUE(engine_->rollback());
  probe.reset();
  EXPECT_EQ(ask("SELECT count(*) FROM parent"), "0");
  // The handle works again.
  ASSERT_TRUE(engine_->begin(true));
  append_family(1, "again");
  ASSERT_TRUE(engine_->commit()) << engine_->error_message();
  EXPECT_EQ(ask("SELECT name FROM parent"), "again");
}

INSTANTIATE_TEST_SUITE_P(Where, SqliteEngineFailure, ::testing::Values(std::pair<int, int>{3, 2}, std::pair<int, int>{1000, 400}));

TEST_F(SqliteEngineTest, ACommitStartedGoesOnWhileTheCallerWorksAndIsWaitedFor) {
  ASSERT_TRUE(engine_->begin(true));
  for (int i = 1; i <= kManyRows; ++i) append_family(i, "p" + std::to_string(i));
  ASSERT_TRUE(engine_->start_commit());
  ASSERT_TRUE(engine_->finish_commit()) << engine_->error_message();
  EXPECT_EQ(test::query(dir_.file("engine.db"), "SELECT count(*) FROM child"), std::to_string(2 * kManyRows));
  // A query after start_commit waits for the commit as well.
  ASSERT_TRUE(engine_->begin(true));
  append_family(kManyRows + 1, "one more");
  ASSERT_TRUE(engine_->start_commit());
  EXPECT_EQ(ask("SELECT count(*) FROM parent"), std::to_string(kManyRows + 1));
  EXPECT_TRUE(engine_->finish_commit());
}

TEST_P(SqliteEngineFailure, ACommitStartedAfterAFailedInsertRollsBack) {
  const auto [failing_at, after] = GetParam();
  ASSERT_TRUE(engine_->begin(true));
  for (int i = 1; i <= failing_at + after; ++i) append_family(i, i == failing_at ? "p1" : "p" + std::to_string(i));
  (void)engine_->start_commit();  // may already know of the failure, or not yet
  EXPECT_FALSE(engine_->finish_commit());
  EXPECT_NE(engine_->error_message().find("UNIQUE constraint failed: parent.name"), std::string::npos)
      << engine_->error_message();
  EXPECT_EQ(test::query(dir_.file("engine.db"), "SELECT count(*) FROM parent"), "0");
  ASSERT_TRUE(engine_->begin(true));  // the transaction is over: the handle goes on
  append_family(1, "again");
  ASSERT_TRUE(engine_->commit()) << engine_->error_message();
  EXPECT_EQ(ask("SELECT group_concat(name) FROM parent"), "again");
}

TEST_F(SqliteEngineTest, ARollbackToASavepointDropsOnlyTheRowsAppendedAfterIt) {
  ASSERT_TRUE(engine_->begin(true));
  for (int i = 1; i <= 100; ++i) append_family(i, "p" + std::to_string(i));
  ASSERT_TRUE(engine_->exec("SAVEPOINT line"));
  for (int i = 101; i <= kManyRows; ++i) append_family(i, i == kManyRows - 10 ? "p5" : "p" + std::to_string(i));
  EXPECT_FALSE(engine_->flush());
  ASSERT_TRUE(engine_->exec("ROLLBACK TO line"));
  ASSERT_TRUE(engine_->exec("RELEASE line"));
  append_family(101, "after the savepoint");
  ASSERT_TRUE(engine_->commit()) << engine_->error_message();
  EXPECT_EQ(ask("SELECT count(*) || ' ' || max(seq) FROM parent"), "101 101");
  EXPECT_EQ(ask("SELECT count(*) FROM child"), "202");
}

TEST_F(SqliteEngineTest, AHandleClosedWithRowsStillAppendedLeavesNoPartialTransaction) {
  ASSERT_TRUE(engine_->begin(true));
  for (int i = 1; i <= kManyRows; ++i) append_family(i, "p" + std::to_string(i));
  parents_.reset();  // as the store closes a handle: appenders first, then the engine
  children_.reset();
  engine_.reset();
  auto reopened = open_sqlite_engine(dir_.file("engine.db"), DatabaseOptions());
  ASSERT_TRUE(reopened.ok());
  engine_ = std::move(*reopened);
  EXPECT_EQ(ask("SELECT count(*) FROM parent"), "0");
}

// A new file has 16 KiB pages (the fixture's engine made it); the connection checkpoints after
// about 40 MB of log whatever the page size.
TEST_F(SqliteEngineTest, ANewFileHasSixteenKibPagesAndCheckpointsEveryFortyMegabytes) {
  EXPECT_EQ(ask("PRAGMA page_size"), "16384");
  EXPECT_EQ(ask("PRAGMA wal_autocheckpoint"), "2560");
  EXPECT_EQ(ask("PRAGMA journal_mode"), "wal");
}

TEST(SqliteEngineFile, AnOlderFileKeepsItsPageSizeAndItsDataAndCheckpointsEveryFortyMegabytes) {
  test::TempDir dir;
  const std::string path = dir.file("old.db");
  ASSERT_TRUE(test::exec(path, "PRAGMA page_size = 4096; CREATE TABLE kept (x INTEGER); INSERT INTO kept VALUES (7)"));
  ASSERT_EQ(test::query(path, "PRAGMA page_size"), "4096");
  auto opened = open_sqlite_engine(path, DatabaseOptions());
  ASSERT_TRUE(opened.ok()) << opened.status().to_string();
  EXPECT_EQ(first_cell(**opened, "PRAGMA page_size"), "4096");
  EXPECT_EQ(first_cell(**opened, "PRAGMA wal_autocheckpoint"), "10240");
  EXPECT_EQ(first_cell(**opened, "SELECT x FROM kept"), "7");
}


// Both engines: the import commits a batch with start_commit() and reads the next one meanwhile
// (SQLite: the helper thread commits; PostgreSQL: COMMIT is sent and its result read later).
class EngineCommit : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    where_ = test::fresh_database(GetParam(), dir_);
    auto opened = test::is_postgres(where_) ? open_postgres_engine(where_, DatabaseOptions())
                                            : open_sqlite_engine(where_, DatabaseOptions());
    ASSERT_TRUE(opened.ok()) << opened.status().to_string();
    engine_ = std::move(*opened);
    ASSERT_TRUE(engine_->exec("CREATE TABLE box (id INTEGER PRIMARY KEY, label TEXT NOT NULL);"
                              "CREATE TABLE item (box INTEGER NOT NULL REFERENCES box (id) DEFERRABLE INITIALLY DEFERRED, "
                              "  n INTEGER NOT NULL, PRIMARY KEY (box, n))"))
        << engine_->error_message();
    boxes_ = engine_->appender("box", "id, label");
    items_ = engine_->appender("item", "box, n");
    ASSERT_TRUE(boxes_ && items_);
  }
  void TearDown() override {
    boxes_.reset();
    items_.reset();
    engine_.reset();
  }
  void append_box(int id) {
    boxes_->add_int(id);
    boxes_->add_text("box " + std::to_string(id));
    ASSERT_TRUE(boxes_->end_row());
    for (int n = 1; n <= 3; ++n) {
      items_->add_int(id);
      items_->add_int(n);
      ASSERT_TRUE(items_->end_row());
    }
  }
  std::string count(const char* table) {
    return test::query(where_, (std::string("SELECT count(*) FROM ") + table).c_str());
  }
  // Through the engine itself: waits for a commit in flight.
  std::string ask(const char* sql) {
    auto q = engine_->prepare(sql, false);
    if (!q) return "prepare failed: " + engine_->error_message();
    const Step rc = q->step();
    if (rc != Step::row) return rc == Step::done ? "no row" : "error: " + engine_->error_message();
    return std::string(q->text(0));
  }

  test::TempDir dir_;
  std::string where_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Appender> boxes_, items_;
};

TEST_P(EngineCommit, AStartedCommitIsWaitedForByFinishCommitAndByTheNextUse) {
  ASSERT_TRUE(engine_->begin(true));
  for (int id = 1; id <= kManyRows; ++id) append_box(id);
  ASSERT_TRUE(engine_->start_commit()) << engine_->error_message();
  ASSERT_TRUE(engine_->finish_commit()) << engine_->error_message();
  EXPECT_EQ(count("item"), std::to_string(3 * kManyRows));  // committed: another connection sees it
  EXPECT_TRUE(engine_->finish_commit());                     // nothing in flight: nothing to report

  // A query sent before finish_commit() waits for the commit, and the commit's outcome is kept.
  ASSERT_TRUE(engine_->begin(true));
  append_box(kManyRows + 1);
  ASSERT_TRUE(engine_->start_commit()) << engine_->error_message();
  EXPECT_EQ(ask("SELECT count(*) FROM box"), std::to_string(kManyRows + 1));
  EXPECT_TRUE(engine_->finish_commit()) << engine_->error_message();
  // The connection goes on: a transaction after it, rolled back.
  ASSERT_TRUE(engine_->begin(true));
  append_box(kManyRows + 2);
  ASSERT_TRUE(engine_->rollback());
  EXPECT_EQ(count("box"), std::to_string(kManyRows + 1));
}

TEST_P(EngineCommit, ACommitTheDatabaseRefusesIsReportedByFinishCommitAndLeavesNothing) {
  ASSERT_TRUE(engine_->begin(true));
  append_box(1);
  // An item of a box that does not exist: the deferred foreign key is checked by COMMIT itself.
  ASSERT_TRUE(engine_->exec("INSERT INTO item (box, n) VALUES (99, 1)")) << engine_->error_message();
  ASSERT_TRUE(engine_->start_commit()) << engine_->error_message();
  EXPECT_FALSE(engine_->finish_commit());
  const std::string message = engine_->error_message();
  EXPECT_TRUE(message.find("FOREIGN KEY constraint failed") != std::string::npos ||
              message.find("violates foreign key constraint") != std::string::npos)
      << message;
  EXPECT_EQ(engine_->last_error(), EngineError::constraint);
  EXPECT_EQ(count("box"), "0");
  EXPECT_EQ(count("item"), "0");
  // The transaction is over (rolled back): the handle goes on.
  ASSERT_TRUE(engine_->begin(true));
  append_box(99);
  ASSERT_TRUE(engine_->start_commit()) << engine_->error_message();
  ASSERT_TRUE(engine_->finish_commit()) << engine_->error_message();
  EXPECT_EQ(count("item"), "3");
}

// Rows the database refuses (a box twice): the failure comes from start_commit() (PostgreSQL sends
// the rows then) or from finish_commit() (SQLite's helper thread may find it later). As
// detail::Transaction does, the caller rolls back when start_commit() failed (a started commit
// ends the transaction either way); the next transaction's commit is not blamed for it.
TEST_P(EngineCommit, RowsTheDatabaseRefusesFailTheCommitAndNotTheNextOne) {
  ASSERT_TRUE(engine_->begin(true));
  append_box(1);
  append_box(1);
  const bool started = engine_->start_commit();
  EXPECT_FALSE(started && engine_->finish_commit());
  EXPECT_EQ(engine_->last_error(), EngineError::unique_violation) << engine_->error_message();
  if (!started) {
    ASSERT_TRUE(engine_->rollback());
  }
  EXPECT_EQ(count("box"), "0");
  ASSERT_TRUE(engine_->begin(true));
  append_box(2);
  ASSERT_TRUE(engine_->start_commit()) << engine_->error_message();
  ASSERT_TRUE(engine_->finish_commit()) << engine_->error_message();
  EXPECT_EQ(count("item"), "3");
}

INSTANTIATE_TEST_SUITE_P(Engines, EngineCommit, ::testing::ValuesIn(test::engines()), test::engine_name);

}  // namespace
}  // namespace crm::detail
