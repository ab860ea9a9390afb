// SPDX-License-Identifier: Apache-2.0
// The audit log's rows: appended by the customer-side writes and by restores, read by the audit
// queries. Append-only (triggers forbid UPDATE and DELETE).
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
};

Status append_audit(DatabaseImpl& d, const AuditRow& row);

// Entries recorded in [from, to), in order.
Status scan_audit_between(DatabaseImpl& d, int64_t from, int64_t to, const std::function<void(const AuditRow&)>& row);
// Entries about any of the (kind, record) pairs (at most two), in order.
Status scan_audit_of(DatabaseImpl& d, const std::vector<std::pair<std::string, std::string>>& records,
                     const std::function<void(const AuditRow&)>& row);

}  // namespace crm::detail
