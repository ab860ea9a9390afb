// SPDX-License-Identifier: Apache-2.0
// The store's operations (store_api.hpp): the work list, the next wake-up and the weekly progress check, read from the
// derived open_target rows (exact for running clocks; paused demands are replayed).
#include "store/store_api.hpp"
#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <tuple>

#include "calendar/calendar_impl.hpp"
#include "core/civil_date.hpp"
#include "core/hex_text.hpp"
#include "core/json_writer.hpp"
#include "crmpolicy/database.hpp"
#include "store/ledger_writer.hpp"

namespace crm {

using detail::Step;

namespace {

using detail::JsonWriter;
using detail::Use;
using nlohmann::json;

// Where a page of the work list ends: the last item's due time, demand id and target.
struct Position {
  int64_t due = INT64_MIN;
  std::string demand, target;
};

constexpr int64_t kMaxPageSize = 10000;

struct Query {
  int64_t at = 0;
  int64_t due_before = 0;
  std::string owner, department, urgency, policy;
  int64_t limit = -1;
  int64_t page_size = 0;  // 0: the whole list at once
  Position after;         // paged: the items after this one
};

// A cursor is "<due>.<demand id in hex>.<target in hex>": opaque to the caller, any bytes in ids.
std::string cursor_of(const Position& p) {
  return std::to_string(p.due) + "." + detail::to_hex(p.demand) + "." + detail::to_hex(p.target);
}

std::optional<Position> parse_cursor(std::string_view text) {
  const size_t first = text.find('.'), second = first == std::string_view::npos ? first : text.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  Position p;
  const std::string_view due = text.substr(0, first);
  const auto [end, error] = std::from_chars(due.data(), due.data() + due.size(), p.due);
  if (error != std::errc() || end != due.data() + due.size() || due.empty()) return std::nullopt;
  if (!detail::from_hex(text.substr(first + 1, second - first - 1), p.demand) ||
      !detail::from_hex(text.substr(second + 1), p.target))
    return std::nullopt;
  return p;
}

Result<Query> parse_query(std::string_view text, const char* what, bool list) {
  auto parsed = detail::parse_json_strict(text, what);
  if (!parsed.ok()) return std::move(parsed).status();
  const json& root = *parsed;
  if (!root.is_object()) return detail::json_error("", "a query is a JSON object", root);
  Query q;
  for (const auto& [key, value] : root.items()) {
    if (key == "at" || key == "due_before" || key == "limit" || key == "page_size") {
      if (!value.is_number_integer()) return detail::json_error("/" + key, "expected a whole number", value);
      if (key == "limit" && value.get<int64_t>() < 0) return detail::json_error("/limit", "expected 0 or more", value);
      if (key == "page_size" && (value.get<int64_t>() < 1 || value.get<int64_t>() > kMaxPageSize))
        return detail::json_error("/page_size", "expected 1 to " + std::to_string(kMaxPageSize), value);
      if (key != "at" && !list) return detail::json_error("/" + key, "unknown key (expected at or policy)", value);
      (key == "at" ? q.at : key == "due_before" ? q.due_before : key == "limit" ? q.limit : q.page_size) =
          value.get<int64_t>();
    } else if (key == "after" && list) {
      const auto position = value.is_string() ? parse_cursor(value.get_ref<const std::string&>()) : std::nullopt;
      if (!position)
        return detail::json_error("/after", "not a work list cursor (expected the \"next\" of the page before)", value);
      q.after = *position;
    } else if (key == "owner" || key == "department" || key == "urgency" || key == "policy") {
      if (!value.is_string() || value.get_ref<const std::string&>().empty())
        return detail::json_error("/" + key, "expected a non-empty string", value);
      if (key != "policy" && !list) return detail::json_error("/" + key, "unknown key (expected at or policy)", value);
      (key == "owner" ? q.owner : key == "department" ? q.department : key == "urgency" ? q.urgency : q.policy) =
          value.get<std::string>();
    } else {
      return detail::json_error("/" + detail::json_pointer_token(key),
                                list ? "unknown key (expected at, due_before, owner, department, urgency, limit, page_size or after)"
                                     : "unknown key (expected at or policy)",
                                value);
    }
  }
  if (!root.contains("at")) return detail::json_error("/at", "missing: the instant (UTC epoch seconds) is required", root);
  if (!root.contains("due_before")) q.due_before = q.at;
  if (root.contains("after") && !root.contains("page_size"))
    return detail::json_error("/after", "a cursor needs the page_size of its pages", root.at("after"));
  if (root.contains("limit") && root.contains("page_size"))
    return detail::json_error("/limit", "a paged list has no limit: it ends where its last page does", root.at("limit"));
  return q;
}

// The work list's items as small fixed-size entries whose strings live in one arena, so a list of
// millions costs a few allocations; rendered to JSON once, in order.
class Items {
 public:
  struct Fields {
    std::string_view demand, target, owner, department, urgency;
    detail::TargetStatus status;
    int64_t due, warn, remaining, overrun;
    int32_t due_offset;
    bool paused;
    bool provisional;  // the due time rests on provisional calendar days
  };

