// SPDX-License-Identifier: Apache-2.0
// crmctl's command plumbing: parsed arguments, exit codes, and the commands themselves.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <crmpolicy/database.hpp>

namespace crmctl {

// Exit codes (README "crmctl").
enum Exit : int { kOk = 0, kUsage = 1, kBadInput = 2, kStorage = 3 };

// `--name value` options and positional words, in order.
struct Args {
  std::vector<std::string> words;
  std::map<std::string, std::string> options;
  bool has(const std::string& name) const { return options.count(name) != 0; }
  std::string get(const std::string& name, const std::string& fallback = {}) const {
    const auto it = options.find(name);
    return it == options.end() ? fallback : it->second;
  }
};

struct UsageError {
  std::string message;
};

// Prints a failed status on stderr; returns its exit code (2 for bad input, 3 for storage).
int fail(const crm::Status& status, const std::string& context = {});
// An instant from "1760000000", "2025-10-10", "2025-10-10T11:00" (local in `calendar`) or with an
// explicit offset ("...+08:00", "...Z"). Throws UsageError naming the option.
int64_t parse_instant(const std::string& text, const crm::Calendar& calendar, const std::string& option);
// Whether --db names a PostgreSQL database (a URI) rather than an SQLite file.
bool is_server_uri(const std::string& path);
// The calendar reports use: the default calendar of the stored policy (the only or the named one).
crm::Result<crm::Policy> report_policy(crm::Database& db, const std::string& name);

// "2025-10-09 11:00" in the calendar's local time.
std::string local_time(int64_t t, const crm::Calendar& calendar);
// "12h05m".
std::string duration_text(int64_t seconds);
int64_t now();
// Throws UsageError with `usage` unless there are exactly n words after the command.
void require_words(const Args& args, size_t n, const char* usage);

// The whole file, or a UsageError naming it.
std::string read_file(const std::string& path);

// The database of --db (else $CRMCTL_DB, else crmpolicy.db) with open_options(); an SQLite file
// that does not exist is refused (invalid_argument) unless `may_create`.
crm::Result<crm::Database> open_database(const Args& args, bool may_create);
// The actor of --as ID:ROLE[:DEPARTMENT] as JSON (default crmctl:admin).
std::string acting_user(const Args& args);
// The ledger's commands act as the system (every demand) unless --as names a user: then its id
// and the actor JSON the library's calls take, and the library's access rules apply (README "Security").
struct LedgerActor {
  std::string id, json;
};
std::optional<LedgerActor> ledger_actor(const Args& args);

int cmd_demo(const Args& args);
int cmd_policy_check(const Args& args);
int cmd_event(crm::Database& db, const Args& args);
int cmd_weekly(crm::Database& db, const Args& args);
int cmd_goals(crm::Database& db, const Args& args);
int cmd_calendar(const Args& args);
int cmd_import(crm::Database& db, const Args& args);
int cmd_policy(crm::Database& db, const Args& args);
int cmd_backup(crm::Database& db, const Args& args);
int cmd_audit(crm::Database& db, const Args& args);
// The options a command opens the database with: the host key from --key-file or $CRMCTL_KEY_FILE.
crm::DatabaseOptions open_options(const Args& args);
int cmd_snapshot(crm::Database& db, const Args& args);
int cmd_demand(crm::Database& db, const Args& args);
int cmd_due(crm::Database& db, const Args& args);
int cmd_watch(crm::Database& db, const Args& args);
int cmd_report(crm::Database& db, const Args& args);
int cmd_customers(crm::Database& db, const Args& args);
int cmd_collection_due(crm::Database& db, const Args& args);
int cmd_churn(crm::Database& db, const Args& args);
int cmd_prospects(crm::Database& db, const Args& args);

// Prints a JSON report (crm::Database::report) as tables.
void print_report_tables(const std::string& report_json, std::ostream& out, bool brief);

}  // namespace crmctl
