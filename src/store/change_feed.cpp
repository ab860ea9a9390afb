// SPDX-License-Identifier: Apache-2.0
// The change feed (README "Change feed"): a page of what the change log holds after the cursor,
// then the time-driven transitions that fell due after it, up to `until`.
#include <charconv>
#include <optional>

#include "core/hex_text.hpp"
#include "core/json_util.hpp"
#include "core/json_writer.hpp"
#include "ledger/view_json.hpp"
#include "store/change_log.hpp"
#include "store/store_api.hpp"

namespace crm {

using detail::ChangeKind;
using detail::Step;
using detail::Use;
using nlohmann::json;

namespace {

constexpr int64_t kDefaultLimit = 1000, kMaxLimit = 10000;

// How far a reader has come: the log row and how many of its changes it has read, and the last
// time-driven transition read, by the feed's order.
struct Cursor {
  int64_t log_seq = 0;
  int64_t log_read = 0;
  int64_t at = INT64_MIN;
  int64_t key = INT64_MIN;  // the subject's (store/change_log.hpp feed_key)
  std::string target;
  int64_t kind = 0, step = 0, round = 0;
};

// "1.<log seq>.<read>.<at>.<subject key>.<kind>.<step>.<round>.<target in hex>": opaque to the caller.
std::string cursor_text(const Cursor& c) {
  std::string out = "1";
  for (const int64_t v : {c.log_seq, c.log_read, c.at, c.key, c.kind, c.step, c.round}) out += "." + std::to_string(v);
  return out + "." + detail::to_hex(c.target);
}

std::optional<Cursor> parse_cursor(std::string_view text) {
  Cursor c;
  int64_t* const numbers[] = {&c.log_seq, &c.log_read, &c.at, &c.key, &c.kind, &c.step, &c.round};
  if (text.substr(0, 2) != "1.") return std::nullopt;
  text.remove_prefix(2);
  for (int64_t* n : numbers) {
    const size_t dot = text.find('.');
    if (dot == std::string_view::npos || dot == 0) return std::nullopt;
    const auto [end, error] = std::from_chars(text.data(), text.data() + dot, *n);
    if (error != std::errc() || end != text.data() + dot) return std::nullopt;
    text.remove_prefix(dot + 1);
  }
  if (c.log_seq < 0 || c.log_read < 0 || !detail::from_hex(text, c.target)) return std::nullopt;
  return c;
}

struct FeedQuery {
  Cursor cursor;
  bool from_end = false;  // "start": "end": a first call that skips what happened before it
  int64_t until = 0;
  int64_t limit = kDefaultLimit;
};

Result<FeedQuery> parse_feed_query(std::string_view text) {
  auto parsed = detail::parse_json_strict(text, "change feed query");
  if (!parsed.ok()) return std::move(parsed).status();
  const json& root = *parsed;
  if (!root.is_object()) return detail::json_error("", "a query is a JSON object", root);
  FeedQuery q;
  for (const auto& [key, value] : root.items()) {
    if (key == "until" || key == "limit") {
      if (!value.is_number_integer()) return detail::json_error("/" + key, "expected a whole number", value);
      if (key == "limit" && (value.get<int64_t>() < 1 || value.get<int64_t>() > kMaxLimit))
        return detail::json_error("/limit", "expected 1 to " + std::to_string(kMaxLimit), value);
      (key == "until" ? q.until : q.limit) = value.get<int64_t>();
    } else if (key == "cursor") {
      const auto cursor = value.is_string() ? parse_cursor(value.get_ref<const std::string&>()) : std::nullopt;
      if (!cursor)
        return detail::json_error("/cursor", "not a change feed cursor (expected the \"cursor\" of the answer before)", value);
      q.cursor = *cursor;
    } else if (key == "start") {
      if (!value.is_string() || (value != "beginning" && value != "end"))
        return detail::json_error("/start", "expected \"beginning\" or \"end\"", value);
      q.from_end = value == "end";
    } else {
      return detail::json_error("/" + detail::json_pointer_token(key),
                                "unknown key (expected cursor, until, limit or start)", value);
    }
  }
  if (!root.contains("until"))
    return detail::json_error("/until", "missing: the instant (UTC epoch seconds) the feed is read up to", root);
  if (root.contains("start") && root.contains("cursor"))
    return detail::json_error("/start", "a cursor says where to start: give one or the other", root.at("start"));
  return q;
}

// Writes one change; its escalation step's recipients are read from the policy row it names.
class ChangeWriter {
 public:
  ChangeWriter(detail::DatabaseImpl& d, detail::JsonWriter& w) : d_(d), w_(w) {}

