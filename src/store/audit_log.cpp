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
  Use use(d.insert_audit_);
  use->bind_int(1, r.recorded_at);
  use->bind_text(2, r.actor);
  use->bind_text(3, r.role);
  use->bind_text(4, r.operation);
  use->bind_text(5, r.kind);
  use->bind_text(6, r.record);
  use->bind_text(7, r.outcome);
  if (r.before) use->bind_text(8, *r.before);
  if (r.after) use->bind_text(9, *r.after);
  use->bind_text(10, r.message);
  return use->step() == Step::done ? Status() : d.error("writing the audit log");
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
