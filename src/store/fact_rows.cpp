// SPDX-License-Identifier: Apache-2.0
#include "store/fact_rows.hpp"

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "store/change_log.hpp"
#include "store/ledger_scan.hpp"
#include "store/varint_codec.hpp"

namespace crm::detail {

namespace {

// The facts blob. A format byte (1); then the texts (id, department, owner, urgency, category,
// nature, policy version, channel, customer tier, customer: each a length and its bytes); state,
// resolution, technical, economic, time (a byte each); the value (a byte 0 for none, else 1 and an
// IEEE double, little-endian); resolved_at and first_response_at; then four counted lists: targets
// (name, due, warn, status byte, provisional byte), open spans (from, to), reopenings (at) and
// feedback (at, score byte). Counts and lengths are LEB128 varints; an instant is 0 for never, else
// one more than its zigzagged distance from received_at, as a varint: most rows take ~100 bytes.
constexpr uint8_t kFormat = 1;

}  // namespace

void encode_fact_blob(const DemandFacts& f, std::string& out) {
  Encoder e(out, f.received_at);
  e.u8(kFormat);
  for (const std::string* t : {&f.id, &f.department, &f.owner, &f.urgency, &f.category, &f.nature, &f.policy_version,
                               &f.channel, &f.customer_tier, &f.customer})
    e.text(*t);
  e.u8(f.state);
  e.u8(f.resolution);
  e.u8(static_cast<uint8_t>(f.technical));
  e.u8(static_cast<uint8_t>(f.economic));
  e.u8(static_cast<uint8_t>(f.time));
  e.u8(f.value >= 0 ? 1 : 0);
  if (f.value >= 0) e.f64(f.value);
  e.instant(f.resolved_at);
  e.instant(f.first_response_at);
  e.varint(f.targets.size());
  for (const TargetFact& t : f.targets) {
    e.text(t.name);
    e.instant(t.due);
    e.instant(t.warn);
    e.u8(t.status);
    e.u8(t.provisional ? 1 : 0);
  }
  e.varint(f.open_spans.size());
  for (const auto& [from, to] : f.open_spans) e.instant(from), e.instant(to);
  e.varint(f.reopened.size());
  for (const int64_t at : f.reopened) e.instant(at);
  e.varint(f.feedback.size());
  for (const FeedbackScore& s : f.feedback) e.instant(s.at), e.u8(static_cast<uint8_t>(s.satisfaction));
}

// `f.received_at` is read already (a column): the instants are relative to it.
bool decode_fact_blob(std::string_view blob, DemandFacts& f) {
  Decoder in(blob);
  in.set_origin(f.received_at);
  if (in.u8() != kFormat) return false;
  for (std::string* t : {&f.id, &f.department, &f.owner, &f.urgency, &f.category, &f.nature, &f.policy_version,
                         &f.channel, &f.customer_tier, &f.customer})
    in.text(*t);
  f.state = in.u8();
  f.resolution = in.u8();
  f.technical = in.i8();
  f.economic = in.i8();
  f.time = in.i8();
  f.value = in.u8() ? in.f64() : -1;
  f.resolved_at = in.instant();
  f.first_response_at = in.instant();
  f.targets.resize(in.count(5));
  for (TargetFact& t : f.targets) {
    in.text(t.name);
    t.due = in.instant();
    t.warn = in.instant();
    t.status = in.u8();
    t.provisional = in.u8() != 0;
  }
  f.open_spans.resize(in.count(2));
  for (auto& [from, to] : f.open_spans) from = in.instant(), to = in.instant();
  f.reopened.resize(in.count(1));
  for (int64_t& at : f.reopened) at = in.instant();
  f.feedback.resize(in.count(2));
  for (FeedbackScore& s : f.feedback) s.at = in.instant(), s.satisfaction = in.u8();
  return in.done();
}

namespace {

int64_t provisional_targets(const DemandFacts& f) {
  return std::count_if(f.targets.begin(), f.targets.end(), [](const TargetFact& t) { return t.provisional; });
}

}  // namespace

Status prepare_fact_statements(DatabaseImpl& d) {
  static const char* const kColumns =
      "demand, policy, received_at, settled_at, goal_policy, goal_mask, provisional, facts";
  size_t count = 0;
  std::string put = append_statement("demand_fact", kColumns, &count) + " ON CONFLICT (demand) DO UPDATE SET ";
  for (std::string_view rest = kColumns; !rest.empty();) {  // every column but the key
    const size_t comma = rest.find(", ");
    const std::string_view column = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 2);
    if (column == "demand") continue;
    put += std::string(column) + " = excluded." + std::string(column) + (rest.empty() ? "" : ", ");
  }
  const std::pair<Statement*, std::string> statements[] = {
      {&d.put_fact_, put},
      {&d.fact_build_, "SELECT complete FROM fact_build"},
      {&d.provisional_facts_,
       "SELECT d.id FROM demand_fact f JOIN demand d ON d.seq = f.demand WHERE f.provisional > 0 ORDER BY f.demand"},
  };
  for (const auto& [statement, sql] : statements)
    if (!statement->prepare(*d.engine_, sql.c_str())) return d.error("preparing \"" + sql + "\"");
  if (!(d.append_fact_ = d.engine_->appender("demand_fact", kColumns))) return d.error("preparing inserts into demand_fact");
  return {};
}

