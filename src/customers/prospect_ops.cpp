// SPDX-License-Identifier: Apache-2.0
// Writing prospects and their events: the stage moves only through events, conversion creates the
// customer and keeps the prospect's history reachable from it.
#include "customers/customer_api.hpp"
#include <unordered_map>

#include "customers/access_context.hpp"
#include "customers/account_feed.hpp"
#include "customers/customer_rows.hpp"
#include "core/json_util.hpp"
#include "customers/records.hpp"
#include "store/customer_table.hpp"
#include "store/prospect_table.hpp"

namespace crm {

namespace {

using detail::AuditEntry;
using detail::Stage;
using nlohmann::json;

constexpr int32_t kPlan = static_cast<int32_t>(detail::ProspectEventType::plan);
constexpr int32_t kFollowUp = static_cast<int32_t>(detail::ProspectEventType::follow_up);

// A stored prospect as the writes see it.
struct StoredProspect : detail::ProspectRecordRow {
  Stage stage_now() const { return static_cast<Stage>(stage); }
  detail::RecordScope scope() const { return {{first_contact, follow_up, project}, department}; }
};

Result<bool> find_prospect(detail::DatabaseImpl& d, std::string_view id, StoredProspect& out) {
  auto found = detail::find_prospect_record(d, id);
  if (!found.ok()) return std::move(found).status();
  if (!*found) return false;
  static_cast<detail::ProspectRecordRow&>(out) = std::move(**found);
  return true;
}

// The accounts `ids` name (prospects, or customers), for the change feed to compare.
Status touch(detail::DatabaseImpl& d, detail::AccountFeed& feed, const std::vector<std::string>& prospects,
             const std::vector<std::string>& customers) {
  for (const std::string& id : prospects) {
    auto found = detail::find_prospect_record(d, id);
    if (!found.ok()) return std::move(found).status();
    if (*found) feed.touch_prospect((*found)->seq, id);
  }
  for (const std::string& id : customers) {
    auto found = detail::find_customer_record(d, id);
    if (!found.ok()) return std::move(found).status();
    if (*found) feed.touch_customer((*found)->seq, id);
  }
  return {};
}

// Whether the stage may move from `from` to `to`: forward only, lost only before a contract,
// implementation only after contract_signed.
Status check_transition(Stage from, Stage to) {
  const auto why = [&](const std::string& reason) {
    return Status::invalid_state(std::string("/to: cannot move from ") + detail::stage_name(from) + " to " + detail::stage_name(to) + ": " + reason);
  };
  if (from == Stage::lost) return why("a lost prospect stays lost; record a new prospect if the customer returns");
  if (to == Stage::lost) return from >= Stage::contract_signed ? why("the contract is signed") : Status();
  if (to <= from) return why("stages only move forward");
  if (to == Stage::implementation && from != Stage::contract_signed) return why("implementation follows contract_signed");
  return {};
}

}  // namespace

Status detail::api::put_prospect(detail::DatabaseImpl& impl, std::string_view actor_json, std::string_view prospect_json) {
  detail::DatabaseImpl& d = impl;
  auto c = detail::access_context(d, actor_json);
  if (!c.ok()) return std::move(c).status();
  auto docs = detail::documents(prospect_json, "prospect JSON");
  if (!docs.ok()) return std::move(docs).status();
  if (Status s = detail::unmask_from_stored(d, "prospect", *docs); !s.ok()) return s;
  std::vector<detail::ProspectRecord> records;
  for (detail::Document& doc : *docs) {
    auto r = detail::parse_prospect(std::move(doc.value), doc.path);
    if (!r.ok()) return std::move(r).status();
    for (const auto& other : records)
      if (other.id == r->id) return Status::invalid_argument(doc.path + "/id: \"" + r->id + "\" appears twice in one call");
    records.push_back(std::move(*r));
  }
  detail::Denial denial;
  Status s = [&]() -> Status {
    detail::Transaction tx(d);
    if (Status st = tx.begin(); !st.ok()) return st;
    for (detail::ProspectRecord& r : records) {
      const AuditEntry e{"put_prospect", "prospect", r.id};
      const auto deny = [&](Status st) { return denial.deny(e, std::move(st)); };
      StoredProspect stored;
      auto exists = find_prospect(d, r.id, stored);
      if (!exists.ok()) return std::move(exists).status();
      json before;
      if (*exists) {
        before = std::move(stored.document);
        const detail::RecordScope was = stored.scope();
        if (Status st = detail::check(*c->role, c->actor, detail::kProspectWrite, &was, "prospect \"" + r.id + "\""); !st.ok())
          return deny(std::move(st));
        if (!stored.customer.empty())
          return Status::invalid_state("prospect \"" + r.id + "\" was converted into customer \"" + stored.customer +
                                       "\"; change the customer record instead");
      }
      const detail::RecordScope next{{r.first_contact, r.follow_up, r.project}, r.department};
      if (Status st = detail::check(*c->role, c->actor, detail::kProspectWrite, &next, "prospect \"" + r.id + "\" as given"); !st.ok())
        return deny(std::move(st));
      const auto store = [&]() -> Status {
        const detail::ProspectRow row{r.id, r.document.at("company").get<std::string>(), r.department, r.first_contact, r.follow_up,
                                      r.project, r.industry, r.size, r.need, r.source, r.created_at};
        return detail::write_prospect_row(d, row, r.document, *exists);
      };
      if (Status st = detail::put_record(d, *c, denial, e, *exists ? &before : nullptr, r.document, store); !st.ok()) return st;
    }
    detail::AccountFeed feed(d);
    std::vector<std::string> ids;
    for (const detail::ProspectRecord& r : records) ids.push_back(r.id);
    if (Status st = touch(d, feed, ids, {}); !st.ok()) return st;
    if (Status st = feed.write(); !st.ok()) return st;
    return tx.commit();
  }();
  return denial.finish(d, *c, std::move(s));
}

Status detail::api::add_prospect_event(detail::DatabaseImpl& impl, std::string_view actor_json, std::string_view event_json) {
  detail::DatabaseImpl& d = impl;
  auto c = detail::access_context(d, actor_json);
  if (!c.ok()) return std::move(c).status();
  auto docs = detail::documents(event_json, "prospect event JSON");
  if (!docs.ok()) return std::move(docs).status();
  std::vector<detail::ProspectEvent> events;
  for (detail::Document& doc : *docs) {
    auto e = detail::parse_prospect_event(std::move(doc.value), doc.path);
    if (!e.ok()) return std::move(e).status();
    events.push_back(std::move(*e));
  }
  detail::Denial denial;
  const auto deny = [&](const AuditEntry& which, Status st) { return denial.deny(which, std::move(st)); };
  // One event, inside the caller's transaction (a later event of the batch sees the earlier).
  const auto append = [&](detail::ProspectEvent& e) -> Status {
    const AuditEntry entry{"prospect_event", "prospect", e.prospect};
    StoredProspect p;
    auto exists = find_prospect(d, e.prospect, p);
    if (!exists.ok()) return std::move(exists).status();
    if (!*exists) return Status::not_found("/prospect: no prospect \"" + e.prospect + "\"; record it with put_prospect first");
    const detail::RecordScope scope = p.scope();
    if (Status st = detail::check(*c->role, c->actor, detail::kProspectWrite, &scope, "prospect \"" + e.prospect + "\""); !st.ok())
      return deny(entry, std::move(st));
    if (!p.customer.empty())
      return Status::invalid_state("prospect \"" + e.prospect + "\" was converted into customer \"" + p.customer +
                                   "\"; record further facts on the customer");
    if (e.at < p.last_at)
      return Status::invalid_state("/at: " + std::to_string(e.at) + " is before the prospect's latest event or creation (" +
                                   std::to_string(p.last_at) + "); events are recorded in time order");
    if (e.type != detail::ProspectEventType::stage && p.stage_now() == Stage::lost)
      return Status::invalid_state("prospect \"" + e.prospect + "\" is lost; nothing more can be recorded on it");
    Stage stage_after = p.stage_now();
    int64_t due_at = e.due_at;
    json converted;
    switch (e.type) {
      case detail::ProspectEventType::stage:
        if (Status st = check_transition(p.stage_now(), e.to); !st.ok()) return st;
        stage_after = e.to;
        break;
      case detail::ProspectEventType::follow_up:
        if (!e.item.empty()) {
          auto planned = detail::prospect_events_for_item(d, p.seq, kPlan, e.item);
          if (!planned.ok()) return std::move(planned).status();
          if (*planned == 0) return Status::not_found("/item: prospect \"" + e.prospect + "\" has no plan item \"" + e.item + "\"");
          auto done = detail::prospect_events_for_item(d, p.seq, kFollowUp, e.item);
          if (!done.ok()) return std::move(done).status();
          if (*done > 0) return Status::invalid_state("/item: plan item \"" + e.item + "\" was already followed up");
        }
        break;
      case detail::ProspectEventType::plan: {
        auto planned = detail::prospect_events_for_item(d, p.seq, kPlan, e.item);
        if (!planned.ok()) return std::move(planned).status();
        if (*planned > 0) return Status::conflict("/item: prospect \"" + e.prospect + "\" already has a plan item \"" + e.item + "\"");
        if (due_at == 0) {
          const Calendar& calendar = c->rules->calendars[c->rules->default_calendar].calendar;
          auto due = calendar.add_working_days(e.at, e.due_in_working_days);
          if (!due.ok()) return std::move(due).status();
          due_at = *due;
        }
        break;
      }
      case detail::ProspectEventType::evaluation: break;
      case detail::ProspectEventType::convert: {
        if (p.stage_now() != Stage::contract_signed && p.stage_now() != Stage::implementation)
          return Status::invalid_state(std::string("prospect \"") + e.prospect + "\" is at " + detail::stage_name(p.stage_now()) +
                                       "; a prospect converts once its contract is signed");
        const json& prospect = p.document;
        const std::string owner = e.details.contains("owner") ? e.details.at("owner").get<std::string>()
                                  : !p.project.empty()        ? p.project
                                                              : p.follow_up;
        converted = {{"id", e.customer}, {"company", prospect.at("company")}, {"owner", owner}, {"department", p.department},
                     {"since", e.at}, {"converted_from", e.prospect}, {"industry", prospect.at("industry")},
                     {"size", prospect.at("size")}};
        for (const char* key : {"contacts", "address", "note"})
          if (prospect.contains(key)) converted[key] = prospect.at(key);
        converted["source"] = prospect.contains("channel") ? prospect.at("channel") : prospect.at("source");
        const AuditEntry customer_entry{"convert", "customer", e.customer};
        const detail::RecordScope next{{owner}, p.department};
        if (Status st = detail::check(*c->role, c->actor, detail::kCustomerWrite, &next, "customer \"" + e.customer + "\""); !st.ok())
          return deny(customer_entry, std::move(st));
        auto taken = detail::find_customer_record(d, e.customer);
        if (!taken.ok()) return std::move(taken).status();
        if (*taken) return Status::conflict("/customer: a customer \"" + e.customer + "\" already exists");
        if (Status st = detail::store_customer(d, converted, false); !st.ok()) return st;
        AuditEntry created = customer_entry;
        created.after = &converted;
        if (Status st = detail::audit(d, *c, created, false, "converted from prospect \"" + e.prospect + "\""); !st.ok()) return st;
        break;
      }
    }
    const detail::ProspectEventRow row{p.seq,     p.last_n + 1, static_cast<int32_t>(e.type), e.at,           static_cast<int32_t>(stage_after),
                                       e.item,    due_at,       e.details.value("quality", int64_t{0}), c->actor.id, e.details.dump()};
    if (Status st = detail::insert_prospect_event(d, row); !st.ok()) return st;
    if (stage_after != p.stage_now() || !e.customer.empty())
      if (Status st = detail::move_prospect(d, p.seq, static_cast<int32_t>(stage_after), e.customer); !st.ok()) return st;
    json before = {{"stage", detail::stage_name(p.stage_now())}};
    json after = e.details;
    after["type"] = detail::prospect_event_type_name(e.type);
    after["at"] = e.at;
    after["stage"] = detail::stage_name(stage_after);
    if (!e.item.empty()) after["item"] = e.item;
    if (due_at) after["due_at"] = due_at;
    if (!e.customer.empty()) after["customer"] = e.customer;
    AuditEntry written = entry;
    written.before = &before;
    written.after = &after;
    return detail::audit(d, *c, written, false, detail::prospect_event_type_name(e.type));
  };
  Status s = [&]() -> Status {
    detail::Transaction tx(d);
    if (Status st = tx.begin(); !st.ok()) return st;
    std::vector<std::string> prospects, customers;
    for (detail::ProspectEvent& e : events) {
      if (Status st = append(e); !st.ok()) return st;
      prospects.push_back(e.prospect);
      if (!e.customer.empty()) customers.push_back(e.customer);  // converted into a new customer
    }
    detail::AccountFeed feed(d);
    if (Status st = touch(d, feed, prospects, customers); !st.ok()) return st;
    if (Status st = feed.write(); !st.ok()) return st;
    return tx.commit();
  }();
  return denial.finish(d, *c, std::move(s));
}

}  // namespace crm
