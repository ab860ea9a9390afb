// SPDX-License-Identifier: Apache-2.0
// The report as one self-contained HTML page: inline CSS and SVG charts, no script, no network.
#include <algorithm>

#include "ledger/replay.hpp"
#include "metrics/report_format.hpp"

namespace crm::detail {

namespace {

std::string escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

struct Series {
  const char* name;
  const char* color;
  std::vector<Rate> points;
  const GoalInfo* goal;
};

// The goal drawn as a line for a metric: the first one without a target or condition.
const GoalInfo* goal_for(const Report& r, const char* metric) {
  for (const GoalInfo& g : r.goals)
    if (g.metric == metric && g.target.empty()) return &g;
  return nullptr;
}

void trend_chart(std::string& out, const Report& r, const std::vector<const FigureRow*>& totals) {
  const int width = 760, height = 260, left = 48, right = 150, top = 16, bottom = 40;
  const int plot_w = width - left - right, plot_h = height - top - bottom;
  std::vector<Series> series = {{"Timeliness", "#1f77b4", {}, goal_for(r, "timeliness")},
                                {"Completion", "#2ca02c", {}, goal_for(r, "completion")},
                                {"Satisfaction (score ≥ 4)", "#d62728", {}, goal_for(r, "satisfaction")}};
  for (const FigureRow* row : totals) {
    const int64_t* c = row->counters.data();
    series[0].points.push_back(timeliness(*row));
    series[1].points.push_back(completion(*row));
    series[2].points.push_back({c[kSatisfied], c[kFeedback]});
  }
  const size_t n = totals.size();
  const auto x = [&](size_t i) { return left + (n <= 1 ? plot_w / 2 : static_cast<int>(i * plot_w / (n - 1))); };
  // The axis spans 50-100 %: the figures a policy sets goals for live there.
  const auto y = [&](double v) { return top + static_cast<int>((1.0 - (std::max(v, 0.5) - 0.5) / 0.5) * plot_h); };
  out += "<svg xmlns='http://www.w3.org/2000/svg' width='" + std::to_string(width) + "' height='" + std::to_string(height) +
         "' role='img' aria-label='Monthly trend'>\n";
  for (int pct = 50; pct <= 100; pct += 10) {
    const int yy = y(pct / 100.0);
    out += "<line x1='" + std::to_string(left) + "' x2='" + std::to_string(left + plot_w) + "' y1='" + std::to_string(yy) +
           "' y2='" + std::to_string(yy) + "' stroke='#ddd'/><text x='" + std::to_string(left - 6) + "' y='" +
           std::to_string(yy + 4) + "' text-anchor='end' font-size='11'>" + std::to_string(pct) + "%</text>\n";
  }
  for (size_t i = 0; i < n; ++i)
    out += "<text x='" + std::to_string(x(i)) + "' y='" + std::to_string(top + plot_h + 16) +
           "' text-anchor='middle' font-size='10'>" + escape(row_period(r, *totals[i])) + "</text>\n";
  int legend_y = top + 10;
  for (const Series& s : series) {
    if (s.goal)
      out += "<line x1='" + std::to_string(left) + "' x2='" + std::to_string(left + plot_w) + "' y1='" +
             std::to_string(y(s.goal->min)) + "' y2='" + std::to_string(y(s.goal->min)) + "' stroke='" + s.color +
             "' stroke-dasharray='6 4' stroke-width='1'/>\n";
    std::string path;
    for (size_t i = 0; i < n; ++i) {
      if (!s.points[i].defined()) continue;
      path += (path.empty() ? "M" : " L") + std::to_string(x(i)) + " " + std::to_string(y(s.points[i].value()));
      out += "<circle cx='" + std::to_string(x(i)) + "' cy='" + std::to_string(y(s.points[i].value())) + "' r='3' fill='" +
             s.color + "'><title>" + escape(s.name) + " " + escape(row_period(r, *totals[i])) + ": " + percent(s.points[i]) +
             "%</title></circle>\n";
    }
    if (!path.empty()) out += "<path d='" + path + "' fill='none' stroke='" + s.color + "' stroke-width='2'/>\n";
    out += "<line x1='" + std::to_string(left + plot_w + 12) + "' x2='" + std::to_string(left + plot_w + 32) + "' y1='" +
           std::to_string(legend_y) + "' y2='" + std::to_string(legend_y) + "' stroke='" + s.color +
           "' stroke-width='2'/><text x='" + std::to_string(left + plot_w + 36) + "' y='" + std::to_string(legend_y + 4) +
           "' font-size='11'>" + escape(s.name) + "</text>\n";
    if (s.goal)
      out += "<text x='" + std::to_string(left + plot_w + 36) + "' y='" + std::to_string(legend_y + 18) +
             "' font-size='10' fill='#666'>goal ≥ " + percent({static_cast<int64_t>(s.goal->min * 1000), 1000}) +
             "% (dashed)</text>\n";
    legend_y += 40;
  }
  out += "</svg>\n";
}

void bar_chart(std::string& out, const Report& r, const std::vector<const FigureRow*>& groups) {
  const int bar_h = 20, gap = 6, left = 170, plot_w = 440;
  const int height = static_cast<int>(groups.size()) * (bar_h + gap) + 24;
  const GoalInfo* goal = goal_for(r, "timeliness");
  out += "<svg xmlns='http://www.w3.org/2000/svg' width='760' height='" + std::to_string(height) +
         "' role='img' aria-label='Timeliness by group'>\n";
  int yy = 4;
  for (const FigureRow* row : groups) {
    const Rate t = timeliness(*row);
    const int w = t.defined() ? static_cast<int>(t.value() * plot_w) : 0;
    const bool missed = goal && t.defined() && t.value() < goal->min;
    std::string label;
    for (const std::string& v : row->group) label += (label.empty() ? "" : " / ") + v;
    out += "<text x='" + std::to_string(left - 8) + "' y='" + std::to_string(yy + 15) +
           "' text-anchor='end' font-size='12'>" + escape(label) + "</text>";
    out += "<rect x='" + std::to_string(left) + "' y='" + std::to_string(yy) + "' width='" + std::to_string(w) +
           "' height='" + std::to_string(bar_h) + "' fill='" + (missed ? "#d62728" : "#1f77b4") + "'/>";
    out += "<text x='" + std::to_string(left + w + 6) + "' y='" + std::to_string(yy + 15) + "' font-size='11'>" +
           (t.defined() ? percent(t) + "%" : std::string("n/a")) + " of " + std::to_string(t.denominator) +
           " · received " + std::to_string(row->counters[kReceived]) + "</text>\n";
    yy += bar_h + gap;
  }
  if (goal) {
    const int gx = left + static_cast<int>(goal->min * plot_w);
    out += "<line x1='" + std::to_string(gx) + "' x2='" + std::to_string(gx) + "' y1='0' y2='" + std::to_string(yy) +
           "' stroke='#333' stroke-dasharray='4 3'/><text x='" + std::to_string(gx) + "' y='" + std::to_string(yy + 14) +
           "' text-anchor='middle' font-size='10'>goal " + fixed(goal->min * 100, 0) + "%</text>\n";
  }
  out += "</svg>\n";
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
      latest = escape(row.label) + (row.complete ? "" : " to date") + ": " + value(row.value);
      if (!row.complete) continue;  // judged once the period is over
      ++judged;
      if (g.met(row.value)) ++met;
      else missed += (missed.empty() ? "" : ", ") + escape(row.label) + " (" + value(row.value) + ")";
    }
    out += "<tr><td>" + escape(goal_label(g)) + "</td><td>" + escape(g.period) + "</td><td class='n'>" +
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
  std::string out =
      "<!DOCTYPE html>\n<html lang='zh-CN'><head><meta charset='utf-8'><title>" + escape(title) +
      "</title>\n<style>body{font-family:'Noto Sans CJK SC','Noto Sans',sans-serif;margin:24px;color:#222;max-width:1100px}"
      "table{border-collapse:collapse;margin:8px 0 20px}th,td{border:1px solid #ccc;padding:3px 8px;font-size:13px}"
      "th{background:#f3f3f3}td.n{text-align:right}td.miss{color:#b00;font-weight:bold}h2{margin-top:28px}"
      ".note{color:#666;font-size:12px}</style></head><body>\n<h1>" + escape(title) + "</h1>\n";
  const int32_t offset = r.period_offset.empty() ? 0 : r.period_offset.front();
  out += "<p class='note'>Report at " + format_local_iso(r.at, offset) + " (" + escape(r.time_zone) + "), periods: " +
         period_kind_name(r.kind) + ", from " + format_local_iso(r.from, offset) + " to " + format_local_iso(r.to, offset) +
         ". Rates in red miss a goal set per " +
         std::string(period_kind_name(r.kind)) + ".</p>\n";

