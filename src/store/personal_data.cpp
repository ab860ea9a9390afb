// SPDX-License-Identifier: Apache-2.0
#include "store/personal_data.hpp"

#include <algorithm>
#include <cctype>

#include "core/hex_text.hpp"
#include "core/json_util.hpp"
#include "policy/personal_fields.hpp"

namespace crm::detail {

namespace {

using nlohmann::json;

constexpr const char* kSealed = "$sealed";

std::string associated(std::string_view where, const std::string& field, int64_t key_id) {
  std::string out = "crmpolicy personal v1|";
  out.append(where).append("|").append(field).append("|").append(std::to_string(key_id));
  return out;
}

const SecretKey* key_with_id(const DataKeys& keys, int64_t id) {
  for (const auto& [kid, key] : keys)
    if (kid == id) return &key;
  return nullptr;
}

json contact_document(const std::string& name, const std::string& phone, const std::string& email) {
  json contact = json::object();
  if (!name.empty()) contact["name"] = name;
  if (!phone.empty()) contact["phone"] = phone;
  if (!email.empty()) contact["email"] = email;
  return json{{"contacts", json::array({std::move(contact)})}};
}

std::string contact_where(std::string_view customer_id) { return "customer/" + std::string(customer_id) + "#contact"; }

std::string normalised(std::string_view field, std::string_view value) {
  std::string out;
  if (field == "phone") {
    for (const char c : value)
      if (c >= '0' && c <= '9') out += c;
    for (const char* prefix : {"0086", "86"})
      if (out.size() == 11 + std::char_traits<char>::length(prefix) && out.rfind(prefix, 0) == 0 && out[out.size() - 11] == '1') {
        out.erase(0, std::char_traits<char>::length(prefix));
        break;
      }
    return out;
  }
  size_t begin = 0, end = value.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(value[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(value[end - 1]))) --end;
  for (size_t i = begin; i < end; ++i) out += static_cast<char>(std::tolower(static_cast<unsigned char>(value[i])));
  return out;
}

std::optional<SecretKey> lookup_key(const DataKeys& keys) {
  if (keys.empty()) return std::nullopt;
  const auto derived = blake2b_256("crmpolicy personal lookup v1", &keys.front().second);
  return SecretKey::from_bytes(std::string_view(reinterpret_cast<const char*>(derived.data()), derived.size()));
}

std::string lookup_hash(const std::optional<SecretKey>& key, std::string_view field, const std::string& value) {
  const std::string message = std::string(field) + "|" + value;
  const auto hash = blake2b_256(message, key ? &*key : nullptr);
  return to_hex(std::string_view(reinterpret_cast<const char*>(hash.data()), hash.size()));
}

// Each (field, hash) of the document's contacts, once.
std::vector<std::pair<std::string, std::string>> lookups(const DataKeys& keys, const json& document) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto contacts = document.find("contacts");
  if (contacts == document.end() || !contacts->is_array()) return out;
  const auto key = lookup_key(keys);
  for (const json& contact : *contacts) {
    if (!contact.is_object()) continue;
    for (const char* field : {"phone", "email"}) {
      const auto v = contact.find(field);
      if (v == contact.end() || !v->is_string()) continue;
      const std::string value = normalised(field, v->get_ref<const std::string&>());
      if (value.empty()) continue;
      std::pair<std::string, std::string> row{std::string("customer.") + field, lookup_hash(key, field, value)};
      if (std::find(out.begin(), out.end(), row) == out.end()) out.push_back(std::move(row));
    }
  }
  return out;
}

Status insert_lookups(DatabaseImpl& d, std::string_view customer_id, const json& document, const DataKeys& keys) {
  for (const auto& [field, hash] : lookups(keys, document)) {
    Use use(d.insert_lookup_);
    use->bind_text(1, field);
    use->bind_text(2, hash);
    use->bind_text(3, customer_id);
    if (use->step() != Step::done) return d.error("writing the lookups of customer \"" + std::string(customer_id) + "\"");
  }
  return {};
}

}  // namespace

Status may_store_personal_data(const HeldKeys& keys, const json& document, std::string_view what) {
  if (!keys.keyring || !keys.data.empty()) return {};
  bool personal = false;
  each_personal_field(document, [&](const json::json_pointer&, MaskFn) { personal = true; });
  if (!personal) return {};
  return Status::permission_denied(std::string(what) +
                                   ": this database encrypts personal data; open it with its encryption_key to store contacts or an address");
}

