// SPDX-License-Identifier: Apache-2.0
// The change feed's rows (README "Change feed"): what each write changed, appended to demand_change,
// and the time-driven transitions still ahead of the feed, kept in demand_crossing. The ledger
// writer calls write_changes() for every demand it rewrites; the feed (store/change_feed.cpp) reads
// both. This file alone knows the rows' layout.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ledger/transitions.hpp"
#include "store/database_impl.hpp"

namespace crm::detail {

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

// The changes of one demand in a log row.
struct LoggedDemand {
  std::string id, owner, department;  // owner and department as they stood after the write
  std::vector<LoggedChange> changes;
};

// The policy row of a version of the demand's policy.
using PolicyIdOf = std::function<Result<int64_t>(const std::string& version)>;

// What one write did to one demand.
struct DemandWrite {
  int64_t seq = 0;
  const std::string* id = nullptr;
  const std::string* owner = nullptr;       // after the write
  const std::string* department = nullptr;
  int64_t recorded_at = kNever;             // the demand was recorded by this write: its received_at
  const std::vector<const Event*>* events = nullptr;  // appended by this write, in recording order
  const std::vector<Transition>* before = nullptr;  // the transitions before the write, and after
  const std::vector<Transition>* after = nullptr;
  bool log = true;  // false: only the crossings are rewritten (a restore that brings its own log)
};

// How far the feed has read its time-driven part (feed.served_until), within the caller's transaction.
Result<int64_t> feed_served_until(DatabaseImpl& d);
// Adds the write's changes to the log row being built and rewrites the demand's crossings after
// `served_until`: a transition added or removed at or before it is logged (added, or retracted)
// instead. A row is appended every 256 demands, and by end_changes().
Status write_changes(DatabaseImpl& d, const DemandWrite& w, int64_t served_until, const PolicyIdOf& policy_id);
// Appends the log row being built, if any (the end of a flush of the ledger writer).
Status end_changes(DatabaseImpl& d);
// The crossings of a demand whose transitions the ledger gives (a rebuild: nothing is logged).
Status put_crossings(DatabaseImpl& d, int64_t seq, const std::string& id, const std::string& owner,
                     const std::string& department, const std::vector<Transition>& transitions, int64_t served_until,
                     const PolicyIdOf& policy_id);
// The demands of a log row, in order; false when the blob does not decode.
bool decode_changes(std::string_view blob, std::vector<LoggedDemand>& out);
Status prepare_change_statements(DatabaseImpl& d);

}  // namespace crm::detail
