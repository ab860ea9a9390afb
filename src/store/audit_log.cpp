// SPDX-License-Identifier: Apache-2.0
#include "store/audit_log.hpp"

namespace crm::detail {

namespace {

constexpr const char* kColumns =
    "SELECT seq, recorded_at, actor, role, operation, kind, record, outcome, before, after, message FROM audit ";

AuditRow read_row(sqlite3_stmt* st) {
  AuditRow r;
  r.seq = sqlite3_column_int64(st, 0);
  r.recorded_at = sqlite3_column_int64(st, 1);
  r.actor = text_column(st, 2);
  r.role = text_column(st, 3);
  r.operation = text_column(st, 4);
  r.kind = text_column(st, 5);
  r.record = text_column(st, 6);
  r.outcome = text_column(st, 7);
  if (sqlite3_column_type(st, 8) != SQLITE_NULL) r.before = text_column(st, 8);
  if (sqlite3_column_type(st, 9) != SQLITE_NULL) r.after = text_column(st, 9);
  r.message = text_column(st, 10);
  return r;
}

}  // namespace

Status append_audit(DatabaseImpl& d, const AuditRow& r) {
  Use use(d.insert_audit_);
  sqlite3_bind_int64(*use, 1, r.recorded_at);
  bind_text(*use, 2, r.actor);
  bind_text(*use, 3, r.role);
  bind_text(*use, 4, r.operation);
  bind_text(*use, 5, r.kind);
  bind_text(*use, 6, r.record);
  bind_text(*use, 7, r.outcome);
  if (r.before) bind_text(*use, 8, *r.before);
  if (r.after) bind_text(*use, 9, *r.after);
  bind_text(*use, 10, r.message);
  return sqlite3_step(*use) == SQLITE_DONE ? Status() : d.error("writing the audit log");
}

Status scan_audit_between(DatabaseImpl& d, int64_t from, int64_t to, const std::function<void(const AuditRow&)>& row) {
  return each_row(d, (std::string(kColumns) + "WHERE recorded_at >= ?1 AND recorded_at < ?2 ORDER BY seq").c_str(),
                  [&](sqlite3_stmt* st) {
                    sqlite3_bind_int64(st, 1, from);
                    sqlite3_bind_int64(st, 2, to);
                  },
                  [&](sqlite3_stmt* st) { row(read_row(st)); });
}

Status scan_audit_of(DatabaseImpl& d, const std::vector<std::pair<std::string, std::string>>& records,
                     const std::function<void(const AuditRow&)>& row) {
  if (records.empty()) return {};
  return each_row(d, (std::string(kColumns) + "WHERE (kind = ?1 AND record = ?2) OR (kind = ?3 AND record = ?4) ORDER BY seq").c_str(),
                  [&](sqlite3_stmt* st) {
                    for (size_t i = 0; i < 2; ++i) {
                      const auto& r = i < records.size() ? records[i] : records[0];
                      bind_text(st, static_cast<int>(2 * i + 1), r.first);
                      bind_text(st, static_cast<int>(2 * i + 2), r.second);
                    }
                  },
                  [&](sqlite3_stmt* st) { row(read_row(st)); });
}

}  // namespace crm::detail
