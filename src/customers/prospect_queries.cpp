// SPDX-License-Identifier: Apache-2.0
// Prospects: one record, the list, the follow-ups falling due and the conversion funnel.
#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "calendar/calendar_impl.hpp"
#include "core/civil_date.hpp"
#include "core/json_writer.hpp"
#include "core/json_util.hpp"
#include "customers/customer_facts.hpp"
#include "customers/queries.hpp"
#include "customers/records.hpp"
#include "customers/seq_index.hpp"
#include "metrics/period.hpp"
#include "store/prospect_table.hpp"

namespace crm::detail {

namespace {

using nlohmann::json;

struct PlanItem {
  std::string item;
  int64_t due_at;
  bool done;
};

struct ProspectState {
  int64_t seq = 0, created_at = 0;
  std::string id, company, department, first_contact, follow_up, project, industry, size, need, source, customer;
  Stage stage = Stage::initial_contact;
  std::array<int64_t, kStageCount> reached;  // first reached; a skipped stage counts as reached on the jump
  uint32_t skipped = 0;                      // bit k: stage k was jumped over (no time spent in it)
  int64_t last_follow_up = kNone, last_stage_change = kNone, converted_at = kNone;
  int32_t follow_ups = 0;
  int32_t quality_sum = 0, quality_count = 0;  // follow-ups with a quality score
  std::vector<PlanItem> plan;
  ProspectState() { reached.fill(kNone); }
  int64_t last_touch() const { return std::max({created_at, last_follow_up, last_stage_change}); }
};

Result<std::vector<ProspectState>> load_prospects(DatabaseImpl& d, const AccessContext& c, int64_t at, const CustomerQuery& q) {
  std::vector<ProspectState> out;
  SeqIndex index;
  Status s = scan_prospect_rows(
      d, at, {q.query == "prospect" ? q.id : std::string(), q.owner, q.department},
      [&](const ProspectRecordRow& r) {
        return in_scope(*c.role, c.actor, RecordScope{{r.first_contact, r.follow_up, r.project}, r.department});
      },
      [&](ProspectRow&& r, const ProspectRecordRow& record) {
        ProspectState p;
        p.seq = record.seq;
        p.id = std::move(r.id);
        p.department = std::move(r.department);
        p.first_contact = std::move(r.first_contact);
        p.follow_up = std::move(r.follow_up);
        p.project = std::move(r.project);
        p.industry = std::move(r.industry);
        p.size = std::move(r.size);
        p.need = std::move(r.need);
        p.source = std::move(r.source);
        p.created_at = r.created_at;
        p.company = std::move(r.company);
        p.customer = record.customer;
        p.reached[0] = p.created_at;
        index.add(p.seq, out.size());
        out.push_back(std::move(p));
      });
  if (!s.ok() || out.empty()) return s.ok() ? Result<std::vector<ProspectState>>(std::move(out)) : Result<std::vector<ProspectState>>(s);
  s = scan_prospect_events(d, at, out.size() == 1 ? out[0].seq : -1, [&](const ProspectEventRow& e) {
    const int32_t position = index.find(e.prospect_seq);
    if (position < 0) return;
    ProspectState& p = out[static_cast<size_t>(position)];
    const int64_t t = e.at;
    switch (static_cast<ProspectEventType>(e.type)) {
      case ProspectEventType::stage: {
        const auto to = static_cast<Stage>(e.stage);
        p.stage = to;
        p.last_stage_change = t;
        if (to == Stage::lost) p.reached[static_cast<size_t>(Stage::lost)] = t;
        else
          for (size_t k = 0; k <= static_cast<size_t>(to); ++k)
            if (p.reached[k] == kNone) {
              p.reached[k] = t;
              if (k < static_cast<size_t>(to)) p.skipped |= 1u << k;
            }
        break;
      }
      case ProspectEventType::follow_up: {
        ++p.follow_ups;
        p.last_follow_up = t;
        if (e.quality > 0) p.quality_sum += static_cast<int32_t>(e.quality), ++p.quality_count;
        for (PlanItem& i : p.plan)
          if (!e.item.empty() && i.item == e.item) i.done = true;
        break;
      }
      case ProspectEventType::plan: p.plan.push_back({e.item, e.due_at, false}); break;
      case ProspectEventType::evaluation: break;
      case ProspectEventType::convert: p.converted_at = t; break;
    }
  });
  if (!s.ok()) return s;
  return out;
}

const FollowUpRule* follow_up_rule(const CustomerRules& rules, const ProspectState& p) {
  for (const FollowUpRule& r : rules.follow_up) {
    if ((r.stage.empty() || r.stage == stage_name(p.stage)) && (r.industry.empty() || r.industry == p.industry) &&
        (r.size.empty() || r.size == p.size) && (r.need.empty() || r.need == p.need) && (r.source.empty() || r.source == p.source))
      return &r;
  }
  return nullptr;
}

Status require_prospects(const AccessContext& c) {
  if (!c.rules->customers.has_prospects)
    return Status::invalid_state("policy \"" + c.policy.name() + "\" has no /prospects section (follow-up cadence)");
  return {};
}

const Calendar& calendar_of(const AccessContext& c) { return c.rules->calendars[c.rules->default_calendar].calendar; }

void write_brief(JsonWriter& w, const ProspectState& p) {
  w.key("id").value(p.id).key("company").value(p.company).key("stage").value(stage_name(p.stage));
  w.key("owner").value(p.follow_up).key("department").value(p.department);
}

double median_days(std::vector<int64_t>& v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  const double mid = n % 2 ? static_cast<double>(v[n / 2]) : (static_cast<double>(v[n / 2 - 1]) + static_cast<double>(v[n / 2])) / 2;
  return std::round(mid / 86400 * 100) / 100;
}

}  // namespace

QueryResult prospect_view(DatabaseImpl& d, const AccessContext& c, const CustomerQuery& q) {
  auto stored = find_prospect_record(d, q.id);
  if (!stored.ok()) return std::move(stored).status();
  if (!*stored) return Status::not_found("/id: no prospect \"" + q.id + "\"");
  const std::string owners[3] = {(*stored)->first_contact, (*stored)->follow_up, (*stored)->project};
  const std::string& department = (*stored)->department;
  const RecordScope scope{{owners[0], owners[1], owners[2]}, department};
  if (Status st = check(*c.role, c.actor, kProspectRead, &scope, "prospect \"" + q.id + "\""); !st.ok())
    return c.denial.deny({"read", "prospect", q.id}, std::move(st));
  auto states = load_prospects(d, c, q.at, q);
  if (!states.ok()) return std::move(states).status();
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("at").value(q.at).key("prospect").raw(c.shown(std::move((*stored)->document)).dump());
  if (states->empty()) {
    w.key("stage").null();  // not yet created at `at`
  } else {
    const ProspectState& p = states->front();
    w.key("stage").value(stage_name(p.stage)).key("follow_ups").value(int64_t{p.follow_ups});
    w.key("customer");
    if (p.customer.empty()) w.null();
    else w.value(p.customer);
    w.key("reached").begin_object();
    for (size_t k = 0; k < kStageCount; ++k)
      if (p.reached[k] != kNone) w.key(stage_name(static_cast<Stage>(k))).value(p.reached[k]);
    w.end_object().key("plan").begin_array();
    for (const PlanItem& i : p.plan)
      w.begin_object().key("item").value(i.item).key("due_at").value(i.due_at).key("done").boolean(i.done).end_object();
    w.end_array();
  }
  w.key("events").begin_array();
  Status row_error;  // the first stored event that does not parse
  Status s = scan_events_of_prospect(d, q.id, q.at, [&](const ProspectEventRow& r) {
    auto parsed = parse_stored_json(r.details, "event " + std::to_string(r.n) + " of prospect \"" + q.id + "\"");
    if (!parsed.ok()) {
      if (row_error.ok()) row_error = parsed.status();
      return;
    }
    json e = std::move(*parsed);
    e["n"] = r.n;
    e["type"] = prospect_event_type_name(static_cast<ProspectEventType>(r.type));
    e["at"] = r.at;
    e["stage"] = stage_name(static_cast<Stage>(r.stage));
    if (!r.item.empty()) e["item"] = r.item;
    if (r.due_at) e["due_at"] = r.due_at;
    e["actor"] = r.actor;
    w.raw(e.dump());
  });
  if (!s.ok()) return s;
  if (!row_error.ok()) return row_error;
  w.end_array().end_object();
  return out;
}

QueryResult prospect_list(DatabaseImpl& d, const AccessContext& c, const CustomerQuery& q) {
  auto states = load_prospects(d, c, q.at, q);
  if (!states.ok()) return std::move(states).status();
  Stage only = Stage::initial_contact;
  if (!q.stage.empty() && !parse_stage(q.stage, only)) return Status::invalid_argument("/stage: unknown stage \"" + q.stage + "\"");
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("at").value(q.at).key("prospects").begin_array();
  for (const ProspectState& p : *states) {
    if (!q.stage.empty() && p.stage != only) continue;
    w.begin_object();
    write_brief(w, p);
    w.key("industry").value(p.industry).key("size").value(p.size).key("need").value(p.need).key("source").value(p.source);
    w.key("created_at").value(p.created_at).key("follow_ups").value(int64_t{p.follow_ups}).key("last_follow_up_at");
    if (p.last_follow_up == kNone) w.null();
    else w.value(p.last_follow_up);
    w.key("customer");
    if (p.customer.empty()) w.null();
    else w.value(p.customer);
    w.end_object();
  }
  w.end_array().end_object();
  return out;
}

QueryResult prospect_due(DatabaseImpl& d, const AccessContext& c, const CustomerQuery& q) {
  if (Status s = require_prospects(c); !s.ok()) return s;
  auto states = load_prospects(d, c, q.at, q);
  if (!states.ok()) return std::move(states).status();
  const CustomerRules& rules = c.rules->customers;
  const Calendar& calendar = calendar_of(c);
  const int64_t until = std::max(q.at, q.to.value_or(q.at));
  struct Item {
    const ProspectState* p;
    const char* kind;
    std::string item;
    int64_t due_at;
  };
  std::vector<Item> items;
  for (const ProspectState& p : *states) {
    if (p.stage == Stage::lost || !p.customer.empty()) continue;
    if (const FollowUpRule* rule = follow_up_rule(rules, p)) {
      auto due = calendar.add_working_days(p.last_touch(), rule->every_working_days);
      if (!due.ok()) return std::move(due).status();
      if (*due <= until) items.push_back({&p, "follow_up", "", *due});
    }
    for (const PlanItem& i : p.plan)
      if (!i.done && i.due_at <= until) items.push_back({&p, "plan_item", i.item, i.due_at});
    if (rules.stale_after_working_days > 0) {
      auto stale = calendar.add_working_days(std::max(p.created_at, p.last_follow_up), rules.stale_after_working_days);
      if (!stale.ok()) return std::move(stale).status();
      if (*stale <= q.at) items.push_back({&p, "stale", "", *stale});
    }
  }
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return a.due_at != b.due_at ? a.due_at < b.due_at : a.p->id != b.p->id ? a.p->id < b.p->id : a.item < b.item;
  });
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("at").value(q.at).key("until").value(until).key("items").begin_array();
  for (const Item& i : items) {
    w.begin_object();
    write_brief(w, *i.p);
    w.key("kind").value(i.kind);
    if (!i.item.empty()) w.key("item").value(i.item);
    w.key("due_at").value(i.due_at).key("overdue").boolean(i.due_at <= q.at).key("last_follow_up_at");
    if (i.p->last_follow_up == kNone) w.null();
    else w.value(i.p->last_follow_up);
    w.end_object();
  }
  w.end_array().end_object();
  return out;
}

