// SPDX-License-Identifier: Apache-2.0
// Field-by-field equality of two demands, for the tests and the fuzzer comparing the two readers.
#pragma once

#include "crmpolicy/policy.hpp"

namespace crm::test {

inline bool same_demand(const Demand& a, const Demand& b) {
  const Customer &x = a.customer, &y = b.customer;
  return a.id == b.id && a.received_at == b.received_at && a.channel == b.channel && a.category == b.category &&
         a.nature == b.nature && a.urgency == b.urgency && a.title == b.title && a.text == b.text &&
         a.department == b.department && a.owner == b.owner && a.labels == b.labels && x.id == y.id &&
         x.tier == y.tier && x.industry == y.industry && x.size == y.size && x.annual_spend == y.annual_spend &&
         x.key == y.key;
}

}  // namespace crm::test
