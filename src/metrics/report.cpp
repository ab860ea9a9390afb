// SPDX-License-Identifier: Apache-2.0
// The report (report_api.hpp): query parsing, the fact table, the aggregation, and the report model.
#include "metrics/report_api.hpp"
#include "metrics/report.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "calendar/calendar_impl.hpp"
#include "core/civil_date.hpp"
#include "core/json_util.hpp"
#include "crmpolicy/database.hpp"
#include "ledger/lifecycle.hpp"
#include "ledger/replay.hpp"
#include "store/database_impl.hpp"
#include "store/ledger_scan.hpp"

namespace crm {

namespace {

using detail::Dimension;
using nlohmann::json;

struct ReportQuery {
  int64_t at = 0;
  std::optional<int64_t> from, to;
  std::string policy, format = "json";
  detail::PeriodKind period = detail::PeriodKind::month;
  std::vector<Dimension> by;
  std::vector<std::pair<Dimension, std::vector<std::string>>> filters;
  int64_t list_limit = 20;
  bool from_ledger = false;
  bool csv_bom = true;  // a UTF-8 byte order mark first, so that Excel and WPS read the CSV as UTF-8
  std::optional<detail::ReportLocale> locale;  // of the HTML page; by default the policy's
};

Result<std::vector<std::string>> string_or_strings(const json& v, const std::string& path) {
  std::vector<std::string> out;
  if (v.is_string()) out.push_back(v.get<std::string>());
  else if (v.is_array() && !v.empty())
    for (size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_string()) return detail::json_error(path + "/" + std::to_string(i), "expected a string", v[i]);
      out.push_back(v[i].get<std::string>());
    }
  else return detail::json_error(path, "expected a string or a non-empty array of strings", v);
  return out;
}

const char* kDimensionList = "department, owner, urgency, category, nature, channel, customer_tier, customer or policy_version";

// The query's filters narrowed to the scope: its owner and department filters may name only the
// scope's own (permission_denied otherwise), and are added when absent.
Status within(const detail::LedgerScope& scope, ReportQuery& q) {
  for (const auto& [dim, mine] : {std::pair{Dimension::owner, &scope.owner}, std::pair{Dimension::department, &scope.department}}) {
    if (mine->empty()) continue;
    const auto it = std::find_if(q.filters.begin(), q.filters.end(), [d = dim](const auto& f) { return f.first == d; });
    if (it == q.filters.end()) {
      q.filters.emplace_back(dim, std::vector<std::string>{*mine});
      continue;
    }
    for (const std::string& v : it->second)
      if (v != *mine)
        return Status::permission_denied(std::string("/filter/") + (dim == Dimension::owner ? "owner" : "department") + ": \"" + v +
                                         "\" is outside the acting user's scope");
  }
  return {};
}

Result<ReportQuery> parse_query(std::string_view text) {
  auto parsed = detail::parse_json_strict(text, "report query");
  if (!parsed.ok()) return std::move(parsed).status();
  const json& root = *parsed;
  if (!root.is_object()) return detail::json_error("", "a report query is a JSON object", root);
  ReportQuery q;
  for (const auto& [key, value] : root.items()) {
    const std::string path = "/" + detail::json_pointer_token(key);
    if (key == "at" || key == "from" || key == "to" || key == "list_limit") {
      if (!value.is_number_integer()) return detail::json_error(path, "expected a whole number", value);
      const auto n = value.get<int64_t>();
      if (key == "at") q.at = n;
      else if (key == "from") q.from = n;
      else if (key == "to") q.to = n;
      else if (n < 0) return detail::json_error(path, "expected 0 or more", value);
      else q.list_limit = n;
    } else if (key == "locale") {
      const auto locale = value.is_string() ? detail::parse_report_locale(value.get_ref<const std::string&>()) : std::nullopt;
      if (!locale) return detail::json_error(path, "expected \"en\" or \"zh-CN\"", value);
      q.locale = locale;
    } else if (key == "policy" || key == "format" || key == "period") {
      if (!value.is_string()) return detail::json_error(path, "expected a string", value);
      const std::string& s = value.get_ref<const std::string&>();
      if (key == "policy") q.policy = s;
      else if (key == "format") {
        if (s != "json" && s != "csv" && s != "html") return detail::json_error(path, "expected json, csv or html", value);
        q.format = s;
      } else {
        auto kind = detail::parse_period_kind(s);
        if (!kind) return detail::json_error(path, "expected day, week, month, quarter, half_year or year", value);
        q.period = *kind;
      }
    } else if (key == "from_ledger" || key == "csv_bom") {
      if (!value.is_boolean()) return detail::json_error(path, "expected true or false", value);
      (key == "csv_bom" ? q.csv_bom : q.from_ledger) = value.get<bool>();
    } else if (key == "by") {
      auto names = string_or_strings(value, path);
      if (!names.ok()) return std::move(names).status();
      if (names->size() > 2) return detail::json_error(path, "group by at most two dimensions", value);
      for (size_t i = 0; i < names->size(); ++i) {
        Dimension d;
        if (!detail::parse_dimension((*names)[i], d))
          return detail::json_error(path, std::string("unknown dimension (expected ") + kDimensionList + ")", value);
        if (std::find(q.by.begin(), q.by.end(), d) != q.by.end()) return detail::json_error(path, "a dimension named twice", value);
        q.by.push_back(d);
      }
    } else if (key == "filter") {
      if (!value.is_object()) return detail::json_error(path, "expected an object of dimension: value(s)", value);
      for (const auto& [name, values] : value.items()) {
        const std::string fpath = path + "/" + detail::json_pointer_token(name);
        Dimension d;
        if (!detail::parse_dimension(name, d))
          return detail::json_error(fpath, std::string("unknown dimension (expected ") + kDimensionList + ")", values);
        auto wanted = string_or_strings(values, fpath);
        if (!wanted.ok()) return std::move(wanted).status();
        q.filters.emplace_back(d, std::move(*wanted));
      }
    } else {
      return detail::json_error(path, "unknown key (expected at, from, to, period, by, filter, policy, format, locale, csv_bom, list_limit or from_ledger)", value);
    }
  }
  if (!root.contains("at")) return detail::json_error("/at", "missing: the report instant (UTC epoch seconds) is required", root);
  if (q.from && q.to && *q.from >= *q.to) return detail::json_error("/to", "must be after from", root.at("to"));
  return q;
}

detail::Distribution distribution(std::vector<float>& values) {
  detail::Distribution d;
  d.count = static_cast<int64_t>(values.size());
  if (values.empty()) return d;
  std::sort(values.begin(), values.end());
  double sum = 0;
  for (float v : values) sum += v;
  d.mean = sum / static_cast<double>(values.size());
  // Nearest-rank percentiles: the smallest value with at least p of the values at or below it.
  const auto rank = [&](double p) {
    const auto k = static_cast<size_t>(std::ceil(p * static_cast<double>(values.size())));
    return static_cast<double>(values[std::max<size_t>(k, 1) - 1]);
  };
  d.median = rank(0.5);
  d.p90 = rank(0.9);
  return d;
}

// Sums the cells into the report's rows: per period a total and its groups, then the same over the range.
void build_rows(const detail::Aggregation& a, const detail::FactTable& f, const detail::Grouping& g, detail::Report& r) {
  const size_t periods = g.periods.size(), stride = a.stride();
  const bool grouped = !g.by.empty();
  const auto group_of = [&](uint32_t key) {
    std::vector<std::string> values;
    for (size_t i = 0; i < g.by.size(); ++i)
      values.push_back(f.dictionaries[static_cast<size_t>(g.by[i])].value(a.key_part(key, i)));
    return values;
  };
  // Counters per (period or -1 for the whole range, group key or -1 for the total).
  std::vector<std::pair<std::pair<int32_t, int64_t>, std::vector<int64_t>>> sums;
  std::map<std::pair<int32_t, int64_t>, size_t> slot;
  const auto add = [&](std::pair<int32_t, int64_t> at, const int64_t* c) {
    auto [it, added] = slot.try_emplace(at, sums.size());
    if (added) sums.push_back({at, std::vector<int64_t>(stride, 0)});
    std::vector<int64_t>& s = sums[it->second].second;
    for (size_t k = 0; k < stride; ++k) s[k] += c[k];
  };
  std::vector<int64_t> zero(stride, 0);
  for (size_t p = 0; p < periods; ++p) add({static_cast<int32_t>(p), -1}, zero.data());
  add({-1, -1}, zero.data());
  for (size_t i = 0; i < a.cells().size(); ++i) {
    const auto& cell = a.cells()[i];
    const int32_t p = static_cast<int32_t>(cell.period);
    add({p, -1}, a.counters(i));
    add({-1, -1}, a.counters(i));
    if (grouped) add({p, cell.key}, a.counters(i)), add({-1, cell.key}, a.counters(i));
  }
  // Every figure sums over periods (a flow) but open_at_end, a stock: the whole range's is its
  // last period's (ratios are recomputed from their sums when rendered).
  for (auto& [at, counters] : sums) {
    if (at.first >= 0) continue;
    const auto last = periods ? slot.find({static_cast<int32_t>(periods) - 1, at.second}) : slot.end();
    counters[detail::kOpenAtEnd] = last != slot.end() ? sums[last->second].second[detail::kOpenAtEnd] : 0;
  }
  std::map<std::pair<int32_t, int64_t>, std::vector<float>> values;
  for (const auto& [id, h] : a.response_hours()) {
    const auto& cell = a.cells()[id];
    const int32_t p = static_cast<int32_t>(cell.period);
    values[{p, -1}].push_back(h);
    values[{-1, -1}].push_back(h);
    if (grouped) values[{p, cell.key}].push_back(h), values[{-1, cell.key}].push_back(h);
  }
  // Order: periods ascending (whole range last), total first, then groups by their values.
  std::vector<detail::FigureRow> rows;
  for (auto& [at, counters] : sums) {
    detail::FigureRow row;
    row.period = at.first;
    if (at.second >= 0) row.group = group_of(static_cast<uint32_t>(at.second));
    row.counters = std::move(counters);
    if (auto it = values.find(at); it != values.end()) row.first_response = distribution(it->second);
    rows.push_back(std::move(row));
  }
  std::stable_sort(rows.begin(), rows.end(), [](const detail::FigureRow& x, const detail::FigureRow& y) {
    const auto px = x.period < 0 ? INT32_MAX : x.period, py = y.period < 0 ? INT32_MAX : y.period;
    if (px != py) return px < py;
    return x.group < y.group;
  });
  r.rows = std::move(rows);
}

void build_analysis(const detail::Aggregation& a, const detail::FactTable& f, const detail::Grouping& g,
                    int64_t list_limit, detail::Report& r) {
  detail::Analysis& an = r.analysis;
  const auto& keys = a.group_keys();
  const Dimension dims[4] = {Dimension::category, Dimension::nature, Dimension::channel, Dimension::urgency};
  std::vector<int64_t> counts[4];  // by dictionary code; named once, at the end
  for (size_t i = 0; i < 4; ++i) counts[i].assign(f.dictionaries[static_cast<size_t>(dims[i])].size(), 0);
  std::vector<uint32_t> largest_open;  // rows; their strings copied only for the few listed
  double value_sum = 0;
  for (size_t row = 0; row < f.demand_count(); ++row) {
    if (keys[row] == UINT32_MAX || g.periods.index(f.received_day[row]) < 0) continue;
    ++an.received;
    for (size_t i = 0; i < 4; ++i) ++counts[i][f.dims[static_cast<size_t>(dims[i])][row]];
    an.merged += f.state[row] == uint8_t(detail::DemandState::merged);
    const int8_t feasible[3] = {f.technical[row], f.economic[row], f.time[row]};
    bool assessed = !std::isnan(f.value[row]);
    for (size_t k = 0; k < 3; ++k)
      if (feasible[k] >= 0) ++an.feasible[k][feasible[k]], assessed = true;
    an.assessed += assessed;
    if (!std::isnan(f.value[row])) {
      ++an.valued;
      value_sum += f.value[row];
      if (detail::is_open(static_cast<detail::DemandState>(f.state[row]))) largest_open.push_back(static_cast<uint32_t>(row));
    }
  }
  if (an.valued) an.value_mean = value_sum / static_cast<double>(an.valued);
  std::vector<detail::CountEntry>* outs[4] = {&an.by_category, &an.by_nature, &an.by_channel, &an.by_urgency};
  for (size_t i = 0; i < 4; ++i) {
    const detail::Dictionary& names = f.dictionaries[static_cast<size_t>(dims[i])];
    for (uint32_t code = 0; code < counts[i].size(); ++code)
      if (counts[i][code]) outs[i]->push_back({names.value(code), counts[i][code]});
    std::sort(outs[i]->begin(), outs[i]->end(), [](const auto& x, const auto& y) { return x.name < y.name; });
  }
  const auto first_of = [list_limit](std::vector<uint32_t>& rows, auto before) {  // the list_limit first, in order
    const size_t n = std::min(rows.size(), static_cast<size_t>(list_limit));
    std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(n), rows.end(), before);
    rows.resize(n);
  };
  first_of(largest_open, [&](uint32_t x, uint32_t y) {
    return f.value[x] != f.value[y] ? f.value[x] > f.value[y] : f.id(x) < f.id(y);
  });
  for (const uint32_t row : largest_open)
    an.largest_open.push_back({std::string(f.id(row)), {}, f.dictionaries[size_t(Dimension::owner)].value(f.dims[size_t(Dimension::owner)][row]), f.value[row]});

