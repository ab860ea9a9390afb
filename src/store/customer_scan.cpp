// SPDX-License-Identifier: Apache-2.0
#include "store/customer_scan.hpp"

#include "store/personal_data.hpp"

namespace crm::detail {

Status scan_customer_rows(DatabaseImpl& d, const CustomerRowFilter& filter,
                          const std::function<bool(std::string_view owner, std::string_view department)>& keep,
                          const std::function<void(CustomerRow&&)>& row) {
  return each_row(
      d,
      "SELECT seq, id, owner, department, company, since, contact_name, contact_phone, contact_email, potential, contact_sealed FROM customer "
      "WHERE (?1 = '' OR id = ?1) AND (?2 = '' OR owner = ?2) AND (?3 = '' OR department = ?3) "
      "AND (?4 = '' OR id IN (SELECT record FROM personal_lookup WHERE field = ?4 AND hash = ?5)) ORDER BY seq",
      [&](Query& st) {
        st.bind_text(1, filter.id);
        st.bind_text(2, filter.owner);
        st.bind_text(3, filter.department);
        st.bind_text(4, filter.lookup_field);
        st.bind_text(5, filter.lookup_hash);
      },
      [&](Query& st) {
        const std::string_view owner = st.text(2), department = st.text(3);
        if (!keep(owner, department)) return;
        CustomerRow r;
        r.seq = st.int64(0);
        r.id = st.string(1);
        r.owner = std::string(owner);
        r.department = std::string(department);
        r.company = st.string(4);
        if (!st.is_null(5)) r.since = st.int64(5);
        r.contact_name = st.string(6);
        r.contact_phone = st.string(7);
        r.contact_email = st.string(8);
        if (!st.is_null(9)) r.potential = st.int64(9);
        if (!st.is_null(10)) (void)open_contact(d.keys_.data, r.id, st.string(10), r.contact_name, r.contact_phone, r.contact_email);
        row(std::move(r));
      });
}

Status scan_activities(DatabaseImpl& d, int64_t at, int64_t only_seq, const std::function<void(const ActivityFact&)>& fact) {
  // Unordered: sorting a million rows would cost PostgreSQL five times the scan.
  return each_fact_up_to(
      d, "SELECT customer, type, at, amount, score, ends_at, needs, n FROM activity WHERE at <= ?1", "customer", at, only_seq, "",
      [&](Query& st) {
        ActivityFact a;
        a.customer_seq = st.int64(0);
        a.type = st.int32(1);
        a.at = st.int64(2);
        a.amount_cents = st.int64(3);
        a.score = st.int32(4);
        a.ends_at = st.int64(5);
        a.needs_collected = st.int32(6) != 0;
        a.n = st.int64(7);
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
                      [&](Query& st) { st.bind_int(1, at); },
                      [&](Query& st) { out[st.string(0)] = st.int32(1); });
  if (!s.ok()) return s;
  return out;
}

}  // namespace crm::detail
