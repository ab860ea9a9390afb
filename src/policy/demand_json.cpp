// SPDX-License-Identifier: Apache-2.0
// Demand JSON (README "Demand JSON") -> crm::Demand. Strict: errors name the field.
#include <cmath>
#include <set>

#include "policy/demand_json.hpp"

#include "policy/fields.hpp"

namespace crm {

namespace {

using nlohmann::json;
using detail::json_error;

// An identifier or name by default (short, no control characters); a free text with max_bytes.
Status read_text(const json& object, const std::string& path, const char* key, std::string& out,
                 size_t max_bytes = detail::kMaxIdBytes) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return {};
  if (!it->is_string()) return json_error(path + "/" + key, "expected a string", *it);
  if (Status s = detail::check_string_value(*it, path + "/" + key, max_bytes, max_bytes == detail::kMaxIdBytes); !s.ok())
    return s;
  out = it->get<std::string>();
  return {};
}

Status read_enum(const json& object, const std::string& path, const char* key, detail::Field field, std::string& out) {
  if (Status s = read_text(object, path, key, out); !s.ok()) return s;
  if (!out.empty() && !detail::is_enum_value(field, out))
    return json_error(path + "/" + key, "unknown " + std::string(key) + " (expected " + detail::enum_list(field) + ")",
                      object.at(key));
  return {};
}

}  // namespace

Result<Demand> demand_from_json(std::string_view text, bool* explain) {
  auto parsed = detail::parse_json_strict(text, "demand JSON");
  if (!parsed.ok()) return std::move(parsed).status();
  detail::DemandExtras extras;
  auto demand = detail::demand_from_json_value(*parsed, false, extras);
  if (demand.ok() && explain) *explain = extras.explain;
  return demand;
}

namespace detail {

Result<Demand> demand_from_json_value(const json& root, bool stored, DemandExtras& extras) {
  if (!root.is_object()) return json_error("", "a demand is a JSON object", root);
  static const std::set<std::string> kKeys = {"id", "received_at", "channel", "category", "nature", "urgency", "title",
                                              "text", "department", "owner", "customer", "labels"};
  for (const auto& [key, value] : root.items()) {
    if (kKeys.count(key) || (stored ? key == "policy" || key == "policy_version" || key == "actor" : key == "explain")) continue;
    return json_error("/" + detail::json_pointer_token(key),
                      std::string("unknown key (expected id, received_at, channel, category, nature, urgency, title, "
                                  "text, department, owner, customer, labels or ") +
                          (stored ? "policy, policy_version, actor)" : "explain)"),
                      value);
  }
  Demand d;
  const auto received = root.find("received_at");
  if (received == root.end()) return json_error("/received_at", "missing: UTC epoch seconds are required", root);
  if (!received->is_number_integer()) return json_error("/received_at", "expected whole UTC epoch seconds", *received);
  d.received_at = received->get<int64_t>();

  for (auto [key, out] : {std::pair{"id", &d.id}, {"department", &d.department}, {"owner", &d.owner}})
    if (Status s = read_text(root, "", key, *out); !s.ok()) return s;
  if (Status s = read_text(root, "", "title", d.title, detail::kMaxShortTextBytes); !s.ok()) return s;
  if (Status s = read_text(root, "", "text", d.text, detail::kMaxStringBytes); !s.ok()) return s;
  if (Status s = read_enum(root, "", "channel", detail::Field::channel, d.channel); !s.ok()) return s;
  if (Status s = read_enum(root, "", "category", detail::Field::category, d.category); !s.ok()) return s;
  if (Status s = read_enum(root, "", "nature", detail::Field::nature, d.nature); !s.ok()) return s;
  if (Status s = read_enum(root, "", "urgency", detail::Field::urgency, d.urgency); !s.ok()) return s;

  if (const auto c = root.find("customer"); c != root.end() && !c->is_null()) {
    if (!c->is_object()) return json_error("/customer", "expected an object", *c);
    for (const auto& [key, value] : c->items())
      if (key != "id" && key != "tier" && key != "industry" && key != "size" && key != "annual_spend" && key != "key")
        return json_error("/customer/" + detail::json_pointer_token(key),
                          "unknown key (expected id, tier, industry, size, annual_spend or key)", value);
    for (auto [key, out] : {std::pair{"id", &d.customer.id}, {"tier", &d.customer.tier}, {"industry", &d.customer.industry}})
      if (Status s = read_text(*c, "/customer", key, *out); !s.ok()) return s;
    if (Status s = read_enum(*c, "/customer", "size", detail::Field::customer_size, d.customer.size); !s.ok()) return s;
    if (const auto spend = c->find("annual_spend"); spend != c->end() && !spend->is_null()) {
      if (!spend->is_number() || !std::isfinite(spend->get<double>()) || spend->get<double>() < 0)
        return json_error("/customer/annual_spend", "expected a non-negative number", *spend);
      d.customer.annual_spend = spend->get<double>();
    }
    if (const auto key = c->find("key"); key != c->end() && !key->is_null()) {
      if (!key->is_boolean()) return json_error("/customer/key", "expected true or false", *key);
      d.customer.key = key->get<bool>();
    }
  }
  if (const auto labels = root.find("labels"); labels != root.end() && !labels->is_null()) {
    if (!labels->is_object()) return json_error("/labels", "expected an object of label names to values", *labels);
    for (const auto& [key, value] : labels->items()) {
      const std::string path = "/labels/" + detail::json_pointer_token(key);
      if (key.empty() || !value.is_string() || value.get_ref<const std::string&>().empty())
        return json_error(path, "a label is a non-empty string", value);
      if (key.size() > detail::kMaxIdBytes)
        return json_error(path, "a label's name is at most " + std::to_string(detail::kMaxIdBytes) + " bytes", value);
      if (Status s = detail::check_string_value(value, path, detail::kMaxShortTextBytes, false); !s.ok()) return s;
      d.labels.emplace_hint(d.labels.end(), key, value.get<std::string>());  // keys arrive sorted
    }
  }
  if (const auto e = root.find("explain"); e != root.end()) {
    if (!e->is_boolean()) return json_error("/explain", "expected true or false", *e);
    extras.explain = e->get<bool>();
  }
  for (auto [key, out] : {std::pair{"policy", &extras.policy}, {"policy_version", &extras.policy_version},
                           {"actor", &extras.actor}}) {
    if (Status s = read_text(root, "", key, *out); !s.ok()) return s;
    if (root.contains(key) && out->empty()) return json_error(std::string("/") + key, "expected a non-empty string", root.at(key));
  }
  return d;
}

}  // namespace detail

}  // namespace crm
