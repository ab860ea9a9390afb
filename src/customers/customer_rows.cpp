// SPDX-License-Identifier: Apache-2.0
#include "customers/customer_rows.hpp"

#include <cmath>

#include "store/customer_table.hpp"

namespace crm::detail {

Status store_customer(DatabaseImpl& d, const nlohmann::json& doc, bool exists) {
  CustomerRow row;
  row.id = doc.at("id").get<std::string>();
  row.owner = doc.at("owner").get<std::string>();
  row.department = doc.at("department").get<std::string>();
  row.company = doc.at("company").get<std::string>();
  if (doc.contains("since")) row.since = doc.at("since").get<int64_t>();
  const auto contacts = doc.find("contacts");
  const nlohmann::json first = contacts != doc.end() && !contacts->empty() ? contacts->at(0) : nlohmann::json::object();
  row.contact_name = first.value("name", std::string());
  row.contact_phone = first.value("phone", std::string());
  row.contact_email = first.value("email", std::string());
  if (doc.contains("potential_annual_spend")) row.potential = std::llround(doc.at("potential_annual_spend").get<double>() * 100);
  return write_customer_row(d, row, doc, exists);
}

}  // namespace crm::detail