  out += "<h2>Trend against goals</h2>\n";
  trend_chart(out, r, totals);
  if (!overall_groups.empty()) {
    std::string by;
    for (Dimension d : r.by) by += (by.empty() ? "" : " × ") + std::string(dimension_name(d));
    out += "<h2>Timeliness by " + escape(by) + "</h2>\n";
    bar_chart(out, r, overall_groups);
  }

  const GoalInfo *g_time = goal_for(r, "timeliness"), *g_done = goal_for(r, "completion"),
                 *g_sat = goal_for(r, "satisfaction"), *g_resp = goal_for(r, "response_rate");
  out += "<h2>Figures per period</h2>\n<table><tr><th>Period</th><th>Received</th><th>Open at end</th><th>Timeliness</th>"
         "<th>Completion</th><th>Within target</th><th>Satisfaction</th><th>Mean score</th><th>Response rate</th>"
         "<th>First response (median h)</th><th>Breached</th></tr>\n";
  std::vector<const FigureRow*> table_rows = totals;
  if (overall) table_rows.push_back(overall);
  bool any_provisional = false;
  // A rate is marked only on rows of its goal's own period kind (issue 14 §1).
  const auto judged = [&](const GoalInfo* g, const FigureRow& row) { return g && row.period >= 0 && g->kind == r.kind ? g : nullptr; };
  for (const FigureRow* row : table_rows) {
    const int64_t* c = row->counters.data();
    const bool provisional = c[kTargetsProvisional] > 0;  // marked: its figures may move with the year's notice
    any_provisional |= provisional;
    out += "<tr><td>" + escape(row_period(r, *row)) + (provisional ? " †" : "") + "</td><td class='n'>" + std::to_string(c[kReceived]) +
           "</td><td class='n'>" + std::to_string(c[kOpenAtEnd]) + "</td>" + cell(timeliness(*row), judged(g_time, *row)) +
           cell(completion(*row), judged(g_done, *row)) + cell({c[kResolvedWithinTarget], c[kWithResolutionTarget]}, nullptr) +
           cell({c[kSatisfied], c[kFeedback]}, judged(g_sat, *row)) + "<td class='n'>" +
           (c[kFeedback] ? fixed(static_cast<double>(c[kFeedbackSum]) / static_cast<double>(c[kFeedback]), 2) : "–") +
           "</td>" + cell({c[kFeedback], c[kResolvedInPeriod]}, judged(g_resp, *row)) + "<td class='n'>" +
           (row->first_response.count ? fixed(row->first_response.median, 1) : "–") + "</td><td class='n'>" +
           std::to_string(c[kTargetStatus + size_t(TargetStatus::breached)] + c[kTargetStatus + size_t(TargetStatus::met_late)]) +
           "</td></tr>\n";
  }
  out += "</table>\n";
  if (any_provisional)
    out += "<p class='note'>† Some targets of the period are due after the calendar's official holiday data ends: their "
           "due times are provisional (statutory holidays by law, make-up working days not yet published).</p>\n";

