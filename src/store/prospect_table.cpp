// SPDX-License-Identifier: Apache-2.0
#include "store/prospect_table.hpp"

#include "store/personal_data.hpp"

namespace crm::detail {

Result<std::optional<ProspectRecordRow>> find_prospect_record(DatabaseImpl& d, std::string_view id) {
  std::optional<ProspectRecordRow> found;
  std::string stored;
  Status s = each_row(
      d,
      "SELECT p.seq, p.created_at, p.department, p.first_contact, p.follow_up, p.project, coalesce(p.customer, ''), "
      "p.document, p.stage, coalesce(max(e.at), p.created_at), coalesce(max(e.n), 0) "
      "FROM prospect p LEFT JOIN prospect_event e ON e.prospect = p.seq WHERE p.id = ?1 GROUP BY p.seq",
      [&](Query& st) { st.bind_text(1, id); },
      [&](Query& st) {
        ProspectRecordRow r;
        r.seq = st.int64(0);
        r.created_at = st.int64(1);
        r.department = st.string(2);
        r.first_contact = st.string(3);
        r.follow_up = st.string(4);
        r.project = st.string(5);
        r.customer = st.string(6);
        stored = st.string(7);
        r.stage = st.int32(8);
        r.last_at = st.int64(9);
        r.last_n = st.int64(10);
        found = std::move(r);
      });
  if (!s.ok()) return s;
  if (found) {
    auto opened = open_document(d.keys_.data, prospect_where(id), stored, "prospect \"" + std::string(id) + "\"");
    if (!opened.ok()) return std::move(opened).status();
    found->document = std::move(opened->document);
    found->masked = opened->masked;
  }
  return found;
}

Status write_prospect_row(DatabaseImpl& d, const ProspectRow& r, const nlohmann::json& document, bool exists) {
  if (Status s = may_store_personal_data(d.keys_, document, "prospect \"" + r.id + "\""); !s.ok()) return s;
  Statement write;
  if (!write.prepare(*d.engine_, exists ? "UPDATE prospect SET department = ?2, first_contact = ?3, follow_up = ?4, project = ?5, "
                                    "industry = ?6, size = ?7, need = ?8, source = ?9, created_at = ?10, document = ?11, company = ?12 WHERE id = ?1"
                                  : "INSERT INTO prospect (id, department, first_contact, follow_up, project, industry, size, need, "
                                    "source, created_at, document, company, stage) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 0)"))
    return d.error("preparing a prospect write");
  Use use(write);
  int i = 1;
  for (const std::string* v : {&r.id, &r.department, &r.first_contact, &r.follow_up, &r.project, &r.industry, &r.size, &r.need, &r.source})
    use->bind_text(i++, *v);
  use->bind_int(10, r.created_at);
  use->bind_text(11, stored_document(d.keys_.data, prospect_where(r.id), document));
  use->bind_text(12, r.company);
  return use->step() == Step::done ? Status() : d.error("writing prospect \"" + r.id + "\"");
}

Status insert_prospect_event(DatabaseImpl& d, const ProspectEventRow& r) {
  Use use(d.insert_prospect_event_);
  use->bind_int(1, r.prospect_seq);
  use->bind_int(2, r.n);
  use->bind_int(3, r.type);
  use->bind_int(4, r.at);
  use->bind_int(5, r.stage);
  use->bind_text(6, r.item);
  use->bind_int(7, r.due_at);
  use->bind_text(8, r.actor);
  use->bind_text(9, r.details);
  use->bind_int(10, r.quality);
  return use->step() == Step::done ? Status() : d.error("writing a prospect event");
}

Status move_prospect(DatabaseImpl& d, int64_t prospect_seq, int32_t stage, std::string_view customer) {
  Use use(d.move_prospect_);
  use->bind_int(1, prospect_seq);
  use->bind_int(2, stage);
  use->bind_text(3, customer);
  return use->step() == Step::done ? Status() : d.error("moving a prospect");
}

Result<int64_t> prospect_events_for_item(DatabaseImpl& d, int64_t prospect_seq, int32_t type, std::string_view item) {
  int64_t n = 0;
  Status s = each_row(d, "SELECT count(*) FROM prospect_event WHERE prospect = ?1 AND type = ?2 AND item = ?3",
                      [&](Query& st) {
                        st.bind_int(1, prospect_seq);
                        st.bind_int(2, type);
                        st.bind_text(3, item);
                      },
                      [&](Query& st) { n = st.int64(0); });
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
      [&](Query& st) {
        st.bind_int(1, at);
        st.bind_text(2, filter.id);
        st.bind_text(3, filter.follow_up);
        st.bind_text(4, filter.department);
      },
      [&](Query& st) {
        ProspectRecordRow record;
        record.seq = st.int64(0);
        record.department = st.string(2);
        record.first_contact = st.string(3);
        record.follow_up = st.string(4);
        record.project = st.string(5);
        record.created_at = st.int64(10);
        record.customer = st.string(12);
        if (!keep(record)) return;
        ProspectRow r;
        r.id = st.string(1);
        r.department = record.department;
        r.first_contact = record.first_contact;
        r.follow_up = record.follow_up;
        r.project = record.project;
        r.industry = st.string(6);
        r.size = st.string(7);
        r.need = st.string(8);
        r.source = st.string(9);
        r.created_at = record.created_at;
        r.company = st.string(11);
        row(std::move(r), record);
      });
}

Status scan_prospect_events(DatabaseImpl& d, int64_t at, int64_t only_seq, const std::function<void(const ProspectEventRow&)>& row) {
  // In each prospect's order (callers keep the last stage and follow-up): the key order, which
  // SQLite keeps anyway and PostgreSQL must be asked for.
  return each_fact_up_to(
      d, "SELECT prospect, type, at, stage, item, due_at, quality FROM prospect_event WHERE at <= ?1", "prospect", at, only_seq,
      " ORDER BY prospect, n",
      [&](Query& st) {
        ProspectEventRow r;
        r.prospect_seq = st.int64(0);
        r.type = st.int32(1);
        r.at = st.int64(2);
        r.stage = st.int32(3);
        r.item = st.string(4);
        r.due_at = st.int64(5);
        r.quality = st.int64(6);
        row(r);
      });
}

Status scan_events_of_prospect(DatabaseImpl& d, std::string_view id, int64_t at, const std::function<void(const ProspectEventRow&)>& row) {
  return each_row(
      d,
      "SELECT e.n, e.type, e.at, e.stage, e.item, e.due_at, e.actor, e.details, e.prospect FROM prospect_event e "
      "JOIN prospect p ON p.seq = e.prospect WHERE p.id = ?1 AND e.at <= ?2 ORDER BY e.n",
      [&](Query& st) {
        st.bind_text(1, id);
        st.bind_int(2, at);
      },
      [&](Query& st) {
        ProspectEventRow r;
        r.n = st.int64(0);
        r.type = st.int32(1);
        r.at = st.int64(2);
        r.stage = st.int32(3);
        r.item = st.string(4);
        r.due_at = st.int64(5);
        r.actor = st.string(6);
        r.details = st.string(7);
        r.prospect_seq = st.int64(8);
        row(r);
      });
}

}  // namespace crm::detail
