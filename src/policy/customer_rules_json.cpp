// SPDX-License-Identifier: Apache-2.0
// /customers, /prospects and /relationship of the policy document -> CustomerRules.
#include <algorithm>
#include <cmath>

#include "core/json_util.hpp"
#include "policy/policy_impl.hpp"

namespace crm::detail {

namespace {

using nlohmann::json;

// A number at object[key] within [lo, hi]; absent leaves `out` as it is.
template <class T>
Status optional_number(const json& object, const std::string& path, const char* key, double lo, double hi,
                       std::optional<T>& out, bool integral) {
  const auto it = object.find(key);
  if (it == object.end()) return {};
  if (!it->is_number() || !(it->get<double>() >= lo && it->get<double>() <= hi) ||
      (integral && it->get<double>() != std::floor(it->get<double>())))
    return json_error(path + "/" + key,
                      std::string("expected ") + (integral ? "a whole number" : "a number") + " from " +
                          json(lo).dump() + " to " + json(hi).dump(),
                      *it);
  out = static_cast<T>(it->get<double>());
  return {};
}

// Money as written (yuan, at most 2 decimals) -> cents.
bool to_cents(const json& v, int64_t& out) {
  if (!v.is_number()) return false;
  const double x = v.get<double>();
  if (!(x >= 0 && x <= 1e13)) return false;
  const double cents = std::round(x * 100);
  if (std::fabs(cents - x * 100) > 1e-6 * std::max(1.0, x)) return false;
  out = static_cast<int64_t>(cents);
  return true;
}

Status parse_tiers(const json& c, CustomerRules& r) {
  const auto it = c.find("tiers");
  if (it == c.end() || !it->is_array() || it->empty())
    return json_error("/customers/tiers", "expected a non-empty array of tiers, highest spend first",
                      it == c.end() ? c : *it);
  for (size_t i = 0; i < it->size(); ++i) {
    const json& t = (*it)[i];
    const std::string path = "/customers/tiers/" + std::to_string(i);
    if (!t.is_object()) return json_error(path, "expected an object", t);
    if (Status s = unknown_keys(t, path, {"name", "min_annual_spend", "key", "collect_needs_every_months", "description"},
                                "name, min_annual_spend, key, collect_needs_every_months or description");
        !s.ok())
      return s;
    Tier tier;
    auto name = required_string(t, path, "name");
    if (!name.ok()) return std::move(name).status();
    tier.name = *name;
    for (const Tier& other : r.tiers)
      if (other.name == tier.name) return json_error(path + "/name", "tier names must be unique", t.at("name"));
    if (!t.contains("min_annual_spend") || !to_cents(t.at("min_annual_spend"), tier.min_annual_spend_cents))
      return json_error(path + "/min_annual_spend", "expected an amount of money ≥ 0 with at most 2 decimals",
                        t.contains("min_annual_spend") ? t.at("min_annual_spend") : t);
    if (!r.tiers.empty() && tier.min_annual_spend_cents >= r.tiers.back().min_annual_spend_cents)
      return json_error(path + "/min_annual_spend", "tiers are listed highest spend first, each below the one before",
                        t.at("min_annual_spend"));
    if (const auto key = t.find("key"); key != t.end()) {
      if (!key->is_boolean()) return json_error(path + "/key", "expected true or false", *key);
      tier.key = key->get<bool>();
    }
    std::optional<int32_t> every;
    if (Status s = optional_number(t, path, "collect_needs_every_months", 1, 24, every, true); !s.ok()) return s;
    if (!every) return json_error(path + "/collect_needs_every_months", "missing: how often (months) this tier's needs are collected", t);
    tier.collect_needs_every_months = *every;
    r.tiers.push_back(std::move(tier));
  }
  if (r.tiers.back().min_annual_spend_cents != 0)
    return json_error("/customers/tiers/" + std::to_string(r.tiers.size() - 1) + "/min_annual_spend",
                      "the last tier must start at 0 so that every customer has a tier", it->back().at("min_annual_spend"));
  return {};
}

Status parse_churn(const json& c, CustomerRules& r) {
  const auto it = c.find("churn");
  if (it == c.end()) return {};
  const std::string path = "/customers/churn";
  if (!it->is_object()) return json_error(path, "expected an object of churn rules", *it);
  if (Status s = unknown_keys(*it, path, {"quiet_days", "interval_factor", "contract_end_days", "satisfaction_below",
                                          "satisfaction_drop", "open_complaints", "description"},
                              "quiet_days, interval_factor, contract_end_days, satisfaction_below, satisfaction_drop, "
                              "open_complaints or description");
      !s.ok())
    return s;
  ChurnRules& ch = r.churn;
  Status s = optional_number(*it, path, "quiet_days", 1, 3650, ch.quiet_days, true);
  if (s.ok()) s = optional_number(*it, path, "interval_factor", 1, 100, ch.interval_factor, false);
  if (s.ok()) s = optional_number(*it, path, "contract_end_days", 1, 3650, ch.contract_end_days, true);
  if (s.ok()) s = optional_number(*it, path, "satisfaction_below", 1, 5, ch.satisfaction_below, false);
  if (s.ok()) s = optional_number(*it, path, "satisfaction_drop", 0.1, 4, ch.satisfaction_drop, false);
  if (s.ok()) s = optional_number(*it, path, "open_complaints", 1, 1000, ch.open_complaints, true);
  return s;
}

template <class T, class Convert>
Status ascending_four(const json& v, const std::string& path, std::array<T, 4>& out, Convert convert) {
  if (!v.is_array() || v.size() != 4)
    return json_error(path, "expected four ascending thresholds (scores 2, 3, 4 and 5 start there)", v);
  for (size_t i = 0; i < 4; ++i) {
    if (!convert(v[i], out[i])) return json_error(path + "/" + std::to_string(i), "expected a number ≥ 0", v[i]);
    if (i > 0 && out[i] <= out[i - 1]) return json_error(path + "/" + std::to_string(i), "thresholds must ascend", v[i]);
  }
  return {};
}

Status parse_value(const json& c, CustomerRules& r) {
  const auto it = c.find("value");
  const std::string path = "/customers/value";
  if (it == c.end()) return json_error(path, "missing: weights and thresholds of the RFM value score", c);
  if (!it->is_object()) return json_error(path, "expected an object", *it);
  if (Status s = unknown_keys(*it, path, {"weights", "recency_days", "frequency", "monetary", "description"},
                              "weights, recency_days, frequency, monetary or description");
      !s.ok())
    return s;
  ValueRules& v = r.value;
  const auto whole = [](const json& x, int32_t& out) {
    if (!x.is_number_integer() || x.get<int64_t>() < 0 || x.get<int64_t>() > 100000) return false;
    out = static_cast<int32_t>(x.get<int64_t>());
    return true;
  };
  for (const char* key : {"recency_days", "frequency", "monetary", "weights"})
    if (!it->contains(key)) return json_error(path + "/" + key, "missing", *it);
  if (Status s = ascending_four(it->at("recency_days"), path + "/recency_days", v.recency_days, whole); !s.ok()) return s;
  if (Status s = ascending_four(it->at("frequency"), path + "/frequency", v.frequency, whole); !s.ok()) return s;
  if (Status s = ascending_four(it->at("monetary"), path + "/monetary", v.monetary_cents, to_cents); !s.ok()) return s;
  {
    const json* w = &it->at("weights");
    if (!w->is_object()) return json_error(path + "/weights", "expected {\"recency\": w, \"frequency\": w, \"monetary\": w}", *w);
    if (Status s = unknown_keys(*w, path + "/weights", {"recency", "frequency", "monetary"}, "recency, frequency or monetary"); !s.ok())
      return s;
    std::optional<double> rw, fw, mw;
    Status s = optional_number(*w, path + "/weights", "recency", 0, 1, rw, false);
    if (s.ok()) s = optional_number(*w, path + "/weights", "frequency", 0, 1, fw, false);
    if (s.ok()) s = optional_number(*w, path + "/weights", "monetary", 0, 1, mw, false);
    if (!s.ok()) return s;
    if (!rw || !fw || !mw) return json_error(path + "/weights", "name all three weights", *w);
    if (std::fabs(*rw + *fw + *mw - 1) > 1e-9) return json_error(path + "/weights", "the weights must add up to 1", *w);
    v.recency_weight = *rw;
    v.frequency_weight = *fw;
    v.monetary_weight = *mw;
  }
  return {};
}

Status parse_customers(const json& root, CustomerRules& r) {
  const auto it = root.find("customers");
  if (it == root.end()) return {};
  if (!it->is_object()) return json_error("/customers", "expected an object with tiers, collection, churn and value", *it);
  if (Status s = unknown_keys(*it, "/customers", {"tiers", "collection", "churn", "value", "description"},
                              "tiers, collection, churn, value or description");
      !s.ok())
    return s;
  r.has_customers = true;
  if (Status s = parse_tiers(*it, r); !s.ok()) return s;
  if (const auto c = it->find("collection"); c != it->end()) {
    if (!c->is_object()) return json_error("/customers/collection", "expected {\"warn_working_days\": n}", *c);
    if (Status s = unknown_keys(*c, "/customers/collection", {"warn_working_days", "description"}, "warn_working_days or description"); !s.ok())
      return s;
    std::optional<int32_t> warn;
    if (Status s = optional_number(*c, "/customers/collection", "warn_working_days", 0, 60, warn, true); !s.ok()) return s;
    r.collection_warn_working_days = warn.value_or(0);
  }
  if (Status s = parse_churn(*it, r); !s.ok()) return s;
  return parse_value(*it, r);
}

const std::vector<std::string>& stage_names() {
  static const std::vector<std::string> kStages = {"initial_contact", "deep_communication", "evaluation", "negotiation",
                                                   "contract_signed",  "implementation",     "lost"};
  return kStages;
}

Status parse_prospects(const json& root, CustomerRules& r) {
  const auto it = root.find("prospects");
  if (it == root.end()) return {};
  if (!it->is_object()) return json_error("/prospects", "expected an object with follow_up and stale_after", *it);
  if (Status s = unknown_keys(*it, "/prospects", {"follow_up", "stale_after", "description"}, "follow_up, stale_after or description"); !s.ok())
    return s;
  r.has_prospects = true;
  const auto working_days = [](const json& v, const std::string& path, int32_t& out) -> Status {
    auto d = parse_duration(v, path);
    if (!d.ok()) return std::move(d).status();
    if (d->kind != Duration::Kind::working_days || d->cutoff >= 0)
      return json_error(path, "prospect cadences are whole working days: {\"working_days\": n}", v);
    out = static_cast<int32_t>(d->amount);
    return {};
  };
  const auto f = it->find("follow_up");
  if (f == it->end() || !f->is_array() || f->empty())
    return json_error("/prospects/follow_up", "expected a non-empty array of {\"when\": {...}, \"every\": {\"working_days\": n}}",
                      f == it->end() ? *it : *f);
  for (size_t i = 0; i < f->size(); ++i) {
    const json& rule = (*f)[i];
    const std::string path = "/prospects/follow_up/" + std::to_string(i);
    if (!rule.is_object()) return json_error(path, "expected an object", rule);
    if (Status s = unknown_keys(rule, path, {"when", "every", "description"}, "when, every or description"); !s.ok()) return s;
    FollowUpRule out;
    if (const auto w = rule.find("when"); w != rule.end()) {
      if (!w->is_object()) return json_error(path + "/when", "expected an object of stage, industry, size, need or source", *w);
      if (Status s = unknown_keys(*w, path + "/when", {"stage", "industry", "size", "need", "source"}, "stage, industry, size, need or source"); !s.ok())
        return s;
      for (const auto& [key, field] : {std::pair<const char*, std::string*>{"stage", &out.stage}, {"industry", &out.industry},
                                       {"size", &out.size}, {"need", &out.need}, {"source", &out.source}}) {
        if (!w->contains(key)) continue;
        auto v = required_string(*w, path + "/when", key);
        if (!v.ok()) return std::move(v).status();
        *field = *v;
      }
      if (!out.stage.empty() && std::find(stage_names().begin(), stage_names().end(), out.stage) == stage_names().end())
        return json_error(path + "/when/stage", "unknown stage", w->at("stage"));
    }
    if (!rule.contains("every")) return json_error(path + "/every", "missing", rule);
    if (Status s = working_days(rule.at("every"), path + "/every", out.every_working_days); !s.ok()) return s;
    if (out.every_working_days < 1) return json_error(path + "/every", "expected at least 1 working day", rule.at("every"));
    r.follow_up.push_back(std::move(out));
  }
  if (const auto s = it->find("stale_after"); s != it->end()) {
    if (Status st = working_days(*s, "/prospects/stale_after", r.stale_after_working_days); !st.ok()) return st;
    if (r.stale_after_working_days < 1) return json_error("/prospects/stale_after", "expected at least 1 working day", *s);
  }
  return {};
}

Status parse_relationship(const json& root, CustomerRules& r) {
  const auto it = root.find("relationship");
  if (it == root.end()) return {};
  const std::string path = "/relationship";
  if (!it->is_object()) return json_error(path, "expected an object with satisfied_at_least and goals", *it);
  if (Status s = unknown_keys(*it, path, {"satisfied_at_least", "goals", "description"}, "satisfied_at_least, goals or description"); !s.ok())
    return s;
  r.has_relationship = true;
  std::optional<int32_t> satisfied;
  if (Status s = optional_number(*it, path, "satisfied_at_least", 1, 5, satisfied, true); !s.ok()) return s;
  r.satisfied_at_least = satisfied.value_or(4);
  const auto goals = it->find("goals");
  if (goals == it->end()) return {};
  if (!goals->is_array()) return json_error(path + "/goals", "expected an array", *goals);
  static const std::set<std::string> kMetrics = {"survey_satisfaction", "survey_coverage", "interaction_coverage", "loyalty"};
  static const std::set<std::string> kPeriods = {"month", "quarter", "half_year", "year"};
  for (size_t i = 0; i < goals->size(); ++i) {
    const json& g = (*goals)[i];
    const std::string gp = path + "/goals/" + std::to_string(i);
    if (!g.is_object()) return json_error(gp, "expected an object", g);
    if (Status s = unknown_keys(g, gp, {"metric", "min", "period", "count", "description"}, "metric, min, period, count or description"); !s.ok())
      return s;
    RelationshipGoal goal;
    auto metric = required_string(g, gp, "metric");
    if (!metric.ok()) return std::move(metric).status();
    if (!kMetrics.count(*metric))
      return json_error(gp + "/metric", "unknown metric (expected survey_satisfaction, survey_coverage, interaction_coverage or loyalty)",
                        g.at("metric"));
    goal.metric = *metric;
    std::optional<double> min;
    if (Status s = optional_number(g, gp, "min", 0, 1, min, false); !s.ok()) return s;
    if (!min) return json_error(gp + "/min", "missing: the share (0..1) to reach", g);
    goal.min = *min;
    auto period = required_string(g, gp, "period");
    if (!period.ok()) return std::move(period).status();
    if (!kPeriods.count(*period)) return json_error(gp + "/period", "expected month, quarter, half_year or year", g.at("period"));
    goal.period = *period;
    std::optional<int32_t> count;
    if (Status s = optional_number(g, gp, "count", 1, 1000, count, true); !s.ok()) return s;
    if (count && goal.metric != "interaction_coverage")
      return json_error(gp + "/count", "only interaction_coverage takes a count", g.at("count"));
    if (goal.metric == "interaction_coverage" && !count)
      return json_error(gp + "/count", "missing: interactions each customer should have per period", g);
    goal.count = count.value_or(1);
    if (const auto d = g.find("description"); d != g.end()) {
      if (!d->is_string()) return json_error(gp + "/description", "expected a string", *d);
      goal.description = d->get<std::string>();
    }
    r.goals.push_back(std::move(goal));
  }
  return {};
}

}  // namespace

Status parse_customer_rules(const json& root, CustomerRules& out) {
  for (auto step : {parse_customers, parse_prospects, parse_relationship})
    if (Status s = step(root, out); !s.ok()) return s;
  return {};
}

}  // namespace crm::detail
