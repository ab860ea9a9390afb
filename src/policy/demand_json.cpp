// SPDX-License-Identifier: Apache-2.0
// Demand JSON (README "Demand JSON") -> crm::Demand. Strict: errors name the field.
#include <cmath>

#include "policy/demand_json.hpp"

#include "core/json_sax.hpp"
#include "core/json_writer.hpp"
#include "policy/fields.hpp"

namespace crm {

namespace {

using nlohmann::json;
using detail::json_error;

// An identifier or name by default (short, no control characters); a free text with max_bytes.
// The field's path is spelled out only for an error: a demand has a dozen fields.
Status read_text(const json& object, const char* path, const char* key, std::string& out,
                 size_t max_bytes = detail::kMaxIdBytes) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return {};
  if (!it->is_string()) return json_error(std::string(path) + "/" + key, "expected a string", *it);
  const std::string& text = it->get_ref<const std::string&>();
  if (text.size() > max_bytes || (max_bytes == detail::kMaxIdBytes && detail::has_control_characters(text)))
    return detail::check_string_value(*it, std::string(path) + "/" + key, max_bytes, max_bytes == detail::kMaxIdBytes);
  out = text;
  return {};
}

Status read_enum(const json& object, const char* path, const char* key, detail::Field field, std::string& out) {
  if (Status s = read_text(object, path, key, out); !s.ok()) return s;
  if (!out.empty() && !detail::is_enum_value(field, out))
    return json_error(std::string(path) + "/" + key,
                      "unknown " + std::string(key) + " (expected " + detail::enum_list(field) + ")", object.at(key));
  return {};
}

bool is_demand_key(std::string_view key, bool stored) {
  for (std::string_view known : {"id", "received_at", "channel", "category", "nature", "urgency", "title", "text",
                                 "department", "owner", "customer", "labels"})
    if (key == known) return true;
  return stored ? key == "policy" || key == "policy_version" || key == "actor" : key == "explain";
}

}  // namespace

Result<Demand> demand_from_json(std::string_view text, bool* explain) {
  detail::DemandExtras extras;
  auto demand = detail::demand_from_json_text(text, false, extras, "demand JSON");
  if (demand.ok() && explain) *explain = extras.explain;
  return demand;
}

