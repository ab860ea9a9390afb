// SPDX-License-Identifier: Apache-2.0
// Times as crmctl's options and CSV cells give them (cli.hpp parse_instant).
#include <cstdio>
#include <ctime>

#include "cli.hpp"
#include "words.hpp"

namespace crmctl {

int64_t parse_instant(const std::string& text, const crm::Calendar& calendar, const std::string& option) {
  const auto bad = [&] {
    return UsageError{"--" + option + ": " +
                      trf("\"{}\" is not a time (epoch seconds, YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+HH:MM|Z])", {text})};
  };
  // Epoch seconds: up to 2199 they have at most 10 digits (more would overflow, not only be late).
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos) {
    if (text.size() > 11) throw bad();
    return std::stoll(text);
  }
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, used = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3 || used != 10) throw bad();
  std::string rest = text.substr(10);
  if (!rest.empty()) {
    if (rest[0] != 'T' && rest[0] != ' ') throw bad();
    int n = 0;
    if (std::sscanf(rest.c_str() + 1, "%2d:%2d%n", &h, &mi, &n) != 2) throw bad();
    rest = rest.substr(1 + static_cast<size_t>(n));
    if (rest.size() >= 3 && rest[0] == ':' && std::sscanf(rest.c_str() + 1, "%2d%n", &s, &n) == 1) rest = rest.substr(1 + static_cast<size_t>(n));
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) throw bad();
  std::tm tm{};
  tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = d, tm.tm_hour = h, tm.tm_min = mi, tm.tm_sec = s;
  const int64_t as_utc = static_cast<int64_t>(timegm(&tm));
  if (rest.empty()) return as_utc - calendar.utc_offset_at(as_utc - calendar.utc_offset_at(as_utc));
  if (rest == "Z") return as_utc;
  int oh = 0, om = 0;
  if ((rest[0] != '+' && rest[0] != '-') || std::sscanf(rest.c_str() + 1, "%2d:%2d", &oh, &om) != 2) throw bad();
  return as_utc - (rest[0] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
}

}  // namespace crmctl
