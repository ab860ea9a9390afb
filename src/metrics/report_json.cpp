// SPDX-License-Identifier: Apache-2.0
// The report as JSON (README "Reports"): deterministic, the same ledger and instant give the same bytes.
#include "core/civil_date.hpp"
#include "core/json_writer.hpp"
#include "ledger/replay.hpp"
#include "metrics/report.hpp"

namespace crm::detail {

namespace {

void rate(JsonWriter& w, const char* key, Rate r) {
  w.key(key);
  if (r.defined()) w.number(r.value());
  else w.null();
}

void counts(JsonWriter& w, const std::vector<CountEntry>& entries) {
  w.begin_object();
  for (const CountEntry& e : entries) w.key(e.name).value(e.count);
  w.end_object();
}

void figures(JsonWriter& w, const Report& r, const FigureRow& row) {
  const int64_t* c = row.counters.data();
  w.key("received").value(c[kReceived]).key("open_at_end").value(c[kOpenAtEnd]).key("reopened").value(c[kReopened]);
  w.key("merged").value(c[kMerged]);
  w.key("targets").begin_object();
  for (size_t s = 0; s < 6; ++s) w.key(target_status_name(static_cast<TargetStatus>(s))).value(c[kTargetStatus + s]);
  w.key("provisional").value(c[kTargetsProvisional]);
  w.end_object();
  const Rate t = timeliness(row);
  w.key("timeliness").begin_object().key("decided").value(t.denominator).key("on_time").value(t.numerator);
  rate(w, "rate", t);
  w.key("by_target").begin_object();
  for (size_t i = 0; i < r.target_names.size(); ++i) {
    const Rate ti{c[kFixedCounters + 2 * i + 1], c[kFixedCounters + 2 * i]};
    w.key(r.target_names[i]).begin_object().key("decided").value(ti.denominator).key("on_time").value(ti.numerator);
    rate(w, "rate", ti);
    w.end_object();
  }
  w.end_object().end_object();
  const Rate done = completion(row);
  w.key("completion").begin_object().key("received").value(done.denominator).key("resolved").value(done.numerator);
  rate(w, "rate", done);
  w.key("with_resolution_target").value(c[kWithResolutionTarget]).key("resolved_within_target").value(c[kResolvedWithinTarget]);
  rate(w, "within_target_rate", {c[kResolvedWithinTarget], c[kWithResolutionTarget]});
  w.end_object();
  w.key("satisfaction").begin_object().key("responses").value(c[kFeedback]);
  rate(w, "mean", {c[kFeedbackSum], c[kFeedback]});
  w.key("satisfied").value(c[kSatisfied]);
  rate(w, "rate", {c[kSatisfied], c[kFeedback]});
  w.key("resolved").value(c[kResolvedInPeriod]);
  w.key("resolved_with_feedback").value(c[kResolvedWithFeedback]);
  rate(w, "response_rate", {c[kResolvedWithFeedback], c[kResolvedInPeriod]});
  w.end_object();
  w.key("first_response_hours").begin_object().key("count").value(row.first_response.count);
  if (row.first_response.count) {
    w.key("mean").number(row.first_response.mean).key("median").number(row.first_response.median);
    w.key("p90").number(row.first_response.p90);
  } else {
    w.key("mean").null().key("median").null().key("p90").null();
  }
  w.end_object();
  w.key("goals").begin_array();
  for (size_t g = 0; g < r.goals.size(); ++g) {
    const Rate v = goal_value(r, row, g);
    w.begin_object().key("metric").value(r.goals[g].metric);
    if (!r.goals[g].target.empty()) w.key("target").value(r.goals[g].target);
    w.key("min").number(r.goals[g].min);
    rate(w, "value", v);
    if (judged_on_row(r, row, g)) {
      w.key("met");
      if (v.defined()) w.boolean(r.goals[g].met(v));
      else w.null();
    } else {
      w.key("judged_on").value(r.goals[g].period);  // see the goal's own rows at the top
    }
    w.end_object();
  }
  w.end_array();
}

}  // namespace

std::string report_json(const Report& r) {
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("policy").value(r.policy_name).key("policy_version").value(r.policy_version);
  w.key("at").value(r.at).key("time_zone").value(r.time_zone).key("period").value(period_kind_name(r.kind));
  w.key("from").value(r.from).key("to").value(r.to).key("by").begin_array();
  for (Dimension d : r.by) w.value(dimension_name(d));
  w.end_array().key("goals").begin_array();
  for (const GoalInfo& g : r.goals) {
    w.begin_object().key("metric").value(g.metric).key("min").number(g.min).key("period").value(g.period);
    if (!g.target.empty()) w.key("target").value(g.target);
    if (!g.description.empty()) w.key("description").value(g.description);
    w.key("rows").begin_array();
    for (const GoalPeriodRow& row : g.rows) {
      w.begin_object().key("period").value(row.label).key("from").value(row.from).key("to").value(row.to);
      w.key("complete").boolean(row.complete).key("numerator").value(row.value.numerator);
      w.key("denominator").value(row.value.denominator);
      rate(w, "value", row.value);
      w.key("met");
      if (row.value.defined()) w.boolean(g.met(row.value));
      else w.null();
      w.end_object();
    }
    w.end_array().end_object();
  }
  w.end_array().key("rows").begin_array();
  for (const FigureRow& row : r.rows) {
    w.begin_object();
    if (row.period >= 0) {
      const auto p = static_cast<size_t>(row.period);
      w.key("period").value(r.period_labels[p]).key("from").value(r.period_from[p]).key("to").value(r.period_to[p]);
    } else {
      w.key("period").value("all").key("from").value(r.from).key("to").value(r.to);
    }
    if (!row.group.empty()) {
      w.key("group").begin_object();
      for (size_t i = 0; i < r.by.size(); ++i) w.key(dimension_name(r.by[i])).value(row.group[i]);
      w.end_object();
    }
    figures(w, r, row);
    w.end_object();
  }
  const Analysis& a = r.analysis;
  w.end_array().key("analysis").begin_object().key("received").value(a.received);
  w.key("by_category");
  counts(w, a.by_category);
  w.key("by_nature");
  counts(w, a.by_nature);
  w.key("by_channel");
  counts(w, a.by_channel);
  w.key("by_urgency");
  counts(w, a.by_urgency);
  w.key("assessments").begin_object().key("assessed").value(a.assessed);
  const char* aspects[] = {"technical", "economic", "time"};
  for (size_t k = 0; k < 3; ++k)
    w.key(aspects[k]).begin_object().key("feasible").value(a.feasible[k][1]).key("not_feasible").value(a.feasible[k][0]).end_object();
  w.key("valued").value(a.valued);
  w.key("value_mean");
  if (a.valued) w.number(a.value_mean);
  else w.null();
  w.end_object().key("merged").value(a.merged).key("largest_open").begin_array();
  for (const auto& o : a.largest_open)
    w.begin_object().key("demand").value(o.demand).key("title").value(o.title).key("owner").value(o.owner).key("value").number(o.value).end_object();
  w.end_array().key("accountability").begin_array();
  for (const auto& o : a.accountability)
    w.begin_object().key("owner").value(o.owner).key("missed").value(o.missed).key("breached_open").value(o.breached_open).end_object();
  w.end_array().end_object().key("attention").begin_array();
  for (const AttentionItem& i : r.attention) {
    w.begin_object().key("demand").value(i.demand).key("title").value(i.title).key("target").value(i.target);
    w.key("status").value(target_status_name(static_cast<TargetStatus>(i.status))).key("due_at").value(i.due);
    w.key("owner").value(i.owner).key("department").value(i.department).end_object();
  }
  w.end_array().end_object();
  return out;
}

}  // namespace crm::detail
