// SPDX-License-Identifier: Apache-2.0
// Report periods (day, ISO week, month, quarter, half year, year) over local dates.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crm::detail {

enum class PeriodKind : uint8_t { day, week, month, quarter, half_year, year };

std::optional<PeriodKind> parse_period_kind(std::string_view name);
const char* period_kind_name(PeriodKind kind);

// A period's ordinal: consecutive periods have consecutive ordinals.
int32_t period_ordinal(PeriodKind kind, int32_t day);
// The first local date of a period.
int32_t period_first_day(PeriodKind kind, int32_t ordinal);
// "2025-10-09", "2026-W53", "2025-10", "2025-Q4", "2025-H2", "2025".
std::string period_label(PeriodKind kind, int32_t ordinal);

// The periods of a range of local dates [first_day, end_day), and a table from date to period
// index so that the aggregation's inner loop maps a date with one load.
class PeriodTable {
 public:
  PeriodTable(PeriodKind kind, int32_t first_day, int32_t end_day);

  // The date-to-period map alone, for inner loops: held in locals, it is not reloaded after
  // every store the loop makes.
  struct Index {
    int32_t first_day;
    uint32_t days;
    const int32_t* of_day;
    int32_t operator()(int32_t day) const {
      const auto offset = static_cast<uint32_t>(day - first_day);
      return offset < days ? of_day[offset] : -1;
    }
  };
  Index indexer() const { return {first_day_, static_cast<uint32_t>(of_day_.size()), of_day_.data()}; }

  // Index of the period of a local date, or -1 outside the range.
  int32_t index(int32_t day) const { return indexer()(day); }
  size_t size() const { return first_days_.size(); }
  PeriodKind kind() const { return kind_; }
  int32_t first_day(size_t period) const { return first_days_[period]; }
  int32_t end_day(size_t period) const {
    return period + 1 < first_days_.size() ? first_days_[period + 1] : end_day_;
  }
  int32_t ordinal(size_t period) const { return first_ordinal_ + static_cast<int32_t>(period); }

 private:
  PeriodKind kind_;
  int32_t first_day_, end_day_, first_ordinal_ = 0;
  std::vector<int32_t> of_day_;
  std::vector<int32_t> first_days_;
};

}  // namespace crm::detail
