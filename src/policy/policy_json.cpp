// SPDX-License-Identifier: Apache-2.0
// The policy document (README "Policy JSON") -> PolicyImpl, validated, with warnings.
#include <algorithm>
#include <cmath>
#include <set>

#include "calendar/calendar_impl.hpp"
#include "calendar/calendar_json.hpp"
#include "core/json_util.hpp"
#include "core/civil_date.hpp"
#include "policy/policy_impl.hpp"

namespace crm::detail {

namespace {

using nlohmann::json;

// "17:00" -> seconds after midnight.
bool parse_clock(const json& value, int32_t& out) {
  if (!value.is_string()) return false;
  const std::string& s = value.get_ref<const std::string&>();
  if (s.size() != 5 || s[2] != ':') return false;
  for (size_t i : {0u, 1u, 3u, 4u})
    if (s[i] < '0' || s[i] > '9') return false;
  const int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 23 || m > 59) return false;
  out = h * 3600 + m * 60;
  return true;
}


Status set_attribute(const json& set, const std::string& path, const char* key, Field field, std::string& out) {
  const auto it = set.find(key);
  if (it == set.end()) return {};
  if (!it->is_string() || !is_enum_value(field, it->get_ref<const std::string&>()))
    return json_error(path + "/" + key, "unknown " + std::string(key) + " (expected " + enum_list(field) + ")", *it);
  out = it->get<std::string>();
  return {};
}

Status parse_calendars(const json& root, PolicyImpl& p, const std::shared_ptr<const BaseCalendar>& base) {
  const auto it = root.find("calendars");
  if (it == root.end()) return json_error("/calendars", "missing: a policy names at least one calendar", root);
  if (!it->is_object() || it->empty())
    return json_error("/calendars", "expected an object of named calendars", *it);
  for (const auto& [name, value] : it->items()) {
    const std::string path = "/calendars/" + json_pointer_token(name);
    Result<Calendar> cal = Status::internal("unset");
    if (base) {
      auto spec = parse_calendar_json(value.dump());
      cal = spec.ok() ? build_calendar(*spec, base) : Result<Calendar>(std::move(spec).status());
    } else {
      cal = Calendar::from_json(value.dump());
    }
    if (!cal.ok()) {
      const std::string& m = cal.status().message();
      return Status(cal.status().code(), path + (m.empty() || m[0] != '/' ? ": " : "") + m);
    }
    if (const int32_t until = cal->data_until(); until != 0)
      p.warnings.push_back(path + ": the official data of base \"" + cal->spec().base + "\" ends " +
                           format_iso_date(*day_number_from_yyyymmdd(until)) +
                           "; later deadlines are provisional (statutory holidays by law, make-up working days not yet known)");
    p.calendars.push_back({name, std::move(*cal)});
  }
  const auto def = root.find("default_calendar");
  if (def == root.end()) {
    if (p.calendars.size() != 1)
      return json_error("/default_calendar", "missing: name the default among several calendars", root.at("calendars"));
    return {};
  }
  if (!def->is_string()) return json_error("/default_calendar", "expected a calendar name", *def);
  for (size_t i = 0; i < p.calendars.size(); ++i)
    if (p.calendars[i].name == def->get_ref<const std::string&>()) {
      p.default_calendar = i;
      return {};
    }
  return json_error("/default_calendar", "no such calendar in /calendars", *def);
}

// The head that rules and routes share: a `name` unique among `names`, an optional `when`.
Status parse_named_condition(const json& r, const std::string& path, const char* kind, std::set<std::string>& names,
                             KeywordMatcher& keywords, std::string& name, Condition& when) {
  auto given = required_string(r, path, "name");
  if (!given.ok()) return std::move(given).status();
  name = *given;
  if (!names.insert(name).second) return json_error(path + "/name", std::string(kind) + " names must be unique", r.at("name"));
  if (!r.contains("when")) return {};
  auto parsed = Condition::parse(r.at("when"), path + "/when", keywords);
  if (!parsed.ok()) return std::move(parsed).status();
  when = std::move(*parsed);
  return {};
}

Status parse_rules(const json& root, PolicyImpl& p) {
  const auto it = root.find("rules");
  if (it == root.end()) return {};
  if (!it->is_array()) return json_error("/rules", "expected an array of rules", *it);
  std::set<std::string> names;
  for (size_t i = 0; i < it->size(); ++i) {
    const json& r = (*it)[i];
    const std::string path = "/rules/" + std::to_string(i);
    if (!r.is_object()) return json_error(path, "a rule is an object with name, when and set", r);
    if (Status s = unknown_keys(r, path, {"name", "when", "set", "description"}, "name, when, set or description"); !s.ok()) return s;
    Rule rule;
    if (Status s = parse_named_condition(r, path, "rule", names, p.keywords, rule.name, rule.when); !s.ok()) return s;
    const auto set = r.find("set");
    if (set == r.end() || !set->is_object() || set->empty())
      return json_error(path + "/set", "expected an object setting urgency, category, nature or labels", set == r.end() ? r : *set);
    if (Status s = unknown_keys(*set, path + "/set", {"urgency", "category", "nature", "labels"}, "urgency, category, nature or labels"); !s.ok()) return s;
    if (Status s = set_attribute(*set, path + "/set", "urgency", Field::urgency, rule.urgency); !s.ok()) return s;
    if (Status s = set_attribute(*set, path + "/set", "category", Field::category, rule.category); !s.ok()) return s;
    if (Status s = set_attribute(*set, path + "/set", "nature", Field::nature, rule.nature); !s.ok()) return s;
    if (const auto labels = set->find("labels"); labels != set->end()) {
      if (!labels->is_object() || labels->empty())
        return json_error(path + "/set/labels", "expected an object of label names to values", *labels);
      for (const auto& [key, v] : labels->items()) {
        if (key.empty() || !v.is_string() || v.get_ref<const std::string&>().empty())
          return json_error(path + "/set/labels/" + json_pointer_token(key), "a label is a non-empty name with a non-empty string value", v);
        rule.labels.emplace_back(key, v.get<std::string>());
      }
    }
    p.rules.push_back(std::move(rule));
  }
  return {};
}

Status parse_routes(const json& root, PolicyImpl& p) {
  const auto it = root.find("routes");
  if (it == root.end()) return {};
  if (!it->is_array()) return json_error("/routes", "expected an array of routes", *it);
  std::set<std::string> names;
  for (size_t i = 0; i < it->size(); ++i) {
    const json& r = (*it)[i];
    const std::string path = "/routes/" + std::to_string(i);
    if (!r.is_object()) return json_error(path, "a route is an object with name, when and assign", r);
    if (Status s = unknown_keys(r, path, {"name", "when", "assign", "description"}, "name, when, assign or description"); !s.ok()) return s;
    Route route;
    if (Status s = parse_named_condition(r, path, "route", names, p.keywords, route.name, route.when); !s.ok()) return s;
    const auto assign = r.find("assign");
    if (assign == r.end() || !assign->is_object() || assign->empty())
      return json_error(path + "/assign", "expected an object assigning department, owner or both", assign == r.end() ? r : *assign);
    if (Status s = unknown_keys(*assign, path + "/assign", {"department", "owner"}, "department or owner"); !s.ok()) return s;
    for (const auto& [key, value] : assign->items()) {
      if (key == "owner" && value.is_object()) {  // {"from": "customer.owner"}: the customer's account owner
        if (value.size() != 1 || value.find("from") == value.end() || value.at("from") != "customer.owner")
          return json_error(path + "/assign/owner", "expected an owner's name or {\"from\": \"customer.owner\"}", value);
        route.owner_from_customer = true;
        continue;
      }
      if (!value.is_string() || value.get_ref<const std::string&>().empty())
        return json_error(path + "/assign/" + key,
                          key == "owner" ? "expected a non-empty name or {\"from\": \"customer.owner\"}" : "expected a non-empty name",
                          value);
      (key == "department" ? route.department : route.owner) = value.get<std::string>();
    }
    p.routes.push_back(std::move(route));
  }
  return {};
}

Status parse_defaults(const json& root, PolicyImpl& p) {
  const auto it = root.find("defaults");
  if (it == root.end()) return json_error("/defaults", "missing: defaults give urgency, category and nature when no rule does", root);
  if (!it->is_object()) return json_error("/defaults", "expected an object", *it);
  if (Status s = unknown_keys(*it, "/defaults", {"urgency", "category", "nature", "department", "owner"},
                              "urgency, category, nature, department or owner");
      !s.ok())
    return s;
  for (const auto& [key, out] : {std::pair<const char*, std::string*>{"department", &p.default_department}, {"owner", &p.default_owner}}) {
    const auto value = it->find(key);
    if (value == it->end()) continue;
    if (!value->is_string() || value->get_ref<const std::string&>().empty())
      return json_error(std::string("/defaults/") + key, "expected a non-empty name", *value);
    *out = value->get<std::string>();
  }
  const struct {
    const char* key;
    Field field;
    std::string* out;
  } attributes[] = {{"urgency", Field::urgency, &p.default_urgency},
                    {"category", Field::category, &p.default_category},
                    {"nature", Field::nature, &p.default_nature}};
  for (const auto& a : attributes) {
    if (!it->contains(a.key)) return json_error(std::string("/defaults/") + a.key, "missing", *it);
    if (Status s = set_attribute(*it, "/defaults", a.key, a.field, *a.out); !s.ok()) return s;
  }
  return {};
}

// "owner", "department:<role>", "role:<name>" or "address:<text>".
Result<Recipient> parse_recipient(const json& value, const std::string& path) {
  const char* kExpected = "expected \"owner\", \"department:<role>\", \"role:<name>\" or \"address:<where>\"";
  if (!value.is_string()) return json_error(path, kExpected, value);
  const std::string& text = value.get_ref<const std::string&>();
  if (text == "owner") return Recipient{Recipient::Kind::owner, ""};
  const struct {
    std::string_view prefix;
    Recipient::Kind kind;
  } kinds[] = {{"department:", Recipient::Kind::department_role}, {"role:", Recipient::Kind::role},
               {"address:", Recipient::Kind::address}};
  for (const auto& k : kinds)
    if (text.size() > k.prefix.size() && text.compare(0, k.prefix.size(), k.prefix) == 0) {
      if (Status s = check_string_value(value, path, kMaxIdBytes, false); !s.ok()) return s;
      return Recipient{k.kind, text.substr(k.prefix.size())};
    }
  return json_error(path, kExpected, value);
}

constexpr size_t kMaxEscalationSteps = 16;
constexpr int64_t kMaxEscalationRepeats = 100;

Status parse_escalation(const json& t, const std::string& target_path, Target& target) {
  const auto it = t.find("escalation");
  if (it == t.end()) return {};
  const std::string path = target_path + "/escalation";
  if (!it->is_array() || it->empty() || it->size() > kMaxEscalationSteps)
    return json_error(path, "expected an array of 1 to 16 escalation steps", *it);
  for (size_t i = 0; i < it->size(); ++i) {
    const json& e = (*it)[i];
    const std::string at = path + "/" + std::to_string(i);
    if (!e.is_object()) return json_error(at, "an escalation step is an object with on and notify", e);
    if (Status s = unknown_keys(e, at, {"on", "after", "every", "repeat", "any_time", "notify", "description"},
                                "on, after, every, repeat, any_time, notify or description");
        !s.ok())
      return s;
    EscalationStep step;
    const auto on = e.find("on");
    if (on == e.end()) return json_error(at + "/on", "missing: warn or due", e);
    if (*on != "warn" && *on != "due") return json_error(at + "/on", "expected warn or due", *on);
    step.on_due = *on == "due";
    for (auto [key, out] : {std::pair{"after", &step.after}, {"every", &step.every}}) {
      if (!e.contains(key)) continue;
      auto d = parse_duration(e.at(key), at + "/" + key);
      if (!d.ok()) return std::move(d).status();
      *out = std::move(*d);
    }
    if (const auto repeat = e.find("repeat"); repeat != e.end()) {
      if (!step.every) return json_error(at + "/repeat", "a step repeats only with every", *repeat);
      if (!repeat->is_number_integer() || repeat->get<int64_t>() < 1 || repeat->get<int64_t>() > kMaxEscalationRepeats)
        return json_error(at + "/repeat", "expected a whole number of repeats from 1 to 100", *repeat);
      step.repeat = repeat->get<int32_t>();
    } else if (step.every) {
      return json_error(at + "/repeat", "missing: a repeating step says how many more times (1 to 100)", e);
    }
    if (const auto any = e.find("any_time"); any != e.end()) {
      if (!any->is_boolean()) return json_error(at + "/any_time", "expected true or false", *any);
      step.any_time = any->get<bool>();
    }
    const auto notify = e.find("notify");
    if (notify == e.end() || !notify->is_array() || notify->empty() || notify->size() > 16)
      return json_error(at + "/notify", "expected an array of 1 to 16 recipients", notify == e.end() ? e : *notify);
    for (size_t k = 0; k < notify->size(); ++k) {
      auto r = parse_recipient((*notify)[k], at + "/notify/" + std::to_string(k));
      if (!r.ok()) return std::move(r).status();
      step.notify.push_back(std::move(*r));
    }
    target.escalation.push_back(std::move(step));
  }
  return {};
}

Status parse_targets(const json& root, PolicyImpl& p) {
  const auto it = root.find("targets");
  if (it == root.end()) return {};
  if (!it->is_array()) return json_error("/targets", "expected an array of targets", *it);
  for (size_t i = 0; i < it->size(); ++i) {
    const json& t = (*it)[i];
    const std::string path = "/targets/" + std::to_string(i);
    if (!t.is_object()) return json_error(path, "a target is an object with name, within and met_by", t);
    if (Status s = unknown_keys(t, path, {"name", "when", "within", "calendar", "met_by", "also_met_by", "recurring",
                                          "warn_at", "on_reclassify", "on_reopen", "escalation", "description"},
                                "name, when, within, calendar, met_by, also_met_by, recurring, warn_at, on_reclassify, "
                                "on_reopen, escalation or description");
        !s.ok())
      return s;
    Target target;
    auto name = required_string(t, path, "name");
    if (!name.ok()) return std::move(name).status();
    target.name = *name;
    if (t.contains("when")) {
      auto when = Condition::parse(t.at("when"), path + "/when", p.keywords);
      if (!when.ok()) return std::move(when).status();
      target.when = std::move(*when);
    }
    if (!t.contains("within")) return json_error(path + "/within", "missing", t);
    auto within = parse_duration(t.at("within"), path + "/within");
    if (!within.ok()) return std::move(within).status();
    target.within = std::move(*within);
    target.calendar = p.default_calendar;
    if (const auto cal = t.find("calendar"); cal != t.end()) {
      bool found = false;
      for (size_t c = 0; c < p.calendars.size(); ++c)
        if (cal->is_string() && p.calendars[c].name == cal->get_ref<const std::string&>()) {
          target.calendar = c;
          found = true;
        }
      if (!found) return json_error(path + "/calendar", "no such calendar in /calendars", *cal);
    }
    auto met_by = required_string(t, path, "met_by");
    if (!met_by.ok()) return std::move(met_by).status();
    const auto& events = target_events();
    const char* kTargetEvents = "no such ledger event (expected acknowledged, assessed, plan_sent, started, resolved, "
                                "feedback, closed or progress)";
    if (std::find(events.begin(), events.end(), *met_by) == events.end())
      return json_error(path + "/met_by", kTargetEvents, t.at("met_by"));
    target.met_by = *met_by;
    if (const auto also = t.find("also_met_by"); also != t.end()) {
      if (!also->is_array() || also->empty())
        return json_error(path + "/also_met_by", "expected a non-empty array of ledger events", *also);
      for (size_t k = 0; k < also->size(); ++k) {
        const json& e = (*also)[k];
        const std::string at = path + "/also_met_by/" + std::to_string(k);
        if (!e.is_string() || std::find(events.begin(), events.end(), e.get_ref<const std::string&>()) == events.end())
          return json_error(at, kTargetEvents, e);
        if (target.met_by_event(e.get_ref<const std::string&>()))
          return json_error(at, "named twice among met_by and also_met_by", e);
        target.also_met_by.push_back(e.get<std::string>());
      }
    }
    if (const auto recurring = t.find("recurring"); recurring != t.end()) {
      if (!recurring->is_boolean()) return json_error(path + "/recurring", "expected true or false", *recurring);
      target.recurring = recurring->get<bool>();
    }
    if (const auto warn = t.find("warn_at"); warn != t.end()) {
      if (!warn->is_number() || !(warn->get<double>() > 0 && warn->get<double>() < 1))
        return json_error(path + "/warn_at", "expected a fraction between 0 and 1 (exclusive)", *warn);
      target.warn_at = warn->get<double>();
    }
    if (const auto on = t.find("on_reclassify"); on != t.end()) {
      const std::string v = on->is_string() ? on->get<std::string>() : "";
      if (v == "recompute_from_received") target.on_reclassify = OnReclassify::recompute_from_received;
      else if (v == "restart") target.on_reclassify = OnReclassify::restart;
      else if (v == "keep_elapsed") target.on_reclassify = OnReclassify::keep_elapsed;
      else return json_error(path + "/on_reclassify", "expected recompute_from_received, restart or keep_elapsed", *on);
    }
    if (const auto on = t.find("on_reopen"); on != t.end()) {
      const std::string v = on->is_string() ? on->get<std::string>() : "";
      if (v == "restart") target.on_reopen = OnReopen::restart;
      else if (v == "continue") target.on_reopen = OnReopen::continue_elapsed;
      else return json_error(path + "/on_reopen", "expected restart or continue", *on);
    }
    if (Status s = parse_escalation(t, path, target); !s.ok()) return s;
    p.targets.push_back(std::move(target));
  }
  return {};
}

Status parse_goals(const json& root, PolicyImpl& p) {
  const auto it = root.find("goals");
  if (it == root.end()) return {};
  if (!it->is_array()) return json_error("/goals", "expected an array of goals", *it);
  if (it->size() > 64) return json_error("/goals", "at most 64 goals", *it);
  static const std::set<std::string> kMetrics = {"timeliness", "completion", "completion_on_time", "satisfaction",
                                                 "satisfaction_mean", "response_rate"};
  static const std::set<std::string> kPeriods = {"week", "month", "quarter", "half_year", "year"};
  for (size_t i = 0; i < it->size(); ++i) {
    const json& g = (*it)[i];
    const std::string path = "/goals/" + std::to_string(i);
    if (!g.is_object()) return json_error(path, "a goal is an object with metric and min", g);
    if (Status s = unknown_keys(g, path, {"metric", "min", "period", "target", "when", "description"},
                                "metric, min, period, target, when or description");
        !s.ok())
      return s;
    Goal goal;
    auto metric = required_string(g, path, "metric");
    if (!metric.ok()) return std::move(metric).status();
    if (!kMetrics.count(*metric))
      return json_error(path + "/metric", "unknown metric (expected timeliness, completion, completion_on_time, "
                                          "satisfaction, satisfaction_mean or response_rate)", g.at("metric"));
    goal.metric = *metric;
    const auto min = g.find("min");
    if (min == g.end() || !min->is_number()) return json_error(path + "/min", "expected a number", min == g.end() ? g : *min);
    goal.min = min->get<double>();
    const bool mean = goal.metric == "satisfaction_mean";
    if (mean ? !(goal.min >= 1 && goal.min <= 5) : !(goal.min >= 0 && goal.min <= 1))
      return json_error(path + "/min", mean ? "a mean score goal lies between 1 and 5" : "a rate goal lies between 0 and 1", *min);
    goal.period = "month";
    if (const auto period = g.find("period"); period != g.end()) {
      if (!period->is_string() || !kPeriods.count(period->get<std::string>()))
        return json_error(path + "/period", "unknown period (expected week, month, quarter, half_year or year)", *period);
      goal.period = period->get<std::string>();
    }
    if (const auto target = g.find("target"); target != g.end()) {
      bool found = false;
      for (const Target& t : p.targets) found = found || (target->is_string() && t.name == target->get_ref<const std::string&>());
      if (!found) return json_error(path + "/target", "no target of that name in /targets", *target);
      if (goal.metric != "timeliness") return json_error(path + "/target", "only a timeliness goal names a target", *target);
      goal.target = target->get<std::string>();
    }
    if (g.contains("when")) {
      auto when = Condition::parse(g.at("when"), path + "/when", p.keywords);
      if (!when.ok()) return std::move(when).status();
      goal.when = std::move(*when);
    }
    if (const auto description = g.find("description"); description != g.end()) {
      if (!description->is_string()) return json_error(path + "/description", "expected a string", *description);
      goal.description = description->get<std::string>();
    }
    p.goals.push_back(std::move(goal));
  }
  return {};
}

Status parse_duplicates(const json& root, PolicyImpl& p) {
  const auto it = root.find("duplicates");
  if (it == root.end()) return {};
  if (!it->is_object()) return json_error("/duplicates", "expected an object such as {\"threshold\": 0.5}", *it);
  if (Status s = unknown_keys(*it, "/duplicates", {"threshold", "description"}, "threshold or description"); !s.ok()) return s;
  if (const auto t = it->find("threshold"); t != it->end()) {
    if (!t->is_number() || !(t->get<double>() > 0 && t->get<double>() <= 1))
      return json_error("/duplicates/threshold", "expected a similarity above 0 and at most 1", *t);
    p.duplicate_threshold = t->get<double>();
  }
  return {};
}

// The attributes a rule or route sets ("urgency", "labels.a", "department", ...).
std::vector<std::string> attributes_set(const Rule& r) {
  std::vector<std::string> out;
  if (!r.urgency.empty()) out.push_back("urgency");
  if (!r.category.empty()) out.push_back("category");
  if (!r.nature.empty()) out.push_back("nature");
  for (const auto& [label, v] : r.labels) out.push_back("labels." + label);
  return out;
}
std::vector<std::string> attributes_set(const Route& r) {
  std::vector<std::string> out;
  if (!r.department.empty()) out.push_back("department");
  if (!r.owner.empty() || r.owner_from_customer) out.push_back("owner");
  return out;
}
// Those it sets whenever it applies: not an owner taken from the customer, who may have none.
std::vector<std::string> attributes_always_set(const Route& r) {
  std::vector<std::string> out;
  if (!r.department.empty()) out.push_back("department");
  if (!r.owner.empty()) out.push_back("owner");
  return out;
}
std::vector<std::string> attributes_always_set(const Rule& r) { return attributes_set(r); }

// Rules (or routes) that can never set an attribute because an earlier one with a broader
// condition does. The comparisons are bounded in all (`budget`), so a huge or deeply nested
// policy loads in bounded time.
template <typename Item>
void find_shadowed(const std::vector<Item>& items, const char* section, const char* kind, PolicyImpl& p, size_t& budget) {
  for (size_t j = 0; j < items.size() && budget > 0; ++j) {
    const Item& later = items[j];
    for (const std::string& attribute : attributes_set(later)) {
      for (size_t i = 0; i < j && budget > 0; ++i) {
        const Item& earlier = items[i];
        const std::vector<std::string> sets = attributes_always_set(earlier);
        budget -= std::min(budget, 1 + sets.size());
        if (std::find(sets.begin(), sets.end(), attribute) != sets.end() &&
            earlier.when.implied_by(later.when, p.keywords, budget)) {
          p.warnings.push_back(std::string("/") + section + "/" + std::to_string(j) + ": " + kind + " \"" + later.name +
                               "\" can never set " + attribute + ": the earlier " + kind + " \"" + earlier.name +
                               "\" sets it whenever this one applies (same or broader condition)");
          break;
        }
      }
    }
  }
}

void find_shadowed_rules_and_routes(PolicyImpl& p) {
  constexpr size_t kComparisonSteps = 1000000;
  size_t budget = kComparisonSteps;
  find_shadowed(p.rules, "rules", "rule", p, budget);
  find_shadowed(p.routes, "routes", "route", p, budget);
  if (budget == 0)
    p.warnings.push_back("/rules: too many or too deeply nested rules and routes to check them all for ones that can never "
                         "fire (stopped after " + std::to_string(kComparisonSteps) + " comparison steps)");
}

}  // namespace

