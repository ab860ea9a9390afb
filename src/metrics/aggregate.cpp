// SPDX-License-Identifier: Apache-2.0
#include "metrics/aggregate.hpp"

#include <algorithm>
#include <cmath>

#include "ledger/lifecycle.hpp"
#include "ledger/replay.hpp"

namespace crm::detail {

namespace {

constexpr size_t kDenseLimit = size_t{1} << 24;  // (period, key) pairs indexed directly: 64 MiB at most
constexpr uint8_t kAnyTarget = 255;

}  // namespace

std::vector<GoalSpec> goal_specs(const PolicyImpl& policy, const FactTable& facts) {
  std::vector<GoalSpec> specs;
  for (const Goal& goal : policy.goals) {
    GoalSpec s{GoalMetric::timeliness, kAnyTarget};
    const std::string& m = goal.metric;
    s.metric = m == "timeliness"           ? GoalMetric::timeliness
               : m == "completion"         ? GoalMetric::completion
               : m == "completion_on_time" ? GoalMetric::completion_on_time
               : m == "satisfaction"       ? GoalMetric::satisfaction
               : m == "satisfaction_mean"  ? GoalMetric::satisfaction_mean
                                           : GoalMetric::response_rate;
    for (size_t t = 0; t < facts.target_names.size() && !goal.target.empty(); ++t)
      if (facts.target_names[t] == goal.target) s.target = static_cast<uint8_t>(t);
    specs.push_back(s);
  }
  return specs;
}

Aggregation::Aggregation(const FactTable& facts, const Grouping& grouping, std::vector<GoalSpec> goals,
                         size_t direct_counts)
    : f_(facts), g_(grouping), goals_(std::move(goals)), target_count_(facts.target_names.size()),
      stride_(kFixedCounters + 2 * target_count_ + 2 * goals_.size()), direct_counts_(direct_counts) {
  const auto size_of = [&](size_t i) { return std::max<uint32_t>(1, f_.dictionaries[static_cast<size_t>(g_.by[i])].size()); };
  if (g_.by.size() >= 1) key_count_ = size_of(0);
  if (g_.by.size() >= 2) second_size_ = size_of(1), key_count_ *= second_size_;
  // Filters and grouping are per demand: every other column finds its demand's key with one load.
  const size_t n = f_.demand_count();
  key_of_demand_.assign(n, 0);
  for (size_t i = 0; i < kDimensionCount; ++i) {
    const std::vector<bool>& allowed = g_.allowed[i];
    if (allowed.empty()) continue;
    const std::vector<uint32_t>& codes = f_.dims[i];
    for (size_t row = 0; row < n; ++row)
      if (codes[row] >= allowed.size() || !allowed[codes[row]]) key_of_demand_[row] = UINT32_MAX;
  }
  for (size_t row = 0; row < n; ++row) {
    if (key_of_demand_[row] == UINT32_MAX) continue;
    uint32_t key = 0;
    if (g_.by.size() >= 1) key = f_.dims[static_cast<size_t>(g_.by[0])][row];
    if (g_.by.size() >= 2) key = key * second_size_ + f_.dims[static_cast<size_t>(g_.by[1])][row];
    key_of_demand_[row] = key;
  }
  const size_t pairs = g_.periods.size() * key_count_;
  if (pairs <= kDenseLimit) dense_.assign(pairs, 0);
}

uint32_t Aggregation::key_part(uint32_t key, size_t i) const {
  if (g_.by.size() < 2) return key;
  return i == 0 ? key / second_size_ : key % second_size_;
}

uint32_t Aggregation::find_or_make_cell(int32_t period, uint32_t key) {
  const uint64_t pair = static_cast<uint64_t>(period) * key_count_ + key;
  const auto next = static_cast<uint32_t>(cells_.size());
  uint32_t id;
  if (!dense_.empty()) {
    uint32_t& slot = dense_[pair];  // cell + 1; 0 while unused
    if (slot == 0) slot = next + 1;
    id = slot - 1;
  } else {
    id = sparse_.try_emplace(pair, next).first->second;
  }
  if (id == next) {
    cells_.push_back({static_cast<uint32_t>(period), key});
    counters_.resize(counters_.size() + stride_);
  }
  return id;
}

// Each target adds one to its cell's count of (target name, status); the figures come from those
// counts once, after the loop (incrementing five counters per target made the stores the
// report's bottleneck). A timeliness goal that applies to every demand is a sum of those counts
// too; only a goal with a condition on the demand needs counts of its own, (goal, status). When
// every (period, key) pair's counts fit (direct_counts_), they are indexed by the pair itself, so
// the loop looks up no cell; cells are made after it, for the pairs that counted something.
void Aggregation::add_targets() {
  constexpr size_t kStatuses = 6;
  uint64_t every_demand = ~uint64_t{0};  // goal bits set for all demands (needed for timeliness goals only)
  if (std::any_of(goals_.begin(), goals_.end(), [](const GoalSpec& g) { return g.metric == GoalMetric::timeliness; })) {
    std::vector<bool> used(f_.goal_sets.size(), false);  // the sets some demand has
    for (const uint16_t code : f_.goal_set) used[code] = true;
    for (size_t code = 0; code < used.size(); ++code)
      if (used[code]) every_demand &= f_.goal_sets[code];
  }
  struct Timeliness {
    size_t goal;
    uint8_t target;
    bool conditional;
    size_t counts;  // where its (goal, status) counts are in a cell's, when conditional
  };
  std::vector<Timeliness> timeliness, conditional;
  // Per cell: [name][status], then [conditional goal][status], then the provisional targets.
  size_t per_cell = kStatuses * target_count_;
  for (size_t g = 0; g < goals_.size(); ++g) {
    if (goals_[g].metric != GoalMetric::timeliness) continue;
    Timeliness goal{g, goals_[g].target, !(every_demand >> g & 1), per_cell};
    if (goal.conditional) conditional.push_back(goal), per_cell += kStatuses;
    timeliness.push_back(goal);
  }
  const size_t provisional_at = per_cell++;
  const size_t pairs = dense_.size();
  const bool direct = pairs > 0 && pairs <= direct_counts_ / per_cell;
  std::vector<int64_t> counts((direct ? pairs : cells_.size()) * per_cell);

  // Everything the loop reads, in locals: through `this`, each would be reloaded after each store.
  const size_t n = f_.target_demand.size();
  const uint32_t* demand = f_.target_demand.data();
  const int32_t* due_day = f_.target_due_day.data();
  const uint8_t* status = f_.target_status.data();
  const uint8_t* name = f_.target_name.data();
  const uint8_t* provisional = f_.target_provisional.data();
  const uint16_t* goal_set = f_.goal_set.data();
  const uint64_t* goal_sets = f_.goal_sets.data();
  const uint32_t* key_of = key_of_demand_.data();
  const uint32_t* dense = dense_.empty() ? nullptr : dense_.data();
  const uint64_t key_count = key_count_;
  const PeriodTable::Index period_of = g_.periods.indexer();
  int64_t* count = counts.data();
  const auto count_targets = [&](auto&& counts_of) {
    for (size_t i = 0; i < n; ++i) {
      const uint32_t key = key_of[demand[i]];
      if (key == UINT32_MAX) continue;
      const int32_t period = period_of(due_day[i]);
      if (period < 0) continue;
      int64_t* c = counts_of(period, key);
      const uint8_t s = status[i];
      ++c[kStatuses * name[i] + s];
      c[provisional_at] += provisional[i];
      for (const Timeliness& goal : conditional)
        if ((goal.target == kAnyTarget || goal.target == name[i]) && (goal_sets[goal_set[demand[i]]] >> goal.goal & 1))
          ++c[goal.counts + s];
    }
  };
  if (direct) {
    count_targets([&](int32_t period, uint32_t key) {
      return count + (static_cast<uint64_t>(period) * key_count + key) * per_cell;
    });
  } else {
    count_targets([&](int32_t period, uint32_t key) {
      uint32_t id = dense ? dense[static_cast<uint64_t>(period) * key_count + key] - 1 : UINT32_MAX;
      if (id == UINT32_MAX) {  // a cell not seen yet, or no dense index
        id = find_or_make_cell(period, key);
        if (counts.size() < cells_.size() * per_cell) counts.resize(cells_.size() * per_cell);
        count = counts.data();
      }
      return count + size_t{id} * per_cell;
    });
  }

  const auto add = [](int64_t* k, const int64_t* by_status) {  // on time, decided
    k[0] += by_status[uint8_t(TargetStatus::met)];
    k[1] += by_status[uint8_t(TargetStatus::met)] + by_status[uint8_t(TargetStatus::met_late)] +
            by_status[uint8_t(TargetStatus::breached)];
  };
  const auto fold = [&](uint32_t id, const int64_t* by) {
    int64_t* c = &counters_[size_t{id} * stride_];
    for (size_t t = 0; t < target_count_; ++t) {
      const int64_t* by_name = by + kStatuses * t;
      for (size_t st = 0; st < kStatuses; ++st) c[kTargetStatus + st] += by_name[st];
      int64_t on_time_decided[2] = {0, 0};
      add(on_time_decided, by_name);
      c[target_counter(t)] += on_time_decided[1];
      c[target_counter(t) + 1] += on_time_decided[0];
    }
    c[kTargetsProvisional] += by[provisional_at];
    for (const Timeliness& goal : timeliness) {
      int64_t* k = c + goal_counter(goal.goal);
      if (goal.conditional) add(k, by + goal.counts);
      else
        for (size_t t = 0; t < target_count_; ++t)
          if (goal.target == kAnyTarget || goal.target == t) add(k, by + kStatuses * t);
    }
  };
  if (direct) {
    for (size_t pair = 0; pair < pairs; ++pair) {
      const int64_t* by = &counts[pair * per_cell];
      if (std::all_of(by, by + per_cell, [](int64_t v) { return v == 0; })) continue;
      fold(cell_id(static_cast<int32_t>(pair / key_count_), static_cast<uint32_t>(pair % key_count_)), by);
    }
  } else {
    for (size_t id = 0; id * per_cell < counts.size(); ++id) fold(static_cast<uint32_t>(id), &counts[id * per_cell]);
  }
}

void Aggregation::add_demands() {
  // The response rate is a cohort's: of the demands resolved in a period, those that gave feedback
  // by the report instant, whenever they gave it. (Counting the period's feedback against its
  // resolutions gave rates above 100% when last period's demands answered in this one.)
  std::vector<bool> answered(f_.demand_count(), false);
  for (const uint32_t row : f_.feedback_demand) answered[row] = true;
  for (size_t row = 0; row < f_.demand_count(); ++row) {
    const uint32_t key = key_of_demand_[row];
    if (key == UINT32_MAX) continue;
    const bool resolved = f_.resolved_day[row] != kNoDay;
    const int32_t resolved_period = resolved ? g_.periods.index(f_.resolved_day[row]) : -1;
    if (resolved_period >= 0) {
      int64_t* c = cell(resolved_period, key);
      ++c[kResolvedInPeriod];
      c[kResolvedWithFeedback] += answered[row];
      for (size_t g = 0; g < goals_.size(); ++g)
        if (goals_[g].metric == GoalMetric::response_rate && (f_.goal_mask(row) >> g & 1)) {
          int64_t* k = c + kFixedCounters + 2 * target_count_ + 2 * g;
          k[0] += answered[row], ++k[1];
        }
    }
    const int32_t period = g_.periods.index(f_.received_day[row]);
    if (period < 0) continue;
    const uint32_t id = cell_id(period, key);
    int64_t* c = &counters_[id * stride_];
    const uint8_t resolution = f_.resolution[row];
    ++c[kReceived];
    // A merged duplicate counts once, in the demand it was merged into: received and merged, but
    // in no completion or response figure (its targets were cancelled).
    if (f_.state[row] == uint8_t(DemandState::merged)) {
      ++c[kMerged];
      continue;
    }
    c[kResolved] += resolved;
    c[kWithResolutionTarget] += resolution != 0;
    c[kResolvedWithinTarget] += resolution == 1;
    if (!std::isnan(f_.first_response_hours[row])) response_hours_.emplace_back(id, f_.first_response_hours[row]);
    for (size_t g = 0; g < goals_.size(); ++g) {
      if (!(f_.goal_mask(row) >> g & 1)) continue;
      int64_t* k = c + kFixedCounters + 2 * target_count_ + 2 * g;
      if (goals_[g].metric == GoalMetric::completion) k[0] += resolved, ++k[1];
      if (goals_[g].metric == GoalMetric::completion_on_time && resolution != 0) k[0] += resolution == 1, ++k[1];
    }
  }
}

void Aggregation::add_open_spans() {
  const auto periods = static_cast<int32_t>(g_.periods.size());
  if (periods == 0) return;
  const int32_t first_day = g_.periods.first_day(0);
  for (size_t i = 0; i < f_.span_demand.size(); ++i) {
    const uint32_t key = key_of_demand_[f_.span_demand[i]];
    if (key == UINT32_MAX) continue;
    int32_t p = f_.span_from_day[i] < first_day ? 0 : g_.periods.index(f_.span_from_day[i]);
    if (p < 0) continue;  // opened after the range
    // Open at a period's last instant (end - 1, the period ending at a local midnight): from <= end - 1 < to,
    // that is day(from) < day(end) <= day(to).
    for (; p < periods && g_.periods.end_day(static_cast<size_t>(p)) <= f_.span_to_day[i]; ++p)
      if (g_.periods.end_day(static_cast<size_t>(p)) > f_.span_from_day[i]) ++cell(p, key)[kOpenAtEnd];
  }
}

void Aggregation::add_reopens() {
  for (size_t i = 0; i < f_.reopen_demand.size(); ++i) {
    const uint32_t key = key_of_demand_[f_.reopen_demand[i]];
    const int32_t period = key == UINT32_MAX ? -1 : g_.periods.index(f_.reopen_day[i]);
    if (period >= 0) ++cell(period, key)[kReopened];
  }
}

void Aggregation::add_feedback() {
  for (size_t i = 0; i < f_.feedback_demand.size(); ++i) {
    const uint32_t row = f_.feedback_demand[i];
    const uint32_t key = key_of_demand_[row];
    const int32_t period = key == UINT32_MAX ? -1 : g_.periods.index(f_.feedback_day[i]);
    if (period < 0) continue;
    int64_t* c = cell(period, key);
    const int score = f_.feedback_score[i];
    ++c[kFeedback];
    c[kFeedbackSum] += score;
    c[kSatisfied] += score >= 4;
    for (size_t g = 0; g < goals_.size(); ++g) {
      if (!(f_.goal_mask(row) >> g & 1)) continue;
      int64_t* k = c + kFixedCounters + 2 * target_count_ + 2 * g;
      switch (goals_[g].metric) {
        case GoalMetric::satisfaction: k[0] += score >= 4, ++k[1]; break;
        case GoalMetric::satisfaction_mean: k[0] += score, ++k[1]; break;
        default: break;  // response_rate: counted with the resolutions (add_demands)
      }
    }
  }
}

void Aggregation::run() {
  add_demands();
  add_targets();
  add_open_spans();
  add_reopens();
  add_feedback();
}

}  // namespace crm::detail
