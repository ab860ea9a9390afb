// SPDX-License-Identifier: Apache-2.0
// Personal data at rest (README "Security"). A handle holding a personal-data key stores every
// customer and prospect document, and every audit before/after, with its personal fields masked
// and their plaintext sealed field by field (XChaCha20-Poly1305) in a "$sealed" member:
//   {..., "address": "北京市朝阳区****", "$sealed": {"key": 3, "fields": {"/address": "<base64>"}}}
// Each field is bound to where it is stored (table and record id), its pointer and the key's id,
// so no ciphertext can be moved to another record or field. A reader without the key gets the
// masked document as it is stored; only this file knows the format.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/database_impl.hpp"

namespace crm::detail {

using DataKeys = std::vector<std::pair<int64_t, SecretKey>>;  // by id; back() seals

struct OpenedDocument {
  nlohmann::json document;
  bool sealed = false;  // stored sealed
  bool masked = false;  // sealed under a key not among those given: personal fields as masked
};

// permission_denied when `document` holds personal data and the database has a keyring whose
// keys this handle lacks: it would be stored in the clear beside sealed data.
Status may_store_personal_data(const HeldKeys& keys, const nlohmann::json& document, std::string_view what);

// The stored form of `document` in `where` ("customer/C-1"): sealed under keys.back(), or the
// document itself when `keys` is empty.
std::string stored_document(const DataKeys& keys, std::string_view where, const nlohmann::json& document);

// A stored document read back: its plaintext when `keys` holds the key it was sealed with, else
// masked. A stored form that does not parse, or a sealed field that does not open under its own
// key, is invalid_state naming `what` (the file was altered).
Result<OpenedDocument> open_document(const DataKeys& keys, std::string_view where, std::string_view stored, const std::string& what);

// Where a record's document is bound: "customer/C-1", "prospect/P-1".
std::string customer_where(std::string_view id);
std::string prospect_where(std::string_view id);
// Where an audit entry's before or after is bound: its kind, record and side.
std::string audit_where(std::string_view kind, std::string_view record, bool after);
// An audit entry's before or after as stored: sealed like the records themselves.
std::string stored_audit_document(const DataKeys& keys, std::string_view kind, std::string_view record, bool after,
                                  const nlohmann::json& document);
// A stored before or after read back: plaintext where the keys allow, else masked.
Result<nlohmann::json> open_audit_document(const DataKeys& keys, std::string_view kind, std::string_view record, bool after,
                                           std::string_view stored, int64_t seq);

// The first contact's columns for lists: masked, with the plaintext of the three sealed in one
// stored document (NULL in the clear).
struct ContactColumns {
  std::string name, phone, email;
  std::optional<std::string> sealed;
};
ContactColumns stored_contact(const DataKeys& keys, std::string_view customer_id, const std::string& name, const std::string& phone,
                              const std::string& email);
// Back to plaintext where the keys allow; false (the values stay masked) when they do not.
bool open_contact(const DataKeys& keys, std::string_view customer_id, const std::optional<std::string>& sealed, std::string& name,
                  std::string& phone, std::string& email);

// Reseals every stored customer and prospect under keys.back(), and rebuilds the lookups, inside
// the caller's write transaction: on the keyring's creation, on each rotation and after a restore.
Status reseal_personal_data(DatabaseImpl& d, const DataKeys& keys);

// Finding customers by a contact's phone or email without storing either: personal_lookup holds
// BLAKE2b of the normalised value (phone: its digits, without a leading 86 or 0086 before an
// 11-digit mobile number; email: trimmed, lowercase), keyed with a key derived from the first
// data key (stable across rotations, so every open handle hashes alike); unkeyed in a database
// without a keyring, whose records are in the clear anyway.
// The hash a lookup of `field` ("phone" or "email") for `value` searches; nullopt when the value
// normalises to nothing.
std::optional<std::string> personal_lookup_hash(const DataKeys& keys, std::string_view field, std::string_view value);
// Rewrites a customer's lookup rows from its document (inside the caller's write transaction).
Status write_personal_lookup(DatabaseImpl& d, std::string_view customer_id, const nlohmann::json& document);
// Builds the lookups on open when they are not built yet and this handle can read the records.
Status build_personal_lookup(DatabaseImpl& d);
// ok when lookups can be answered here: built, and the key held where the database has one.
Status personal_lookup_ready(DatabaseImpl& d);

}  // namespace crm::detail
