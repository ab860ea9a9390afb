// SPDX-License-Identifier: Apache-2.0
// Fuzzes the change feed's parsers: with the first byte odd, the rest is a feed query (cursor
// included) asked of a small database: refused with a message or answered with valid JSON; with it
// even, the rest is a change log row's blob, which may have been altered on disk: decoding never
// reads out of bounds and either fails or gives changes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "crmpolicy/database.hpp"
#include "small_database.hpp"
#include "store/change_log.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] & 1) {
    auto page = crm::fuzz::small_database().changes(rest);
    if (page.ok() && !nlohmann::json::accept(*page)) __builtin_trap();
    if (!page.ok() && page.status().message().empty()) __builtin_trap();
    return 0;
  }
  std::vector<crm::detail::LoggedSubject> demands;
  if (crm::detail::decode_changes(rest, demands) && demands.empty()) __builtin_trap();
  return 0;
}
