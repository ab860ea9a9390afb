// SPDX-License-Identifier: Apache-2.0
#include "policy/condition.hpp"

#include <algorithm>

#include "core/json_util.hpp"

namespace crm::detail {

namespace {

using nlohmann::json;

const std::string kEmpty;

const std::string& text_of(const ConditionContext& c, const FieldRef& f) {
  const Demand& d = c.demand;
  switch (f.field) {
    case Field::id: return d.id;
    case Field::channel: return d.channel;
    case Field::category: return *c.category;
    case Field::nature: return *c.nature;
    case Field::urgency: return *c.urgency;
    case Field::title: return d.title;
    case Field::text: return d.text;
    case Field::department: return d.department;
    case Field::owner: return d.owner;
    case Field::customer_id: return d.customer.id;
    case Field::customer_tier: return d.customer.tier;
    case Field::customer_owner: return d.customer.owner;
    case Field::customer_industry: return d.customer.industry;
    case Field::customer_size: return d.customer.size;
    case Field::customer_key: {
      static const std::string kTrue = "true", kFalse = "false";
      return c.customer_key ? kTrue : kFalse;
    }
    case Field::label: {
      const auto it = c.labels.find(f.label);
      return it == c.labels.end() ? kEmpty : it->second.value;
    }
    default: return kEmpty;
  }
}

bool number_of(const ConditionContext& c, Field f, double& out) {
  if (f == Field::received_at) {
    out = static_cast<double>(c.demand.received_at);
    return true;
  }
  if (f == Field::customer_annual_spend && c.demand.customer.annual_spend) {
    out = *c.demand.customer.annual_spend;
    return true;
  }
  return false;
}

struct OpName {
  const char* name;
  Condition::Op op;
};
constexpr OpName kFieldOps[] = {{"eq", Condition::Op::eq},         {"ne", Condition::Op::ne},
                                {"in", Condition::Op::in},         {"not_in", Condition::Op::not_in},
                                {"gt", Condition::Op::gt},         {"gte", Condition::Op::gte},
                                {"lt", Condition::Op::lt},         {"lte", Condition::Op::lte}};

}  // namespace

Result<Condition> Condition::parse(const json& value, const std::string& path, KeywordMatcher& keywords) {
  const std::string where = path.empty() ? "/" : path;
  if (!value.is_object() || value.empty())
    return json_error(where, "a condition is an object such as {\"field\": \"channel\", \"eq\": \"complaint\"}", value);
  Condition c;
  const auto children = [&](const char* key) -> Status {
    const json& list = value.at(key);
    const std::string p = path + "/" + key;
    if (!list.is_array() || list.empty()) return json_error(p, "expected a non-empty array of conditions", list);
    for (size_t i = 0; i < list.size(); ++i) {
      auto child = parse(list[i], p + "/" + std::to_string(i), keywords);
      if (!child.ok()) return std::move(child).status();
      c.children_.push_back(std::move(*child));
    }
    return {};
  };
  const auto only_key = [&](const char* key) -> Status {
    if (value.size() != 1)
      return json_error(where, std::string("\"") + key + "\" stands alone in its condition object", value);
    return {};
  };

  if (value.contains("all") || value.contains("any")) {
    const char* key = value.contains("all") ? "all" : "any";
    if (Status s = only_key(key); !s.ok()) return s;
    c.op_ = value.contains("all") ? Op::all : Op::any;
    if (Status s = children(key); !s.ok()) return s;
    return c;
  }
  if (value.contains("not")) {
    if (Status s = only_key("not"); !s.ok()) return s;
    auto child = parse(value.at("not"), path + "/not", keywords);
    if (!child.ok()) return std::move(child).status();
    c.op_ = Op::negate;
    c.children_.push_back(std::move(*child));
    return c;
  }
  if (value.contains("text_any") || value.contains("text_all") || value.contains("text_none")) {
    const char* key = value.contains("text_any") ? "text_any" : value.contains("text_all") ? "text_all" : "text_none";
    // "match": "word" (the default: Latin keywords match whole words) or "substring".
    bool substring = false;
    for (const auto& [k, v] : value.items()) {
      if (k == key) continue;
      if (k != "match")
        return json_error(path + "/" + json_pointer_token(k),
                          std::string("unknown key beside \"") + key + "\" (expected match)", v);
      if (!v.is_string() || (v != "word" && v != "substring"))
        return json_error(path + "/match", "expected word or substring", v);
      substring = v == "substring";
    }
    c.op_ = value.contains("text_any") ? Op::text_any : value.contains("text_all") ? Op::text_all : Op::text_none;
    const json& list = value.at(key);
    const std::string p = path + "/" + key;
    if (!list.is_array() || list.empty()) return json_error(p, "expected a non-empty array of keywords", list);
    for (size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_string() || list[i].get_ref<const std::string&>().empty())
        return json_error(p + "/" + std::to_string(i), "a keyword is a non-empty string", list[i]);
      auto id = keywords.add(list[i].get_ref<const std::string&>(), substring);
      if (!id.ok()) return std::move(id).status();
      c.keywords_.push_back(*id);
    }
    std::sort(c.keywords_.begin(), c.keywords_.end());
    c.keywords_.erase(std::unique(c.keywords_.begin(), c.keywords_.end()), c.keywords_.end());
    return c;
  }
  if (!value.contains("field"))
    return json_error(where, "unknown condition (expected field, text_any, text_all, text_none, all, any or not)", value);