Result<Duration> parse_duration(const json& value, const std::string& path) {
  if (!value.is_object())
    return json_error(path, "expected an object such as {\"working_hours\": 2} or {\"working_days\": 1}", value);
  struct Kind {
    const char* key;
    Duration::Kind kind;
    int64_t unit;
    int64_t max;
  };
  static const Kind kKinds[] = {
      {"hours", Duration::Kind::clock, 3600, 87600},
      {"minutes", Duration::Kind::clock, 60, 5256000},
      {"working_hours", Duration::Kind::working_time, 3600, 87600},
      {"working_minutes", Duration::Kind::working_time, 60, 5256000},
      {"working_days", Duration::Kind::working_days, 1, 3650},
      {"days", Duration::Kind::calendar_days, 1, 3650},
  };
  Duration d;
  const Kind* found = nullptr;
  for (const Kind& k : kKinds)
    if (value.contains(k.key)) {
      if (found || value.contains("next_working_day_at"))
        return json_error(path, "give exactly one duration", value);
      found = &k;
    }
  if (value.contains("next_working_day_at")) {
    if (!parse_clock(value.at("next_working_day_at"), d.at))
      return json_error(path + "/next_working_day_at", "expected a local time \"HH:MM\"", value.at("next_working_day_at"));
    if (value.size() != 1) return json_error(path, "next_working_day_at stands alone", value);
    d.kind = Duration::Kind::next_working_day_at;
    d.text = value.dump();
    return d;
  }
  if (!found)
    return json_error(path, "expected one of hours, minutes, working_hours, working_minutes, working_days, days or "
                            "next_working_day_at", value);
  const json& n = value.at(found->key);
  const std::string n_path = path + "/" + found->key;
  if (!n.is_number_integer()) return json_error(n_path, "expected a whole number", n);
  const auto amount = n.get<int64_t>();
  if (amount <= 0) return json_error(n_path, "a duration must be positive", n);
  if (amount > found->max) return json_error(n_path, "too long (at most " + std::to_string(found->max) + ")", n);
  d.kind = found->kind;
  d.amount = amount * found->unit;
  for (const auto& [key, v] : value.items()) {
    if (key == found->key) continue;
    if (key != "cutoff") return json_error(path + "/" + json_pointer_token(key), "unknown key in a duration", v);
    if (d.kind != Duration::Kind::working_days)
      return json_error(path + "/cutoff", "a cut-off applies to working_days only", v);
    if (!parse_clock(v, d.cutoff)) return json_error(path + "/cutoff", "expected a local time \"HH:MM\"", v);
  }
  d.text = value.dump();
  return d;
}