  void add(const Fields& f) {
    Entry e;
    e.due = f.due;
    e.warn = f.warn;
    e.remaining = f.remaining;
    e.overrun = f.overrun;
    e.due_offset = f.due_offset;
    e.status = f.status;
    e.paused = f.paused;
    e.provisional = f.provisional;
    e.offset = text_.size();
    const std::string_view parts[] = {f.demand, f.target, f.owner, f.department, f.urgency};
    for (size_t i = 0; i < 5; ++i) {
      e.lengths[i] = static_cast<uint16_t>(std::min<size_t>(parts[i].size(), 0xFFFF));
      text_.append(parts[i].data(), e.lengths[i]);
    }
    entries_.push_back(e);
  }

  // The list's order: due time, then demand id and target in byte order (the page query's).
  void sort() {
    std::sort(entries_.begin(), entries_.end(), [&](const Entry& a, const Entry& b) { return key(a) < key(b); });
  }
  void limit(int64_t n) {
    if (n >= 0 && entries_.size() > static_cast<size_t>(n)) entries_.resize(static_cast<size_t>(n));
  }
  // Drops the items not after p (paused demands' items, computed whole for every page).
  void keep_after(const Position& p) {
    const Key after{p.due, p.demand, p.target};
    entries_.erase(std::remove_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return !(key(e) > after); }),
                   entries_.end());
  }
  Position position(size_t i) const {
    return {entries_[i].due, std::string(part(entries_[i], 0)), std::string(part(entries_[i], 1))};
  }

  size_t size() const { return entries_.size(); }

  // Writes the items as the members of an array the writer has just opened.
  void write(JsonWriter& w) const {
    for (const Entry& e : entries_) {
      w.begin_object().key("demand").value(part(e, 0)).key("target").value(part(e, 1));
      w.key("status").value(detail::target_status_name(e.status));
      w.key("due_at").value(e.due).key("due_local").value(detail::format_local_iso(e.due, e.due_offset));
      w.key("warn_at").value(e.warn);
      w.key("remaining_seconds").value(e.remaining).key("overrun_seconds").value(e.overrun);
      w.key("owner").value(part(e, 2)).key("department").value(part(e, 3)).key("urgency").value(part(e, 4));
      if (e.paused) w.key("paused").boolean(true);
      if (e.provisional) w.key("provisional").boolean(true);
      w.end_object();
    }
  }

 private:
  struct Entry {
    int64_t due, warn, remaining, overrun;
    size_t offset;           // of the five strings, back to back, in text_
    uint16_t lengths[5];     // demand, target, owner, department, urgency
    int32_t due_offset;
    detail::TargetStatus status;
    bool paused, provisional;
  };
  // (due, demand id, target): string_view compares bytes, as the page query's COLLATE BINARY does.
  using Key = std::tuple<int64_t, std::string_view, std::string_view>;
  Key key(const Entry& e) const { return {e.due, part(e, 0), part(e, 1)}; }
  std::string_view part(const Entry& e, size_t i) const {
    size_t start = e.offset;
    for (size_t k = 0; k < i; ++k) start += e.lengths[k];
    return std::string_view(text_).substr(start, e.lengths[i]);
  }

