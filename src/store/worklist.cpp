// SPDX-License-Identifier: Apache-2.0
// The store's operations (store_api.hpp): the work list, the next wake-up and the weekly progress check, read from the
// derived open_target rows (exact for running clocks; paused demands are replayed).
#include "store/store_api.hpp"
#include <algorithm>
#include <map>
#include <tuple>

#include "calendar/calendar_impl.hpp"
#include "core/civil_date.hpp"
#include "core/json_writer.hpp"
#include "crmpolicy/database.hpp"
#include "store/ledger_writer.hpp"

namespace crm {

using detail::Step;

namespace {

using detail::JsonWriter;
using detail::Use;
using nlohmann::json;

struct Query {
  int64_t at = 0;
  int64_t due_before = 0;
  std::string owner, department, urgency, policy;
  int64_t limit = -1;
};

Result<Query> parse_query(std::string_view text, const char* what, bool list) {
  auto parsed = detail::parse_json_strict(text, what);
  if (!parsed.ok()) return std::move(parsed).status();
  const json& root = *parsed;
  if (!root.is_object()) return detail::json_error("", "a query is a JSON object", root);
  Query q;
  for (const auto& [key, value] : root.items()) {
    if (key == "at" || key == "due_before" || key == "limit") {
      if (!value.is_number_integer()) return detail::json_error("/" + key, "expected a whole number", value);
      if (key == "limit" && value.get<int64_t>() < 0) return detail::json_error("/limit", "expected 0 or more", value);
      if ((key == "due_before" || key == "limit") && !list) return detail::json_error("/" + key, "unknown key (expected at or policy)", value);
      (key == "at" ? q.at : key == "due_before" ? q.due_before : q.limit) = value.get<int64_t>();
    } else if (key == "owner" || key == "department" || key == "urgency" || key == "policy") {
      if (!value.is_string() || value.get_ref<const std::string&>().empty())
        return detail::json_error("/" + key, "expected a non-empty string", value);
      if (key != "policy" && !list) return detail::json_error("/" + key, "unknown key (expected at or policy)", value);
      (key == "owner" ? q.owner : key == "department" ? q.department : key == "urgency" ? q.urgency : q.policy) =
          value.get<std::string>();
    } else {
      return detail::json_error("/" + detail::json_pointer_token(key),
                                list ? "unknown key (expected at, due_before, owner, department, urgency or limit)"
                                     : "unknown key (expected at or policy)",
                                value);
    }
  }
  if (!root.contains("at")) return detail::json_error("/at", "missing: the instant (UTC epoch seconds) is required", root);
  if (!root.contains("due_before")) q.due_before = q.at;
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

  void sort_and_limit(int64_t limit) {
    std::sort(entries_.begin(), entries_.end(), [&](const Entry& a, const Entry& b) {
      if (a.due != b.due) return a.due < b.due;
      const int by_demand = part(a, 0).compare(part(b, 0));
      return by_demand != 0 ? by_demand < 0 : part(a, 1) < part(b, 1);
    });
    if (limit >= 0 && entries_.size() > static_cast<size_t>(limit)) entries_.resize(static_cast<size_t>(limit));
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

}  // namespace

Result<std::string> detail::api::worklist(detail::DatabaseImpl& impl, std::string_view query_json) {
  auto q = parse_query(query_json, "work list query", true);
  if (!q.ok()) return std::move(q).status();
  detail::DatabaseImpl& d = impl;
  detail::Transaction tx(d);
  if (Status s = tx.begin(false); !s.ok()) return s;
  Items items;
  std::vector<std::string> paused;
  // The owner, department and urgency filters at parameters first, first + 1, first + 2 (NULL: any).
  const auto bind_filters = [&](detail::Query& stmt, int first) {
    if (!q->owner.empty()) stmt.bind_text(first, q->owner);
    if (!q->department.empty()) stmt.bind_text(first + 1, q->department);
    if (!q->urgency.empty()) stmt.bind_text(first + 2, q->urgency);
  };
  {
    Use use(d.worklist_);
    use->bind_int(1, q->at);
    use->bind_int(2, q->due_before);
    use->bind_int(6, std::max(q->at, q->due_before));
    bind_filters(*use, 3);
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
    while ((rc = use->step()) == Step::row) {
      const std::string_view calendar_name = use->text(3);
      auto calendar = calendar_of(use->int64(2), calendar_name);
      if (!calendar.ok()) return std::move(calendar).status();
      const int64_t due = use->int64(4), warn = use->int64(5);
      const auto status = q->at >= due ? detail::TargetStatus::breached
                          : q->at >= warn ? detail::TargetStatus::at_risk
                                          : detail::TargetStatus::pending;
      const int64_t a = std::min(q->at, due), b = std::max(q->at, due);
      int64_t span = b - a;
      if (!calendar_name.empty()) {
        auto working = (*calendar)->working_time_between(a, b);
        if (!working.ok()) return std::move(working).status();
        span = *working;
      }
      items.add({use->text(0), use->text(1), use->text(6), use->text(7), use->text(8),
                 status, due, warn, q->at < due ? span : 0, q->at > due ? span : 0, (*calendar)->utc_offset_at(due),
                 false, detail::provisional_at(**calendar, due)});
    }
    if (rc != Step::done) return d.error("reading the work list");
  }
  {
    Use use(d.worklist_paused_);
    bind_filters(*use, 1);
    Step rc;
    while ((rc = use->step()) == Step::row) paused.push_back(use->string(0));
    if (rc != Step::done) return d.error("reading paused demands");
  }
  detail::LedgerWriter reader(d);
  for (const std::string& id : paused)
    if (Status s = add_paused(reader, id, q->at, q->due_before, items); !s.ok()) return s;
  if (Status s = tx.commit(); !s.ok()) return s;
  items.sort_and_limit(q->limit);

  std::string out;
  out.reserve(128 + items.size() * 280);
  JsonWriter w(out);
  w.begin_object().key("at").value(q->at).key("due_before").value(q->due_before);
  w.key("count").value(static_cast<int64_t>(items.size())).key("items").begin_array();
  items.write(w);
  w.end_array().end_object();
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

Result<std::string> detail::api::weekly_progress(detail::DatabaseImpl& impl, std::string_view query_json) {
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
  {
    Use use(d.progress_open_);
    use->bind_int(1, q->at);
    Step rc;
    while ((rc = use->step()) == Step::row) {
      Counts& c = owners[use->string(0)];
      // At risk: some target past its warning, none past its due time (clocks frozen while paused).
      const bool warned = use->int64(2) != 0, breached = use->int64(3) != 0;
      c.open += use->int64(1);
      c.at_risk += warned && !breached;
      c.breached += breached;
    }
    if (rc != Step::done) return d.error("counting open demands");
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
  detail::LedgerWriter reader(d);
  for (const std::string& id : closed_ids) {
    auto loaded = reader.load(id);
    if (!loaded.ok()) return std::move(loaded).status();
    auto view = reader.view(**loaded, to - 1);
    if (!view.ok()) return std::move(view).status();
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
