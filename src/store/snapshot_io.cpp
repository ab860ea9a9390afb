// SPDX-License-Identifier: Apache-2.0
// The store's operations (store_api.hpp): exporting and importing snapshots.
#include "store/store_api.hpp"
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <map>

#include "core/file_util.hpp"
#include "crmpolicy/database.hpp"
#include "store/ledger_writer.hpp"
#include "store/snapshot.hpp"
#include "store/snapshot_tables.hpp"
#include "core/json_util.hpp"
#include "store/audit_log.hpp"
#include "store/sealed_snapshot.hpp"
#include "core/json_writer.hpp"
#include <ctime>

namespace crm {

using detail::Query;
using detail::Step;

namespace {

using detail::Use;

// Replaces `path` atomically with `bytes`, durable before the rename.
// Written beside the target and renamed over it, readable by its owner only: a snapshot holds
// confidential data, and a reader never sees half of one.
Status write_file_atomically(const std::string& path, const std::string& bytes) {
  const std::string temporary = path + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 || ::fchmod(fd, 0600) != 0) {
    if (fd >= 0) ::close(fd);
    return Status::io_error("cannot create \"" + temporary + "\"");
  }
  FILE* f = ::fdopen(fd, "wb");
  if (!f) {
    ::close(fd);
    return Status::io_error("cannot create \"" + temporary + "\"");
  }
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size() && std::fflush(f) == 0 && ::fsync(fileno(f)) == 0;
  ok = std::fclose(f) == 0 && ok;
  if (!ok || std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    return Status::io_error("cannot write snapshot \"" + path + "\"");
  }
  return {};
}

}  // namespace

namespace {

// The passphrase of {"passphrase": "..."} ("" when none); a message never repeats it.
Result<std::string> snapshot_passphrase(std::string_view options_json) {
  auto parsed = detail::parse_json_strict(options_json, "snapshot options");
  if (!parsed.ok()) return std::move(parsed).status();
  if (!parsed->is_object()) return detail::json_error("", "snapshot options are a JSON object", *parsed);
  if (Status s = detail::unknown_keys(*parsed, "", {"passphrase"}, "passphrase"); !s.ok()) return s;
  const auto it = parsed->find("passphrase");
  if (it == parsed->end()) return std::string();
  if (!it->is_string() || it->get_ref<const std::string&>().size() < 8)
    return Status::invalid_argument("/passphrase: expected a string of at least 8 bytes");
  return it->get<std::string>();
}

}  // namespace

Status detail::api::export_snapshot(detail::DatabaseImpl& impl, const std::string& path, std::string_view options_json) {
  auto passphrase = snapshot_passphrase(options_json);
  if (!passphrase.ok()) return std::move(passphrase).status();
  // A snapshot holds personal data in the clear (each database seals it under its own keys), so
  // a database that encrypts it exports only into an encrypted snapshot.
  if (impl.keys_.keyring && passphrase->empty())
    return Status::permission_denied("this database encrypts personal data: export it with a passphrase (an encrypted snapshot)");
  detail::DatabaseImpl& d = impl;
  detail::Snapshot snapshot;
  {
    detail::Transaction tx(d);
    if (Status s = tx.begin(false); !s.ok()) return s;
    Status s = detail::each_row(d, "SELECT name, version, document, calendar_data FROM policy ORDER BY id", [&](Query& r) {
      snapshot.policies.push_back({r.string(0), r.string(1), r.string(2),
                                   r.string(3)});
    });
    std::map<int64_t, size_t> index;
    if (s.ok())
      s = detail::each_row(d,
                   "SELECT d.seq, d.id, p.name, p.version, d.actor, d.document, d.customer_spend, d.customer_tier, "
                   "d.customer_key, d.customer_owner FROM demand d JOIN policy p ON p.id = d.policy ORDER BY d.seq",
                   [&](Query& r) {
                     index[r.int64(0)] = snapshot.demands.size();
                     detail::SnapshotDemand demand{r.string(1), r.string(2),
                                                   r.string(3), r.string(4),
                                                   r.string(5), {}, 0, 0, {}, false, {}};
                     if (const auto pinned = detail::stored_customer_columns(r, 6)) {
                       demand.customer_pinned = pinned->tier ? 2 : 1;
                       demand.customer_spend = pinned->spend_cents;
                       demand.customer_tier = pinned->tier.value_or("");
                       demand.customer_key = pinned->key;
                       demand.customer_owner = pinned->owner;
                     }
                     snapshot.demands.push_back(std::move(demand));
                   });
    if (s.ok())
      s = detail::each_row(d, "SELECT demand, n, type, at, actor, payload, ref FROM event ORDER BY demand, n", [&](Query& r) {
        snapshot.demands[index.at(r.int64(0))].events.push_back(
            {r.int32(1), r.int32(2), r.int64(3), r.string(4),
             r.string(5), r.string(6)});
      });
    if (!s.ok()) return s;
    auto tables = detail::read_snapshot_tables(d);
    if (!tables.ok()) return std::move(tables).status();
    snapshot.tables = std::move(*tables);
    if (Status c = tx.commit(); !c.ok()) return c;
  }
  if (passphrase->empty()) return write_file_atomically(path, detail::write_snapshot(snapshot));
  auto sealed = detail::seal_snapshot(detail::write_snapshot(snapshot), *passphrase);
  if (!sealed.ok()) return std::move(sealed).status();
  return write_file_atomically(path, *sealed);
}

