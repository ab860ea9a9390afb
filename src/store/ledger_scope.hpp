// SPDX-License-Identifier: Apache-2.0
// Which demands a call may reach. The ledger's calls take it from the acting user's role
// (customers/ledger_access.cpp): every demand, or those whose current owner, or department, is the
// user's. The store only applies it; who may do what is decided above it.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <tuple>

#include "crmpolicy/status.hpp"

namespace crm::detail {

struct LedgerScope {
  std::string owner;       // non-empty: only demands this user owns
  std::string department;  // non-empty: only demands of this department

  bool admits(std::string_view demand_owner, std::string_view demand_department) const {
    return (owner.empty() || owner == demand_owner) && (department.empty() || department == demand_department);
  }
  // A query's own owner or department filter within the scope: the scope's value when the query
  // names none, permission_denied when it names another.
  Status narrow(std::string& query_owner, std::string& query_department) const {
    for (const auto& [mine, asked, what] : {std::tuple{&owner, &query_owner, "owner"}, std::tuple{&department, &query_department, "department"}}) {
      if (mine->empty()) continue;
      if (!asked->empty() && *asked != *mine)
        return Status::permission_denied(std::string("/") + what + ": \"" + *asked + "\" is outside the acting user's scope (" + what +
                                         " \"" + *mine + "\")");
      *asked = *mine;
    }
    return {};
  }
  // permission_denied naming the demand unless the scope admits it.
  Status admit(std::string_view id, std::string_view demand_owner, std::string_view demand_department) const {
    if (admits(demand_owner, demand_department)) return {};
    return Status::permission_denied("demand \"" + std::string(id) + "\" (owner \"" + std::string(demand_owner) + "\", department \"" +
                                     std::string(demand_department) + "\") is outside the acting user's scope");
  }
};

}  // namespace crm::detail
