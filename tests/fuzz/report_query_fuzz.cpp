// SPDX-License-Identifier: Apache-2.0
// Fuzzes the report query parser and what it drives (periods, dimensions, filters, formats),
// asked of a small database: refused with a message, or an answer (valid JSON when it is JSON).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "small_database.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view query(reinterpret_cast<const char*>(data), size);
  auto report = crm::fuzz::small_database().report(query);
  if (!report.ok()) {
    if (report.status().message().empty()) __builtin_trap();
    return 0;
  }
  if (report->empty()) __builtin_trap();
  if ((*report)[0] == '{' && !nlohmann::json::accept(*report)) __builtin_trap();
  return 0;
}
