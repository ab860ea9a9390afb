// SPDX-License-Identifier: Apache-2.0
// A report: the figures of each (period, group) cell, the periodic demand analysis and the list
// of targets needing attention, built from a fact table and rendered as JSON, CSV or HTML.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "metrics/aggregate.hpp"
#include "metrics/report_words.hpp"

namespace crm::detail {

struct Distribution {
  int64_t count = 0;
  double mean = 0, median = 0, p90 = 0;
};

// One row: a period's total (group empty) or one group of it; period -1 is the whole range.
struct FigureRow {
  int32_t period = -1;
  std::vector<std::string> group;  // one value per grouping dimension; empty for a total
  std::vector<int64_t> counters;   // Aggregation's layout
  Distribution first_response;
};

// Figures of a row (null when the denominator is zero).
struct Rate {
  int64_t numerator = 0, denominator = 0;
  bool defined() const { return denominator > 0; }
  double value() const { return static_cast<double>(numerator) / static_cast<double>(denominator); }
};

// A goal judged on one period of its own kind (a quarter for a quarterly goal, whatever the
// report's periods): `complete` once the period has ended at the report instant, else to date.
struct GoalPeriodRow {
  std::string label;
  int64_t from = 0, to = 0;
  bool complete = false;
  Rate value;
};

struct GoalInfo {
  std::string metric, period, target, description;
  PeriodKind kind = PeriodKind::month;
  double min = 0;
  std::vector<GoalPeriodRow> rows;  // the goal's own periods overlapping the report's range
  bool met(const Rate& v) const { return v.value() >= min; }
};

struct CountEntry {
  std::string name;
  int64_t count = 0;
};

struct AttentionItem {
  std::string demand, title, target, owner, department;
  uint8_t status = 0;
  int64_t due = 0;
};

struct Analysis {
  std::vector<CountEntry> by_category, by_nature, by_channel, by_urgency;
  int64_t received = 0, assessed = 0, merged = 0;
  int64_t feasible[3][2] = {};  // technical, economic, time: {no, yes}
  int64_t valued = 0;
  double value_mean = 0;
  struct Open {
    std::string demand, title, owner;
    double value;
  };
  std::vector<Open> largest_open;
  struct Owner {
    std::string owner;
    int64_t missed = 0, breached_open = 0;
  };
  std::vector<Owner> accountability;
};

struct Report {
  std::string policy_name, policy_version, time_zone;
  int64_t at = 0, from = 0, to = 0;
  PeriodKind kind = PeriodKind::month;
  std::vector<Dimension> by;
  std::vector<std::string> period_labels;
  std::vector<int64_t> period_from, period_to;  // UTC instants
  std::vector<int32_t> period_offset;           // UTC offset at each period's start (local rendering)
  std::vector<std::string> target_names;
  std::vector<GoalInfo> goals;
  std::vector<FigureRow> rows;  // per period: its total, then its groups; then the whole range likewise
  Analysis analysis;
  std::vector<AttentionItem> attention;
};

Rate goal_value(const Report& r, const FigureRow& row, size_t goal);
// A goal is judged on rows of its own period kind only; other rows show its value unjudged.
bool judged_on_row(const Report& r, const FigureRow& row, size_t goal);
// Among demands received in the row's periods and not merged into another (a duplicate counts once,
// in the demand it was merged into), the share resolved at the report instant.
Rate completion(const FigureRow& row);
Rate timeliness(const FigureRow& row);

std::string report_json(const Report& report);
std::string report_csv(const Report& report);
std::string report_html(const Report& report, ReportLocale locale);

}  // namespace crm::detail