  goals_table(out, r);

  out += "<h2>Breached and at-risk targets</h2>\n";
  if (r.attention.empty()) out += "<p>None.</p>\n";
  else {
    out += "<table><tr><th>Demand</th><th>Title</th><th>Target</th><th>Status</th><th>Due</th><th>Owner</th><th>Department</th></tr>\n";
    for (const AttentionItem& i : r.attention)
      out += "<tr><td>" + escape(i.demand) + "</td><td>" + escape(i.title) + "</td><td>" + escape(i.target) + "</td><td" +
             (i.status == uint8_t(TargetStatus::breached) ? " class='miss'" : "") + ">" +
             target_status_name(static_cast<TargetStatus>(i.status)) + "</td><td>" + format_local_iso(i.due, offset) +
             "</td><td>" + escape(i.owner) + "</td><td>" + escape(i.department) + "</td></tr>\n";
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
      out += "<tr><td>" + escape(e.name) + "</td><td class='n'>" + std::to_string(e.count) + "</td></tr>";
    out += "</table></td>";
  }
  out += "</tr></table>\n<h2>Accountability: missed deadlines per owner</h2>\n<table><tr><th>Owner</th><th>Missed</th><th>Still breached</th></tr>\n";
  for (const auto& o : a.accountability)
    out += "<tr><td>" + escape(o.owner) + "</td><td class='n'>" + std::to_string(o.missed) + "</td><td class='n'>" +
           std::to_string(o.breached_open) + "</td></tr>\n";
  out += "</table>\n<h2>Largest open demands by assessed value</h2>\n<table><tr><th>Demand</th><th>Title</th><th>Owner</th><th>Value</th></tr>\n";
  for (const auto& o : a.largest_open)
    out += "<tr><td>" + escape(o.demand) + "</td><td>" + escape(o.title) + "</td><td>" + escape(o.owner) +
           "</td><td class='n'>" + fixed(o.value, 1) + "</td></tr>\n";
  out += "</table>\n</body></html>\n";
  return out;
}

}  // namespace crm::detail