Result<PolicyImpl> parse_policy_json(std::string_view text, std::shared_ptr<const BaseCalendar> base) {
  auto parsed = parse_json_strict(text, "policy JSON");
  if (!parsed.ok()) return std::move(parsed).status();
  const json& root = *parsed;
  if (!root.is_object()) return json_error("", "a policy is a JSON object", root);
  if (Status s = unknown_keys(root, "", {"name", "version", "description", "locale", "calendars", "default_calendar", "rules",
                                         "defaults", "routes", "targets", "goals", "duplicates", "customers",
                                         "prospects", "relationship", "access"},
                              "name, version, description, locale, calendars, default_calendar, rules, defaults, routes, "
                              "targets, goals, duplicates, customers, prospects, relationship or access");
      !s.ok())
    return s;
  PolicyImpl p;
  auto name = required_string(root, "", "name");
  if (!name.ok()) return std::move(name).status();
  p.name = *name;
  auto version = required_string(root, "", "version");
  if (!version.ok()) return std::move(version).status();
  p.version = *version;
  if (const auto d = root.find("description"); d != root.end()) {
    if (!d->is_string()) return json_error("/description", "expected a string", *d);
    p.description = d->get<std::string>();
  }
  if (const auto l = root.find("locale"); l != root.end()) {
    if (!l->is_string() || (*l != "en" && *l != "zh-CN")) return json_error("/locale", "expected \"en\" or \"zh-CN\"", *l);
    p.locale = l->get<std::string>();
  }
  if (Status s = parse_calendars(root, p, base); !s.ok()) return s;
  for (auto step : {parse_rules, parse_defaults, parse_routes, parse_targets, parse_goals, parse_duplicates})
    if (Status s = step(root, p); !s.ok()) return s;
  if (Status s = parse_customer_rules(root, p.customers); !s.ok()) return s;
  if (Status s = parse_access_rules(root, p.access); !s.ok()) return s;
  p.keywords.build();
  for (const Rule& r : p.rules) p.uses_text = p.uses_text || r.when.uses_text();
  for (const Target& t : p.targets) p.uses_text = p.uses_text || t.when.uses_text();
  for (const Route& r : p.routes) p.uses_text = p.uses_text || r.when.uses_text();
  for (const Route& r : p.routes) p.uses_customer_key = p.uses_customer_key || r.when.uses_field(Field::customer_key);
  for (const Rule& r : p.rules) p.uses_customer_key = p.uses_customer_key || r.when.uses_field(Field::customer_key);
  for (const Target& t : p.targets) p.uses_customer_key = p.uses_customer_key || t.when.uses_field(Field::customer_key);
  for (const Goal& g : p.goals) p.uses_customer_key = p.uses_customer_key || g.when.uses_field(Field::customer_key);
  find_shadowed_rules_and_routes(p);
  return p;
}

}  // namespace crm::detail
