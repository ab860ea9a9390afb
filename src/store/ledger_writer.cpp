// SPDX-License-Identifier: Apache-2.0
#include "store/ledger_writer.hpp"

#include <algorithm>

#include "ledger/similarity.hpp"
#include "store/change_log.hpp"

namespace crm::detail {

Status LedgerWriter::list_open(const LiveDemand& d, const std::string& owner, const std::vector<uint32_t>& grams) {
  const std::string blob = grams_to_blob(grams);
  if (!d.listed_open) {  // no row yet: appended with the ledger's rows
    Appender& row = *d_.append_open_demand_;
    row.add_int(d.seq);
    row.add_text(d.demand.customer.id);
    row.add_text(owner);
    row.add_blob(blob);
    return row.end_row() ? Status() : d_.error("listing an open demand");
  }
  Use upsert(d_.insert_open_demand_);
  upsert->bind_int(1, d.seq);
  upsert->bind_text(2, d.demand.customer.id);
  upsert->bind_text(3, owner);
  upsert->bind_blob(4, blob);
  if (upsert->step() != Step::done) return d_.error("listing an open demand");
  return {};
}

Status LedgerWriter::expect(const std::vector<std::string_view>& ids) {
  std::unordered_set<std::string_view> recorded;
  std::vector<std::string> kept;  // the probe's rows are gone once it steps again
  for (size_t from = 0; from < ids.size(); from += DatabaseImpl::kDemandProbe) {
    Use probe(d_.recorded_ids_);
    for (int i = 0; i < DatabaseImpl::kDemandProbe; ++i)
      probe->bind_text(i + 1, ids[std::min(from + static_cast<size_t>(i), ids.size() - 1)]);
    Step rc;
    while ((rc = probe->step()) == Step::row) kept.push_back(probe->string(0));
    if (rc != Step::done) return d_.error("looking up demand ids");
  }
  for (const std::string& id : kept) recorded.insert(id);
  // Asked now, while no appended row waits: asked at flush() it would wait for the batch's rows.
  if (auto served = served_until(); !served.ok()) return std::move(served).status();
  int fresh = 0;
  for (std::string_view id : ids)
    if (!recorded.count(id) && !live_.count(std::string(id)) && unrecorded_.insert(std::string(id)).second) ++fresh;
  return fresh > 0 ? reserve(fresh) : Status();
}

Status LedgerWriter::reserve(int count) {
  auto keys = d_.engine_->reserve_keys("demand", count);
  if (!keys.ok()) return std::move(keys).status();
  keys_.erase(keys_.begin(), keys_.begin() + static_cast<std::ptrdiff_t>(next_key_));
  next_key_ = 0;
  keys_.insert(keys_.end(), keys->begin(), keys->end());
  return {};
}

Result<StoredPolicy> LedgerWriter::policy(const std::string& name, const std::string& version) {
  for (const KnownPolicy& known : policies_)
    if (known.name == name && known.version == version) return known.stored;
  auto stored = d_.resolve_policy(name, version);
  if (stored.ok()) policies_.push_back({name, version, *stored});
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
  DemandExtras extras;
  auto demand = demand_from_json_text(d->document, true, extras, "stored demand");
  if (!demand.ok()) return Status::internal("stored demand \"" + id + "\" no longer loads: " + demand.status().message());
  d->demand = std::move(*demand);
  if (d->customer) apply_stored_customer(*d->customer, d->demand.customer);
  auto policy = d_.policy_by_id(d->policy_id);
  if (!policy.ok()) return std::move(policy).status();
  d->policy = std::make_unique<Policy>(std::move(*policy));
  d->policy_name = d->policy->name();
  if (Status s = load_events(*d); !s.ok()) return s;
  auto received = receive(*d->policy, d->demand);
  if (!received.ok()) return Status::internal("stored demand \"" + id + "\" no longer classifies: " + received.status().message());
  d->received = std::move(*received);
  auto v = view(*d, last_instant(d->demand, d->events));
  if (!v.ok()) return Status::internal("stored ledger of \"" + id + "\" no longer replays: " + v.status().message());
  d->listed_open = is_live(v->state);
  d->listed_owner = v->owner;
  d->transitions = transitions(*v);
  d->logged_n = d->last_n;
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
  if (d.received) return replay(*d.received, d.demand, d.events, at, lookup);
  return replay(*d.policy, d.demand, d.events, at, lookup);
}

Result<Recorded> LedgerWriter::record(const nlohmann::json& root, std::string_view document, bool find_duplicates,
                                      const StoredPolicy* forced, const std::string& actor,
                                      const std::optional<StoredCustomer>* pinned_customer) {
  DemandExtras extras;
  auto demand = demand_from_json_value(root, true, extras);
  if (!demand.ok()) return std::move(demand).status();
  if (demand->id.empty()) return json_error("/id", "missing: a recorded demand needs an id", root);
  return record(std::move(*demand), std::move(extras), document, find_duplicates, forced, actor, pinned_customer);
}

Result<Recorded> LedgerWriter::record(Demand demand, DemandExtras extras, std::string_view document,
                                      bool find_duplicates) {
  return record(std::move(demand), std::move(extras), document, find_duplicates, nullptr, {}, nullptr);
}

Result<Recorded> LedgerWriter::record(Demand demand, DemandExtras extras, std::string_view document,
                                      bool find_duplicates, const StoredPolicy* forced, const std::string& actor,
                                      const std::optional<StoredCustomer>* pinned_customer) {
  Recorded out;
  if (const auto it = live_.find(demand.id); it != live_.end()) return retry(*it->second, document, out);
  if (unrecorded_.erase(demand.id) == 0) {  // not known to be new (expect() was not told): ask
    auto existing = load(demand.id);
    if (existing.ok()) return retry(**existing, document, out);
    if (existing.status().code() != StatusCode::not_found) return std::move(existing).status();
  }

  auto chosen = forced ? Result<StoredPolicy>(*forced) : policy(extras.policy, extras.policy_version);
  if (!chosen.ok()) return std::move(chosen).status();
  auto d = std::make_unique<LiveDemand>();
  d->policy_id = chosen->id;
  d->policy = std::make_unique<Policy>(chosen->policy);
  d->policy_name = d->policy->name();
  d->demand = std::move(demand);
  d->document = std::string(document);
  d->actor = forced ? actor : extras.actor;
  d->events.reserve(4);  // most demands have a few events: fewer moves of the vector as they arrive
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
  auto received = receive(*d->policy, d->demand);
  if (!received.ok()) return std::move(received).status();
  d->received = std::move(*received);
  auto v = view(*d, d->demand.received_at);  // settled once here, so a demand that cannot be is refused now
  if (!v.ok()) return std::move(v).status();

  if (next_key_ == keys_.size())
    if (Status s = reserve(1); !s.ok()) return s;
  d->seq = keys_[next_key_++];
  const Demand& m = d->demand;
  Appender& row = *d_.append_demand_;
  row.add_int(d->seq);
  row.add_text(m.id);
  row.add_int(d->policy_id);
  row.add_int(m.received_at);
  row.add_text(m.customer.id);
  row.add_text(m.channel);
  row.add_text(m.owner);
  row.add_text(m.department);
  row.add_text(v->urgency);
  row.add_text(v->category);
  row.add_text(v->nature);
  row.add_text(d->actor);
  row.add_text(d->document);
  add_stored_customer(row, d->customer);
  if (!row.end_row()) return d_.error("recording demand \"" + m.id + "\"");

  if (find_duplicates) {
    // Listed at once, so that the next demands of the batch find this one; otherwise flush() lists it.
    const std::vector<uint32_t> grams = text_grams(m.title + "\n" + m.text);
    if (!m.customer.id.empty())
      if (Status s = find_similar(*d, grams, out.duplicates); !s.ok()) return s;
    if (Status s = list_open(*d, v->owner, grams); !s.ok()) return s;
    d->listed_open = true;
    d->listed_owner = v->owner;
  }
  d->has_open_targets = false;
  d->has_fact_row = false;
  d->recorded_here = true;
  d->touched = true;
  out.demand = d.get();
  live_.emplace(m.id, std::move(d));
  return out;
}

Status LedgerWriter::find_similar(const LiveDemand& d, const std::vector<uint32_t>& grams, std::vector<Duplicate>& out) {
  {
    const double threshold = PolicyAccess::impl(*d.policy).duplicate_threshold;
    Use similar(d_.similar_candidates_);
    similar->bind_text(1, d.demand.customer.id);
    similar->bind_int(2, d.seq);
    Step rc;
    while ((rc = similar->step()) == Step::row) {
      const std::string_view bytes = similar->blob(2);
      const auto other = grams_from_blob(bytes.data(), bytes.size());
      const double score = gram_similarity(grams.data(), grams.size(), other.data(), other.size());
      if (score >= threshold) out.push_back({similar->string(1), score});
    }
    if (rc != Step::done) return d_.error("looking for similar demands");
    std::sort(out.begin(), out.end(), [](const Duplicate& a, const Duplicate& b) {
      return a.score != b.score ? a.score > b.score : a.id < b.id;
    });
  }
  return {};
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
  const Event& x = *d.events.insert(position, std::move(e));
  const auto refuse = [&](Status status) {
    d.events.erase(d.events.begin() + index);
    return status;
  };
  if (x.type == EventType::reclassified && !x.policy_version.empty()) {
    auto newer = policy(d.policy_name, x.policy_version);
    if (!newer.ok()) return refuse(Status(newer.status().code(), "/policy_version: " + newer.status().message()));
  }
  // The lifecycle is checked here; targets are computed once per demand, at flush().
  auto checked = lifecycle_state(d.demand, d.events);
  if (!checked.ok()) return refuse(std::move(checked).status());
  const std::string payload = event_payload_json(x);
  Appender& row = *d_.append_event_;
  row.add_int(d.seq);
  row.add_int(x.n);
  row.add_int(static_cast<int>(x.type));
  row.add_int(x.at);
  row.add_text(x.actor);
  if (payload == "{}") row.add_null();
  else row.add_text(payload);
  row.add_text(x.id);
  if (!row.end_row()) return refuse(d_.error("recording an event of \"" + demand_id + "\""));
  d.last_n = x.n;
  d.touched = true;
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
    auto policy_id = policy_id_of(d, c.policy_version);
    if (!policy_id.ok()) return std::move(policy_id).status();
    auto target_policy = d_.policy_by_id(*policy_id);
    if (!target_policy.ok()) return std::move(target_policy).status();
    Appender& row = *d_.append_open_target_;
    row.add_int(d.seq);
    row.add_text(c.definition->name);
    row.add_int(*policy_id);
    row.add_text(c.working() ? std::string_view(PolicyAccess::impl(*target_policy).calendars[c.definition->calendar].name)
                             : std::string_view());
    row.add_int(c.due);
    row.add_int(c.warn);
    if (v.paused_since != kNever) row.add_int(v.paused_since);
    else row.add_null();
    row.add_text(v.owner);
    row.add_text(v.department);
    row.add_text(v.urgency);
    row.add_text(d.demand.id);
    if (!row.end_row()) return d_.error("listing an open target");
    d.has_open_targets = true;
  }
  return {};
}

