// SPDX-License-Identifier: Apache-2.0
// The store's operations (store_api.hpp): recording demands, appending events, reading a demand back.
#include "store/store_api.hpp"
#include <algorithm>
#include <climits>
#include <cmath>

#include "crmpolicy/database.hpp"
#include "ledger/view_json.hpp"
#include "store/ledger_writer.hpp"

namespace crm {

using detail::JsonWriter;
using detail::LedgerWriter;

Result<std::string> detail::api::record_demand(detail::DatabaseImpl& impl, std::string_view demand_json, const LedgerScope* scope) {
  // A plain demand straight into its struct; anything else through the DOM, for its error.
  detail::DemandExtras extras;
  std::optional<Demand> direct = LedgerWriter::read_recordable_demand(demand_json, extras);
  Result<nlohmann::json> root = nlohmann::json();
  if (!direct) root = detail::parse_json_strict(demand_json, "demand JSON");
  if (!root.ok()) return std::move(root).status();
  detail::Transaction tx(impl);
  if (Status s = tx.begin(); !s.ok()) return s;
  LedgerWriter writer(impl);
  auto recorded = direct ? writer.record(std::move(*direct), std::move(extras), demand_json, true)
                         : writer.record(*root, demand_json, true);
  if (!recorded.ok()) return std::move(recorded).status();
  const detail::LiveDemand& d = *recorded->demand;
  const int64_t at = d.demand.received_at;
  auto view = writer.view(d, at);
  if (!view.ok()) return std::move(view).status();
  // Routed out of the user's reach, it is not recorded: they could not follow it up.
  if (scope)
    if (Status s = scope->admit(d.demand.id, view->owner, view->department); !s.ok()) return s;
  if (!recorded->retry) {
    if (Status s = writer.flush(); !s.ok()) return s;
    if (Status s = tx.commit(); !s.ok()) return s;
  }
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  detail::write_demand_view(w, *view, d.demand, {d.policy_name, d.actor, d.document}, d.events, at);
  w.key("retry").boolean(recorded->retry);
  w.key("duplicates").begin_array();
  for (const detail::Duplicate& dup : recorded->duplicates)
    w.begin_object().key("id").value(dup.id).key("score").number(static_cast<double>(std::lround(dup.score * 1000)) / 1000).end_object();
  w.end_array().end_object();
  return out;
}

Status detail::api::append_event(detail::DatabaseImpl& impl, std::string_view demand_id, std::string_view event_json,
                                 const LedgerScope* scope, const std::string* actor) {
  auto event = detail::event_from_json(event_json);
  if (!event.ok()) return std::move(event).status();
  if (actor && event->actor != *actor)
    return Status::permission_denied("/actor: \"" + event->actor + "\" is not the acting user \"" + *actor + "\"");
  detail::Transaction tx(impl);
  if (Status s = tx.begin(); !s.ok()) return s;
  LedgerWriter writer(impl);
  if (scope) {
    // Reachable as it stands before this event (a reassignment may then hand it on).
    auto loaded = writer.load(std::string(demand_id));
    if (!loaded.ok()) return std::move(loaded).status();
    const detail::LiveDemand& d = **loaded;
    auto view = writer.view(d, std::max(d.demand.received_at, d.events.empty() ? INT64_MIN : d.events.back().at));
    if (!view.ok()) return std::move(view).status();
    if (Status s = scope->admit(d.demand.id, view->owner, view->department); !s.ok()) return s;
  }
  if (Status s = writer.append(std::string(demand_id), std::move(*event)); !s.ok()) return s;
  if (Status s = writer.flush(); !s.ok()) return s;
  return tx.commit();
}

Result<std::string> detail::api::demand(detail::DatabaseImpl& impl, std::string_view demand_id, int64_t at, const LedgerScope* scope) {
  detail::Transaction tx(impl);
  if (Status s = tx.begin(false); !s.ok()) return s;
  LedgerWriter reader(impl);
  auto loaded = reader.load(std::string(demand_id));
  if (!loaded.ok()) return std::move(loaded).status();
  const detail::LiveDemand& d = **loaded;
  if (at < d.demand.received_at)
    return Status::out_of_range("at " + std::to_string(at) + " is before demand \"" + d.demand.id + "\" was received (" +
                                std::to_string(d.demand.received_at) + ")");
  auto view = reader.view(d, at);
  if (!view.ok()) return std::move(view).status();
  if (scope)
    if (Status s = scope->admit(d.demand.id, view->owner, view->department); !s.ok()) return s;
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  detail::write_demand_view(w, *view, d.demand, {d.policy_name, d.actor, d.document}, d.events, at);
  w.end_object();
  return out;
}

}  // namespace crm