  std::string text_;
  std::vector<Entry> entries_;
};

// Exact statuses of a paused demand's open targets (its clocks have moved since the row was written).
Status add_paused(detail::LedgerWriter& reader, const std::string& id, int64_t at, int64_t due_before, Items& out) {
  auto loaded = reader.load(id);
  if (!loaded.ok()) return std::move(loaded).status();
  auto view = reader.view(**loaded, std::max(at, (*loaded)->demand.received_at));
  if (!view.ok()) return std::move(view).status();
  for (const detail::TargetClock& c : view->targets) {
    if (c.met_at <= at || c.ended_at <= at) continue;
    const bool wanted = c.status == detail::TargetStatus::at_risk || c.status == detail::TargetStatus::breached ||
                        c.due < due_before;
    if (wanted)
      out.add({id, c.definition->name, view->owner, view->department, view->urgency, c.status, c.due, c.warn,
               c.remaining, c.overrun, c.calendar->utc_offset_at(c.due), c.paused, detail::provisional_at(*c.calendar, c.due)});
  }
  return {};
}


// Adds the running targets the statement (the whole list's or a page's) reads.
Status add_running(detail::DatabaseImpl& d, detail::Query& stmt, const Query& q, Items& items) {
  // The calendar of each (policy, calendar name), looked up once.
  std::vector<std::tuple<int64_t, std::string, const Calendar*>> calendars;
  const auto calendar_of = [&](int64_t policy_id, std::string_view name) -> Result<const Calendar*> {
    for (const auto& [id, n, c] : calendars)
      if (id == policy_id && n == name) return c;
    auto policy = d.policy_by_id(policy_id);
    if (!policy.ok()) return std::move(policy).status();
    const Calendar* c = policy->calendar(name.empty() ? policy->default_calendar() : name);
    if (!c) return Status::internal("open target names an unknown calendar");
    calendars.emplace_back(policy_id, std::string(name), c);
    return c;
  };
  Step rc;
  while ((rc = stmt.step()) == Step::row) {
    const std::string_view calendar_name = stmt.text(3);
    auto calendar = calendar_of(stmt.int64(2), calendar_name);
    if (!calendar.ok()) return std::move(calendar).status();
    const int64_t due = stmt.int64(4), warn = stmt.int64(5);
    const auto status = q.at >= due ? detail::TargetStatus::breached
                        : q.at >= warn ? detail::TargetStatus::at_risk
                                       : detail::TargetStatus::pending;
    const int64_t a = std::min(q.at, due), b = std::max(q.at, due);
    int64_t span = b - a;
    if (!calendar_name.empty()) {
      auto working = (*calendar)->working_time_between(a, b);
      if (!working.ok()) return std::move(working).status();
      span = *working;
    }
    items.add({stmt.text(0), stmt.text(1), stmt.text(6), stmt.text(7), stmt.text(8), status, due, warn,
               q.at < due ? span : 0, q.at > due ? span : 0, (*calendar)->utc_offset_at(due), false,
               detail::provisional_at(**calendar, due)});
  }
  if (rc != Step::done) return d.error("reading the work list");
  return {};
}

// Adds the items of paused demands: replayed, since their clocks have moved since their rows were written.
Status add_paused_demands(detail::DatabaseImpl& d, const Query& q, Items& items) {
  std::vector<std::string> paused;
  {
    Use use(d.worklist_paused_);
    if (!q.owner.empty()) use->bind_text(1, q.owner);
    if (!q.department.empty()) use->bind_text(2, q.department);
    if (!q.urgency.empty()) use->bind_text(3, q.urgency);
    Step rc;
    while ((rc = use->step()) == Step::row) paused.push_back(use->string(0));
    if (rc != Step::done) return d.error("reading paused demands");
  }
  detail::LedgerWriter reader(d);
  for (const std::string& id : paused)
    if (Status s = add_paused(reader, id, q.at, q.due_before, items); !s.ok()) return s;
  return {};
}

