// SPDX-License-Identifier: Apache-2.0
// The report as one self-contained HTML page: inline CSS and SVG charts, no script, no network.
#include <algorithm>
#include <optional>

#include "ledger/replay.hpp"
#include "metrics/report_chart.hpp"
#include "metrics/report_format.hpp"

namespace crm::detail {

namespace {


// The goal drawn as a line for a metric: the first one without a target or condition.
const GoalInfo* goal_for(const Report& r, const char* metric) {
  for (const GoalInfo& g : r.goals)
    if (g.metric == metric && g.target.empty()) return &g;
  return nullptr;
}

std::optional<double> goal_min(const GoalInfo* g) { return g ? std::optional<double>(g->min) : std::nullopt; }

std::string group_label(const FigureRow& row) {
  std::string label;
  for (const std::string& v : row.group) label += (label.empty() ? "" : " / ") + v;
  return label;
}

// Timeliness, completion and satisfaction per period, every period of the report on the x axis
// (a period without data is a gap, not a zero).
std::string trend_chart(const Report& r, const std::vector<const FigureRow*>& totals) {
  std::vector<LineSeries> series = {{"Timeliness", series_color(0), {}, goal_min(goal_for(r, "timeliness"))},
                                    {"Completion", series_color(4), {}, goal_min(goal_for(r, "completion"))},
                                    {"Satisfaction (score ≥ 4)", series_color(2), {}, goal_min(goal_for(r, "satisfaction"))}};
  for (LineSeries& s : series) s.points.resize(r.period_labels.size());
  for (const FigureRow* row : totals) {
    const auto p = static_cast<size_t>(row->period);
    const int64_t* c = row->counters.data();
    series[0].points[p] = timeliness(*row);
    series[1].points[p] = completion(*row);
    series[2].points[p] = {c[kSatisfied], c[kFeedback]};
  }
  return line_chart(r.period_labels, series, "Trend against goals");
}

// Timeliness per period of the (up to) ten groups with the most demands received.
std::string group_trend_chart(const Report& r, const std::vector<const FigureRow*>& groups) {
  std::vector<const FigureRow*> shown = groups;
  std::stable_sort(shown.begin(), shown.end(), [](const FigureRow* a, const FigureRow* b) {
    return a->counters[kReceived] > b->counters[kReceived];
  });
  if (shown.size() > 10) shown.resize(10);
  std::vector<LineSeries> series;
  for (const FigureRow* g : shown) {
    series.push_back({group_label(*g), series_color(series.size()), std::vector<Rate>(r.period_labels.size()), std::nullopt});
    for (const FigureRow& row : r.rows)
      if (row.period >= 0 && row.group == g->group) series.back().points[static_cast<size_t>(row.period)] = timeliness(row);
  }
  if (!series.empty()) series.front().goal = goal_min(goal_for(r, "timeliness"));
  return line_chart(r.period_labels, series, "Timeliness per period by group");
}

std::string bars_of(const Report& r, const std::vector<const FigureRow*>& groups) {
  std::vector<Bar> bars;
  for (const FigureRow* row : groups) {
    const Rate t = timeliness(*row);
    bars.push_back({group_label(*row), t,
                    "of " + std::to_string(t.denominator) + " · received " + std::to_string(row->counters[kReceived])});
  }
  return bar_chart(bars, goal_min(goal_for(r, "timeliness")), "Timeliness by group");
}

std::string cell(Rate rate, const GoalInfo* goal) {
  if (!rate.defined()) return "<td class='n'>–</td>";
  const bool missed = goal && rate.value() < goal->min;
  return std::string("<td class='n") + (missed ? " miss" : "") + "'>" + percent(rate) + "%</td>";
}

// Each goal judged on its own periods: how many met, which missed, and the latest period.
void goals_table(std::string& out, const Report& r) {
  if (r.goals.empty()) return;
  out += "<h2>Goals, each judged on its own period</h2>\n<table><tr><th>Goal</th><th>Per</th><th>Min</th><th>Met</th>"
         "<th>Missed</th><th>Latest</th></tr>\n";
  for (const GoalInfo& g : r.goals) {
    const bool mean = g.metric == "satisfaction_mean";
    const auto value = [&](const Rate& v) { return mean ? fixed(v.value(), 2) : percent(v) + "%"; };
    size_t judged = 0, met = 0;
    std::string missed, latest = "–";
    for (const GoalPeriodRow& row : g.rows) {
      if (!row.value.defined()) continue;
      latest = html_escape(row.label) + (row.complete ? "" : " to date") + ": " + value(row.value);
      if (!row.complete) continue;  // judged once the period is over
      ++judged;
      if (g.met(row.value)) ++met;
      else missed += (missed.empty() ? "" : ", ") + html_escape(row.label) + " (" + value(row.value) + ")";
    }
    out += "<tr><td>" + html_escape(goal_label(g)) + "</td><td>" + html_escape(g.period) + "</td><td class='n'>" +
           (mean ? fixed(g.min, 2) : fixed(g.min * 100, 0) + "%") + "</td><td class='n'>" + std::to_string(met) + " of " +
           std::to_string(judged) + "</td><td" + (missed.empty() ? ">–" : " class='miss'>" + missed) + "</td><td>" + latest +
           "</td></tr>\n";
  }
  out += "</table>\n<p class='note'>A goal is judged on whole periods of its own kind (a quarterly goal on quarters); "
         "Met and missed count the periods that are over at the report instant; the latest may be to date.</p>\n";
}

}  // namespace

std::string report_html(const Report& r) {
  std::vector<const FigureRow*> totals, overall_groups;
  const FigureRow* overall = nullptr;
  for (const FigureRow& row : r.rows) {
    if (row.period >= 0 && row.group.empty()) totals.push_back(&row);
    if (row.period < 0 && row.group.empty()) overall = &row;
    if (row.period < 0 && !row.group.empty()) overall_groups.push_back(&row);
  }
  const std::string title = "Customer demand report — " + r.policy_name + " " + r.policy_version;
  // The page's words are English until reports are translated (issue 19 §1): lang says so.
  std::string out =
      "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
      "<meta name='viewport' content='width=device-width, initial-scale=1'><title>" + html_escape(title) +
      "</title>\n<style>body{font-family:'Noto Sans CJK SC','Noto Sans',sans-serif;margin:24px;color:#222}"
      "svg{display:block;width:100%;height:auto;max-width:1400px}"
      "table{border-collapse:collapse;margin:8px 0 20px}th,td{border:1px solid #ccc;padding:3px 8px;font-size:13px}"
      "th{background:#f3f3f3}td.n{text-align:right}td.miss{color:#b00;font-weight:bold}h2{margin-top:28px}"
      ".note{color:#666;font-size:12px}"
      "@media print{@page{size:A4;margin:12mm}body{margin:0;font-size:11px}svg{max-width:100%}"
      "h2{break-after:avoid}tr,svg{break-inside:avoid}th,td{font-size:10px;padding:2px 4px}}"
      "</style></head><body>\n<h1>" + html_escape(title) + "</h1>\n";
  const int32_t offset = r.period_offset.empty() ? 0 : r.period_offset.front();
  out += "<p class='note'>Report at " + format_local_iso(r.at, offset) + " (" + html_escape(r.time_zone) + "), periods: " +
         period_kind_name(r.kind) + ", from " + format_local_iso(r.from, offset) + " to " + format_local_iso(r.to, offset) +
         ". Rates in red miss a goal set per " +
         std::string(period_kind_name(r.kind)) + "; a gap in a line is a period without data.</p>\n";

  out += "<h2>Trend against goals</h2>\n" + trend_chart(r, totals);

  const GoalInfo *g_time = goal_for(r, "timeliness"), *g_done = goal_for(r, "completion"),
                 *g_sat = goal_for(r, "satisfaction"), *g_resp = goal_for(r, "response_rate");
  bool any_provisional = false;
  // A rate is marked only on rows of its goal's own period kind (issue 14 §1).
  const auto judged = [&](const GoalInfo* g, const FigureRow& row) { return g && row.period >= 0 && g->kind == r.kind ? g : nullptr; };
  const auto figures_table = [&](const char* first, const std::vector<const FigureRow*>& rows, bool by_group) {
    out += std::string("<table><tr><th>") + first + "</th><th>Received</th><th>Open at end</th><th>Timeliness</th>"
           "<th>Completion</th><th>Within target</th><th>Satisfaction</th><th>Mean score</th><th>Response rate</th>"
           "<th>First response (median h)</th><th>Breached</th></tr>\n";
    for (const FigureRow* row : rows) {
      const int64_t* c = row->counters.data();
      const bool provisional = c[kTargetsProvisional] > 0;  // marked: its figures may move with the year's notice
      any_provisional |= provisional;
      out += "<tr><td>" + html_escape(by_group ? group_label(*row) : row_period(r, *row)) + (provisional ? " †" : "") +
             "</td><td class='n'>" + std::to_string(c[kReceived]) + "</td><td class='n'>" + std::to_string(c[kOpenAtEnd]) +
             "</td>" + cell(timeliness(*row), judged(g_time, *row)) + cell(completion(*row), judged(g_done, *row)) +
             cell({c[kResolvedWithinTarget], c[kWithResolutionTarget]}, nullptr) +
             cell({c[kSatisfied], c[kFeedback]}, judged(g_sat, *row)) + "<td class='n'>" +
             (c[kFeedback] ? fixed(static_cast<double>(c[kFeedbackSum]) / static_cast<double>(c[kFeedback]), 2) : "–") +
             "</td>" + cell({c[kFeedback], c[kResolvedInPeriod]}, judged(g_resp, *row)) + "<td class='n'>" +
             (row->first_response.count ? fixed(row->first_response.median, 1) : "–") + "</td><td class='n'>" +
             std::to_string(c[kTargetStatus + size_t(TargetStatus::breached)] + c[kTargetStatus + size_t(TargetStatus::met_late)]) +
             "</td></tr>\n";
    }
    out += "</table>\n";
  };
  if (!overall_groups.empty()) {
    std::string by;
    for (Dimension d : r.by) by += (by.empty() ? "" : " × ") + std::string(dimension_name(d));
    out += "<h2>Timeliness by " + html_escape(by) + "</h2>\n" + bars_of(r, overall_groups);
    figures_table("Group", overall_groups, true);
    out += "<h2>Timeliness per period by " + html_escape(by) + "</h2>\n" + group_trend_chart(r, overall_groups);
    if (overall_groups.size() > 10)
      out += "<p class='note'>The 10 groups with the most demands received, of " + std::to_string(overall_groups.size()) +
             ".</p>\n";
  }

  out += "<h2>Figures per period</h2>\n";
  std::vector<const FigureRow*> table_rows = totals;
  if (overall) table_rows.push_back(overall);
  figures_table("Period", table_rows, false);
  if (any_provisional)
    out += "<p class='note'>† Some targets of the period are due after the calendar's official holiday data ends: their "
           "due times are provisional (statutory holidays by law, make-up working days not yet published).</p>\n";

  goals_table(out, r);

  out += "<h2>Breached and at-risk targets</h2>\n";
  if (r.attention.empty()) out += "<p>None.</p>\n";
  else {
    out += "<table><tr><th>Demand</th><th>Title</th><th>Target</th><th>Status</th><th>Due</th><th>Owner</th><th>Department</th></tr>\n";
    for (const AttentionItem& i : r.attention)
      out += "<tr><td>" + html_escape(i.demand) + "</td><td>" + html_escape(i.title) + "</td><td>" + html_escape(i.target) + "</td><td" +
             (i.status == uint8_t(TargetStatus::breached) ? " class='miss'" : "") + ">" +
             target_status_name(static_cast<TargetStatus>(i.status)) + "</td><td>" + format_local_iso(i.due, offset) +
             "</td><td>" + html_escape(i.owner) + "</td><td>" + html_escape(i.department) + "</td></tr>\n";
    out += "</table>\n";
  }

  const Analysis& a = r.analysis;
  out += "<h2>Demand analysis</h2>\n<p>" + std::to_string(a.received) + " demands received; " + std::to_string(a.merged) +
         " merged as duplicates; " + std::to_string(a.assessed) + " assessed" +
         (a.valued ? ", mean value " + fixed(a.value_mean, 1) + " / 10" : std::string()) + ".</p>\n<table><tr>";
  const std::pair<const char*, const std::vector<CountEntry>*> tables[] = {
      {"Category", &a.by_category}, {"Nature", &a.by_nature}, {"Channel", &a.by_channel}, {"Urgency", &a.by_urgency}};
  for (const auto& [name, entries] : tables) {
    out += "<td style='vertical-align:top;border:none'><table><tr><th>" + std::string(name) + "</th><th>Demands</th></tr>";
    for (const CountEntry& e : *entries)
      out += "<tr><td>" + html_escape(e.name) + "</td><td class='n'>" + std::to_string(e.count) + "</td></tr>";
    out += "</table></td>";
  }
  out += "</tr></table>\n<h2>Accountability: missed deadlines per owner</h2>\n<table><tr><th>Owner</th><th>Missed</th><th>Still breached</th></tr>\n";
  for (const auto& o : a.accountability)
    out += "<tr><td>" + html_escape(o.owner) + "</td><td class='n'>" + std::to_string(o.missed) + "</td><td class='n'>" +
           std::to_string(o.breached_open) + "</td></tr>\n";
  out += "</table>\n<h2>Largest open demands by assessed value</h2>\n<table><tr><th>Demand</th><th>Title</th><th>Owner</th><th>Value</th></tr>\n";
  for (const auto& o : a.largest_open)
    out += "<tr><td>" + html_escape(o.demand) + "</td><td>" + html_escape(o.title) + "</td><td>" + html_escape(o.owner) +
           "</td><td class='n'>" + fixed(o.value, 1) + "</td></tr>\n";
  out += "</table>\n</body></html>\n";
  return out;
}

}  // namespace crm::detail
