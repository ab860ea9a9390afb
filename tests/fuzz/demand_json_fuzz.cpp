// SPDX-License-Identifier: Apache-2.0
// Fuzzes the demand parser and evaluation of whatever it accepts under the sample policy, and
// checks that the direct reader (no DOM) and the DOM reader agree on every input.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string_view>

#include "crmpolicy/policy.hpp"
#include "demand_equal.hpp"
#include "policy/demand_json.hpp"

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
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = crm::detail::parse_json_strict(text, "demand JSON");
  for (const bool stored : {false, true}) {
    crm::detail::DemandExtras direct_extras, extras;
    const auto direct = crm::detail::read_demand_directly(text, stored, direct_extras);
    if (parsed.ok()) {
      auto dom = crm::detail::demand_from_json_value(*parsed, stored, extras);
      if (direct.has_value() != dom.ok()) __builtin_trap();
      if (direct && (!crm::test::same_demand(*direct, *dom) || direct_extras.explain != extras.explain ||
                     direct_extras.policy != extras.policy || direct_extras.policy_version != extras.policy_version ||
                     direct_extras.actor != extras.actor))
        __builtin_trap();
    } else if (direct) {
      __builtin_trap();
    }
  }
  bool explain = false;
  auto demand = crm::demand_from_json(text, &explain);
  if (!demand.ok()) {
    if (demand.status().message().empty()) __builtin_trap();
    return 0;
  }
  auto e = sample().evaluate(*demand, explain);
  if (e.ok()) (void)crm::to_json(*e);
  return 0;
}
