// SPDX-License-Identifier: Apache-2.0
#include "customers/ledger_access.hpp"

#include "customers/access_context.hpp"
#include "metrics/report_api.hpp"
#include "store/ledger_scope.hpp"
#include "store/store_api.hpp"

namespace crm::detail::api {

namespace {

// The acting user with `permission`, and the demands their role reaches.
struct LedgerAccess {
  AccessContext context;
  LedgerScope scope;
};

Result<LedgerAccess> ledger_access(DatabaseImpl& d, std::string_view actor_json, uint32_t permission, const AuditEntry& e) {
  auto c = access_context(d, actor_json);
  if (!c.ok()) return std::move(c).status();
  LedgerAccess out{std::move(*c), {}};
  if (Status s = check(*out.context.role, out.context.actor, permission, nullptr, e.kind + " \"" + e.record + "\""); !s.ok())
    return deny(d, out.context, e, std::move(s));
  if (out.context.role->scope == Scope::own) out.scope.owner = out.context.actor.id;
  if (out.context.role->scope == Scope::department) out.scope.department = out.context.actor.department;
  return out;
}

// The call's answer; a denial inside it (out of scope) audited once its transaction has ended.
template <class T>
Result<T> audited(DatabaseImpl& d, const LedgerAccess& a, const AuditEntry& e, Result<T> answer) {
  if (!answer.ok() && answer.status().code() == StatusCode::permission_denied) return deny(d, a.context, e, answer.status());
  return answer;
}
Status audited(DatabaseImpl& d, const LedgerAccess& a, const AuditEntry& e, Status s) {
  if (s.code() == StatusCode::permission_denied) return deny(d, a.context, e, std::move(s));
  return s;
}

// The demand id a demand document names, for the audit entry of a denial ("" when it names none).
std::string named_id(std::string_view demand_json) {
  const auto doc = nlohmann::json::parse(demand_json, nullptr, false);
  const auto id = doc.is_object() ? doc.find("id") : doc.end();
  return id != doc.end() && id->is_string() ? id->get<std::string>() : std::string();
}

Result<LedgerAccess> importer(DatabaseImpl& d, std::string_view actor_json) {
  const AuditEntry e{"import", "demand", "*"};
  auto a = ledger_access(d, actor_json, kDemandWrite, e);
  if (!a.ok()) return a;
  if (a->context.role->scope != Scope::all)
    return deny(d, a->context, e,
                Status::permission_denied("/actor: role \"" + a->context.role->name + "\" reaches only its " +
                                          (a->context.role->scope == Scope::own ? "own" : "department's") +
                                          " demands; an import writes demands for everyone (scope all)"));
  return a;
}

}  // namespace

Result<std::string> record_demand_as(DatabaseImpl& impl, std::string_view actor_json, std::string_view demand_json) {
  const AuditEntry e{"record_demand", "demand", named_id(demand_json)};
  auto a = ledger_access(impl, actor_json, kDemandWrite, e);
  if (!a.ok()) return std::move(a).status();
  return audited(impl, *a, e, record_demand(impl, demand_json, &a->scope));
}

Status append_event_as(DatabaseImpl& impl, std::string_view actor_json, std::string_view demand_id, std::string_view event_json) {
  const AuditEntry e{"append_event", "demand", std::string(demand_id)};
  auto a = ledger_access(impl, actor_json, kDemandWrite, e);
  if (!a.ok()) return std::move(a).status();
  return audited(impl, *a, e, append_event(impl, demand_id, event_json, &a->scope, &a->context.actor.id));
}

Result<std::string> demand_as(DatabaseImpl& impl, std::string_view actor_json, std::string_view demand_id, int64_t at) {
  const AuditEntry e{"read", "demand", std::string(demand_id)};
  auto a = ledger_access(impl, actor_json, kDemandRead, e);
  if (!a.ok()) return std::move(a).status();
  return audited(impl, *a, e, demand(impl, demand_id, at, &a->scope));
}

Result<std::string> worklist_as(DatabaseImpl& impl, std::string_view actor_json, std::string_view query_json) {
  const AuditEntry e{"worklist", "demand", "*"};
  auto a = ledger_access(impl, actor_json, kDemandRead, e);
  if (!a.ok()) return std::move(a).status();
  return audited(impl, *a, e, worklist(impl, query_json, &a->scope));
}

Result<std::string> weekly_progress_as(DatabaseImpl& impl, std::string_view actor_json, std::string_view query_json) {
  const AuditEntry e{"weekly_progress", "demand", "*"};
  auto a = ledger_access(impl, actor_json, kDemandRead, e);
  if (!a.ok()) return std::move(a).status();
  return audited(impl, *a, e, weekly_progress(impl, query_json, &a->scope));
}

Result<std::string> report_as(DatabaseImpl& impl, std::string_view actor_json, std::string_view query_json) {
  const AuditEntry e{"report", "demand", "*"};
  auto a = ledger_access(impl, actor_json, kDemandRead, e);
  if (!a.ok()) return std::move(a).status();
  return audited(impl, *a, e, report(impl, query_json, &a->scope));
}

Result<std::string> import_as(DatabaseImpl& impl, std::string_view actor_json, const std::string& path, std::string_view options_json,
                              Status* failure) {
  auto a = importer(impl, actor_json);
  if (!a.ok()) return std::move(a).status();
  return import(impl, path, options_json, failure);
}

Result<std::string> import_records_as(DatabaseImpl& impl, std::string_view actor_json, const std::vector<DemandRecord>& demands,
                                      const std::vector<EventRecord>& events, std::string_view options_json, Status* failure) {
  auto a = importer(impl, actor_json);
  if (!a.ok()) return std::move(a).status();
  return import_records(impl, demands, events, options_json, failure);
}

}  // namespace crm::detail::api
