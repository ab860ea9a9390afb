// SPDX-License-Identifier: Apache-2.0
// Replays a demand's events into its state and target clocks (README "SLA tracking").
#include "ledger/replay.hpp"

#include <algorithm>

namespace crm::detail {

namespace {

struct Pause {
  int64_t begin;
  int64_t end;  // kNever while still paused
};

// The clock a target counts: working time on its calendar, or elapsed time.
Result<int64_t> measure(const TargetClock& c, int64_t a, int64_t b) {
  if (b <= a) return int64_t{0};
  if (!c.working()) return b - a;
  return c.calendar->working_time_between(a, b);
}

Result<int64_t> advance(const TargetClock& c, int64_t t, int64_t amount) {
  if (amount <= 0) return t;
  if (!c.working()) {
    if (t > c.calendar->max_time() - amount) return Status::out_of_range("a due time moved past 2199-12-31");
    return t + amount;
  }
  return c.calendar->add_working_time(t, amount);
}

bool post_resolution(const TargetClock& c) {
  const std::string& m = c.definition->met_by;
  return m == "resolved" || m == "feedback" || m == "closed";
}

// `nominal` moved later by the paused parts of [start, stop): pauses that begin before the
// (already moved) instant push it by their length on the target's clock.
Result<int64_t> moved_by_pauses(const TargetClock& c, int64_t nominal, const std::vector<Pause>& pauses, int64_t stop) {
  int64_t t = nominal;
  for (const Pause& p : pauses) {
    const int64_t b = std::max(p.begin, c.start), e = std::min(p.end, stop);
    if (b >= e || b >= t) continue;
    auto length = measure(c, b, e);
    if (!length.ok()) return std::move(length).status();
    auto moved = advance(c, t, *length);
    if (!moved.ok()) return std::move(moved).status();
    t = *moved;
  }
  return t;
}

// Counted clock time from the target's start to `stop`, paused parts excluded.
Result<int64_t> elapsed(const TargetClock& c, const std::vector<Pause>& pauses, int64_t stop) {
  auto total = measure(c, c.start, stop);
  if (!total.ok()) return total;
  int64_t counted = *total;
  for (const Pause& p : pauses) {
    auto paused = measure(c, std::max(p.begin, c.start), std::min(p.end, stop));
    if (!paused.ok()) return paused;
    counted -= *paused;
  }
  return counted;
}

Status settle(TargetClock& c, const std::vector<Pause>& pauses, int64_t at, bool merged) {
  const int64_t stop = std::min({c.met_at, c.ended_at, at});
  auto due = moved_by_pauses(c, c.nominal_due, pauses, stop);
  if (!due.ok()) return std::move(due).status();
  auto warn = moved_by_pauses(c, c.nominal_warn, pauses, stop);
  if (!warn.ok()) return std::move(warn).status();
  c.due = *due;
  c.warn = std::min(*warn, c.due);
  // Before the due time: what is left of the clock; after it: how far past (a pause that starts
  // after the due time does not stop the overrun; the breach has happened).
  auto left = measure(c, stop, c.due);
  auto past = measure(c, c.due, stop);
  if (!left.ok()) return std::move(left).status();
  if (!past.ok()) return std::move(past).status();
  c.remaining = *left;
  c.overrun = *past;
  c.paused = false;
  for (const Pause& p : pauses) c.paused = c.paused || (p.begin <= stop && stop == at && p.end > at);
  if (c.met_at <= at) {
    c.status = c.met_at <= c.due ? TargetStatus::met : TargetStatus::met_late;
  } else if (c.ended_at <= at && (merged || c.ended_at < c.due) &&
             (c.ended_by == EventType::closed || c.ended_by == EventType::merged_into ||
              (c.definition->recurring && c.ended_by == EventType::resolved))) {
    c.status = TargetStatus::cancelled;  // stopped unmet before it was due, or a merged duplicate
  } else if (stop >= c.due) {
    c.status = TargetStatus::breached;
  } else if (stop >= c.warn) {
    c.status = TargetStatus::at_risk;
  } else {
    c.status = TargetStatus::pending;
  }
  return {};
}

Status check_event(const Demand& demand, DemandState& state, const Event& e, size_t index) {
  if (e.at < demand.received_at)
    return Status::invalid_state("event " + std::to_string(index + 1) + " (" + event_type_name(e.type) + ") is dated " +
                                 std::to_string(e.at) + ", before the demand was received (" +
                                 std::to_string(demand.received_at) + ")");
  return advance_state(state, e);
}

class Replayer {
 public:
  Replayer(const Demand& demand, const PolicyVersionLookup& lookup, DemandView& view)
      : demand_(demand), lookup_(lookup), v_(view) {}

