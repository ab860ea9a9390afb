// SPDX-License-Identifier: Apache-2.0
// The ledger read whole, for the layers above the store that derive figures from it (reports):
// each demand as it was recorded, with the stored customer it was classified with applied, its
// events in ledger order, and the policy version it was recorded under — no SQL above this line.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ledger/event.hpp"
#include "ledger/replay.hpp"
#include "store/database_impl.hpp"

namespace crm::detail {

struct LedgerEntry {
  int64_t seq = 0;        // recording order
  int64_t policy_id = 0;  // the stored version it was recorded under
  const Policy& policy;
};

// The stored versions of policy `name`, for replays of demands reclassified under another version.
PolicyVersionLookup stored_versions(DatabaseImpl& d, const std::string& name);

// Called once per demand; `events` may be moved from. A non-OK status stops the scan.
using LedgerVisitor = std::function<Status(const LedgerEntry& entry, const Demand& demand, std::vector<Event>& events)>;

// Every demand recorded under a version of policy `policy_name` ("": every policy) and received by
// `received_by`, in recording order, in one ordered pass over the demands and one over the events;
// with `wanted`, only the demands whose recording key it accepts are read and visited.
Status scan_ledger(DatabaseImpl& d, const std::string& policy_name, int64_t received_by, const LedgerVisitor& visit,
                   const std::function<bool(int64_t seq)>& wanted = nullptr);

// The title of a recorded demand (not_found when none has that id).
Result<std::string> stored_demand_title(DatabaseImpl& d, const std::string& id);

// One demand by its recording key, with its events unless `with_events` is false.
Status read_ledger(DatabaseImpl& d, int64_t seq, bool with_events, const LedgerVisitor& visit);

}  // namespace crm::detail
