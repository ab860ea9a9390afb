// SPDX-License-Identifier: Apache-2.0
#include "store/customer_table.hpp"

namespace crm::detail {

namespace {

// Columns type, at, amount, score, ends_at, needs, kind, note, actor from `first` on.
void read_activity(sqlite3_stmt* st, int first, ActivityRow& r) {
  r.fact.type = sqlite3_column_int(st, first);
  r.fact.at = sqlite3_column_int64(st, first + 1);
  r.fact.amount_cents = sqlite3_column_int64(st, first + 2);
  r.fact.score = sqlite3_column_int(st, first + 3);
  r.fact.ends_at = sqlite3_column_int64(st, first + 4);
  r.fact.needs_collected = sqlite3_column_int(st, first + 5) != 0;
  r.kind = text_column(st, first + 6);
  r.note = text_column(st, first + 7);
  r.actor = text_column(st, first + 8);
}

}  // namespace

Result<std::optional<CustomerRecordRow>> find_customer_record(DatabaseImpl& d, std::string_view id) {
  Use use(d.find_customer_);
  bind_text(*use, 1, id);
  const int rc = sqlite3_step(*use);
  if (rc == SQLITE_DONE) return std::optional<CustomerRecordRow>();
  if (rc != SQLITE_ROW) return d.error("reading a customer");
  return std::optional<CustomerRecordRow>(
      CustomerRecordRow{sqlite3_column_int64(*use, 0), text_column(*use, 1), text_column(*use, 2), text_column(*use, 3)});
}

Status write_customer_row(DatabaseImpl& d, const CustomerRow& row, const std::string& document, bool exists) {
  Use use(exists ? d.update_customer_ : d.insert_customer_);
  bind_text(*use, 1, row.id);
  bind_text(*use, 2, row.owner);
  bind_text(*use, 3, row.department);
  bind_text(*use, 4, row.company);
  if (row.since) sqlite3_bind_int64(*use, 5, *row.since);
  bind_text(*use, 6, row.contact_name);
  bind_text(*use, 7, row.contact_phone);
  bind_text(*use, 8, row.contact_email);
  bind_text(*use, 9, document);
  if (row.potential) sqlite3_bind_int64(*use, 10, *row.potential);
  if (sqlite3_step(*use) != SQLITE_DONE) return d.error("writing customer \"" + row.id + "\"");
  return {};
}

Result<int64_t> next_activity_number(DatabaseImpl& d, int64_t customer_seq) {
  Use use(d.last_activity_);
  sqlite3_bind_int64(*use, 1, customer_seq);
  if (sqlite3_step(*use) != SQLITE_ROW) return d.error("numbering an activity");
  return sqlite3_column_int64(*use, 0) + 1;
}

Result<std::optional<ActivityRow>> activity_by_ref(DatabaseImpl& d, int64_t customer_seq, std::string_view ref) {
  Use use(d.activity_by_ref_);
  sqlite3_bind_int64(*use, 1, customer_seq);
  bind_text(*use, 2, ref);
  const int rc = sqlite3_step(*use);
  if (rc == SQLITE_DONE) return std::optional<ActivityRow>();
  if (rc != SQLITE_ROW) return d.error("looking up an activity id");
  ActivityRow r;
  r.customer_seq = r.fact.customer_seq = customer_seq;
  r.n = sqlite3_column_int64(*use, 0);
  read_activity(*use, 1, r);
  r.ref = std::string(ref);
  return std::optional<ActivityRow>(std::move(r));
}

Status insert_activity(DatabaseImpl& d, const ActivityRow& r) {
  Use use(d.insert_activity_);
  sqlite3_bind_int64(*use, 1, r.customer_seq);
  sqlite3_bind_int64(*use, 2, r.n);
  sqlite3_bind_int(*use, 3, r.fact.type);
  sqlite3_bind_int64(*use, 4, r.fact.at);
  sqlite3_bind_int64(*use, 5, r.fact.amount_cents);
  sqlite3_bind_int(*use, 6, r.fact.score);
  sqlite3_bind_int64(*use, 7, r.fact.ends_at);
  sqlite3_bind_int(*use, 8, r.fact.needs_collected ? 1 : 0);
  bind_text(*use, 9, r.kind);
  bind_text(*use, 10, r.note);
  bind_text(*use, 11, r.actor);
  bind_text(*use, 12, r.ref);
  return sqlite3_step(*use) == SQLITE_DONE ? Status() : d.error("writing an activity");
}

Status scan_customer_activities(DatabaseImpl& d, int64_t customer_seq, int64_t at,
                                const std::function<void(const ActivityRow&)>& row) {
  return each_row(
      d, "SELECT n, type, at, amount, score, ends_at, needs, kind, note, actor FROM activity WHERE customer = ?1 AND at <= ?2 ORDER BY at, n",
      [&](sqlite3_stmt* st) {
        sqlite3_bind_int64(st, 1, customer_seq);
        sqlite3_bind_int64(st, 2, at);
      },
      [&](sqlite3_stmt* st) {
        ActivityRow r;
        r.customer_seq = customer_seq;
        r.n = sqlite3_column_int64(st, 0);
        read_activity(st, 1, r);
        r.fact.customer_seq = customer_seq;
        row(r);
      });
}

Status scan_activities_between(DatabaseImpl& d, int64_t from, int64_t to, int64_t at,
                               const std::function<void(const ActivityFact&)>& fact) {
  return each_row(
      d, "SELECT customer, type, at, score FROM activity WHERE at >= ?1 AND at < ?2 AND at <= ?3 AND type <> 4",
      [&](sqlite3_stmt* st) {
        sqlite3_bind_int64(st, 1, from);
        sqlite3_bind_int64(st, 2, to);
        sqlite3_bind_int64(st, 3, at);
      },
      [&](sqlite3_stmt* st) {
        ActivityFact a;
        a.customer_seq = sqlite3_column_int64(st, 0);
        a.type = sqlite3_column_int(st, 1);
        a.at = sqlite3_column_int64(st, 2);
        a.score = sqlite3_column_int(st, 3);
        fact(a);
      });
}

}  // namespace crm::detail
