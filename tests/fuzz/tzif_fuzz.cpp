// SPDX-License-Identifier: Apache-2.0
// Fuzzes the TZif reader (the system tz files are input too: a corrupt one must not crash us).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "calendar/time_zone.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto tz = crm::detail::TimeZone::from_tzif(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!tz.ok()) return 0;
  size_t hint = 0;
  for (int64_t local = -86400 * 4; local < 7258118400; local += 86400 * 97) {
    const int64_t u = tz->to_utc(local, hint);
    (void)tz->offset_at(u);
  }
  return 0;
}
