// SPDX-License-Identifier: Apache-2.0
#include "store/snapshot_tables.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/json_util.hpp"
#include "store/audit_log.hpp"
#include "store/change_log.hpp"
#include "store/personal_data.hpp"

namespace crm::detail {

namespace {

struct CopiedTable {
  const char* name;
  const char* order;  // its primary key
  const char* where;  // rows not copied
  bool customer_side;
};

// Restore order: a table's rows come after those they reference.
constexpr CopiedTable kTables[] = {
    {"calendar_data", "seq", "", false},
    {"customer", "seq", "", true},
    {"activity", "customer, n", "", true},
    {"prospect", "seq", "", true},
    {"prospect_event", "prospect, n", "", true},
    {"audit", "seq", " WHERE NOT (kind = 'database' AND operation = 'restore_snapshot')", false},
    // The change feed: how far it was read, its log, and the crossings it has read past (those
    // after it are derived again by the ledger writer).
    {"feed", "served_until", "", false},
    {"demand_change", "seq", "", false},
    {"demand_crossing", "at, demand, target, kind, step, round", " WHERE at <= (SELECT served_until FROM feed)", false},
    {"account_transition", "account, target, kind, at", "", false},
};

// Columns that belong to the database, not to its records: the audit chain is this database's
// (a restore chains the entries it appends after its own), and so are the keys personal data is
// sealed with (a snapshot holds it in the clear; store/personal_data.hpp).
bool copied_column(const std::string& table, const std::string& column) {
  return !(table == "audit" && (column == "keyed" || column == "chain")) && !(table == "customer" && column == "contact_sealed");
}

// The personal data of rows read from customer, prospect or audit, opened in place: snapshots and
// the comparisons of a restore see the records as they were given, whatever keys sealed them.
Status open_personal_data(DatabaseImpl& d, SnapshotTable& t) {
  const bool customer = t.name == "customer", prospect = t.name == "prospect", audit = t.name == "audit";
  if (!customer && !prospect && !audit) return {};
  const auto column = [&](const char* name) {
    const auto it = std::find(t.columns.begin(), t.columns.end(), name);
    return it == t.columns.end() ? -1 : static_cast<int>(it - t.columns.begin());
  };
  const size_t width = t.columns.size();
  const auto text = [](const SnapshotValue& v) { return v.type == SnapshotValue::text ? &v.text_value : nullptr; };
  const Status locked = Status::permission_denied(
      "the " + t.name + " table holds personal data sealed under keys this handle lacks: open the database with its encryption_key");
  for (uint64_t r = 0; r < t.rows; ++r) {
    SnapshotValue* row = &t.cells[r * width];
    if (audit) {
      const int kind = column("kind"), record = column("record"), seq = column("seq");
      if (kind < 0 || record < 0 || !text(row[kind]) || !text(row[record])) continue;
      for (const auto& [name, after] : {std::pair{"before", false}, std::pair{"after", true}}) {
        const int c = column(name);
        if (c < 0 || !text(row[c])) continue;
        auto opened = open_document(d.keys_.data, audit_where(*text(row[kind]), *text(row[record]), after), row[c].text_value,
                                    "audit entry " + std::to_string(seq >= 0 ? row[seq].integer_value : 0));
        if (!opened.ok()) return std::move(opened).status();
        if (opened->masked) return locked;
        if (opened->sealed) row[c].text_value = opened->document.dump();
      }
      continue;
    }
    const int id = column("id"), document = column("document");
    if (id < 0 || document < 0 || !text(row[id]) || !text(row[document])) continue;
    const std::string& key = *text(row[id]);
    auto opened = open_document(d.keys_.data, customer ? customer_where(key) : prospect_where(key), row[document].text_value,
                                t.name + " \"" + key + "\"");
    if (!opened.ok()) return std::move(opened).status();
    if (opened->masked) return locked;
    if (!opened->sealed) continue;
    row[document].text_value = opened->document.dump();
    if (!customer) continue;
    // The list columns hold the first contact, as the document does.
    const auto contacts = opened->document.find("contacts");
    const nlohmann::json first = contacts != opened->document.end() && contacts->is_array() && !contacts->empty()
                                     ? contacts->at(0)
                                     : nlohmann::json::object();
    for (const auto& [name, field] : {std::pair{"contact_name", "name"}, std::pair{"contact_phone", "phone"}, std::pair{"contact_email", "email"}})
      if (const int c = column(name); c >= 0 && text(row[c])) row[c].text_value = first.value(field, std::string());
  }
  return {};
}

// Names are quoted only after they were checked against the schema.
std::string quoted(const std::string& name) { return "\"" + name + "\""; }

Result<std::vector<std::string>> table_columns(DatabaseImpl& d, const char* table) { return d.engine_->table_columns(table); }

Result<int64_t> count_rows(DatabaseImpl& d, const std::string& sql) {
  int64_t n = 0;
  Status s = each_row(d, sql.c_str(), [&](Query& r) { n = r.int64(0); });
  if (!s.ok()) return s;
  return n;
}

// This database's rows of a copied table, in the given columns.
Result<SnapshotTable> read_table(DatabaseImpl& d, const CopiedTable& t, const std::vector<std::string>& columns) {
  SnapshotTable out;
  out.name = t.name;
  out.columns = columns;
  std::string list;
  for (const std::string& c : columns) list += (list.empty() ? "" : ", ") + quoted(c);
  const std::string sql = "SELECT " + list + " FROM " + t.name + t.where + " ORDER BY " + t.order;
  Status odd;
  Status s = each_row(d, sql.c_str(), [&](Query& r) {
    for (int i = 0; i < static_cast<int>(columns.size()); ++i) {
      SnapshotValue v;
      switch (r.type(i)) {
        case ColumnType::null: break;
        case ColumnType::integer:
          v.type = SnapshotValue::integer;
          v.integer_value = r.int64(i);
          break;
        case ColumnType::text:
          v.type = SnapshotValue::text;
          v.text_value = r.string(i);
          break;
        case ColumnType::other:  // a blob: the only other type the schema has
          v.type = SnapshotValue::blob;
          v.text_value = std::string(r.blob(i));
          break;
        default: odd = Status::internal(std::string("table ") + t.name + " holds a value of an unexpected type");
      }
      out.cells.push_back(std::move(v));
    }
    ++out.rows;
  });
  if (!s.ok()) return s;
  if (!odd.ok()) return odd;
  if (Status opened = open_personal_data(d, out); !opened.ok()) return opened;
  return out;
}

bool same_rows(const SnapshotTable& a, const SnapshotTable& b) { return a.rows == b.rows && a.cells == b.cells; }

// Inserts rows of `t` (all of them, or those `keep` accepts), leaving out column `skip` (-1: none).
template <class Keep>
Result<int64_t> insert_rows(DatabaseImpl& d, const SnapshotTable& t, int skip, Keep&& keep) {
  const size_t width = t.columns.size();
  std::string columns, params;
  int bound = 0;
  for (size_t c = 0; c < width; ++c) {
    if (static_cast<int>(c) == skip) continue;
    columns += (columns.empty() ? "" : ", ") + quoted(t.columns[c]);
    params += (params.empty() ? "?" : ", ?") + std::to_string(++bound);
  }
  Statement insert;
  const std::string sql = "INSERT INTO " + t.name + " (" + columns + ") VALUES (" + params + ")";
  if (!insert.prepare(*d.engine_, sql.c_str())) return d.error("preparing the restore of table " + t.name);
  int64_t written = 0;
  for (uint64_t row = 0; row < t.rows; ++row) {
    const SnapshotValue* values = &t.cells[row * width];
    if (!keep(values)) continue;
    Use use(insert);
    int index = 0;
    for (size_t c = 0; c < width; ++c) {
      if (static_cast<int>(c) == skip) continue;
      const SnapshotValue& v = values[c];
      ++index;
      if (v.type == SnapshotValue::integer) use->bind_int(index, v.integer_value);
      else if (v.type == SnapshotValue::text) use->bind_text(index, v.text_value);
      else if (v.type == SnapshotValue::blob) use->bind_blob(index, v.text_value);
    }
    if (use->step() != Step::done) {
      const std::string where = "snapshot table " + t.name + " row " + std::to_string(row + 1);
      const EngineError e = d.engine_->last_error();
      if (e == EngineError::constraint || e == EngineError::unique_violation)  // the archive's row, not the disk
        return Status::invalid_argument(where + ": " + d.engine_->error_message());
      return d.error(where);
    }
    ++written;
  }
  return written;
}

// Every row, keys as they were; new rows' keys then continue after them.
Result<int64_t> insert_all(DatabaseImpl& d, const SnapshotTable& t) {
  auto n = insert_rows(d, t, -1, [](const SnapshotValue*) { return true; });
  if (!n.ok()) return n;
  if (std::find(t.columns.begin(), t.columns.end(), "seq") != t.columns.end())
    if (Status s = d.engine_->sync_keys(t.name); !s.ok()) return s;
  return n;
}

// The archive's tables, checked against this schema: known names, each once, existing columns,
// each once, a whole number of rows of known value types.
Result<std::map<std::string, const SnapshotTable*>> check_tables(DatabaseImpl& d, const std::vector<SnapshotTable>& tables) {
  std::map<std::string, const SnapshotTable*> out;
  for (const SnapshotTable& t : tables) {
    const std::string where = "snapshot table \"" + t.name + "\"";
    const auto known = std::find_if(std::begin(kTables), std::end(kTables), [&](const CopiedTable& c) { return t.name == c.name; });
    if (known == std::end(kTables)) return Status::invalid_argument(where + " is not a table a snapshot holds");
    if (!out.emplace(t.name, &t).second) return Status::invalid_argument(where + " appears twice");
    auto columns = table_columns(d, known->name);
    if (!columns.ok()) return std::move(columns).status();
    std::set<std::string> seen;
    for (const std::string& c : t.columns) {
      if (std::find(columns->begin(), columns->end(), c) == columns->end() || !copied_column(t.name, c))
        return Status::invalid_argument(where + ": no column \"" + c + "\" in this schema");
      if (!seen.insert(c).second) return Status::invalid_argument(where + ": column \"" + c + "\" appears twice");
    }
    if (t.columns.empty() || t.cells.size() / t.columns.size() != t.rows || t.cells.size() % t.columns.size() != 0)
      return Status::invalid_argument(where + ": its cells do not make whole rows");
    for (const SnapshotValue& v : t.cells)
      if (v.type < SnapshotValue::null || v.type > SnapshotValue::blob)
        return Status::invalid_argument(where + ": a value of unknown type " + std::to_string(v.type));
  }
  return out;
}

const CopiedTable& copied(const char* name) {
  return *std::find_if(std::begin(kTables), std::end(kTables), [&](const CopiedTable& c) { return std::string(name) == c.name; });
}

// Calendar data: see the header.
Result<int64_t> restore_calendar_data(DatabaseImpl& d, const SnapshotTable& t) {
  const CopiedTable& c = copied("calendar_data");
  auto exact = read_table(d, c, t.columns);
  if (!exact.ok()) return std::move(exact).status();
  if (same_rows(*exact, t)) return 0;  // a repeated restore
  auto used = count_rows(d, "SELECT (SELECT count(*) FROM policy) + (SELECT count(*) FROM demand)");
  if (!used.ok()) return std::move(used).status();
  if (*used > 0) {
    // A ledger computes here already: it may take the archive's only when the data is the same —
    // base, version and text, in order — whenever each database pinned it (seq and applied_at
    // differ between databases; the ledger's calendar_updated events carry the transitions).
    std::vector<std::string> compared;
    std::vector<size_t> keep;
    for (size_t col = 0; col < t.columns.size(); ++col)
      if (t.columns[col] != "seq" && t.columns[col] != "applied_at") compared.push_back(t.columns[col]), keep.push_back(col);
    auto mine = read_table(d, c, compared);
    if (!mine.ok()) return std::move(mine).status();
    SnapshotTable theirs{t.name, compared, t.rows, {}};
    for (uint64_t row = 0; row < t.rows; ++row)
      for (size_t col : keep) theirs.cells.push_back(t.cells[row * t.columns.size() + col]);
    if (!compared.empty() && same_rows(*mine, theirs)) return 0;
    return Status::conflict("the snapshot's calendar data differs from this database's, which already computes a ledger "
                            "with its own: restore into an empty database");
  }
  if (t.rows == 0) return 0;
  // The rows pinned when this empty database was opened give way to the archive's: its ledger was
  // computed on those. The append-only trigger is lifted for this one statement, in this transaction.
  if (Status e = d.engine_->clear_append_only("calendar_data", "calendar_data_no_delete"); !e.ok()) return e;
  auto written = insert_all(d, t);
  if (!written.ok()) return written;
  if (Status e = reload_pinned_calendar_data(d); !e.ok()) return e;
  return written;
}

// A value's bytes with its type, for comparing whole rows.
void append_key(std::string& key, const SnapshotValue& v) {
  key += static_cast<char>('0' + v.type);
  const std::string& text = v.type == SnapshotValue::text || v.type == SnapshotValue::blob ? v.text_value : std::to_string(v.integer_value);
  key += std::to_string(text.size()) + ':' + text;
}

// The audit log: entries this database lacks (compared without seq) are appended, chained after
// its own.
Result<int64_t> restore_audit(DatabaseImpl& d, const SnapshotTable& t) {
  const size_t width = t.columns.size();
  const auto column = [&](const char* name) {
    const auto it = std::find(t.columns.begin(), t.columns.end(), name);
    return it == t.columns.end() ? -1 : static_cast<int>(it - t.columns.begin());
  };
  const int skip = column("seq");
  const auto key_of = [&](const SnapshotValue* row) {
    std::string key;
    for (size_t c = 0; c < width; ++c)
      if (static_cast<int>(c) != skip) append_key(key, row[c]);
    return key;
  };
  auto mine = read_table(d, copied("audit"), t.columns);
  if (!mine.ok()) return std::move(mine).status();
  std::set<std::string> present;
  for (uint64_t r = 0; r < mine->rows; ++r) present.insert(key_of(&mine->cells[r * width]));
  const int recorded_at = column("recorded_at"), before = column("before"), after = column("after");
  const std::pair<std::string AuditRow::*, int> texts[] = {
      {&AuditRow::actor, column("actor")},   {&AuditRow::role, column("role")},     {&AuditRow::operation, column("operation")},
      {&AuditRow::kind, column("kind")},     {&AuditRow::record, column("record")}, {&AuditRow::outcome, column("outcome")},
      {&AuditRow::message, column("message")}};
  const auto text_at = [&](const SnapshotValue* row, int c, const char* name) -> Result<std::optional<std::string>> {
    if (c < 0 || row[c].type == SnapshotValue::null) return std::optional<std::string>();
    if (row[c].type != SnapshotValue::text) return Status::invalid_argument(std::string("snapshot table audit: ") + name + " is not text");
    return std::optional<std::string>(row[c].text_value);
  };
  int64_t written = 0;
  for (uint64_t r = 0; r < t.rows; ++r) {
    const SnapshotValue* row = &t.cells[r * width];
    if (!present.insert(key_of(row)).second) continue;
    AuditRow entry;
    if (recorded_at < 0 || row[recorded_at].type != SnapshotValue::integer)
      return Status::invalid_argument("snapshot table audit row " + std::to_string(r + 1) + ": recorded_at is not an integer");
    entry.recorded_at = row[recorded_at].integer_value;
    for (const auto& [field, c] : texts) {
      auto value = text_at(row, c, "a text column");
      if (!value.ok()) return std::move(value).status();
      if (!*value) return Status::invalid_argument("snapshot table audit row " + std::to_string(r + 1) + ": a required column is missing");
      entry.*field = std::move(**value);
    }
    auto b = text_at(row, before, "before");
    if (!b.ok()) return std::move(b).status();
    auto a = text_at(row, after, "after");
    if (!a.ok()) return std::move(a).status();
    // Sealed like the entries this database writes itself.
    for (auto [text, out, side] : {std::tuple{&*b, &entry.before, false}, std::tuple{&*a, &entry.after, true}}) {
      if (!*text) continue;
      if (d.keys_.data.empty()) {
        *out = std::move(**text);
        continue;
      }
      auto parsed = parse_stored_json(**text, "snapshot table audit row " + std::to_string(r + 1));
      if (!parsed.ok()) return Status::invalid_argument(parsed.status().message());
      *out = stored_audit_document(d.keys_.data, entry.kind, entry.record, side, *parsed);
    }
    if (Status s = append_audit(d, entry); !s.ok()) return s;
    ++written;
  }
  return written;
}

// The change feed restores as it was into a database whose feed was never written or read, so
// that a host's cursor goes on working against the copy: -1 when it does not (then the restored
// demands are logged as new writes).
Result<int64_t> restore_change_feed(DatabaseImpl& d, const SnapshotTable* feed, const SnapshotTable* log,
                                    const SnapshotTable* crossings, const SnapshotTable* accounts) {
  // The customer side is compared again after any restore (customers/account_feed.hpp): against
  // the transitions the archive's feed took when its feed comes back, else as news.
  const bool as_it_was = feed && log && crossings;
  if (Status s = set_account_feed_state(d, as_it_was && !accounts ? AccountFeedState::never_taken : AccountFeedState::stale);
      !s.ok())
    return s;
  if (!as_it_was) return -1;  // an archive from before the feed
  // Account transitions already here come from an earlier restore of the same customers (a
  // database holding other customers refused the archive's): the feed was taken then.
  auto used = count_rows(d, "SELECT (SELECT count(*) FROM demand_change) + (SELECT count(*) FROM account_transition) + "
                            "(SELECT count(*) FROM feed WHERE served_until > -9223372036854775807 - 1)");
  if (!used.ok()) return std::move(used).status();
  if (*used > 0) return -1;
  const auto served = std::find(feed->columns.begin(), feed->columns.end(), "served_until");
  const size_t column = static_cast<size_t>(served - feed->columns.begin());
  if (feed->rows != 1 || served == feed->columns.end() || feed->cells[column].type != SnapshotValue::integer)
    return Status::invalid_argument("snapshot table \"feed\": expected one row with served_until");
  {
    Statement set;
    if (!set.prepare(*d.engine_, "UPDATE feed SET served_until = ?1", false)) return d.error("preparing the restore of the feed");
    Use use(set);
    use->bind_int(1, feed->cells[column].integer_value);
    if (use->step() != Step::done) return d.error("restoring how far the change feed was read");
  }
  auto changes = insert_all(d, *log);
  if (!changes.ok()) return changes;
  auto kept = insert_all(d, *crossings);
  if (!kept.ok()) return std::move(kept).status();
  if (accounts)
    if (auto taken = insert_all(d, *accounts); !taken.ok()) return std::move(taken).status();
  return changes;
}

}  // namespace

Result<std::vector<SnapshotTable>> read_snapshot_tables(DatabaseImpl& d) {
  std::vector<SnapshotTable> out;
  for (const CopiedTable& t : kTables) {
    auto columns = table_columns(d, t.name);
    if (!columns.ok()) return std::move(columns).status();
    columns->erase(std::remove_if(columns->begin(), columns->end(), [&](const std::string& c) { return !copied_column(t.name, c); }),
                   columns->end());
    auto table = read_table(d, t, *columns);
    if (!table.ok()) return std::move(table).status();
    out.push_back(std::move(*table));
  }
  return out;
}

Result<RestoredTables> restore_snapshot_tables(DatabaseImpl& d, const std::vector<SnapshotTable>& tables) {
  auto checked = check_tables(d, tables);
  if (!checked.ok()) return std::move(checked).status();
  const auto find = [&](const char* name) -> const SnapshotTable* {
    const auto it = checked->find(name);
    return it == checked->end() ? nullptr : it->second;
  };
  RestoredTables out;
  if (const SnapshotTable* t = find("calendar_data")) {
    auto n = restore_calendar_data(d, *t);
    if (!n.ok()) return std::move(n).status();
    out.calendar_data = *n;
  }

  // Customer-side records restore as a whole, into a database holding none (a repeated restore
  // of the same archive finds them identical and writes nothing).
  uint64_t archived = 0;
  for (const CopiedTable& c : kTables)
    if (c.customer_side)
      if (const SnapshotTable* t = find(c.name)) archived += t->rows;
  if (archived > 0) {
    auto held = count_rows(d, "SELECT (SELECT count(*) FROM customer) + (SELECT count(*) FROM activity) + "
                              "(SELECT count(*) FROM prospect) + (SELECT count(*) FROM prospect_event)");
    if (!held.ok()) return std::move(held).status();
    if (*held == 0) {
      int64_t* counts[] = {&out.customers, &out.activities, &out.prospects, &out.prospect_events};
      size_t i = 0;
      for (const CopiedTable& c : kTables) {
        if (!c.customer_side) continue;
        if (const SnapshotTable* t = find(c.name)) {
          auto n = insert_all(d, *t);
          if (!n.ok()) return std::move(n).status();
          *counts[i] = *n;
        }
        ++i;
      }
      // Restored in the clear: sealed under this database's keys, and the lookups by phone and
      // email hashed with them, before the transaction ends.
      if (d.keys_.keyring && d.keys_.data.empty())
        return Status::permission_denied("this database encrypts personal data: open it with its encryption_key to restore customers");
      if (Status s = reseal_personal_data(d, d.keys_.data); !s.ok()) return s;
    } else {
      for (const CopiedTable& c : kTables) {
        if (!c.customer_side) continue;
        const SnapshotTable* t = find(c.name);
        SnapshotTable empty;
        if (!t) {
          auto columns = table_columns(d, c.name);
          if (!columns.ok()) return std::move(columns).status();
          empty.name = c.name;
          empty.columns = *columns;
          t = &empty;
        }
        auto mine = read_table(d, c, t->columns);
        if (!mine.ok()) return std::move(mine).status();
        if (!same_rows(*mine, *t))
          return Status::conflict(std::string("this database holds ") + c.name +
                                  " rows that differ from the snapshot's: customer records restore into a database "
                                  "without any");
      }
    }
  }

  if (const SnapshotTable* t = find("audit")) {
    auto n = restore_audit(d, *t);
    if (!n.ok()) return std::move(n).status();
    out.audit = *n;
  }
  auto feed = restore_change_feed(d, find("feed"), find("demand_change"), find("demand_crossing"), find("account_transition"));
  if (!feed.ok()) return std::move(feed).status();
  out.changes = *feed;
  out.change_log = *feed >= 0;
  return out;
}

}  // namespace crm::detail
