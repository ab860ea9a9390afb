// SPDX-License-Identifier: Apache-2.0
// The built-in mainland China calendar: dates from every year's notice, amendments, precedence.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "calendar/base_calendars.hpp"
#include "calendar/cn_statutory.hpp"
#include "core/civil_date.hpp"
#include "calendar/calendar_impl.hpp"
#include "crmpolicy/calendar.hpp"
#include "crmpolicy/crmpolicy.h"
#include "test_time.hpp"

namespace crm {
namespace {

Calendar weekday_calendar(const std::string& extra = "") {
  auto cal = Calendar::from_json(R"({"time_zone":"Asia/Shanghai","base":"cn","hours":{
      "mon":"08:00-12:00","tue":"09:00-18:00","wed":"09:00-18:00","thu":"09:00-18:00","fri":"09:00-18:00"})" +
                                 extra + "}");
  EXPECT_TRUE(cal.ok()) << cal.status().to_string();
  return std::move(*cal);
}

struct YearCheck {
  int32_t year;
  std::vector<int32_t> off;      // weekdays the notice made days off
  std::vector<int32_t> working;  // weekend days the notice made working
};
void PrintTo(const YearCheck& value, std::ostream* os) { *os << value.year; }


// Transcribed independently of data/calendars/cn.txt, from each notice's text.
const YearCheck kYears[] = {
    {2015, {20150101, 20150102, 20150218, 20150224, 20150406, 20150622, 20150903, 20150904, 20151007},
     {20150104, 20150215, 20150228, 20150906, 20151010}},
    {2016, {20160101, 20160208, 20160212, 20160404, 20160502, 20160609, 20160610, 20160915, 20160916, 20161007},
     {20160206, 20160214, 20160612, 20160918, 20161008, 20161009}},
    {2017, {20170102, 20170127, 20170202, 20170403, 20170404, 20170501, 20170529, 20170530, 20171002, 20171006},
     {20170122, 20170204, 20170401, 20170527, 20170930}},
    {2018, {20180101, 20180215, 20180221, 20180405, 20180406, 20180430, 20180501, 20180618, 20180924, 20181005},
     {20180211, 20180224, 20180408, 20180428, 20180929, 20180930}},
    {2019, {20181231, 20190101, 20190204, 20190208, 20190405, 20190501, 20190502, 20190503, 20190607, 20190913,
            20191007},
     {20181229, 20190202, 20190203, 20190428, 20190505, 20190929, 20191012}},
    {2020, {20200101, 20200124, 20200130, 20200131, 20200406, 20200501, 20200505, 20200625,
            20200626, 20201008},
     {20200119, 20200426, 20200509, 20200628, 20200927, 20201010}},
    {2021, {20210101, 20210211, 20210217, 20210405, 20210503, 20210505, 20210614, 20210920, 20210921, 20211007},
     {20210207, 20210220, 20210425, 20210508, 20210918, 20210926, 20211009}},
    {2022, {20220103, 20220131, 20220204, 20220404, 20220405, 20220502, 20220504, 20220603, 20220912, 20221007},
     {20220129, 20220130, 20220402, 20220424, 20220507, 20221008, 20221009}},
    {2023, {20230102, 20230123, 20230127, 20230405, 20230501, 20230503, 20230622, 20230623, 20230929, 20231006},
     {20230128, 20230129, 20230423, 20230506, 20230625, 20231007, 20231008}},
    {2024, {20240101, 20240212, 20240216, 20240404, 20240405, 20240501, 20240503, 20240610, 20240916, 20240917,
            20241007},
     {20240204, 20240218, 20240407, 20240428, 20240511, 20240914, 20240929, 20241012}},
    {2025, {20250101, 20250128, 20250204, 20250404, 20250501, 20250505, 20250602, 20251001, 20251008},
     {20250126, 20250208, 20250427, 20250928, 20251011}},
    {2026, {20260101, 20260102, 20260216, 20260223, 20260406, 20260501, 20260505, 20260619, 20260925, 20261001,
            20261007},
     {20260104, 20260214, 20260228, 20260509, 20260920, 20261010}},
};

class CnYears : public ::testing::TestWithParam<YearCheck> {};

