// SPDX-License-Identifier: Apache-2.0
// The store's schema as an append-only list of migrations; the engine's schema version (SQLite:
// PRAGMA user_version) counts those applied.
#pragma once

#include <vector>

namespace crm::detail {

// migrations()[i] brings a database from user_version i to i + 1. Never edit a shipped entry.
const std::vector<const char*>& migrations();

}  // namespace crm::detail
