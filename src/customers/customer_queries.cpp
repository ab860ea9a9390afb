// SPDX-License-Identifier: Apache-2.0
// Customer records, lists and relationship figures, as the acting user may see them.
#include "customers/customer_api.hpp"
#include <algorithm>
#include <cmath>

#include "calendar/calendar_impl.hpp"
#include "core/civil_date.hpp"
#include "core/json_writer.hpp"
#include "core/json_util.hpp"
#include "customers/customer_facts.hpp"
#include "customers/queries.hpp"
#include "customers/records.hpp"
#include "customers/seq_index.hpp"
#include "metrics/period.hpp"
#include "store/audit_log.hpp"
#include "store/customer_table.hpp"
#include "store/personal_data.hpp"
#include "store/prospect_table.hpp"

namespace crm {

namespace detail {

namespace {

using nlohmann::json;

const CalendarImpl& calendar_of(const AccessContext& c) {
  return CalendarAccess::impl(c.rules->calendars[c.rules->default_calendar].calendar);
}

Status require_customers(const AccessContext& c) {
  if (!c.rules->customers.has_customers)
    return Status::invalid_state("policy \"" + c.policy.name() + "\" " + c.policy.version() +
                                 " has no /customers section (tiers, churn, value)");
  return {};
}

void time_or_null(JsonWriter& w, const char* key, int64_t t) {
  w.key(key);
  if (t == kNone) w.null();
  else w.value(t);
}

void money(JsonWriter& w, const char* key, int64_t cents) { w.key(key).number(static_cast<double>(cents) / 100); }

double rounded(double x) { return std::round(x * 10000) / 10000; }

// The first contact, as the actor may see it.
void write_contact(JsonWriter& w, const AccessContext& c, const CustomerState& s) {
  w.key("contact");
  if (s.contact_name.empty()) {
    w.null();
    return;
  }
  w.begin_object().key("name").value(c.sees_personal() ? s.contact_name : mask_name(s.contact_name));
  if (!s.contact_phone.empty()) w.key("phone").value(c.sees_personal() ? s.contact_phone : mask_phone(s.contact_phone));
  if (!s.contact_email.empty()) w.key("email").value(c.sees_personal() ? s.contact_email : mask_email(s.contact_email));
  w.end_object();
}

// The tier an estimated potential spend would reach, and the headroom above the actual spend.
void write_potential(JsonWriter& w, const CustomerRules& rules, const CustomerState& s) {
  w.key("potential");
  if (s.potential == kNone) {
    w.null();
    return;
  }
  w.begin_object().key("tier").value(rules.tiers[tier_of(rules, s.potential)].name);
  money(w, "annual_spend", s.potential);
  money(w, "headroom_12m", std::max<int64_t>(0, s.potential - s.spend_12m));
  w.end_object();
}

void write_summary(JsonWriter& w, const AccessContext& c, const CustomerState& s, int64_t at) {
  const CustomerRules& rules = c.rules->customers;
  const Tier& tier = rules.tiers[tier_of(rules, s.spend_12m)];
  const ValueScore v = value_of(rules.value, s, at);
  w.key("id").value(s.id).key("company").value(s.company).key("owner").value(s.owner).key("department").value(s.department);
  w.key("tier").value(tier.name).key("key").boolean(tier.key);
  money(w, "spend_12m", s.spend_12m);
  w.key("purchases_12m").value(int64_t{s.purchases_12m});
  w.key("value").number(rounded(v.value));
  write_potential(w, rules, s);
}

}  // namespace

QueryResult customer_view(DatabaseImpl& d, const AccessContext& c, const CustomerQuery& q) {
  if (Status s = require_customers(c); !s.ok()) return s;
  auto stored = find_customer_record(d, q.id);
  if (!stored.ok()) return std::move(stored).status();
  if (!*stored) return Status::not_found("/id: no customer \"" + q.id + "\"");
  const int64_t seq = (*stored)->seq;
  const std::string &owner = (*stored)->owner, &department = (*stored)->department;
  const RecordScope scope{{owner}, department};
  if (Status st = check(*c.role, c.actor, kCustomerRead, &scope, "customer \"" + q.id + "\""); !st.ok())
    return c.denial.deny({"read", "customer", q.id}, std::move(st));
  auto states = load_customer_states(d, c, q.at, {q.id, "", "", "", ""});
  if (!states.ok()) return std::move(states).status();
  const CustomerState& cs = states->at(0);
  const CustomerRules& rules = c.rules->customers;
  const Tier& tier = rules.tiers[tier_of(rules, cs.spend_12m)];
  const ValueScore v = value_of(rules.value, cs, q.at);
  const CalendarImpl& cal = calendar_of(c);
  const Collection col = collection_of(rules, tier, cal, cs, q.at);
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("at").value(q.at).key("customer").raw(c.shown(std::move((*stored)->document)).dump());
  w.key("tier").value(tier.name).key("key").boolean(tier.key);
  money(w, "spend_12m", cs.spend_12m);
  w.key("purchases_12m").value(int64_t{cs.purchases_12m});
  w.key("value").begin_object().key("score").number(rounded(v.value)).key("recency").value(int64_t{v.recency});
  w.key("frequency").value(int64_t{v.frequency}).key("monetary").value(int64_t{v.monetary}).end_object();
  write_potential(w, rules, cs);
  time_or_null(w, "last_purchase_at", cs.last_purchase);
  time_or_null(w, "last_interaction_at", cs.last_interaction);
  w.key("usual_purchase_interval_days");
  if (cs.usual_interval) w.number(rounded(static_cast<double>(cs.usual_interval) / 86400));
  else w.null();
  w.key("needs_collection").begin_object();
  time_or_null(w, "last_at", cs.last_needs);
  w.key("every_months").value(int64_t{tier.collect_needs_every_months});
  w.key("due_date").value(format_iso_date(col.due_day)).key("due_at").value(col.due_at).key("status").value(col.status).end_object();
  w.key("latest_survey_score");
  if (cs.latest_score) w.value(int64_t{cs.latest_score});
  else w.null();
  time_or_null(w, "contract_ends_at", cs.contract_end);
  w.key("open_complaints").value(int64_t{cs.open_complaints});
  w.key("churn").begin_array();
  for (const ChurnReason& r : churn_reasons(rules.churn, cs, q.at))
    w.begin_object().key("rule").value(r.rule).key("detail").value(r.detail).end_object();
  w.end_array();
  w.key("activities").begin_array();
  Status s = scan_customer_activities(d, seq, q.at, [&](const ActivityRow& r) {
    Activity a;
    a.customer = q.id;
    a.type = static_cast<ActivityType>(r.fact.type);
    a.at = r.fact.at;
    a.amount_cents = r.fact.amount_cents;
    a.score = r.fact.score;
    a.ends_at = r.fact.ends_at;
    a.needs_collected = r.fact.needs_collected;
    a.kind = r.kind;
    a.note = r.note;
    json j = activity_json(a);
    j.erase("customer");
    j["actor"] = r.actor;
    w.raw(j.dump());
  });
  if (!s.ok()) return s;
  w.end_array().end_object();
  return out;
}

QueryResult customer_list(DatabaseImpl& d, const AccessContext& c, const CustomerQuery& q) {
  if (Status s = require_customers(c); !s.ok()) return s;
  CustomerFilter filter{"", q.owner, q.department, "", ""};
  if (!q.phone.empty() || !q.email.empty()) {
    // Whose phone this is tells personal data: only a role that may read it may ask.
    const bool phone = !q.phone.empty();
    if (Status st = check(*c.role, c.actor, kPersonalRead, nullptr, std::string("finding customers by ") + (phone ? "phone" : "email"));
        !st.ok())
      return c.denial.deny({"read", "customer", "*"}, std::move(st));
    if (Status st = personal_lookup_ready(d); !st.ok()) return st;
    const auto hash = personal_lookup_hash(d.keys_.data, phone ? "phone" : "email", phone ? q.phone : q.email);
    if (!hash) return Status::invalid_argument(std::string(phone ? "/phone: has no digits" : "/email: is blank"));
    filter.lookup_field = phone ? "customer.phone" : "customer.email";
    filter.lookup_hash = *hash;
  }
  auto states = load_customer_states(d, c, q.at, filter);
  if (!states.ok()) return std::move(states).status();
  const CustomerRules& rules = c.rules->customers;
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("at").value(q.at).key("customers").begin_array();
  for (const CustomerState& cs : *states) {
    if (!q.tier.empty() && rules.tiers[tier_of(rules, cs.spend_12m)].name != q.tier) continue;
    w.begin_object();
    write_summary(w, c, cs, q.at);
    time_or_null(w, "last_contact_at", std::max(cs.last_purchase, cs.last_interaction));
    w.end_object();
  }
  w.end_array().end_object();
  return out;
}

QueryResult tier_summary(DatabaseImpl& d, const AccessContext& c, const CustomerQuery& q) {
  if (Status s = require_customers(c); !s.ok()) return s;
  auto states = load_customer_states(d, c, q.at, {"", q.owner, q.department, "", ""});
  if (!states.ok()) return std::move(states).status();
  const CustomerRules& rules = c.rules->customers;
  std::vector<int64_t> count(rules.tiers.size()), revenue(rules.tiers.size()), headroom(rules.tiers.size());
  for (const CustomerState& cs : *states) {
    const size_t t = tier_of(rules, cs.spend_12m);
    ++count[t];
    revenue[t] += cs.spend_12m;
    if (cs.potential != kNone) headroom[t] += std::max<int64_t>(0, cs.potential - cs.spend_12m);
  }
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("at").value(q.at).key("tiers").begin_array();
  int64_t total = 0, total_revenue = 0;
  for (size_t t = 0; t < rules.tiers.size(); ++t) {
    w.begin_object().key("tier").value(rules.tiers[t].name).key("key").boolean(rules.tiers[t].key);
    money(w, "min_annual_spend", rules.tiers[t].min_annual_spend_cents);
    w.key("customers").value(count[t]);
    money(w, "revenue_12m", revenue[t]);
    money(w, "potential_headroom", headroom[t]);
    w.end_object();
    total += count[t];
    total_revenue += revenue[t];
  }
  w.end_array().key("total").begin_object().key("customers").value(total);
  money(w, "revenue_12m", total_revenue);
  w.end_object().end_object();
  return out;
}

QueryResult collection_due(DatabaseImpl& d, const AccessContext& c, const CustomerQuery& q) {
  if (Status s = require_customers(c); !s.ok()) return s;
  auto states = load_customer_states(d, c, q.at, {"", q.owner, q.department, "", ""});
  if (!states.ok()) return std::move(states).status();
  const CustomerRules& rules = c.rules->customers;
  const CalendarImpl& cal = calendar_of(c);
  struct Item {
    const CustomerState* s;
    size_t tier;
    Collection col;
  };
  std::vector<Item> items;
  for (const CustomerState& cs : *states) {
    const size_t t = tier_of(rules, cs.spend_12m);
    Collection col = collection_of(rules, rules.tiers[t], cal, cs, q.at);
    if (q.all || col.status[0] != 'o' || col.status[1] == 'v') items.push_back({&cs, t, col});
  }
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return a.col.due_at != b.col.due_at ? a.col.due_at < b.col.due_at : a.s->id < b.s->id;
  });
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("at").value(q.at).key("items").begin_array();
  for (const Item& it : items) {
    const Tier& tier = rules.tiers[it.tier];
    w.begin_object().key("id").value(it.s->id).key("company").value(it.s->company).key("owner").value(it.s->owner);
    w.key("department").value(it.s->department).key("tier").value(tier.name).key("key").boolean(tier.key);
    w.key("every_months").value(int64_t{tier.collect_needs_every_months});
    time_or_null(w, "last_collected_at", it.s->last_needs);
    w.key("due_date").value(format_iso_date(it.col.due_day)).key("due_at").value(it.col.due_at).key("status").value(it.col.status);
    write_contact(w, c, *it.s);
    w.end_object();
  }
  w.end_array().end_object();
  return out;
}