TEST_P(CnYears, NoticeDatesApply) {
  const YearCheck& y = GetParam();
  const Calendar cal = weekday_calendar();
  for (int32_t d : y.off) EXPECT_FALSE(*cal.is_working_day(d)) << d << " should be off";
  for (int32_t d : y.working) EXPECT_TRUE(*cal.is_working_day(d)) << d << " should be a make-up working day";
  auto base = detail::find_base_calendar("cn");
  ASSERT_TRUE(base.ok());
  bool cited = false;
  for (const auto& n : (*base)->notices) cited |= n.year == y.year;
  EXPECT_TRUE(cited) << "no notice cited for " << y.year;
}

INSTANTIATE_TEST_SUITE_P(EveryYear, CnYears, ::testing::ValuesIn(kYears),
                         [](const auto& test_info) { return std::to_string(test_info.param.year); });

TEST(CnBase, AmendmentsWin) {
  const Calendar cal = weekday_calendar();
  EXPECT_FALSE(*cal.is_working_day(20200201));  // make-up Saturday cancelled by the 2020 extension
  EXPECT_FALSE(*cal.is_working_day(20200202));
  EXPECT_TRUE(*cal.is_working_day(20200203));   // work resumed on Monday, February 3
  EXPECT_FALSE(*cal.is_working_day(20190502));  // 2019 Labour Day amendment
  EXPECT_TRUE(*cal.is_working_day(20190505));
}

TEST(CnBase, OrdinaryDaysFollowTheWeek) {
  const Calendar cal = weekday_calendar();
  EXPECT_TRUE(*cal.is_working_day(20251013));   // a Monday
  EXPECT_FALSE(*cal.is_working_day(20251018));  // a Saturday
  EXPECT_TRUE(*cal.is_working_day(20140102));   // before the table: plain weekdays
  EXPECT_FALSE(*cal.is_working_day(20270101));  // after it (2027 not yet published): New Year's Day by law
  EXPECT_TRUE(*cal.is_working_day(20270104));   // and an ordinary Monday
}

TEST(CnBase, MakeUpDaysWorkMondayHoursAndOwnEntriesWin) {
  using test::shanghai;
  const Calendar cal = weekday_calendar(R"(,"holidays":["2025-10-11"],"workdays":{"2025-10-08":"10:00-11:00"})");
  // Sunday 2025-09-28 is a make-up day: Monday's 08:00-12:00.
  EXPECT_EQ(*cal.next_working_instant(shanghai(2025, 9, 28, 0, 0)), shanghai(2025, 9, 28, 8, 0));
  EXPECT_EQ(*cal.add_working_days(shanghai(2025, 9, 27, 10, 0), 1), shanghai(2025, 9, 28, 12, 0));
  EXPECT_FALSE(*cal.is_working_day(20251011));  // own holiday beats the base make-up day
  EXPECT_TRUE(*cal.is_working_day(20251008));   // own workday beats the base holiday
  EXPECT_EQ(*cal.working_time_between(shanghai(2025, 10, 8), shanghai(2025, 10, 9)), 3600);
}

TEST(CnBaseData, ParsesWithOneRecordPerDayAndEveryYearCited) {
  auto base = detail::find_base_calendar("cn");
  ASSERT_TRUE(base.ok()) << base.status().to_string();
  const auto& cal = **base;
  for (int32_t year = 2015; year <= 2026; ++year) {
    bool found = false;
    for (const auto& n : cal.notices) found |= n.year == year && !n.number.empty() && !n.title.empty();
    EXPECT_TRUE(found) << year;
  }
  for (size_t i = 1; i < cal.days.size(); ++i) EXPECT_LT(cal.days[i - 1].day, cal.days[i].day);
  // Every make-up working day is a weekend day; every record sits inside its notice's year
  // (or the New Year's days just before it).
  for (const auto& d : cal.days) {
    if (d.working) {
      EXPECT_GE(detail::weekday_of(d.day), 5) << detail::format_iso_date(d.day);
    }
    if (d.notice == detail::kByLaw) {
      EXPECT_GT(d.day, cal.official_until) << detail::format_iso_date(d.day);
      continue;
    }
    const int32_t year = cal.notices[d.notice].year;
    EXPECT_GE(d.day, *detail::day_number(year - 1, 12, 29)) << detail::format_iso_date(d.day);
    EXPECT_LE(d.day, *detail::day_number(year, 12, 31)) << detail::format_iso_date(d.day);
  }
  EXPECT_EQ(detail::find_base_calendar("us").value(), nullptr);
  EXPECT_EQ(detail::format_iso_date(cal.official_until), "2026-12-31");
}

