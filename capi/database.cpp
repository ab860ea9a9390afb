// SPDX-License-Identifier: Apache-2.0
// C wrapper of crm::Database.
#include "capi/error.hpp"
#include "capi/handles.hpp"

using crm::capi::fail;
using crm::capi::deliver_string;
using crm::capi::guard;

namespace {

// C records -> C++ records (NULL strings are absent fields).
std::string text(const char* s) { return s ? std::string(s) : std::string(); }

crm::EventRecord event_record(const crm_event_record& r);

crm::DemandRecord demand_record(const crm_demand_record& r) {
  crm::DemandRecord out;
  out.id = text(r.id), out.received_at = r.received_at;
  out.channel = text(r.channel), out.category = text(r.category), out.nature = text(r.nature);
  out.urgency = text(r.urgency), out.title = text(r.title), out.text = text(r.text);
  out.department = text(r.department), out.owner = text(r.owner);
  out.customer_id = text(r.customer_id), out.customer_tier = text(r.customer_tier);
  out.customer_industry = text(r.customer_industry), out.customer_size = text(r.customer_size);
  out.policy = text(r.policy), out.policy_version = text(r.policy_version), out.actor = text(r.actor);
  out.events.reserve(r.event_count);
  for (size_t i = 0; i < r.event_count; ++i) out.events.push_back(event_record(r.events[i]));
  return out;
}

crm::EventRecord event_record(const crm_event_record& r) {
  crm::EventRecord out;
  out.demand = text(r.demand), out.type = text(r.type), out.at = r.at, out.actor = text(r.actor);
  out.id = text(r.id), out.comment = text(r.comment), out.reason = text(r.reason), out.satisfaction = r.satisfaction;
  out.owner = text(r.owner), out.department = text(r.department), out.urgency = text(r.urgency);
  out.category = text(r.category), out.nature = text(r.nature), out.policy_version = text(r.policy_version);
  out.into = text(r.into);
  return out;
}

}  // namespace

