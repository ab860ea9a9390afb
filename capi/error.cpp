// SPDX-License-Identifier: Apache-2.0
#include "capi/error.hpp"

#include <cstdlib>
#include <cstring>

namespace crm::capi {

namespace {
// Per thread, so concurrent callers never see each other's messages.
thread_local std::string last_error;
}  // namespace

const char* last_error_text() noexcept { return last_error.c_str(); }

void set_last_error(std::string message) {
  try {
    last_error = std::move(message);
  } catch (...) {
    last_error.clear();  // keep the status; losing the text is better than throwing here
  }
}

crm_status fail(crm_status code, std::string message) {
  set_last_error(std::move(message));
  return code;
}

crm_status deliver_string(const std::string& text, char** out) {
  char* buffer = static_cast<char*>(std::malloc(text.size() + 1));
  if (!buffer) return fail(CRM_ENOMEM, "out of memory");
  std::memcpy(buffer, text.c_str(), text.size() + 1);
  *out = buffer;
  return CRM_OK;
}

crm_status fail(const Status& status) {
  return fail(static_cast<crm_status>(status.code()), status.message());
}

}  // namespace crm::capi

extern "C" {

const char* crm_last_error(void) { return crm::capi::last_error_text(); }

const char* crm_status_str(crm_status status) {
  const int code = static_cast<int>(status);
  if (code < 0 || code > static_cast<int>(CRM_EPERM)) return "unknown status";
  return crm::status_code_name(static_cast<crm::StatusCode>(code));
}

void crm_free(void* p) { std::free(p); }

}  // extern "C"
