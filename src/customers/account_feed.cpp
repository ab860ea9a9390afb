// SPDX-License-Identifier: Apache-2.0
#include "customers/account_feed.hpp"

#include "customers/account_transitions.hpp"
#include "customers/records.hpp"
#include "policy/policy_impl.hpp"
#include "store/customer_scan.hpp"
#include "store/prospect_table.hpp"

namespace crm::detail {

namespace {

constexpr int64_t kAll = -1;

// A customer or prospect with what its transitions are computed from.
struct Account {
  std::string id, owner, department;
  CustomerHistory customer;
  ProspectHistory prospect;
};
using Accounts = std::map<int64_t, Account>;  // by feed key

// The customers, or the one named, with their activities.
Status load_customers(DatabaseImpl& d, const std::string& only_id, int64_t only_seq, Accounts& out) {
  Status s = scan_customer_rows(
      d, {only_id, "", "", "", ""}, [](std::string_view, std::string_view) { return true; },
      [&](CustomerRow&& r) {
        Account& a = out[feed_key(FeedSubject::customer, r.seq)];
        a.id = std::move(r.id);
        a.owner = std::move(r.owner);
        a.department = std::move(r.department);
        a.customer.since = r.since.value_or(INT64_MIN);
      });
  if (!s.ok()) return s;
  return scan_activities(d, INT64_MAX, only_seq, [&](const ActivityFact& f) {
    const auto it = out.find(feed_key(FeedSubject::customer, f.customer_seq));
    if (it != out.end()) it->second.customer.activities.push_back(f);
  });
}

// The prospects, or the one named, with their follow-ups and the end of following them up.
Status load_prospects(DatabaseImpl& d, const std::string& only_id, int64_t only_seq, Accounts& out) {
  Status s = scan_prospect_rows(
      d, INT64_MAX, {only_id, "", ""}, [](const ProspectRecordRow&) { return true; },
      [&](ProspectRow&& r, const ProspectRecordRow& record) {
        Account& a = out[feed_key(FeedSubject::prospect, record.seq)];
        a.id = std::move(r.id);
        a.owner = !r.follow_up.empty() ? std::move(r.follow_up) : std::move(r.first_contact);
        a.department = std::move(r.department);
        a.prospect.created_at = r.created_at;
      });
  if (!s.ok()) return s;
  return scan_prospect_events(d, INT64_MAX, only_seq, [&](const ProspectEventRow& e) {
    const auto it = out.find(feed_key(FeedSubject::prospect, e.prospect_seq));
    if (it == out.end()) return;
    ProspectHistory& p = it->second.prospect;
    const auto type = static_cast<ProspectEventType>(e.type);
    if (type == ProspectEventType::follow_up) p.follow_ups.push_back(e.at);
    if (type == ProspectEventType::convert || (type == ProspectEventType::stage && static_cast<Stage>(e.stage) == Stage::lost))
      p.closed_at = std::min(p.closed_at, e.at);
  });
}

// What the latest policy says about accounts, and how the feed's rows name it.
struct Judge {
  StoredPolicy stored;
  const PolicyImpl* rules = nullptr;