int64_t saturating_add(int64_t a, int64_t b) {
  if (b > 0 && a > INT64_MAX - b) return INT64_MAX;
  if (b < 0 && a < INT64_MIN - b) return INT64_MIN;
  return a + b;
}

}  // namespace

Result<std::string> detail::api::worklist(detail::DatabaseImpl& impl, std::string_view query_json, const LedgerScope* scope) {
  auto q = parse_query(query_json, "work list query", true);
  if (!q.ok()) return std::move(q).status();
  if (scope)
    if (Status s = scope->narrow(q->owner, q->department); !s.ok()) return s;
  detail::DatabaseImpl& d = impl;
  detail::Transaction tx(d);
  if (Status s = tx.begin(false); !s.ok()) return s;
  Items items;
  const bool paged = q->page_size > 0;
  {
    Use use(paged ? d.worklist_page_ : d.worklist_);
    use->bind_int(1, q->at);
    use->bind_int(2, q->due_before);
    if (!q->owner.empty()) use->bind_text(3, q->owner);
    if (!q->department.empty()) use->bind_text(4, q->department);
    if (!q->urgency.empty()) use->bind_text(5, q->urgency);
    if (!paged) {
      use->bind_int(6, std::max(q->at, q->due_before));
    } else {
      // A target at risk at `at` is due at most the longest warn lead after it: the page's scan of
      // the due order stops there, or at due_before, whichever is later.
      int64_t lead = 0;
      {
        Use longest(d.worklist_lead_);
        const Step rc = longest->step();
        if (rc == Step::row) lead = std::max<int64_t>(0, longest->int64(0));
        else if (rc != Step::done) return d.error("reading the longest warn lead");
      }
      use->bind_int(6, q->after.due);
      use->bind_text(7, q->after.demand);
      use->bind_text(8, q->after.target);
      use->bind_int(9, std::max({saturating_add(q->at, 1), q->due_before, saturating_add(saturating_add(q->at, lead), 1)}));
      use->bind_int(10, q->page_size + 1);  // one more than the page: whether another follows
    }
    if (Status s = add_running(d, *use, *q, items); !s.ok()) return s;
  }
  if (Status s = add_paused_demands(d, *q, items); !s.ok()) return s;
  if (Status s = tx.commit(); !s.ok()) return s;
  if (paged) items.keep_after(q->after);
  items.sort();
  std::optional<std::string> next;
  if (paged && items.size() > static_cast<size_t>(q->page_size)) {
    items.limit(q->page_size);
    next = cursor_of(items.position(items.size() - 1));
  }
  items.limit(q->limit);

  std::string out;
  out.reserve(128 + items.size() * 280);
  JsonWriter w(out);
  w.begin_object().key("at").value(q->at).key("due_before").value(q->due_before);
  w.key("count").value(static_cast<int64_t>(items.size())).key("items").begin_array();
  items.write(w);
  w.end_array();
  if (paged) {
    w.key("next");
    if (next) w.value(*next);
    else w.null();
  }
  w.end_object();
  return out;
}

Result<int64_t> detail::api::next_wakeup(detail::DatabaseImpl& impl, int64_t now) {
  Use use(impl.wakeup_);
  use->bind_int(1, now);
  if (use->step() != Step::row) return impl.error("finding the next wake-up");
  if (use->is_null(0))
    return Status::not_found("no running target has a warn or due time after " + std::to_string(now));
  return use->int64(0);
}