  // Accountability: targets due in the range that missed their due time, per owner; and the
  // attention list: targets running at risk or breached at the report instant.
  const size_t owner_dim = static_cast<size_t>(Dimension::owner), department_dim = static_cast<size_t>(Dimension::department);
  std::vector<detail::Analysis::Owner> owners(f.dictionaries[owner_dim].size());  // by owner code
  for (size_t i = 0; i < f.target_demand.size(); ++i) {
    const uint32_t row = f.target_demand[i];
    if (keys[row] == UINT32_MAX || g.periods.index(f.target_due_day[i]) < 0) continue;
    const auto s = static_cast<detail::TargetStatus>(f.target_status[i]);
    if (s == detail::TargetStatus::breached || s == detail::TargetStatus::met_late) {
      auto& o = owners[f.dims[owner_dim][row]];
      ++o.missed;
      o.breached_open += s == detail::TargetStatus::breached;
    }
  }
  std::vector<uint32_t> attention;  // candidates (f.attention_target's indices) the filters keep
  for (size_t k = 0; k < f.attention_target.size(); ++k)
    if (keys[f.target_demand[f.attention_target[k]]] != UINT32_MAX) attention.push_back(static_cast<uint32_t>(k));
  for (uint32_t code = 0; code < owners.size(); ++code)
    if (owners[code].missed) {
      owners[code].owner = f.dictionaries[owner_dim].value(code);
      an.accountability.push_back(owners[code]);
    }
  std::sort(an.accountability.begin(), an.accountability.end(),
            [](const auto& x, const auto& y) { return x.missed != y.missed ? x.missed > y.missed : x.owner < y.owner; });
  first_of(attention, [&](uint32_t u, uint32_t v) {
    if (f.attention_due[u] != f.attention_due[v]) return f.attention_due[u] < f.attention_due[v];
    const uint32_t x = f.attention_target[u], y = f.attention_target[v];
    const std::string_view dx = f.id(f.target_demand[x]), dy = f.id(f.target_demand[y]);
    return dx != dy ? dx < dy : f.target_names[f.target_name[x]] < f.target_names[f.target_name[y]];
  });
  for (const uint32_t k : attention) {
    const uint32_t i = f.attention_target[k], row = f.target_demand[i];
    r.attention.push_back({std::string(f.id(row)), {}, f.target_names[f.target_name[i]],
                           f.dictionaries[owner_dim].value(f.dims[owner_dim][row]),
                           f.dictionaries[department_dim].value(f.dims[department_dim][row]), f.target_status[i],
                           f.attention_due[k]});
  }
}

