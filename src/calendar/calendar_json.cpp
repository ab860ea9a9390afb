// SPDX-License-Identifier: Apache-2.0
#include "calendar/calendar_json.hpp"

#include <set>

#include "calendar/time_of_day.hpp"
#include "core/civil_date.hpp"
#include "core/json_util.hpp"

namespace crm::detail {

namespace {

using nlohmann::json;

constexpr const char* kWeekdays[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

int32_t yyyymmdd_of(int32_t day) {
  const std::string iso = format_iso_date(day);
  return std::stoi(iso.substr(0, 4)) * 10000 + std::stoi(iso.substr(5, 2)) * 100 + std::stoi(iso.substr(8, 2));
}

Result<int32_t> read_date(const std::string& path, const json& value, std::string_view text) {
  const auto day = parse_iso_date(text);
  if (!day) return json_error(path, "not a valid date YYYY-MM-DD", value);
  if (*day < kFirstDay || *day >= kEndDay) return json_error(path, "date outside 1970-01-01..2199-12-31", value);
  return yyyymmdd_of(*day);
}

Result<DaySpans> read_spans(const std::string& path, const json& value) {
  if (!value.is_string()) return json_error(path, "expected a string of spans like \"09:00-12:00,13:30-18:00\"", value);
  auto spans = parse_day_spans(value.get_ref<const std::string&>());
  if (!spans.ok()) return json_error(path, spans.status().message(), value);
  return spans;
}

}  // namespace

Result<CalendarSpec> parse_calendar_json(std::string_view text) {
  auto parsed = parse_json_strict(text, "calendar JSON");
  if (!parsed.ok()) return std::move(parsed).status();
  const json& root = *parsed;
  if (!root.is_object()) return json_error("", "a calendar is a JSON object", root);

  for (const auto& [key, value] : root.items()) {
    static const std::set<std::string> known = {"time_zone", "hours", "holidays", "workdays", "base"};
    if (!known.count(key))
      return json_error("/" + json_pointer_token(key),
                        "unknown key (expected time_zone, hours, holidays, workdays or base)", value);
  }

  CalendarSpec spec;
  const auto tz = root.find("time_zone");
  if (tz == root.end()) return json_error("/time_zone", "missing: every calendar names its time zone", root);
  if (!tz->is_string()) return json_error("/time_zone", "expected a string such as \"Asia/Shanghai\" or \"+08:00\"", *tz);
  spec.time_zone = tz->get<std::string>();

  const auto hours = root.find("hours");
  if (hours == root.end()) return json_error("/hours", "missing: weekly working hours are required", root);
  if (!hours->is_object()) return json_error("/hours", "expected an object keyed by mon..sun", *hours);
  for (const auto& [key, value] : hours->items()) {
    const std::string path = "/hours/" + json_pointer_token(key);
    int weekday = -1;
    for (int i = 0; i < 7; ++i)
      if (key == kWeekdays[i]) weekday = i;
    if (weekday < 0) return json_error(path, "unknown weekday (expected mon, tue, wed, thu, fri, sat or sun)", value);
    auto spans = read_spans(path, value);
    if (!spans.ok()) return std::move(spans).status();
    spec.weekly_hours[static_cast<size_t>(weekday)] = std::move(*spans);
  }

  std::set<int32_t> holiday_set;
  if (const auto holidays = root.find("holidays"); holidays != root.end()) {
    if (!holidays->is_array()) return json_error("/holidays", "expected an array of dates \"YYYY-MM-DD\"", *holidays);
    for (size_t i = 0; i < holidays->size(); ++i) {
      const json& value = (*holidays)[i];
      const std::string path = "/holidays/" + std::to_string(i);
      if (!value.is_string()) return json_error(path, "expected a date \"YYYY-MM-DD\"", value);
      auto date = read_date(path, value, value.get_ref<const std::string&>());
      if (!date.ok()) return std::move(date).status();
      if (!holiday_set.insert(*date).second) return json_error(path, "date listed twice", value);
      spec.holidays.push_back(*date);
    }
  }

  if (const auto workdays = root.find("workdays"); workdays != root.end()) {
    if (!workdays->is_object())
      return json_error("/workdays", "expected an object mapping \"YYYY-MM-DD\" to spans", *workdays);
    for (const auto& [key, value] : workdays->items()) {
      const std::string path = "/workdays/" + json_pointer_token(key);
      auto date = read_date(path, json(key), key);
      if (!date.ok()) return std::move(date).status();
      if (holiday_set.count(*date)) return json_error(path, "date is also listed in /holidays", json(key));
      auto spans = read_spans(path, value);
      if (!spans.ok()) return std::move(spans).status();
      spec.workdays[*date] = std::move(*spans);
    }
  }

  if (const auto base = root.find("base"); base != root.end()) {
    if (!base->is_string() || base->get_ref<const std::string&>() != "cn")
      return json_error("/base", "unknown base calendar (the built-in one is \"cn\")", *base);
    spec.base = "cn";
  }
  return spec;
}

}  // namespace crm::detail
