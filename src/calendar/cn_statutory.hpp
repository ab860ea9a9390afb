// SPDX-License-Identifier: Apache-2.0
// China's statutory holidays by law, for the years no State Council notice covers yet:
// 《全国年节及纪念日放假办法》 Article 2 (the days off) and Article 6 (a holiday on a Saturday or
// Sunday is made up on a working day), on the lunisolar dates of data/calendars/cn-lunar.txt.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crmpolicy/status.hpp"

namespace crm::detail {

// The lunisolar days of one Gregorian year (day numbers, Beijing dates).
struct LunarYear {
  int32_t year;
  int32_t spring_festival;  // 正月初一
  int32_t qingming;         // 清明 (the solar term)
  int32_t duanwu;           // 五月初五
  int32_t zhongqiu;         // 八月十五
};

// Parses the cn-lunar.txt format: "<year> <正月初一> <清明> <五月初五> <八月十五>" a line.
Result<std::vector<LunarYear>> parse_lunar_table(std::string_view text);
// The compiled-in table, 1970-2199, parsed once.
const std::vector<LunarYear>& cn_lunar_table();

struct StatutoryDay {
  int32_t day;
  std::string name;  // 元旦, 春节, ...; "春节（补假）" for a day in lieu (Article 6)
};

// The days off the law in force on January 1 of the year gives (ascending): from 2008
// (国务院令第513号) the seven festivals, from 2014 (国务院令第644号) 春节 on 初一 to 初三, from
// 2025 (国务院令第795号) 春节 on 除夕 to 初三 and 劳动节 on May 1 and 2. Each festival day on a
// Saturday or Sunday, or on a day another festival already takes, is made up on the first
// working day after the festival (the practice of every notice: 2015 端午 06-20 → 06-22).
// Empty before 2008.
std::vector<StatutoryDay> statutory_days(const LunarYear& year);

}  // namespace crm::detail
