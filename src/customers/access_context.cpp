// SPDX-License-Identifier: Apache-2.0
#include "customers/access_context.hpp"

#include <ctime>

#include "core/json_util.hpp"
#include "customers/records.hpp"
#include "store/audit_log.hpp"

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
  if (e.before) row.before = e.before->dump();
  if (e.after) row.after = e.after->dump();
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
  Statement find;
  if (find.prepare(d.db_, (std::string("SELECT document FROM ") + table + " WHERE id = ?1").c_str()) != SQLITE_OK)
    return d.error("preparing a record read");
  for (Document& doc : docs) {
    const auto id = doc.value.is_object() ? doc.value.find("id") : doc.value.end();
    if (id == doc.value.end() || !id->is_string()) continue;
    Use use(find);
    bind_text(*use, 1, id->get_ref<const std::string&>());
    const int rc = sqlite3_step(*use);
    if (rc == SQLITE_ROW) {
      auto stored = parse_stored_json(text_view(*use, 0), std::string(table) + " \"" + id->get<std::string>() + "\"");
      if (!stored.ok()) return std::move(stored).status();
      (void)restore_masked_personal(doc.value, *stored);
    } else if (rc != SQLITE_DONE) {
      return d.error("reading a record");
    }
  }
  return {};
}

}  // namespace crm::detail