QueryResult churn_list(DatabaseImpl& d, const AccessContext& c, const CustomerQuery& q) {
  if (Status s = require_customers(c); !s.ok()) return s;
  auto states = load_customer_states(d, c, q.at, {"", q.owner, q.department, "", ""});
  if (!states.ok()) return std::move(states).status();
  const CustomerRules& rules = c.rules->customers;
  struct Warning {
    const CustomerState* s;
    double value;
    std::vector<ChurnReason> reasons;
  };
  std::vector<Warning> warnings;
  for (const CustomerState& cs : *states) {
    auto reasons = churn_reasons(rules.churn, cs, q.at);
    if (!reasons.empty()) warnings.push_back({&cs, value_of(rules.value, cs, q.at).value, std::move(reasons)});
  }
  // The most valuable customers at risk first: they are the ones to call today.
  std::sort(warnings.begin(), warnings.end(), [](const Warning& a, const Warning& b) {
    return a.value != b.value ? a.value > b.value : a.s->id < b.s->id;
  });
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("at").value(q.at).key("warnings").begin_array();
  for (const Warning& wr : warnings) {
    w.begin_object();
    write_summary(w, c, *wr.s, q.at);
    w.key("reasons").begin_array();
    for (const ChurnReason& r : wr.reasons) w.begin_object().key("rule").value(r.rule).key("detail").value(r.detail).end_object();
    w.end_array();
    write_contact(w, c, *wr.s);
    w.end_object();
  }
  w.end_array().end_object();
  return out;
}

