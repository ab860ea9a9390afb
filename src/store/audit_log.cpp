// SPDX-License-Identifier: Apache-2.0
#include "store/audit_log.hpp"

#include <algorithm>

#include "core/hex_text.hpp"

namespace crm::detail {

namespace {

constexpr const char* kColumns =
    "SELECT seq, recorded_at, actor, role, operation, kind, record, outcome, before, after, message, keyed, chain FROM audit ";

void put_u64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out += static_cast<char>(v >> (8 * i) & 0xff);
}
void put_field(std::string& out, std::string_view text) {
  put_u64(out, text.size());
  out += text;
}
void put_optional(std::string& out, const std::optional<std::string>& text) {
  out += text ? '\1' : '\0';
  if (text) put_field(out, *text);
}

std::string hex_digest(std::string_view message, const SecretKey* key) {
  const auto hash = blake2b_256(message, key);
  return to_hex(std::string_view(reinterpret_cast<const char*>(hash.data()), hash.size()));
}

// The chain of the entry at `position` (1, 2, ...) after the entry whose chain is `previous`
// ('' for the first): every field length-prefixed, so no two entries hash the same bytes.
std::string link(const std::string& previous, int64_t position, const AuditRow& r, const SecretKey* key) {
  std::string m = "crmpolicy audit v1";
  put_field(m, previous);
  put_u64(m, static_cast<uint64_t>(position));
  put_u64(m, static_cast<uint64_t>(r.recorded_at));
  for (const std::string* f : {&r.actor, &r.role, &r.operation, &r.kind, &r.record, &r.outcome}) put_field(m, *f);
  put_optional(m, r.before);
  put_optional(m, r.after);
  put_field(m, r.message);
  m += key ? '\1' : '\0';
  return hex_digest(m, key);
}

AuditRow read_row(Query& st) {
  AuditRow r;
  r.seq = st.int64(0);
  r.recorded_at = st.int64(1);
  r.actor = st.string(2);
  r.role = st.string(3);
  r.operation = st.string(4);
  r.kind = st.string(5);
  r.record = st.string(6);
  r.outcome = st.string(7);
  if (!st.is_null(8)) r.before = st.string(8);
  if (!st.is_null(9)) r.after = st.string(9);
  r.message = st.string(10);
  r.keyed = st.int64(11) != 0;
  r.chain = st.string(12);
  return r;
}

}  // namespace

std::string audit_head_seal(const SecretKey& key, int64_t entries, const std::string& chain) {
  std::string m = "crmpolicy audit head v1";
  put_u64(m, static_cast<uint64_t>(entries));
  put_field(m, chain);
  return hex_digest(m, &key);
}

Status append_audit(DatabaseImpl& d, const AuditRow& r) {
  // Reading the head through an UPDATE locks it: concurrent writers (PostgreSQL) chain in turn.
  int64_t entries = 0;
  std::string previous;
  bool sealed = false;
  {
    Use head(d.audit_head_);
    if (head->step() != Step::row) return d.error("reading the audit log's head");
    entries = head->int64(0);
    previous = head->string(1);
    sealed = !head->string(2).empty();
  }
  const SecretKey* key = d.keys_.audit ? &*d.keys_.audit : nullptr;
  if (sealed && !key)
    return Status::permission_denied("the audit log is keyed (the database has an encryption key): open it with its "
                                     "encryption_key to make changes the audit log records");
  const std::string chain = link(previous, entries + 1, r, key);
  {
    Use set(d.set_audit_head_);
    set->bind_int(1, entries + 1);
    set->bind_text(2, chain);
    set->bind_text(3, key ? audit_head_seal(*key, entries + 1, chain) : std::string());
    if (set->step() != Step::done) return d.error("writing the audit log's head");
  }
  Appender& row = *d.append_audit_;
  row.add_int(r.recorded_at);
  row.add_text(r.actor);
  row.add_text(r.role);
  row.add_text(r.operation);
  row.add_text(r.kind);
  row.add_text(r.record);
  row.add_text(r.outcome);
  if (r.before) row.add_text(*r.before);
  else row.add_null();
  if (r.after) row.add_text(*r.after);
  else row.add_null();
  row.add_text(r.message);
  row.add_int(key ? 1 : 0);
  row.add_text(chain);
  return row.end_row() ? Status() : d.error("writing the audit log");
}