  Status write(const detail::LoggedChange& c, int64_t key, std::string_view id, std::string_view owner,
               std::string_view department) {
    w_.begin_object().key("kind").value(detail::change_kind_name(c.kind)).key("at").value(c.at);
    w_.key(detail::feed_subject_name(detail::feed_subject(key))).value(id);
    // What the target column holds for each kind (customers/account_transitions.hpp).
    const ChangeKind kind = c.kind == ChangeKind::retracted ? c.retracts : c.kind;
    const char* what = kind == ChangeKind::tier_changed     ? "tier"
                       : kind == ChangeKind::collection_due ? "status"
                       : kind == ChangeKind::churn_warning  ? "rule"
                                                            : "target";
    if (!c.target.empty()) w_.key(what).value(c.target);
    if (c.kind == ChangeKind::retracted) w_.key("retracts").value(detail::change_kind_name(c.retracts));
    if (c.event > 0) w_.key("event").value(int64_t{c.event}).key("type").value(detail::event_type_name(c.type));
    w_.key("owner").value(owner).key("department").value(department);
    if (c.kind == ChangeKind::escalation || (c.kind == ChangeKind::retracted && c.retracts == ChangeKind::escalation)) {
      auto step = escalation_step(c.policy, c.target, c.step);
      if (!step.ok()) return std::move(step).status();
      w_.key("step").value(int64_t{c.step}).key("round").value(int64_t{c.round});
      w_.key("on").value((*step)->on_due ? "due" : "warn");
      detail::write_recipients(w_, **step, owner, department);
    }
    w_.end_object();
    return {};
  }

 private:
  Result<const detail::EscalationStep*> escalation_step(int64_t policy_id, const std::string& target, uint32_t step) {
    auto policy = d_.policy_by_id(policy_id);
    if (!policy.ok()) return std::move(policy).status();
    for (const detail::Target& t : detail::PolicyAccess::impl(*policy).targets)
      if (t.name == target && step < t.escalation.size()) return &t.escalation[step];
    return Status::internal("the change feed names escalation step " + std::to_string(step) + " of target \"" + target +
                            "\", which policy row " + std::to_string(policy_id) + " does not have");
  }