std::string stored_document(const DataKeys& keys, std::string_view where, const json& document) {
  if (keys.empty()) return document.dump();
  const int64_t key_id = keys.back().first;  // not a structured binding: lambdas capture it (C++17)
  const SecretKey& key = keys.back().second;
  json stored = document;
  json fields = json::object();
  each_personal_field(document, [&](const json::json_pointer& field, MaskFn mask) {
    const std::string& plain = document[field].get_ref<const std::string&>();
    fields[field.to_string()] = to_base64(seal(key, plain, associated(where, field.to_string(), key_id)));
    stored[field] = mask(plain);
  });
  if (!fields.empty()) stored[kSealed] = json{{"key", key_id}, {"fields", std::move(fields)}};
  return stored.dump();
}

Result<OpenedDocument> open_document(const DataKeys& keys, std::string_view where, std::string_view stored, const std::string& what) {
  auto parsed = parse_stored_json(stored, what);
  if (!parsed.ok()) return std::move(parsed).status();
  OpenedDocument out;
  out.document = std::move(*parsed);
  if (!out.document.is_object()) return out;
  const auto it = out.document.find(kSealed);
  if (it == out.document.end()) return out;
  out.sealed = true;
  const json seal_info = std::move(*it);
  out.document.erase(kSealed);
  const auto bad = [&](const std::string& why) { return Status::invalid_state(what + ": its sealed personal data " + why); };
  if (!seal_info.is_object() || !seal_info.contains("key") || !seal_info.at("key").is_number_integer() ||
      !seal_info.contains("fields") || !seal_info.at("fields").is_object())
    return bad("is not {\"key\", \"fields\"}");
  const int64_t key_id = seal_info.at("key").get<int64_t>();
  const SecretKey* key = key_with_id(keys, key_id);
  if (!key) {
    out.masked = true;  // stored masked: nothing to do
    return out;
  }
  for (const auto& [field, sealed_text] : seal_info.at("fields").items()) {
    if (!sealed_text.is_string()) return bad("holds a field that is not a string (" + field + ")");
    const auto sealed = from_base64(sealed_text.get_ref<const std::string&>());
    const auto plain = sealed ? open_sealed(*key, *sealed, associated(where, field, key_id)) : std::nullopt;
    if (!plain) return bad("does not open under its key (" + field + "): the file was altered");
    bool present = false;
    try {
      const json::json_pointer pointer(field);
      present = out.document.contains(pointer) && out.document[pointer].is_string();
      if (present) out.document[pointer] = *plain;
    } catch (const json::exception&) {
      present = false;
    }
    if (!present) return bad("names a field the record lacks (" + field + ")");
  }
  return out;
}

std::string customer_where(std::string_view id) { return "customer/" + std::string(id); }
std::string prospect_where(std::string_view id) { return "prospect/" + std::string(id); }

std::string audit_where(std::string_view kind, std::string_view record, bool after) {
  return "audit/" + std::string(kind) + "/" + std::string(record) + (after ? "#after" : "#before");
}

std::string stored_audit_document(const DataKeys& keys, std::string_view kind, std::string_view record, bool after,
                                  const json& document) {
  return stored_document(keys, audit_where(kind, record, after), document);
}

Result<json> open_audit_document(const DataKeys& keys, std::string_view kind, std::string_view record, bool after,
                                 std::string_view stored, int64_t seq) {
  auto opened = open_document(keys, audit_where(kind, record, after), stored, "audit entry " + std::to_string(seq));
  if (!opened.ok()) return std::move(opened).status();
  return std::move(opened->document);
}

ContactColumns stored_contact(const DataKeys& keys, std::string_view customer_id, const std::string& name, const std::string& phone,
                              const std::string& email) {
  if (keys.empty() || (name.empty() && phone.empty() && email.empty())) return {name, phone, email, std::nullopt};
  return {name.empty() ? "" : mask_name(name), phone.empty() ? "" : mask_phone(phone), email.empty() ? "" : mask_email(email),
          stored_document(keys, contact_where(customer_id), contact_document(name, phone, email))};
}

bool open_contact(const DataKeys& keys, std::string_view customer_id, const std::optional<std::string>& sealed, std::string& name,
                  std::string& phone, std::string& email) {
  if (!sealed) return true;
  auto opened = open_document(keys, contact_where(customer_id), *sealed, "a contact");
  if (!opened.ok() || opened->masked) return false;
  const json& contacts = opened->document.value("contacts", json::array());
  if (!contacts.is_array() || contacts.size() != 1 || !contacts[0].is_object()) return false;
  const auto text = [&](const char* key, std::string& out) {
    if (const auto v = contacts[0].find(key); v != contacts[0].end() && v->is_string()) out = v->get<std::string>();
  };
  text("name", name);
  text("phone", phone);
  text("email", email);
  return true;
}

