// SPDX-License-Identifier: Apache-2.0
// The report as one self-contained HTML page, in Simplified Chinese or English
// (metrics/report_words.hpp): inline CSS and SVG charts, no script, no network; it scales to the
// window and prints to A4.
#include <algorithm>
#include <optional>

#include "ledger/replay.hpp"
#include "metrics/report_chart.hpp"
#include "metrics/report_format.hpp"
#include "metrics/report_words.hpp"

namespace crm::detail {

namespace {

const char* const kStyle =
    "body{font-family:'Noto Sans CJK SC','Noto Sans',sans-serif;margin:24px;color:#222}"
    "svg{display:block;width:100%;height:auto;max-width:1400px}"
    "table{border-collapse:collapse;margin:8px 0 20px;display:block;overflow-x:auto;max-width:100%}"
    "th,td{border:1px solid #ccc;padding:3px 8px;font-size:13px}"
    "th{background:#f3f3f3}td.n{text-align:right}td.miss{color:#b00;font-weight:bold}h2{margin-top:28px}"
    ".note{color:#666;font-size:12px}"
    "@media print{@page{size:A4;margin:12mm}body{margin:0;font-size:11px}svg{max-width:100%}"
    "table{display:table;overflow:visible}h2{break-after:avoid}tr,svg{break-inside:avoid}"
    "th,td{font-size:10px;padding:2px 4px}}";

// The goal drawn as a line for a metric: the first one without a target or condition.
const GoalInfo* goal_for(const Report& r, const char* metric) {
  for (const GoalInfo& g : r.goals)
    if (g.metric == metric && g.target.empty()) return &g;
  return nullptr;
}

std::optional<double> goal_min(const GoalInfo* g) { return g ? std::optional<double>(g->min) : std::nullopt; }

std::string cell(Rate rate, const GoalInfo* goal) {
  if (!rate.defined()) return "<td class='n'>–</td>";
  const bool missed = goal && rate.value() < goal->min;
  return std::string("<td class='n") + (missed ? " miss" : "") + "'>" + percent(rate) + "%</td>";
}

class Page {
 public:
  Page(const Report& r, ReportLocale locale) : r_(r), locale_(locale), w_(page_words(locale)) {
    for (const FigureRow& row : r.rows) {
      if (row.period >= 0 && row.group.empty()) totals_.push_back(&row);
      if (row.period < 0 && row.group.empty()) overall_ = &row;
      if (row.period < 0 && !row.group.empty()) groups_.push_back(&row);
    }
    for (Dimension d : r.by) by_ += (by_.empty() ? "" : " × ") + term(locale, dimension_name(d));
  }

  std::string render() {
    head();
    out_ += "<h2>" + text(w_.trend) + "</h2>\n" + trend_chart();
    if (!groups_.empty()) {
      out_ += "<h2>" + text(fill(w_.by_group, {by_})) + "</h2>\n" + group_bars();
      out_ += "<h2>" + text(fill(w_.table_by_group, {by_})) + "</h2>\n";
      figures_table(w_.group, groups_, true);
      out_ += "<h2>" + text(fill(w_.trend_by_group, {by_})) + "</h2>\n" + group_trend_chart();
      if (groups_.size() > 10)
        out_ += "<p class='note'>" + text(fill(w_.top_groups, {"10", std::to_string(groups_.size())})) + "</p>\n";
    }
    out_ += "<h2>" + text(w_.figures_per_period) + "</h2>\n";
    std::vector<const FigureRow*> rows = totals_;
    if (overall_) rows.push_back(overall_);
    figures_table(w_.period, rows, false);
    if (any_provisional_) out_ += "<p class='note'>" + text(w_.provisional_note) + "</p>\n";
    goals_table();
    attention();
    analysis();
    out_ += "</body></html>\n";
    return std::move(out_);
  }

