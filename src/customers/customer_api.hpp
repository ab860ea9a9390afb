// SPDX-License-Identifier: Apache-2.0
// The customer-side operations behind crm::Database: customer and prospect writes and queries.
#pragma once

#include <string>
#include <string_view>

#include "store/database_impl.hpp"

namespace crm::detail::api {

Status put_customer(DatabaseImpl& impl, std::string_view actor_json, std::string_view customer_json);
Status add_activity(DatabaseImpl& impl, std::string_view actor_json, std::string_view activity_json);
Status put_prospect(DatabaseImpl& impl, std::string_view actor_json, std::string_view prospect_json);
Status add_prospect_event(DatabaseImpl& impl, std::string_view actor_json, std::string_view event_json);
Result<std::string> customer_query(DatabaseImpl& impl, std::string_view actor_json, std::string_view query_json);

}  // namespace crm::detail::api
