// SPDX-License-Identifier: Apache-2.0
#include "store/customer_table.hpp"

#include "store/personal_data.hpp"

namespace crm::detail {

namespace {

// Columns type, at, amount, score, ends_at, needs, kind, note, actor from `first` on.
void read_activity(Query& st, int first, ActivityRow& r) {
  r.fact.type = st.int32(first);
  r.fact.at = st.int64(first + 1);
  r.fact.amount_cents = st.int64(first + 2);
  r.fact.score = st.int32(first + 3);
  r.fact.ends_at = st.int64(first + 4);
  r.fact.needs_collected = st.int32(first + 5) != 0;
  r.kind = st.string(first + 6);
  r.note = st.string(first + 7);
  r.actor = st.string(first + 8);
}

}  // namespace

Result<std::optional<CustomerRecordRow>> find_customer_record(DatabaseImpl& d, std::string_view id) {
  Use use(d.find_customer_);
  use->bind_text(1, id);
  const Step rc = use->step();
  if (rc == Step::done) return std::optional<CustomerRecordRow>();
  if (rc != Step::row) return d.error("reading a customer");
  auto opened = open_document(d.keys_.data, customer_where(id), use->text(3), "customer \"" + std::string(id) + "\"");
  if (!opened.ok()) return std::move(opened).status();
  return std::optional<CustomerRecordRow>(
      CustomerRecordRow{use->int64(0), use->string(1), use->string(2), std::move(opened->document), opened->masked});
}

Status write_customer_row(DatabaseImpl& d, const CustomerRow& row, const nlohmann::json& document, bool exists) {
  if (Status s = may_store_personal_data(d.keys_, document, "customer \"" + row.id + "\""); !s.ok()) return s;
  const ContactColumns contact = stored_contact(d.keys_.data, row.id, row.contact_name, row.contact_phone, row.contact_email);
  const std::string stored = stored_document(d.keys_.data, customer_where(row.id), document);
  Use use(exists ? d.update_customer_ : d.insert_customer_);
  use->bind_text(1, row.id);
  use->bind_text(2, row.owner);
  use->bind_text(3, row.department);
  use->bind_text(4, row.company);
  if (row.since) use->bind_int(5, *row.since);
  use->bind_text(6, contact.name);
  use->bind_text(7, contact.phone);
  use->bind_text(8, contact.email);
  use->bind_text(9, stored);
  if (row.potential) use->bind_int(10, *row.potential);
  if (contact.sealed) use->bind_text(11, *contact.sealed);
  if (use->step() != Step::done) return d.error("writing customer \"" + row.id + "\"");
  return write_personal_lookup(d, row.id, document);
}

Result<int64_t> next_activity_number(DatabaseImpl& d, int64_t customer_seq) {
  Use use(d.last_activity_);
  use->bind_int(1, customer_seq);
  if (use->step() != Step::row) return d.error("numbering an activity");
  return use->int64(0) + 1;
}

Result<std::optional<ActivityRow>> activity_by_ref(DatabaseImpl& d, int64_t customer_seq, std::string_view ref) {
  Use use(d.activity_by_ref_);
  use->bind_int(1, customer_seq);
  use->bind_text(2, ref);
  const Step rc = use->step();
  if (rc == Step::done) return std::optional<ActivityRow>();
  if (rc != Step::row) return d.error("looking up an activity id");
  ActivityRow r;
  r.customer_seq = r.fact.customer_seq = customer_seq;
  r.n = use->int64(0);
  read_activity(*use, 1, r);
  r.ref = std::string(ref);
  return std::optional<ActivityRow>(std::move(r));
}

Status insert_activity(DatabaseImpl& d, const ActivityRow& r) {
  Appender& row = *d.append_activity_;
  row.add_int(r.customer_seq);
  row.add_int(r.n);
  row.add_int(r.fact.type);
  row.add_int(r.fact.at);
  row.add_int(r.fact.amount_cents);
  row.add_int(r.fact.score);
  row.add_int(r.fact.ends_at);
  row.add_int(r.fact.needs_collected ? 1 : 0);
  row.add_text(r.kind);
  row.add_text(r.note);
  row.add_text(r.actor);
  row.add_text(r.ref);
  return row.end_row() ? Status() : d.error("writing an activity");
}

Status scan_customer_activities(DatabaseImpl& d, int64_t customer_seq, int64_t at,
                                const std::function<void(const ActivityRow&)>& row) {
  return each_row(
      d, "SELECT n, type, at, amount, score, ends_at, needs, kind, note, actor FROM activity WHERE customer = ?1 AND at <= ?2 ORDER BY at, n",
      [&](Query& st) {
        st.bind_int(1, customer_seq);
        st.bind_int(2, at);
      },
      [&](Query& st) {
        ActivityRow r;
        r.customer_seq = customer_seq;
        r.n = st.int64(0);
        read_activity(st, 1, r);
        r.fact.customer_seq = customer_seq;
        row(r);
      });
}

Status scan_activities_between(DatabaseImpl& d, int64_t from, int64_t to, int64_t at,
                               const std::function<void(const ActivityFact&)>& fact) {
  return each_row(
      d, "SELECT customer, type, at, score FROM activity WHERE at >= ?1 AND at < ?2 AND at <= ?3 AND type <> 4",
      [&](Query& st) {
        st.bind_int(1, from);
        st.bind_int(2, to);
        st.bind_int(3, at);
      },
      [&](Query& st) {
        ActivityFact a;
        a.customer_seq = st.int64(0);
        a.type = st.int32(1);
        a.at = st.int64(2);
        a.score = st.int32(3);
        fact(a);
      });
}

}  // namespace crm::detail
