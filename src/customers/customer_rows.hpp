// SPDX-License-Identifier: Apache-2.0
// The customer table's row for a customer document: the columns lists read, and the document.
#pragma once

#include <nlohmann/json.hpp>

#include "store/database_impl.hpp"

namespace crm::detail {

// Inserts (exists = false) or replaces the row of a validated customer document.
Status store_customer(DatabaseImpl& d, const nlohmann::json& doc, bool exists);

}  // namespace crm::detail