TEST(CnBaseData, ParserRejectsBrokenData) {
  const auto parse = [](const char* text) { return detail::parse_base_calendar(text).status().message(); };
  EXPECT_NE(parse("off 2025-01-01 元旦\n").find("line 1"), std::string::npos);
  EXPECT_NE(parse("notice 2025 N 2024-11-12 T\nholiday 2025-01-01 x\n").find("unknown record"), std::string::npos);
  EXPECT_NE(parse("notice 2025 N 2024-11-12 T\noff 2025-02-30 x\n").find("2025-02-30"), std::string::npos);
  EXPECT_NE(parse("notice 2025 N 2024-11-12 T\noff 2025-02-03 2025-02-01 x\n").find("before it starts"),
            std::string::npos);
  EXPECT_NE(parse("notice 2025 N 2024-11-12 T\noff 2025-01-01 x\nwork 2025-01-01 y\n").find("twice"),
            std::string::npos);
  EXPECT_NE(parse("notice 2025 N 2024-11-12 T\nwork 2025-01-04 2025-01-05 x\n").find("single date"),
            std::string::npos);
  EXPECT_NE(parse("notice 20x5 N 2024-11-12 T\n").find("bad year"), std::string::npos);  // found by fuzzing
  EXPECT_TRUE(detail::parse_base_calendar("# only a comment\n\n").ok());
  const std::string long_line = "notice 2025 N 2024-11-12 T\noff 2025-01-01 " + std::string(2000, 'x') + "\n";
  EXPECT_EQ(parse(long_line.c_str()), "line 2: longer than 1024 bytes");
  const std::string huge(2 << 20, '#');
  EXPECT_NE(parse(huge.c_str()).find("more than the 1048576 a base calendar may have"), std::string::npos);
}

}  // namespace
}  // namespace crm

