// SPDX-License-Identifier: Apache-2.0
// The base calendar data a database computes with (README "The built-in China calendar"). It is
// pinned in the calendar_data table, so every handle and process replays on the same data, and
// moves to newer data once, as of an instant: a target decided by then keeps the plan it was
// judged on, a running one follows the newer data, its earlier plan in its history.
#include "store/store_api.hpp"
#include <ctime>
#include <unordered_map>

#include "calendar/calendar_impl.hpp"
#include "core/json_writer.hpp"
#include "crmpolicy/database.hpp"
#include "policy/policy_impl.hpp"
#include "store/change_log.hpp"
#include "store/ledger_writer.hpp"

namespace crm {

using detail::Query;
using detail::Step;

namespace detail {

Result<Policy> DatabaseImpl::load_policy(std::string_view text) const { return policy_with_base(text, pinned_cn_); }

namespace {

using Shared = std::shared_ptr<const BaseCalendar>;

// The newest pinned version, or null when none is pinned yet.
Result<Shared> last_pinned(DatabaseImpl& d) {
  Use use(d.last_calendar_data_);
  const Step rc = use->step();
  if (rc == Step::done) return Shared();
  if (rc != Step::row) return d.error("reading the pinned calendar data");
  auto pinned = base_calendar_from_text(use->text(0), "the database's pinned data");
  if (!pinned.ok()) return Status::internal("the database's pinned calendar data no longer loads: " + pinned.status().message());
  return pinned;
}

Status pin(DatabaseImpl& d, const Shared& data, int64_t at) {
  Use use(d.insert_calendar_data_);
  use->bind_text(1, "cn");
  use->bind_text(2, base_data_version(*data));
  use->bind_int(3, at);
  use->bind_text(4, data->text);
  if (use->step() != Step::done) return d.error("pinning calendar data");
  d.pinned_cn_ = data;
  d.policies_.clear();  // rebuilt on the pinned data when next used
  return {};
}

bool decided(const TargetClock& c, int64_t at) {
  return c.status == TargetStatus::met || c.status == TargetStatus::met_late || c.status == TargetStatus::breached ||
         c.status == TargetStatus::cancelled || c.ended_at <= at;
}

struct Moved {
  std::string demand;
  std::vector<std::pair<std::string, int64_t>> due_before;  // running targets: name, effective due on the earlier data
};

// Moves the ledger to `newer` as of `at` inside the caller's transaction: a calendar_updated
// event on every demand received by `at` whose targets were due on provisional days of the
// pinned data (only those can change), then the newer data pinned.
Result<std::string> apply(DatabaseImpl& d, const Shared& newer, int64_t at) {
  const Shared older = d.pinned_cn_;
  std::vector<std::pair<Event, Moved>> changes;
  // The change feed's transitions of the demands rewritten below, as the older data gave them:
  // what the newer data moves is told as moved (store/change_log.hpp).
  std::unordered_map<std::string, std::vector<Transition>> told;
  auto provisional_facts = demands_with_provisional_facts(d);
  if (!provisional_facts.ok()) return std::move(provisional_facts).status();
  {
    LedgerWriter reader(d);
    for (const std::string& id : *provisional_facts) {
      auto loaded = reader.load(id);
      if (!loaded.ok()) return std::move(loaded).status();
      told[id] = (*loaded)->transitions;
    }
    Use use(d.recent_demands_);
    // A target is never longer than a year and a month: older demands cannot reach past the horizon.
    use->bind_int(1, (int64_t{older->official_until} - 400) * kSecondsPerDay);
    use->bind_int(2, at);
    std::vector<std::string> ids;
    Step rc;
    while ((rc = use->step()) == Step::row) ids.push_back(use->string(0));
    if (rc != Step::done) return d.error("finding demands with provisional targets");
    for (const std::string& id : ids) {
      auto loaded = reader.load(id);
      if (!loaded.ok()) return std::move(loaded).status();
      told.emplace(id, (*loaded)->transitions);
      auto view = reader.view(**loaded, at);
      if (!view.ok()) return std::move(view).status();
      bool provisional = false;
      for (const TargetClock& c : view->targets) provisional = provisional || provisional_at(*c.calendar, c.due);
      if (!provisional) continue;
      Event e;
      e.type = EventType::calendar_updated;
      e.at = at;
      e.actor = "crmpolicy";
      e.data_from = base_data_version(*older);
      e.data_to = base_data_version(*newer);
      Moved moved{id, {}};
      for (const TargetClock& c : view->targets) {
        const bool kept = decided(c, at);
        e.planned.push_back({c.definition->name, c.start, c.nominal_due, c.nominal_warn, kept});
        if (!kept) moved.due_before.emplace_back(c.definition->name, c.due);
      }
      changes.emplace_back(std::move(e), std::move(moved));
    }
  }
  if (Status s = pin(d, newer, at); !s.ok()) return s;
  LedgerWriter writer(d);
  for (auto& [id, transitions] : told) {
    auto loaded = writer.load(id);
    if (!loaded.ok()) return std::move(loaded).status();
    (*loaded)->transitions = std::move(transitions);
  }
  for (auto& [event, moved] : changes)
    if (Status s = writer.append(moved.demand, event); !s.ok()) return s;
  // Report facts resting on provisional days (decided targets, replaced ones) follow the newer data too.
  for (const std::string& id : *provisional_facts)
    if (Status s = writer.touch(id); !s.ok()) return s;
  if (Status s = writer.flush(); !s.ok()) return s;
  // Needs collection counts working days: the change feed compares the customers again.
  if (Status s = set_account_feed_state(d, AccountFeedState::stale); !s.ok()) return s;

  std::string out;
  JsonWriter w(out);
  w.begin_object().key("updated").boolean(true).key("from").value(base_data_version(*older));
  w.key("to").value(base_data_version(*newer)).key("applied_at").value(at).key("demands").begin_array();
  for (const auto& [event, moved] : changes) {
    auto loaded = writer.load(moved.demand);
    if (!loaded.ok()) return std::move(loaded).status();
    auto view = writer.view(**loaded, at);
    if (!view.ok()) return std::move(view).status();
    w.begin_object().key("id").value(moved.demand).key("targets").begin_array();
    for (const auto& [name, before] : moved.due_before)
      for (const TargetClock& c : view->targets)
        if (c.definition->name == name)
          w.begin_object().key("name").value(name).key("due_before").value(before).key("due_after").value(c.due).end_object();
    w.end_array().end_object();
  }
  w.end_array().end_object();
  return out;
}

std::string unchanged(const BaseCalendar& pinned) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("updated").boolean(false).key("version").value(base_data_version(pinned)).end_object();
  return out;
}

}  // namespace

Status reload_pinned_calendar_data(DatabaseImpl& d) {
  auto pinned = last_pinned(d);
  if (!pinned.ok()) return std::move(pinned).status();
  if (*pinned) d.pinned_cn_ = *pinned;
  d.policies_.clear();  // rebuilt on the pinned data when next used
  return {};
}

Status sync_calendar_data(DatabaseImpl& d, int64_t now) {
  auto current = find_base_calendar("cn");
  if (!current.ok()) return std::move(current).status();
  {
    // The common case reads only: the data is pinned and the file is not newer.
    auto pinned = last_pinned(d);
    if (!pinned.ok()) return std::move(pinned).status();
    if (*pinned && !newer_data(**current, **pinned)) {
      d.pinned_cn_ = *pinned;
      return {};
    }
  }
  Transaction tx(d);
  if (Status s = tx.begin(); !s.ok()) return s;
  auto pinned = last_pinned(d);  // again, under the write lock: another handle may have pinned it
  if (!pinned.ok()) return std::move(pinned).status();
  if (!*pinned) {
    if (Status s = pin(d, *current, now); !s.ok()) return s;
  } else {
    d.pinned_cn_ = *pinned;
    if (newer_data(**current, **pinned)) {
      auto applied = apply(d, *current, now);
      if (!applied.ok()) return std::move(applied).status();
    }
  }
  return tx.commit();
}

}  // namespace detail