  Status start() { return classify(v_.policy, demand_, demand_.received_at, nullptr); }

  Status apply(const Event& e, size_t index) {
    if (Status s = check_event(demand_, v_.state, e, index); !s.ok()) return s;
    for (TargetClock& c : v_.targets)
      if (c.met_at == kNever && c.ended_at == kNever && c.definition->met_by_event(event_type_name(e.type)) && e.at >= c.window)
        c.met_at = e.at;
    seen_.push_back({e.type, e.at});
    switch (e.type) {
      case EventType::paused: pauses_.push_back({e.at, kNever}); break;
      case EventType::resumed: pauses_.back().end = e.at; break;
      case EventType::resolved: v_.resolved_at = e.at; break;
      case EventType::feedback: v_.feedback.push_back({e.at, e.satisfaction}); break;
      case EventType::reassigned:
        if (!e.owner.empty()) v_.owner = e.owner, v_.owner_routed = false;
        if (!e.department.empty()) v_.department = e.department, v_.department_routed = false;
        break;
      case EventType::closed:
      case EventType::merged_into:
        if (!pauses_.empty() && pauses_.back().end == kNever) pauses_.back().end = e.at;
        for (TargetClock& c : v_.targets)
          if (c.met_at == kNever && c.ended_at == kNever) c.ended_at = e.at, c.ended_by = e.type;
        if (e.type == EventType::closed) v_.closed_at = e.at;
        else v_.merged_into = e.into;
        break;
      case EventType::reopened: return reopen(e);
      case EventType::reclassified: return reclassify(e);
      case EventType::calendar_updated: recalendar(e); break;
      default: break;
    }
    return next_rounds(e);
  }

  const std::vector<Pause>& pauses() const { return pauses_; }

 private:
  // Evaluates `demand` under `policy` and makes the resulting targets current. With `change`,
  // the incarnations they replace move to the history, per each target's on_reclassify.
  Status classify(const Policy& policy, const Demand& demand, int64_t now, const Event* change) {
    std::vector<const Target*> definitions;
    auto evaluation = evaluate(PolicyAccess::impl(policy), demand, false, &definitions);
    if (!evaluation.ok()) return std::move(evaluation).status();
    v_.urgency = evaluation->urgency.value;
    v_.category = evaluation->category.value;
    v_.nature = evaluation->nature.value;
    // A routed assignment follows the classification; a manual one or a reassignment stays.
    if (!change || v_.owner_routed) {
      v_.owner = evaluation->owner.value;
      v_.owner_routed = evaluation->owner.decision != Decision::manual;
    }
    if (!change || v_.department_routed) {
      v_.department = evaluation->department.value;
      v_.department_routed = evaluation->department.decision != Decision::manual;
    }
    std::vector<TargetClock> next;
    for (size_t i = 0; i < definitions.size(); ++i) {
      const TargetResult& r = evaluation->targets[i];
      TargetClock c;
      c.definition = definitions[i];
      c.calendar = policy.calendar(r.calendar);
      c.policy_version = policy.version();
      c.window = demand.received_at;
      c.start = r.start;
      c.nominal_due = r.due_at;
      c.nominal_warn = r.warn_at;
      const TargetClock* old = change ? current(c.definition->name) : nullptr;
      if (change && c.definition->recurring) {
        // The running round goes on from where it began (or, new to the demand, from now) on the
        // new class's terms; only events after the change can meet it.
        if (Status s = restart(c, old && old->met_at == kNever && old->ended_at == kNever ? old->window : now); !s.ok())
          return s;
        next.push_back(std::move(c));
        continue;
      } else if (change && c.definition->on_reclassify == OnReclassify::restart) {
        if (Status s = restart(c, now); !s.ok()) return s;
      } else if (old && c.definition->on_reclassify == OnReclassify::keep_elapsed) {
        if (Status s = carry(*old, c, now, std::min(now, old->met_at)); !s.ok()) return s;
      } else if (old) {
        c.window = old->window;
      }
      find_met(c);
      next.push_back(std::move(c));
    }
    for (TargetClock& old : v_.targets) {
      if (old.ended_at == kNever) old.ended_at = now, old.ended_by = EventType::reclassified;
      v_.history.push_back(std::move(old));
    }
    v_.targets = std::move(next);
    return {};
  }