// After the last notice: the law's days (《全国年节及纪念日放假办法》 Article 2 as revised by
// 国务院令第795号, Article 6 for days in lieu), provisional.
namespace crm {
namespace {

TEST(CnByLaw, The2027StatutoryDaysAreOffAndTheDataSaysWhereItEnds) {
  const Calendar cal = weekday_calendar();
  EXPECT_EQ(cal.data_until(), 20261231);
  for (int32_t d : {20270101, 20270205, 20270208, 20270405, 20270609, 20270915, 20271001})
    EXPECT_FALSE(*cal.is_working_day(d)) << d;
  // 春节 02-06 and 02-07, 劳动节 05-01 and 05-02, 国庆节 10-02 and 10-03 fall on a weekend:
  // made up on the first working days after each festival.
  for (int32_t d : {20270209, 20270210, 20270503, 20270504, 20271004, 20271005}) EXPECT_FALSE(*cal.is_working_day(d)) << d;
  for (int32_t d : {20270204, 20270211, 20270406, 20270505, 20270610, 20270916, 20271006}) EXPECT_TRUE(*cal.is_working_day(d)) << d;
  // No make-up working weekend is known before the notice.
  EXPECT_FALSE(*cal.is_working_day(20270130));
  auto plain = Calendar::from_json(R"({"time_zone":"Asia/Shanghai","hours":{"mon":"09:00-17:00"}})");
  EXPECT_EQ(plain->data_until(), 0);
}

TEST(CnByLaw, EveryStatutoryDayOf2028To2199IsOff) {
  const Calendar cal = weekday_calendar();
  const auto& table = detail::cn_lunar_table();
  ASSERT_EQ(table.size(), 230u);
  size_t checked = 0;
  for (const detail::LunarYear& y : table) {
    if (y.year < 2028) continue;
    const auto days = detail::statutory_days(y);
    EXPECT_GE(days.size(), 13u) << y.year;  // 13 days, plus the days in lieu
    for (const detail::StatutoryDay& d : days) {
      int64_t yy = 0, mm = 0, dd = 0;
      detail::civil_from_days(d.day, yy, mm, dd);
      EXPECT_FALSE(*cal.is_working_day(static_cast<int32_t>(yy * 10000 + mm * 100 + dd))) << d.name << " " << detail::format_iso_date(d.day);
      ++checked;
    }
  }
  EXPECT_GT(checked, 172u * 13);
}

// The law in force each year (2015-2024: 国务院令第644号; 2025-: 第795号) against that year's notice:
// every statutory day lies inside the notice's days off.
TEST(CnByLaw, EveryStatutoryDayOf2015To2026LiesInsideTheNoticesDaysOff) {
  auto base = detail::find_base_calendar("cn");
  ASSERT_TRUE(base.ok());
  std::set<int32_t> off;
  for (const auto& d : (*base)->days)
    if (!d.working && d.notice != detail::kByLaw) off.insert(d.day);
  size_t checked = 0;
  for (const detail::LunarYear& y : detail::cn_lunar_table()) {
    if (y.year < 2015 || y.year > 2026) continue;
    const auto days = detail::statutory_days(y);
    size_t statutory = 0;
    for (const detail::StatutoryDay& d : days) {
      if (d.name.find("补假") != std::string::npos) continue;  // where a notice puts them is its own choice
      ++statutory;
      EXPECT_TRUE(off.count(d.day)) << d.name << " " << detail::format_iso_date(d.day);
      ++checked;
    }
    // 11 days (13 from 2025), one fewer where two festivals share a day (2020: 中秋 on 10-01).
    EXPECT_EQ(statutory, (y.year >= 2025 ? 13u : 11u) - (y.year == 2020 ? 1 : 0)) << y.year;
  }
  EXPECT_EQ(checked, 10u * 11 + 2u * 13 - 1);  // 2020 shares a day
}

TEST(CnByLaw, LawVersionsGiveTheirOwnDays) {
  const auto& table = detail::cn_lunar_table();
  const auto year = [&](int32_t y) { return table[static_cast<size_t>(y - 1970)]; };
  const auto names_on = [&](int32_t y, int32_t yyyymmdd) {
    for (const auto& d : detail::statutory_days(year(y)))
      if (d.day == *detail::day_number_from_yyyymmdd(yyyymmdd)) return d.name;
    return std::string();
  };
  EXPECT_EQ(names_on(2024, 20240209), "");        // 除夕 not a statutory day under the 2013 text
  EXPECT_EQ(names_on(2024, 20240212), "春节");    // 初三
  EXPECT_EQ(names_on(2024, 20240502), "");        // one day of 劳动节
  EXPECT_EQ(names_on(2025, 20250128), "春节");    // 除夕, since 2025
  EXPECT_EQ(names_on(2025, 20250502), "劳动节");
  EXPECT_EQ(names_on(2013, 20130209), "春节");    // 除夕 again under the 2007 text
  EXPECT_TRUE(detail::statutory_days(year(2007)).empty());
  EXPECT_EQ(names_on(2015, 20150622), "端午节（补假）");  // 端午 on Saturday 06-20, as the notice did
}

}  // namespace
}  // namespace crm