  std::vector<Transition> transitions(int64_t key, Account& a) const {
    const CustomerRules& c = rules->customers;
    const Calendar& calendar = rules->calendars[rules->default_calendar].calendar;
    return feed_subject(key) == FeedSubject::customer ? customer_transitions(c, calendar, a.customer)
                                                      : prospect_transitions(c, calendar, a.prospect);
  }
};

Result<Judge> latest_judge(DatabaseImpl& d) {
  auto stored = d.resolve_policy("", "");
  if (!stored.ok()) return std::move(stored).status();
  Judge j{std::move(*stored)};
  j.rules = &PolicyAccess::impl(j.stored.policy);
  return j;
}

// Compares an account's transitions with those the feed took, logs what moved (when `log`) and
// keeps the new list.
Status write_account(DatabaseImpl& d, const Judge& judge, int64_t key, Account& a, const std::vector<Transition>& before,
                     int64_t served_until, bool log) {
  const std::vector<Transition> after = judge.transitions(key, a);
  FeedWrite w;
  w.key = key;
  w.id = &a.id;
  w.owner = &a.owner;
  w.department = &a.department;
  w.before = &before;
  w.after = &after;
  w.log = log;
  const int64_t policy_id = judge.stored.id;
  if (Status s = write_changes(d, w, served_until, [&](const std::string&) -> Result<int64_t> { return policy_id; }); !s.ok())
    return s;
  return after == before ? Status() : keep_account_transitions(d, key, after);
}

// Every account compared with what the feed took: logged when the state is stale, taken silently
// when never taken. Within the caller's transaction.
Status bring_in_step(DatabaseImpl& d, AccountFeedState state) {
  Accounts accounts;
  if (Status s = load_customers(d, "", kAll, accounts); !s.ok()) return s;
  if (Status s = load_prospects(d, "", kAll, accounts); !s.ok()) return s;
  if (accounts.empty()) return set_account_feed_state(d, AccountFeedState::in_step);  // also: no policy yet
  auto judge = latest_judge(d);
  if (!judge.ok()) return std::move(judge).status();
  auto served_until = feed_served_until(d);
  if (!served_until.ok()) return std::move(served_until).status();
  auto known = all_known_account_transitions(d);
  if (!known.ok()) return std::move(known).status();
  const std::vector<Transition> none;
  for (auto& [key, account] : accounts) {
    const auto it = known->find(key);
    const bool log = state == AccountFeedState::stale;
    if (Status s = write_account(d, *judge, key, account, it == known->end() ? none : it->second, *served_until, log); !s.ok())
      return s;
  }
  if (Status s = end_changes(d); !s.ok()) return s;
  return set_account_feed_state(d, AccountFeedState::in_step);
}

// Runs bring_in_step() in a transaction of its own when the state is one of `states`.
Status in_step_when(DatabaseImpl& d, bool stale_too) {
  const auto needed = [&](AccountFeedState s) {
    return s == AccountFeedState::never_taken || (stale_too && s == AccountFeedState::stale);
  };
  auto state = account_feed_state(d);
  if (!state.ok()) return std::move(state).status();
  if (!needed(*state)) return {};
  Transaction tx(d);
  if (Status s = tx.begin(); !s.ok()) return s;
  state = account_feed_state(d);  // another handle may have done it meanwhile
  if (!state.ok()) return std::move(state).status();
  if (needed(*state))
    if (Status s = bring_in_step(d, *state); !s.ok()) return s;
  return tx.commit();
}

}  // namespace

Status AccountFeed::write() {
  if (touched_.empty()) return {};
  auto state = account_feed_state(d_);
  if (!state.ok()) return std::move(state).status();
  if (*state != AccountFeedState::in_step) {  // every account, the touched ones with them
    touched_.clear();
    return bring_in_step(d_, *state);
  }
  auto judge = latest_judge(d_);
  if (!judge.ok()) return std::move(judge).status();
  auto served_until = feed_served_until(d_);
  if (!served_until.ok()) return std::move(served_until).status();
  for (const auto& [key, id] : touched_) {
    Accounts accounts;
    const int64_t seq = feed_subject(key) == FeedSubject::customer ? -key / 2 : (-key - 1) / 2;
    Status s = feed_subject(key) == FeedSubject::customer ? load_customers(d_, id, seq, accounts)
                                                          : load_prospects(d_, id, seq, accounts);
    if (!s.ok()) return s;
    const auto it = accounts.find(key);
    if (it == accounts.end()) return Status::internal("the change feed lost track of \"" + id + "\"");
    auto before = known_account_transitions(d_, key);
    if (!before.ok()) return std::move(before).status();
    if (Status w = write_account(d_, *judge, key, it->second, *before, *served_until, true); !w.ok()) return w;
  }
  touched_.clear();
  return end_changes(d_);
}

Status api::bring_account_feed_in_step(DatabaseImpl& d) { return in_step_when(d, true); }
Status api::take_account_feed_after_upgrade(DatabaseImpl& d) { return in_step_when(d, false); }

}  // namespace crm::detail
