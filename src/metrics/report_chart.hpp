// SPDX-License-Identifier: Apache-2.0
// SVG charts of a report's rates, drawn so that they tell the truth: the y axis covers every value
// and goal shown (from 50% only when nothing lies below, and then marked), empty periods are gaps,
// axis labels thin out to stay apart, and nothing is drawn outside the chart's viewBox.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/report.hpp"
#include "metrics/report_words.hpp"

namespace crm::detail {

// The width of `text` set at `font_size` px, estimated as a sans-serif font sets it: East Asian
// wide characters one em, everything else 0.6 em (a little more than Noto Sans's average).
double text_width(std::string_view utf8, double font_size);

// `text` cut to at most `width` px at `font_size`, ending in "…" when cut.
std::string fit_text(std::string_view utf8, double font_size, double width);

struct LineSeries {
  std::string name;
  std::string color;
  std::vector<Rate> points;  // one per label; undefined = no data, drawn as a gap
  std::optional<double> goal;  // a minimum rate, drawn dashed
};

// Rates per period as lines. Every point is a circle with data-v (its value) and a <title>;
// gridlines carry class='grid' and data-v.
std::string line_chart(const std::vector<std::string>& labels, const std::vector<LineSeries>& series,
                       std::string_view aria_label, const PageWords& words = page_words(ReportLocale::en));

struct Bar {
  std::string label;
  Rate value;
  std::string note;  // after the value: "of 12 · received 30"
};

// One horizontal bar per group on a 0-100% axis; bars under the goal are red.
std::string bar_chart(const std::vector<Bar>& bars, std::optional<double> goal, std::string_view aria_label,
                      const PageWords& words = page_words(ReportLocale::en));

// Ten colours that stay apart for lines (Tableau 10).
const char* series_color(size_t i);

}  // namespace crm::detail