  detail::DatabaseImpl& d_;
  detail::JsonWriter& w_;
};

}  // namespace

Result<std::string> detail::api::changes(detail::DatabaseImpl& d, std::string_view query_json) {
  auto q = parse_feed_query(query_json);
  if (!q.ok()) return std::move(q).status();
  Cursor cursor = q->cursor;
  detail::Transaction tx(d);
  if (Status s = tx.begin(); !s.ok()) return s;  // a write: how far the feed was read is kept
  if (q->from_end) {
    // After the last log row and every transition up to `until`: the answer is empty, its cursor
    // the start of what comes next.
    Status s = detail::each_row(d, "SELECT coalesce(max(seq), 0) FROM demand_change",
                                [&](detail::Query& r) { cursor.log_seq = r.int64(0); });
    if (!s.ok()) return s;
    cursor.log_read = INT64_MAX;
    cursor.at = q->until;
    cursor.key = INT64_MAX;
  }
  std::string out;
  detail::JsonWriter w(out);
  w.begin_object().key("until").value(q->until).key("changes").begin_array();
  ChangeWriter writer(d, w);
  int64_t count = 0;
  // Log rows in growing batches: a row may hold hundreds of demands (an import), or one (a
  // single write), and PostgreSQL sends a query's whole result at once.
  std::vector<detail::LoggedSubject> subjects;
  for (int64_t from = cursor.log_seq, batch = 4; count < q->limit && !q->from_end; batch = std::min<int64_t>(batch * 2, 256)) {
    Use log(d.change_page_);
    log->bind_int(1, from);
    log->bind_int(2, batch);
    int64_t rows = 0;
    Step rc = Step::done;
    while (count < q->limit && (rc = log->step()) == Step::row) {
      ++rows;
      const int64_t seq = log->int64(0);
      if (!detail::decode_changes(log->blob(1), subjects))
        return Status::internal("change log row " + std::to_string(seq) + " does not decode");
      // The row's changes are numbered across its subjects; the cursor counts those read.
      const int64_t skip = seq == cursor.log_seq ? cursor.log_read : 0;
      int64_t n = 0;  // of the row's changes, those read (skipped before or written now)
      for (const detail::LoggedSubject& subject : subjects)
        for (const detail::LoggedChange& c : subject.changes) {
          if (n >= skip) {
            if (count == q->limit) break;
            if (Status s = writer.write(c, subject.key, subject.id, subject.owner, subject.department); !s.ok()) return s;
            ++count;
          }
          ++n;
        }
      cursor.log_seq = seq;
      cursor.log_read = std::max(n, skip);
      from = seq + 1;
    }
    if (count < q->limit && rc != Step::done) return d.error("reading the change log");
    if (rows < batch) break;  // the end of the log
  }
  bool full = count == q->limit;
  // How far the time-driven part has been read now, when it was read at all.
  std::optional<int64_t> served;
  if (q->from_end) {
    served = q->until;
  } else if (!full) {
    Use page(d.crossing_page_);
    page->bind_int(1, cursor.at);
    page->bind_int(2, cursor.key);
    page->bind_text(3, cursor.target);
    page->bind_int(4, cursor.kind);
    page->bind_int(5, cursor.step);
    page->bind_int(6, cursor.round);
    page->bind_int(7, q->until);
    page->bind_int(8, q->limit - count);
    detail::LoggedChange c;
    Step rc;
    while ((rc = page->step()) == Step::row) {
      c.at = page->int64(0);
      c.target = page->string(2);
      c.kind = static_cast<ChangeKind>(page->int64(3));
      c.step = static_cast<uint32_t>(page->int64(4));
      c.round = static_cast<int32_t>(page->int64(5));
      c.policy = page->int64(7);
      if (Status s = writer.write(c, page->int64(1), page->text(6), page->text(8), page->text(9)); !s.ok()) return s;
      cursor.at = c.at;
      cursor.key = page->int64(1);
      cursor.target = c.target;
      cursor.kind = static_cast<int64_t>(c.kind);
      cursor.step = c.step;
      cursor.round = c.round;
      ++count;
    }
    if (rc != Step::done) return d.error("reading the change feed's transitions");
    full = count == q->limit;
    // Up to `until`, or up to the last instant read when the page ended first (transitions at that
    // instant may still follow).
    served = full ? cursor.at : q->until;
  }
  if (served) {  // a write that changes a transition at or before it from now on tells it through the log
    Use serve(d.serve_feed_);
    serve->bind_int(1, *served);
    if (serve->step() != Step::done) return d.error("keeping how far the change feed was read");
  }
  w.end_array().key("count").value(count).key("more").boolean(full);
  w.key("cursor").value(cursor_text(cursor)).end_object();
  if (Status s = tx.commit(); !s.ok()) return s;
  return out;
}

}  // namespace crm