Status detail::api::import_snapshot(detail::DatabaseImpl& impl, const std::string& path, std::string_view options_json) {
  auto passphrase = snapshot_passphrase(options_json);
  if (!passphrase.ok()) return std::move(passphrase).status();
  auto bytes = detail::read_file(path, size_t{1} << 34);
  if (!bytes.ok()) return std::move(bytes).status();
  const bool sealed = detail::is_sealed_snapshot(*bytes);
  if (sealed != !passphrase->empty())
    return Status::invalid_argument("\"" + path + "\": " +
                                    (sealed ? "the snapshot is encrypted: give its passphrase" : "the snapshot is not encrypted, but a passphrase was given"));
  if (sealed) {
    auto opened = detail::open_sealed_snapshot(*bytes, *passphrase);
    if (!opened.ok()) return Status(opened.status().code(), "\"" + path + "\": " + opened.status().message());
    *bytes = std::move(*opened);
  }
  auto snapshot = detail::read_snapshot(*bytes);
  if (!snapshot.ok()) return Status(snapshot.status().code(), "\"" + path + "\": " + snapshot.status().message());
  return restore_snapshot(impl, *snapshot, path);
}

Status detail::api::restore_snapshot(detail::DatabaseImpl& d, const detail::Snapshot& archive, const std::string& source) {
  const detail::Snapshot* snapshot = &archive;
  const std::string& path = source;
  detail::Transaction tx(d);
  if (Status s = tx.begin(); !s.ok()) return s;

  // First the tables restored as they were: the calendar data the policies are built on, the
  // customer-side records, the audit log.
  auto restored = detail::restore_snapshot_tables(d, snapshot->tables);
  if (!restored.ok()) return std::move(restored).status();
  int64_t policies = 0, demands = 0, events = 0;

  for (size_t i = 0; i < snapshot->policies.size(); ++i) {
    const detail::SnapshotPolicy& p = snapshot->policies[i];
    const std::string where = "snapshot policy " + std::to_string(i + 1) + " (\"" + p.name + "\" " + p.version + ")";
    auto policy = Policy::from_json(p.document);
    if (!policy.ok()) return Status::invalid_argument(where + " does not load: " + policy.status().message());
    if (policy->name() != p.name || policy->version() != p.version)
      return Status::invalid_argument(where + ": its document names another policy version");
    auto stored = d.resolve_policy(p.name, p.version);
    if (stored.ok()) {
      Use find(d.find_policy_);
      find->bind_text(1, p.name);
      find->bind_text(2, p.version);
      if (find->step() != Step::row) return d.error("reading a policy");
      if (find->string(0) != p.document)
        return Status::conflict(where + " is stored here with a different document");
      continue;
    }
    if (stored.status().code() != StatusCode::not_found) return std::move(stored).status();
    Use insert(d.insert_policy_);
    insert->bind_text(1, p.name);
    insert->bind_text(2, p.version);
    insert->bind_text(3, p.document);
    insert->bind_text(4, p.calendar_data);
    if (insert->step() != Step::done) return d.error("storing a snapshot policy");
    ++policies;
  }

  detail::LedgerWriter writer(d);
  if (restored->change_log) writer.keep_changes_unlogged();  // the archive's log says what happened
  std::vector<std::string_view> ids;
  for (const detail::SnapshotDemand& s : snapshot->demands) ids.push_back(s.id);
  if (Status s = writer.expect(ids); !s.ok()) return s;
  for (size_t i = 0; i < snapshot->demands.size(); ++i) {
    const detail::SnapshotDemand& s = snapshot->demands[i];
    const std::string where = "snapshot demand " + std::to_string(i + 1) + " (\"" + s.id + "\")";
    auto policy = d.resolve_policy(s.policy_name, s.policy_version);
    if (!policy.ok()) return Status::invalid_argument(where + ": " + policy.status().message());
    auto root = detail::parse_json_strict(s.document, "snapshot demand");
    if (!root.ok()) return Status::invalid_argument(where + ": " + root.status().message());
    std::optional<detail::StoredCustomer> pinned;
    if (s.customer_pinned) {
      pinned = detail::StoredCustomer{s.customer_spend, {}, s.customer_key, s.customer_owner};
      if (s.customer_pinned == 2) pinned->tier = s.customer_tier;
    }
    auto recorded = writer.record(*root, s.document, false, &*policy, s.actor, &pinned);
    if (!recorded.ok()) return Status(recorded.status().code(), where + ": " + recorded.status().message());
    detail::LiveDemand& live = *recorded->demand;
    if (recorded->retry) {
      // Already here: the ledger must be the same, event for event.
      bool same = live.events.size() == s.events.size() && live.actor == s.actor;
      for (const detail::SnapshotEvent& e : s.events) {
        bool found = false;
        for (const detail::Event& x : live.events)
          found = found || (x.n == e.n && static_cast<int32_t>(x.type) == e.type && x.at == e.at && x.actor == e.actor && x.id == e.ref &&
                            (e.payload.empty() ? "{}" : e.payload) == detail::event_payload_json(x));
        same = same && found;
      }
      if (!same) return Status::conflict(where + " is recorded here with a different ledger");
      continue;
    }
    ++demands;
    events += static_cast<int64_t>(s.events.size());
    for (const detail::SnapshotEvent& e : s.events) {
      const std::string event_where = where + " event " + std::to_string(e.n);
      if (e.type <= 0 || e.type >= detail::kEventTypeCount)
        return Status::invalid_argument(event_where + ": unknown event type " + std::to_string(e.type));
      detail::Event event;
      event.type = static_cast<detail::EventType>(e.type);
      event.at = e.at;
      event.actor = e.actor;
      event.id = e.ref;
      if (!e.payload.empty())
        if (Status st = detail::read_event_payload(e.payload, event); !st.ok())
          return Status::invalid_argument(event_where + ": " + st.message());
      if (e.n != live.last_n + 1) return Status::invalid_argument(event_where + ": events are out of order");
      if (Status st = writer.append(s.id, std::move(event)); !st.ok()) return Status(st.code(), event_where + ": " + st.message());
    }
    if ((i + 1) % 10000 == 0) {
      if (Status st = writer.flush(); !st.ok()) return st;
      writer.clear();
    }
  }
  if (Status st = writer.flush(); !st.ok()) return st;

  // The restore itself, in the audit log of the file restored into (never exported).
  std::string counts;
  detail::JsonWriter w(counts);
  w.begin_object().key("policies").value(policies).key("demands").value(demands).key("events").value(events);
  w.key("calendar_data").value(restored->calendar_data).key("customers").value(restored->customers);
  w.key("activities").value(restored->activities).key("prospects").value(restored->prospects);
  w.key("prospect_events").value(restored->prospect_events).key("audit").value(restored->audit).end_object();
  detail::AuditRow entry;
  entry.recorded_at = static_cast<int64_t>(std::time(nullptr));
  entry.actor = "crmpolicy";
  entry.role = "system";
  entry.operation = detail::kRestoreOperation;
  entry.kind = "database";
  entry.record = path;
  entry.outcome = "ok";
  entry.after = counts;
  entry.message = "restored snapshot \"" + path + "\": what it added to this database";
  if (Status st = detail::append_audit(d, entry); !st.ok()) return st;
  return tx.commit();
}

}  // namespace crm