 private:
  std::string text(std::string_view s) const { return html_escape(s); }
  std::string word(std::string_view key) const { return html_escape(term(locale_, key)); }
  std::string header(std::initializer_list<const char*> names) const {
    std::string h = "<table><tr>";
    for (const char* n : names) h += "<th>" + text(n) + "</th>";
    return h + "</tr>\n";
  }
  // A group's values, those of a classification dimension in the page's words.
  std::string group_label(const FigureRow& row) const {
    std::string label;
    for (size_t i = 0; i < row.group.size(); ++i) {
      const Dimension d = i < r_.by.size() ? r_.by[i] : Dimension::owner;
      const bool vocabulary = d == Dimension::urgency || d == Dimension::category || d == Dimension::nature ||
                              d == Dimension::channel || d == Dimension::customer_tier;
      label += (label.empty() ? "" : " / ") + (vocabulary ? term(locale_, row.group[i]) : row.group[i]);
    }
    return label;
  }
  std::string period_label(const FigureRow& row) const { return row.period < 0 ? std::string(w_.all) : row_period(r_, row); }
  std::string goal_name(const GoalInfo& g) const {
    return term(locale_, g.metric) + (g.target.empty() ? "" : " · " + term(locale_, g.target));
  }

  void head() {
    const std::string title = std::string(w_.title) + " — " + r_.policy_name + " " + r_.policy_version;
    out_ += std::string("<!DOCTYPE html>\n<html lang='") + w_.lang + "'><head><meta charset='utf-8'>" +
            "<meta name='viewport' content='width=device-width, initial-scale=1'><title>" + text(title) +
            "</title>\n<style>" + kStyle + "</style></head><body>\n<h1>" + text(title) + "</h1>\n";
    const std::string kind = term(locale_, period_kind_name(r_.kind));
    out_ += "<p class='note'>" +
            text(fill(w_.note, {format_local_iso(r_.at, offset()), r_.time_zone, kind, format_local_iso(r_.from, offset()),
                                format_local_iso(r_.to, offset()), kind})) +
            " " + text(w_.gap_note) + "</p>\n";
  }
  int32_t offset() const { return r_.period_offset.empty() ? 0 : r_.period_offset.front(); }

  // Timeliness, completion and satisfaction per period, every period of the report on the x axis
  // (a period without data is a gap, not a zero).
  std::string trend_chart() const {
    std::vector<LineSeries> series = {{term(locale_, "timeliness"), series_color(0), {}, goal_min(goal_for(r_, "timeliness"))},
                                      {term(locale_, "completion"), series_color(4), {}, goal_min(goal_for(r_, "completion"))},
                                      {w_.satisfaction_series, series_color(2), {}, goal_min(goal_for(r_, "satisfaction"))}};
    for (LineSeries& s : series) s.points.resize(r_.period_labels.size());
    for (const FigureRow* row : totals_) {
      const auto p = static_cast<size_t>(row->period);
      const int64_t* c = row->counters.data();
      series[0].points[p] = timeliness(*row);
      series[1].points[p] = completion(*row);
      series[2].points[p] = {c[kSatisfied], c[kFeedback]};
    }
    return line_chart(r_.period_labels, series, w_.trend, w_);
  }

  std::string group_bars() const {
    std::vector<Bar> bars;
    for (const FigureRow* row : groups_) {
      const Rate t = timeliness(*row);
      bars.push_back({group_label(*row), t, fill(w_.bar_note, {std::to_string(t.denominator), std::to_string(row->counters[kReceived])})});
    }
    return bar_chart(bars, goal_min(goal_for(r_, "timeliness")), fill(w_.by_group, {by_}), w_);
  }

