// SPDX-License-Identifier: Apache-2.0
#include "metrics/facts.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "calendar/calendar_impl.hpp"
#include "ledger/replay.hpp"
#include "ledger/demand_facts.hpp"
#include "store/fact_rows.hpp"
#include "store/ledger_scan.hpp"

namespace crm::detail {

namespace {

constexpr const char* kDimensionNames[] = {"department", "owner",    "urgency",  "category",      "nature",
                                           "channel",    "customer_tier", "customer", "policy_version"};

struct Loader {
  DatabaseImpl& d;
  const StoredPolicy& report;
  const Calendar& calendar;
  const CalendarImpl& cal;
  FactTable& f;
  uint32_t dimensions;   // bit per Dimension loaded
  DemandFacts replayed;  // reused

  // A demand replayed at the report instant, into `row` (UINT32_MAX: a new one).
  Status replay_at(const LedgerEntry& entry, const Demand& demand, const std::vector<Event>& events, uint32_t row) {
    auto v = replay(entry.policy, demand, events, f.at, stored_versions(d, entry.policy.name()));
    if (!v.ok()) return Status::internal("stored ledger of \"" + demand.id + "\" no longer replays: " + v.status().message());
    take_demand_facts(demand, events, *v, f.at, replayed);
    const uint64_t goals = goals_applying(PolicyAccess::impl(report.policy), demand, v->urgency, v->category, v->nature);
    return row == UINT32_MAX ? add(replayed, goals) : place(row, replayed, goals);
  }

  Status add(const DemandFacts& x, uint64_t goal_mask) {
    auto row = open_row(x.id);
    if (!row.ok()) return std::move(row).status();
    return place(*row, x, goal_mask);
  }

  // A row for the demand, its columns filled by place() (now, or after a replay).
  Result<uint32_t> open_row(std::string_view id) {
    const auto row = static_cast<uint32_t>(f.demand_count());
    if (f.id_bytes.size() + id.size() > UINT32_MAX) return Status::out_of_range("a report over more than 4 GB of demand ids");
    for (size_t i = 0; i < kDimensionCount; ++i)
      if (dimensions >> i & 1) f.dims[i].push_back(0);
    f.add_id(id);
    f.received_day.push_back(0);
    f.resolved_day.push_back(kNoDay);
    f.state.push_back(0);
    f.resolution.push_back(0);
    f.first_response_hours.push_back(0);
    f.technical.push_back(-1);
    f.economic.push_back(-1);
    f.time.push_back(-1);
    f.value.push_back(0);
    f.goal_set.push_back(0);
    return row;
  }

