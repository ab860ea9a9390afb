// SPDX-License-Identifier: Apache-2.0
#include "calendar/time_of_day.hpp"

#include <string>

namespace crm::detail {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string hhmm(int32_t seconds) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", seconds / 3600, seconds / 60 % 60);
  return buf;
}

// "HH:MM" -> seconds after midnight; 24:00 allowed here, rejected as a start by the caller.
Result<int32_t> parse_clock(std::string_view s) {
  const auto bad = [&](const char* why) {
    return Status::invalid_argument("invalid time \"" + std::string(s) + "\": " + why);
  };
  if (s.size() != 5 || s[2] != ':') return bad("expected HH:MM");
  for (size_t i : {0u, 1u, 3u, 4u})
    if (s[i] < '0' || s[i] > '9') return bad("expected HH:MM");
  const int32_t h = (s[0] - '0') * 10 + (s[1] - '0');
  const int32_t m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59) return bad("minutes must be 00-59");
  if (h > 24 || (h == 24 && m != 0)) return bad("the latest time is 24:00");
  return h * 3600 + m * 60;
}

}  // namespace

Status validate_day_spans(const DaySpans& spans) {
  int32_t previous_end = -1;
  for (const TimeSpan& s : spans) {
    const std::string text = hhmm(s.begin) + "-" + hhmm(s.end);
    if (s.begin < 0 || s.end > 86400)
      return Status::invalid_argument("span " + text + " is outside 00:00-24:00");
    if (s.begin >= s.end) return Status::invalid_argument("span " + text + " does not end after it starts");
    if (s.begin < previous_end)
      return Status::invalid_argument("span " + text + " overlaps or precedes the span before it (spans must be in order)");
    if (s.begin == previous_end)
      return Status::invalid_argument("span " + text + " touches the span before it; write them as one span");
    previous_end = s.end;
  }
  return {};
}

Result<DaySpans> parse_day_spans(std::string_view text) {
  DaySpans spans;
  if (trim(text).empty()) return spans;
  while (true) {
    const size_t comma = text.find(',');
    const std::string_view item = trim(text.substr(0, comma));
    const size_t dash = item.find('-');
    if (dash == std::string_view::npos)
      return Status::invalid_argument("invalid span \"" + std::string(item) + "\": expected HH:MM-HH:MM");
    auto begin = parse_clock(trim(item.substr(0, dash)));
    if (!begin.ok()) return std::move(begin).status();
    auto end = parse_clock(trim(item.substr(dash + 1)));
    if (!end.ok()) return std::move(end).status();
    if (*begin == 86400)
      return Status::invalid_argument("invalid span \"" + std::string(item) + "\": a span cannot start at 24:00");
    if (*begin >= *end)
      return Status::invalid_argument("invalid span \"" + std::string(item) + "\": it must end after it starts");
    if (!spans.empty() && *begin < spans.back().end)
      return Status::invalid_argument("span \"" + std::string(item) +
                                      "\" overlaps or precedes the span before it (spans must be in order)");
    if (!spans.empty() && *begin == spans.back().end)
      spans.back().end = *end;  // touching spans are one span
    else
      spans.push_back({*begin, *end});
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return spans;
}

}  // namespace crm::detail