std::optional<std::string> personal_lookup_hash(const DataKeys& keys, std::string_view field, std::string_view value) {
  const std::string v = normalised(field, value);
  if (v.empty()) return std::nullopt;
  return lookup_hash(lookup_key(keys), field, v);
}

Status write_personal_lookup(DatabaseImpl& d, std::string_view customer_id, const json& document) {
  {
    Use use(d.delete_lookups_);
    use->bind_text(1, customer_id);
    if (use->step() != Step::done) return d.error("writing the lookups of customer \"" + std::string(customer_id) + "\"");
  }
  return insert_lookups(d, customer_id, document, d.keys_.data);
}

Status personal_lookup_ready(DatabaseImpl& d) {
  if (d.keys_.keyring && d.keys_.data.empty())
    return Status::permission_denied("finding customers by phone or email in a database that encrypts personal data needs its encryption_key");
  int64_t complete = 0;
  if (Status s = each_row(d, "SELECT complete FROM personal_lookup_build", [&](Query& r) { complete = r.int64(0); }); !s.ok()) return s;
  if (!complete)
    return Status::invalid_state("the lookups by phone and email are not built yet: open the database once with its encryption_key");
  return {};
}

Status build_personal_lookup(DatabaseImpl& d) {
  if (d.keys_.keyring && d.keys_.data.empty()) return {};  // built by the next open that can read the records
  int64_t complete = 1;
  if (Status s = each_row(d, "SELECT complete FROM personal_lookup_build", [&](Query& r) { complete = r.int64(0); }); !s.ok()) return s;
  if (complete) return {};
  Transaction tx(d);
  if (Status s = tx.begin(); !s.ok()) return s;
  if (Status s = reseal_personal_data(d, d.keys_.data); !s.ok()) return s;
  return tx.commit();
}

Status reseal_personal_data(DatabaseImpl& d, const DataKeys& keys) {
  if (Status s = d.exec("DELETE FROM personal_lookup", "clearing the personal data lookups"); !s.ok()) return s;
  struct Row {
    std::string id, document;
    std::optional<std::string> contact;
    std::string name, phone, email;
  };
  for (const bool customers : {true, false}) {
    const char* table = customers ? "customer" : "prospect";
    std::vector<Row> rows;
    const char* select = customers ? "SELECT id, document, contact_sealed, contact_name, contact_phone, contact_email FROM customer"
                                   : "SELECT id, document FROM prospect";
    if (Status s = each_row(d, select, [&](Query& r) {
          Row row{r.string(0), r.string(1), std::nullopt, "", "", ""};
          if (customers) {
            if (!r.is_null(2)) row.contact = r.string(2);
            row.name = r.string(3), row.phone = r.string(4), row.email = r.string(5);
          }
          rows.push_back(std::move(row));
        });
        !s.ok())
      return s;
    Statement update;
    const char* sql = customers
                          ? "UPDATE customer SET document = ?2, contact_name = ?3, contact_phone = ?4, contact_email = ?5, contact_sealed = ?6 "
                            "WHERE id = ?1"
                          : "UPDATE prospect SET document = ?2 WHERE id = ?1";
    if (!update.prepare(*d.engine_, sql, false)) return d.error(std::string("preparing to reseal the ") + table + " table");
    for (Row& row : rows) {
      const std::string where = customers ? customer_where(row.id) : prospect_where(row.id);
      auto opened = open_document(keys, where, row.document, std::string(table) + " \"" + row.id + "\"");
      if (!opened.ok()) return std::move(opened).status();
      if (opened->masked)
        return Status::invalid_state(std::string(table) + " \"" + row.id + "\" is sealed under a key the keyring lacks");
      Use use(update);
      use->bind_text(1, row.id);
      use->bind_text(2, stored_document(keys, where, opened->document));
      if (customers) {
        if (Status s = insert_lookups(d, row.id, opened->document, keys); !s.ok()) return s;
        if (!open_contact(keys, row.id, row.contact, row.name, row.phone, row.email))
          return Status::invalid_state("the first contact of customer \"" + row.id + "\" does not open under the keyring's keys");
        const ContactColumns c = stored_contact(keys, row.id, row.name, row.phone, row.email);
        use->bind_text(3, c.name);
        use->bind_text(4, c.phone);
        use->bind_text(5, c.email);
        if (c.sealed) use->bind_text(6, *c.sealed);
        else use->bind_null(6);
      }
      if (use->step() != Step::done) return d.error(std::string("resealing ") + table + " \"" + row.id + "\"");
    }
  }
  return d.exec("UPDATE personal_lookup_build SET complete = 1", "marking the personal data lookups built");
}

}  // namespace crm::detail
