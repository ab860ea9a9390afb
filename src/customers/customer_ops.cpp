// SPDX-License-Identifier: Apache-2.0
// Writing customers and their activities: authorised, audited, all or nothing.
#include <unordered_map>

#include "customers/access_context.hpp"
#include "customers/customer_rows.hpp"
#include "core/json_util.hpp"
#include "customers/records.hpp"

namespace crm {

namespace {

using detail::Denial;
using detail::AuditEntry;
using detail::bind_text;
using detail::Statement;
using detail::Use;
using nlohmann::json;

struct StoredCustomer {
  int64_t seq = 0;
  std::string owner, department, document;
};

Result<bool> find_customer(detail::DatabaseImpl& d, Statement& find, std::string_view id, StoredCustomer& out) {
  Use use(find);
  bind_text(*use, 1, id);
  const int rc = sqlite3_step(*use);
  if (rc == SQLITE_DONE) return false;
  if (rc != SQLITE_ROW) return d.error("reading a customer");
  out = {sqlite3_column_int64(*use, 0), detail::text_column(*use, 1), detail::text_column(*use, 2), detail::text_column(*use, 3)};
  return true;
}

constexpr const char* kFindCustomer = "SELECT seq, owner, department, document FROM customer WHERE id = ?1";

}  // namespace

Status Database::put_customer(std::string_view actor_json, std::string_view customer_json) {
  detail::DatabaseImpl& d = *impl_;
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
    Statement find;
    if (find.prepare(d.db_, kFindCustomer) != SQLITE_OK) return d.error("preparing customer statements");
    for (detail::CustomerRecord& r : records) {
      const AuditEntry e{"put_customer", "customer", r.id};
      StoredCustomer stored;
      auto exists = find_customer(d, find, r.id, stored);
      if (!exists.ok()) return std::move(exists).status();
      json before;
      if (*exists) {
        auto parsed = detail::parse_stored_json(stored.document, "customer \"" + r.id + "\"");
        if (!parsed.ok()) return std::move(parsed).status();
        before = std::move(*parsed);
        const detail::RecordScope was{{stored.owner}, stored.department};
        if (Status st = detail::check(*c->role, c->actor, detail::kCustomerWrite, &was, "customer \"" + r.id + "\""); !st.ok())
          return denial.deny(e, std::move(st));
      }
      const detail::RecordScope next{{r.owner}, r.department};
      if (Status st = detail::check(*c->role, c->actor, detail::kCustomerWrite, &next, "customer \"" + r.id + "\" as given"); !st.ok())
        return denial.deny(e, std::move(st));
      if (Status st = detail::put_record(d, *c, denial, e, *exists ? &before : nullptr, r.document,
                                         [&] { return detail::store_customer(d, r.document, *exists); });
          !st.ok())
        return st;
    }
    return tx.commit();
  }();
  return denial.finish(d, *c, std::move(s));
}

Status Database::add_activity(std::string_view actor_json, std::string_view activity_json) {
  detail::DatabaseImpl& d = *impl_;
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
    Statement find, last, insert, by_ref;
    if (find.prepare(d.db_, kFindCustomer) != SQLITE_OK ||
        by_ref.prepare(d.db_, "SELECT type, at, amount, score, ends_at, needs, kind, note FROM activity "
                              "WHERE customer = ?1 AND ref = ?2") != SQLITE_OK ||
        last.prepare(d.db_, "SELECT coalesce(max(n), 0) FROM activity WHERE customer = ?1") != SQLITE_OK ||
        insert.prepare(d.db_,
                       "INSERT INTO activity (customer, n, type, at, amount, score, ends_at, needs, kind, note, actor, ref) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)") != SQLITE_OK)
      return d.error("preparing activity statements");
    struct Known {
      int64_t seq, next_n;
    };
    std::unordered_map<std::string, Known> known;
    for (size_t i = 0; i < activities.size(); ++i) {
      const detail::Activity& a = activities[i];
      const AuditEntry e{"add_activity", "customer", a.customer};
      auto it = known.find(a.customer);
      if (it == known.end()) {
        StoredCustomer stored;
        auto exists = find_customer(d, find, a.customer, stored);
        if (!exists.ok()) return std::move(exists).status();
        if (!*exists)
          return Status::not_found((*docs)[i].path + "/customer: no customer \"" + a.customer + "\"; record it with put_customer first");
        const detail::RecordScope scope{{stored.owner}, stored.department};
        if (Status st = detail::check(*c->role, c->actor, detail::kCustomerWrite, &scope, "customer \"" + a.customer + "\""); !st.ok())
          return denial.deny(e, std::move(st));
        Use use(last);
        sqlite3_bind_int64(*use, 1, stored.seq);
        if (sqlite3_step(*use) != SQLITE_ROW) return d.error("numbering an activity");
        it = known.emplace(a.customer, Known{stored.seq, sqlite3_column_int64(*use, 0) + 1}).first;
      }
      if (!a.id.empty()) {
        // A retry of a recorded activity is a no-op; another activity under its id a conflict.
        Use use(by_ref);
        sqlite3_bind_int64(*use, 1, it->second.seq);
        bind_text(*use, 2, a.id);
        const int rc = sqlite3_step(*use);
        if (rc == SQLITE_ROW) {
          const bool same = sqlite3_column_int(*use, 0) == static_cast<int>(a.type) && sqlite3_column_int64(*use, 1) == a.at &&
                            sqlite3_column_int64(*use, 2) == a.amount_cents && sqlite3_column_int(*use, 3) == a.score &&
                            sqlite3_column_int64(*use, 4) == a.ends_at && (sqlite3_column_int(*use, 5) != 0) == a.needs_collected &&
                            detail::text_view(*use, 6) == a.kind && detail::text_view(*use, 7) == a.note;
          if (same) continue;
          return Status::conflict((*docs)[i].path + "/id: customer \"" + a.customer + "\" already has an activity \"" + a.id +
                                  "\" with different content");
        }
        if (rc != SQLITE_DONE) return d.error("looking up an activity id");
      }
      {
        Use use(insert);
        sqlite3_bind_int64(*use, 1, it->second.seq);
        sqlite3_bind_int64(*use, 2, it->second.next_n++);
        sqlite3_bind_int(*use, 3, static_cast<int>(a.type));
        sqlite3_bind_int64(*use, 4, a.at);
        sqlite3_bind_int64(*use, 5, a.amount_cents);
        sqlite3_bind_int(*use, 6, a.score);
        sqlite3_bind_int64(*use, 7, a.ends_at);
        sqlite3_bind_int(*use, 8, a.needs_collected ? 1 : 0);
        bind_text(*use, 9, a.kind);
        bind_text(*use, 10, a.note);
        bind_text(*use, 11, c->actor.id);
        bind_text(*use, 12, a.id);
        if (sqlite3_step(*use) != SQLITE_DONE) return d.error("writing an activity of \"" + a.customer + "\"");
      }
      const json after = detail::activity_json(a);
      AuditEntry written = e;
      written.after = &after;
      if (Status st = detail::audit(d, *c, written, false, detail::activity_type_name(a.type)); !st.ok()) return st;
    }
    return tx.commit();
  }();
  return denial.finish(d, *c, std::move(s));
}

}  // namespace crm
