// SPDX-License-Identifier: Apache-2.0
#include "calendar/cn_statutory.hpp"

#include <algorithm>
#include <set>

#include "core/civil_date.hpp"
#include "core/text_lines.hpp"

namespace crm::detail {

extern const char kCnLunarData[];
extern const std::size_t kCnLunarData_size;

Result<std::vector<LunarYear>> parse_lunar_table(std::string_view text) {
  std::vector<LunarYear> out;
  size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const std::string_view line = take_line(text);
    if (line.empty() || line[0] == '#') continue;
    const auto error = [&](const std::string& why) {
      return Status::invalid_argument("lunar table line " + std::to_string(line_no) + ": " + why);
    };
    // "YYYY YYYY-MM-DD YYYY-MM-DD YYYY-MM-DD YYYY-MM-DD": fixed widths.
    if (line.size() != 4 + 4 * 11) return error("expected: <year> <正月初一> <清明> <五月初五> <八月十五>");
    int32_t days[4];
    for (size_t i = 0; i < 4; ++i) {
      const auto d = line[4 + 11 * i] == ' ' ? parse_iso_date(line.substr(5 + 11 * i, 10)) : std::nullopt;
      if (!d) return error("bad date in field " + std::to_string(i + 2));
      days[i] = *d;
    }
    int32_t year = 0;
    for (char c : line.substr(0, 4)) {
      if (c < '0' || c > '9') return error("bad year");
      year = year * 10 + (c - '0');
    }
    if (!out.empty() && year != out.back().year + 1) return error("years must follow each other");
    out.push_back({year, days[0], days[1], days[2], days[3]});
  }
  return out;
}

const std::vector<LunarYear>& cn_lunar_table() {
  static const std::vector<LunarYear> table = [] {
    auto parsed = parse_lunar_table(std::string_view(kCnLunarData, kCnLunarData_size));
    return parsed.ok() ? std::move(*parsed) : std::vector<LunarYear>();  // a broken table fails the tests
  }();
  return table;
}

namespace {

struct Festival {
  const char* name;
  int32_t first;
  int32_t count;
};

}  // namespace

std::vector<StatutoryDay> statutory_days(const LunarYear& y) {
  if (y.year < 2008) return {};
  const auto date = [&](int32_t month, int32_t day) { return *day_number(y.year, month, day); };
  // Article 2 in the version in force on January 1 of the year.
  const bool v2014 = y.year >= 2014, v2025 = y.year >= 2025;
  const std::vector<Festival> festivals = {
      {"元旦", date(1, 1), 1},
      {"春节", v2025 ? y.spring_festival - 1 : v2014 ? y.spring_festival : y.spring_festival - 1, v2025 ? 4 : 3},
      {"清明节", y.qingming, 1},
      {"劳动节", date(5, 1), v2025 ? 2 : 1},
      {"端午节", y.duanwu, 1},
      {"中秋节", y.zhongqiu, 1},
      {"国庆节", date(10, 1), 3},
  };
  std::vector<Festival> ordered = festivals;
  std::sort(ordered.begin(), ordered.end(), [](const Festival& a, const Festival& b) { return a.first < b.first; });
  // Every festival day first, so no day in lieu lands on a festival; a day two festivals share
  // is listed under the first and owed by the second.
  std::set<int32_t> off;
  std::vector<StatutoryDay> out;
  std::vector<int32_t> owed(ordered.size(), 0);
  for (size_t i = 0; i < ordered.size(); ++i) {
    for (int32_t d = ordered[i].first; d < ordered[i].first + ordered[i].count; ++d) {
      const bool taken = !off.insert(d).second;
      if (!taken) out.push_back({d, ordered[i].name});
      if (weekday_of(d) >= 5 || taken) ++owed[i];  // Article 6
    }
  }
  // Article 6: made up on the first working days after the festival.
  for (size_t i = 0; i < ordered.size(); ++i) {
    for (int32_t d = ordered[i].first + ordered[i].count; owed[i] > 0; ++d) {
      if (weekday_of(d) >= 5 || !off.insert(d).second) continue;
      out.push_back({d, std::string(ordered[i].name) + "（补假）"});
      --owed[i];
    }
  }
  std::sort(out.begin(), out.end(), [](const StatutoryDay& a, const StatutoryDay& b) { return a.day < b.day; });
  return out;
}

}  // namespace crm::detail
