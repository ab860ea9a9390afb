// SPDX-License-Identifier: Apache-2.0
// The change feed's rows (README "Change feed"): what each write changed, appended to demand_change,
// and the time-driven transitions still ahead of the feed, kept in demand_crossing. The ledger
// writer calls write_changes() for every demand it rewrites, the customer side for every customer
// and prospect; the feed (store/change_feed.cpp) reads both. This file alone knows the rows' layout.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "ledger/transitions.hpp"
#include "store/database_impl.hpp"

namespace crm::detail {

// Whom a change is about. Demands, customers and prospects share the log and the crossings under
// one key: a demand's seq (positive), -2 x a customer's seq, -2 x a prospect's seq - 1.
enum class FeedSubject : uint8_t { demand, customer, prospect };
inline int64_t feed_key(FeedSubject s, int64_t seq) {
  return s == FeedSubject::demand ? seq : s == FeedSubject::customer ? -2 * seq : -2 * seq - 1;
}
inline FeedSubject feed_subject(int64_t key) {
  return key > 0 ? FeedSubject::demand : key % 2 == 0 ? FeedSubject::customer : FeedSubject::prospect;
}
const char* feed_subject_name(FeedSubject s);  // "demand", "customer", "prospect"

// One change as the log holds it.
struct LoggedChange {
  ChangeKind kind = ChangeKind::recorded;
  int64_t at = 0;
  std::string target;                 // target changes; "" else
  uint32_t step = 0;                  // escalation
  int32_t round = 0;
  int64_t policy = 0;                 // escalation: the policy row its steps are read from
  int32_t event = 0;                  // event kinds: the event's n and type
  EventType type = EventType::note;
  ChangeKind retracts = ChangeKind::recorded;  // retracted: the kind of the change undone
};

// The changes of one subject in a log row.
struct LoggedSubject {
  int64_t key = 0;                    // feed_key()
  std::string id, owner, department;  // owner and department as they stood after the write
  std::vector<LoggedChange> changes;
};

// The policy row of a version of the demand's policy.
using PolicyIdOf = std::function<Result<int64_t>(const std::string& version)>;

// What one write did to one demand, customer or prospect.
struct FeedWrite {
  int64_t key = 0;  // feed_key()
  const std::string* id = nullptr;
  const std::string* owner = nullptr;       // after the write
  const std::string* department = nullptr;
  int64_t recorded_at = kNever;             // the demand was recorded by this write: its received_at
  const std::vector<const Event*>* events = nullptr;  // appended by this write, in recording order (demands)
  const std::vector<Transition>* before = nullptr;  // the transitions before the write, and after
  const std::vector<Transition>* after = nullptr;
  bool log = true;  // false: only the crossings are rewritten (a restore that brings its own log)
};

// How far the feed has read its time-driven part (feed.served_until), within the caller's transaction.
Result<int64_t> feed_served_until(DatabaseImpl& d);
// Adds the write's changes to the log row being built and rewrites the demand's crossings after
// `served_until`: a transition added or removed at or before it is logged (added, or retracted)
// instead. A row is appended every 256 demands, and by end_changes().
Status write_changes(DatabaseImpl& d, const FeedWrite& w, int64_t served_until, const PolicyIdOf& policy_id);
// Appends the log row being built, if any (the end of a flush of the ledger writer).
Status end_changes(DatabaseImpl& d);
// The crossings of a subject whose transitions its records give (a rebuild: nothing is logged).
Status put_crossings(DatabaseImpl& d, int64_t key, const std::string& id, const std::string& owner,
                     const std::string& department, const std::vector<Transition>& transitions, int64_t served_until,
                     const PolicyIdOf& policy_id);
// Removes the crossings after `served_until` of every demand, or of every customer and prospect
// (before they are all derived again).
Status clear_crossings_after(DatabaseImpl& d, FeedSubject demands_or_accounts, int64_t served_until);
// A customer's or prospect's transitions as the feed last took them (account_transition), sorted;
// and keeping a new list. A write compares the two lists through write_changes().
Result<std::vector<Transition>> known_account_transitions(DatabaseImpl& d, int64_t key);
Status keep_account_transitions(DatabaseImpl& d, int64_t key, const std::vector<Transition>& transitions);
// Every account's known transitions, by key.
Result<std::map<int64_t, std::vector<Transition>>> all_known_account_transitions(DatabaseImpl& d);
// Whether the known transitions are in step with the records (schema.cpp migration 10): 0 yes,
// 1 a policy, calendar data or a restore may have moved them, 2 never taken.
enum class AccountFeedState : int { in_step = 0, stale = 1, never_taken = 2 };
Result<AccountFeedState> account_feed_state(DatabaseImpl& d);
Status set_account_feed_state(DatabaseImpl& d, AccountFeedState state);

// The subjects of a log row, in order; false when the blob does not decode.
bool decode_changes(std::string_view blob, std::vector<LoggedSubject>& out);
Status prepare_change_statements(DatabaseImpl& d);

}  // namespace crm::detail