  // Newer calendar data took effect at e.at: a target decided by then keeps the plan it was
  // judged on; a running one goes on with the plan of the current data, the earlier plan in the
  // history (ended by calendar_updated) when it differs.
  void recalendar(const Event& e) {
    for (TargetClock& c : v_.targets) {
      const auto p = std::find_if(e.planned.begin(), e.planned.end(),
                                  [&](const PlannedTarget& t) { return t.name == c.definition->name; });
      if (p == e.planned.end()) continue;
      if (p->decided) {
        c.start = p->start, c.nominal_due = p->due, c.nominal_warn = p->warn;
      } else if (p->due != c.nominal_due || p->warn != c.nominal_warn || p->start != c.start) {
        TargetClock earlier = c;
        earlier.start = p->start, earlier.nominal_due = p->due, earlier.nominal_warn = p->warn;
        earlier.ended_at = e.at, earlier.ended_by = EventType::calendar_updated;
        v_.history.push_back(std::move(earlier));
      }
    }
  }

  Status reclassify(const Event& e) {
    if (!e.policy_version.empty() && e.policy_version != v_.policy.version()) {
      auto newer = lookup_(e.policy_version);
      if (!newer.ok()) return std::move(newer).status();
      v_.keep_alive.push_back(v_.policy);
      v_.policy = std::move(*newer);
    }
    Demand d = demand_;
    d.owner = v_.owner_routed ? std::string() : v_.owner;  // routed: routed again
    d.department = v_.department_routed ? std::string() : v_.department;
    d.urgency = e.urgency.empty() ? v_.urgency : e.urgency;
    d.category = e.category.empty() ? v_.category : e.category;
    d.nature = e.nature.empty() ? v_.nature : e.nature;
    return classify(v_.policy, d, e.at, &e);
  }

  // Targets met after resolution (and those a close stopped unmet) start again, per on_reopen.
  Status reopen(const Event& e) {
    v_.resolved_at = v_.closed_at = kNever;
    for (TargetClock& c : v_.targets) {
      const bool stopped = c.met_at == kNever && c.ended_at != kNever;
      if (c.definition->recurring) {  // a new round from the reopening; the last one keeps its outcome
        if (c.met_at == kNever && c.ended_at == kNever) continue;
        if (Status s = next_round(c, e.at); !s.ok()) return s;
        continue;
      }
      if (!post_resolution(c) && !stopped) continue;
      TargetClock next = c;
      next.met_at = next.ended_at = kNever;
      next.window = e.at;
      Status s = c.definition->on_reopen == OnReopen::restart && post_resolution(c)
                     ? restart(next, e.at)
                     : carry(c, next, e.at, std::min(c.met_at, c.ended_at));
      if (!s.ok()) return s;
      if (c.ended_at == kNever || c.ended_by != EventType::closed) c.ended_at = e.at;
      c.ended_by = EventType::reopened;
      v_.history.push_back(std::move(c));
      c = std::move(next);
    }
    return {};
  }

  // Recurring targets: the round `e` met is followed by the next, due `within` after it, while the
  // demand stays open; the round that runs when the demand stops being open ends there.
  Status next_rounds(const Event& e) {
    for (TargetClock& c : v_.targets) {
      if (!c.definition->recurring) continue;
      if (c.met_at == e.at && c.ended_at == kNever && is_open(v_.state)) {
        if (Status s = next_round(c, e.at); !s.ok()) return s;
      } else if (c.met_at == kNever && c.ended_at == kNever && !is_open(v_.state)) {
        c.ended_at = e.at, c.ended_by = e.type;
      }
    }
    return {};
  }

