// SPDX-License-Identifier: Apache-2.0
#include "store/keyring.hpp"

#include "store/audit_log.hpp"
#include "store/personal_data.hpp"

#include <string>
#include <vector>

namespace crm::detail {

namespace {

struct SealedKey {
  int64_t id = 0;
  std::string purpose;  // "audit" or "data"
  std::string wrapped;  // base64 of seal(host key, key, associated(id, purpose))
};

// Binds each sealed key to its row: a key moved to another row or purpose does not unseal.
std::string associated(int64_t id, const std::string& purpose) {
  return "crmpolicy keyring v1|" + std::to_string(id) + "|" + purpose;
}

Result<std::vector<SealedKey>> read_keyring(DatabaseImpl& d) {
  std::vector<SealedKey> out;
  Status s = each_row(d, "SELECT id, purpose, wrapped FROM keyring ORDER BY id", [](Query&) {},
                      [&](Query& r) { out.push_back({r.int64(0), r.string(1), r.string(2)}); });
  if (!s.ok()) return s;
  return out;
}

// What a row seals: the key, and for the audit key the chain position from which every entry is
// keyed (so that no one without the key can pass entries off as written before it).
std::string payload(const SecretKey& key, const std::string& purpose, int64_t keyed_from) {
  std::string out(key.bytes());
  if (purpose == "audit")
    for (int i = 0; i < 8; ++i) out += static_cast<char>(static_cast<uint64_t>(keyed_from) >> (8 * i) & 0xff);
  return out;
}

Status insert_key(DatabaseImpl& d, const SecretKey& host, int64_t id, const std::string& purpose, const std::string& sealed_bytes,
                  int64_t now) {
  Statement insert;
  if (!insert.prepare(*d.engine_, "INSERT INTO keyring (id, purpose, created_at, wrapped) VALUES (?1, ?2, ?3, ?4)", false))
    return d.error("preparing the keyring");
  Use use(insert);
  use->bind_int(1, id);
  use->bind_text(2, purpose);
  use->bind_int(3, now);
  use->bind_text(4, to_base64(seal(host, sealed_bytes, associated(id, purpose))));
  return use->step() == Step::done ? Status() : d.error("writing the keyring");
}

const char* const kWrongKey =
    "encryption_key: it does not unseal this database's keyring (a different key, or the keyring was altered)";

// The keys of `rows` unsealed with `host`, into `keys`.
Status unseal(const std::vector<SealedKey>& rows, const SecretKey& host, HeldKeys& keys) {
  keys.audit.reset();
  keys.data.clear();
  for (const SealedKey& row : rows) {
    const auto sealed = from_base64(row.wrapped);
    const auto bytes = sealed ? open_sealed(host, *sealed, associated(row.id, row.purpose)) : std::nullopt;
    const bool audit = row.purpose == "audit";
    if (!bytes || bytes->size() != SecretKey::kSize + (audit ? 8 : 0)) return Status::permission_denied(kWrongKey);
    const auto key = SecretKey::from_bytes(std::string_view(*bytes).substr(0, SecretKey::kSize));
    if (audit) {
      keys.audit = *key;
      uint64_t from = 0;
      for (int i = 7; i >= 0; --i) from = from << 8 | static_cast<uint8_t>((*bytes)[SecretKey::kSize + static_cast<size_t>(i)]);
      keys.audit_keyed_from = static_cast<int64_t>(from);
    }
    else if (row.purpose == "data") keys.data.emplace_back(row.id, *key);
    else return Status::invalid_state("keyring row " + std::to_string(row.id) + ": unknown purpose \"" + row.purpose + "\"");
  }
  if (!keys.audit || keys.data.empty()) return Status::permission_denied(kWrongKey);
  return {};
}

}  // namespace

// Creates the keyring (inside the caller's write transaction) and seals the audit head with the new
// audit key: from here on, a handle without the host's key writes no audit entry.
Status create_keyring(DatabaseImpl& d, const SecretKey& host, int64_t now) {
  int64_t entries = 0;
  std::string head_chain;
  if (Status s = each_row(d, "SELECT entries, chain FROM audit_head", [](Query&) {}, [&](Query& r) {
        entries = r.int64(0);
        head_chain = r.string(1);
      });
      !s.ok())
    return s;
  const SecretKey audit = SecretKey::random();
  if (Status s = insert_key(d, host, 1, "audit", payload(audit, "audit", entries + 1), now); !s.ok()) return s;
  if (Status s = insert_key(d, host, 2, "data", payload(SecretKey::random(), "data", 0), now); !s.ok()) return s;
  Statement seal_head;
  if (!seal_head.prepare(*d.engine_, "UPDATE audit_head SET seal = ?1", false)) return d.error("preparing the audit head");
  Use use(seal_head);
  use->bind_text(1, audit_head_seal(audit, entries, head_chain));
  return use->step() == Step::done ? Status() : d.error("sealing the audit head");
}

Status open_keyring(DatabaseImpl& d, const std::optional<SecretKey>& host_key, int64_t now) {
  HeldKeys keys;
  if (host_key) {
    auto rows = read_keyring(d);
    if (!rows.ok()) return std::move(rows).status();
    if (rows->empty()) {
      // First use of a key: created under the write lock (another handle may race).
      Transaction tx(d);
      if (Status s = tx.begin(); !s.ok()) return s;
      rows = read_keyring(d);
      if (!rows.ok()) return std::move(rows).status();
      if (rows->empty()) {
        if (Status s = create_keyring(d, *host_key, now); !s.ok()) return s;
        rows = read_keyring(d);
        if (!rows.ok()) return std::move(rows).status();
        // The personal data written in the clear so far is sealed with the first data key.
        HeldKeys created;
        if (Status s = unseal(*rows, *host_key, created); !s.ok()) return s;
        if (Status s = reseal_personal_data(d, created.data); !s.ok()) return s;
      }
      if (Status s = tx.commit(); !s.ok()) return s;
    }
    if (Status s = unseal(*rows, *host_key, keys); !s.ok()) return s;
    keys.host = *host_key;
    keys.keyring = true;
  } else {
    int64_t rows = 0;
    if (Status s = each_row(d, "SELECT count(*) FROM keyring", [&](Query& r) { rows = r.int64(0); }); !s.ok()) return s;
    keys.keyring = rows > 0;
  }
  d.keys_ = std::move(keys);
  return {};
}

Status rotate_host_key(DatabaseImpl& d, const SecretKey& new_key, int64_t now) {
  if (!d.keys_.host)
    return Status::invalid_state("rotating the encryption key needs a handle opened with the current encryption_key");
  Transaction tx(d);
  if (Status s = tx.begin(); !s.ok()) return s;
  auto rows = read_keyring(d);
  if (!rows.ok()) return std::move(rows).status();
  HeldKeys keys;
  if (Status s = unseal(*rows, *d.keys_.host, keys); !s.ok()) return s;  // another handle rotated first
  Statement reseal;
  if (!reseal.prepare(*d.engine_, "UPDATE keyring SET wrapped = ?2 WHERE id = ?1", false)) return d.error("preparing the keyring");
  const auto key_of = [&](const SealedKey& row) -> const SecretKey& {
    if (row.purpose == "audit") return *keys.audit;
    for (const auto& [id, key] : keys.data)
      if (id == row.id) return key;
    return *keys.audit;  // unreachable: unseal() accepted every row
  };
  for (const SealedKey& row : *rows) {
    Use use(reseal);
    use->bind_int(1, row.id);
    use->bind_text(2, to_base64(seal(new_key, payload(key_of(row), row.purpose, keys.audit_keyed_from), associated(row.id, row.purpose))));
    if (use->step() != Step::done) return d.error("resealing the keyring");
  }
  const int64_t id = rows->back().id + 1;
  const SecretKey data = SecretKey::random();
  if (Status s = insert_key(d, new_key, id, "data", payload(data, "data", 0), now); !s.ok()) return s;
  keys.data.emplace_back(id, data);
  // Every record's personal data is sealed again under the new data key; the older keys stay in
  // the keyring for the audit entries sealed with them (the log is append-only).
  if (Status s = reseal_personal_data(d, keys.data); !s.ok()) return s;
  if (Status s = tx.commit(); !s.ok()) return s;
  keys.host = new_key;
  keys.keyring = true;
  d.keys_ = std::move(keys);
  return {};
}

}  // namespace crm::detail