Result<int64_t> LedgerWriter::policy_id_of(const LiveDemand& d, const std::string& version) {
  if (version == d.policy->version()) return d.policy_id;
  auto stored = policy(d.policy_name, version);
  if (!stored.ok()) return std::move(stored).status();
  return stored->id;
}

Status LedgerWriter::touch(const std::string& id) {
  auto loaded = load(id);
  if (!loaded.ok()) return std::move(loaded).status();
  (*loaded)->touched = true;
  return {};
}

Result<int64_t> LedgerWriter::served_until() {
  if (!served_until_) {
    auto served = feed_served_until(d_);
    if (!served.ok()) return std::move(served).status();
    served_until_ = *served;
  }
  return *served_until_;
}

Status LedgerWriter::flush() {
  d_.change_row_.clear();     // what a failed flush left (its transaction rolled back)
  d_.change_row_demands_ = 0;
  std::vector<const Event*> appended;
  // In recording order (keys are reserved in it): the change log tells the writes as they came,
  // and the derived rows are appended in key order.
  std::vector<LiveDemand*> touched;
  for (auto& entry : live_)
    if (entry.second->touched) touched.push_back(entry.second.get());
  std::sort(touched.begin(), touched.end(), [](const LiveDemand* a, const LiveDemand* b) { return a->seq < b->seq; });
  for (LiveDemand* d : touched) {
    auto served_until = this->served_until();
    if (!served_until.ok()) return std::move(served_until).status();
    const int64_t last = last_instant(d->demand, d->events);
    auto v = view(*d, last);
    if (!v.ok()) return std::move(v).status();
    if (Status s = write_open_targets(*d, *v); !s.ok()) return s;
    auto latest = policy(d->policy_name, "");
    if (!latest.ok()) return std::move(latest).status();
    take_fact_row(d->seq, d->policy_id, d->demand, d->events, *v, last, *latest, fact_);
    if (Status s = put_fact_row(d_, !d->has_fact_row, fact_); !s.ok()) return s;
    d->has_fact_row = true;
    std::vector<Transition> now = transitions(*v);
    appended.clear();
    for (const Event& e : d->events)
      if (e.n > d->logged_n) appended.push_back(&e);
    std::sort(appended.begin(), appended.end(), [](const Event* a, const Event* b) { return a->n < b->n; });
    FeedWrite write;
    write.key = d->seq;
    write.id = &d->demand.id;
    write.owner = &v->owner;
    write.department = &v->department;
    if (d->recorded_here) write.recorded_at = d->demand.received_at;
    write.events = &appended;
    write.before = &d->transitions;
    write.after = &now;
    write.log = log_changes_;
    const LiveDemand& live_demand = *d;
    const PolicyIdOf policy_of = [&](const std::string& version) { return policy_id_of(live_demand, version); };
    if (Status s = write_changes(d_, write, *served_until, policy_of); !s.ok()) return s;
    d->transitions = std::move(now);
    d->logged_n = d->last_n;
    d->recorded_here = false;
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
  return end_changes(d_);
}

}  // namespace crm::detail
