// SPDX-License-Identifier: Apache-2.0
// The report behind crm::Database::report.
#pragma once

#include <string>
#include <string_view>

#include "store/database_impl.hpp"

namespace crm::detail::api {

Result<std::string> report(DatabaseImpl& impl, std::string_view query_json);

}  // namespace crm::detail::api