QueryResult relationship_report(DatabaseImpl& d, const AccessContext& c, const CustomerQuery& q) {
  const CustomerRules& rules = c.rules->customers;
  if (!rules.has_relationship)
    return Status::invalid_state("policy \"" + c.policy.name() + "\" has no /relationship section (survey and interaction goals)");
  const CalendarImpl& cal = calendar_of(c);
  const int32_t at_day = cal.local_day(q.at);
  int32_t first_day = q.from ? cal.local_day(*q.from) : period_first_day(PeriodKind::year, period_ordinal(PeriodKind::year, at_day));
  int32_t end_day = q.to ? cal.local_day(*q.to - 1) + 1 : period_first_day(PeriodKind::year, period_ordinal(PeriodKind::year, at_day) + 1);
  auto states = load_customer_states(d, c, q.at, {"", q.owner, q.department, "", ""});
  if (!states.ok()) return std::move(states).status();
  SeqIndex index;
  for (size_t i = 0; i < states->size(); ++i) index.add((*states)[i].seq, i);
  struct Fact {
    int32_t customer, day;
    uint8_t type;
    uint8_t score;
  };
  std::vector<Fact> facts;
  Status s = scan_activities_between(d, cal.local_to_utc(first_day, 0), cal.local_to_utc(end_day, 0), q.at, [&](const ActivityFact& a) {
    const int32_t customer = index.find(a.customer_seq);
    if (customer < 0) return;
    facts.push_back({customer, cal.local_day(a.at), static_cast<uint8_t>(a.type), static_cast<uint8_t>(a.score)});
  });
  if (!s.ok()) return s;
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("at").value(q.at).key("from").value(format_iso_date(first_day)).key("to").value(format_iso_date(end_day));
  w.key("satisfied_at_least").value(int64_t{rules.satisfied_at_least}).key("goals").begin_array();
  for (const RelationshipGoal& g : rules.goals) {
    const PeriodTable periods(*parse_period_kind(g.period), first_day, end_day);
    const size_t n = states->size();
    // Per period and customer: surveys, interactions, purchases, satisfied surveys.
    std::vector<uint32_t> counts(periods.size() * n * 4);
    for (const Fact& f : facts) {
      const int32_t p = periods.index(f.day);
      if (p < 0) continue;
      uint32_t* cell = &counts[(static_cast<size_t>(p) * n + static_cast<size_t>(f.customer)) * 4];
      if (f.type == static_cast<uint8_t>(ActivityType::survey)) {
        ++cell[0];
        if (f.score >= rules.satisfied_at_least) ++cell[3];
      } else if (f.type == static_cast<uint8_t>(ActivityType::interaction)) {
        ++cell[1];
      } else {
        ++cell[2];
      }
    }
    w.begin_object().key("metric").value(g.metric).key("period").value(g.period).key("min").number(g.min);
    if (g.metric == "interaction_coverage") w.key("count").value(int64_t{g.count});
    w.key("description").value(g.description).key("rows").begin_array();
    for (size_t p = 0; p < periods.size(); ++p) {
      const int64_t start = cal.local_to_utc(periods.first_day(p), 0);
      if (start > q.at) break;  // a period not begun yet has no figure
      int64_t numerator = 0, denominator = 0;
      for (size_t i = 0; i < n; ++i) {
        const uint32_t* cell = &counts[(p * n + i) * 4];
        const CustomerState& cs = (*states)[i];
        const int64_t since = cs.since != kNone ? cs.since : cs.first_activity;
        const bool existing = since != kNone && since < start;
        if (g.metric == "survey_satisfaction") {
          numerator += cell[3];
          denominator += cell[0];
        } else if (g.metric == "survey_coverage" || g.metric == "interaction_coverage") {
          if (!existing) continue;
          ++denominator;
          numerator += g.metric == "survey_coverage" ? cell[0] > 0 : cell[1] >= static_cast<uint32_t>(g.count);
        } else if (cell[2] > 0) {  // loyalty
          ++denominator;
          numerator += cell[2] >= 2;
        }
      }
      w.begin_object().key("period").value(period_label(periods.kind(), periods.ordinal(p)));
      w.key("complete").boolean(cal.local_to_utc(periods.end_day(p), 0) <= q.at);
      w.key("numerator").value(numerator).key("denominator").value(denominator).key("value");
      if (denominator) w.number(rounded(static_cast<double>(numerator) / static_cast<double>(denominator)));
      else w.null();
      w.key("met");
      if (denominator) w.boolean(static_cast<double>(numerator) >= g.min * static_cast<double>(denominator) - 1e-9);
      else w.null();
      w.end_object();
    }
    w.end_array().end_object();
  }
  w.end_array().end_object();
  return out;
}

