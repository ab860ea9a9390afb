// SPDX-License-Identifier: Apache-2.0
// The answers of Database::customer_query, one function per query kind.
#pragma once

#include <string>

#include "customers/access_context.hpp"
#include "customers/query.hpp"

namespace crm::detail {

using QueryResult = Result<std::string>;

QueryResult customer_view(DatabaseImpl& d, const AccessContext& c, const CustomerQuery& q);
QueryResult customer_list(DatabaseImpl& d, const AccessContext& c, const CustomerQuery& q);
QueryResult tier_summary(DatabaseImpl& d, const AccessContext& c, const CustomerQuery& q);
QueryResult collection_due(DatabaseImpl& d, const AccessContext& c, const CustomerQuery& q);
QueryResult churn_list(DatabaseImpl& d, const AccessContext& c, const CustomerQuery& q);
QueryResult relationship_report(DatabaseImpl& d, const AccessContext& c, const CustomerQuery& q);
QueryResult record_history(DatabaseImpl& d, const AccessContext& c, const CustomerQuery& q);

QueryResult prospect_view(DatabaseImpl& d, const AccessContext& c, const CustomerQuery& q);
QueryResult prospect_list(DatabaseImpl& d, const AccessContext& c, const CustomerQuery& q);
QueryResult prospect_due(DatabaseImpl& d, const AccessContext& c, const CustomerQuery& q);
QueryResult funnel(DatabaseImpl& d, const AccessContext& c, const CustomerQuery& q);

}  // namespace crm::detail