  // Timeliness per period of the (up to) ten groups with the most demands received.
  std::string group_trend_chart() const {
    std::vector<const FigureRow*> shown = groups_;
    std::stable_sort(shown.begin(), shown.end(), [](const FigureRow* a, const FigureRow* b) {
      return a->counters[kReceived] > b->counters[kReceived];
    });
    if (shown.size() > 10) shown.resize(10);
    std::vector<LineSeries> series;
    for (const FigureRow* g : shown) {
      series.push_back({group_label(*g), series_color(series.size()), std::vector<Rate>(r_.period_labels.size()), std::nullopt});
      for (const FigureRow& row : r_.rows)
        if (row.period >= 0 && row.group == g->group) series.back().points[static_cast<size_t>(row.period)] = timeliness(row);
    }
    if (!series.empty()) series.front().goal = goal_min(goal_for(r_, "timeliness"));
    return line_chart(r_.period_labels, series, fill(w_.trend_by_group, {by_}), w_);
  }

  void figures_table(const char* first, const std::vector<const FigureRow*>& rows, bool by_group) {
    const GoalInfo *g_time = goal_for(r_, "timeliness"), *g_done = goal_for(r_, "completion"),
                   *g_sat = goal_for(r_, "satisfaction"), *g_resp = goal_for(r_, "response_rate");
    // A rate is marked only on rows of its goal's own period kind (issue 14 §1).
    const auto judged = [&](const GoalInfo* g, const FigureRow& row) { return g && row.period >= 0 && g->kind == r_.kind ? g : nullptr; };
    out_ += header({first, w_.received, w_.open_at_end, w_.timeliness, w_.completion, w_.within_target, w_.satisfaction,
                    w_.mean_score, w_.response_rate, w_.first_response_median, w_.breached});
    for (const FigureRow* row : rows) {
      const int64_t* c = row->counters.data();
      const bool provisional = c[kTargetsProvisional] > 0;  // marked: its figures may move with the year's notice
      any_provisional_ |= provisional;
      out_ += "<tr><td>" + text(by_group ? group_label(*row) : period_label(*row)) + (provisional ? " †" : "") +
              "</td><td class='n'>" + std::to_string(c[kReceived]) + "</td><td class='n'>" + std::to_string(c[kOpenAtEnd]) +
              "</td>" + cell(timeliness(*row), judged(g_time, *row)) + cell(completion(*row), judged(g_done, *row)) +
              cell({c[kResolvedWithinTarget], c[kWithResolutionTarget]}, nullptr) +
              cell({c[kSatisfied], c[kFeedback]}, judged(g_sat, *row)) + "<td class='n'>" +
              (c[kFeedback] ? fixed(static_cast<double>(c[kFeedbackSum]) / static_cast<double>(c[kFeedback]), 2) : "–") +
              "</td>" + cell({c[kResolvedWithFeedback], c[kResolvedInPeriod]}, judged(g_resp, *row)) + "<td class='n'>" +
              (row->first_response.count ? fixed(row->first_response.median, 1) : "–") + "</td><td class='n'>" +
              std::to_string(c[kTargetStatus + size_t(TargetStatus::breached)] + c[kTargetStatus + size_t(TargetStatus::met_late)]) +
              "</td></tr>\n";
    }
    out_ += "</table>\n";
  }

  // Each goal judged on its own periods: how many met, which missed, and the latest period.
  void goals_table() {
    if (r_.goals.empty()) return;
    out_ += "<h2>" + text(w_.goals) + "</h2>\n" + header({w_.goal, w_.per, w_.min, w_.met, w_.missed, w_.latest});
    for (const GoalInfo& g : r_.goals) {
      const bool mean = g.metric == "satisfaction_mean";
      const auto value = [&](const Rate& v) { return mean ? fixed(v.value(), 2) : percent(v) + "%"; };
      size_t judged = 0, met = 0;
      std::string missed, latest = "–";
      for (const GoalPeriodRow& row : g.rows) {
        if (!row.value.defined()) continue;
        latest = text(row.label) + (row.complete ? "" : " " + text(w_.to_date)) + ": " + value(row.value);
        if (!row.complete) continue;  // judged once the period is over
        ++judged;
        if (g.met(row.value)) ++met;
        else missed += (missed.empty() ? "" : ", ") + text(row.label) + " (" + value(row.value) + ")";
      }
      out_ += "<tr><td>" + text(goal_name(g)) + "</td><td>" + word(g.period) + "</td><td class='n'>" +
              (mean ? fixed(g.min, 2) : fixed(g.min * 100, 0) + "%") + "</td><td class='n'>" +
              // No period of the goal is over within the range (a day report, a quarterly goal): nothing judged yet.
              (judged ? text(fill(w_.met_of, {std::to_string(met), std::to_string(judged)})) : "–") + "</td><td" +
              (missed.empty() ? ">–" : " class='miss'>" + missed) + "</td><td>" + latest + "</td></tr>\n";
    }
    out_ += "</table>\n<p class='note'>" + text(w_.goals_note) + "</p>\n";
  }

