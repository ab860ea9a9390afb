#include "crmpolicy/database.hpp"

#include <sqlite3.h>

#include "calendar/calendar_impl.hpp"
#include "core/json_writer.hpp"
#include "store/schema.hpp"

namespace crm {

namespace detail {

// Statements are prepared once per handle and reset after each use.
class Statement {
 public:
  Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }
  int prepare(sqlite3* db, const char* sql) { return sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr); }
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets and clears a statement when the scope ends, whatever path leaves it.
class Use {
 public:
  explicit Use(const Statement& s) : stmt_(s.get()) {}
  Use(const Use&) = delete;
  Use& operator=(const Use&) = delete;
  ~Use() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  sqlite3_stmt* operator*() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_;
};

class DatabaseImpl {
 public:
  // close_v2 defers the close until the statement members below are finalized.
  ~DatabaseImpl() { sqlite3_close_v2(db_); }

  Status error(const std::string& what) const {
    const int code = sqlite3_extended_errcode(db_);
    return Status::io_error(what + ": " + sqlite3_errmsg(db_) + ((code & 0xff) == SQLITE_BUSY ? " (database is busy)" : ""));
  }

  Status exec(const char* sql, const std::string& what) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      const std::string text = message ? message : sqlite3_errmsg(db_);
      sqlite3_free(message);
      return Status::io_error(what + ": " + text);
    }
    return {};
  }

  sqlite3* db_ = nullptr;
  int schema_version_ = 0;
  Statement find_policy_;
  Statement insert_policy_;
};

}  // namespace detail

namespace {

std::string text_column(sqlite3_stmt* stmt, int column) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, column));
  return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt, column))) : std::string();
}

int bind_text(sqlite3_stmt* stmt, int index, std::string_view text) {
  return sqlite3_bind_text64(stmt, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

Status migrate(detail::DatabaseImpl& d) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(d.db_, "PRAGMA user_version", -1, &stmt, nullptr) != SQLITE_OK)
    return d.error("reading the schema version");
  int version = 0;
  if (sqlite3_step(stmt) == SQLITE_ROW) version = sqlite3_column_int(stmt, 0);
  sqlite3_finalize(stmt);
  const auto& steps = detail::migrations();
  if (version > static_cast<int>(steps.size()))
    return Status::invalid_state("the database has schema version " + std::to_string(version) +
                                 ", newer than this library knows (" + std::to_string(steps.size()) +
                                 "); upgrade crmpolicy to open it");
  for (; version < static_cast<int>(steps.size()); ++version) {
    // Each migration and its version bump commit together or not at all.
    if (Status s = d.exec("BEGIN IMMEDIATE", "starting a migration"); !s.ok()) return s;
    Status s = d.exec(steps[static_cast<size_t>(version)], "applying a migration");
    if (s.ok()) s = d.exec(("PRAGMA user_version = " + std::to_string(version + 1)).c_str(), "recording the schema version");
    if (s.ok()) s = d.exec("COMMIT", "committing a migration");
    if (!s.ok()) {
      (void)d.exec("ROLLBACK", "rolling back a migration");
      return s;
    }
  }
  d.schema_version_ = version;
  return {};
}

}  // namespace

Database::Database(std::unique_ptr<detail::DatabaseImpl> impl) : impl_(std::move(impl)) {}
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;
Database::~Database() = default;

Result<Database> Database::open(const std::string& path, const DatabaseOptions& options) {
  auto d = std::make_unique<detail::DatabaseImpl>();
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  if (sqlite3_open_v2(path.c_str(), &d->db_, flags, nullptr) != SQLITE_OK) {
    const std::string message = d->db_ ? sqlite3_errmsg(d->db_) : "out of memory";
    return Status::io_error("cannot open database \"" + path + "\": " + message);
  }
  sqlite3_busy_timeout(d->db_, options.busy_timeout_ms);
  const std::string pragmas = std::string("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = ") +
                              (options.synchronous_full ? "FULL" : "NORMAL") + ";";
  if (Status s = d->exec(pragmas.c_str(), "configuring \"" + path + "\""); !s.ok()) return s;
  if (Status s = migrate(*d); !s.ok()) return s;
  if (d->find_policy_.prepare(d->db_, "SELECT document FROM policy WHERE name = ?1 AND version = ?2") != SQLITE_OK ||
      d->insert_policy_.prepare(d->db_, "INSERT INTO policy (name, version, document, calendar_data) VALUES (?1, ?2, ?3, ?4)") !=
          SQLITE_OK)
    return d->error("preparing statements");
  return Database(std::move(d));
}

int Database::schema_version() const { return impl_->schema_version_; }

Status Database::put_policy(std::string_view policy_json) {
  auto policy = Policy::from_json(policy_json);
  if (!policy.ok()) return std::move(policy).status();

  {
    detail::Use find(impl_->find_policy_);
    bind_text(*find, 1, policy->name());
    bind_text(*find, 2, policy->version());
    const int rc = sqlite3_step(*find);
    if (rc == SQLITE_ROW) {
      if (text_column(*find, 0) == policy_json) return {};  // an idempotent retry
      return Status::conflict("policy \"" + policy->name() + "\" version \"" + policy->version() +
                              "\" is already stored with a different document; store the change as a new version");
    }
    if (rc != SQLITE_DONE) return impl_->error("looking up a policy");
  }

  std::string calendar_data;
  detail::JsonWriter w(calendar_data);
  w.begin_object();
  for (const std::string& name : policy->calendar_names())
    w.key(name).value(detail::CalendarAccess::impl(*policy->calendar(name)).base_version);
  w.end_object();

  detail::Use insert(impl_->insert_policy_);
  bind_text(*insert, 1, policy->name());
  bind_text(*insert, 2, policy->version());
  bind_text(*insert, 3, policy_json);
  bind_text(*insert, 4, calendar_data);
  if (sqlite3_step(*insert) != SQLITE_DONE) return impl_->error("storing a policy");
  return {};
}

Result<Policy> Database::policy(std::string_view name, std::string_view version) const {
  detail::Use find(impl_->find_policy_);
  bind_text(*find, 1, name);
  bind_text(*find, 2, version);
  const int rc = sqlite3_step(*find);
  if (rc == SQLITE_DONE)
    return Status::not_found("no policy \"" + std::string(name) + "\" version \"" + std::string(version) + "\" is stored");
  if (rc != SQLITE_ROW) return impl_->error("reading a policy");
  auto policy = Policy::from_json(text_column(*find, 0));
  if (!policy.ok()) return Status::internal("stored policy no longer loads: " + policy.status().message());
  return policy;
}

}  // namespace crm
