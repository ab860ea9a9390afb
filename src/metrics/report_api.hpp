// SPDX-License-Identifier: Apache-2.0
// The report behind crm::Database::report.
#pragma once

#include <string>
#include <string_view>

#include "store/database_impl.hpp"
#include "store/ledger_scope.hpp"

namespace crm::detail::api {

// With a scope, the report counts only the demands in it (a filter naming others is refused).
Result<std::string> report(DatabaseImpl& impl, std::string_view query_json, const LedgerScope* scope = nullptr);

}  // namespace crm::detail::api
