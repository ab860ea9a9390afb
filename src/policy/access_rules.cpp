// SPDX-License-Identifier: Apache-2.0
// /access of the policy document, the acting user, permission checks and masking.
#include "policy/access_rules.hpp"

#include <nlohmann/json.hpp>

#include "core/json_util.hpp"

namespace crm::detail {

namespace {

using nlohmann::json;

struct PermissionName {
  Permission permission;
  const char* name;
};
constexpr PermissionName kPermissions[] = {
    {kCustomerRead, "customer.read"}, {kCustomerWrite, "customer.write"}, {kProspectRead, "prospect.read"},
    {kProspectWrite, "prospect.write"}, {kPersonalRead, "personal.read"}, {kPersonalWrite, "personal.write"},
    {kAuditRead, "audit.read"}, {kDemandRead, "demand.read"}, {kDemandWrite, "demand.write"},
};

const char* scope_name(Scope s) {
  switch (s) {
    case Scope::own: return "own";
    case Scope::department: return "department";
    case Scope::all: return "all";
  }
  return "?";
}

// Byte length of the UTF-8 sequence starting with `lead`.
size_t utf8_length(unsigned char lead) {
  return lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
}

}  // namespace

const char* permission_name(Permission p) {
  for (const auto& [permission, name] : kPermissions)
    if (permission == p) return name;
  return "?";
}

const Role* AccessRules::find(std::string_view name) const {
  for (const Role& r : roles)
    if (r.name == name) return &r;
  return nullptr;
}

Status parse_access_rules(const json& root, AccessRules& out) {
  const auto it = root.find("access");
  if (it == root.end()) return {};
  if (!it->is_object()) return json_error("/access", "expected {\"roles\": {...}}", *it);
  if (Status s = unknown_keys(*it, "/access", {"roles", "description"}, "roles or description"); !s.ok()) return s;
  const auto roles = it->find("roles");
  if (roles == it->end() || !roles->is_object() || roles->empty())
    return json_error("/access/roles", "expected an object of roles, each {\"scope\": ..., \"permissions\": [...]}",
                      roles == it->end() ? *it : *roles);
  out.defined = true;
  for (const auto& [name, r] : roles->items()) {
    const std::string path = "/access/roles/" + json_pointer_token(name);
    if (name.empty() || name.size() > 64) return json_error(path, "role names are 1 to 64 bytes", json(name));
    if (!r.is_object()) return json_error(path, "expected {\"scope\": ..., \"permissions\": [...]}", r);
    if (Status s = unknown_keys(r, path, {"scope", "permissions", "description"}, "scope, permissions or description"); !s.ok()) return s;
    Role role;
    role.name = name;
    auto scope = required_string(r, path, "scope");
    if (!scope.ok()) return std::move(scope).status();
    if (*scope == "own") role.scope = Scope::own;
    else if (*scope == "department") role.scope = Scope::department;
    else if (*scope == "all") role.scope = Scope::all;
    else return json_error(path + "/scope", "expected own, department or all", r.at("scope"));
    const auto permissions = r.find("permissions");
    if (permissions == r.end() || !permissions->is_array())
      return json_error(path + "/permissions", "expected an array such as [\"customer.read\", \"personal.read\"]",
                        permissions == r.end() ? r : *permissions);
    for (size_t i = 0; i < permissions->size(); ++i) {
      const json& p = (*permissions)[i];
      bool known = false;
      for (const auto& [permission, pname] : kPermissions) {
        if (p.is_string() && p.get_ref<const std::string&>() == pname) {
          role.permissions |= permission;
          known = true;
        }
      }
      if (!known)
        return json_error(path + "/permissions/" + std::to_string(i),
                          "unknown permission (expected customer.read, customer.write, prospect.read, prospect.write, "
                          "personal.read, personal.write, audit.read, demand.read or demand.write)",
                          p);
    }
    out.roles.push_back(std::move(role));
  }
  return {};
}

Result<Actor> parse_actor(std::string_view text) {
  auto parsed = parse_json_strict(text, "actor JSON");
  if (!parsed.ok()) return std::move(parsed).status();
  const json& a = *parsed;
  if (!a.is_object()) return json_error("/actor", "expected {\"id\": ..., \"role\": ..., \"department\": ...}", a);
  if (Status s = unknown_keys(a, "/actor", {"id", "role", "department"}, "id, role or department"); !s.ok()) return s;
  Actor actor;
  auto id = required_string(a, "/actor", "id");
  if (!id.ok()) return std::move(id).status();
  auto role = required_string(a, "/actor", "role");
  if (!role.ok()) return std::move(role).status();
  actor.id = *id;
  actor.role = *role;
  if (const auto d = a.find("department"); d != a.end()) {
    if (!d->is_string()) return json_error("/actor/department", "expected a string", *d);
    if (Status s = check_string_value(*d, "/actor/department", kMaxIdBytes, true); !s.ok()) return s;
    actor.department = d->get<std::string>();
  }
  return actor;
}

Result<const Role*> role_of(const AccessRules& rules, const Actor& actor) {
  if (!rules.defined)
    return Status::permission_denied("the policy defines no /access roles, so no customer data is reachable");
  const Role* role = rules.find(actor.role);
  if (!role) return Status::permission_denied("/actor/role: \"" + actor.role + "\" is not a role of the policy's /access");
  if (role->scope == Scope::department && actor.department.empty())
    return Status::permission_denied("/actor/department: missing, and role \"" + role->name + "\" reaches its department's records");
  return role;
}

bool in_scope(const Role& role, const Actor& actor, const RecordScope& record) {
  switch (role.scope) {
    case Scope::all: return true;
    case Scope::department: return record.department == actor.department;
    case Scope::own:
      for (std::string_view owner : record.owners)
        if (owner == actor.id) return true;
      return false;
  }
  return false;
}

Status check(const Role& role, const Actor& actor, uint32_t permission, const RecordScope* record, std::string_view what) {
  if ((role.permissions & permission) != permission) {
    std::string missing;
    for (const auto& [p, name] : kPermissions)
      if ((permission & p) && !(role.permissions & p)) missing += (missing.empty() ? "" : ", ") + std::string(name);
    return Status::permission_denied("\"" + actor.id + "\" (role " + role.name + ") lacks " + missing + " for " + std::string(what));
  }
  if (record && !in_scope(role, actor, *record))
    return Status::permission_denied("\"" + actor.id + "\" (role " + role.name + ", scope " + scope_name(role.scope) + ") cannot reach " +
                                     std::string(what) + " (department \"" + std::string(record->department) + "\")");
  return {};
}

std::string mask_phone(std::string_view phone) {
  if (phone.size() <= 4) return std::string(phone.size(), '*');
  if (phone.size() < 8) return std::string(phone.size() - 4, '*') + std::string(phone.substr(phone.size() - 4));
  return std::string(phone.substr(0, 3)) + std::string(phone.size() - 7, '*') + std::string(phone.substr(phone.size() - 4));
}

std::string mask_email(std::string_view email) {
  const size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0) return "***";
  const size_t first = utf8_length(static_cast<unsigned char>(email[0]));
  return std::string(email.substr(0, std::min(first, at))) + "***" + std::string(email.substr(at));
}

std::string mask_name(std::string_view name) {
  size_t i = name.empty() ? 0 : utf8_length(static_cast<unsigned char>(name[0]));
  if (i >= name.size()) return "*";  // one character: none of it shown
  size_t rest = 0;
  for (size_t j = i; j < name.size(); j += utf8_length(static_cast<unsigned char>(name[j]))) ++rest;
  return std::string(name.substr(0, i)) + std::string(std::min<size_t>(rest, 8), '*');
}

std::string mask_address(std::string_view text) {
  size_t i = 0;
  for (int chars = 0; chars < 6 && i < text.size(); ++chars) i += utf8_length(static_cast<unsigned char>(text[i]));
  if (i >= text.size()) return "****";  // too short to show any of it
  return std::string(text.substr(0, i)) + "****";
}

}  // namespace crm::detail
