// SPDX-License-Identifier: Apache-2.0
#include "store/ledger_writer.hpp"

#include <algorithm>

#include "ledger/similarity.hpp"

namespace crm::detail {

namespace {

int64_t last_instant(const LiveDemand& d) {
  int64_t t = d.demand.received_at;
  for (const Event& e : d.events) t = std::max(t, e.at);
  return t;
}

}  // namespace

Status LedgerWriter::list_open(const LiveDemand& d, const std::string& owner, const std::vector<uint32_t>& grams) {
  const std::string blob = grams_to_blob(grams);
  Use insert(d_.insert_open_demand_);
  insert->bind_int(1, d.seq);
  insert->bind_text(2, d.demand.customer.id);
  insert->bind_text(3, owner);
  insert->bind_blob(4, blob);
  if (insert->step() != Step::done) return d_.error("listing an open demand");
  return {};
}

Result<StoredPolicy> LedgerWriter::policy(const std::string& name, const std::string& version) {
  const std::string key = name + '\n' + version;
  for (const auto& [k, stored] : policies_)
    if (k == key) return stored;
  auto stored = d_.resolve_policy(name, version);
  if (stored.ok()) policies_.emplace_back(key, *stored);
  return stored;
}

Result<LiveDemand*> LedgerWriter::load(const std::string& id) {
  if (const auto it = live_.find(id); it != live_.end()) return it->second.get();
  auto d = std::make_unique<LiveDemand>();
  {
    Use find(d_.find_demand_);
    find->bind_text(1, id);
    const Step rc = find->step();
    if (rc == Step::done) return Status::not_found("no demand \"" + id + "\" is recorded");
    if (rc != Step::row) return d_.error("reading a demand");
    d->seq = find->int64(0);
    d->policy_id = find->int64(1);
    d->document = find->string(2);
    d->actor = find->string(3);
    d->customer = stored_customer_columns(*find, 4);
  }
  auto root = parse_json_strict(d->document, "stored demand");
  if (!root.ok()) return Status::internal("stored demand \"" + id + "\" no longer parses: " + root.status().message());
  DemandExtras extras;
  auto demand = demand_from_json_value(*root, true, extras);
  if (!demand.ok()) return Status::internal("stored demand \"" + id + "\" no longer loads: " + demand.status().message());
  d->demand = std::move(*demand);
  if (d->customer) apply_stored_customer(*d->customer, d->demand.customer);
  auto policy = d_.policy_by_id(d->policy_id);
  if (!policy.ok()) return std::move(policy).status();
  d->policy = std::make_unique<Policy>(std::move(*policy));
  d->policy_name = d->policy->name();
  if (Status s = load_events(*d); !s.ok()) return s;
  auto v = view(*d, last_instant(*d));
  if (!v.ok()) return Status::internal("stored ledger of \"" + id + "\" no longer replays: " + v.status().message());
  d->listed_open = is_live(v->state);
  d->listed_owner = v->owner;
  LiveDemand* raw = d.get();
  live_.emplace(id, std::move(d));
  return raw;
}

Status LedgerWriter::load_events(LiveDemand& d) {
  Use use(d_.load_events_);
  use->bind_int(1, d.seq);
  Step rc;
  while ((rc = use->step()) == Step::row) {
    Event e;
    e.n = use->int32(0);
    e.type = static_cast<EventType>(use->int32(1));
    e.at = use->int64(2);
    e.actor = use->string(3);
    e.id = use->string(5);
    if (!use->is_null(4))
      if (Status s = read_event_payload(use->string(4), e); !s.ok())
        return Status::internal("stored event " + std::to_string(e.n) + " of \"" + d.demand.id + "\": " + s.message());
    d.last_n = std::max(d.last_n, e.n);
    d.events.push_back(std::move(e));
  }
  if (rc != Step::done) return d_.error("reading events");
  std::stable_sort(d.events.begin(), d.events.end(), [](const Event& a, const Event& b) { return a.at < b.at; });
  return {};
}

Result<DemandView> LedgerWriter::view(const LiveDemand& d, int64_t at) {
  PolicyVersionLookup lookup = [this, &d](const std::string& version) -> Result<Policy> {
    auto stored = policy(d.policy_name, version);
    if (!stored.ok()) return std::move(stored).status();
    return stored->policy;
  };
  return replay(*d.policy, d.demand, d.events, at, lookup);
}

Result<Recorded> LedgerWriter::record(const nlohmann::json& root, std::string_view document, bool find_duplicates,
                                      const StoredPolicy* forced, const std::string& actor,
                                      const std::optional<StoredCustomer>* pinned_customer) {
  DemandExtras extras;
  auto demand = demand_from_json_value(root, true, extras);
  if (!demand.ok()) return std::move(demand).status();
  if (demand->id.empty()) return json_error("/id", "missing: a recorded demand needs an id", root);

  Recorded out;
  if (const auto it = live_.find(demand->id); it != live_.end()) return retry(*it->second, document, out);

  auto chosen = forced ? Result<StoredPolicy>(*forced) : policy(extras.policy, extras.policy_version);
  if (!chosen.ok()) return std::move(chosen).status();
  auto d = std::make_unique<LiveDemand>();
  d->policy_id = chosen->id;
  d->policy = std::make_unique<Policy>(chosen->policy);
  d->policy_name = d->policy->name();
  d->demand = std::move(*demand);
  d->document = std::string(document);
  d->actor = forced ? actor : extras.actor;
  if (pinned_customer) {
    d->customer = *pinned_customer;
  } else if (!d->demand.customer.id.empty()) {
    if (customers_stored_ < 0) {  // most ledgers hold no customer records: one question, then no lookups
      Status s = each_row(d_, "SELECT EXISTS (SELECT 1 FROM customer)",
                          [&](Query& r) { customers_stored_ = r.int32(0); });
      if (!s.ok()) return s;
    }
    if (customers_stored_ > 0) {
      auto stored = find_stored_customer(d_, PolicyAccess::impl(*d->policy).customers, d->demand.customer.id,
                                         d->demand.received_at);
      if (!stored.ok()) return std::move(stored).status();
      d->customer = std::move(*stored);
    }
  }
  if (d->customer) apply_stored_customer(*d->customer, d->demand.customer);
  auto v = view(*d, d->demand.received_at);
  if (!v.ok()) return std::move(v).status();

  const Demand& m = d->demand;
  {
    Use insert(d_.insert_demand_);
    insert->bind_text(1, m.id);
    insert->bind_int(2, d->policy_id);
    insert->bind_int(3, m.received_at);
    insert->bind_text(4, m.customer.id);
    insert->bind_text(5, m.channel);
    insert->bind_text(6, m.owner);
    insert->bind_text(7, m.department);
    insert->bind_text(8, v->urgency);
    insert->bind_text(9, v->category);
    insert->bind_text(10, v->nature);
    insert->bind_text(11, d->actor);
    insert->bind_text(12, d->document);
    bind_stored_customer(*insert, 13, d->customer);
    if (insert->step() != Step::done) return d_.error("recording demand \"" + m.id + "\"");
    if (insert->affected_rows() == 0) {
      // Already recorded (the unique index said so without a lookup on the common path; the
      // insert did nothing, so the transaction goes on, on every engine).
      insert->reset();
      auto existing = load(m.id);
      if (!existing.ok()) return std::move(existing).status();
      return retry(**existing, document, out);
    }
  }
  d->seq = d_.engine_->last_insert_id();

  const std::vector<uint32_t> grams = text_grams(m.title + "\n" + m.text);
  if (find_duplicates && !m.customer.id.empty()) {
    const double threshold = PolicyAccess::impl(*d->policy).duplicate_threshold;
    Use similar(d_.similar_candidates_);
    similar->bind_text(1, m.customer.id);
    similar->bind_int(2, d->seq);
    Step rc;
    while ((rc = similar->step()) == Step::row) {
      const std::string_view bytes = similar->blob(2);
      const auto other = grams_from_blob(bytes.data(), bytes.size());
      const double score = gram_similarity(grams.data(), grams.size(), other.data(), other.size());
      if (score >= threshold) out.duplicates.push_back({similar->string(1), score});
    }
    if (rc != Step::done) return d_.error("looking for similar demands");
    std::sort(out.duplicates.begin(), out.duplicates.end(), [](const Duplicate& a, const Duplicate& b) {
      return a.score != b.score ? a.score > b.score : a.id < b.id;
    });
  }
  if (Status s = list_open(*d, m.owner, grams); !s.ok()) return s;
  d->listed_open = true;
  d->listed_owner = m.owner;
  d->has_open_targets = false;
  d->recorded_view = std::move(*v);
  d->touched = true;
  out.demand = d.get();
  live_.emplace(m.id, std::move(d));
  return out;
}

Result<Recorded> LedgerWriter::retry(LiveDemand& existing, std::string_view document, Recorded& out) {
  if (existing.document != document)
    return Status::conflict("/id: demand \"" + existing.demand.id +
                            "\" is already recorded with a different document; record changes as events");
  out.demand = &existing;
  out.retry = true;
  return std::move(out);
}

Status LedgerWriter::append(const std::string& demand_id, Event e, bool* retry) {
  if (!e.demand.empty() && e.demand != demand_id)
    return Status::invalid_argument("/demand: the event names demand \"" + e.demand + "\" but is appended to \"" +
                                    demand_id + "\"");
  auto loaded = load(demand_id);
  if (!loaded.ok()) return std::move(loaded).status();
  LiveDemand& d = **loaded;
  if (e.type == EventType::merged_into) {
    if (e.into == demand_id) return Status::invalid_argument("/into: a demand cannot be merged into itself");
    auto into = load(e.into);
    if (!into.ok())
      return into.status().code() == StatusCode::not_found
                 ? Status::invalid_argument("/into: no demand \"" + e.into + "\" is recorded")
                 : std::move(into).status();
    auto survivor = lifecycle_state((*into)->demand, (*into)->events);
    if (!survivor.ok()) return std::move(survivor).status();
    if (*survivor == DemandState::merged)
      return Status::invalid_state("/into: demand \"" + e.into + "\" was itself merged; merge into the demand it was merged into");
  }
  if (!e.id.empty()) {
    // A retry of an event recorded under the sender's id changes nothing; other content under it is a conflict.
    const std::string payload = event_payload_json(e);
    for (const Event& x : d.events) {
      if (x.id != e.id) continue;
      if (x.type == e.type && x.at == e.at && x.actor == e.actor && event_payload_json(x) == payload) {
        if (retry) *retry = true;
        return {};
      }
      return Status::conflict("/id: event \"" + e.id + "\" of demand \"" + demand_id +
                              "\" is already recorded with different content (event " + std::to_string(x.n) + ")");
    }
  }
  // Late events take their place by time; the whole history must still be a possible lifecycle.
  e.n = d.last_n + 1;
  e.demand.clear();
  const auto position = std::upper_bound(d.events.begin(), d.events.end(), e.at,
                                         [](int64_t at, const Event& x) { return at < x.at; });
  const auto index = position - d.events.begin();
  d.events.insert(position, e);
  const auto refuse = [&](Status status) {
    d.events.erase(d.events.begin() + index);
    return status;
  };
  if (e.type == EventType::reclassified && !e.policy_version.empty()) {
    auto newer = policy(d.policy_name, e.policy_version);
    if (!newer.ok()) return refuse(Status(newer.status().code(), "/policy_version: " + newer.status().message()));
  }
  // The lifecycle is checked here; targets are computed once per demand, at flush().
  auto checked = lifecycle_state(d.demand, d.events);
  if (!checked.ok()) return refuse(std::move(checked).status());
  const std::string payload = event_payload_json(e);
  Use insert(d_.insert_event_);
  insert->bind_int(1, d.seq);
  insert->bind_int(2, e.n);
  insert->bind_int(3, static_cast<int>(e.type));
  insert->bind_int(4, e.at);
  insert->bind_text(5, e.actor);
  if (payload == "{}") insert->bind_null(6);
  else insert->bind_text(6, payload);
  insert->bind_text(7, e.id);
  if (insert->step() != Step::done) return refuse(d_.error("recording an event of \"" + demand_id + "\""));
  d.last_n = e.n;
  d.touched = true;
  d.recorded_view.reset();
  return {};
}

Status LedgerWriter::write_open_targets(LiveDemand& d, const DemandView& v) {
  if (d.has_open_targets) {
    Use del(d_.delete_open_targets_);
    del->bind_int(1, d.seq);
    if (del->step() != Step::done) return d_.error("clearing open targets");
    d.has_open_targets = false;
  }
  if (!is_live(v.state)) return {};
  for (const TargetClock& c : v.targets) {
    if (c.met_at != kNever || c.ended_at != kNever) continue;
    int64_t policy_id = d.policy_id;
    if (c.policy_version != d.policy->version()) {
      auto stored = policy(d.policy_name, c.policy_version);
      if (!stored.ok()) return std::move(stored).status();
      policy_id = stored->id;
    }
    auto target_policy = d_.policy_by_id(policy_id);
    if (!target_policy.ok()) return std::move(target_policy).status();
    Use insert(d_.insert_open_target_);
    insert->bind_int(1, d.seq);
    insert->bind_text(2, c.definition->name);
    insert->bind_int(3, policy_id);
    insert->bind_text(4, c.working() ? PolicyAccess::impl(*target_policy).calendars[c.definition->calendar].name : std::string());
    insert->bind_int(5, c.due);
    insert->bind_int(6, c.warn);
    if (v.paused_since != kNever) insert->bind_int(7, v.paused_since);
    else insert->bind_null(7);
    insert->bind_text(8, v.owner);
    insert->bind_text(9, v.department);
    insert->bind_text(10, v.urgency);
    insert->bind_text(11, d.demand.id);
    if (insert->step() != Step::done) return d_.error("listing an open target");
    d.has_open_targets = true;
  }
  return {};
}

Status LedgerWriter::flush() {
  for (auto& [id, d] : live_) {
    if (!d->touched) continue;
    auto v = d->recorded_view ? Result<DemandView>(std::move(*d->recorded_view)) : view(*d, last_instant(*d));
    d->recorded_view.reset();
    if (!v.ok()) return std::move(v).status();
    if (Status s = write_open_targets(*d, *v); !s.ok()) return s;
    const bool live = is_live(v->state);
    if (live && (!d->listed_open || d->listed_owner != v->owner)) {
      if (Status s = list_open(*d, v->owner, text_grams(d->demand.title + "\n" + d->demand.text)); !s.ok()) return s;
      d->listed_owner = v->owner;
    } else if (!live && d->listed_open) {
      Use del(d_.delete_open_demand_);
      del->bind_int(1, d->seq);
      if (del->step() != Step::done) return d_.error("unlisting a closed demand");
    }
    d->listed_open = live;
    d->touched = false;
  }
  return {};
}

}  // namespace crm::detail
