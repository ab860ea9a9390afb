// SPDX-License-Identifier: Apache-2.0
// The report's rows as CSV (RFC 4180) for spreadsheets: one line per (period, group) row. The
// byte order mark Excel needs is the caller's (report.cpp, csv_bom).
#include "ledger/replay.hpp"
#include "metrics/report_format.hpp"

namespace crm::detail {

namespace {

void field(std::string& out, std::string_view text) {
  if (!out.empty() && out.back() != '\n') out += ',';
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// A cell of text from the ledger or the policy (a period, a group's value, a goal's name). One a
// spreadsheet would read as a formula (= + - @, or a tab or carriage return before one) gets a
// leading apostrophe, so that "=HYPERLINK(...)" in an owner's name stays text (OWASP's advice).
void text(std::string& out, std::string_view value) {
  if (!value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos)
    return field(out, "'" + std::string(value));
  field(out, value);
}

void number(std::string& out, int64_t n) { field(out, std::to_string(n)); }
void ratio(std::string& out, Rate r) { field(out, r.defined() ? fixed(r.value(), 4) : std::string()); }

}  // namespace

std::string report_csv(const Report& r) {
  std::string out;
  for (const char* h : {"period", "from", "to"}) field(out, h);
  for (Dimension d : r.by) field(out, dimension_name(d));
  for (const char* h : {"received", "resolved", "completion_rate", "with_resolution_target", "resolved_within_target",
                        "within_target_rate", "open_at_end", "reopened", "merged", "targets_pending", "targets_at_risk",
                        "targets_met", "targets_met_late", "targets_breached", "targets_cancelled", "targets_provisional", "timeliness_decided",
                        "timeliness_on_time", "timeliness_rate"})
    field(out, h);
  for (const std::string& t : r.target_names) text(out, "timeliness_rate_" + t);
  for (const char* h : {"feedback", "satisfaction_mean", "satisfaction_rate", "resolved_in_period", "response_rate",
                        "first_response_count", "first_response_mean_hours", "first_response_median_hours",
                        "first_response_p90_hours"})
    field(out, h);
  for (const GoalInfo& g : r.goals) {
    text(out, "goal " + goal_label(g) + " >= " + fixed(g.min, 2));
    text(out, "goal " + goal_label(g) + " met (per " + g.period + ")");
  }
  out += "\r\n";
  for (const FigureRow& row : r.rows) {
    const int64_t* c = row.counters.data();
    text(out, row_period(r, row));
    const size_t p = row.period < 0 ? 0 : static_cast<size_t>(row.period);
    const int32_t offset = r.period_offset.empty() ? 0 : r.period_offset[p];
    field(out, format_local_iso(row.period < 0 ? r.from : r.period_from[p], offset));
    field(out, format_local_iso(row.period < 0 ? r.to : r.period_to[p], offset));
    for (size_t i = 0; i < r.by.size(); ++i) text(out, row.group.empty() ? std::string_view("(all)") : std::string_view(row.group[i]));
    number(out, c[kReceived]);
    number(out, c[kResolved]);
    ratio(out, completion(row));
    number(out, c[kWithResolutionTarget]);
    number(out, c[kResolvedWithinTarget]);
    ratio(out, {c[kResolvedWithinTarget], c[kWithResolutionTarget]});
    number(out, c[kOpenAtEnd]);
    number(out, c[kReopened]);
    number(out, c[kMerged]);
    for (size_t s = 0; s < 6; ++s) number(out, c[kTargetStatus + s]);
    number(out, c[kTargetsProvisional]);
    const Rate t = timeliness(row);
    number(out, t.denominator);
    number(out, t.numerator);
    ratio(out, t);
    for (size_t i = 0; i < r.target_names.size(); ++i) ratio(out, {c[kFixedCounters + 2 * i + 1], c[kFixedCounters + 2 * i]});
    number(out, c[kFeedback]);
    field(out, c[kFeedback] ? fixed(static_cast<double>(c[kFeedbackSum]) / static_cast<double>(c[kFeedback]), 4) : std::string());
    ratio(out, {c[kSatisfied], c[kFeedback]});
    number(out, c[kResolvedInPeriod]);
    ratio(out, {c[kResolvedWithFeedback], c[kResolvedInPeriod]});
    number(out, row.first_response.count);
    for (double v : {row.first_response.mean, row.first_response.median, row.first_response.p90})
      field(out, row.first_response.count ? fixed(v, 2) : std::string());
    for (size_t g = 0; g < r.goals.size(); ++g) {
      const Rate v = goal_value(r, row, g);
      ratio(out, v);
      // Judged only on rows of the goal's own period; empty elsewhere and without data.
      field(out, judged_on_row(r, row, g) && v.defined() ? (r.goals[g].met(v) ? "yes" : "no") : "");
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace crm::detail
