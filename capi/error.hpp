// SPDX-License-Identifier: Apache-2.0
// The single place where C++ outcomes become C status codes (and exceptions stop).
#pragma once

#include <new>
#include <string>

#include "crmpolicy/crmpolicy.h"
#include "crmpolicy/status.hpp"

namespace crm::capi {

void set_last_error(std::string message);
const char* last_error_text() noexcept;
crm_status fail(const Status& status);
crm_status fail(crm_status code, std::string message);

// Runs `body` (returning crm_status) so that no exception ever crosses the C boundary:
// bad_alloc becomes CRM_ENOMEM, anything else CRM_EINTERNAL.
template <class Body>
crm_status guard(Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return fail(CRM_ENOMEM, "out of memory");
  } catch (const std::exception& e) {
    return fail(CRM_EINTERNAL, std::string("internal error: ") + e.what());
  } catch (...) {
    return fail(CRM_EINTERNAL, "internal error: unknown exception");
  }
}

// Stores a successful result in *out, or reports the failure; *out is untouched on failure.
template <class T, class Out>
crm_status deliver(Result<T>&& result, Out* out) {
  if (!result.ok()) return fail(result.status());
  *out = static_cast<Out>(*result);
  return CRM_OK;
}

// Copies `text` into a buffer the caller frees with crm_free().
crm_status deliver_string(const std::string& text, char** out);

#define CRM_REQUIRE_ARG(arg)                                                 \
  do {                                                                       \
    if ((arg) == nullptr) return ::crm::capi::fail(CRM_EINVAL, #arg " is NULL"); \
  } while (0)

}  // namespace crm::capi