void take_fact_row(int64_t seq, int64_t policy_id, const Demand& demand, const std::vector<Event>& events,
                   const DemandView& view, int64_t at, const StoredPolicy& latest, FactRow& out) {
  out.seq = seq;
  out.policy_id = policy_id;
  take_demand_facts(demand, events, view, at, out.facts);
  out.goal_policy = latest.id;
  out.goal_mask = goals_applying(PolicyAccess::impl(latest.policy), demand, view.urgency, view.category, view.nature);
}

Status put_fact_row(DatabaseImpl& d, bool fresh, const FactRow& row) {
  const DemandFacts& f = row.facts;
  encode_fact_blob(f, d.fact_scratch_);
  if (fresh) {
    Appender& a = *d.append_fact_;
    for (const int64_t v : {row.seq, row.policy_id, f.received_at, f.settled_at, row.goal_policy,
                            static_cast<int64_t>(row.goal_mask), provisional_targets(f)})
      a.add_int(v);
    a.add_blob(d.fact_scratch_);
    return a.end_row() ? Status() : d.error("writing the report facts of \"" + f.id + "\"");
  }
  Use put(d.put_fact_);
  int i = 0;
  for (const int64_t v : {row.seq, row.policy_id, f.received_at, f.settled_at, row.goal_policy,
                          static_cast<int64_t>(row.goal_mask), provisional_targets(f)})
    put->bind_int(++i, v);
  put->bind_blob(++i, d.fact_scratch_);
  if (put->step() != Step::done) return d.error("writing the report facts of \"" + f.id + "\"");
  return {};
}

Status scan_fact_rows(DatabaseImpl& d, const std::string& policy_name, int64_t received_by, const FactRowVisitor& visit) {
  Statement rows;
  if (!rows.prepare(*d.engine_,
                    "SELECT demand, policy, goal_policy, goal_mask, received_at, settled_at, facts FROM demand_fact "
                    "WHERE policy IN (SELECT id FROM policy WHERE name = ?1) AND received_at <= ?2 ORDER BY demand",
                    false))
    return d.error("preparing the report facts scan");
  Use use(rows);
  use->bind_text(1, policy_name);
  use->bind_int(2, received_by);
  FactRow row;
  DemandFacts& f = row.facts;
  Step rc;
  while ((rc = use->step()) == Step::row) {
    const Query& q = *use;
    row.seq = q.int64(0);
    row.policy_id = q.int64(1);
    row.goal_policy = q.int64(2);
    row.goal_mask = static_cast<uint64_t>(q.int64(3));
    f.received_at = q.int64(4);
    f.settled_at = q.int64(5);
    if (!decode_fact_blob(q.blob(6), f))
      return Status::internal("the stored report facts of demand row " + std::to_string(row.seq) + " do not decode");
    if (Status s = visit(row); !s.ok()) return s;
  }
  return rc == Step::done ? Status() : d.error("reading the report facts");
}

Result<std::vector<std::string>> demands_with_provisional_facts(DatabaseImpl& d) {
  std::vector<std::string> ids;
  Use use(d.provisional_facts_);
  Step rc;
  while ((rc = use->step()) == Step::row) ids.push_back(use->string(0));
  if (rc != Step::done) return d.error("finding facts on provisional days");
  return ids;
}

Result<bool> fact_rows_complete(DatabaseImpl& d) {
  Use use(d.fact_build_);
  const Step rc = use->step();
  if (rc != Step::row) return d.error("reading whether the report facts are built");
  return use->int64(0) == 1;
}

Result<int64_t> rebuild_fact_rows(DatabaseImpl& d) {
  if (Status s = d.exec("DELETE FROM demand_fact", "clearing the report facts"); !s.ok()) return s;
  // The change feed's crossings are derived the same way; those it has read past stay as they are.
  auto served_until = feed_served_until(d);
  if (!served_until.ok()) return std::move(served_until).status();
  if (Status s = clear_crossings_after(d, FeedSubject::demand, *served_until); !s.ok()) return s;
  std::unordered_map<std::string, StoredPolicy> latest;  // by policy name
  FactRow row;
  int64_t count = 0;
  Status s = scan_ledger(d, "", kNever, [&](const LedgerEntry& entry, const Demand& demand, std::vector<Event>& events) {
    const std::string& name = entry.policy.name();
    auto newest = latest.find(name);
    if (newest == latest.end()) {
      auto stored = d.resolve_policy(name, "");
      if (!stored.ok()) return std::move(stored).status();
      newest = latest.emplace(name, std::move(*stored)).first;
    }
    const PolicyVersionLookup lookup = stored_versions(d, name);
    const int64_t at = last_instant(demand, events);
    auto view = replay(entry.policy, demand, events, at, lookup);
    if (!view.ok())
      return Status::internal("stored ledger of \"" + demand.id + "\" no longer replays: " + view.status().message());
    take_fact_row(entry.seq, entry.policy_id, demand, events, *view, at, newest->second, row);
    ++count;
    if (Status put = put_fact_row(d, true, row); !put.ok()) return put;
    const PolicyIdOf policy_id = [&](const std::string& version) -> Result<int64_t> {
      if (version == entry.policy.version()) return entry.policy_id;
      auto stored = d.resolve_policy(name, version);
      if (!stored.ok()) return std::move(stored).status();
      return stored->id;
    };
    return put_crossings(d, entry.seq, demand.id, view->owner, view->department, transitions(*view), *served_until,
                         policy_id);
  });
  if (!s.ok()) return s;
  if (Status done = d.exec("UPDATE fact_build SET complete = 1", "marking the report facts built"); !done.ok()) return done;
  return count;
}

}  // namespace crm::detail