  // The demand's columns at `row`, and its rows of spans, targets, reopenings and feedback.
  Status place(uint32_t row, const DemandFacts& x, uint64_t goal_mask) {
    const std::string_view values[kDimensionCount] = {x.department, x.owner,         x.urgency,  x.category,      x.nature,
                                                       x.channel,    x.customer_tier, x.customer, x.policy_version};
    for (size_t i = 0; i < kDimensionCount; ++i)
      if (dimensions >> i & 1) f.dims[i][row] = f.dictionaries[i].code(values[i]);
    f.received_day[row] = cal.local_day(x.received_at);
    f.resolved_day[row] = x.resolved_at == kNever ? kNoDay : cal.local_day(x.resolved_at);
    f.state[row] = x.state;
    f.resolution[row] = x.resolution;
    float first_response = std::numeric_limits<float>::quiet_NaN();
    if (x.first_response_at != kNever) {
      auto working = calendar.working_time_between(x.received_at, x.first_response_at);
      if (!working.ok()) return std::move(working).status();
      first_response = static_cast<float>(static_cast<double>(*working) / 3600.0);
    }
    f.first_response_hours[row] = first_response;
    f.technical[row] = x.technical;
    f.economic[row] = x.economic;
    f.time[row] = x.time;
    f.value[row] = x.value < 0 ? std::numeric_limits<float>::quiet_NaN() : static_cast<float>(x.value);
    if (!f.goal_code(goal_mask, f.goal_set[row])) return Status::out_of_range("a report over more than 65,536 sets of goals");
    for (const int64_t at : x.reopened) {
      f.reopen_demand.push_back(row);
      f.reopen_day.push_back(cal.local_day(at));
    }
    for (const auto& [from, to] : x.open_spans) {
      f.span_demand.push_back(row);
      f.span_from_day.push_back(cal.local_day(from));
      f.span_to_day.push_back(to == kNever ? INT32_MAX : cal.local_day(to));
    }
    for (const TargetFact& t : x.targets) {
      uint8_t code = 0;
      while (code < f.target_names.size() && f.target_names[code] != t.name) ++code;
      if (code == f.target_names.size()) {
        if (f.target_names.size() == 255) continue;  // a report names at most 255 targets
        f.target_names.push_back(t.name);
      }
      const TargetStatus status = target_status_at(t, f.at);
      if (status == TargetStatus::at_risk || status == TargetStatus::breached) {
        f.attention_target.push_back(static_cast<uint32_t>(f.target_demand.size()));
        f.attention_due.push_back(t.due);
      }
      f.target_demand.push_back(row);
      f.target_due_day.push_back(cal.local_day(t.due));
      f.target_name.push_back(code);
      f.target_status.push_back(static_cast<uint8_t>(status));
      f.target_provisional.push_back(t.provisional ? 1 : 0);
    }
    for (const FeedbackScore& s : x.feedback) {
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

Result<FactTable> load_facts(DatabaseImpl& d, const StoredPolicy& report, const Calendar& calendar, int64_t at,
                             bool from_ledger, uint32_t dimensions) {
  const PolicyImpl& policy = PolicyAccess::impl(report.policy);
  FactTable f;
  f.at = at;
  for (const Target& t : policy.targets) {
    bool seen = false;
    for (const std::string& n : f.target_names) seen = seen || n == t.name;
    if (!seen && f.target_names.size() < 255) f.target_names.push_back(t.name);
  }
  Loader loader{d, report, calendar, CalendarAccess::impl(calendar), f, dimensions, {}};
  auto complete = fact_rows_complete(d);
  if (!complete.ok()) return std::move(complete).status();
  if (from_ledger || !*complete) {
    Status s = scan_ledger(d, policy.name, at, [&](const LedgerEntry& entry, const Demand& demand, std::vector<Event>& events) {
      return loader.replay_at(entry, demand, events, UINT32_MAX);
    });
    if (!s.ok()) return s;
    return f;
  }
  // Rows whose figures depend on the instant are replayed, and rows judged under another
  // version's goals judged again (the demand's text may matter), once the scan is over: their
  // places are kept, so the table's order is the ledger's whatever the path.
  struct Pending {
    int64_t seq;
    uint32_t row;
    bool replay;  // else only the goals
  };
  std::vector<Pending> pending;
  Status s = scan_fact_rows(d, policy.name, at, [&](FactRow& row) {
    if (row.facts.settled_at > at) {
      auto placed = loader.open_row(row.facts.id);
      if (!placed.ok()) return std::move(placed).status();
      pending.push_back({row.seq, *placed, true});
      return Status();
    }
    if (row.goal_policy != report.id) pending.push_back({row.seq, static_cast<uint32_t>(f.demand_count()), false});
    return loader.add(row.facts, row.goal_mask);
  });
  if (!s.ok()) return s;
  const auto settle = [&](const Pending& p, const LedgerEntry& entry, const Demand& demand, std::vector<Event>& events) {
    if (p.replay) return loader.replay_at(entry, demand, events, p.row);
    const auto value = [&](Dimension dim) -> const std::string& {
      return f.dictionaries[static_cast<size_t>(dim)].value(f.dims[static_cast<size_t>(dim)][p.row]);
    };
    const uint64_t goals =
        goals_applying(policy, demand, value(Dimension::urgency), value(Dimension::category), value(Dimension::nature));
    if (!f.goal_code(goals, f.goal_set[p.row])) return Status::out_of_range("a report over more than 65,536 sets of goals");
    return Status();
  };
  // A few are looked up one by one; many are read in one more ordered pass over the ledger.
  if (pending.size() <= 256 || pending.size() * 16 <= f.demand_count()) {
    for (const Pending& p : pending) {
      s = read_ledger(d, p.seq, p.replay, [&](const LedgerEntry& entry, const Demand& demand, std::vector<Event>& events) {
        return settle(p, entry, demand, events);
      });
      if (!s.ok()) return s;
    }
    return f;
  }
  size_t next = 0;  // both passes run in recording order
  const auto wanted = [&](int64_t seq) {
    while (next < pending.size() && pending[next].seq < seq) ++next;
    return next < pending.size() && pending[next].seq == seq;
  };
  size_t settled = 0;
  s = scan_ledger(
      d, policy.name, at,
      [&](const LedgerEntry& entry, const Demand& demand, std::vector<Event>& events) {
        ++settled;
        return settle(pending[next], entry, demand, events);
      },
      wanted);
  if (!s.ok()) return s;
  if (settled != pending.size())
    return Status::internal("the report facts name " + std::to_string(pending.size() - settled) +
                            " demands the ledger does not hold as they say; rebuild them (crm_db_rebuild_report_facts)");
  return f;
}

}  // namespace crm::detail