QueryResult record_history(DatabaseImpl& d, const AccessContext& c, const CustomerQuery& q) {
  // Whose history: the record (reachable by the actor), plus the prospect a customer came from.
  std::vector<std::pair<std::string, std::string>> records;
  if (q.query == "audit") {
    if (Status st = check(*c.role, c.actor, kAuditRead, nullptr, "the audit log"); !st.ok())
      return c.denial.deny({"read", "audit", "*"}, std::move(st));
  } else {
    const bool customer = q.kind == "customer";
    std::string owners[3], department;
    json doc;
    bool found = false;
    if (customer) {
      auto stored = find_customer_record(d, q.id);
      if (!stored.ok()) return std::move(stored).status();
      if ((found = stored->has_value())) owners[0] = (*stored)->owner, department = (*stored)->department, doc = std::move((*stored)->document);
    } else {
      auto stored = find_prospect_record(d, q.id);
      if (!stored.ok()) return std::move(stored).status();
      if ((found = stored->has_value())) {
        owners[0] = (*stored)->first_contact, owners[1] = (*stored)->follow_up, owners[2] = (*stored)->project;
        department = (*stored)->department, doc = std::move((*stored)->document);
      }
    }
    if (!found) return Status::not_found("/id: no " + q.kind + " \"" + q.id + "\"");
    const RecordScope scope{{owners[0], owners[1], owners[2]}, department};
    if (Status st = check(*c.role, c.actor, customer ? kCustomerRead : kProspectRead, &scope, q.kind + " \"" + q.id + "\"");
        !st.ok())
      return c.denial.deny({"read", q.kind, q.id}, std::move(st));
    records.emplace_back(q.kind, q.id);
    if (customer && doc.contains("converted_from")) records.emplace_back("prospect", doc.at("converted_from").get<std::string>());
  }
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("entries").begin_array();
  Status row_error;  // the first stored entry that does not parse
  const auto row = [&](const AuditRow& r) {
    w.begin_object().key("seq").value(r.seq).key("recorded_at").value(r.recorded_at);
    w.key("actor").value(r.actor).key("role").value(r.role).key("operation").value(r.operation);
    w.key("kind").value(r.kind).key("record").value(r.record).key("outcome").value(r.outcome);
    for (const auto& [key, text] : {std::pair{"before", &r.before}, std::pair{"after", &r.after}}) {
      w.key(key);
      if (!*text) {
        w.null();
        continue;
      }
      auto parsed = open_audit_document(d.keys_.data, r.kind, r.record, key == std::string_view("after"), **text, r.seq);
      if (parsed.ok()) {
        w.raw(c.shown(std::move(*parsed)).dump());
      } else {
        w.null();
        if (row_error.ok()) row_error = parsed.status();
      }
    }
    w.key("message").value(r.message).end_object();
  };
  const Status s = q.query == "audit" ? scan_audit_between(d, q.from.value_or(0), q.to.value_or(INT64_MAX), row)
                                      : scan_audit_of(d, records, row);
  if (!s.ok()) return s;
  if (!row_error.ok()) return row_error;
  w.end_array().end_object();
  return out;
}

}  // namespace detail