extern "C" {

crm_status crm_db_open(const char* path, crm_db** out) {
  return guard([&] {
    CRM_REQUIRE_ARG(path);
    CRM_REQUIRE_ARG(out);
    auto db = crm::Database::open(path);
    if (!db.ok()) return fail(db.status());
    *out = new crm_db{std::move(*db)};
    return CRM_OK;
  });
}

crm_status crm_db_open_with(const char* path, const char* options_json, crm_db** out) {
  return guard([&] {
    CRM_REQUIRE_ARG(path);
    CRM_REQUIRE_ARG(out);
    auto options = crm::DatabaseOptions::from_json(options_json ? options_json : "{}");
    if (!options.ok()) return fail(options.status());
    auto db = crm::Database::open(path, *options);
    if (!db.ok()) return fail(db.status());
    *out = new crm_db{std::move(*db)};
    return CRM_OK;
  });
}

void crm_db_close(crm_db* db) { delete db; }

crm_status crm_db_put_policy(crm_db* db, const char* policy_json) {
  return guard([&] {
    CRM_REQUIRE_ARG(db);
    CRM_REQUIRE_ARG(policy_json);
    const crm::Status s = db->rep.put_policy(policy_json);
    return s.ok() ? CRM_OK : fail(s);
  });
}

crm_status crm_db_policies(crm_db* db, char** out_json) {
  return guard([&] {
    CRM_REQUIRE_ARG(db);
    CRM_REQUIRE_ARG(out_json);
    auto answer = db->rep.policies();
    return answer.ok() ? deliver_string(*answer, out_json) : fail(answer.status());
  });
}

crm_status crm_db_policy_document(crm_db* db, const char* name, const char* version, char** out_json) {
  return guard([&] {
    CRM_REQUIRE_ARG(db);
    CRM_REQUIRE_ARG(out_json);
    auto answer = db->rep.policy_document(name ? name : "", version ? version : "");
    return answer.ok() ? deliver_string(*answer, out_json) : fail(answer.status());
  });
}

// Each ledger call serves the system (acting = false) and an acting user: one body for both.
static crm_status record_demand(crm_db* db, bool acting, const char* actor_json, const char* demand_json, char** out_json) {
  return guard([&] {
    CRM_REQUIRE_ARG(db);
    if (acting) CRM_REQUIRE_ARG(actor_json);
    CRM_REQUIRE_ARG(demand_json);
    auto view = acting ? db->rep.record_demand_as(actor_json, demand_json) : db->rep.record_demand(demand_json);
    if (!view.ok()) return fail(view.status());
    return out_json ? deliver_string(*view, out_json) : CRM_OK;
  });
}

crm_status crm_db_record_demand(crm_db* db, const char* demand_json, char** out_json) {
  return record_demand(db, false, nullptr, demand_json, out_json);
}
crm_status crm_db_record_demand_as(crm_db* db, const char* actor_json, const char* demand_json, char** out_json) {
  return record_demand(db, true, actor_json, demand_json, out_json);
}

static crm_status append_event(crm_db* db, bool acting, const char* actor_json, const char* demand_id, const char* event_json) {
  return guard([&] {
    CRM_REQUIRE_ARG(db);
    if (acting) CRM_REQUIRE_ARG(actor_json);
    CRM_REQUIRE_ARG(demand_id);
    CRM_REQUIRE_ARG(event_json);
    const crm::Status s = acting ? db->rep.append_event_as(actor_json, demand_id, event_json) : db->rep.append_event(demand_id, event_json);
    return s.ok() ? CRM_OK : fail(s);
  });
}

crm_status crm_db_append_event(crm_db* db, const char* demand_id, const char* event_json) {
  return append_event(db, false, nullptr, demand_id, event_json);
}
crm_status crm_db_append_event_as(crm_db* db, const char* actor_json, const char* demand_id, const char* event_json) {
  return append_event(db, true, actor_json, demand_id, event_json);
}

static crm_status get_demand(crm_db* db, bool acting, const char* actor_json, const char* demand_id, int64_t at, char** out_json) {
  return guard([&] {
    CRM_REQUIRE_ARG(db);
    if (acting) CRM_REQUIRE_ARG(actor_json);
    CRM_REQUIRE_ARG(demand_id);
    CRM_REQUIRE_ARG(out_json);
    auto view = acting ? db->rep.demand_as(actor_json, demand_id, at) : db->rep.demand(demand_id, at);
    if (!view.ok()) return fail(view.status());
    return deliver_string(*view, out_json);
  });
}

crm_status crm_db_get_demand(crm_db* db, const char* demand_id, int64_t at, char** out_json) {
  return get_demand(db, false, nullptr, demand_id, at, out_json);
}
crm_status crm_db_get_demand_as(crm_db* db, const char* actor_json, const char* demand_id, int64_t at, char** out_json) {
  return get_demand(db, true, actor_json, demand_id, at, out_json);
}

// The work list, the weekly check and reports: a query in, an answer out.
using LedgerQuery = crm::Result<std::string> (crm::Database::*)(std::string_view);
using LedgerQueryAs = crm::Result<std::string> (crm::Database::*)(std::string_view, std::string_view);

static crm_status ledger_query(crm_db* db, const char* actor_json, const char* query_json, char** out, LedgerQuery system,
                               LedgerQueryAs as) {
  return guard([&] {
    CRM_REQUIRE_ARG(db);
    if (as) CRM_REQUIRE_ARG(actor_json);
    CRM_REQUIRE_ARG(query_json);
    CRM_REQUIRE_ARG(out);
    auto answer = as ? (db->rep.*as)(actor_json, query_json) : (db->rep.*system)(query_json);
    if (!answer.ok()) return fail(answer.status());
    return deliver_string(*answer, out);
  });
}

crm_status crm_db_worklist(crm_db* db, const char* query_json, char** out_json) {
  return ledger_query(db, nullptr, query_json, out_json, &crm::Database::worklist, nullptr);
}
crm_status crm_db_worklist_as(crm_db* db, const char* actor_json, const char* query_json, char** out_json) {
  return ledger_query(db, actor_json, query_json, out_json, nullptr, &crm::Database::worklist_as);
}

crm_status crm_db_changes(crm_db* db, const char* query_json, char** out_json) {
  return guard([&] {
    CRM_REQUIRE_ARG(db);
    CRM_REQUIRE_ARG(query_json);
    CRM_REQUIRE_ARG(out_json);
    auto page = db->rep.changes(query_json);
    if (!page.ok()) return fail(page.status());
    return deliver_string(*page, out_json);
  });
}

crm_status crm_db_report(crm_db* db, const char* query_json, char** out) {
  return ledger_query(db, nullptr, query_json, out, &crm::Database::report, nullptr);
}
crm_status crm_db_report_as(crm_db* db, const char* actor_json, const char* query_json, char** out) {
  return ledger_query(db, actor_json, query_json, out, nullptr, &crm::Database::report_as);
}

crm_status crm_db_rebuild_report_facts(crm_db* db, int64_t* out_demands) {
  return guard([&] {
    CRM_REQUIRE_ARG(db);
    auto count = db->rep.rebuild_report_facts();
    if (!count.ok()) return fail(count.status());
    if (out_demands) *out_demands = *count;
    return CRM_OK;
  });
}

crm_status crm_db_next_wakeup(crm_db* db, int64_t now, int64_t* out) {
  return guard([&] {
    CRM_REQUIRE_ARG(db);
    CRM_REQUIRE_ARG(out);
    return crm::capi::deliver(db->rep.next_wakeup(now), out);
  });
}

crm_status crm_db_backup(crm_db* db, const char* path) {
  return guard([&] {
    CRM_REQUIRE_ARG(db);
    CRM_REQUIRE_ARG(path);
    const crm::Status s = db->rep.backup(path);
    return s.ok() ? CRM_OK : fail(s);
  });
}

crm_status crm_db_verify_audit(crm_db* db, char** out_json) {
  return guard([&] {
    CRM_REQUIRE_ARG(db);
    CRM_REQUIRE_ARG(out_json);
    crm::Status failure;
    auto answer = db->rep.verify_audit(&failure);
    if (!answer.ok()) return fail(answer.status());
    const crm_status delivered = deliver_string(*answer, out_json);
    return failure.ok() || delivered != CRM_OK ? delivered : fail(failure);
  });
}

crm_status crm_db_rotate_encryption_key(crm_db* db, const char* new_key_hex) {
  return guard([&] {
    CRM_REQUIRE_ARG(db);
    CRM_REQUIRE_ARG(new_key_hex);
    const crm::Status s = db->rep.rotate_encryption_key(new_key_hex);
    return s.ok() ? CRM_OK : fail(s);
  });
}

crm_status crm_db_update_calendar_data(crm_db* db, int64_t at, char** out_json) {
  return guard([&] {
    CRM_REQUIRE_ARG(db);
    CRM_REQUIRE_ARG(out_json);
    auto report = db->rep.update_calendar_data(at);
    if (!report.ok()) return fail(report.status());
    return deliver_string(*report, out_json);
  });
}

crm_status crm_db_weekly_progress(crm_db* db, const char* query_json, char** out_json) {
  return ledger_query(db, nullptr, query_json, out_json, &crm::Database::weekly_progress, nullptr);
}
crm_status crm_db_weekly_progress_as(crm_db* db, const char* actor_json, const char* query_json, char** out_json) {
  return ledger_query(db, actor_json, query_json, out_json, nullptr, &crm::Database::weekly_progress_as);
}

static crm_status import(crm_db* db, bool acting, const char* actor_json, const char* ndjson_path, const char* options_json,
                         char** out_report_json) {
  return guard([&] {
    CRM_REQUIRE_ARG(db);
    if (acting) CRM_REQUIRE_ARG(actor_json);
    CRM_REQUIRE_ARG(ndjson_path);
    CRM_REQUIRE_ARG(out_report_json);
    crm::Status failure;
    const std::string_view options = options_json ? options_json : "{}";
    auto report = acting ? db->rep.import_as(actor_json, ndjson_path, options, &failure) : db->rep.import(ndjson_path, options, &failure);
    if (!report.ok()) return fail(report.status());
    const crm_status delivered = deliver_string(*report, out_report_json);
    return failure.ok() || delivered != CRM_OK ? delivered : fail(failure);
  });
}

crm_status crm_db_import(crm_db* db, const char* ndjson_path, const char* options_json, char** out_report_json) {
  return import(db, false, nullptr, ndjson_path, options_json, out_report_json);
}
crm_status crm_db_import_as(crm_db* db, const char* actor_json, const char* ndjson_path, const char* options_json,
                            char** out_report_json) {
  return import(db, true, actor_json, ndjson_path, options_json, out_report_json);
}

static crm_status import_records(crm_db* db, bool acting, const char* actor_json, int records_version, const crm_demand_record* demands,
                                 size_t demand_count, const crm_event_record* events, size_t event_count, const char* options_json,
                                 char** out_report_json) {
  return guard([&] {
    CRM_REQUIRE_ARG(db);
    if (acting) CRM_REQUIRE_ARG(actor_json);
    CRM_REQUIRE_ARG(out_report_json);
    if (records_version != CRM_RECORDS_VERSION)
      return fail(CRM_EINVAL, "records_version " + std::to_string(records_version) + " is not " +
                                  std::to_string(CRM_RECORDS_VERSION) + ", the layout this library reads");
    if (demand_count > 0) CRM_REQUIRE_ARG(demands);
    if (event_count > 0) CRM_REQUIRE_ARG(events);
    std::vector<crm::DemandRecord> d;
    d.reserve(demand_count);
    for (size_t i = 0; i < demand_count; ++i) {
      if (demands[i].event_count > 0 && !demands[i].events)
        return fail(CRM_EINVAL, "demands[" + std::to_string(i) + "].events is NULL with an event_count");
      d.push_back(demand_record(demands[i]));
    }
    std::vector<crm::EventRecord> e;
    e.reserve(event_count);
    for (size_t i = 0; i < event_count; ++i) e.push_back(event_record(events[i]));
    crm::Status failure;
    const std::string_view options = options_json ? options_json : "{}";
    auto report = acting ? db->rep.import_records_as(actor_json, d, e, options, &failure) : db->rep.import_records(d, e, options, &failure);
    if (!report.ok()) return fail(report.status());
    const crm_status delivered = deliver_string(*report, out_report_json);
    return failure.ok() || delivered != CRM_OK ? delivered : fail(failure);
  });
}

crm_status crm_db_import_records(crm_db* db, int records_version, const crm_demand_record* demands, size_t demand_count,
                                 const crm_event_record* events, size_t event_count, const char* options_json,
                                 char** out_report_json) {
  return import_records(db, false, nullptr, records_version, demands, demand_count, events, event_count, options_json, out_report_json);
}
crm_status crm_db_import_records_as(crm_db* db, const char* actor_json, int records_version, const crm_demand_record* demands,
                                    size_t demand_count, const crm_event_record* events, size_t event_count, const char* options_json,
                                    char** out_report_json) {
  return import_records(db, true, actor_json, records_version, demands, demand_count, events, event_count, options_json, out_report_json);
}

crm_status crm_db_export_snapshot_with(crm_db* db, const char* path, const char* options_json) {
  return guard([&] {
    CRM_REQUIRE_ARG(db);
    CRM_REQUIRE_ARG(path);
    const crm::Status s = db->rep.export_snapshot(path, options_json ? options_json : "{}");
    return s.ok() ? CRM_OK : fail(s);
  });
}

crm_status crm_db_import_snapshot_with(crm_db* db, const char* path, const char* options_json) {
  return guard([&] {
    CRM_REQUIRE_ARG(db);
    CRM_REQUIRE_ARG(path);
    const crm::Status s = db->rep.import_snapshot(path, options_json ? options_json : "{}");
    return s.ok() ? CRM_OK : fail(s);
  });
}

crm_status crm_db_export_snapshot(crm_db* db, const char* path) { return crm_db_export_snapshot_with(db, path, nullptr); }

crm_status crm_db_import_snapshot(crm_db* db, const char* path) { return crm_db_import_snapshot_with(db, path, nullptr); }

// The four customer-side writes share one shape: actor, document, status.
using CustomerWrite = crm::Status (crm::Database::*)(std::string_view, std::string_view);

static crm_status customer_write(crm_db* db, const char* actor_json, const char* json, CustomerWrite write) {
  return guard([&] {
    CRM_REQUIRE_ARG(db);
    CRM_REQUIRE_ARG(actor_json);
    CRM_REQUIRE_ARG(json);
    const crm::Status s = (db->rep.*write)(actor_json, json);
    return s.ok() ? CRM_OK : fail(s);
  });
}

crm_status crm_db_put_customer(crm_db* db, const char* actor_json, const char* customer_json) {
  return customer_write(db, actor_json, customer_json, &crm::Database::put_customer);
}

crm_status crm_db_add_activity(crm_db* db, const char* actor_json, const char* activity_json) {
  return customer_write(db, actor_json, activity_json, &crm::Database::add_activity);
}

crm_status crm_db_put_prospect(crm_db* db, const char* actor_json, const char* prospect_json) {
  return customer_write(db, actor_json, prospect_json, &crm::Database::put_prospect);
}

crm_status crm_db_add_prospect_event(crm_db* db, const char* actor_json, const char* event_json) {
  return customer_write(db, actor_json, event_json, &crm::Database::add_prospect_event);
}

crm_status crm_db_customer_query(crm_db* db, const char* actor_json, const char* query_json, char** out_json) {
  return guard([&] {
    CRM_REQUIRE_ARG(db);
    CRM_REQUIRE_ARG(actor_json);
    CRM_REQUIRE_ARG(query_json);
    CRM_REQUIRE_ARG(out_json);
    auto answer = db->rep.customer_query(actor_json, query_json);
    if (!answer.ok()) return fail(answer.status());
    return deliver_string(*answer, out_json);
  });
}

}  // extern "C"
