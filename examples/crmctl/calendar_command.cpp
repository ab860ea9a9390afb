// SPDX-License-Identifier: Apache-2.0
// crmctl calendar: a calendar's official data coverage, the days off of a year, whether a date
// is provisional (README "The built-in China calendar").
#include <cstdlib>
#include <ctime>
#include <iostream>

#include "cli.hpp"
#include "table.hpp"
#include "words.hpp"

namespace crmctl {

namespace {

const char* const kWeekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};  // keys of tr()

// A special day's kind in the current language.
const char* kind_text(const std::string& kind) {
  if (kind == "holiday") return tr("holiday");
  if (kind == "makeup_workday") return tr("makeup_workday");
  if (kind == "company_holiday") return tr("company_holiday");
  if (kind == "company_workday") return tr("company_workday");
  return kind.c_str();
}

std::string iso(int32_t yyyymmdd) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", yyyymmdd / 10000, yyyymmdd / 100 % 100, yyyymmdd % 100);
  return buf;
}

const char* weekday(int32_t yyyymmdd) {
  std::tm tm{};
  tm.tm_year = yyyymmdd / 10000 - 1900;
  tm.tm_mon = yyyymmdd / 100 % 100 - 1;
  tm.tm_mday = yyyymmdd % 100;
  tm.tm_hour = 12;
  std::mktime(&tm);
  return tr(kWeekdays[(tm.tm_wday + 6) % 7]);
}

int32_t parse_date(const std::string& text, const char* option) {
  int y = 0, m = 0, d = 0;
  char extra = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
    throw UsageError{std::string("--") + option + ": " + trf("expected YYYY-MM-DD, got \"{}\"", {text})};
  return y * 10000 + m * 100 + d;
}

}  // namespace

int cmd_calendar(const Args& args) {
  if (args.words.size() > 1)
    throw UsageError{std::string(tr("usage: ")) + "crmctl calendar [FILE] [--calendar NAME] [--year YYYY] [--date YYYY-MM-DD]"};
  // A calendar document, a policy document, or the policy stored in the database.
  std::optional<crm::Calendar> own;
  std::optional<crm::Policy> policy;
  std::string source;
  if (!args.words.empty()) {
    source = args.words[0];
    const std::string text = read_file(source);
    if (text.find("\"calendars\"") != std::string::npos) {
      auto p = crm::Policy::from_json(text);
      if (!p.ok()) return fail(p.status(), source);
      policy = std::move(*p);
    } else {
      auto c = crm::Calendar::from_json(text);
      if (!c.ok()) return fail(c.status(), source);
      own = std::move(*c);
    }
  } else {
    auto db = open_database(args, false);
    if (!db.ok()) return fail(db.status());
    auto p = report_policy(*db, args.get("policy"));
    if (!p.ok()) return fail(p.status());
    policy = std::move(*p);
  }
  std::string name = "calendar";
  const crm::Calendar* calendar = own ? &*own : nullptr;
  if (policy) {
    if (!language_chosen()) use_language(parse_language(policy->locale()).value_or(Language::en));
    name = args.get("calendar", policy->default_calendar());
    calendar = policy->calendar(name);
    if (!calendar) throw UsageError{trf("--calendar: the policy has no calendar \"{}\"", {name})};
  }
  const int32_t until = calendar->data_until();
  std::cout << name << ": " << calendar->spec().time_zone;
  if (until == 0) {
    std::cout << tr(", no base calendar: every date follows the weekly hours and the calendar's own days") << "\n";
  } else {
    std::cout << trf(", base {}\n  official data (State Council notices) until {}; later dates are provisional: statutory "
                     "holidays by law, make-up working days not yet published",
                     {calendar->data_version(), iso(until)})
              << "\n";
  }
  if (args.has("date")) {
    const int32_t date = parse_date(args.get("date"), "date");
    auto working = calendar->is_working_day(date);
    if (!working.ok()) return fail(working.status());
    auto special = calendar->special_days(date, date);
    if (!special.ok()) return fail(special.status());
    std::cout << iso(date) << " (" << weekday(date) << "): " << (*working ? tr("a working day") : tr("not a working day"));
    if (!special->empty()) {
      const crm::CalendarDay& d = special->front();
      std::cout << ", " << kind_text(d.kind) << (d.name.empty() ? "" : " " + d.name);
    }
    const bool provisional = until != 0 && date > until;
    std::cout << (provisional ? trf(", provisional (after {})", {iso(until)}) : until != 0 ? tr(", official") : "") << "\n";
  }
  if (args.has("year")) {
    const std::string y = args.get("year");
    if (y.size() != 4 || y.find_first_not_of("0123456789") != std::string::npos) throw UsageError{tr("--year: expected YYYY")};
    const int32_t year = std::stoi(y);
    auto days = calendar->special_days(year * 10000 + 101, year * 10000 + 1231);
    if (!days.ok()) return fail(days.status());
    Table table({tr("date"), tr("day"), tr("kind"), tr("name"), tr("source")});
    for (const crm::CalendarDay& d : *days)
      table.add({iso(d.date), weekday(d.date), kind_text(d.kind), d.name, d.provisional ? tr("provisional (by law)") : tr("official")});
    table.print(std::cout);
    std::cout << trf("{} special day(s) in {}", {std::to_string(days->size()), std::to_string(year)}) << "\n";
  }
  return kOk;
}

}  // namespace crmctl
