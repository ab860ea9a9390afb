// SPDX-License-Identifier: Apache-2.0
// Fuzzes the policy parser and, when a policy loads, evaluation of a few demands under it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "crmpolicy/policy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto policy = crm::Policy::from_json(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!policy.ok()) {
    if (policy.status().message().empty()) __builtin_trap();
    return 0;
  }
  crm::Demand d;
  d.id = "fuzz";
  d.title = "设备停机 outage";
  d.text = "价格 key urgent 投诉";
  d.channel = "complaint";
  d.customer.tier = "key";
  d.customer.annual_spend = 1234567;
  for (int64_t t : {int64_t{1759219200}, int64_t{0}, int64_t{4102444800}}) {
    d.received_at = t;
    auto e = policy->evaluate(d, true);
    if (e.ok()) (void)crm::to_json(*e);
  }
  return 0;
}
