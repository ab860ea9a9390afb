// SPDX-License-Identifier: Apache-2.0
// Who may do what (/access): roles with a scope and permissions, checked against the acting user
// the host application has authenticated.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "crmpolicy/status.hpp"

namespace crm::detail {

enum Permission : uint32_t {
  kCustomerRead = 1u << 0,
  kCustomerWrite = 1u << 1,
  kProspectRead = 1u << 2,
  kProspectWrite = 1u << 3,
  kPersonalRead = 1u << 4,   // contact names, phones, emails and the address unmasked
  kPersonalWrite = 1u << 5,  // change them
  kAuditRead = 1u << 6,      // the whole audit log, not only the history of readable records
  kDemandRead = 1u << 7,     // demands in scope: records, the work list, the weekly check, reports
  kDemandWrite = 1u << 8,    // record demands and append their events, in scope; imports with scope all
};
const char* permission_name(Permission p);

// Which records a role reaches: its own (it is an owner), its department's, or all.
enum class Scope : uint8_t { own, department, all };

struct Role {
  std::string name;
  Scope scope = Scope::own;
  uint32_t permissions = 0;
};

struct AccessRules {
  bool defined = false;
  std::vector<Role> roles;
  const Role* find(std::string_view name) const;
};

Status parse_access_rules(const nlohmann::json& root, AccessRules& out);

// The acting user: {"id": "li.na", "role": "sales", "department": "east"}.
struct Actor {
  std::string id, role, department;
};
Result<Actor> parse_actor(std::string_view json);

// A record as access control sees it.
struct RecordScope {
  std::vector<std::string_view> owners;
  std::string_view department;
};

// The actor's role in the rules, or permission_denied naming the role.
Result<const Role*> role_of(const AccessRules& rules, const Actor& actor);
// ok, or permission_denied naming the actor, the permission and the record.
Status check(const Role& role, const Actor& actor, uint32_t permission, const RecordScope* record,
             std::string_view what);
bool in_scope(const Role& role, const Actor& actor, const RecordScope& record);

// Personal data as a reader without personal.read sees it.
std::string mask_phone(std::string_view phone);   // 13812345678 -> 138****5678
std::string mask_email(std::string_view email);   // zhang@example.com -> z***@example.com
std::string mask_address(std::string_view text);  // the first 6 characters, then ****
std::string mask_name(std::string_view name);      // 王小明 -> 王**, Li Na -> L****

}  // namespace crm::detail