namespace detail {

Result<Demand> demand_from_json_value(const json& root, bool stored, DemandExtras& extras) {
  if (!root.is_object()) return json_error("", "a demand is a JSON object", root);
  for (const auto& [key, value] : root.items()) {
    if (is_demand_key(key, stored)) continue;
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
  if (received->is_number_unsigned() && received->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
    return json_error("/received_at", "out of range (UTC epoch seconds fit in 64 signed bits)", *received);
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
      if (key != "id" && key != "owner" && key != "tier" && key != "industry" && key != "size" && key != "annual_spend" &&
          key != "key")
        return json_error("/customer/" + detail::json_pointer_token(key),
                          "unknown key (expected id, owner, tier, industry, size, annual_spend or key)", value);
    for (auto [key, out] : {std::pair{"id", &d.customer.id}, {"owner", &d.customer.owner}, {"tier", &d.customer.tier},
                            {"industry", &d.customer.industry}})
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

namespace {

// nlohmann's SAX events for a demand, straight into the struct. Every answer but the plain one
// (an unknown or repeated key, a wrong type, a value past a limit, nesting a demand does not
// have) stops the parse with false, and the caller takes the DOM path for its error.
bool identifier(const std::string& value) {
  return value.size() <= detail::kMaxIdBytes && !detail::has_control_characters(value);
}
bool enum_value(detail::Field field, const std::string& value) {
  return identifier(value) && (value.empty() || detail::is_enum_value(field, value));
}
// A name the ledger needs when given (policy, policy_version, actor).
bool given_identifier(const std::string& value) { return !value.empty() && identifier(value); }

class DemandReader {
 public:
  explicit DemandReader(bool stored) : stored_(stored) {}

  Demand demand;
  DemandExtras extras;

  bool complete() const { return where_ == Where::done && (root_seen_ & bit(RootKey::received_at)); }

  bool null() {
    if (where_ == Where::root)  // absent, but for these (a stored demand's extras are never null)
      return key_ != RootKey::received_at && key_ != RootKey::explain && key_ != RootKey::policy &&
             key_ != RootKey::policy_version && key_ != RootKey::actor;
    return where_ == Where::customer;  // every customer field may be null; a label may not
  }
  bool boolean(bool value) {
    if (where_ == Where::root && key_ == RootKey::explain) return extras.explain = value, true;
    if (where_ == Where::customer && customer_key_ == CustomerKey::key) return demand.customer.key = value, true;
    return false;
  }
  bool number_integer(int64_t value) {
    if (where_ == Where::root && key_ == RootKey::received_at) return demand.received_at = value, true;
    return spend(static_cast<double>(value));
  }
  bool number_unsigned(uint64_t value) {
    if (where_ == Where::root && key_ == RootKey::received_at)
      return value <= static_cast<uint64_t>(INT64_MAX) && number_integer(static_cast<int64_t>(value));
    return spend(static_cast<double>(value));
  }
  bool number_float(double value, const std::string& /*text*/) { return spend(value); }
  bool string(std::string& value) {
    switch (where_) {
      case Where::root: return root_string(value);
      case Where::customer: return customer_string(value);
      case Where::labels:
        if (value.empty() || value.size() > detail::kMaxShortTextBytes) return false;
        demand.labels.emplace(std::move(label_), std::move(value));
        return true;
      default: return false;
    }
  }
  bool binary(nlohmann::json::binary_t& /*value*/) { return false; }
  bool start_object(std::size_t /*size*/) {
    if (where_ == Where::start) return where_ = Where::root, true;
    if (where_ != Where::root) return false;
    if (key_ == RootKey::customer) return where_ = Where::customer, true;
    if (key_ == RootKey::labels) return where_ = Where::labels, true;
    return false;
  }
  bool end_object() {
    where_ = where_ == Where::root ? Where::done : Where::root;
    return true;
  }
  bool start_array(std::size_t /*size*/) { return false; }
  bool end_array() { return false; }
  bool key(std::string& name) {
    if (where_ == Where::root) return root_key(name);
    if (where_ == Where::customer) return customer_key(name);
    // A label: named, not too long, not repeated, and no more of them than an object may hold.
    if (name.empty() || name.size() > detail::kMaxIdBytes || demand.labels.count(name) ||
        demand.labels.size() >= detail::kMaxContainerItems)
      return false;
    label_ = std::move(name);
    return true;
  }
  bool parse_error(std::size_t /*position*/, const std::string& /*token*/, const nlohmann::detail::exception& /*e*/) {
    return false;
  }

 private:
  enum class Where : uint8_t { start, root, customer, labels, done };
  enum class RootKey : uint8_t {
    id, received_at, channel, category, nature, urgency, title, text, department, owner, customer, labels,
    explain, policy, policy_version, actor, none
  };
  enum class CustomerKey : uint8_t { id, tier, industry, size, annual_spend, key, owner, none };
  static uint32_t bit(RootKey k) { return uint32_t{1} << static_cast<unsigned>(k); }

  bool root_key(const std::string& name) {
    static constexpr std::string_view kNames[] = {"id",      "received_at", "channel", "category",       "nature",
                                                  "urgency", "title",       "text",    "department",     "owner",
                                                  "customer", "labels",     "explain", "policy", "policy_version",
                                                  "actor"};
    for (size_t i = 0; i < std::size(kNames); ++i)
      if (name == kNames[i]) {
        key_ = static_cast<RootKey>(i);
        // A demand to evaluate may ask for the trace; a stored one says under what and by whom.
        if (stored_ ? key_ == RootKey::explain : key_ >= RootKey::policy) return false;
        if (root_seen_ & bit(key_)) return false;
        root_seen_ |= bit(key_);
        return true;
      }
    return false;
  }
  bool customer_key(const std::string& name) {
    static constexpr std::string_view kNames[] = {"id", "tier", "industry", "size", "annual_spend", "key", "owner"};
    for (size_t i = 0; i < std::size(kNames); ++i)
      if (name == kNames[i]) {
        customer_key_ = static_cast<CustomerKey>(i);
        const uint32_t b = uint32_t{1} << i;
        if (customer_seen_ & b) return false;
        customer_seen_ |= b;
        return true;
      }
    return false;
  }
  bool root_string(std::string& value) {
    std::string* out = nullptr;
    bool ok = false;
    switch (key_) {
      case RootKey::id: out = &demand.id, ok = identifier(value); break;
      case RootKey::department: out = &demand.department, ok = identifier(value); break;
      case RootKey::owner: out = &demand.owner, ok = identifier(value); break;
      case RootKey::title: out = &demand.title, ok = value.size() <= detail::kMaxShortTextBytes; break;
      case RootKey::text: out = &demand.text, ok = value.size() <= detail::kMaxStringBytes; break;
      case RootKey::channel: out = &demand.channel, ok = enum_value(detail::Field::channel, value); break;
      case RootKey::category: out = &demand.category, ok = enum_value(detail::Field::category, value); break;
      case RootKey::nature: out = &demand.nature, ok = enum_value(detail::Field::nature, value); break;
      case RootKey::urgency: out = &demand.urgency, ok = enum_value(detail::Field::urgency, value); break;
      case RootKey::policy: out = &extras.policy, ok = given_identifier(value); break;
      case RootKey::policy_version: out = &extras.policy_version, ok = given_identifier(value); break;
      case RootKey::actor: out = &extras.actor, ok = given_identifier(value); break;
      default: return false;
    }
    if (ok) *out = std::move(value);
    return ok;
  }
  bool customer_string(std::string& value) {
    Customer& c = demand.customer;
    std::string* out = nullptr;
    bool ok = false;
    switch (customer_key_) {
      case CustomerKey::id: out = &c.id, ok = identifier(value); break;
      case CustomerKey::owner: out = &c.owner, ok = identifier(value); break;
      case CustomerKey::tier: out = &c.tier, ok = identifier(value); break;
      case CustomerKey::industry: out = &c.industry, ok = identifier(value); break;
      case CustomerKey::size: out = &c.size, ok = enum_value(detail::Field::customer_size, value); break;
      default: return false;
    }
    if (ok) *out = std::move(value);
    return ok;
  }
  bool spend(double value) {
    if (where_ != Where::customer || customer_key_ != CustomerKey::annual_spend) return false;
    if (!std::isfinite(value) || value < 0) return false;
    demand.customer.annual_spend = value;
    return true;
  }

  const bool stored_;
  Where where_ = Where::start;
  RootKey key_ = RootKey::none;
  CustomerKey customer_key_ = CustomerKey::none;
  uint32_t root_seen_ = 0, customer_seen_ = 0;
  std::string label_;
};

}  // namespace

std::optional<Demand> read_demand_directly(std::string_view text, bool stored, DemandExtras& extras) {
  if (text.size() > kMaxDocumentBytes) return std::nullopt;
  auto reader = sax_read(text, [stored] { return DemandReader(stored); });
  if (!reader || !reader->complete()) return std::nullopt;
  extras = std::move(reader->extras);
  return std::move(reader->demand);
}

Result<Demand> demand_from_json_text(std::string_view text, bool stored, DemandExtras& extras, std::string_view what) {
  if (auto demand = read_demand_directly(text, stored, extras)) return std::move(*demand);
  auto parsed = parse_json_strict(text, what);
  if (!parsed.ok()) return std::move(parsed).status();
  extras = {};
  return demand_from_json_value(*parsed, stored, extras);
}

Result<Demand> demand_from_record(const DemandRecord& r, DemandExtras& extras, std::string& document) {
  const std::pair<const char*, const std::string*> texts[] = {
      {"/id", &r.id}, {"/channel", &r.channel}, {"/category", &r.category}, {"/nature", &r.nature},
      {"/urgency", &r.urgency}, {"/title", &r.title}, {"/text", &r.text}, {"/department", &r.department},
      {"/owner", &r.owner}, {"/customer/id", &r.customer_id}, {"/customer/tier", &r.customer_tier},
      {"/customer/industry", &r.customer_industry}, {"/customer/size", &r.customer_size}, {"/policy", &r.policy},
      {"/policy_version", &r.policy_version}, {"/actor", &r.actor}};
  for (const auto& [path, text] : texts)
    if (!is_valid_utf8(*text)) return Status::invalid_argument(std::string(path) + ": not valid UTF-8");
  document.clear();
  JsonWriter w(document);
  w.begin_object().key("id").value(r.id).key("received_at").value(r.received_at);
  const auto field = [&](const char* key, const std::string& value) {
    if (!value.empty()) w.key(key).value(value);
  };
  field("channel", r.channel), field("category", r.category), field("nature", r.nature), field("urgency", r.urgency);
  field("title", r.title), field("text", r.text), field("department", r.department), field("owner", r.owner);
  if (!r.customer_id.empty() || !r.customer_tier.empty() || !r.customer_industry.empty() || !r.customer_size.empty()) {
    w.key("customer").begin_object();
    field("id", r.customer_id), field("tier", r.customer_tier), field("industry", r.customer_industry);
    field("size", r.customer_size);
    w.end_object();
  }
  field("policy", r.policy), field("policy_version", r.policy_version), field("actor", r.actor);
  w.end_object();

  const bool plain = given_identifier(r.id) && identifier(r.department) && identifier(r.owner) &&
                     r.title.size() <= kMaxShortTextBytes && r.text.size() <= kMaxStringBytes &&
                     enum_value(Field::channel, r.channel) && enum_value(Field::category, r.category) &&
                     enum_value(Field::nature, r.nature) && enum_value(Field::urgency, r.urgency) &&
                     identifier(r.customer_id) && identifier(r.customer_tier) && identifier(r.customer_industry) &&
                     enum_value(Field::customer_size, r.customer_size) &&
                     (r.policy.empty() || given_identifier(r.policy)) &&
                     (r.policy_version.empty() || given_identifier(r.policy_version)) &&
                     (r.actor.empty() || given_identifier(r.actor));
  if (!plain) return demand_from_json_text(document, true, extras, "demand record");
  Demand d;
  d.id = r.id, d.received_at = r.received_at;
  d.channel = r.channel, d.category = r.category, d.nature = r.nature, d.urgency = r.urgency;
  d.title = r.title, d.text = r.text, d.department = r.department, d.owner = r.owner;
  d.customer.id = r.customer_id, d.customer.tier = r.customer_tier, d.customer.industry = r.customer_industry;
  d.customer.size = r.customer_size;
  extras = {};
  extras.policy = r.policy, extras.policy_version = r.policy_version, extras.actor = r.actor;
  return d;
}

}  // namespace detail

}  // namespace crm
