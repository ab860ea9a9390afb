// SPDX-License-Identifier: Apache-2.0
// Time zones: the TZif reader and its footer rules against glibc, local->UTC edge rules, names.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <random>

#include "calendar/time_zone.hpp"
#include "crmpolicy/calendar.hpp"
#include "crmpolicy/crmpolicy.h"
#include "test_time.hpp"

namespace crm {
namespace {

using detail::TimeZone;
using test::utc;

int32_t glibc_offset(const std::string& tz_env, int64_t t) {
  setenv("TZ", tz_env.c_str(), 1);
  tzset();
  const time_t tt = static_cast<time_t>(t);
  struct tm tm {};
  localtime_r(&tt, &tm);
  return static_cast<int32_t>(tm.tm_gmtoff);
}

class SystemZones : public ::testing::TestWithParam<const char*> {};

TEST_P(SystemZones, OffsetsMatchGlibcFrom1970To2199) {
  auto tz = TimeZone::load(GetParam());
  ASSERT_TRUE(tz.ok()) << tz.status().to_string();
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int64_t> instant(utc(1970, 1, 1), utc(2199, 12, 31));
  const std::string env = std::string(":") + GetParam();
  for (int i = 0; i < 20000; ++i) {
    const int64_t t = instant(rng);
    ASSERT_EQ(tz->offset_at(t), glibc_offset(env, t)) << GetParam() << " at " << t;
  }
  for (int64_t tr : tz->transitions()) {  // both sides of every transition
    ASSERT_EQ(tz->offset_at(tr), glibc_offset(env, tr)) << tr;
    ASSERT_EQ(tz->offset_at(tr - 1), glibc_offset(env, tr - 1)) << tr;
  }
}

INSTANTIATE_TEST_SUITE_P(Tzdata, SystemZones,
                         ::testing::Values("Asia/Shanghai", "America/New_York", "Europe/London", "Europe/Dublin",
                                           "Australia/Sydney", "Australia/Lord_Howe", "America/Sao_Paulo",
                                           "Asia/Kolkata", "Pacific/Chatham", "America/Nuuk", "Africa/Casablanca"),
                         [](const auto& test_info) {
                           std::string name = test_info.param;
                           for (char& c : name)
                             if (c == '/') c = '_';
                           return name;
                         });

// A TZif v2 file with no transitions: everything comes from the footer.
std::string footer_only_tzif(const std::string& footer, int32_t offset) {
  std::string header = "TZif2" + std::string(15, '\0');
  const auto be32 = [](uint32_t v) {
    return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                       static_cast<char>(v)};
  };
  // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
  header += be32(0) + be32(0) + be32(0) + be32(0) + be32(1) + be32(4);
  const std::string block = be32(static_cast<uint32_t>(offset)) + std::string(2, '\0') + "UTC" + std::string(1, '\0');
  return header + block + header + block + "\n" + footer + "\n";
}

class FooterRules : public ::testing::TestWithParam<const char*> {};

TEST_P(FooterRules, MatchGlibcPosixTz) {
  const std::string footer = GetParam();
  auto tz = TimeZone::from_tzif(footer_only_tzif(footer, 0));
  ASSERT_TRUE(tz.ok()) << tz.status().to_string();
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int64_t> instant(utc(1990, 1, 1), utc(2199, 12, 31));
  for (int i = 0; i < 20000; ++i) {
    const int64_t t = instant(rng);
    ASSERT_EQ(tz->offset_at(t), glibc_offset(footer, t)) << footer << " at " << t;
  }
}

INSTANTIATE_TEST_SUITE_P(Posix, FooterRules,
                         ::testing::Values("EST5EDT,M3.2.0,M11.1.0", "CET-1CEST,M3.5.0,M10.5.0/3",
                                           "AEST-10AEDT,M10.1.0,M4.1.0/3", "IST-1GMT0,M10.5.0,M3.5.0/1",
                                           "<-03>3<-02>,M3.5.0/-2,M10.5.0/-1", "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
                                           "NZST-12NZDT,M9.5.0,M4.1.0/3", "XXX3YYY,J60/1,J300/1",
                                           "XXX-2YYY,59/3,299/4", "CST-8"));

TEST(TimeZoneLocalToUtc, SpringForwardGapMovesToFirstInstantAfter) {
  auto ny = TimeZone::load("America/New_York");
  ASSERT_TRUE(ny.ok());
  size_t hint = 0;
  // 2025-03-09 02:30 does not exist in New York: clocks jump from 02:00 EST to 03:00 EDT (07:00Z).
  EXPECT_EQ(ny->to_utc(utc(2025, 3, 9, 2, 30), hint), utc(2025, 3, 9, 7, 0));
  EXPECT_EQ(ny->to_utc(utc(2025, 3, 9, 1, 59), hint), utc(2025, 3, 9, 6, 59));
  EXPECT_EQ(ny->to_utc(utc(2025, 3, 9, 3, 0), hint), utc(2025, 3, 9, 7, 0));
}

TEST(TimeZoneLocalToUtc, AmbiguousTimeTakesFirstOccurrence) {
  auto ny = TimeZone::load("America/New_York");
  ASSERT_TRUE(ny.ok());
  size_t hint = 0;
  // 2025-11-02 01:30 happens twice; the first is EDT (05:30Z).
  EXPECT_EQ(ny->to_utc(utc(2025, 11, 2, 1, 30), hint), utc(2025, 11, 2, 5, 30));
  EXPECT_EQ(ny->to_utc(utc(2025, 11, 2, 2, 0), hint), utc(2025, 11, 2, 7, 0));
  hint = 0;
  EXPECT_EQ(ny->to_utc(utc(2150, 7, 1, 12, 0), hint), utc(2150, 7, 1, 16, 0));  // footer-rule era
}

TEST(TimeZoneNames, FixedOffsetsAndErrors) {
  auto plus8 = TimeZone::load("+08:00");
  ASSERT_TRUE(plus8.ok());
  EXPECT_EQ(plus8->offset_at(0), 8 * 3600);
  EXPECT_EQ(TimeZone::load("-03:30")->offset_at(0), -(3 * 3600 + 1800));
  EXPECT_EQ(TimeZone::load("UTC")->offset_at(0), 0);
  EXPECT_EQ(TimeZone::load("Nowhere/City").status().code(), StatusCode::not_found);
  EXPECT_EQ(TimeZone::load("/etc/passwd").status().code(), StatusCode::invalid_argument);
  EXPECT_EQ(TimeZone::load("Asia/../../etc").status().code(), StatusCode::invalid_argument);
  EXPECT_EQ(TimeZone::load("").status().code(), StatusCode::invalid_argument);
  EXPECT_EQ(TimeZone::load("+8").status().code(), StatusCode::invalid_argument);
}

TEST(TimeZoneTzif, MalformedDataIsAnErrorNotACrash) {
  const std::string good = footer_only_tzif("EST5EDT,M3.2.0,M11.1.0", -5 * 3600);
  EXPECT_TRUE(TimeZone::from_tzif(good).ok());
  EXPECT_FALSE(TimeZone::from_tzif("").ok());
  EXPECT_FALSE(TimeZone::from_tzif("TZif").ok());
  EXPECT_FALSE(TimeZone::from_tzif(good.substr(0, good.size() - 10)).ok());
  EXPECT_FALSE(TimeZone::from_tzif(footer_only_tzif("EST5EDT,M13.2.0,M11.1.0", 0)).ok());
  EXPECT_FALSE(TimeZone::from_tzif(footer_only_tzif("E5", 0)).ok());
  for (size_t cut = 0; cut < good.size(); ++cut) (void)TimeZone::from_tzif(good.substr(0, cut));
}

}  // namespace
}  // namespace crm

