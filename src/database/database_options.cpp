// SPDX-License-Identifier: Apache-2.0
// DatabaseOptions from the JSON of crm_db_open_with.
#include "crmpolicy/database.hpp"

#include "core/json_util.hpp"
#include "core/secret_box.hpp"

namespace crm {

Result<DatabaseOptions> DatabaseOptions::from_json(std::string_view options_json) {
  auto parsed = detail::parse_json_strict(options_json, "database options");
  if (!parsed.ok()) return std::move(parsed).status();
  const nlohmann::json& o = *parsed;
  if (!o.is_object()) return detail::json_error("", "database options are a JSON object", o);
  if (Status s = detail::unknown_keys(o, "", {"encryption_key", "synchronous", "busy_timeout_ms"},
                                      "encryption_key, synchronous or busy_timeout_ms");
      !s.ok())
    return s;
  DatabaseOptions out;
  if (const auto key = o.find("encryption_key"); key != o.end()) {
    // The value is a secret: no message repeats it.
    if (!key->is_string()) return Status::invalid_argument("/encryption_key: expected a string of 64 hex digits");
    auto checked = detail::SecretKey::from_hex(key->get_ref<const std::string&>(), "/encryption_key");
    if (!checked.ok()) return std::move(checked).status();
    out.encryption_key = key->get<std::string>();
  }
  if (const auto sync = o.find("synchronous"); sync != o.end()) {
    if (*sync == "full") out.synchronous_full = true;
    else if (*sync == "normal") out.synchronous_full = false;
    else return detail::json_error("/synchronous", "expected \"full\" or \"normal\"", *sync);
  }
  if (const auto busy = o.find("busy_timeout_ms"); busy != o.end()) {
    if (!busy->is_number_integer() || busy->get<int64_t>() < 0 || busy->get<int64_t>() > 600000)
      return detail::json_error("/busy_timeout_ms", "expected whole milliseconds from 0 to 600000", *busy);
    out.busy_timeout_ms = busy->get<int>();
  }
  return out;
}

}  // namespace crm
