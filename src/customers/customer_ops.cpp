// SPDX-License-Identifier: Apache-2.0
// Writing customers and their activities: authorised, audited, all or nothing.
#include "customers/customer_api.hpp"
#include <unordered_map>

#include "customers/access_context.hpp"
#include "customers/account_feed.hpp"
#include "customers/customer_rows.hpp"
#include "core/json_util.hpp"
#include "customers/records.hpp"
#include "store/customer_table.hpp"

namespace crm {

namespace {

using detail::Denial;
using detail::AuditEntry;
using nlohmann::json;

}  // namespace

Status detail::api::put_customer(detail::DatabaseImpl& impl, std::string_view actor_json, std::string_view customer_json) {
  detail::DatabaseImpl& d = impl;
  auto c = detail::access_context(d, actor_json);
  if (!c.ok()) return std::move(c).status();
  auto docs = detail::documents(customer_json, "customer JSON");
  if (!docs.ok()) return std::move(docs).status();
  if (Status s = detail::unmask_from_stored(d, "customer", *docs); !s.ok()) return s;
  std::vector<detail::CustomerRecord> records;
  std::unordered_map<std::string, size_t> seen;
  for (detail::Document& doc : *docs) {
    auto r = detail::parse_customer(std::move(doc.value), doc.path);
    if (!r.ok()) return std::move(r).status();
    if (!seen.emplace(r->id, records.size()).second)
      return Status::invalid_argument(doc.path + "/id: \"" + r->id + "\" appears twice in one call");
    records.push_back(std::move(*r));
  }
  Denial denial;
  Status s = [&]() -> Status {
    detail::Transaction tx(d);
    if (Status st = tx.begin(); !st.ok()) return st;
    for (detail::CustomerRecord& r : records) {
      const AuditEntry e{"put_customer", "customer", r.id};
      auto stored = detail::find_customer_record(d, r.id);
      if (!stored.ok()) return std::move(stored).status();
      const bool exists = stored->has_value();
      json before;
      if (exists) {
        before = std::move((*stored)->document);
        const detail::RecordScope was{{(*stored)->owner}, (*stored)->department};
        if (Status st = detail::check(*c->role, c->actor, detail::kCustomerWrite, &was, "customer \"" + r.id + "\""); !st.ok())
          return denial.deny(e, std::move(st));
      }
      const detail::RecordScope next{{r.owner}, r.department};
      if (Status st = detail::check(*c->role, c->actor, detail::kCustomerWrite, &next, "customer \"" + r.id + "\" as given"); !st.ok())
        return denial.deny(e, std::move(st));
      if (Status st = detail::put_record(d, *c, denial, e, exists ? &before : nullptr, r.document,
                                         [&] { return detail::store_customer(d, r.document, exists); });
          !st.ok())
        return st;
    }
    // Its since, owner or department may have moved what the change feed tells of it.
    detail::AccountFeed feed(d);
    for (const detail::CustomerRecord& r : records) {
      auto stored = detail::find_customer_record(d, r.id);
      if (!stored.ok()) return std::move(stored).status();
      if (*stored) feed.touch_customer((*stored)->seq, r.id);
    }
    if (Status st = feed.write(); !st.ok()) return st;
    return tx.commit();
  }();
  return denial.finish(d, *c, std::move(s));
}

Status detail::api::add_activity(detail::DatabaseImpl& impl, std::string_view actor_json, std::string_view activity_json) {
  detail::DatabaseImpl& d = impl;
  auto c = detail::access_context(d, actor_json);
  if (!c.ok()) return std::move(c).status();
  auto docs = detail::documents(activity_json, "activity JSON");
  if (!docs.ok()) return std::move(docs).status();
  std::vector<detail::Activity> activities;
  activities.reserve(docs->size());
  for (detail::Document& doc : *docs) {
    auto a = detail::parse_activity(std::move(doc.value), doc.path);
    if (!a.ok()) return std::move(a).status();
    activities.push_back(std::move(*a));
  }
  Denial denial;
  Status s = [&]() -> Status {
    detail::Transaction tx(d);
    if (Status st = tx.begin(); !st.ok()) return st;
    struct Known {
      int64_t seq, next_n;
    };
    std::unordered_map<std::string, Known> known;
    // Each customer looked up and checked once, before anything is written: the rows then go
    // out in bulk with nothing read in between (store/engine.hpp, Appender).
    for (size_t i = 0; i < activities.size(); ++i) {
      const detail::Activity& a = activities[i];
      if (known.count(a.customer)) continue;
      auto stored = detail::find_customer_record(d, a.customer);
      if (!stored.ok()) return std::move(stored).status();
      if (!*stored)
        return Status::not_found((*docs)[i].path + "/customer: no customer \"" + a.customer + "\"; record it with put_customer first");
      const detail::RecordScope scope{{(*stored)->owner}, (*stored)->department};
      if (Status st = detail::check(*c->role, c->actor, detail::kCustomerWrite, &scope, "customer \"" + a.customer + "\""); !st.ok())
        return denial.deny(AuditEntry{"add_activity", "customer", a.customer}, std::move(st));
      auto next = detail::next_activity_number(d, (*stored)->seq);
      if (!next.ok()) return std::move(next).status();
      known.emplace(a.customer, Known{(*stored)->seq, *next});
    }
    for (size_t i = 0; i < activities.size(); ++i) {
      const detail::Activity& a = activities[i];
      const AuditEntry e{"add_activity", "customer", a.customer};
      const auto it = known.find(a.customer);
      if (!a.id.empty()) {
        // A retry of a recorded activity is a no-op; another activity under its id a conflict.
        auto recorded = detail::activity_by_ref(d, it->second.seq, a.id);
        if (!recorded.ok()) return std::move(recorded).status();
        if (*recorded) {
          const detail::ActivityRow& r = **recorded;
          const bool same = r.fact.type == static_cast<int32_t>(a.type) && r.fact.at == a.at && r.fact.amount_cents == a.amount_cents &&
                            r.fact.score == a.score && r.fact.ends_at == a.ends_at && r.fact.needs_collected == a.needs_collected &&
                            r.kind == a.kind && r.note == a.note;
          if (same) continue;
          return Status::conflict((*docs)[i].path + "/id: customer \"" + a.customer + "\" already has an activity \"" + a.id +
                                  "\" with different content");
        }
      }
      detail::ActivityRow row;
      row.customer_seq = it->second.seq;
      row.n = it->second.next_n++;
      row.fact = {it->second.seq, static_cast<int32_t>(a.type), a.at, a.amount_cents, a.ends_at, a.score, a.needs_collected};
      row.kind = a.kind;
      row.note = a.note;
      row.actor = c->actor.id;
      row.ref = a.id;
      if (Status st = detail::insert_activity(d, row); !st.ok()) return st;
      const json after = detail::activity_json(a);
      AuditEntry written = e;
      written.after = &after;
      if (Status st = detail::audit(d, *c, written, false, detail::activity_type_name(a.type)); !st.ok()) return st;
    }
    detail::AccountFeed feed(d);
    for (const auto& [id, k] : known) feed.touch_customer(k.seq, id);
    if (Status st = feed.write(); !st.ok()) return st;
    return tx.commit();
  }();
  return denial.finish(d, *c, std::move(s));
}

}  // namespace crm
