// SPDX-License-Identifier: Apache-2.0
#include "store/ledger_scan.hpp"

#include <algorithm>

#include "core/json_util.hpp"
#include "policy/demand_json.hpp"
#include "store/stored_customer.hpp"

namespace crm::detail {

Status scan_ledger(DatabaseImpl& d, const std::string& policy_name, int64_t received_by, const LedgerVisitor& visit) {
  // Demands and their events in one pass each: both ordered by the demand's sequence number.
  Statement demands, events;
  if (demands.prepare(d.db_,
                      "SELECT d.seq, d.policy, d.document, d.customer_spend, d.customer_tier, d.customer_key FROM demand d "
                      "JOIN policy p ON p.id = d.policy "
                      "WHERE p.name = ?1 AND d.received_at <= ?2 ORDER BY d.seq") != SQLITE_OK ||
      events.prepare(d.db_, "SELECT demand, n, type, at, actor, payload FROM event ORDER BY demand, n") != SQLITE_OK)
    return d.error("preparing the ledger scan");
  Use demand_rows(demands), event_rows(events);
  bind_text(*demand_rows, 1, policy_name);
  sqlite3_bind_int64(*demand_rows, 2, received_by);
  int event_rc = sqlite3_step(*event_rows);
  int rc;
  std::vector<Event> ledger;
  while ((rc = sqlite3_step(*demand_rows)) == SQLITE_ROW) {
    const int64_t seq = sqlite3_column_int64(*demand_rows, 0);
    ledger.clear();
    for (; event_rc == SQLITE_ROW; event_rc = sqlite3_step(*event_rows)) {
      const int64_t of = sqlite3_column_int64(*event_rows, 0);
      if (of > seq) break;
      if (of < seq) continue;
      Event e;
      e.n = sqlite3_column_int(*event_rows, 1);
      e.type = static_cast<EventType>(sqlite3_column_int(*event_rows, 2));
      e.at = sqlite3_column_int64(*event_rows, 3);
      if (sqlite3_column_type(*event_rows, 5) != SQLITE_NULL)
        if (Status s = read_event_payload(text_view(*event_rows, 5), e); !s.ok()) return Status::internal("stored event: " + s.message());
      ledger.push_back(std::move(e));
    }
    if (event_rc != SQLITE_ROW && event_rc != SQLITE_DONE) return d.error("reading events");
    std::stable_sort(ledger.begin(), ledger.end(), [](const Event& a, const Event& b) { return a.at < b.at; });
    auto stored = d.policy_by_id(sqlite3_column_int64(*demand_rows, 1));
    if (!stored.ok()) return std::move(stored).status();
    auto root = parse_json_strict(text_view(*demand_rows, 2), "stored demand");
    if (!root.ok()) return Status::internal("a stored demand no longer parses: " + root.status().message());
    DemandExtras extras;
    auto demand = demand_from_json_value(*root, true, extras);
    if (!demand.ok()) return Status::internal("a stored demand no longer loads: " + demand.status().message());
    if (const auto customer = stored_customer_columns(*demand_rows, 3)) apply_stored_customer(*customer, demand->customer);
    if (Status s = visit(*stored, *demand, ledger); !s.ok()) return s;
  }
  if (rc != SQLITE_DONE) return d.error("reading demands");
  return {};
}

}  // namespace crm::detail
