// Who is acting, under which policy, and the audit log every customer-side call writes to.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "policy/access_rules.hpp"
#include "policy/policy_impl.hpp"
#include "store/database_impl.hpp"

namespace crm::detail {

struct AccessContext {
  AccessContext(Actor a, Policy p) : actor(std::move(a)), policy(std::move(p)) {}
  Actor actor;
  const Role* role = nullptr;
  Policy policy;
  const PolicyImpl* rules = nullptr;
  bool sees_personal() const { return (role->permissions & kPersonalRead) != 0; }
  // The record as this actor may see it.
  nlohmann::json shown(const nlohmann::json& record) const;
};

// Parses the actor and finds its role in the latest version of the stored policy (the only
// policy name stored). A role missing from the policy is permission_denied.
Result<AccessContext> access_context(DatabaseImpl& d, std::string_view actor_json);

struct AuditEntry {
  std::string operation, kind, record;
  const nlohmann::json* before = nullptr;
  const nlohmann::json* after = nullptr;
};

// Appends one audit row inside the caller's transaction.
Status audit(DatabaseImpl& d, const AccessContext& c, const AuditEntry& e, bool denied, std::string_view message);

// Records a denial in its own transaction and returns `denial` (or the storage error that kept it
// from being recorded). Nothing else is written.
Status deny(DatabaseImpl& d, const AccessContext& c, const AuditEntry& e, Status denial);

// check() and, when it fails, deny().
Status authorize(DatabaseImpl& d, const AccessContext& c, uint32_t permission, const RecordScope* record,
                 const AuditEntry& e);

// A permission denial met inside a transaction, audited once the transaction has rolled back.
struct Denial {
  bool happened = false;
  AuditEntry entry;
  Status deny(const AuditEntry& e, Status s) {
    happened = true;
    entry = e;
    return s;
  }
  Status finish(DatabaseImpl& d, const AccessContext& c, Status s) {
    if (happened && s.code() == StatusCode::permission_denied) return detail::deny(d, c, entry, std::move(s));
    return s;
  }
};

// One JSON object, or an array of them (each with its error path "/i").
struct Document {
  nlohmann::json value;
  std::string path;
};
Result<std::vector<Document>> documents(std::string_view text, const char* what);

}  // namespace crm::detail
