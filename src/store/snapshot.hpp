// SPDX-License-Identifier: Apache-2.0
// The snapshot archive (README "Snapshots"): policies, demands and events in a portable
// Boost.Serialization text archive, behind a header with the payload's length and checksum.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crmpolicy/status.hpp"

namespace crm::detail {

struct SnapshotPolicy {
  std::string name, version, document, calendar_data;
};

struct SnapshotEvent {
  int32_t n = 0;
  int32_t type = 0;
  int64_t at = 0;
  std::string actor;
  std::string payload;  // "" when the event has none
  std::string ref;      // the sender's id, "" none (class version 2)
};

struct SnapshotDemand {
  std::string id, policy_name, policy_version, actor, document;
  std::vector<SnapshotEvent> events;  // in recording order
  // The stored customer it was classified with (class version 2): 0 none, 1 spend only, 2 with a tier.
  int32_t customer_pinned = 0;
  int64_t customer_spend = 0;
  std::string customer_tier;
  bool customer_key = false;
  std::string customer_owner;  // its account owner, "" none (class version 3)
};

// A table copied row by row (class version 1): the calendar data, the customer-side records and
// the audit log, which are restored as they were rather than replayed. Columns are named, so an
// archive written before a column was added still loads (the column takes its default).
struct SnapshotValue {
  enum Type : int32_t { null = 0, integer = 1, text = 2, blob = 3 };  // text and blob: bytes in text_value
  int32_t type = null;
  int64_t integer_value = 0;
  std::string text_value;
  bool operator==(const SnapshotValue& o) const {
    return type == o.type && integer_value == o.integer_value && text_value == o.text_value;
  }
};

struct SnapshotTable {
  std::string name;
  std::vector<std::string> columns;
  uint64_t rows = 0;
  std::vector<SnapshotValue> cells;  // row by row, columns.size() values each
};

struct Snapshot {
  std::vector<SnapshotPolicy> policies;  // in the order they were stored
  std::vector<SnapshotDemand> demands;   // in the order they were recorded
  std::vector<SnapshotTable> tables;     // class version 2: every other table (store/snapshot_tables.hpp)
};

// The checksum the header records for a payload (FNV-1a, 64 bits): catches damage, not forgery.
uint64_t snapshot_checksum(std::string_view payload);
// The header and the payload together: what write_snapshot returns for that payload.
std::string frame_snapshot(std::string_view payload);

// The archive bytes of a snapshot; deterministic (the same snapshot gives the same bytes).
std::string write_snapshot(const Snapshot& snapshot);
// Verifies the header, length and checksum, then reads the archive. Anything else is an
// invalid_argument status saying what is wrong; never an exception.
Result<Snapshot> read_snapshot(std::string_view bytes);

}  // namespace crm::detail
