// SPDX-License-Identifier: Apache-2.0
#include "store/audit_log.hpp"

namespace crm::detail {

namespace {

constexpr const char* kColumns =
    "SELECT seq, recorded_at, actor, role, operation, kind, record, outcome, before, after, message FROM audit ";

AuditRow read_row(Query& st) {
  AuditRow r;
  r.seq = st.int64(0);
  r.recorded_at = st.int64(1);
  r.actor = st.string(2);
  r.role = st.string(3);
  r.operation = st.string(4);
  r.kind = st.string(5);
  r.record = st.string(6);
  r.outcome = st.string(7);
  if (!st.is_null(8)) r.before = st.string(8);
  if (!st.is_null(9)) r.after = st.string(9);
  r.message = st.string(10);
  return r;
}

}  // namespace

Status append_audit(DatabaseImpl& d, const AuditRow& r) {
  Appender& row = *d.append_audit_;
  row.add_int(r.recorded_at);
  row.add_text(r.actor);
  row.add_text(r.role);
  row.add_text(r.operation);
  row.add_text(r.kind);
  row.add_text(r.record);
  row.add_text(r.outcome);
  if (r.before) row.add_text(*r.before);
  else row.add_null();
  if (r.after) row.add_text(*r.after);
  else row.add_null();
  row.add_text(r.message);
  return row.end_row() ? Status() : d.error("writing the audit log");
}

Status scan_audit_between(DatabaseImpl& d, int64_t from, int64_t to, const std::function<void(const AuditRow&)>& row) {
  return each_row(d, (std::string(kColumns) + "WHERE recorded_at >= ?1 AND recorded_at < ?2 ORDER BY seq").c_str(),
                  [&](Query& st) {
                    st.bind_int(1, from);
                    st.bind_int(2, to);
                  },
                  [&](Query& st) { row(read_row(st)); });
}

Status scan_audit_of(DatabaseImpl& d, const std::vector<std::pair<std::string, std::string>>& records,
                     const std::function<void(const AuditRow&)>& row) {
  if (records.empty()) return {};
  return each_row(d, (std::string(kColumns) + "WHERE (kind = ?1 AND record = ?2) OR (kind = ?3 AND record = ?4) ORDER BY seq").c_str(),
                  [&](Query& st) {
                    for (size_t i = 0; i < 2; ++i) {
                      const auto& r = i < records.size() ? records[i] : records[0];
                      st.bind_text(static_cast<int>(2 * i + 1), r.first);
                      st.bind_text(static_cast<int>(2 * i + 2), r.second);
                    }
                  },
                  [&](Query& st) { row(read_row(st)); });
}

}  // namespace crm::detail