QueryResult funnel(DatabaseImpl& d, const AccessContext& c, const CustomerQuery& q) {
  auto states = load_prospects(d, c, q.at, q);
  if (!states.ok()) return std::move(states).status();
  const CalendarImpl& cal = CalendarAccess::impl(calendar_of(c));
  const PeriodKind kind = q.period.empty() ? PeriodKind::month : *parse_period_kind(q.period);
  const int32_t at_day = cal.local_day(q.at);
  const int32_t first_day = q.from ? cal.local_day(*q.from) : period_first_day(PeriodKind::year, period_ordinal(PeriodKind::year, at_day));
  const int32_t end_day = q.to ? cal.local_day(*q.to - 1) + 1 : period_first_day(PeriodKind::year, period_ordinal(PeriodKind::year, at_day) + 1);
  const PeriodTable periods(kind, first_day, end_day);
  constexpr size_t kOpenStages = kStageCount - 1;  // every stage but lost
  struct Row {
    int64_t prospects = 0, lost = 0, follow_ups = 0, quality_sum = 0, quality_count = 0;
    std::array<int64_t, kOpenStages> reached{};
    std::array<std::vector<int64_t>, kOpenStages> time_in_stage;
  };
  // (period, group) -> row; period == periods.size() is the whole range.
  std::map<std::pair<size_t, std::string>, Row> rows;
  for (const ProspectState& p : *states) {
    const int32_t period = periods.index(cal.local_day(p.created_at));
    if (period < 0) continue;
    const std::string group = q.by == "owner" ? p.follow_up : q.by == "department" ? p.department : "";
    for (Row* r : {&rows[{static_cast<size_t>(period), group}], &rows[{periods.size(), group}]}) {
      ++r->prospects;
      r->follow_ups += p.follow_ups;
      r->quality_sum += p.quality_sum;
      r->quality_count += p.quality_count;
      const int64_t lost_at = p.reached[static_cast<size_t>(Stage::lost)];
      if (lost_at != kNone) ++r->lost;
      for (size_t k = 0; k < kOpenStages; ++k) {
        if (p.reached[k] == kNone) continue;
        ++r->reached[k];
        if (p.skipped & (1u << k)) continue;
        // Left the stage when a later one was reached or the prospect was lost.
        int64_t left = kNone;
        for (size_t j = k + 1; j < kOpenStages && left == kNone; ++j) left = p.reached[j];
        if (left == kNone && lost_at != kNone && lost_at >= p.reached[k]) left = lost_at;
        if (left != kNone) r->time_in_stage[k].push_back(left - p.reached[k]);
      }
    }
  }
  std::string out;
  JsonWriter w(out);
  w.begin_object().key("at").value(q.at).key("period").value(period_kind_name(kind)).key("by");
  if (q.by.empty()) w.null();
  else w.value(q.by);
  w.key("stages").begin_array();
  for (size_t k = 0; k < kOpenStages; ++k) w.value(stage_name(static_cast<Stage>(k)));
  w.end_array().key("rows").begin_array();
  for (auto& [key, r] : rows) {
    w.begin_object().key("period");
    if (key.first == periods.size()) w.value("total");
    else w.value(period_label(kind, periods.ordinal(key.first)));
    if (!q.by.empty()) w.key(q.by.c_str()).value(key.second);
    w.key("prospects").value(r.prospects).key("reached").begin_object();
    for (size_t k = 0; k < kOpenStages; ++k) w.key(stage_name(static_cast<Stage>(k))).value(r.reached[k]);
    w.end_object().key("conversion").begin_object();
    for (size_t k = 0; k + 1 < kOpenStages; ++k) {
      w.key(std::string(stage_name(static_cast<Stage>(k))) + ">" + stage_name(static_cast<Stage>(k + 1)));
      if (r.reached[k]) w.number(std::round(static_cast<double>(r.reached[k + 1]) / static_cast<double>(r.reached[k]) * 10000) / 10000);
      else w.null();
    }
    w.end_object().key("median_days_in_stage").begin_object();
    for (size_t k = 0; k < kOpenStages; ++k) {
      w.key(stage_name(static_cast<Stage>(k)));
      if (r.time_in_stage[k].empty()) w.null();
      else w.number(median_days(r.time_in_stage[k]));
    }
    const int64_t signed_ = r.reached[static_cast<size_t>(Stage::contract_signed)];
    w.end_object().key("lost").value(r.lost).key("signed").value(signed_).key("success_rate");
    if (signed_ + r.lost) w.number(std::round(static_cast<double>(signed_) / static_cast<double>(signed_ + r.lost) * 10000) / 10000);
    else w.null();
    w.key("follow_ups_per_prospect").number(std::round(static_cast<double>(r.follow_ups) / static_cast<double>(r.prospects) * 100) / 100);
    w.key("follow_up_quality");  // mean quality (1..5) of the scored follow-ups
    if (r.quality_count) w.number(std::round(static_cast<double>(r.quality_sum) / static_cast<double>(r.quality_count) * 100) / 100);
    else w.null();
    w.end_object();
  }
  w.end_array().end_object();
  return out;
}

}  // namespace crm::detail
