// C wrapper of crm::Database.
#include "capi/error.hpp"
#include "capi/handles.hpp"

using crm::capi::fail;
using crm::capi::guard;

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

void crm_db_close(crm_db* db) { delete db; }

crm_status crm_db_put_policy(crm_db* db, const char* policy_json) {
  return guard([&] {
    CRM_REQUIRE_ARG(db);
    CRM_REQUIRE_ARG(policy_json);
    const crm::Status s = db->rep.put_policy(policy_json);
    return s.ok() ? CRM_OK : fail(s);
  });
}

}  // extern "C"
