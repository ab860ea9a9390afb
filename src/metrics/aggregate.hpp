// SPDX-License-Identifier: Apache-2.0
// The report engine: one pass over each fact column into additive counters per (period, group).
#pragma once

#include <array>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "metrics/facts.hpp"
#include "metrics/period.hpp"
#include "policy/policy_impl.hpp"

namespace crm::detail {

// Counters of a cell. After these: per target name (decided, on time), then per goal (numerator,
// denominator).
enum Counter : uint32_t {
  kReceived,               // demands received in the period
  kResolved,               // ... of which resolved at the report instant
  kWithResolutionTarget,   // ... of which have a resolution target
  kResolvedWithinTarget,   // ... of which met it on time
  kMerged,                 // ... of which were merged into another
  kReopened,               // reopen events in the period
  kOpenAtEnd,              // demands open at the period's last instant
  kTargetStatus,           // targets due in the period, by status (6 counters, TargetStatus order)
  kFeedback = kTargetStatus + 6,  // feedback given in the period
  kFeedbackSum,            // sum of their scores
  kSatisfied,              // scores of 4 or 5
  kResolvedInPeriod,       // demands whose standing resolution falls in the period
  kResolvedWithFeedback,   // ... of which have given feedback by the report instant (response_rate)
  kTargetsProvisional,     // targets due in the period whose due time rests on provisional calendar days
  kFixedCounters
};

enum class GoalMetric : uint8_t { timeliness, completion, completion_on_time, satisfaction, satisfaction_mean, response_rate };

struct GoalSpec {
  GoalMetric metric;
  uint8_t target;  // timeliness: the target name's code, or 255 for every target
};

struct Grouping {
  PeriodTable periods;
  std::vector<int64_t> period_end;  // UTC instant at which each period ends
  std::vector<Dimension> by;        // zero, one or two dimensions
  // Per dimension: allowed codes (empty: all).
  std::array<std::vector<bool>, kDimensionCount> allowed;
};

class Aggregation {
 public:
  struct Cell {
    uint32_t period;
    uint32_t key;  // group key: code of by[0] * size of by[1] + code of by[1]
  };

  // Target counts are indexed by (period, key) while they take at most `direct_counts` int64s
  // (the default 32 MiB), else by cell; a test runs both ways.
  static constexpr size_t kDirectCounts = size_t{1} << 22;
  Aggregation(const FactTable& facts, const Grouping& grouping, std::vector<GoalSpec> goals,
              size_t direct_counts = kDirectCounts);

  // Each pass adds one fact column's contribution; run() does all of them.
  void add_targets();
  void add_demands();
  void add_open_spans();
  void add_reopens();
  void add_feedback();
  void run();

  size_t stride() const { return stride_; }
  size_t target_counter(size_t name) const { return kFixedCounters + 2 * name; }
  size_t goal_counter(size_t goal) const { return kFixedCounters + 2 * target_count_ + 2 * goal; }
  const std::vector<Cell>& cells() const { return cells_; }
  const int64_t* counters(size_t cell) const { return &counters_[cell * stride_]; }
  // (cell, working hours to the first response) of the demands received in each cell's period.
  const std::vector<std::pair<uint32_t, float>>& response_hours() const { return response_hours_; }
  // The code of dimension `by[i]` in a group key.
  uint32_t key_part(uint32_t key, size_t i) const;
  const std::vector<uint32_t>& group_keys() const { return key_of_demand_; }

 private:
  // The cell of (period, group key), created on first use; its counters start at cell * stride.
  // The cell of (period, key), made on first use. Inline for the usual case, a cell seen before.
  uint32_t cell_id(int32_t period, uint32_t key) {
    if (!dense_.empty()) {
      const uint32_t slot = dense_[static_cast<uint64_t>(period) * key_count_ + key];
      if (slot != 0) return slot - 1;
    }
    return find_or_make_cell(period, key);
  }
  uint32_t find_or_make_cell(int32_t period, uint32_t key);
  int64_t* cell(int32_t period, uint32_t key) { return &counters_[cell_id(period, key) * stride_]; }

  const FactTable& f_;
  const Grouping& g_;
  std::vector<GoalSpec> goals_;
  size_t target_count_, stride_, direct_counts_;
  uint32_t key_count_ = 1, second_size_ = 1;
  std::vector<uint32_t> key_of_demand_;  // UINT32_MAX: filtered out
  std::vector<uint32_t> dense_;          // (period, key) -> cell + 1, when small enough
  std::unordered_map<uint64_t, uint32_t> sparse_;
  std::vector<Cell> cells_;
  std::vector<int64_t> counters_;
  std::vector<std::pair<uint32_t, float>> response_hours_;
};

std::vector<GoalSpec> goal_specs(const PolicyImpl& policy, const FactTable& facts);

}  // namespace crm::detail