Result<std::string> detail::api::weekly_progress(detail::DatabaseImpl& impl, std::string_view query_json, const LedgerScope* scope) {
  auto q = parse_query(query_json, "weekly progress query", false);
  if (!q.ok()) return std::move(q).status();
  detail::DatabaseImpl& d = impl;
  detail::Transaction tx(d);
  if (Status s = tx.begin(false); !s.ok()) return s;
  auto policy = d.resolve_policy(q->policy, "");
  if (!policy.ok()) return std::move(policy).status();
  // The ISO week (Monday 00:00 to Monday 00:00) containing `at`, in the policy's default calendar.
  const Calendar& calendar = *policy->policy.calendar(policy->policy.default_calendar());
  const detail::CalendarImpl& cal = detail::CalendarAccess::impl(calendar);
  if (q->at < calendar.min_time() || q->at > calendar.max_time() - 8 * 86400)
    return Status::out_of_range("/at: outside the calendar's supported range");
  const int32_t day = cal.local_day(q->at);
  const int32_t monday = day - detail::weekday_of(day);
  const int64_t from = cal.local_to_utc(monday, 0), to = cal.local_to_utc(monday + 7, 0);

  struct Counts {
    int64_t open = 0, at_risk = 0, breached = 0, closed = 0;
  };
  std::map<std::string, Counts> owners;
  const auto count = [&](const std::string& owner, bool warned, bool breached) {
    // At risk: some target past its warning, none past its due time (clocks frozen while paused).
    Counts& c = owners[owner];
    ++c.open;
    c.at_risk += warned && !breached;
    c.breached += breached;
  };
  // Under a department scope, an open demand without a running target (which carries its
  // department) is asked its view once the rows are read.
  struct Unplaced {
    int64_t seq;
    std::string owner;
  };
  std::vector<Unplaced> unplaced;
  {
    Use use(d.progress_open_);
    use->bind_int(1, q->at);
    Step rc;
    while ((rc = use->step()) == Step::row) {
      if (scope && !scope->owner.empty() && use->text(0) != scope->owner) continue;
      if (scope && !scope->department.empty()) {
        if (use->is_null(5)) {
          unplaced.push_back({use->int64(4), use->string(0)});
          continue;
        }
        if (use->text(5) != scope->department) continue;
      }
      count(use->string(0), use->int64(2) != 0, use->int64(3) != 0);
    }
    if (rc != Step::done) return d.error("counting open demands");
  }
  detail::LedgerWriter reader(d);
  for (const Unplaced& u : unplaced) {
    std::string id;
    {
      Use by_seq(d.demand_by_seq_);
      by_seq->bind_int(1, u.seq);
      if (by_seq->step() != Step::row) return d.error("reading a demand's id");
      id = by_seq->string(0);
    }
    auto loaded = reader.load(id);
    if (!loaded.ok()) return std::move(loaded).status();
    auto view = reader.view(**loaded, q->at);
    if (!view.ok()) return std::move(view).status();
    if (view->department == scope->department) count(u.owner, false, false);  // no running target: neither
  }
  std::vector<std::string> closed_ids;
  {
    Use use(d.progress_closed_);
    use->bind_int(1, from);
    use->bind_int(2, to);
    Step rc;
    while ((rc = use->step()) == Step::row) closed_ids.push_back(use->string(0));
    if (rc != Step::done) return d.error("finding demands closed this week");
  }
  for (const std::string& id : closed_ids) {
    auto loaded = reader.load(id);
    if (!loaded.ok()) return std::move(loaded).status();
    auto view = reader.view(**loaded, to - 1);
    if (!view.ok()) return std::move(view).status();
    if (scope && !scope->admits(view->owner, view->department)) continue;
    if (view->state == detail::DemandState::closed) ++owners[view->owner].closed;
  }
  if (Status s = tx.commit(); !s.ok()) return s;

  std::string out;
  JsonWriter w(out);
  w.begin_object().key("at").value(q->at).key("week").value(detail::format_iso_week(day));
  w.key("from").value(from).key("to").value(to).key("owners").begin_array();
  Counts total;
  for (const auto& [owner, c] : owners) {
    w.begin_object().key("owner").value(owner).key("open").value(c.open).key("at_risk").value(c.at_risk);
    w.key("breached").value(c.breached).key("closed").value(c.closed).end_object();
    total.open += c.open, total.at_risk += c.at_risk, total.breached += c.breached, total.closed += c.closed;
  }
  w.end_array().key("total").begin_object().key("open").value(total.open).key("at_risk").value(total.at_risk);
  w.key("breached").value(total.breached).key("closed").value(total.closed).end_object().end_object();
  return out;
}

}  // namespace crm
