// SPDX-License-Identifier: Apache-2.0
// C wrapper of crm::Policy.
#include <nlohmann/json.hpp>

#include "capi/error.hpp"
#include "capi/handles.hpp"
#include "core/file_util.hpp"

using crm::capi::deliver_string;
using crm::capi::fail;
using crm::capi::guard;

namespace {

crm_status make_policy(crm::Result<crm::Policy> policy, crm_policy** out) {
  if (!policy.ok()) return fail(policy.status());
  auto handle = std::make_unique<crm_policy>(crm_policy{std::move(*policy), {}});
  for (const std::string& name : handle->rep.calendar_names())
    handle->calendars.emplace_back(name, std::make_unique<crm_calendar>(crm_calendar{*handle->rep.calendar(name)}));
  *out = handle.release();
  return CRM_OK;
}

}  // namespace

extern "C" {

crm_status crm_policy_from_json(const char* json, crm_policy** out) {
  return guard([&] {
    CRM_REQUIRE_ARG(json);
    CRM_REQUIRE_ARG(out);
    return make_policy(crm::Policy::from_json(json), out);
  });
}

crm_status crm_policy_from_file(const char* path, crm_policy** out) {
  return guard([&] {
    CRM_REQUIRE_ARG(path);
    CRM_REQUIRE_ARG(out);
    // Any failure to read the file is CRM_EIO, as documented, a missing file included.
    auto text = crm::detail::read_file(path, size_t{1} << 26);
    if (!text.ok()) return fail(CRM_EIO, "cannot read policy file: " + text.status().message());
    auto policy = crm::Policy::from_json(*text);
    if (!policy.ok())
      return fail(static_cast<crm_status>(policy.status().code()), std::string(path) + ": " + policy.status().message());
    return make_policy(std::move(policy), out);
  });
}

void crm_policy_free(crm_policy* p) { delete p; }

crm_status crm_policy_warnings(const crm_policy* p, char** out_json) {
  return guard([&] {
    CRM_REQUIRE_ARG(p);
    CRM_REQUIRE_ARG(out_json);
    return deliver_string(nlohmann::json(p->rep.warnings()).dump(), out_json);
  });
}

crm_status crm_policy_evaluate(const crm_policy* p, const char* demand_json, char** out_json) {
  return guard([&] {
    CRM_REQUIRE_ARG(p);
    CRM_REQUIRE_ARG(demand_json);
    CRM_REQUIRE_ARG(out_json);
    bool explain = false;
    auto demand = crm::demand_from_json(demand_json, &explain);
    if (!demand.ok()) return fail(demand.status());
    auto evaluation = p->rep.evaluate(*demand, explain);
    if (!evaluation.ok()) return fail(evaluation.status());
    return deliver_string(crm::to_json(*evaluation), out_json);
  });
}

crm_status crm_policy_locale(const crm_policy* p, const char** out) {
  return guard([&] {
    CRM_REQUIRE_ARG(p);
    CRM_REQUIRE_ARG(out);
    *out = p->rep.locale().c_str();
    return CRM_OK;
  });
}

crm_status crm_term_label(const char* locale, const char* term, const char** out) {
  return guard([&] {
    CRM_REQUIRE_ARG(locale);
    CRM_REQUIRE_ARG(term);
    CRM_REQUIRE_ARG(out);
    if (std::string_view(locale) != "zh-CN" && std::string_view(locale) != "en")
      return fail(CRM_EINVAL, std::string("locale: expected \"zh-CN\" or \"en\", not \"") + locale + "\"");
    const auto label = crm::term_label(locale, term);
    if (!label) return fail(CRM_ENOTFOUND, std::string("no label for the term \"") + term + "\"");
    *out = label->data();  // the catalogue's NUL-terminated literal
    return CRM_OK;
  });
}

crm_status crm_policy_calendar(const crm_policy* p, const char* name, const crm_calendar** out) {
  return guard([&] {
    CRM_REQUIRE_ARG(p);
    CRM_REQUIRE_ARG(name);
    CRM_REQUIRE_ARG(out);
    for (const auto& [calendar_name, handle] : p->calendars)
      if (calendar_name == name) {
        *out = handle.get();
        return CRM_OK;
      }
    return fail(CRM_ENOTFOUND, std::string("policy has no calendar \"") + name + "\"");
  });
}

}  // extern "C"
