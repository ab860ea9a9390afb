// SPDX-License-Identifier: Apache-2.0
#include "crmpolicy/policy.hpp"

#include <algorithm>
#include <array>

#include "calendar/calendar_impl.hpp"
#include "core/civil_date.hpp"
#include "policy/policy_impl.hpp"

namespace crm {

namespace {

using detail::CalendarAccess;
using detail::CalendarImpl;

// The days from start to due, what the calendar made of each, and the working spans counted.
std::vector<TraceDay> trace(const Calendar& calendar, int64_t start, int64_t due) {
  const CalendarImpl& impl = CalendarAccess::impl(calendar);
  std::vector<TraceDay> days;
  const int32_t first = impl.local_day(start);
  const int32_t last = impl.local_day(due);
  for (int32_t d = first; d <= last; ++d) {
    const detail::DayInfo info = impl.day(d);
    TraceDay entry;
    entry.from = entry.to = detail::format_iso_date(d);
    entry.day = detail::day_kind_name(info.kind);
    if (info.name) entry.name = *info.name;
    entry.provisional = impl.provisional(d);
    for (const TimeSpan& span : *info.spans) {
      const int64_t b = std::max(impl.local_to_utc(d, span.begin), start);
      const int64_t e = std::min(impl.local_to_utc(d, span.end), due);
      if (e <= b) continue;
      entry.counted.push_back(detail::format_hhmm(span.begin + (b - impl.local_to_utc(d, span.begin))) + "-" +
                              detail::format_hhmm(span.end - (impl.local_to_utc(d, span.end) - e)));
      entry.seconds += e - b;
    }
    // Runs of alike days with nothing counted (a holiday week, a weekend) become one entry.
    if (!days.empty() && entry.counted.empty() && days.back().counted.empty() && days.back().day == entry.day &&
        days.back().name == entry.name && days.back().provisional == entry.provisional) {
      days.back().to = entry.to;
      continue;
    }
    days.push_back(std::move(entry));
  }
  return days;
}

}  // namespace

Policy::Policy(std::shared_ptr<const detail::PolicyImpl> impl) : impl_(std::move(impl)) {}

Result<Policy> detail::policy_with_base(std::string_view text, std::shared_ptr<const BaseCalendar> base) {
  auto parsed = parse_policy_json(text, std::move(base));
  if (!parsed.ok()) return std::move(parsed).status();
  return PolicyAccess::make(std::make_shared<const PolicyImpl>(std::move(*parsed)));
}

Result<Policy> Policy::from_json(std::string_view json) {
  auto parsed = detail::parse_policy_json(json);
  if (!parsed.ok()) return std::move(parsed).status();
  return Policy(std::make_shared<const detail::PolicyImpl>(std::move(*parsed)));
}

const std::string& Policy::name() const noexcept { return impl_->name; }
const std::string& Policy::version() const noexcept { return impl_->version; }
const std::string& Policy::locale() const noexcept { return impl_->locale; }
const std::vector<std::string>& Policy::warnings() const noexcept { return impl_->warnings; }

const Calendar* Policy::calendar(std::string_view name) const noexcept {
  for (const auto& c : impl_->calendars)
    if (c.name == name) return &c.calendar;
  return nullptr;
}

std::vector<std::string> Policy::calendar_names() const {
  std::vector<std::string> names;
  for (const auto& c : impl_->calendars) names.push_back(c.name);
  return names;
}

const std::string& Policy::default_calendar() const noexcept { return impl_->calendars[impl_->default_calendar].name; }

Result<Evaluation> Policy::evaluate(const Demand& demand, bool explain) const {
  return detail::evaluate(*impl_, demand, explain, nullptr);
}

namespace detail {

namespace {

// Keyword hits over title and text, once (never across the boundary between the two).
class KeywordHits {
 public:
  KeywordHits(const PolicyImpl& p, const Demand& demand) {
    const size_t words = (p.keywords.size() + 63) / 64;
    if (words > small_.size()) {
      large_.assign(words, 0);
      hits_ = large_.data();
    }
    if (p.uses_text) {
      p.keywords.scan(demand.title, hits_);
      p.keywords.scan(demand.text, hits_);
    }
  }
  const uint64_t* get() const { return hits_; }

