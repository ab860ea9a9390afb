// SPDX-License-Identifier: Apache-2.0
#include "store/prospect_table.hpp"

namespace crm::detail {

Result<std::optional<ProspectRecordRow>> find_prospect_record(DatabaseImpl& d, std::string_view id) {
  std::optional<ProspectRecordRow> found;
  Status s = each_row(
      d,
      "SELECT p.seq, p.created_at, p.department, p.first_contact, p.follow_up, p.project, coalesce(p.customer, ''), "
      "p.document, p.stage, coalesce(max(e.at), p.created_at), coalesce(max(e.n), 0) "
      "FROM prospect p LEFT JOIN prospect_event e ON e.prospect = p.seq WHERE p.id = ?1 GROUP BY p.seq",
      [&](sqlite3_stmt* st) { bind_text(st, 1, id); },
      [&](sqlite3_stmt* st) {
        ProspectRecordRow r;
        r.seq = sqlite3_column_int64(st, 0);
        r.created_at = sqlite3_column_int64(st, 1);
        r.department = text_column(st, 2);
        r.first_contact = text_column(st, 3);
        r.follow_up = text_column(st, 4);
        r.project = text_column(st, 5);
        r.customer = text_column(st, 6);
        r.document = text_column(st, 7);
        r.stage = sqlite3_column_int(st, 8);
        r.last_at = sqlite3_column_int64(st, 9);
        r.last_n = sqlite3_column_int64(st, 10);
        found = std::move(r);
      });
  if (!s.ok()) return s;
  return found;
}

Status write_prospect_row(DatabaseImpl& d, const ProspectRow& r, bool exists) {
  Statement write;
  if (write.prepare(d.db_, exists ? "UPDATE prospect SET department = ?2, first_contact = ?3, follow_up = ?4, project = ?5, "
                                    "industry = ?6, size = ?7, need = ?8, source = ?9, created_at = ?10, document = ?11, company = ?12 WHERE id = ?1"
                                  : "INSERT INTO prospect (id, department, first_contact, follow_up, project, industry, size, need, "
                                    "source, created_at, document, company, stage) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 0)") !=
      SQLITE_OK)
    return d.error("preparing a prospect write");
  Use use(write);
  int i = 1;
  for (const std::string* v : {&r.id, &r.department, &r.first_contact, &r.follow_up, &r.project, &r.industry, &r.size, &r.need, &r.source})
    bind_text(*use, i++, *v);
  sqlite3_bind_int64(*use, 10, r.created_at);
  bind_text(*use, 11, r.document);
  bind_text(*use, 12, r.company);
  return sqlite3_step(*use) == SQLITE_DONE ? Status() : d.error("writing prospect \"" + r.id + "\"");
}

Status insert_prospect_event(DatabaseImpl& d, const ProspectEventRow& r) {
  Use use(d.insert_prospect_event_);
  sqlite3_bind_int64(*use, 1, r.prospect_seq);
  sqlite3_bind_int64(*use, 2, r.n);
  sqlite3_bind_int(*use, 3, r.type);
  sqlite3_bind_int64(*use, 4, r.at);
  sqlite3_bind_int(*use, 5, r.stage);
  bind_text(*use, 6, r.item);
  sqlite3_bind_int64(*use, 7, r.due_at);
  bind_text(*use, 8, r.actor);
  bind_text(*use, 9, r.details);
  sqlite3_bind_int64(*use, 10, r.quality);
  return sqlite3_step(*use) == SQLITE_DONE ? Status() : d.error("writing a prospect event");
}

Status move_prospect(DatabaseImpl& d, int64_t prospect_seq, int32_t stage, std::string_view customer) {
  Use use(d.move_prospect_);
  sqlite3_bind_int64(*use, 1, prospect_seq);
  sqlite3_bind_int(*use, 2, stage);
  bind_text(*use, 3, customer);
  return sqlite3_step(*use) == SQLITE_DONE ? Status() : d.error("moving a prospect");
}

Result<int64_t> prospect_events_for_item(DatabaseImpl& d, int64_t prospect_seq, int32_t type, std::string_view item) {
  int64_t n = 0;
  Status s = each_row(d, "SELECT count(*) FROM prospect_event WHERE prospect = ?1 AND type = ?2 AND item = ?3",
                      [&](sqlite3_stmt* st) {
                        sqlite3_bind_int64(st, 1, prospect_seq);
                        sqlite3_bind_int(st, 2, type);
                        bind_text(st, 3, item);
                      },
                      [&](sqlite3_stmt* st) { n = sqlite3_column_int64(st, 0); });
  if (!s.ok()) return s;
  return n;
}

Status scan_prospect_rows(DatabaseImpl& d, int64_t at, const ProspectListFilter& filter,
                          const std::function<bool(const ProspectRecordRow&)>& keep,
                          const std::function<void(ProspectRow&&, const ProspectRecordRow&)>& row) {
  return each_row(
      d,
      "SELECT seq, id, department, first_contact, follow_up, project, industry, size, need, source, created_at, "
      "company, coalesce(customer, '') FROM prospect WHERE created_at <= ?1 AND (?2 = '' OR id = ?2) "
      "AND (?3 = '' OR follow_up = ?3) AND (?4 = '' OR department = ?4) ORDER BY seq",
      [&](sqlite3_stmt* st) {
        sqlite3_bind_int64(st, 1, at);
        bind_text(st, 2, filter.id);
        bind_text(st, 3, filter.follow_up);
        bind_text(st, 4, filter.department);
      },
      [&](sqlite3_stmt* st) {
        ProspectRecordRow record;
        record.seq = sqlite3_column_int64(st, 0);
        record.department = text_column(st, 2);
        record.first_contact = text_column(st, 3);
        record.follow_up = text_column(st, 4);
        record.project = text_column(st, 5);
        record.created_at = sqlite3_column_int64(st, 10);
        record.customer = text_column(st, 12);
        if (!keep(record)) return;
        ProspectRow r;
        r.id = text_column(st, 1);
        r.department = record.department;
        r.first_contact = record.first_contact;
        r.follow_up = record.follow_up;
        r.project = record.project;
        r.industry = text_column(st, 6);
        r.size = text_column(st, 7);
        r.need = text_column(st, 8);
        r.source = text_column(st, 9);
        r.created_at = record.created_at;
        r.company = text_column(st, 11);
        row(std::move(r), record);
      });
}

Status scan_prospect_events(DatabaseImpl& d, int64_t at, int64_t only_seq, const std::function<void(const ProspectEventRow&)>& row) {
  const std::string sql = std::string("SELECT prospect, type, at, stage, item, due_at, quality FROM prospect_event WHERE at <= ?1") +
                          (only_seq >= 0 ? " AND prospect = ?2" : "");
  return each_row(
      d, sql.c_str(),
      [&](sqlite3_stmt* st) {
        sqlite3_bind_int64(st, 1, at);
        if (only_seq >= 0) sqlite3_bind_int64(st, 2, only_seq);
      },
      [&](sqlite3_stmt* st) {
        ProspectEventRow r;
        r.prospect_seq = sqlite3_column_int64(st, 0);
        r.type = sqlite3_column_int(st, 1);
        r.at = sqlite3_column_int64(st, 2);
        r.stage = sqlite3_column_int(st, 3);
        r.item = text_column(st, 4);
        r.due_at = sqlite3_column_int64(st, 5);
        r.quality = sqlite3_column_int64(st, 6);
        row(r);
      });
}

Status scan_events_of_prospect(DatabaseImpl& d, std::string_view id, int64_t at, const std::function<void(const ProspectEventRow&)>& row) {
  return each_row(
      d,
      "SELECT e.n, e.type, e.at, e.stage, e.item, e.due_at, e.actor, e.details, e.prospect FROM prospect_event e "
      "JOIN prospect p ON p.seq = e.prospect WHERE p.id = ?1 AND e.at <= ?2 ORDER BY e.n",
      [&](sqlite3_stmt* st) {
        bind_text(st, 1, id);
        sqlite3_bind_int64(st, 2, at);
      },
      [&](sqlite3_stmt* st) {
        ProspectEventRow r;
        r.n = sqlite3_column_int64(st, 0);
        r.type = sqlite3_column_int(st, 1);
        r.at = sqlite3_column_int64(st, 2);
        r.stage = sqlite3_column_int(st, 3);
        r.item = text_column(st, 4);
        r.due_at = sqlite3_column_int64(st, 5);
        r.actor = text_column(st, 6);
        r.details = text_column(st, 7);
        r.prospect_seq = sqlite3_column_int64(st, 8);
        row(r);
      });
}

}  // namespace crm::detail
