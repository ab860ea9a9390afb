// SPDX-License-Identifier: Apache-2.0
#include "customers/account_transitions.hpp"

#include <algorithm>
#include <cmath>

#include "customers/customer_facts.hpp"
#include "customers/records.hpp"

namespace crm::detail {

namespace {

constexpr int64_t kForever = INT64_MAX;

// Half-open instants [from, to) during which a judgement holds.
struct Span {
  int64_t from, to;
};

// One transition at the start of each run of overlapping or touching spans: the judgement starts
// to hold there (a warning that merely goes on is not news).
void starts_of(std::vector<Span>& spans, ChangeKind kind, const char* what, std::vector<Transition>& out) {
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.from < b.from; });
  int64_t end = INT64_MIN;
  bool any = false;
  for (const Span& s : spans) {
    if (s.from >= s.to) continue;
    if (!any || s.from > end) out.push_back({kind, s.from, what, ""});
    end = any ? std::max(end, s.to) : s.to;
    any = true;
  }
}

bool before(const ActivityFact& a, const ActivityFact& b) { return a.at != b.at ? a.at < b.at : a.n < b.n; }

int64_t days(int32_t n) { return int64_t{n} * 86400; }

// The tier over time: (from, tier index), the first from INT64_MIN; a tier_changed for each change.
std::vector<std::pair<int64_t, size_t>> tier_timeline(const CustomerRules& rules, const std::vector<ActivityFact>& activities,
                                                      std::vector<Transition>& out) {
  // A purchase counts from its instant until 365 days later: in (at - 365 days, at].
  std::vector<std::pair<int64_t, int64_t>> deltas;
  for (const ActivityFact& a : activities)
    if (static_cast<ActivityType>(a.type) == ActivityType::purchase) {
      deltas.emplace_back(a.at, a.amount_cents);
      deltas.emplace_back(a.at + kYear, -a.amount_cents);
    }
  std::sort(deltas.begin(), deltas.end());
  std::vector<std::pair<int64_t, size_t>> timeline{{INT64_MIN, tier_of(rules, 0)}};
  int64_t spend = 0;
  for (size_t i = 0; i < deltas.size();) {
    const int64_t at = deltas[i].first;
    for (; i < deltas.size() && deltas[i].first == at; ++i) spend += deltas[i].second;
    const size_t tier = tier_of(rules, spend);
    if (tier == timeline.back().second) continue;
    timeline.emplace_back(at, tier);
    out.push_back({ChangeKind::tier_changed, at, rules.tiers[tier].name, ""});
  }
  return timeline;
}

// Needs collection: within each stretch where neither the base (the last needs collection, else
// `since`, else the first activity) nor the tier changes, due from the warn day, overdue from the
// due day (customers/customer_facts.hpp collection_from).
void collection(const CustomerRules& rules, const CalendarImpl& cal, const CustomerHistory& h,
                const std::vector<std::pair<int64_t, size_t>>& tiers, std::vector<Transition>& out) {
  std::vector<std::pair<int64_t, int64_t>> bases;  // (from, base)
  if (h.since != kNone) bases.emplace_back(INT64_MIN, h.since);
  for (const ActivityFact& a : h.activities) {
    if (bases.empty()) bases.emplace_back(a.at, a.at);  // the first activity
    if (static_cast<ActivityType>(a.type) == ActivityType::interaction && a.needs_collected) bases.emplace_back(a.at, a.at);
  }
  if (bases.empty()) return;
  std::vector<int64_t> cuts;
  for (const auto& b : bases) cuts.push_back(b.first);
  for (const auto& t : tiers) cuts.push_back(t.first);
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::vector<Span> due, overdue;
  size_t b = 0, t = 0;
  for (size_t i = 0; i < cuts.size(); ++i) {
    const int64_t from = cuts[i], to = i + 1 < cuts.size() ? cuts[i + 1] : kForever;
    if (from < bases.front().first) continue;
    while (b + 1 < bases.size() && bases[b + 1].first <= from) ++b;
    while (t + 1 < tiers.size() && tiers[t + 1].first <= from) ++t;
    const Collection c = collection_from(rules, rules.tiers[tiers[t].second], cal, bases[b].second, std::max(from, bases[b].second));
    due.push_back({std::max(from, c.warn_at), to});
    overdue.push_back({std::max(from, c.due_at), to});
  }
  starts_of(due, ChangeKind::collection_due, "due", out);
  starts_of(overdue, ChangeKind::collection_due, "overdue", out);
}

