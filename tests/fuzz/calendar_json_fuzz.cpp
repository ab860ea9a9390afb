// SPDX-License-Identifier: Apache-2.0
// Fuzzes the calendar JSON parser and, when a calendar builds, every operation on it.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "crmpolicy/calendar.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto cal = crm::Calendar::from_json(text);
  if (!cal.ok()) {
    if (cal.status().message().empty()) __builtin_trap();  // every failure must explain itself
    return 0;
  }
  // Derive instants and amounts from the input so the engine sees varied, reproducible queries.
  uint64_t seed = 1469598103934665603ull;
  for (size_t i = 0; i < size; ++i) seed = (seed ^ data[i]) * 1099511628211ull;
  const int64_t span = cal->max_time() - cal->min_time();
  for (int i = 0; i < 16; ++i) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    const int64_t t = cal->min_time() + static_cast<int64_t>((seed >> 11) % static_cast<uint64_t>(span + 1));
    const int64_t amount = static_cast<int64_t>((seed >> 3) % (400 * 3600)) - 3600;
    const auto added = cal->add_working_time(t, amount);
    if (added.ok()) {
      if (amount > 0 && *cal->working_time_between(t, *added) != amount) __builtin_trap();
      if (*added < t) __builtin_trap();
    }
    (void)cal->add_working_days(t, static_cast<int32_t>(amount % 40));
    (void)cal->add_calendar_days(t, static_cast<int32_t>(amount % 400));
    (void)cal->next_working_instant(t);
    (void)cal->is_working_time(t);
    (void)cal->is_working_day(static_cast<int32_t>(19700101 + (seed >> 20) % 2300000));
  }
  return 0;
}