// The titles of the demands the lists name (the fact table keeps none: few are ever shown).
Status read_titles(detail::DatabaseImpl& d, detail::Report& r) {
  std::map<std::string, std::string> titles;  // by demand id
  const auto title = [&](const std::string& id, std::string& out) -> Status {
    auto it = titles.find(id);
    if (it == titles.end()) {
      auto read = detail::stored_demand_title(d, id);
      if (!read.ok()) return std::move(read).status();
      it = titles.emplace(id, std::move(*read)).first;
    }
    out = it->second;
    return {};
  };
  for (auto& o : r.analysis.largest_open)
    if (Status s = title(o.demand, o.title); !s.ok()) return s;
  for (auto& a : r.attention)
    if (Status s = title(a.demand, a.title); !s.ok()) return s;
  return {};
}

// Judges each goal on its own periods (issue 14 §1: a quarterly goal on quarters, not on the
// months of a monthly report): one aggregation per goal period kind, over the whole periods of
// that kind overlapping [first_day, end_day), with the report's filters and no grouping.
void judge_goals(const detail::FactTable& f, const detail::Grouping& report_grouping, const std::vector<detail::GoalSpec>& specs,
                 const detail::CalendarImpl& cal, int32_t first_day, int32_t end_day, int64_t at, detail::Report& r) {
  std::vector<bool> done(r.goals.size(), false);
  for (size_t first = 0; first < r.goals.size(); ++first) {
    if (done[first]) continue;
    const detail::PeriodKind kind = r.goals[first].kind;
    const int32_t from_day = detail::period_first_day(kind, detail::period_ordinal(kind, first_day));
    const int32_t to_day = detail::period_first_day(kind, detail::period_ordinal(kind, end_day - 1) + 1);
    detail::Grouping g{detail::PeriodTable(kind, from_day, to_day), {}, {}, report_grouping.allowed};
    for (size_t p = 0; p < g.periods.size(); ++p) g.period_end.push_back(cal.local_to_utc(g.periods.end_day(p), 0));
    detail::Aggregation a(f, g, specs);
    a.run();
    std::vector<std::vector<detail::Rate>> sums(r.goals.size());
    for (size_t goal = first; goal < r.goals.size(); ++goal) {
      if (r.goals[goal].kind != kind) continue;
      done[goal] = true;
      sums[goal].assign(g.periods.size(), {});
      for (size_t i = 0; i < a.cells().size(); ++i) {
        const int64_t* c = a.counters(i);
        detail::Rate& v = sums[goal][a.cells()[i].period];
        v.numerator += c[a.goal_counter(goal)];
        v.denominator += c[a.goal_counter(goal) + 1];
      }
      for (size_t p = 0; p < g.periods.size(); ++p) {
        const int64_t from = cal.local_to_utc(g.periods.first_day(p), 0), to = g.period_end[p];
        r.goals[goal].rows.push_back({detail::period_label(kind, g.periods.ordinal(p)), from, to, to <= at, sums[goal][p]});
      }
    }
  }
}

}  // namespace

