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
  if (!demands.prepare(*d.engine_,
                      "SELECT d.seq, d.policy, d.document, d.customer_spend, d.customer_tier, d.customer_key FROM demand d "
                      "JOIN policy p ON p.id = d.policy "
                      "WHERE p.name = ?1 AND d.received_at <= ?2 ORDER BY d.seq") ||
      !events.prepare(*d.engine_, "SELECT demand, n, type, at, actor, payload FROM event ORDER BY demand, n"))
    return d.error("preparing the ledger scan");
  Use demand_rows(demands), event_rows(events);
  demand_rows->bind_text(1, policy_name);
  demand_rows->bind_int(2, received_by);
  Step event_rc = event_rows->step();
  Step rc;
  std::vector<Event> ledger;
  while ((rc = demand_rows->step()) == Step::row) {
    const int64_t seq = demand_rows->int64(0);
    ledger.clear();
    for (; event_rc == Step::row; event_rc = event_rows->step()) {
      const int64_t of = event_rows->int64(0);
      if (of > seq) break;
      if (of < seq) continue;
      Event e;
      e.n = event_rows->int32(1);
      e.type = static_cast<EventType>(event_rows->int32(2));
      e.at = event_rows->int64(3);
      if (!event_rows->is_null(5))
        if (Status s = read_event_payload(event_rows->text(5), e); !s.ok()) return Status::internal("stored event: " + s.message());
      ledger.push_back(std::move(e));
    }
    if (event_rc != Step::row && event_rc != Step::done) return d.error("reading events");
    std::stable_sort(ledger.begin(), ledger.end(), [](const Event& a, const Event& b) { return a.at < b.at; });
    auto stored = d.policy_by_id(demand_rows->int64(1));
    if (!stored.ok()) return std::move(stored).status();
    DemandExtras extras;
    auto demand = demand_from_json_text(demand_rows->text(2), true, extras, "stored demand");
    if (!demand.ok()) return Status::internal("a stored demand no longer loads: " + demand.status().message());
    if (const auto customer = stored_customer_columns(*demand_rows, 3)) apply_stored_customer(*customer, demand->customer);
    if (Status s = visit(*stored, *demand, ledger); !s.ok()) return s;
  }
  if (rc != Step::done) return d.error("reading demands");
  return {};
}

}  // namespace crm::detail
