// SPDX-License-Identifier: Apache-2.0
// C wrapper of crm::Calendar.
#include "capi/error.hpp"
#include "capi/handles.hpp"

using crm::capi::deliver;
using crm::capi::fail;
using crm::capi::guard;

extern "C" {

crm_status crm_calendar_from_json(const char* json, crm_calendar** out) {
  return guard([&] {
    CRM_REQUIRE_ARG(json);
    CRM_REQUIRE_ARG(out);
    auto calendar = crm::Calendar::from_json(json);
    if (!calendar.ok()) return fail(calendar.status());
    *out = new crm_calendar{std::move(*calendar)};
    return CRM_OK;
  });
}

void crm_calendar_free(crm_calendar* cal) { delete cal; }

crm_status crm_calendar_is_working_time(const crm_calendar* cal, int64_t t, int* out) {
  return guard([&] {
    CRM_REQUIRE_ARG(cal);
    CRM_REQUIRE_ARG(out);
    return deliver(cal->rep.is_working_time(t), out);
  });
}

crm_status crm_calendar_is_working_day(const crm_calendar* cal, int32_t yyyymmdd, int* out) {
  return guard([&] {
    CRM_REQUIRE_ARG(cal);
    CRM_REQUIRE_ARG(out);
    return deliver(cal->rep.is_working_day(yyyymmdd), out);
  });
}

crm_status crm_calendar_next_working_instant(const crm_calendar* cal, int64_t t, int64_t* out) {
  return guard([&] {
    CRM_REQUIRE_ARG(cal);
    CRM_REQUIRE_ARG(out);
    return deliver(cal->rep.next_working_instant(t), out);
  });
}

}  // extern "C"

namespace {

// The two deadline calls answer without a Result when they succeed; a failure goes the long way,
// out of line (so the fast path saves no registers), for its message.
[[gnu::noinline]] crm_status add_working_time_failed(const crm_calendar* cal, int64_t start, int64_t seconds, int64_t* out) {
  return guard([&] {
    CRM_REQUIRE_ARG(cal);
    CRM_REQUIRE_ARG(out);
    return deliver(cal->rep.add_working_time(start, seconds), out);
  });
}

[[gnu::noinline]] crm_status add_working_days_failed(const crm_calendar* cal, int64_t start, int32_t days, int64_t* out) {
  return guard([&] {
    CRM_REQUIRE_ARG(cal);
    CRM_REQUIRE_ARG(out);
    return deliver(cal->rep.add_working_days(start, days), out);
  });
}

}  // namespace

extern "C" {

crm_status crm_calendar_add_working_time(const crm_calendar* cal, int64_t start, int64_t seconds, int64_t* out) {
  if (cal && out && cal->rep.try_add_working_time(start, seconds, *out)) return CRM_OK;
  return add_working_time_failed(cal, start, seconds, out);
}

crm_status crm_calendar_add_working_days(const crm_calendar* cal, int64_t start, int32_t days, int64_t* out) {
  if (cal && out && cal->rep.try_add_working_days(start, days, *out)) return CRM_OK;
  return add_working_days_failed(cal, start, days, out);
}

crm_status crm_calendar_add_calendar_days(const crm_calendar* cal, int64_t start, int32_t days, int64_t* out) {
  return guard([&] {
    CRM_REQUIRE_ARG(cal);
    CRM_REQUIRE_ARG(out);
    return deliver(cal->rep.add_calendar_days(start, days), out);
  });
}

crm_status crm_calendar_working_time_between(const crm_calendar* cal, int64_t a, int64_t b, int64_t* out) {
  return guard([&] {
    CRM_REQUIRE_ARG(cal);
    CRM_REQUIRE_ARG(out);
    return deliver(cal->rep.working_time_between(a, b), out);
  });
}

crm_status crm_calendar_data_until(const crm_calendar* cal, int32_t* out) {
  return guard([&] {
    CRM_REQUIRE_ARG(cal);
    CRM_REQUIRE_ARG(out);
    *out = cal->rep.data_until();
    return CRM_OK;
  });
}

}  // extern "C"