  // A recurring target's round `c` (met or ended) goes to the history, followed by a new round from `from`.
  Status next_round(TargetClock& c, int64_t from) {
    TargetClock next = c;
    next.met_at = next.ended_at = kNever;
    if (Status s = restart(next, from); !s.ok()) return s;
    c.earlier_round = true;
    v_.history.push_back(std::move(c));
    c = std::move(next);
    return {};
  }

  Status restart(TargetClock& c, int64_t now) {
    TargetResult r;
    if (Status s = schedule_target(*c.definition, *c.calendar, now, r); !s.ok()) return s;
    c.window = now;
    c.start = r.start;
    c.nominal_due = r.due_at;
    c.nominal_warn = r.warn_at;
    return {};
  }

  // `next` (scheduled from its own start) continues from `now` with the time `old` had used
  // by `stopped` already spent.
  Status carry(const TargetClock& old, TargetClock& next, int64_t now, int64_t stopped) {
    auto used = elapsed(old, pauses_, stopped);
    if (!used.ok()) return std::move(used).status();
    auto total = measure(next, next.start, next.nominal_due);
    auto warn_total = measure(next, next.start, next.nominal_warn);
    if (!total.ok() || !warn_total.ok()) return Status::out_of_range("a carried target left the calendar's range");
    next.start = now;
    auto due = advance(next, now, *total - *used);
    auto warn = advance(next, now, *warn_total - *used);
    if (!due.ok()) return std::move(due).status();
    if (!warn.ok()) return std::move(warn).status();
    next.nominal_due = *due;
    next.nominal_warn = *warn;
    return {};
  }

  const TargetClock* current(const std::string& name) const {
    for (const TargetClock& c : v_.targets)
      if (c.definition->name == name) return &c;
    return nullptr;
  }

  void find_met(TargetClock& c) const {
    for (const auto& [type, at] : seen_)
      if (at >= c.window && c.definition->met_by_event(event_type_name(type))) {
        c.met_at = at;
        return;
      }
  }

  const Demand& demand_;
  const PolicyVersionLookup& lookup_;
  DemandView& v_;
  std::vector<Pause> pauses_;
  std::vector<std::pair<EventType, int64_t>> seen_;
};

}  // namespace

const char* target_status_name(TargetStatus status) {
  switch (status) {
    case TargetStatus::pending: return "pending";
    case TargetStatus::at_risk: return "at_risk";
    case TargetStatus::met: return "met";
    case TargetStatus::met_late: return "met_late";
    case TargetStatus::breached: return "breached";
    case TargetStatus::cancelled: return "cancelled";
  }
  return "?";
}

Result<DemandState> lifecycle_state(const Demand& demand, const std::vector<Event>& events) {
  DemandState state = DemandState::open;
  for (size_t i = 0; i < events.size(); ++i)
    if (Status s = check_event(demand, state, events[i], i); !s.ok()) return s;
  return state;
}

Result<DemandView> receive(const Policy& policy, const Demand& demand) {
  DemandView view(policy);
  const PolicyVersionLookup none;
  Replayer replayer(demand, none, view);
  if (Status s = replayer.start(); !s.ok()) return s;
  return view;
}

Result<DemandView> replay(DemandView view, const Demand& demand, const std::vector<Event>& events, int64_t at,
                          const PolicyVersionLookup& lookup) {
  Replayer replayer(demand, lookup, view);
  for (size_t i = 0; i < events.size() && events[i].at <= at; ++i)
    if (Status s = replayer.apply(events[i], i); !s.ok()) return s;
  if (!replayer.pauses().empty() && replayer.pauses().back().end == kNever) view.paused_since = replayer.pauses().back().begin;
  const bool merged = view.state == DemandState::merged;
  for (TargetClock& c : view.targets)
    if (Status s = settle(c, replayer.pauses(), at, merged); !s.ok()) return s;
  for (TargetClock& c : view.history)
    if (Status s = settle(c, replayer.pauses(), at, false); !s.ok()) return s;
  return view;
}

Result<DemandView> replay(const Policy& policy, const Demand& demand, const std::vector<Event>& events, int64_t at,
                          const PolicyVersionLookup& lookup) {
  auto received = receive(policy, demand);
  if (!received.ok()) return received;
  return replay(std::move(*received), demand, events, at, lookup);
}

}  // namespace crm::detail
