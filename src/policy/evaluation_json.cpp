// crm::Evaluation -> the result JSON (README "Result JSON"), keys in a fixed order.
#include <nlohmann/json.hpp>

#include "core/civil_date.hpp"
#include "crmpolicy/policy.hpp"

namespace crm {

namespace {

using ordered = nlohmann::ordered_json;

const char* decision_name(Decision d) {
  switch (d) {
    case Decision::manual: return "manual";
    case Decision::rule: return "rule";
    case Decision::default_value: return "default";
  }
  return "default";
}

ordered attribute_json(const Attribute& a) {
  ordered j;
  j["value"] = a.value;
  j["decision"] = decision_name(a.decision);
  if (a.decision == Decision::rule) j["rule"] = a.rule;
  return j;
}

}  // namespace

std::string to_json(const Evaluation& e) {
  ordered j;
  j["policy"] = {{"name", e.policy_name}, {"version", e.policy_version}};
  j["demand"] = {{"id", e.demand_id},
                 {"received_at", e.received_at},
                 {"received_local", detail::format_local_iso(e.received_at, e.received_offset)}};
  ordered classification;
  classification["urgency"] = attribute_json(e.urgency);
  classification["category"] = attribute_json(e.category);
  classification["nature"] = attribute_json(e.nature);
  ordered labels = ordered::object();
  for (const auto& [name, a] : e.labels) labels[name] = attribute_json(a);
  classification["labels"] = labels;
  j["classification"] = classification;
  ordered targets = ordered::array();
  for (const TargetResult& t : e.targets) {
    ordered tj;
    tj["name"] = t.name;
    tj["met_by"] = t.met_by;
    tj["calendar"] = t.calendar;
    tj["within"] = ordered::parse(t.within);
    tj["start"] = t.start;
    tj["due_at"] = t.due_at;
    tj["due_local"] = detail::format_local_iso(t.due_at, t.due_offset);
    tj["warn_at"] = t.warn_at;
    tj["warn_local"] = detail::format_local_iso(t.warn_at, t.warn_offset);
    tj["working_seconds"] = t.working_seconds;
    if (!t.trace.empty()) {
      ordered days = ordered::array();
      for (const TraceDay& d : t.trace) {
        ordered dj;
        if (d.from == d.to) dj["date"] = d.from;
        else dj["from"] = d.from, dj["to"] = d.to;
        dj["day"] = d.day;
        if (!d.name.empty()) dj["name"] = d.name;
        dj["counted"] = d.counted;
        dj["seconds"] = d.seconds;
        days.push_back(std::move(dj));
      }
      tj["explain"] = std::move(days);
    }
    targets.push_back(std::move(tj));
  }
  j["targets"] = std::move(targets);
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace crm