// The statutory data file read at run time (README: updating the China calendar).
namespace crm {
namespace {

class CnDataFile : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/crmpolicy-cn-XXXXXX";
    dir_ = mkdtemp(pattern);
    std::filesystem::create_directories(dir_ + "/calendars");
    const char* old = std::getenv("CRMPOLICY_DATA_DIR");
    saved_ = old ? old : "";
    had_ = old != nullptr;
    setenv("CRMPOLICY_DATA_DIR", dir_.c_str(), 1);
  }
  void TearDown() override {
    if (had_) setenv("CRMPOLICY_DATA_DIR", saved_.c_str(), 1);
    else unsetenv("CRMPOLICY_DATA_DIR");
    std::filesystem::remove_all(dir_);
  }
  void write(const std::string& text) {
    std::ofstream(dir_ + "/calendars/cn.txt", std::ios::binary | std::ios::trunc) << text;
  }
  static std::string built_in() {
    std::ifstream in(CRMPOLICY_DATA_DIR "/calendars/cn.txt", std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::string dir_, saved_;
  bool had_ = false;
};

// A notice as the State Council might publish it for 2027 (invented for the test).
constexpr const char* k2027Notice =
    "\nnotice 2027 国办发明电〔2026〕99号 2026-11-20 国务院办公厅关于2027年部分节假日安排的通知\n"
    "off  2027-02-05 2027-02-12 春节\n"
    "work 2027-02-20 春节\n";

TEST_F(CnDataFile, ANewerFileIsUsedByNewCalendarsWithoutRebuilding) {
  const Calendar before = weekday_calendar();
  write(built_in() + k2027Notice);
  const Calendar after = weekday_calendar();
  EXPECT_EQ(before.data_until(), 20261231);
  EXPECT_EQ(after.data_until(), 20271231);
  EXPECT_TRUE(*after.is_working_day(20270220));   // the notice's make-up Saturday
  EXPECT_FALSE(*before.is_working_day(20270220));  // a calendar keeps the data it was built with
  EXPECT_FALSE(*after.is_working_day(20270211));
  EXPECT_TRUE(*after.is_working_day(20270405));    // 2027 is official now: only what the notice says
  EXPECT_FALSE(*after.is_working_day(20280101));   // 2028 by law
  EXPECT_EQ(detail::CalendarAccess::impl(after).base_version, "cn 2026-11-20");
}

TEST_F(CnDataFile, AMalformedFileIsRefusedNamingFileAndLine) {
  write(built_in() + "\nnotice 2027 N 2026-11-20 T\noff 2027-02-30 春节\n");
  auto cal = Calendar::from_json(R"({"time_zone":"Asia/Shanghai","base":"cn","hours":{"mon":"09:00-17:00"}})");
  ASSERT_FALSE(cal.ok());
  EXPECT_EQ(cal.status().code(), StatusCode::invalid_argument);
  EXPECT_NE(cal.status().message().find(dir_ + "/calendars/cn.txt: line "), std::string::npos) << cal.status().message();
  EXPECT_NE(cal.status().message().find("invalid date \"2027-02-30\""), std::string::npos) << cal.status().message();
  crm_calendar* c = nullptr;
  EXPECT_EQ(crm_calendar_from_json(R"({"time_zone":"Asia/Shanghai","base":"cn","hours":{"mon":"09:00-17:00"}})", &c), CRM_EINVAL);
  EXPECT_EQ(c, nullptr);
  // A calendar without the base does not read the file.
  EXPECT_TRUE(Calendar::from_json(R"({"time_zone":"Asia/Shanghai","hours":{"mon":"09:00-17:00"}})").ok());
}

TEST_F(CnDataFile, AFileOlderThanTheBuiltInDataIsRefused) {
  std::string text = built_in();
  text = text.substr(0, text.find("notice 2026"));
  write(text);
  auto cal = Calendar::from_json(R"({"time_zone":"Asia/Shanghai","base":"cn","hours":{"mon":"09:00-17:00"}})");
  ASSERT_FALSE(cal.ok());
  EXPECT_NE(cal.status().message().find("its notices end with 2025, before the built-in data's 2026"), std::string::npos)
      << cal.status().message();
}

TEST_F(CnDataFile, NoFileMeansTheCompiledInCopy) {
  auto cal = Calendar::from_json(R"({"time_zone":"Asia/Shanghai","base":"cn","hours":{"mon":"09:00-17:00"}})");
  ASSERT_TRUE(cal.ok()) << cal.status().to_string();
  EXPECT_EQ(cal->data_until(), 20261231);
  auto base = detail::find_base_calendar("cn");
  EXPECT_EQ((*base)->source, "built-in");
}

}  // namespace
}  // namespace crm

namespace crm {
namespace {

// The day table behind every calendar: one entry per date of 1970-2199 and one per working day.
// Issue 16 bounds it at 4 MB, for a cn calendar with a lunch break and for a DST zone alike.
TEST(DayTable, ACalendarHoldsAtMostFourMegabytes) {
  for (const char* json : {R"({"time_zone":"Asia/Shanghai","base":"cn",
                               "hours":{"mon":"09:00-12:00,13:30-18:00","tue":"09:00-12:00,13:30-18:00",
                                        "wed":"09:00-12:00,13:30-18:00","thu":"09:00-12:00,13:30-18:00",
                                        "fri":"09:00-12:00,13:30-18:00"}})",
                           R"({"time_zone":"America/New_York","hours":{"mon":"00:00-24:00","tue":"00:00-24:00",
                               "wed":"00:00-24:00","thu":"00:00-24:00","fri":"00:00-24:00","sat":"00:00-24:00",
                               "sun":"00:00-24:00"}})"}) {
    auto cal = Calendar::from_json(json);
    ASSERT_TRUE(cal.ok()) << cal.status().to_string();
    const detail::DayTable& table = detail::CalendarAccess::impl(*cal).table;
    EXPECT_EQ(table.day_count(), 84006u);
    EXPECT_LE(table.bytes(), 4u << 20) << json;
  }
}

}  // namespace
}  // namespace crm
