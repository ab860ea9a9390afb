// SPDX-License-Identifier: Apache-2.0
// Fuzzes crm_db_open_with's options parser: refused with a message naming no secret, or accepted
// with a well-formed key and bounded timeout.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "crmpolicy/database.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto options = crm::DatabaseOptions::from_json(text);
  if (!options.ok()) {
    if (options.status().message().empty()) __builtin_trap();
    return 0;
  }
  const std::string& key = options->encryption_key;
  if (!key.empty() && (key.size() != 64 || key.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)) __builtin_trap();
  if (options->busy_timeout_ms < 0 || options->busy_timeout_ms > 600000) __builtin_trap();
  return 0;
}
