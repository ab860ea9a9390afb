// SPDX-License-Identifier: Apache-2.0
#include "customers/customer_facts.hpp"

#include <algorithm>
#include <unordered_map>

#include "core/civil_date.hpp"
#include "customers/records.hpp"
#include "customers/seq_index.hpp"
#include "store/customer_scan.hpp"

namespace crm::detail {

namespace {

std::string days_text(int64_t seconds) { return std::to_string(seconds / 86400) + " days"; }

bool working(const CalendarImpl& cal, int32_t day) { return !cal.day(day).spans->empty(); }

}  // namespace

Result<std::vector<CustomerState>> load_customer_states(DatabaseImpl& d, const AccessContext& c, int64_t at,
                                                        const CustomerFilter& filter) {
  std::vector<CustomerState> out;
  SeqIndex index;
  Status s = scan_customer_rows(
      d, {filter.id, filter.owner, filter.department, filter.lookup_field, filter.lookup_hash},
      [&](std::string_view owner, std::string_view department) { return in_scope(*c.role, c.actor, RecordScope{{owner}, department}); },
      [&](CustomerRow&& r) {
        CustomerState cs;
        cs.seq = r.seq;
        cs.id = std::move(r.id);
        cs.owner = std::move(r.owner);
        cs.department = std::move(r.department);
        cs.company = std::move(r.company);
        cs.since = r.since.value_or(kNone);
        cs.potential = r.potential.value_or(kNone);
        cs.contact_name = std::move(r.contact_name);
        cs.contact_phone = std::move(r.contact_phone);
        cs.contact_email = std::move(r.contact_email);
        index.add(cs.seq, out.size());
        out.push_back(std::move(cs));
      });
  if (!s.ok()) return s;
  if (out.empty()) return out;

  // Activities come in no particular order (an engine's storage order): every fact kept is the
  // greatest by (at, n), and purchase times are sorted per customer afterwards.
  std::vector<std::pair<int32_t, int64_t>> purchase_times;  // position, at
  s = scan_activities(d, at, out.size() == 1 ? out[0].seq : -1, [&](const ActivityFact& a) {
    const int32_t position = index.find(a.customer_seq);
    if (position < 0) return;
    CustomerState& cs = out[static_cast<size_t>(position)];
    const int64_t t = a.at;
    const std::pair<int64_t, int64_t> key{t, a.n};
    cs.first_activity = cs.first_activity == kNone ? t : std::min(cs.first_activity, t);
    switch (static_cast<ActivityType>(a.type)) {
      case ActivityType::purchase:
        ++cs.purchases;
        purchase_times.emplace_back(position, t);
        cs.last_purchase = std::max(cs.last_purchase, t);
        if (t > at - kYear) {
          cs.spend_12m += a.amount_cents;
          ++cs.purchases_12m;
        }
        break;
      case ActivityType::interaction:
        cs.last_interaction = std::max(cs.last_interaction, t);
        if (a.needs_collected) cs.last_needs = std::max(cs.last_needs, t);
        break;
      case ActivityType::survey:
        // The latest two surveys by time (then recording order).
        if (key > std::make_pair(cs.latest_score_at, cs.latest_score_n)) {
          cs.previous_score = cs.latest_score;
          cs.previous_score_at = cs.latest_score_at;
          cs.previous_score_n = cs.latest_score_n;
          cs.latest_score = a.score;
          cs.latest_score_at = t;
          cs.latest_score_n = a.n;
        } else if (key > std::make_pair(cs.previous_score_at, cs.previous_score_n)) {
          cs.previous_score = a.score;
          cs.previous_score_at = t;
          cs.previous_score_n = a.n;
        }
        break;
      case ActivityType::contract:
        if (key > std::make_pair(cs.contract_at, cs.contract_n)) {
          cs.contract_at = t;
          cs.contract_n = a.n;
          cs.contract_end = a.ends_at;
        }
        break;
    }
  });
  if (!s.ok()) return s;
  // The usual interval: the median gap between purchases, for three or more.
  std::sort(purchase_times.begin(), purchase_times.end());
  std::vector<int64_t> gaps;
  for (size_t from = 0, to; from < purchase_times.size(); from = to) {
    to = from;
    while (to < purchase_times.size() && purchase_times[to].first == purchase_times[from].first) ++to;
    if (to - from < 3) continue;
    gaps.clear();
    for (size_t i = from + 1; i < to; ++i) gaps.push_back(purchase_times[i].second - purchase_times[i - 1].second);
    std::nth_element(gaps.begin(), gaps.begin() + static_cast<std::ptrdiff_t>(gaps.size() / 2), gaps.end());
    out[static_cast<size_t>(purchase_times[from].first)].usual_interval = gaps[gaps.size() / 2];
  }

  auto complaints = open_complaints(d, at);
  if (!complaints.ok()) return std::move(complaints).status();
  for (CustomerState& cs : out)
    if (const auto it = complaints->find(cs.id); it != complaints->end()) cs.open_complaints = it->second;
  return out;
}

ValueScore value_of(const ValueRules& rules, const CustomerState& s, int64_t at) {
  ValueScore v;
  if (s.last_purchase != kNone) {
    const int64_t days = (at - s.last_purchase) / 86400;
    v.recency = 1;
    for (size_t i = 4; i-- > 0;)
      if (days <= rules.recency_days[i]) v.recency = 5 - static_cast<int>(i);
  }
  for (size_t i = 0; i < 4; ++i) {
    if (s.purchases_12m >= rules.frequency[i]) v.frequency = 2 + static_cast<int>(i);
    if (s.spend_12m >= rules.monetary_cents[i]) v.monetary = 2 + static_cast<int>(i);
  }
  v.value = 20 * (rules.recency_weight * v.recency + rules.frequency_weight * v.frequency + rules.monetary_weight * v.monetary);
  return v;
}

Collection collection_of(const CustomerRules& rules, const Tier& tier, const CalendarImpl& cal, const CustomerState& s, int64_t at) {
  return collection_from(rules, tier, cal, s.last_needs != kNone ? s.last_needs : s.since != kNone ? s.since : s.first_activity, at);
}

Collection collection_from(const CustomerRules& rules, const Tier& tier, const CalendarImpl& cal, int64_t base, int64_t at) {
  Collection c;
  c.base = base;
  if (c.base == kNone) {
    // Nothing to count from: due today.
    c.due_day = cal.local_day(at);
  } else {
    int64_t y, m, dd;
    civil_from_days(cal.local_day(c.base), y, m, dd);
    int64_t month = m - 1 + tier.collect_needs_every_months;
    y += month / 12;
    month = month % 12 + 1;
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    const int64_t last = month == 2 && leap ? 29 : kDays[month - 1];
    const auto due = day_number(static_cast<int32_t>(std::min<int64_t>(y, kLastYear)), static_cast<int32_t>(month),
                                static_cast<int32_t>(std::min(dd, last)));
    c.due_day = due ? *due : kEndDay - 1;
  }
  // A collection due on a holiday or weekend is due on the next working day (QuantLib: Following).
  for (int guard = 0; guard < 60 && c.due_day < kEndDay - 1 && !working(cal, c.due_day); ++guard) ++c.due_day;
  c.due_at = cal.local_to_utc(c.due_day + 1, 0);
  int32_t warn_day = c.due_day;
  for (int32_t n = 0, guard = 0; n < rules.collection_warn_working_days && guard < 400; ++guard)
    if (working(cal, --warn_day)) ++n;
  c.warn_at = cal.local_to_utc(warn_day, 0);
  c.status = at >= c.due_at ? "overdue" : at >= c.warn_at ? "due" : "ok";
  return c;
}

std::vector<ChurnReason> churn_reasons(const ChurnRules& rules, const CustomerState& s, int64_t at) {
  std::vector<ChurnReason> out;
  const int64_t last_contact = std::max(s.last_purchase, s.last_interaction);
  if (rules.quiet_days) {
    const int64_t quiet_from = last_contact != kNone ? last_contact : s.since;
    if (quiet_from != kNone && at - quiet_from >= int64_t{*rules.quiet_days} * 86400)
      out.push_back({"quiet", "no purchase or interaction for " + days_text(at - quiet_from) + " (rule: " +
                                  std::to_string(*rules.quiet_days) + " days)"});
  }
  if (rules.interval_factor && s.usual_interval > 0 && s.last_purchase != kNone &&
      static_cast<double>(at - s.last_purchase) >= *rules.interval_factor * static_cast<double>(s.usual_interval))
    out.push_back({"purchase_interval", "no purchase for " + days_text(at - s.last_purchase) + ", usually every " +
                                            days_text(s.usual_interval)});
  if (rules.contract_end_days && s.contract_end != kNone && s.contract_end > at - kYear &&
      s.contract_end - at <= int64_t{*rules.contract_end_days} * 86400)
    out.push_back({"contract_end", s.contract_end <= at ? "the contract ended " + days_text(at - s.contract_end) + " ago"
                                                        : "the contract ends in " + days_text(s.contract_end - at + 86399)});
  if (rules.satisfaction_below && s.latest_score > 0 && s.latest_score < *rules.satisfaction_below)
    out.push_back({"low_satisfaction", "latest survey score " + std::to_string(s.latest_score)});
  if (rules.satisfaction_drop && s.previous_score > 0 && s.previous_score - s.latest_score >= *rules.satisfaction_drop)
    out.push_back({"falling_satisfaction",
                   "survey score fell from " + std::to_string(s.previous_score) + " to " + std::to_string(s.latest_score)});
  if (rules.open_complaints && s.open_complaints >= *rules.open_complaints)
    out.push_back({"open_complaints", std::to_string(s.open_complaints) + " complaint(s) open"});
  return out;
}

}  // namespace crm::detail
