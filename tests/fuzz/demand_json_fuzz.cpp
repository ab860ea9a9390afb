// SPDX-License-Identifier: Apache-2.0
// Fuzzes the demand parser and evaluation of whatever it accepts under the sample policy.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string_view>

#include "crmpolicy/policy.hpp"

namespace {
const crm::Policy& sample() {
  static const crm::Policy policy = [] {
    std::ifstream in(CRMPOLICY_DATA_DIR "/policies/demand-management.json");
    std::stringstream text;
    text << in.rdbuf();
    auto p = crm::Policy::from_json(text.str());
    if (!p.ok()) __builtin_trap();
    return *p;
  }();
  return policy;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  bool explain = false;
  auto demand = crm::demand_from_json(std::string_view(reinterpret_cast<const char*>(data), size), &explain);
  if (!demand.ok()) {
    if (demand.status().message().empty()) __builtin_trap();
    return 0;
  }
  auto e = sample().evaluate(*demand, explain);
  if (e.ok()) (void)crm::to_json(*e);
  return 0;
}
