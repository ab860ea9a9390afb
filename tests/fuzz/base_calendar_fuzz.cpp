// Fuzzes the parser of the statutory calendar data format (data/calendars/*.txt).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "calendar/base_calendars.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)crm::detail::parse_base_calendar(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