Result<std::string> detail::api::customer_query(detail::DatabaseImpl& impl, std::string_view actor_json, std::string_view query_json) {
  detail::DatabaseImpl& d = impl;
  auto c = detail::access_context(d, actor_json);
  if (!c.ok()) return std::move(c).status();
  auto q = detail::parse_customer_query(query_json);
  if (!q.ok()) return std::move(q).status();
  const bool prospects = q->query == "prospect" || q->query == "prospects" || q->query == "prospect_due" || q->query == "funnel";
  if (q->query != "audit" && q->query != "history") {
    const uint32_t needed = prospects ? detail::kProspectRead : detail::kCustomerRead;
    if (Status s = detail::check(*c->role, c->actor, needed, nullptr, "query " + q->query); !s.ok())
      return detail::deny(d, *c, {"read", prospects ? "prospect" : "customer", "*"}, std::move(s));
  }
  using Handler = detail::QueryResult (*)(detail::DatabaseImpl&, const detail::AccessContext&, const detail::CustomerQuery&);
  static const std::pair<const char*, Handler> kHandlers[] = {
      {"customer", detail::customer_view},        {"customers", detail::customer_list},  {"tiers", detail::tier_summary},
      {"collection_due", detail::collection_due}, {"churn", detail::churn_list},         {"relationship", detail::relationship_report},
      {"history", detail::record_history},        {"audit", detail::record_history},     {"prospect", detail::prospect_view},
      {"prospects", detail::prospect_list},       {"prospect_due", detail::prospect_due}, {"funnel", detail::funnel},
  };
  Handler handler = nullptr;
  for (const auto& [name, h] : kHandlers)
    if (q->query == name) handler = h;
  if (!handler) return Status::internal("query \"" + q->query + "\" has no handler");
  auto answer = [&]() -> Result<std::string> {
    detail::Transaction tx(d);  // one consistent snapshot for the whole answer
    if (Status s = tx.begin(false); !s.ok()) return s;
    return handler(d, *c, *q);
  }();
  if (!answer.ok()) return c->denial.finish(d, *c, std::move(answer).status());
  return answer;
}

}  // namespace crm