namespace crm {
namespace {

// A machine without the tz database (issue 14 §5): an I/O error that says what to install, never
// "a bug in crmpolicy"; an unknown zone on a machine that has it stays not_found.
TEST(TimeZoneDatabase, MissingIsAnIoErrorThatSaysToInstallTzdata) {
  const char* old = std::getenv("TZDIR");
  const std::string saved = old ? old : "";
  setenv("TZDIR", "/nonexistent/zoneinfo", 1);
  auto missing = Calendar::from_json(R"({"time_zone":"Asia/Shanghai","hours":{"mon":"09:00-17:00"}})");
  crm_calendar* c = nullptr;
  const crm_status code = crm_calendar_from_json(R"({"time_zone":"Asia/Shanghai","hours":{"mon":"09:00-17:00"}})", &c);
  const std::string message = crm_last_error();
  if (old) setenv("TZDIR", saved.c_str(), 1);
  else unsetenv("TZDIR");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::io_error);
  EXPECT_NE(missing.status().message().find("/nonexistent/zoneinfo is missing: install tzdata"), std::string::npos)
      << missing.status().message();
  EXPECT_EQ(code, CRM_EIO);
  EXPECT_NE(message.find("install tzdata"), std::string::npos) << message;
  EXPECT_EQ(c, nullptr);
  auto unknown = Calendar::from_json(R"({"time_zone":"Mars/Olympus_Mons","hours":{"mon":"09:00-17:00"}})");
  EXPECT_EQ(unknown.status().code(), StatusCode::not_found);
}

}  // namespace
}  // namespace crm
