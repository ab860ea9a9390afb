// SPDX-License-Identifier: Apache-2.0
// Fuzzes the demand parser and evaluation of whatever it accepts under the sample policy, and
// checks that the direct reader (no DOM) and the DOM reader agree on every input, and that a typed
// demand record is read as its JSON is.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string_view>
#include <algorithm>
#include <iterator>

#include "crmpolicy/policy.hpp"
#include "crmpolicy/records.hpp"
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

// A typed record (crm::DemandRecord) and its JSON must be read alike: the record's fields are taken
// from the input split at 0x1f (the typed import's check against the DOM reader's).
void check_record(std::string_view text) {
  crm::DemandRecord r;
  std::string* fields[] = {&r.id, &r.channel, &r.category, &r.nature, &r.urgency, &r.title, &r.text,
                           &r.department, &r.owner, &r.customer_id, &r.customer_tier, &r.customer_industry,
                           &r.customer_size, &r.policy, &r.policy_version, &r.actor};
  size_t k = 0;
  for (size_t from = 0; from <= text.size() && k < std::size(fields); ++k) {
    const size_t end = std::min(text.find('\x1f', from), text.size());
    *fields[k] = std::string(text.substr(from, end - from));
    from = end + 1;
  }
  r.received_at = static_cast<int64_t>(text.size()) * 86400;
  crm::detail::DemandExtras extras, json_extras;
  std::string document;
  auto typed = crm::detail::demand_from_record(r, extras, document);
  if (!typed.ok()) {
    if (typed.status().message().empty()) __builtin_trap();
    return;
  }
  auto read = crm::detail::demand_from_json_text(document, true, json_extras, "record");
  if (!read.ok() || !crm::test::same_demand(*typed, *read) || extras.policy != json_extras.policy ||
      extras.policy_version != json_extras.policy_version || extras.actor != json_extras.actor)
    __builtin_trap();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_record(text);
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
