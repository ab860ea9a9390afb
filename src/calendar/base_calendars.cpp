// SPDX-License-Identifier: Apache-2.0
#include "calendar/base_calendars.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <mutex>

#include "calendar/cn_statutory.hpp"
#include "core/civil_date.hpp"
#include "core/file_util.hpp"
#include "core/text_lines.hpp"

namespace crm::detail {

extern const char kCnHolidayData[];
extern const std::size_t kCnHolidayData_size;

namespace {

std::vector<std::string_view> split_fields(std::string_view line, size_t max_fields) {
  std::vector<std::string_view> fields;
  while (!line.empty()) {
    const size_t start = line.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    line.remove_prefix(start);
    if (fields.size() + 1 == max_fields) {  // the last field takes the rest of the line
      fields.push_back(line);
      break;
    }
    const size_t end = line.find(' ');
    fields.push_back(line.substr(0, end));
    line.remove_prefix(end == std::string_view::npos ? line.size() : end);
  }
  return fields;
}

}  // namespace

Result<BaseCalendar> parse_base_calendar(std::string_view text) {
  // The statutory data of two centuries fits in far less; a line is one record and its name.
  constexpr size_t kMaxBytes = size_t{1} << 20;
  constexpr size_t kMaxLineBytes = 1024;
  if (text.size() > kMaxBytes)
    return Status::invalid_argument(std::to_string(text.size()) + " bytes, more than the " + std::to_string(kMaxBytes) +
                                    " a base calendar may have");
  BaseCalendar cal;
  std::map<int32_t, BaseDay> by_day;
  std::map<int32_t, size_t> seen_in_notice;  // day -> notice that last listed it
  size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    std::string_view line = take_line(text);
    if (const size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    if (line.find_first_not_of(' ') == std::string_view::npos) continue;

    const auto error = [&](const std::string& why) {
      return Status::invalid_argument("line " + std::to_string(line_no) + ": " + why);
    };
    if (line.size() > kMaxLineBytes) return error("longer than " + std::to_string(kMaxLineBytes) + " bytes");
    const auto keyword = split_fields(line, 2)[0];
    if (keyword == "notice") {
      const auto f = split_fields(line, 5);
      if (f.size() != 5) return error("expected: notice <year> <number> <date issued> <title>");
      const auto issued = parse_iso_date(f[3]);
      const auto year = parse_iso_date(std::string(f[1]) + "-01-01");
      if (!year || !issued) return error("bad year or date in notice line");
      cal.notices.push_back({(f[1][0] - '0') * 1000 + (f[1][1] - '0') * 100 + (f[1][2] - '0') * 10 + (f[1][3] - '0'),
                             std::string(f[2]), *issued, std::string(f[4])});
      continue;
    }
    if (keyword != "off" && keyword != "work") return error("unknown record \"" + std::string(keyword) + "\"");
    if (cal.notices.empty()) return error("a record must follow the notice it comes from");
    const bool working = keyword == "work";
    auto f = split_fields(line, 4);
    if (f.size() < 3) return error("expected: " + std::string(keyword) + " <date> [<last date>] <name>");
    const auto first = parse_iso_date(f[1]);
    if (!first) return error("invalid date \"" + std::string(f[1]) + "\"");
    int32_t last = *first;
    std::string name(f[2]);
    if (f.size() == 4) {
      if (const auto maybe_last = parse_iso_date(f[2])) {
        if (working) return error("a make-up working day is a single date");
        last = *maybe_last;
        name = std::string(f[3]);
      } else {
        name += " " + std::string(f[3]);
      }
    }
    if (last < *first) return error("range ends before it starts");
    if (last - *first > 31) return error("range longer than a month");
    const size_t notice = cal.notices.size() - 1;
    for (int32_t d = *first; d <= last; ++d) {
      if (d < kFirstDay || d >= kEndDay) return error("date outside 1970-01-01..2199-12-31");
      auto seen = seen_in_notice.find(d);
      if (seen != seen_in_notice.end() && seen->second == notice)
        return error(format_iso_date(d) + " is listed twice in the same notice");
      seen_in_notice[d] = notice;
      by_day[d] = BaseDay{d, working, name, notice};  // a later notice amends an earlier one
    }
  }
  for (auto& [day, record] : by_day) cal.days.push_back(std::move(record));
  return cal;
}

void complete_by_law(BaseCalendar& calendar) {
  int32_t last_year = kFirstYear - 1;
  for (const BaseNotice& n : calendar.notices) last_year = std::max(last_year, n.year);
  calendar.official_until = *day_number(last_year, 12, 31);
  for (const LunarYear& y : cn_lunar_table()) {
    if (y.year <= last_year) continue;
    for (StatutoryDay& d : statutory_days(y)) {
      const bool listed = !calendar.days.empty() && d.day <= calendar.days.back().day;  // a notice reached it
      if (!listed && d.day < kEndDay) calendar.days.push_back(BaseDay{d.day, false, std::move(d.name), kByLaw});
    }
  }
}

std::string base_calendar_path(std::string_view name) {
  const char* dir = std::getenv("CRMPOLICY_DATA_DIR");
  const std::string base = dir && *dir ? std::string(dir) : std::string(CRMPOLICY_INSTALLED_DATA_DIR);
  return base + "/calendars/" + std::string(name) + ".txt";
}

namespace {

using Shared = std::shared_ptr<const BaseCalendar>;

Result<Shared> completed(Result<BaseCalendar> parsed, std::string source, std::string_view text) {
  if (!parsed.ok()) return std::move(parsed).status();
  complete_by_law(*parsed);
  parsed->source = std::move(source);
  parsed->text = std::string(text);
  return Shared(std::make_shared<const BaseCalendar>(std::move(*parsed)));
}

const Result<Shared>& built_in_cn() {
  // Parsed once, then immutable: a thread-safe function-local static, not shared mutable state.
  const std::string_view text(kCnHolidayData, kCnHolidayData_size);
  static const Result<Shared> cn = completed(parse_base_calendar(text), "built-in", text);
  return cn;
}

int32_t last_notice_year(const BaseCalendar& c) {
  int32_t year = 0;
  for (const BaseNotice& n : c.notices) year = std::max(year, n.year);
  return year;
}

// The file as last read: read again when its size or modification time changes.
struct FileEntry {
  std::string path;
  int64_t size = -1, mtime_ns = -1;
  Result<Shared> calendar = Status::not_found("not read");
};

Result<Shared> read_data_file(const std::string& path, const BaseCalendar& built_in) {
  auto text = read_file(path, size_t{1} << 20);
  if (!text.ok()) return Status(text.status().code() == StatusCode::out_of_range ? StatusCode::invalid_argument : text.status().code(),
                                path + ": " + text.status().message());
  auto parsed = parse_base_calendar(*text);
  if (!parsed.ok()) return Status::invalid_argument(path + ": " + parsed.status().message());
  if (parsed->notices.empty()) return Status::invalid_argument(path + ": no notice");
  if (last_notice_year(*parsed) < last_notice_year(built_in))
    return Status::invalid_argument(path + ": its notices end with " + std::to_string(last_notice_year(*parsed)) +
                                    ", before the built-in data's " + std::to_string(last_notice_year(built_in)) +
                                    " (an older file would silently drop official days)");
  return completed(std::move(parsed), path, *text);
}

}  // namespace

namespace {

std::pair<int32_t, int32_t> newest_notice(const BaseCalendar& c) {
  std::pair<int32_t, int32_t> newest{0, 0};  // (year, issued)
  for (const BaseNotice& n : c.notices) newest = std::max(newest, std::pair{n.year, n.issued});
  return newest;
}

}  // namespace

std::string base_data_version(const BaseCalendar& calendar) {
  int32_t issued = 0;
  for (const BaseNotice& n : calendar.notices) issued = std::max(issued, n.issued);
  return "cn " + format_iso_date(issued);
}

bool newer_data(const BaseCalendar& a, const BaseCalendar& b) { return newest_notice(a) > newest_notice(b); }

Result<Shared> base_calendar_from_text(std::string_view text, std::string source) {
  return completed(parse_base_calendar(text), std::move(source), text);
}

Result<Shared> find_base_calendar(std::string_view name) {
  if (name != "cn") return Shared();
  const Result<Shared>& built_in = built_in_cn();
  if (!built_in.ok()) return Status::internal("built-in calendar \"cn\" is broken: " + built_in.status().message());
  const std::string path = base_calendar_path(name);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return *built_in;  // no file: the compiled-in copy
  static std::mutex mutex;
  static FileEntry entry;
  const std::lock_guard<std::mutex> lock(mutex);
  const int64_t mtime_ns = int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec;
  if (entry.path != path || entry.size != st.st_size || entry.mtime_ns != mtime_ns) {
    entry.path = path;
    entry.size = st.st_size;
    entry.mtime_ns = mtime_ns;
    entry.calendar = read_data_file(path, **built_in);
  }
  return entry.calendar;
}

}  // namespace crm::detail
