// SPDX-License-Identifier: Apache-2.0
#include "store/fact_rows.hpp"

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "store/ledger_scan.hpp"

namespace crm::detail {

namespace {

// The facts blob, little-endian whatever the host: a format byte (1), then state, resolution,
// technical, economic, time (one byte each), value (IEEE double), resolved_at, first_response_at,
// then four counted lists (u32 count): targets (u32 name length, name, due, warn, status byte,
// provisional byte), open spans (from, to), reopenings (at), feedback (at, score byte).
constexpr uint8_t kFormat = 1;

class Encoder {
 public:
  explicit Encoder(std::string& out) : out_(out) { out_.clear(); }
  void u8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(uint32_t v) { fixed(v, 4); }
  void i64(int64_t v) { fixed(static_cast<uint64_t>(v), 8); }
  void f64(double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, 8);
    fixed(bits, 8);
  }
  void text(const std::string& s) {
    u32(static_cast<uint32_t>(s.size()));
    out_ += s;
  }

 private:
  void fixed(uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  std::string& out_;
};

class Decoder {
 public:
  explicit Decoder(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return ok_ && at_ == in_.size(); }
  uint8_t u8() { return static_cast<uint8_t>(fixed(1)); }
  int8_t i8() { return static_cast<int8_t>(u8()); }
  uint32_t u32() { return static_cast<uint32_t>(fixed(4)); }
  int64_t i64() { return static_cast<int64_t>(fixed(8)); }
  double f64() {
    const uint64_t bits = fixed(8);
    double v;
    std::memcpy(&v, &bits, 8);
    return v;
  }
  // A count of items of at least `size` bytes each: bounded by what is left.
  uint32_t count(size_t size) {
    const uint32_t n = u32();
    if (n > (in_.size() - at_) / size) ok_ = false;
    return ok_ ? n : 0;
  }
  void text(std::string& out) {
    const uint32_t n = count(1);
    if (ok_) out.assign(in_.data() + at_, n), at_ += n;
  }

