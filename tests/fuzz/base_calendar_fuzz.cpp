// SPDX-License-Identifier: Apache-2.0
// Fuzzes the statutory calendar data format (data/calendars/*.txt): the parser, and the file read
// at run time from $CRMPOLICY_DATA_DIR/calendars/cn.txt with a calendar built on whatever it
// accepts (completed by law past its last notice) and queried.
#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>

#include "calendar/base_calendars.hpp"
#include "crmpolicy/calendar.hpp"

namespace {

const std::string& data_file() {
  static const std::string path = [] {
    char pattern[] = "/tmp/crmpolicy-fuzz-cn-XXXXXX";
    const std::string dir = mkdtemp(pattern);
    (void)system(("mkdir -p '" + dir + "/calendars'").c_str());
    setenv("CRMPOLICY_DATA_DIR", dir.c_str(), 1);
    return dir + "/calendars/cn.txt";
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)crm::detail::parse_base_calendar(text);
  std::ofstream(data_file(), std::ios::binary | std::ios::trunc).write(text.data(), static_cast<std::streamsize>(text.size()));
  auto cal = crm::Calendar::from_json(R"({"time_zone":"Asia/Shanghai","base":"cn","hours":{"mon":"09:00-17:00","sat":"09:00-12:00"}})");
  if (cal.ok()) {
    for (int32_t d : {20150101, 20261001, 20270205, 21991231}) (void)cal->is_working_day(d);
    (void)cal->add_working_days(1800000000, 30);
    (void)cal->special_days(20270101, 20271231);
    if (cal->data_until() < 20261231) __builtin_trap();  // an older file must have been refused
  }
  return 0;
}
