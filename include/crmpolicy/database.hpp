// crm::Database: the embedded SQLite store (policies now; the demand ledger builds on it).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "crmpolicy/export.h"
#include "crmpolicy/policy.hpp"
#include "crmpolicy/status.hpp"

namespace crm {

namespace detail {
class DatabaseImpl;
}

struct DatabaseOptions {
  bool synchronous_full = true;  // PRAGMA synchronous=FULL: a committed write survives power loss
  int busy_timeout_ms = 5000;    // how long to wait for another connection's lock
};

// One handle is used by one thread at a time; several handles (threads or processes) may share a
// file, SQLite's locking keeps it consistent. Every write is one transaction.
class CRM_CXX_API Database {
 public:
  // Opens or creates the file (":memory:" for a private in-memory database), brings its schema up
  // to date, and refuses a schema newer than this library knows.
  static Result<Database> open(const std::string& path, const DatabaseOptions& options = {});

  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  ~Database();

  int schema_version() const;

  // Stores a policy version. A version once stored never changes: storing the same document again
  // is a no-op, a different document under a stored name and version is a conflict.
  Status put_policy(std::string_view policy_json);
  // A stored policy version; not_found when absent.
  Result<Policy> policy(std::string_view name, std::string_view version) const;

 private:
  explicit Database(std::unique_ptr<detail::DatabaseImpl> impl);
  std::unique_ptr<detail::DatabaseImpl> impl_;
};

}  // namespace crm
