// SPDX-License-Identifier: Apache-2.0
#include "store/ledger_scan.hpp"

#include <algorithm>

#include "core/json_util.hpp"
#include "policy/demand_json.hpp"
#include "store/stored_customer.hpp"

namespace crm::detail {

namespace {

// Event columns n, type, at from `first` on, the payload in column `payload`.
Status read_event(const Query& row, int first, int payload, Event& e) {
  e.n = row.int32(first);
  e.type = static_cast<EventType>(row.int32(first + 1));
  e.at = row.int64(first + 2);
  if (!row.is_null(payload))
    if (Status s = read_event_payload(row.text(payload), e); !s.ok()) return Status::internal("stored event: " + s.message());
  return {};
}

void in_ledger_order(std::vector<Event>& events) {
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.at < b.at; });
}

// Demand columns policy, document, then the stored customer's, from `first` on.
Status visit_demand(DatabaseImpl& d, Query& row, int first, int64_t seq, std::vector<Event>& events,
                    const LedgerVisitor& visit) {
  const int64_t policy_id = row.int64(first);
  auto stored = d.policy_by_id(policy_id);
  if (!stored.ok()) return std::move(stored).status();
  DemandExtras extras;
  auto demand = demand_from_json_text(row.text(first + 1), true, extras, "stored demand");
  if (!demand.ok()) return Status::internal("a stored demand no longer loads: " + demand.status().message());
  if (const auto customer = stored_customer_columns(row, first + 2)) apply_stored_customer(*customer, demand->customer);
  return visit(LedgerEntry{seq, policy_id, *stored}, *demand, events);
}

}  // namespace

Status scan_ledger(DatabaseImpl& d, const std::string& policy_name, int64_t received_by, const LedgerVisitor& visit,
                   const std::function<bool(int64_t seq)>& wanted) {
  // Demands and their events in one pass each: both ordered by the demand's sequence number.
  Statement demands, events;
  if (!demands.prepare(*d.engine_,
                       "SELECT d.seq, d.policy, d.document, d.customer_spend, d.customer_tier, d.customer_key, d.customer_owner FROM demand d "
                       "JOIN policy p ON p.id = d.policy "
                       "WHERE (?1 = '' OR p.name = ?1) AND d.received_at <= ?2 ORDER BY d.seq") ||
      !events.prepare(*d.engine_, "SELECT demand, n, type, at, payload FROM event ORDER BY demand, n"))
    return d.error("preparing the ledger scan");
  Use demand_rows(demands), event_rows(events);
  demand_rows->bind_text(1, policy_name);
  demand_rows->bind_int(2, received_by);
  Step event_rc = event_rows->step();
  Step rc;
  std::vector<Event> ledger;
  while ((rc = demand_rows->step()) == Step::row) {
    const int64_t seq = demand_rows->int64(0);
    const bool visited = !wanted || wanted(seq);
    ledger.clear();
    for (; event_rc == Step::row; event_rc = event_rows->step()) {
      const int64_t of = event_rows->int64(0);
      if (of > seq) break;
      if (of < seq || !visited) continue;
      if (Status s = read_event(*event_rows, 1, 4, ledger.emplace_back()); !s.ok()) return s;
    }
    if (event_rc != Step::row && event_rc != Step::done) return d.error("reading events");
    if (!visited) continue;
    in_ledger_order(ledger);
    if (Status s = visit_demand(d, *demand_rows, 1, seq, ledger, visit); !s.ok()) return s;
  }
  if (rc != Step::done) return d.error("reading demands");
  return {};
}

PolicyVersionLookup stored_versions(DatabaseImpl& d, const std::string& name) {
  return [&d, name](const std::string& version) -> Result<Policy> {
    auto stored = d.resolve_policy(name, version);
    if (!stored.ok()) return std::move(stored).status();
    return stored->policy;
  };
}

Result<std::string> stored_demand_title(DatabaseImpl& d, const std::string& id) {
  Use find(d.find_demand_);
  find->bind_text(1, id);
  const Step rc = find->step();
  if (rc == Step::done) return Status::not_found("no demand \"" + id + "\" is recorded");
  if (rc != Step::row) return d.error("reading a demand");
  DemandExtras extras;
  auto demand = demand_from_json_text(find->text(2), true, extras, "stored demand");
  if (!demand.ok()) return Status::internal("a stored demand no longer loads: " + demand.status().message());
  return std::move(demand->title);
}

Status read_ledger(DatabaseImpl& d, int64_t seq, bool with_events, const LedgerVisitor& visit) {
  std::vector<Event> ledger;
  if (with_events) {
    Use events(d.load_events_);
    events->bind_int(1, seq);
    Step rc;
    while ((rc = events->step()) == Step::row)
      if (Status s = read_event(*events, 0, 4, ledger.emplace_back()); !s.ok()) return s;
    if (rc != Step::done) return d.error("reading events");
    in_ledger_order(ledger);
  }
  Use demand(d.demand_ledger_by_seq_);
  demand->bind_int(1, seq);
  const Step rc = demand->step();
  if (rc == Step::done) return Status::internal("demand row " + std::to_string(seq) + " is missing");
  if (rc != Step::row) return d.error("reading a demand");
  return visit_demand(d, *demand, 0, seq, ledger, visit);
}

}  // namespace crm::detail