  const json& field = value.at("field");
  if (!field.is_string()) return json_error(path + "/field", "expected a field name such as \"customer.tier\"", field);
  auto ref = parse_field(field.get_ref<const std::string&>());
  if (!ref)
    return json_error(path + "/field",
                      "unknown field (expected id, received_at, channel, category, nature, urgency, title, text, "
                      "department, owner, customer.id, customer.tier, customer.industry, customer.size, customer.key, "
                      "customer.annual_spend or labels.<name>)",
                      field);
  c.field_ = *ref;
  if (value.size() != 2)
    return json_error(where, "a field test has \"field\" and exactly one of eq, ne, in, not_in, gt, gte, lt, lte",
                      value);
  std::string op_key;
  for (const auto& [key, v] : value.items())
    if (key != "field") op_key = key;
  const OpName* op = nullptr;
  for (const OpName& o : kFieldOps)
    if (op_key == o.name) op = &o;
  const std::string op_path = path + "/" + json_pointer_token(op_key);
  if (!op) return json_error(op_path, "unknown operator (expected eq, ne, in, not_in, gt, gte, lt or lte)", value[op_key]);
  c.op_ = op->op;
  const json& operand = value.at(op_key);
  const FieldType type = field_type(c.field_.field);

  if (c.op_ == Op::gt || c.op_ == Op::gte || c.op_ == Op::lt || c.op_ == Op::lte) {
    if (type != FieldType::number)
      return json_error(op_path, "ordering needs a numeric field (received_at, customer.annual_spend)", operand);
    if (!operand.is_number()) return json_error(op_path, "expected a number", operand);
    c.number_ = operand.get<double>();
    return c;
  }
  const bool list = c.op_ == Op::in || c.op_ == Op::not_in;
  if (list && (!operand.is_array() || operand.empty())) return json_error(op_path, "expected a non-empty array", operand);
  const json items = list ? operand : json::array({operand});
  for (size_t i = 0; i < items.size(); ++i) {
    const json& item = items[i];
    const std::string item_path = list ? op_path + "/" + std::to_string(i) : op_path;
    if (type == FieldType::number) {
      if (!item.is_number()) return json_error(item_path, "expected a number", item);
      if (!list) c.number_ = item.get<double>();
      c.values_.push_back(item.dump());
      continue;
    }
    if (c.field_.field == Field::customer_key) {
      if (!item.is_boolean()) return json_error(item_path, "expected true or false", item);
      c.values_.push_back(item.get<bool>() ? "true" : "false");
      continue;
    }
    if (!item.is_string()) return json_error(item_path, "expected a string", item);
    const std::string& s = item.get_ref<const std::string&>();
    if (type == FieldType::enumerated && !is_enum_value(c.field_.field, s))
      return json_error(item_path, "unknown " + std::string(field.get_ref<const std::string&>()) + " (expected " +
                                       enum_list(c.field_.field) + ")",
                        item);
    c.values_.push_back(s);
  }
  if (type == FieldType::number && list) return json_error(op_path, "in / not_in take text fields", operand);
  std::sort(c.values_.begin(), c.values_.end());  // membership by binary search, subsets in one merge
  c.values_.erase(std::unique(c.values_.begin(), c.values_.end()), c.values_.end());
  return c;
}

bool Condition::test_field(const ConditionContext& context) const {
  if (field_type(field_.field) == FieldType::number) {
    double v = 0;
    if (!number_of(context, field_.field, v)) return op_ == Op::ne;  // a missing number equals nothing
    switch (op_) {
      case Op::eq: return v == number_;
      case Op::ne: return v != number_;
      case Op::gt: return v > number_;
      case Op::gte: return v >= number_;
      case Op::lt: return v < number_;
      case Op::lte: return v <= number_;
      default: return false;
    }
  }
  const std::string& v = text_of(context, field_);
  const bool member = std::binary_search(values_.begin(), values_.end(), v);
  return (op_ == Op::eq || op_ == Op::in) ? member : !member;
}

bool Condition::test(const ConditionContext& context) const {
  switch (op_) {
    case Op::always: return true;
    case Op::all:
      for (const Condition& c : children_)
        if (!c.test(context)) return false;
      return true;
    case Op::any:
      for (const Condition& c : children_)
        if (c.test(context)) return true;
      return false;
    case Op::negate: return !children_[0].test(context);
    case Op::text_any:
      for (uint32_t k : keywords_)
        if (context.keyword_hits[k / 64] >> (k % 64) & 1) return true;
      return false;
    case Op::text_all:
      for (uint32_t k : keywords_)
        if (!(context.keyword_hits[k / 64] >> (k % 64) & 1)) return false;
      return true;
    case Op::text_none:  // none of the keywords: excludes texts ("不紧急" from an urgent rule)
      for (uint32_t k : keywords_)
        if (context.keyword_hits[k / 64] >> (k % 64) & 1) return false;
      return true;
    default: return test_field(context);
  }
}

