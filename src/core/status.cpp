// SPDX-License-Identifier: Apache-2.0
#include "crmpolicy/status.hpp"

namespace crm {

const char* status_code_name(StatusCode code) noexcept {
  switch (code) {
    case StatusCode::ok: return "ok";
    case StatusCode::invalid_argument: return "invalid argument";
    case StatusCode::out_of_range: return "out of range";
    case StatusCode::not_found: return "not found";
    case StatusCode::invalid_state: return "invalid state";
    case StatusCode::conflict: return "conflict";
    case StatusCode::io_error: return "I/O error";
    case StatusCode::out_of_memory: return "out of memory";
    case StatusCode::internal: return "internal error";
    case StatusCode::permission_denied: return "permission denied";
  }
  return "unknown status";
}

Status::Status(StatusCode code, std::string message) {
  if (code != StatusCode::ok) rep_ = std::make_unique<Rep>(Rep{code, std::move(message)});
}

Status::Status(const Status& other) : rep_(other.rep_ ? std::make_unique<Rep>(*other.rep_) : nullptr) {}

Status& Status::operator=(const Status& other) {
  if (this != &other) rep_ = other.rep_ ? std::make_unique<Rep>(*other.rep_) : nullptr;
  return *this;
}

const std::string& Status::message() const noexcept {
  static const std::string kEmpty;
  return rep_ ? rep_->message : kEmpty;
}

std::string Status::to_string() const {
  if (ok()) return "ok";
  return std::string(status_code_name(rep_->code)) + ": " + rep_->message;
}

}  // namespace crm