void churn(const ChurnRules& rules, const CustomerHistory& h, std::vector<Transition>& out) {
  std::vector<int64_t> contacts, purchases;
  std::vector<const ActivityFact*> surveys, contracts;
  for (const ActivityFact& a : h.activities) {
    switch (static_cast<ActivityType>(a.type)) {
      case ActivityType::purchase: purchases.push_back(a.at), contacts.push_back(a.at); break;
      case ActivityType::interaction: contacts.push_back(a.at); break;
      case ActivityType::survey: surveys.push_back(&a); break;
      case ActivityType::contract: contracts.push_back(&a); break;
    }
  }
  std::sort(contacts.begin(), contacts.end());
  std::vector<Span> spans;
  if (rules.quiet_days) {
    // Quiet from the last contact (else `since`) for the rule's days, until the next contact.
    if (h.since != kNone) spans.push_back({h.since + days(*rules.quiet_days), contacts.empty() ? kForever : contacts.front()});
    for (size_t i = 0; i < contacts.size(); ++i)
      spans.push_back({contacts[i] + days(*rules.quiet_days), i + 1 < contacts.size() ? contacts[i + 1] : kForever});
    starts_of(spans, ChangeKind::churn_warning, "quiet", out);
  }
  if (rules.interval_factor) {
    // After each purchase, with three or more so far: k times the median gap since it.
    spans.clear();
    std::sort(purchases.begin(), purchases.end());
    std::vector<int64_t> gaps;
    for (size_t i = 0; i < purchases.size(); ++i) {
      if (i + 1 < purchases.size() && purchases[i + 1] == purchases[i]) continue;  // the last of an instant's
      if (i < 2) continue;
      gaps.clear();
      for (size_t k = 1; k <= i; ++k) gaps.push_back(purchases[k] - purchases[k - 1]);
      std::nth_element(gaps.begin(), gaps.begin() + static_cast<std::ptrdiff_t>(gaps.size() / 2), gaps.end());
      const int64_t usual = gaps[gaps.size() / 2];
      if (usual <= 0) continue;
      const auto wait = static_cast<int64_t>(std::ceil(*rules.interval_factor * static_cast<double>(usual)));
      spans.push_back({purchases[i] + wait, i + 1 < purchases.size() ? purchases[i + 1] : kForever});
    }
    starts_of(spans, ChangeKind::churn_warning, "purchase_interval", out);
  }
  const auto by_order = [](const ActivityFact* a, const ActivityFact* b) { return before(*a, *b); };
  if (rules.contract_end_days) {
    // The latest contract, from its signing until the next: within the rule's days of its end,
    // and for up to a year after it.
    spans.clear();
    std::sort(contracts.begin(), contracts.end(), by_order);
    for (size_t i = 0; i < contracts.size(); ++i) {
      const int64_t next = i + 1 < contracts.size() ? contracts[i + 1]->at : kForever;
      const int64_t end = contracts[i]->ends_at;
      spans.push_back({std::max(contracts[i]->at, end - days(*rules.contract_end_days)), std::min(next, end + kYear)});
    }
    starts_of(spans, ChangeKind::churn_warning, "contract_end", out);
  }
  std::sort(surveys.begin(), surveys.end(), by_order);
  const auto survey_rule = [&](const char* name, auto fires) {
    spans.clear();
    for (size_t i = 0; i < surveys.size(); ++i)
      if (fires(i)) spans.push_back({surveys[i]->at, i + 1 < surveys.size() ? surveys[i + 1]->at : kForever});
    starts_of(spans, ChangeKind::churn_warning, name, out);
  };
  if (rules.satisfaction_below)
    survey_rule("low_satisfaction", [&](size_t i) { return surveys[i]->score > 0 && surveys[i]->score < *rules.satisfaction_below; });
  if (rules.satisfaction_drop)
    survey_rule("falling_satisfaction", [&](size_t i) {
      return i > 0 && surveys[i - 1]->score > 0 && surveys[i - 1]->score - surveys[i]->score >= *rules.satisfaction_drop;
    });
}

void sort_unique(std::vector<Transition>& out) {
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
}

}  // namespace

std::vector<Transition> customer_transitions(const CustomerRules& rules, const Calendar& calendar, CustomerHistory& history) {
  std::vector<Transition> out;
  if (!rules.has_customers || rules.tiers.empty()) return out;
  std::sort(history.activities.begin(), history.activities.end(), before);
  const auto tiers = tier_timeline(rules, history.activities, out);
  collection(rules, CalendarAccess::impl(calendar), history, tiers, out);
  churn(rules.churn, history, out);
  sort_unique(out);
  return out;
}

std::vector<Transition> prospect_transitions(const CustomerRules& rules, const Calendar& calendar, ProspectHistory& history) {
  std::vector<Transition> out;
  if (!rules.has_prospects || rules.stale_after_working_days <= 0) return out;
  std::sort(history.follow_ups.begin(), history.follow_ups.end());
  std::vector<Span> spans;
  int64_t touch = history.created_at;
  for (size_t i = 0; i <= history.follow_ups.size(); ++i) {
    const int64_t next = i < history.follow_ups.size() ? history.follow_ups[i] : kForever;
    int64_t stale = 0;
    if (calendar.try_add_working_days(touch, rules.stale_after_working_days, stale))
      spans.push_back({stale, std::min(next, history.closed_at)});
    if (i < history.follow_ups.size()) touch = std::max(touch, next);
  }
  starts_of(spans, ChangeKind::prospect_stale, "", out);
  sort_unique(out);
  return out;
}

}  // namespace crm::detail
