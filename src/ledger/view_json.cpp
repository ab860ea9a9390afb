// SPDX-License-Identifier: Apache-2.0
#include "ledger/view_json.hpp"

#include "calendar/calendar_impl.hpp"
#include "core/civil_date.hpp"
#include "ledger/escalation.hpp"
#include "policy/policy_impl.hpp"

namespace crm::detail {

namespace {

void write_instant(JsonWriter& w, const char* key, int64_t t, const Calendar& calendar) {
  w.key(key).value(t);
  w.key((std::string(key, std::string_view(key).size() - 3) + "_local").c_str())
      .value(format_local_iso(t, calendar.utc_offset_at(t)));
}

// Each instant of the clock's escalation steps with its recipients as the view names them (the
// owner and department as they stand at the view's instant).
void write_escalations(JsonWriter& w, const TargetClock& c, const DemandView& v, int64_t at) {
  const std::vector<EscalationInstant> instants = escalation_instants(c, v.paused_since);
  if (instants.empty()) return;
  w.key("escalations").begin_array();
  for (const EscalationInstant& e : instants) {
    const EscalationStep& step = c.definition->escalation[e.step];
    w.begin_object().key("step").value(int64_t{e.step}).key("round").value(int64_t{e.round});
    w.key("on").value(step.on_due ? "due" : "warn");
    w.key("at").value(e.at).key("at_local").value(format_local_iso(e.at, c.calendar->utc_offset_at(e.at)));
    w.key("happened").boolean(e.at <= at);
    write_recipients(w, step, v.owner, v.department);
    w.end_object();
  }
  w.end_array();
}

void write_clock(JsonWriter& w, const TargetClock& c, const DemandView& v, int64_t at) {
  w.begin_object();
  w.key("name").value(c.definition->name).key("met_by").value(c.definition->met_by);
  w.key("policy_version").value(c.policy_version).key("within").raw(c.definition->within.text);
  w.key("clock").value(c.working() ? "working_time" : "elapsed_time");
  w.key("status").value(target_status_name(c.status));
  w.key("start").value(c.start);
  write_instant(w, "due_at", c.due, *c.calendar);
  write_instant(w, "warn_at", c.warn, *c.calendar);
  if (c.met_at != kNever) w.key("met_at").value(c.met_at);
  w.key("remaining_seconds").value(c.remaining).key("overrun_seconds").value(c.overrun);
  if (c.paused) w.key("paused").boolean(true);
  if (provisional_at(*c.calendar, c.due)) w.key("provisional").boolean(true);
  if (c.ended_at != kNever) w.key("ended_at").value(c.ended_at).key("ended_by").value(event_type_name(c.ended_by));
  if (c.definition->recurring) w.key("recurring").boolean(true);
  if (c.earlier_round) w.key("earlier_round").boolean(true);
  write_escalations(w, c, v, at);
  w.end_object();
}

}  // namespace

void write_recipients(JsonWriter& w, const EscalationStep& step, std::string_view owner, std::string_view department) {
  w.key("recipients").begin_array();
  for (const Recipient& r : step.notify) {
    w.begin_object();
    switch (r.kind) {
      case Recipient::Kind::owner: w.key("owner").value(owner); break;
      case Recipient::Kind::department_role: w.key("department").value(department).key("role").value(r.name); break;
      case Recipient::Kind::role: w.key("role").value(r.name); break;
      case Recipient::Kind::address: w.key("address").value(r.name); break;
    }
    w.end_object();
  }
  w.end_array();
}

void write_event(JsonWriter& w, const Event& e) {
  w.begin_object().key("n").value(int64_t{e.n}).key("type").value(event_type_name(e.type));
  w.key("at").value(e.at).key("actor").value(e.actor);
  write_event_fields(w, e);
  w.end_object();
}

void write_demand_view(JsonWriter& w, const DemandView& v, const Demand& d, const StoredDemandText& stored,
                       const std::vector<Event>& events, int64_t at) {
  w.key("id").value(d.id).key("at").value(at);
  w.key("policy").begin_object().key("name").value(stored.policy_name).key("version").value(v.policy.version()).end_object();
  w.key("state").value(demand_state_name(v.state));
  w.key("received_at").value(d.received_at);
  w.key("customer").value(d.customer.id).key("channel").value(d.channel);
  // What classification saw of the customer: a stored customer's tier, key flag, spend as of
  // received_at and account owner, else the demand's own fields.
  if (!d.customer.tier.empty() || d.customer.key || d.customer.annual_spend || !d.customer.owner.empty()) {
    w.key("customer_as_classified").begin_object();
    if (!d.customer.owner.empty()) w.key("owner").value(d.customer.owner);
    if (!d.customer.tier.empty()) w.key("tier").value(d.customer.tier);
    if (d.customer.key) w.key("key").boolean(*d.customer.key);
    if (d.customer.annual_spend) w.key("annual_spend").number(*d.customer.annual_spend);
    w.end_object();
  }
  w.key("owner").value(v.owner).key("department").value(v.department);
  w.key("classification").begin_object().key("urgency").value(v.urgency).key("category").value(v.category);
  w.key("nature").value(v.nature).end_object();
  if (v.paused_since != kNever) w.key("paused_since").value(v.paused_since);
  if (v.resolved_at != kNever) w.key("resolved_at").value(v.resolved_at);
  if (v.closed_at != kNever) w.key("closed_at").value(v.closed_at);
  if (!v.merged_into.empty()) w.key("merged_into").value(v.merged_into);
  w.key("targets").begin_array();
  for (const TargetClock& c : v.targets) write_clock(w, c, v, at);
  w.end_array().key("history").begin_array();
  for (const TargetClock& c : v.history) write_clock(w, c, v, at);
  w.end_array();
  w.key("events").begin_array();
  w.begin_object().key("n").value(int64_t{0}).key("type").value("received").key("at").value(d.received_at);
  w.key("actor").value(stored.received_by).end_object();
  for (const Event& e : events)
    if (e.at <= at) write_event(w, e);
  w.end_array();
  w.key("demand").raw(stored.document);
}

}  // namespace crm::detail