Result<std::string> detail::api::update_calendar_data(detail::DatabaseImpl& impl, int64_t at) {
  detail::DatabaseImpl& d = impl;
  auto current = detail::find_base_calendar("cn");
  if (!current.ok()) return std::move(current).status();
  detail::Transaction tx(d);
  if (Status s = tx.begin(); !s.ok()) return s;
  auto pinned = detail::last_pinned(d);  // another handle may have moved it
  if (!pinned.ok()) return std::move(pinned).status();
  if (*pinned) d.pinned_cn_ = *pinned;
  if (!detail::newer_data(**current, *d.pinned_cn_)) {
    if (detail::newer_data(*d.pinned_cn_, **current))
      return Status::invalid_state("the calendar data file (" + (*current)->source + ", " + detail::base_data_version(**current) +
                                   ") is older than the database's (" + detail::base_data_version(*d.pinned_cn_) + ")");
    if (Status s = tx.commit(); !s.ok()) return s;
    return detail::unchanged(*d.pinned_cn_);
  }
  auto applied = detail::apply(d, *current, at);
  if (!applied.ok()) {
    d.pinned_cn_ = *pinned;  // the transaction rolls back
    d.policies_.clear();
    return std::move(applied).status();
  }
  if (Status s = tx.commit(); !s.ok()) {
    d.pinned_cn_ = *pinned;
    d.policies_.clear();
    return s;
  }
  return applied;
}

}  // namespace crm
