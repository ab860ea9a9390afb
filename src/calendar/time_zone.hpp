// SPDX-License-Identifier: Apache-2.0
// Time zones from the system tz database (TZif files) or fixed offsets. Used only while a calendar
// is built: the calendar precomputes everything, so lookups here are never on a hot path.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crmpolicy/status.hpp"

namespace crm::detail {

class TimeZone {
 public:
  // "Asia/Shanghai" (read from $TZDIR or /usr/share/zoneinfo), "UTC", or a fixed "+08:00".
  static Result<TimeZone> load(std::string_view name);
  // Parses TZif bytes (RFC 8536, versions 1-4), extending the footer rule through 2200.
  static Result<TimeZone> from_tzif(std::string_view bytes);
  static TimeZone fixed(int32_t utc_offset_seconds);

  // UTC offset in force at a UTC instant.
  int32_t offset_at(int64_t utc) const;

  // The UTC instant of a local wall-clock time, given as seconds since local 1970-01-01 00:00.
  // A local time inside a spring-forward gap maps to the first instant after the gap; an
  // ambiguous one (fall-back overlap) to its first occurrence. `hint` speeds up ascending
  // queries; pass the same variable, starting at 0.
  int64_t to_utc(int64_t local, size_t& hint) const;

  // UTC instants where the offset changes (strictly ascending) and the offsets around them:
  // offsets()[i] is in force before transitions()[i], offsets().back() after the last.
  const std::vector<int64_t>& transitions() const noexcept { return transitions_; }
  const std::vector<int32_t>& offsets() const noexcept { return offsets_; }

 private:
  TimeZone() = default;
  size_t regime_of_local(int64_t local, size_t hint) const;

  std::vector<int64_t> transitions_;
  std::vector<int32_t> offsets_{0};
};

// Parses "+08:00" / "-05:30" into seconds east of UTC; false when the text is not such an offset.
bool parse_fixed_offset(std::string_view text, int32_t& seconds);

}  // namespace crm::detail
