// SPDX-License-Identifier: Apache-2.0
// Typed demands and events for bulk imports (crm::Database::import_records, crm_db_import_records).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace crm {

// An event for Database::import_records (README "Event JSON"), appended to demand `demand`. An
// empty string or a 0 is an absent field; `assessed` and events with their own fields beyond these
// need NDJSON or append_event.
struct EventRecord {
  std::string demand, type;
  int64_t at = 0;  // UTC epoch seconds
  std::string actor, id, comment;
  std::string reason;                                   // paused, closed, reopened, reclassified
  int satisfaction = 0;                                 // feedback: 1 to 5
  std::string owner, department;                        // reassigned
  std::string urgency, category, nature, policy_version;  // reclassified
  std::string into;                                     // merged_into
};

// A demand for Database::import_records: the Demand JSON fields bulk imports carry, typed (README
// "Import"). An empty string is an absent field; labels and a customer's spend or key flag need
// NDJSON. `policy`, `policy_version` and `actor` are as in record_demand.
struct DemandRecord {
  std::string id;
  int64_t received_at = 0;  // UTC epoch seconds
  std::string channel, category, nature, urgency, title, text, department, owner;
  std::string customer_id, customer_tier, customer_industry, customer_size;
  std::string policy, policy_version, actor;
  // Its events, recorded right after it, in order (their `demand` may be left empty).
  std::vector<EventRecord> events;
};

}  // namespace crm
