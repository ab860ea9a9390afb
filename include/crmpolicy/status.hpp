// SPDX-License-Identifier: Apache-2.0
// crm::Status and crm::Result<T>: how every fallible crmpolicy call reports failure.
#pragma once

#include <cassert>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "crmpolicy/export.h"

namespace crm {

// Maps one to one onto crm_status in crmpolicy.h; values are fixed forever.
enum class StatusCode : int {
  ok = 0,
  invalid_argument = 1,
  out_of_range = 2,
  not_found = 3,
  invalid_state = 4,
  conflict = 5,
  io_error = 6,
  out_of_memory = 7,
  internal = 8,
  permission_denied = 9,
};

// Short static description of a code ("invalid argument").
CRM_API const char* status_code_name(StatusCode code) noexcept;

// Success costs one null pointer; a failure carries its code and a message that names the
// field, the value and the reason. Data and I/O failures are Status values, never exceptions.
class [[nodiscard]] CRM_CXX_API Status {
 public:
  Status() noexcept = default;
  Status(StatusCode code, std::string message);
  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;
  ~Status() = default;

  static Status invalid_argument(std::string message) { return {StatusCode::invalid_argument, std::move(message)}; }
  static Status out_of_range(std::string message) { return {StatusCode::out_of_range, std::move(message)}; }
  static Status not_found(std::string message) { return {StatusCode::not_found, std::move(message)}; }
  static Status invalid_state(std::string message) { return {StatusCode::invalid_state, std::move(message)}; }
  static Status conflict(std::string message) { return {StatusCode::conflict, std::move(message)}; }
  static Status io_error(std::string message) { return {StatusCode::io_error, std::move(message)}; }
  static Status internal(std::string message) { return {StatusCode::internal, std::move(message)}; }
  static Status permission_denied(std::string message) { return {StatusCode::permission_denied, std::move(message)}; }

  bool ok() const noexcept { return rep_ == nullptr; }
  StatusCode code() const noexcept { return rep_ ? rep_->code : StatusCode::ok; }
  // Empty for success.
  const std::string& message() const noexcept;
  // "invalid argument: /hours/mon: ..." — for logs.
  std::string to_string() const;

 private:
  struct Rep {
    StatusCode code;
    std::string message;
  };
  std::unique_ptr<Rep> rep_;
};

// A value or the Status saying why there is none (std::expected stand-in for C++17).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design, like expected
  Result(Status status) : status_(std::move(status)) { assert(!status_.ok()); }  // NOLINT

  bool ok() const noexcept { return status_.ok(); }
  const Status& status() const& noexcept { return status_; }
  Status&& status() && noexcept { return std::move(status_); }

  const T& value() const& { assert(ok()); return *value_; }
  T& value() & { assert(ok()); return *value_; }
  T&& value() && { assert(ok()); return std::move(*value_); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace crm
