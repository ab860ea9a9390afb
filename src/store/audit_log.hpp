// SPDX-License-Identifier: Apache-2.0
// The audit log's rows: appended by the customer-side writes and by restores, read by the audit
// queries. Append-only (triggers forbid UPDATE and DELETE), and chained: each entry carries
// BLAKE2b over the previous entry's chain, its position and its content, keyed with the keyring's
// audit key when the writer holds it, so that an edit, a removal or an insertion by raw SQL shows.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/database_impl.hpp"

namespace crm::detail {

struct AuditRow {
  int64_t seq = 0;          // given by the store
  int64_t recorded_at = 0;  // wall clock of the write, UTC seconds
  std::string actor, role, operation, kind, record, outcome;
  std::optional<std::string> before, after;  // JSON
  std::string message;
  bool keyed = false;  // read back: whether its chain was keyed
  std::string chain;   // read back: hex, '' for entries from before the chain (schema < 11)
};

// What verify_audit found. `problem` is empty when the chain holds.
struct AuditVerification {
  int64_t entries = 0, unchained = 0, keyed = 0;
  std::string head;              // the last entry's chain (hex): a host may keep it to compare later
  std::string problem;           // altered, inserted, removed, removed_at_end, unverifiable
  int64_t seq = 0;               // the first entry concerned (0 at the end)
  int64_t removed = 0;           // removed: how many entries are missing before `seq` (0: unknown)
  std::string message;
};

// The keyed hash of the audit log's head (its count and last chain), kept beside it once the audit
// key is in use: without the key, no one can move the head back after removing entries.
std::string audit_head_seal(const SecretKey& key, int64_t entries, const std::string& chain);

// Appends an entry, chained after the last one, inside the caller's write transaction. Once the
// head is sealed, only a handle holding the audit key may (permission_denied otherwise).
Status append_audit(DatabaseImpl& d, const AuditRow& row);
// Recomputes the chain over every entry (inside the caller's read transaction).
Result<AuditVerification> verify_audit(DatabaseImpl& d);

// Entries recorded in [from, to), in order.
Status scan_audit_between(DatabaseImpl& d, int64_t from, int64_t to, const std::function<void(const AuditRow&)>& row);
// Entries about any of the (kind, record) pairs (at most two), in order.
Status scan_audit_of(DatabaseImpl& d, const std::vector<std::pair<std::string, std::string>>& records,
                     const std::function<void(const AuditRow&)>& row);

}  // namespace crm::detail