bool Condition::uses_field(Field field) const {
  const bool field_test = op_ >= Op::eq && op_ <= Op::lte;
  if (field_test && field_.field == field) return true;
  for (const Condition& c : children_)
    if (c.uses_field(field)) return true;
  return false;
}

bool Condition::uses_text() const {
  if (op_ == Op::text_any || op_ == Op::text_all || op_ == Op::text_none) return true;
  for (const Condition& c : children_)
    if (c.uses_text()) return true;
  return false;
}

namespace {
// Some keyword of `ids` (sorted) is matched whenever keyword `found` is. The same keyword is found
// by binary search; containment costs one unit of `budget` per pair, so long keyword lists cannot
// make the analysis quadratic without bound.
bool implies_any(uint32_t found, const std::vector<uint32_t>& ids, const KeywordMatcher& keywords, size_t& budget) {
  if (std::binary_search(ids.begin(), ids.end(), found)) return true;
  for (uint32_t id : ids) {
    if (budget == 0) return false;
    --budget;
    if (keywords.implies(found, id)) return true;
  }
  return false;
}
}  // namespace

bool Condition::implied_by(const Condition& other, const KeywordMatcher& keywords, size_t& budget) const {
  if (budget == 0) return false;
  --budget;
  if (op_ == Op::always) return true;
  // other = A and B and ...: implies this when any conjunct does.
  if (other.op_ == Op::all)
    for (const Condition& c : other.children_)
      if (implied_by(c, keywords, budget)) return true;
  // this = A or B or ...: implied when any disjunct is.
  if (op_ == Op::any)
    for (const Condition& c : children_)
      if (c.implied_by(other, keywords, budget)) return true;
  // this = A and B: implied when every conjunct is.
  if (op_ == Op::all) {
    for (const Condition& c : children_)
      if (!c.implied_by(other, keywords, budget)) return false;
    return true;
  }
  // other = A or B: implies this when every disjunct does.
  if (other.op_ == Op::any) {
    bool every = true;
    for (const Condition& c : other.children_) every = every && implied_by(c, keywords, budget);
    if (every) return true;
  }
  const bool same_field = field_.field == other.field_.field && field_.label == other.field_.label;
  const auto subset = [](const std::vector<std::string>& small, const std::vector<std::string>& big) {
    return std::includes(big.begin(), big.end(), small.begin(), small.end());
  };
  switch (op_) {
    case Op::eq:
    case Op::in:
      return same_field && (other.op_ == Op::eq || other.op_ == Op::in) && subset(other.values_, values_);
    case Op::ne:
    case Op::not_in:
      return same_field && (other.op_ == Op::ne || other.op_ == Op::not_in) && subset(values_, other.values_);
    case Op::gt: return same_field && ((other.op_ == Op::gt && other.number_ >= number_) || (other.op_ == Op::gte && other.number_ > number_));
    case Op::gte: return same_field && (other.op_ == Op::gt || other.op_ == Op::gte) && other.number_ >= number_;
    case Op::lt: return same_field && ((other.op_ == Op::lt && other.number_ <= number_) || (other.op_ == Op::lte && other.number_ < number_));
    case Op::lte: return same_field && (other.op_ == Op::lt || other.op_ == Op::lte) && other.number_ <= number_;
    // A text matching keyword k' also matches k when k' contains k (停机了 contains 停机), where
    // k's word boundaries allow (KeywordMatcher::implies).
    case Op::text_any:  // other matches some keyword of ours: each of its own does, or one of all of its own
      if (other.op_ == Op::text_any) {
        for (uint32_t k : other.keywords_)
          if (!implies_any(k, keywords_, keywords, budget)) return false;
        return true;
      }
      if (other.op_ == Op::text_all)
        for (uint32_t k : other.keywords_)
          if (implies_any(k, keywords_, keywords, budget)) return true;
      return false;
    case Op::text_all:  // each of ours is matched by one of other's, all present
      if (other.op_ != Op::text_all) return false;
      for (uint32_t k : keywords_) {
        bool found = std::binary_search(other.keywords_.begin(), other.keywords_.end(), k);
        for (size_t i = 0; !found && i < other.keywords_.size() && budget > 0; ++i, --budget)
          found = keywords.implies(other.keywords_[i], k);
        if (!found) return false;
      }
      return true;
    case Op::text_none:  // other excludes texts matching any of its keywords; each of ours implies one of them
      if (other.op_ != Op::text_none) return false;
      for (uint32_t k : keywords_)
        if (!implies_any(k, other.keywords_, keywords, budget)) return false;
      return true;
    case Op::negate:
      return other.op_ == Op::negate && other.children_[0].implied_by(children_[0], keywords, budget);
    default: return false;
  }
}

}  // namespace crm::detail
