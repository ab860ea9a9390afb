// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the CSV and HTML renderings of a report.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "core/civil_date.hpp"
#include "metrics/report.hpp"

namespace crm::detail {

inline std::string row_period(const Report& r, const FigureRow& row) {
  return row.period < 0 ? std::string("all") : r.period_labels[static_cast<size_t>(row.period)];
}

// Text for HTML and SVG: & < > " and ' escaped.
inline std::string html_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

// A rate as a percentage with one decimal ("95.2"), or "" when undefined.
inline std::string percent(Rate rate) {
  if (!rate.defined()) return {};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", 100.0 * rate.value());
  return buf;
}

inline std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// "timeliness", "timeliness first_response", ...: how a goal is named in tables.
inline std::string goal_label(const GoalInfo& g) { return g.target.empty() ? g.metric : g.metric + " " + g.target; }

}  // namespace crm::detail
