// SPDX-License-Identifier: Apache-2.0
#include "customers/access_context.hpp"

#include <ctime>

#include "core/json_util.hpp"
#include "customers/records.hpp"
#include "store/audit_log.hpp"
#include "store/customer_table.hpp"
#include "store/personal_data.hpp"
#include "store/prospect_table.hpp"

namespace crm::detail {

nlohmann::json AccessContext::shown(const nlohmann::json& record) const {
  return sees_personal() ? record : masked(record);
}

Result<AccessContext> access_context(DatabaseImpl& d, std::string_view actor_json) {
  auto actor = parse_actor(actor_json);
  if (!actor.ok()) return std::move(actor).status();
  auto stored = d.resolve_policy("", "");
  if (!stored.ok()) return std::move(stored).status();
  AccessContext c(std::move(*actor), std::move(stored->policy));
  c.rules = &PolicyAccess::impl(c.policy);
  auto role = role_of(c.rules->access, c.actor);
  if (!role.ok()) return std::move(role).status();
  c.role = *role;
  return c;
}

Status audit(DatabaseImpl& d, const AccessContext& c, const AuditEntry& e, bool denied, std::string_view message) {
  AuditRow row;
  row.recorded_at = static_cast<int64_t>(std::time(nullptr));
  row.actor = c.actor.id;
  row.role = c.actor.role;
  row.operation = e.operation;
  row.kind = e.kind;
  row.record = e.record;
  row.outcome = denied ? "denied" : "ok";
  if (e.before) row.before = stored_audit_document(d.keys_.data, e.kind, e.record, false, *e.before);
  if (e.after) row.after = stored_audit_document(d.keys_.data, e.kind, e.record, true, *e.after);
  row.message = std::string(message);
  return append_audit(d, row);
}

Status deny(DatabaseImpl& d, const AccessContext& c, const AuditEntry& e, Status denial) {
  Transaction tx(d);
  if (Status s = tx.begin(); !s.ok()) return s;
  AuditEntry denied = e;
  denied.before = denied.after = nullptr;  // a denied change leaves no trace of its content
  if (Status s = audit(d, c, denied, true, denial.message()); !s.ok()) return s;
  if (Status s = tx.commit(); !s.ok()) return s;
  return denial;
}

Status Denial::finish(DatabaseImpl& d, const AccessContext& c, Status s) {
  if (happened && s.code() == StatusCode::permission_denied) return detail::deny(d, c, entry, std::move(s));
  return s;
}

Result<std::vector<Document>> documents(std::string_view text, const char* what) {
  auto parsed = parse_json_strict(text, what);
  if (!parsed.ok()) return std::move(parsed).status();
  std::vector<Document> out;
  if (parsed->is_object()) {
    out.push_back({std::move(*parsed), ""});
    return out;
  }
  if (!parsed->is_array() || parsed->empty())
    return json_error("", std::string("expected a ") + what + " object or a non-empty array of them", *parsed);
  out.reserve(parsed->size());
  for (size_t i = 0; i < parsed->size(); ++i) out.push_back({std::move((*parsed)[i]), "/" + std::to_string(i)});
  return out;
}

Status unmask_from_stored(DatabaseImpl& d, const char* table, std::vector<Document>& docs) {
  const bool customer = std::string_view(table) == "customer";
  for (Document& doc : docs) {
    const auto id = doc.value.is_object() ? doc.value.find("id") : doc.value.end();
    if (id == doc.value.end() || !id->is_string()) continue;
    const std::string& key = id->get_ref<const std::string&>();
    std::optional<nlohmann::json> stored;
    if (customer) {
      auto found = find_customer_record(d, key);
      if (!found.ok()) return std::move(found).status();
      if (*found) stored = std::move((*found)->document);
    } else {
      auto found = find_prospect_record(d, key);
      if (!found.ok()) return std::move(found).status();
      if (*found) stored = std::move((*found)->document);
    }
    if (stored) (void)restore_masked_personal(doc.value, *stored);
  }
  return {};
}

}  // namespace crm::detail