 private:
  std::array<uint64_t, 8> small_{};
  std::vector<uint64_t> large_;
  uint64_t* hits_ = small_.data();
};

}  // namespace

uint64_t goals_applying(const PolicyImpl& p, const Demand& demand, const std::string& urgency, const std::string& category,
                        const std::string& nature) {
  uint64_t mask = 0, always = 0;
  for (size_t g = 0; g < p.goals.size(); ++g)
    if (p.goals[g].when.is_always()) always |= uint64_t{1} << g;
  if (always == (p.goals.size() == 64 ? ~uint64_t{0} : (uint64_t{1} << p.goals.size()) - 1)) return always;
  std::map<std::string, Attribute> labels;
  for (const auto& [name, value] : demand.labels) labels[name] = {value, Decision::manual, {}};
  bool text = false;  // scanning the text for keywords is the costly part: only when a goal asks
  for (const Goal& goal : p.goals) text = text || goal.when.uses_text();
  static const Demand kNoText;
  KeywordHits hits(p, text ? demand : kNoText);
  const ConditionContext context{demand, &urgency, &category, &nature, labels,
                                 hits.get(), p.uses_customer_key && customer_is_key(p.customers, demand.customer)};
  for (size_t g = 0; g < p.goals.size(); ++g)
    if (p.goals[g].when.test(context)) mask |= uint64_t{1} << g;
  return mask;
}

Result<Evaluation> evaluate(const PolicyImpl& p, const Demand& demand, bool explain, std::vector<const Target*>* definitions) {
  Evaluation out;
  out.policy_name = p.name;
  out.policy_version = p.version;
  out.demand_id = demand.id;
  out.received_at = demand.received_at;

  KeywordHits keyword_hits(p, demand);
  const uint64_t* hits = keyword_hits.get();

  // Manual decisions first; then, in order, the first rule to set an attribute wins.
  for (const auto& [name, value] : demand.labels) out.labels[name] = {value, Decision::manual, {}};
  const bool key = p.uses_customer_key && customer_is_key(p.customers, demand.customer);
  ConditionContext context{demand, &demand.urgency, &demand.category, &demand.nature, out.labels, hits, key};
  const std::string *urgency_rule = nullptr, *category_rule = nullptr, *nature_rule = nullptr;
  for (const Rule& rule : p.rules) {
    if (!rule.when.test(context)) continue;
    if (!rule.urgency.empty() && context.urgency->empty()) context.urgency = &rule.urgency, urgency_rule = &rule.name;
    if (!rule.category.empty() && context.category->empty()) context.category = &rule.category, category_rule = &rule.name;
    if (!rule.nature.empty() && context.nature->empty()) context.nature = &rule.nature, nature_rule = &rule.name;
    for (const auto& [label, value] : rule.labels)
      if (!out.labels.count(label)) out.labels[label] = {value, Decision::rule, rule.name};
  }
  const auto decide = [](const std::string& manual, const std::string* value, const std::string* rule,
                         const std::string& by_default, Attribute& attribute) {
    if (!manual.empty()) {
      attribute.value = manual;
      attribute.decision = Decision::manual;
    } else if (rule) {
      attribute.value = *value;
      attribute.decision = Decision::rule;
      attribute.rule = *rule;
    } else {
      attribute.value = by_default;
      attribute.decision = Decision::default_value;
    }
  };
  decide(demand.urgency, context.urgency, urgency_rule, p.default_urgency, out.urgency);
  decide(demand.category, context.category, category_rule, p.default_category, out.category);
  decide(demand.nature, context.nature, nature_rule, p.default_nature, out.nature);

  // Targets and routes on the final classification; the first applicable target of each name wins.
  const ConditionContext final_context{demand, &out.urgency.value, &out.category.value, &out.nature.value,
                                       out.labels, hits, key};
  const std::string *department = &demand.department, *owner = &demand.owner;
  const std::string *department_route = nullptr, *owner_route = nullptr;
  for (const Route& route : p.routes) {
    const std::string& route_owner = route.owner_from_customer ? demand.customer.owner : route.owner;
    if ((!department->empty() || route.department.empty()) && (!owner->empty() || route_owner.empty())) continue;
    if (!route.when.test(final_context)) continue;
    if (!route.department.empty() && department->empty()) department = &route.department, department_route = &route.name;
    if (!route_owner.empty() && owner->empty()) owner = &route_owner, owner_route = &route.name;
  }
  decide(demand.department, department, department_route, p.default_department, out.department);
  decide(demand.owner, owner, owner_route, p.default_owner, out.owner);
  out.targets.reserve(p.targets.size());
  for (const Target& target : p.targets) {
    if (!target.when.test(final_context)) continue;
    bool seen = false;
    for (const TargetResult& r : out.targets) seen = seen || r.name == target.name;
    if (seen) continue;
    const Calendar& calendar = p.calendars[target.calendar].calendar;
    TargetResult r;
    r.name = target.name;
    r.met_by = target.met_by;
    r.also_met_by = target.also_met_by;
    r.recurring = target.recurring;
    r.calendar = p.calendars[target.calendar].name;
    r.within = target.within.text;
    if (Status s = schedule_target(target, calendar, demand.received_at, r); !s.ok()) return s;
    if (explain) r.trace = trace(calendar, r.start, r.due_at);
    out.targets.push_back(std::move(r));
    if (definitions) definitions->push_back(&target);
  }
  out.received_offset = p.calendars[p.default_calendar].calendar.utc_offset_at(demand.received_at);
  return out;
}

}  // namespace detail

}  // namespace crm
