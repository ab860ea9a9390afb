// SPDX-License-Identifier: Apache-2.0
// Rule and target conditions: field tests, keyword tests and their combinations.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crmpolicy/policy.hpp"
#include "policy/fields.hpp"
#include "policy/keyword_matcher.hpp"

namespace crm::detail {

// What a condition looks at: the demand, the classification so far (pointers, so rules can
// advance it without copying strings) and the keyword hits.
struct ConditionContext {
  const Demand& demand;
  const std::string* urgency;
  const std::string* category;
  const std::string* nature;
  const std::map<std::string, Attribute>& labels;
  const uint64_t* keyword_hits;  // bit per keyword id
  bool customer_key = false;     // Customer::key, else the policy tier's key flag
};

class Condition {
 public:
  enum class Op : uint8_t { always, eq, ne, in, not_in, gt, gte, lt, lte, text_any, text_all, text_none, all, any, negate };

  // Parses `value` found at `path`; keywords are registered in `keywords`.
  static Result<Condition> parse(const nlohmann::json& value, const std::string& path, KeywordMatcher& keywords);
  static Condition always() { return Condition(); }

  bool test(const ConditionContext& context) const;
  bool uses_text() const;
  bool uses_field(Field field) const;
  // True when this condition holds whenever `other` does, judged structurally (so a false
  // answer means "not shown", not "disproved").
  // Each step spends one unit of `budget`; at zero the answer is false, so a policy of deeply
  // nested all/any cannot make the analysis exponential.
  bool implied_by(const Condition& other, const KeywordMatcher& keywords, size_t& budget) const;
  bool is_always() const { return op_ == Op::always; }

 private:
  bool test_field(const ConditionContext& context) const;

  Op op_ = Op::always;
  FieldRef field_{Field::id, {}};
  std::vector<std::string> values_;  // eq / ne / in / not_in, sorted and distinct (numbers as canonical text too)
  double number_ = 0;                // gt / gte / lt / lte, eq / ne on numbers
  std::vector<uint32_t> keywords_;   // text_any / text_all
  std::vector<Condition> children_;  // all / any / not
};

}  // namespace crm::detail
