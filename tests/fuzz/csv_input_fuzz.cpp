// SPDX-License-Identifier: Apache-2.0
// Fuzzes crmctl's CSV reader (examples/crmctl/csv_input.cpp) with the times its cells may hold:
// refused with a message naming the file, or one demand JSON line per record, each valid JSON.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "csv_input.hpp"

namespace {

const crm::Calendar& calendar() {
  static const crm::Calendar* cal = [] {
    std::ifstream in(CRMPOLICY_DATA_DIR "/calendars/cn-office.json");
    std::stringstream text;
    text << in.rdbuf();
    auto built = crm::Calendar::from_json(text.str());
    if (!built.ok()) __builtin_trap();
    return new crm::Calendar(std::move(*built));
  }();
  return *cal;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto lines = crmctl::csv_to_demand_lines(text, "in.csv", calendar());
  if (!lines.ok()) {
    if (lines.status().message().rfind("in.csv", 0) != 0) __builtin_trap();
    return 0;
  }
  if (lines->lines.size() != lines->source_line.size()) __builtin_trap();
  for (size_t i = 0; i < lines->lines.size(); ++i) {
    if (!nlohmann::json::accept(lines->lines[i])) __builtin_trap();
    if (i > 0 && lines->source_line[i] <= lines->source_line[i - 1]) __builtin_trap();
  }
  return 0;
}