namespace detail {

Rate completion(const FigureRow& row) {
  const int64_t* c = row.counters.data();
  return {c[kResolved], c[kReceived] - c[kMerged]};
}

Rate timeliness(const FigureRow& row) {
  const int64_t* c = row.counters.data();
  return {c[kTargetStatus + size_t(TargetStatus::met)],
          c[kTargetStatus + size_t(TargetStatus::met)] + c[kTargetStatus + size_t(TargetStatus::met_late)] +
              c[kTargetStatus + size_t(TargetStatus::breached)]};
}

Rate goal_value(const Report& r, const FigureRow& row, size_t goal) {
  const size_t k = kFixedCounters + 2 * r.target_names.size() + 2 * goal;
  return {row.counters[k], row.counters[k + 1]};
}

bool judged_on_row(const Report& r, const FigureRow& row, size_t goal) {
  return row.period >= 0 && r.goals[goal].kind == r.kind;
}

}  // namespace detail

Result<std::string> detail::api::report(detail::DatabaseImpl& impl, std::string_view query_json, const LedgerScope* scope) {
  auto q = parse_query(query_json);
  if (!q.ok()) return std::move(q).status();
  if (scope)
    if (Status s = within(*scope, *q); !s.ok()) return s;
  detail::DatabaseImpl& d = impl;
  detail::Transaction tx(d);
  if (Status s = tx.begin(false); !s.ok()) return s;
  auto stored = d.resolve_policy(q->policy, "");
  if (!stored.ok()) return std::move(stored).status();
  const Policy policy = stored->policy;
  const detail::PolicyImpl& p = detail::PolicyAccess::impl(policy);
  const Calendar& calendar = *policy.calendar(policy.default_calendar());
  const detail::CalendarImpl& cal = detail::CalendarAccess::impl(calendar);
  const int64_t margin = 400 * detail::kSecondsPerDay;
  if (q->at < calendar.min_time() + margin || q->at > calendar.max_time() - margin)
    return Status::out_of_range("/at: outside the calendar's supported range");
  for (const auto bound : {q->from, q->to})
    if (bound && (*bound < calendar.min_time() + margin || *bound > calendar.max_time() - margin))
      return Status::out_of_range(std::string(bound == q->from ? "/from" : "/to") + ": outside the calendar's supported range");

  // The dimensions the analysis and the attention list name, and those the query groups or filters by.
  uint32_t dimensions = 0;
  for (const Dimension used : {Dimension::department, Dimension::owner, Dimension::urgency, Dimension::category,
                               Dimension::nature, Dimension::channel})
    dimensions |= 1u << static_cast<unsigned>(used);
  for (const Dimension used : q->by) dimensions |= 1u << static_cast<unsigned>(used);
  for (const auto& filter : q->filters) dimensions |= 1u << static_cast<unsigned>(filter.first);
  auto facts = detail::load_facts(d, *stored, calendar, q->at, q->from_ledger, dimensions);
  if (!facts.ok()) return std::move(facts).status();
  const detail::FactTable& f = *facts;

  // The range: [from, to) as given, else from the first period with a demand to the end of the
  // period holding the report instant; rows are whole local dates.
  int32_t first_day = cal.local_day(q->at), end_day = first_day + 1;
  if (q->from) first_day = cal.local_day(*q->from);
  else {
    for (int32_t day : f.received_day) first_day = std::min(first_day, day);
    first_day = detail::period_first_day(q->period, detail::period_ordinal(q->period, first_day));
  }
  if (q->to) end_day = cal.local_day(*q->to - 1) + 1;
  else end_day = detail::period_first_day(q->period, detail::period_ordinal(q->period, cal.local_day(q->at)) + 1);
  if (end_day - first_day > 200 * 366) return Status::out_of_range("/from: a report spans at most 200 years");

  detail::Grouping g{detail::PeriodTable(q->period, first_day, end_day), {}, q->by, {}};
  detail::Report r;
  for (size_t i = 0; i < g.periods.size(); ++i) {
    const int64_t start = cal.local_to_utc(g.periods.first_day(i), 0);
    const int64_t end = cal.local_to_utc(g.periods.end_day(i), 0);
    g.period_end.push_back(end);
    r.period_labels.push_back(detail::period_label(q->period, g.periods.ordinal(i)));
    r.period_from.push_back(start);
    r.period_to.push_back(end);
    r.period_offset.push_back(calendar.utc_offset_at(start));
  }
  for (const auto& [dim, values] : q->filters) {
    std::vector<bool>& allowed = g.allowed[static_cast<size_t>(dim)];
    const detail::Dictionary& dict = f.dictionaries[static_cast<size_t>(dim)];
    allowed.assign(std::max<uint32_t>(dict.size(), 1), false);
    for (const std::string& v : values)
      if (uint32_t code = dict.find(v); code != UINT32_MAX) allowed[code] = true;
  }
  const std::vector<detail::GoalSpec> goal_specs = detail::goal_specs(p, f);
  detail::Aggregation a(f, g, goal_specs);
  a.run();

  r.policy_name = policy.name();
  r.policy_version = policy.version();
  r.time_zone = calendar.spec().time_zone;
  r.at = q->at;
  r.from = cal.local_to_utc(first_day, 0);
  r.to = cal.local_to_utc(end_day, 0);
  r.kind = q->period;
  r.by = q->by;
  r.target_names = f.target_names;
  for (const detail::Goal& goal : p.goals)
    r.goals.push_back({goal.metric, goal.period, goal.target, goal.description,
                       detail::parse_period_kind(goal.period).value_or(detail::PeriodKind::month), goal.min, {}});
  build_rows(a, f, g, r);
  judge_goals(f, g, goal_specs, cal, first_day, end_day, q->at, r);
  build_analysis(a, f, g, q->list_limit, r);
  if (Status s = read_titles(d, r); !s.ok()) return s;
  if (Status s = tx.commit(); !s.ok()) return s;
  if (q->format == "csv") return (q->csv_bom ? "\xEF\xBB\xBF" : "") + detail::report_csv(r);
  if (q->format == "html")
    return detail::report_html(r, q->locale.value_or(detail::parse_report_locale(p.locale).value_or(detail::ReportLocale::en)));
  return detail::report_json(r);
}

}  // namespace crm
