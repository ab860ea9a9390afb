// SPDX-License-Identifier: Apache-2.0
// crm::Evaluation -> the result JSON (README "Result JSON"), keys in a fixed order.
#include "core/civil_date.hpp"
#include "core/json_writer.hpp"
#include "crmpolicy/policy.hpp"

namespace crm {

namespace {

using detail::JsonWriter;

const char* decision_name(Decision d) {
  switch (d) {
    case Decision::manual: return "manual";
    case Decision::rule: return "rule";
    case Decision::default_value: return "default";
  }
  return "default";
}

void write_attribute(JsonWriter& w, const char* name, const Attribute& a) {
  w.key(name).begin_object().key("value").value(a.value).key("decision").value(decision_name(a.decision));
  if (a.decision == Decision::rule) w.key("rule").value(a.rule);
  w.end_object();
}

void write_trace(JsonWriter& w, const std::vector<TraceDay>& trace) {
  w.key("explain").begin_array();
  for (const TraceDay& d : trace) {
    w.begin_object();
    if (d.from == d.to) w.key("date").value(d.from);
    else w.key("from").value(d.from).key("to").value(d.to);
    w.key("day").value(d.day);
    if (!d.name.empty()) w.key("name").value(d.name);
    w.key("counted").begin_array();
    for (const std::string& span : d.counted) w.value(span);
    w.end_array().key("seconds").value(d.seconds);
    if (d.provisional) w.key("provisional").boolean(true);
    w.end_object();
  }
  w.end_array();
}

// A local time as a JSON string, formatted on the stack.
void write_local(JsonWriter& w, const char* key, int64_t utc, int32_t offset) {
  char text[32];
  w.key(key).value(std::string_view(text, detail::format_local_iso(text, utc, offset)));
}

}  // namespace

std::string to_json(const Evaluation& e) {
  std::string out;
  out.reserve(512 + 400 * e.targets.size());
  JsonWriter w(out);
  w.begin_object();
  w.key("policy").begin_object().key("name").value(e.policy_name).key("version").value(e.policy_version).end_object();
  w.key("demand").begin_object().key("id").value(e.demand_id).key("received_at").value(e.received_at);
  write_local(w, "received_local", e.received_at, e.received_offset);
  w.end_object();
  w.key("classification").begin_object();
  write_attribute(w, "urgency", e.urgency);
  write_attribute(w, "category", e.category);
  write_attribute(w, "nature", e.nature);
  w.key("labels").begin_object();
  for (const auto& [name, a] : e.labels) write_attribute(w, name.c_str(), a);
  w.end_object().end_object();
  w.key("assignment").begin_object();
  write_attribute(w, "department", e.department);
  write_attribute(w, "owner", e.owner);
  w.end_object();
  w.key("targets").begin_array();
  for (const TargetResult& t : e.targets) {
    w.begin_object();
    w.key("name").value(t.name).key("met_by").value(t.met_by);
    if (!t.also_met_by.empty()) {
      w.key("also_met_by").begin_array();
      for (const std::string& type : t.also_met_by) w.value(type);
      w.end_array();
    }
    if (t.recurring) w.key("recurring").boolean(true);
    w.key("calendar").value(t.calendar);
    w.key("within").raw(t.within).key("start").value(t.start);
    w.key("due_at").value(t.due_at);
    write_local(w, "due_local", t.due_at, t.due_offset);
    w.key("warn_at").value(t.warn_at);
    write_local(w, "warn_local", t.warn_at, t.warn_offset);
    w.key("working_seconds").value(t.working_seconds);
    if (t.provisional) w.key("provisional").boolean(true);
    if (!t.trace.empty()) write_trace(w, t.trace);
    w.end_object();
  }
  w.end_array().end_object();
  return out;
}

}  // namespace crm
