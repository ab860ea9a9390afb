// SPDX-License-Identifier: Apache-2.0
#include "store/personal_data.hpp"

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
  const auto& [key_id, key] = keys.back();
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

Status reseal_personal_data(DatabaseImpl& d, const DataKeys& keys) {
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
  return {};
}

}  // namespace crm::detail