 private:
  uint64_t fixed(size_t bytes) {
    if (!ok_ || in_.size() - at_ < bytes) return ok_ = false, 0;
    uint64_t v = 0;
    for (size_t i = 0; i < bytes; ++i) v |= uint64_t{static_cast<uint8_t>(in_[at_ + i])} << (8 * i);
    at_ += bytes;
    return v;
  }
  std::string_view in_;
  size_t at_ = 0;
  bool ok_ = true;
};

void encode(const DemandFacts& f, std::string& out) {
  Encoder e(out);
  e.u8(kFormat);
  e.u8(f.state);
  e.u8(f.resolution);
  e.u8(static_cast<uint8_t>(f.technical));
  e.u8(static_cast<uint8_t>(f.economic));
  e.u8(static_cast<uint8_t>(f.time));
  e.f64(f.value);
  e.i64(f.resolved_at);
  e.i64(f.first_response_at);
  e.u32(static_cast<uint32_t>(f.targets.size()));
  for (const TargetFact& t : f.targets) {
    e.text(t.name);
    e.i64(t.due);
    e.i64(t.warn);
    e.u8(t.status);
    e.u8(t.provisional ? 1 : 0);
  }
  e.u32(static_cast<uint32_t>(f.open_spans.size()));
  for (const auto& [from, to] : f.open_spans) e.i64(from), e.i64(to);
  e.u32(static_cast<uint32_t>(f.reopened.size()));
  for (const int64_t at : f.reopened) e.i64(at);
  e.u32(static_cast<uint32_t>(f.feedback.size()));
  for (const FeedbackScore& s : f.feedback) e.i64(s.at), e.u8(static_cast<uint8_t>(s.satisfaction));
}

bool decode(std::string_view blob, DemandFacts& f) {
  Decoder in(blob);
  if (in.u8() != kFormat) return false;
  f.state = in.u8();
  f.resolution = in.u8();
  f.technical = in.i8();
  f.economic = in.i8();
  f.time = in.i8();
  f.value = in.f64();
  f.resolved_at = in.i64();
  f.first_response_at = in.i64();
  f.targets.resize(in.count(22));
  for (TargetFact& t : f.targets) {
    in.text(t.name);
    t.due = in.i64();
    t.warn = in.i64();
    t.status = in.u8();
    t.provisional = in.u8() != 0;
  }
  f.open_spans.resize(in.count(16));
  for (auto& [from, to] : f.open_spans) from = in.i64(), to = in.i64();
  f.reopened.resize(in.count(8));
  for (int64_t& at : f.reopened) at = in.i64();
  f.feedback.resize(in.count(9));
  for (FeedbackScore& s : f.feedback) s.at = in.i64(), s.satisfaction = in.u8();
  return in.done();
}

int64_t provisional_targets(const DemandFacts& f) {
  return std::count_if(f.targets.begin(), f.targets.end(), [](const TargetFact& t) { return t.provisional; });
}

int64_t last_instant(const Demand& demand, const std::vector<Event>& events) {
  int64_t t = demand.received_at;
  for (const Event& e : events) t = std::max(t, e.at);
  return t;
}

}  // namespace

Status prepare_fact_statements(DatabaseImpl& d) {
  static const char* const kColumns =
      "demand, policy, received_at, settled_at, goal_policy, goal_mask, provisional, id, department, owner, urgency, "
      "category, nature, version, channel, tier, customer, facts";
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
  encode(f, d.fact_scratch_);
  const std::string_view texts[] = {f.id, f.department, f.owner, f.urgency, f.category, f.nature,
                                    f.policy_version, f.channel, f.customer_tier, f.customer};
  if (fresh) {
    Appender& a = *d.append_fact_;
    for (const int64_t v : {row.seq, row.policy_id, f.received_at, f.settled_at, row.goal_policy,
                            static_cast<int64_t>(row.goal_mask), provisional_targets(f)})
      a.add_int(v);
    for (const std::string_view t : texts) a.add_text(t);
    a.add_blob(d.fact_scratch_);
    return a.end_row() ? Status() : d.error("writing the report facts of \"" + f.id + "\"");
  }
  Use put(d.put_fact_);
  int i = 0;
  for (const int64_t v : {row.seq, row.policy_id, f.received_at, f.settled_at, row.goal_policy,
                          static_cast<int64_t>(row.goal_mask), provisional_targets(f)})
    put->bind_int(++i, v);
  for (const std::string_view t : texts) put->bind_text(++i, t);
  put->bind_blob(++i, d.fact_scratch_);
  if (put->step() != Step::done) return d.error("writing the report facts of \"" + f.id + "\"");
  return {};
}

Status scan_fact_rows(DatabaseImpl& d, const std::string& policy_name, int64_t received_by, const FactRowVisitor& visit) {
  Statement rows;
  if (!rows.prepare(*d.engine_,
                    "SELECT demand, policy, goal_policy, goal_mask, received_at, settled_at, id, department, owner, urgency, "
                    "category, nature, version, channel, tier, customer, facts FROM demand_fact "
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
    std::string* texts[] = {&f.id, &f.department, &f.owner, &f.urgency, &f.category, &f.nature,
                            &f.policy_version, &f.channel, &f.customer_tier, &f.customer};
    for (int i = 0; i < 10; ++i) {
      const std::string_view t = q.text(6 + i);
      texts[i]->assign(t.data(), t.size());
    }
    if (!decode(q.blob(16), f)) return Status::internal("the stored report facts of demand \"" + f.id + "\" do not decode");
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
    const PolicyVersionLookup lookup = [&](const std::string& version) -> Result<Policy> {
      auto stored = d.resolve_policy(name, version);
      if (!stored.ok()) return std::move(stored).status();
      return stored->policy;
    };
    const int64_t at = last_instant(demand, events);
    auto view = replay(entry.policy, demand, events, at, lookup);
    if (!view.ok())
      return Status::internal("stored ledger of \"" + demand.id + "\" no longer replays: " + view.status().message());
    take_fact_row(entry.seq, entry.policy_id, demand, events, *view, at, newest->second, row);
    ++count;
    return put_fact_row(d, true, row);
  });
  if (!s.ok()) return s;
  if (Status done = d.exec("UPDATE fact_build SET complete = 1", "marking the report facts built"); !done.ok()) return done;
  return count;
}

}  // namespace crm::detail
