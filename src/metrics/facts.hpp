// SPDX-License-Identifier: Apache-2.0
// A ledger as it stood at one instant, read once into compact columns: the input of every report.
#pragma once

#include <array>
#include <deque>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "crmpolicy/calendar.hpp"
#include "crmpolicy/status.hpp"

namespace crm::detail {

class DatabaseImpl;
struct StoredPolicy;

// The dimensions a report can group and filter by; values stored as dictionary codes.
enum class Dimension : uint8_t { department, owner, urgency, category, nature, channel, customer_tier, customer, policy_version };
constexpr size_t kDimensionCount = 9;
const char* dimension_name(Dimension d);
bool parse_dimension(std::string_view name, Dimension& out);

class Dictionary {
 public:
  Dictionary() = default;
  // Moved, never copied: a copy's index would view the original's strings.
  Dictionary(Dictionary&&) = default;
  Dictionary& operator=(Dictionary&&) = default;
  Dictionary(const Dictionary&) = delete;
  Dictionary& operator=(const Dictionary&) = delete;

  uint32_t code(std::string_view value);
  const std::string& value(uint32_t code) const { return values_[code]; }
  // The code of a value, or UINT32_MAX when absent.
  uint32_t find(std::string_view value) const;
  uint32_t size() const { return static_cast<uint32_t>(values_.size()); }

 private:
  // A deque: its strings never move, so the index keys on views of them and a lookup allocates nothing.
  std::deque<std::string> values_;
  std::unordered_map<std::string_view, uint32_t> index_;
  uint32_t last_ = UINT32_MAX;  // the last code given: demands in a row often share a department or owner
};

constexpr int32_t kNoDay = INT32_MIN;

struct FactTable {
  int64_t at = 0;
  std::vector<std::string> target_names;  // the report policy's target names, codes in target_name
  std::array<Dictionary, kDimensionCount> dictionaries;

  // One row per demand received by `at`; a dimension the report does not use has no column.
  std::array<std::vector<uint32_t>, kDimensionCount> dims;
  std::string id_bytes;                     // the demands' ids end to end: id(row) views them
  std::vector<uint32_t> id_end;              // (the loader refuses more than 4 GB of ids)
  std::vector<int32_t> received_day;        // local date
  std::vector<int32_t> resolved_day;        // latest standing resolution, or kNoDay
  std::vector<uint8_t> state;               // DemandState at `at`
  std::vector<uint8_t> resolution;          // 0: no resolution target, 1: met on time, 2: not met on time (yet)
  std::vector<float> first_response_hours;  // working hours to the first acknowledgement, plan or resolution; NaN: none
  std::vector<int8_t> technical, economic, time;  // latest assessment: -1 none, 0 no, 1 yes
  std::vector<float> value;                 // latest assessed value 0-10; NaN: none
  // Which of the policy's goals apply to each demand (bit g: goal g): goal_sets[goal_set[row]], a
  // demand's set being one of few.
  std::vector<uint16_t> goal_set;
  std::vector<uint64_t> goal_sets;

  // Spans during which a demand was open (not resolved, closed or merged), by local date: it was
  // open at a local midnight M when span_from_day < day(M) <= span_to_day (INT32_MAX while open).
  std::vector<uint32_t> span_demand;
  std::vector<int32_t> span_from_day, span_to_day;

  // One row per response target incarnation that counts (current ones, and ones a reopen ended).
  std::vector<uint32_t> target_demand;
  std::vector<int32_t> target_due_day;
  std::vector<uint8_t> target_name;         // index into target_names
  std::vector<uint8_t> target_status;       // TargetStatus at `at`
  std::vector<uint8_t> target_provisional;  // 1: the due time rests on provisional calendar days
  // The targets at risk or breached at `at` (the attention list's candidates), with their due times.
  std::vector<uint32_t> attention_target;
  std::vector<int64_t> attention_due;

  std::vector<uint32_t> reopen_demand;      // one row per reopened event
  std::vector<int32_t> reopen_day;
  std::vector<uint32_t> feedback_demand;    // one row per feedback event
  std::vector<int32_t> feedback_day;
  std::vector<uint8_t> feedback_score;

  size_t demand_count() const { return id_end.size(); }
  std::unordered_map<uint64_t, uint16_t> goal_index;  // goal_sets' codes
  std::string_view id(size_t row) const {
    const size_t from = row ? id_end[row - 1] : 0;
    return std::string_view(id_bytes).substr(from, id_end[row] - from);
  }
  uint64_t goal_mask(size_t row) const { return goal_sets[goal_set[row]]; }
  // The code of a set of goals, or false past 65,536 distinct sets.
  bool goal_code(uint64_t mask, uint16_t& code) {
    if (const auto it = goal_index.find(mask); it != goal_index.end()) return code = it->second, true;
    if (goal_sets.size() > UINT16_MAX) return false;
    code = static_cast<uint16_t>(goal_sets.size());
    goal_sets.push_back(mask);
    goal_index.emplace(mask, code);
    return true;
  }
  bool add_goal_mask(uint64_t mask) {
    uint16_t code;
    if (!goal_code(mask, code)) return false;
    goal_set.push_back(code);
    return true;
  }
  void add_id(std::string_view id) {
    id_bytes += id;
    id_end.push_back(static_cast<uint32_t>(id_bytes.size()));
  }
};

// Every demand of the report policy's name received by `at`, in recording order, as its ledger
// stands at `at`: from the facts the writer keeps (store/fact_rows.hpp), replaying only the demands
// whose figures depend on the instant (events after `at`, a paused clock) — or every demand, with
// `from_ledger`. Local dates are taken in `calendar` (the report's calendar); goals from `report`,
// the latest version of the name. Only the dimensions in `dimensions` (bit per Dimension) get
// columns; the others stay empty. Runs inside the caller's read transaction.
Result<FactTable> load_facts(DatabaseImpl& d, const StoredPolicy& report, const Calendar& calendar, int64_t at,
                             bool from_ledger, uint32_t dimensions);

}  // namespace crm::detail
