// SPDX-License-Identifier: Apache-2.0
// The words of a rendered report (HTML) in Simplified Chinese or English: the page's own headings
// and sentences, and one catalogue for the library's vocabulary (target statuses, channels,
// categories, natures, urgencies, dimensions, period kinds, metrics and the sample policy's target
// and tier names). JSON and CSV keep their machine names; error messages stay English (API).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace crm::detail {

enum class ReportLocale : uint8_t { en, zh_cn };

// "en" or "zh-CN"; nullopt for anything else.
std::optional<ReportLocale> parse_report_locale(std::string_view name);

struct PageWords {
  const char *lang, *title, *note, *gap_note, *trend, *by_group, *table_by_group, *trend_by_group, *top_groups,
      *figures_per_period, *provisional_note;
  const char *period, *group, *received, *open_at_end, *timeliness, *completion, *within_target, *satisfaction,
      *mean_score, *response_rate, *first_response_median, *breached;
  const char *goals, *goal, *per, *min, *met, *missed, *latest, *to_date, *met_of, *goals_note;
  const char *attention, *none, *demand, *title_column, *target, *status, *due, *owner, *department;
  const char *analysis, *analysis_sentence, *valued_sentence, *category, *nature, *channel, *urgency, *demands;
  const char *accountability, *still_breached, *largest_open, *value, *all;
  const char *satisfaction_series, *bar_note;  // satisfaction_series: a legend beside the metric terms, cased as they are
  // Charts (report_chart.hpp).
  const char *axis_note, *goal_legend, *goal_mark, *no_data;
};

const PageWords& page_words(ReportLocale locale);

// A term's label in `locale`, or nullptr when the catalogue lacks it.
const char* find_term(ReportLocale locale, std::string_view key);
// A term of the library's vocabulary in `locale` ("breached" → "已超时" / "breached",
// "non_functional" → "非功能性" / "non-functional"); a term the catalogue lacks comes back as it is.
std::string term(ReportLocale locale, std::string_view key);

// `pattern` with each "{}" replaced by the next of `values`.
std::string fill(std::string_view pattern, std::initializer_list<std::string> values);

}  // namespace crm::detail
