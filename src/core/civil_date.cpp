// SPDX-License-Identifier: Apache-2.0
#include "core/civil_date.hpp"

#include <cstdio>

#include <boost/date_time/gregorian/gregorian.hpp>

namespace crm::detail {

namespace {
const boost::gregorian::date kEpoch(1970, 1, 1);

bool all_digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}
int32_t to_int(std::string_view s) {
  int32_t v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}
}  // namespace

std::optional<int32_t> day_number(int32_t year, int32_t month, int32_t day) {
  // Boost.Date_Time validates month lengths and leap years; it reports bad dates by throwing.
  if (year < 1400 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  try {
    const boost::gregorian::date d(static_cast<unsigned short>(year), static_cast<unsigned short>(month),
                                   static_cast<unsigned short>(day));
    return static_cast<int32_t>((d - kEpoch).days());
  } catch (const std::out_of_range&) {
    return std::nullopt;
  }
}

std::optional<int32_t> day_number_from_yyyymmdd(int32_t yyyymmdd) {
  if (yyyymmdd <= 0) return std::nullopt;
  return day_number(yyyymmdd / 10000, yyyymmdd / 100 % 100, yyyymmdd % 100);
}

std::optional<int32_t> parse_iso_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto y = text.substr(0, 4), m = text.substr(5, 2), d = text.substr(8, 2);
  if (!all_digits(y) || !all_digits(m) || !all_digits(d)) return std::nullopt;
  return day_number(to_int(y), to_int(m), to_int(d));
}

// Civil-from-days (H. Hinnant): integer arithmetic, since rendering happens for every result.
void civil_from_days(int64_t days, int64_t& y, int64_t& m, int64_t& d) {
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = yoe + era * 400 + (m <= 2 ? 1 : 0);
}

namespace {

char* put2(char* p, int64_t v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
  return p + 2;
}

char* put_date(char* p, int64_t days) {
  int64_t y = 0, m = 0, d = 0;
  civil_from_days(days, y, m, d);
  p = put2(p, y / 100 % 100);
  p = put2(p, y % 100);
  *p++ = '-';
  p = put2(p, m);
  *p++ = '-';
  return put2(p, d);
}

}  // namespace

std::string format_iso_date(int32_t day) {
  char buf[10];
  return std::string(buf, static_cast<size_t>(put_date(buf, day) - buf));
}

std::string format_local_iso(int64_t utc, int32_t offset_seconds) {
  char buf[32];
  return std::string(buf, format_local_iso(buf, utc, offset_seconds));
}

size_t format_local_iso(char (&buf)[32], int64_t utc, int32_t offset_seconds) {
  const int64_t local = utc + offset_seconds;
  const int64_t day = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
  const int64_t sec = local - day * 86400;
  const int32_t off = offset_seconds < 0 ? -offset_seconds : offset_seconds;
  char* p = put_date(buf, day);
  *p++ = 'T';
  p = put2(p, sec / 3600);
  *p++ = ':';
  p = put2(p, sec / 60 % 60);
  *p++ = ':';
  p = put2(p, sec % 60);
  *p++ = offset_seconds < 0 ? '-' : '+';
  p = put2(p, off / 3600);
  *p++ = ':';
  p = put2(p, off / 60 % 60);
  return static_cast<size_t>(p - buf);
}

std::string format_hhmm(int64_t seconds_after_midnight) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(seconds_after_midnight / 3600),
                static_cast<int>(seconds_after_midnight / 60 % 60));
  return buf;
}

std::string format_iso_week(int32_t day) {
  // The week belongs to the year of its Thursday.
  const int32_t thursday = day - weekday_of(day) + 3;
  int64_t y, m, d;
  civil_from_days(thursday, y, m, d);
  const int32_t week = (thursday - *day_number(static_cast<int32_t>(y), 1, 1)) / 7 + 1;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-W%02d", static_cast<int>(y), static_cast<int>(week));
  return buffer;
}

}  // namespace crm::detail
