// SPDX-License-Identifier: Apache-2.0
#include "store/customer_scan.hpp"

namespace crm::detail {

Status scan_customer_rows(DatabaseImpl& d, const CustomerRowFilter& filter,
                          const std::function<bool(std::string_view owner, std::string_view department)>& keep,
                          const std::function<void(CustomerRow&&)>& row) {
  return each_row(
      d,
      "SELECT seq, id, owner, department, company, since, contact_name, contact_phone, contact_email, potential FROM customer "
      "WHERE (?1 = '' OR id = ?1) AND (?2 = '' OR owner = ?2) AND (?3 = '' OR department = ?3) ORDER BY seq",
      [&](sqlite3_stmt* st) {
        bind_text(st, 1, filter.id);
        bind_text(st, 2, filter.owner);
        bind_text(st, 3, filter.department);
      },
      [&](sqlite3_stmt* st) {
        const std::string_view owner = text_view(st, 2), department = text_view(st, 3);
        if (!keep(owner, department)) return;
        CustomerRow r;
        r.seq = sqlite3_column_int64(st, 0);
        r.id = text_column(st, 1);
        r.owner = std::string(owner);
        r.department = std::string(department);
        r.company = text_column(st, 4);
        if (sqlite3_column_type(st, 5) != SQLITE_NULL) r.since = sqlite3_column_int64(st, 5);
        r.contact_name = text_column(st, 6);
        r.contact_phone = text_column(st, 7);
        r.contact_email = text_column(st, 8);
        if (sqlite3_column_type(st, 9) != SQLITE_NULL) r.potential = sqlite3_column_int64(st, 9);
        row(std::move(r));
      });
}

Status scan_activities(DatabaseImpl& d, int64_t at, int64_t only_seq, const std::function<void(const ActivityFact&)>& fact) {
  const std::string sql = std::string("SELECT customer, type, at, amount, score, ends_at, needs FROM activity WHERE at <= ?1") +
                          (only_seq >= 0 ? " AND customer = ?2" : "");
  return each_row(
      d, sql.c_str(),
      [&](sqlite3_stmt* st) {
        sqlite3_bind_int64(st, 1, at);
        if (only_seq >= 0) sqlite3_bind_int64(st, 2, only_seq);
      },
      [&](sqlite3_stmt* st) {
        ActivityFact a;
        a.customer_seq = sqlite3_column_int64(st, 0);
        a.type = sqlite3_column_int(st, 1);
        a.at = sqlite3_column_int64(st, 2);
        a.amount_cents = sqlite3_column_int64(st, 3);
        a.score = sqlite3_column_int(st, 4);
        a.ends_at = sqlite3_column_int64(st, 5);
        a.needs_collected = sqlite3_column_int(st, 6) != 0;
        fact(a);
      });
}

Result<std::unordered_map<std::string, int32_t>> open_complaints(DatabaseImpl& d, int64_t at) {
  // The last resolved (7), closed (9), reopened (10) or merged (14) event at or before `at` decides.
  std::unordered_map<std::string, int32_t> out;
  Status s = each_row(d,
                      "SELECT d.customer, count(*) FROM demand d WHERE d.channel = 'complaint' AND d.received_at <= ?1 AND "
                      "coalesce((SELECT e.type FROM event e WHERE e.demand = d.seq AND e.type IN (7, 9, 10, 14) AND e.at <= ?1 "
                      "ORDER BY e.at DESC, e.n DESC LIMIT 1), 10) = 10 GROUP BY d.customer",
                      [&](sqlite3_stmt* st) { sqlite3_bind_int64(st, 1, at); },
                      [&](sqlite3_stmt* st) { out[text_column(st, 0)] = sqlite3_column_int(st, 1); });
  if (!s.ok()) return s;
  return out;
}

}  // namespace crm::detail
