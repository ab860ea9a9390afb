// SPDX-License-Identifier: Apache-2.0
// Helpers for writing instants in tests as local wall-clock times.
#pragma once

#include <cstdint>

namespace crm::test {

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm), independent of the library.
constexpr int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

constexpr int64_t utc(int64_t y, int64_t mo, int64_t d, int64_t h = 0, int64_t mi = 0, int64_t s = 0) {
  return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

// Asia/Shanghai has been UTC+8 without DST since 1991.
constexpr int64_t shanghai(int64_t y, int64_t mo, int64_t d, int64_t h = 0, int64_t mi = 0, int64_t s = 0) {
  return utc(y, mo, d, h, mi, s) - 8 * 3600;
}

constexpr int64_t kHour = 3600;

}  // namespace crm::test
