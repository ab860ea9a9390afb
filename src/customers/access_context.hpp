// SPDX-License-Identifier: Apache-2.0
// Who is acting, under which policy, and the audit log every customer-side call writes to.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "customers/records.hpp"
#include "policy/access_rules.hpp"
#include "policy/policy_impl.hpp"
#include "store/database_impl.hpp"

namespace crm::detail {

struct AccessContext;

struct AuditEntry {
  std::string operation, kind, record;
  const nlohmann::json* before = nullptr;
  const nlohmann::json* after = nullptr;
};

// A permission denial met inside a transaction, audited once the transaction has rolled back.
struct Denial {
  bool happened = false;
  AuditEntry entry;
  Status deny(const AuditEntry& e, Status s) {
    happened = true;
    entry = e;
    return s;
  }
  // Audits the denial (outside any transaction) when `s` is it.
  Status finish(DatabaseImpl& d, const AccessContext& c, Status s);
};

struct AccessContext {
  AccessContext(Actor a, Policy p) : actor(std::move(a)), policy(std::move(p)) {}
  Actor actor;
  const Role* role = nullptr;
  Policy policy;
  const PolicyImpl* rules = nullptr;
  // A read query's denial, audited once its read transaction has ended.
  mutable Denial denial;
  bool sees_personal() const { return (role->permissions & kPersonalRead) != 0; }
  // The record as this actor may see it.
  nlohmann::json shown(const nlohmann::json& record) const;
};

// Parses the actor and finds its role in the latest version of the stored policy (the only
// policy name stored). A role missing from the policy is permission_denied.
Result<AccessContext> access_context(DatabaseImpl& d, std::string_view actor_json);


// Appends one audit row inside the caller's transaction.
Status audit(DatabaseImpl& d, const AccessContext& c, const AuditEntry& e, bool denied, std::string_view message);

// Records a denial in its own transaction and returns `denial` (or the storage error that kept it
// from being recorded). Nothing else is written.
Status deny(DatabaseImpl& d, const AccessContext& c, const AuditEntry& e, Status denial);

// The common end of putting a customer or prospect: changing personal data needs personal.write
// (a masked value sent back is first restored from `before`), an identical record changes
// nothing, else `store` writes the row and the change is audited with its before and after.
template <class Store>
Status put_record(DatabaseImpl& d, const AccessContext& c, Denial& denial, const AuditEntry& e, const nlohmann::json* before,
                  nlohmann::json& record, Store&& store) {
  if (restore_masked_personal(record, before ? *before : nlohmann::json::object()))
    if (Status s = check(*c.role, c.actor, kPersonalWrite, nullptr,
                         "changing the contact phone, email or address of " + e.kind + " \"" + e.record + "\"");
        !s.ok())
      return denial.deny(e, std::move(s));
  if (before && *before == record) return {};
  if (Status s = store(); !s.ok()) return s;
  AuditEntry written = e;
  written.before = before;
  written.after = &record;
  return audit(d, c, written, false, before ? "updated" : "created");
}

// One JSON object, or an array of them (each with its error path "/i").
struct Document {
  nlohmann::json value;
  std::string path;
};
Result<std::vector<Document>> documents(std::string_view text, const char* what);

// Puts back the personal data of stored records (`table`: customer or prospect) where a document
// carries its masked form, so that a reader without personal.read can send back what it read and
// the record validates.
Status unmask_from_stored(DatabaseImpl& d, const char* table, std::vector<Document>& docs);

}  // namespace crm::detail