  void attention() {
    out_ += "<h2>" + text(w_.attention) + "</h2>\n";
    if (r_.attention.empty()) {
      out_ += "<p>" + text(w_.none) + "</p>\n";
      return;
    }
    out_ += header({w_.demand, w_.title_column, w_.target, w_.status, w_.due, w_.owner, w_.department});
    for (const AttentionItem& i : r_.attention)
      out_ += "<tr><td>" + text(i.demand) + "</td><td>" + text(i.title) + "</td><td>" + word(i.target) + "</td><td" +
              (i.status == uint8_t(TargetStatus::breached) ? " class='miss'" : "") + ">" +
              word(target_status_name(static_cast<TargetStatus>(i.status))) + "</td><td>" + format_local_iso(i.due, offset()) +
              "</td><td>" + text(i.owner) + "</td><td>" + text(i.department) + "</td></tr>\n";
    out_ += "</table>\n";
  }

  void analysis() {
    const Analysis& a = r_.analysis;
    out_ += "<h2>" + text(w_.analysis) + "</h2>\n<p>" +
            text(fill(w_.analysis_sentence, {std::to_string(a.received), std::to_string(a.merged), std::to_string(a.assessed)})) +
            (a.valued ? text(fill(w_.valued_sentence, {fixed(a.value_mean, 1)})) : std::string()) +
            (locale_ == ReportLocale::zh_cn ? "。" : ".") + "</p>\n<table><tr>";
    const std::pair<const char*, const std::vector<CountEntry>*> tables[] = {
        {w_.category, &a.by_category}, {w_.nature, &a.by_nature}, {w_.channel, &a.by_channel}, {w_.urgency, &a.by_urgency}};
    for (const auto& [name, entries] : tables) {
      out_ += "<td style='vertical-align:top;border:none'>" + header({name, w_.demands});
      for (const CountEntry& e : *entries) out_ += "<tr><td>" + word(e.name) + "</td><td class='n'>" + std::to_string(e.count) + "</td></tr>";
      out_ += "</table></td>";
    }
    out_ += "</tr></table>\n<h2>" + text(w_.accountability) + "</h2>\n" + header({w_.owner, w_.missed, w_.still_breached});
    for (const auto& o : a.accountability)
      out_ += "<tr><td>" + text(o.owner) + "</td><td class='n'>" + std::to_string(o.missed) + "</td><td class='n'>" +
              std::to_string(o.breached_open) + "</td></tr>\n";
    out_ += "</table>\n<h2>" + text(w_.largest_open) + "</h2>\n" + header({w_.demand, w_.title_column, w_.owner, w_.value});
    for (const auto& o : a.largest_open)
      out_ += "<tr><td>" + text(o.demand) + "</td><td>" + text(o.title) + "</td><td>" + text(o.owner) + "</td><td class='n'>" +
              fixed(o.value, 1) + "</td></tr>\n";
    out_ += "</table>\n";
  }

  const Report& r_;
  const ReportLocale locale_;
  const PageWords& w_;
  std::vector<const FigureRow*> totals_, groups_;
  const FigureRow* overall_ = nullptr;
  std::string by_, out_;
  bool any_provisional_ = false;
};

}  // namespace

std::string report_html(const Report& r, ReportLocale locale) { return Page(r, locale).render(); }

}  // namespace crm::detail
