// SPDX-License-Identifier: Apache-2.0
#include "customers/customer_rows.hpp"

#include <cmath>

namespace crm::detail {

Status store_customer(DatabaseImpl& d, const nlohmann::json& doc, bool exists) {
  Use use(exists ? d.update_customer_ : d.insert_customer_);
  int column = 1;
  for (const char* key : {"id", "owner", "department", "company"}) bind_text(*use, column++, doc.at(key).get_ref<const std::string&>());
  if (doc.contains("since")) sqlite3_bind_int64(*use, 5, doc.at("since").get<int64_t>());
  const auto contacts = doc.find("contacts");
  const nlohmann::json first = contacts != doc.end() && !contacts->empty() ? contacts->at(0) : nlohmann::json::object();
  column = 6;
  for (const char* key : {"name", "phone", "email"}) bind_text(*use, column++, first.value(key, std::string()));
  bind_text(*use, 9, doc.dump());
  if (doc.contains("potential_annual_spend"))
    sqlite3_bind_int64(*use, 10, std::llround(doc.at("potential_annual_spend").get<double>() * 100));
  if (sqlite3_step(*use) != SQLITE_DONE) return d.error("writing customer \"" + doc.at("id").get<std::string>() + "\"");
  return {};
}

}  // namespace crm::detail
