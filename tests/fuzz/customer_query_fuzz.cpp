// SPDX-License-Identifier: Apache-2.0
// Fuzzes the customer query parser and its queries (lookups by phone and email included): the
// first line is the acting user's JSON, the rest the query, asked of a small database. Refused
// with a message, or answered with valid JSON; a role without personal.read never sees a phone
// number in the clear.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "small_database.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const size_t newline = text.find('\n');
  const std::string_view actor = newline == std::string_view::npos ? crm::fuzz::kAdmin : text.substr(0, newline);
  const std::string_view query = newline == std::string_view::npos ? text : text.substr(newline + 1);
  auto answer = crm::fuzz::small_database().customer_query(actor, query);
  if (!answer.ok()) {
    if (answer.status().message().empty()) __builtin_trap();
    return 0;
  }
  if (!nlohmann::json::accept(*answer)) __builtin_trap();
  const auto who = nlohmann::json::parse(actor, nullptr, false);
  if (who.is_object() && who.value("role", "") == "service" && answer->find("13812345678") != std::string::npos) __builtin_trap();
  return 0;
}