Result<AuditVerification> verify_audit(DatabaseImpl& d) {
  AuditVerification v;
  int64_t head_entries = 0, head_unchained = 0;
  std::string head_seal;
  Status s = each_row(d, "SELECT entries, chain, unchained, seal FROM audit_head", [](Query&) {}, [&](Query& r) {
    head_entries = r.int64(0);
    v.head = r.string(1);
    head_unchained = r.int64(2);
    head_seal = r.string(3);
  });
  if (!s.ok()) return s;
  const SecretKey* held = d.keys_.audit ? &*d.keys_.audit : nullptr;
  std::string previous;   // the last chain that held
  int64_t position = 0;   // entries chained so far
  std::optional<AuditRow> suspect;  // the entry that broke the chain, judged by the one after it
  const auto judge = [&](const AuditRow* next) {
    // Which change explains the break at `suspect`: the entry after it tells.
    const auto fits = [&](const std::string& after, int64_t at) { return next && link(after, at, *next, next->keyed ? held : nullptr) == next->chain; };
    v.seq = suspect->seq;
    if (fits(suspect->chain, position + 2)) {
      v.problem = "altered";
      v.message = "audit entry " + std::to_string(v.seq) + " was altered: its content no longer matches its chain";
      return;
    }
    if (fits(previous, position + 1)) {
      v.problem = "inserted";
      v.message = "audit entry " + std::to_string(v.seq) + " was inserted: the entry after it follows the one before it";
      return;
    }
    if (!next && head_entries == position && v.head == previous) {
      v.problem = "inserted";
      v.message = "audit entry " + std::to_string(v.seq) + " was inserted at the end: the head ends before it";
      return;
    }
    for (int64_t k = 1; next && k <= 1000; ++k)
      if (fits(suspect->chain, position + 2 + k)) {
        v.problem = "removed";
        v.removed = k;
        v.message = std::to_string(k) + " audit entr" + (k == 1 ? "y was" : "ies were") + " removed before entry " + std::to_string(v.seq);
        return;
      }
    v.problem = "altered";
    v.message = "audit entry " + std::to_string(v.seq) + " was altered, or entries around it were removed or inserted";
  };
  s = each_row(d, (std::string(kColumns) + "ORDER BY seq").c_str(), [](Query&) {}, [&](Query& st) {
    if (!v.problem.empty()) return;
    AuditRow r = read_row(st);
    ++v.entries;
    v.keyed += r.keyed;
    if (suspect) return judge(&r);
    if (r.chain.empty() && position == 0) {
      ++v.unchained;  // written before the chain existed
      return;
    }
    if (position == 0 && v.unchained != head_unchained) {
      v.problem = v.unchained > head_unchained ? "inserted" : "removed";
      v.seq = r.seq;
      v.removed = std::max<int64_t>(0, head_unchained - v.unchained);
      v.message = std::to_string(head_unchained) + " audit entries came before the chain, " + std::to_string(v.unchained) +
                  " are there: entries were " + v.problem + " before entry " + std::to_string(r.seq);
      return;
    }
    if (held && !r.keyed && position + 1 >= d.keys_.audit_keyed_from) {
      v.problem = "altered";
      v.seq = r.seq;
      v.message = "audit entry " + std::to_string(r.seq) + " is not keyed, though every entry from position " +
                  std::to_string(d.keys_.audit_keyed_from) + " on was written with the audit key";
      return;
    }
    if (r.keyed && !held) {
      v.problem = "unverifiable";
      v.seq = r.seq;
      v.message = "audit entry " + std::to_string(r.seq) + " is chained with the keyring's audit key: open the database with its "
                  "encryption_key to verify it";
      return;
    }
    if (link(previous, position + 1, r, r.keyed ? held : nullptr) != r.chain) {
      suspect = std::move(r);
      return;
    }
    previous = r.chain;
    ++position;
  });
  if (!s.ok()) return s;
  if (v.problem.empty() && suspect) judge(nullptr);
  if (v.problem.empty() && position == 0 && v.unchained != head_unchained) {
    v.problem = v.unchained > head_unchained ? "inserted" : "removed";
    v.removed = std::max<int64_t>(0, head_unchained - v.unchained);
    v.message = std::to_string(head_unchained) + " audit entries came before the chain, " + std::to_string(v.unchained) + " are there";
  }
  if (v.problem.empty() && held && head_seal != audit_head_seal(*held, head_entries, v.head)) {
    v.problem = head_entries > position ? "removed_at_end" : "altered";
    v.removed = std::max<int64_t>(0, head_entries - position);
    v.message = "the audit log's head is not sealed with the audit key: it was moved (entries removed from the end) or altered";
  }
  if (v.problem.empty() && (head_entries != position || v.head != previous)) {
    if (head_entries > position) {
      v.problem = "removed_at_end";
      v.removed = head_entries - position;
      v.message = std::to_string(v.removed) + " audit entr" + (v.removed == 1 ? "y was" : "ies were") +
                  " removed from the end: the head counts " + std::to_string(head_entries) + ", the log holds " +
                  std::to_string(position);
    } else {
      v.problem = "altered";
      v.message = "the audit log's head does not match its last entry (" + std::to_string(head_entries) + " entries counted, " +
                  std::to_string(position) + " chained)";
    }
  }
  return v;
}

Status scan_audit_between(DatabaseImpl& d, int64_t from, int64_t to, const std::function<void(const AuditRow&)>& row) {
  return each_row(d, (std::string(kColumns) + "WHERE recorded_at >= ?1 AND recorded_at < ?2 ORDER BY seq").c_str(),
                  [&](Query& st) {
                    st.bind_int(1, from);
                    st.bind_int(2, to);
                  },
                  [&](Query& st) { row(read_row(st)); });
}

Status scan_audit_of(DatabaseImpl& d, const std::vector<std::pair<std::string, std::string>>& records,
                     const std::function<void(const AuditRow&)>& row) {
  if (records.empty()) return {};
  return each_row(d, (std::string(kColumns) + "WHERE (kind = ?1 AND record = ?2) OR (kind = ?3 AND record = ?4) ORDER BY seq").c_str(),
                  [&](Query& st) {
                    for (size_t i = 0; i < 2; ++i) {
                      const auto& r = i < records.size() ? records[i] : records[0];
                      st.bind_text(static_cast<int>(2 * i + 1), r.first);
                      st.bind_text(static_cast<int>(2 * i + 2), r.second);
                    }
                  },
                  [&](Query& st) { row(read_row(st)); });
}

}  // namespace crm::detail
