// SPDX-License-Identifier: Apache-2.0
#include "metrics/facts.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "calendar/calendar_impl.hpp"
#include "ledger/replay.hpp"
#include "store/ledger_scan.hpp"

namespace crm::detail {

namespace {

constexpr const char* kDimensionNames[] = {"department", "owner",    "urgency",  "category",      "nature",
                                           "channel",    "customer_tier", "customer", "policy_version"};

bool is_first_response(EventType t) {
  return t == EventType::acknowledged || t == EventType::plan_sent || t == EventType::resolved;
}

// Open: received and not (yet, or again) resolved, closed or merged.
bool is_open(DemandState s) { return s == DemandState::open || s == DemandState::in_progress || s == DemandState::paused; }

struct Loader {
  DatabaseImpl& d;
  const PolicyImpl& report_policy;
  const Calendar& calendar;
  const CalendarImpl& cal;
  FactTable& f;

  Status add(const Policy& policy, const Demand& demand, const std::vector<Event>& events) {
    const std::string& name = policy.name();
    PolicyVersionLookup lookup = [&](const std::string& version) -> Result<Policy> {
      auto stored = d.resolve_policy(name, version);
      if (!stored.ok()) return std::move(stored).status();
      return stored->policy;
    };
    auto replayed = replay(policy, demand, events, f.at, lookup);
    if (!replayed.ok())
      return Status::internal("stored ledger of \"" + demand.id + "\" no longer replays: " + replayed.status().message());
    const DemandView& v = *replayed;
    const auto row = static_cast<uint32_t>(f.ids.size());

    const std::string_view values[kDimensionCount] = {v.department,   v.owner,         v.urgency,
                                                       v.category,     v.nature,        demand.channel,
                                                       demand.customer.tier, demand.customer.id, v.policy.version()};
    for (size_t i = 0; i < kDimensionCount; ++i) f.dims[i].push_back(f.dictionaries[i].code(values[i]));
    f.ids.push_back(demand.id);
    f.titles.push_back(demand.title);
    f.received_day.push_back(cal.local_day(demand.received_at));
    f.resolved_day.push_back(v.resolved_at == kNever ? kNoDay : cal.local_day(v.resolved_at));
    f.state.push_back(static_cast<uint8_t>(v.state));
    uint8_t resolution = 0;
    for (const TargetClock& c : v.targets)
      if (c.definition->met_by == "resolved") resolution = c.status == TargetStatus::met ? 1 : 2;
    f.resolution.push_back(resolution);

    float first_response = std::numeric_limits<float>::quiet_NaN();
    int8_t technical = -1, economic = -1, time = -1;
    float value = std::numeric_limits<float>::quiet_NaN();
    DemandState state = DemandState::open;
    int64_t open_since = demand.received_at;
    for (const Event& e : events) {
      if (e.at > f.at) break;
      if (std::isnan(first_response) && is_first_response(e.type)) {
        auto working = calendar.working_time_between(demand.received_at, std::max(e.at, demand.received_at));
        if (!working.ok()) return std::move(working).status();
        first_response = static_cast<float>(static_cast<double>(*working) / 3600.0);
      }
      if (e.type == EventType::assessed) {
        technical = e.technical, economic = e.economic, time = e.time;
        value = e.value < 0 ? std::numeric_limits<float>::quiet_NaN() : static_cast<float>(e.value);
      }
      if (e.type == EventType::reopened) {
        f.reopen_demand.push_back(row);
        f.reopen_day.push_back(cal.local_day(e.at));
      }
      const bool was_open = is_open(state);
      if (Status s = advance_state(state, e); !s.ok()) return Status::internal("stored ledger of \"" + demand.id + "\": " + s.message());
      if (was_open && !is_open(state)) {
        f.span_demand.push_back(row);
        f.span_from.push_back(open_since);
        f.span_from_day.push_back(cal.local_day(open_since));
        f.span_to.push_back(e.at);
      } else if (!was_open && is_open(state)) {
        open_since = e.at;
      }
    }
    if (is_open(state)) {
      f.span_demand.push_back(row);
      f.span_from.push_back(open_since);
      f.span_from_day.push_back(cal.local_day(open_since));
      f.span_to.push_back(kNever);
    }
    f.first_response_hours.push_back(first_response);
    f.technical.push_back(technical);
    f.economic.push_back(economic);
    f.time.push_back(time);
    f.value.push_back(value);

    Demand classified = demand;
    classified.urgency = v.urgency;
    classified.category = v.category;
    classified.nature = v.nature;
    f.goal_mask.push_back(goals_applying(report_policy, classified));

    const auto add_target = [&](const TargetClock& c) {
      uint8_t code = 0;
      while (code < f.target_names.size() && f.target_names[code] != c.definition->name) ++code;
      if (code == f.target_names.size()) {
        if (f.target_names.size() == 255) return;  // a report names at most 255 targets
        f.target_names.push_back(c.definition->name);
      }
      f.target_demand.push_back(row);
      f.target_due.push_back(c.due);
      f.target_due_day.push_back(cal.local_day(c.due));
      f.target_name.push_back(code);
      f.target_status.push_back(static_cast<uint8_t>(c.status));
      f.target_provisional.push_back(provisional_at(*c.calendar, c.due) ? 1 : 0);
    };
    for (const TargetClock& c : v.history)
      if (c.ended_by == EventType::reopened) add_target(c);
    for (const TargetClock& c : v.targets) add_target(c);
    for (const FeedbackScore& s : v.feedback) {
      f.feedback_demand.push_back(row);
      f.feedback_day.push_back(cal.local_day(s.at));
      f.feedback_score.push_back(static_cast<uint8_t>(s.satisfaction));
    }
    return {};
  }
};

}  // namespace

const char* dimension_name(Dimension d) { return kDimensionNames[static_cast<size_t>(d)]; }

bool parse_dimension(std::string_view name, Dimension& out) {
  for (size_t i = 0; i < kDimensionCount; ++i)
    if (name == kDimensionNames[i]) return out = static_cast<Dimension>(i), true;
  return false;
}

uint32_t Dictionary::code(std::string_view value) {
  if (last_ != UINT32_MAX && values_[last_] == value) return last_;
  if (const auto it = index_.find(value); it != index_.end()) return last_ = it->second;
  const auto code = static_cast<uint32_t>(values_.size());
  index_.emplace(values_.emplace_back(value), code);
  return last_ = code;
}

uint32_t Dictionary::find(std::string_view value) const {
  const auto it = index_.find(value);
  return it == index_.end() ? UINT32_MAX : it->second;
}

Result<FactTable> load_facts(DatabaseImpl& d, const PolicyImpl& policy, const Calendar& calendar, int64_t at) {
  FactTable f;
  f.at = at;
  for (const Target& t : policy.targets) {
    bool seen = false;
    for (const std::string& n : f.target_names) seen = seen || n == t.name;
    if (!seen && f.target_names.size() < 255) f.target_names.push_back(t.name);
  }
  Loader loader{d, policy, calendar, CalendarAccess::impl(calendar), f};
  Status s = scan_ledger(d, policy.name, at, [&](const Policy& version, const Demand& demand, std::vector<Event>& events) {
    return loader.add(version, demand, events);
  });
  if (!s.ok()) return s;
  return f;
}

}  // namespace crm::detail
