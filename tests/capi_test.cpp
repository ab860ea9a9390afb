// SPDX-License-Identifier: Apache-2.0
// The C API contract: NULLs, untouched outputs, thread-local errors, versions, status strings.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "crmpolicy/crmpolicy.h"
#include "store_fixture.hpp"
#include "test_time.hpp"

namespace {

namespace test = crm::test;

constexpr const char* kUtcWeekdays =
    R"({"time_zone":"UTC","hours":{"mon":"09:00-17:00","tue":"09:00-17:00","wed":"09:00-17:00",
        "thu":"09:00-17:00","fri":"09:00-17:00"}})";

class CApi : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(crm_calendar_from_json(kUtcWeekdays, &cal), CRM_OK) << crm_last_error(); }
  void TearDown() override { crm_calendar_free(cal); }
  crm_calendar* cal = nullptr;
};

TEST(CApiVersion, HeaderAndLibraryAgree) {
  EXPECT_STREQ(crm_version(), CRM_VERSION);
  EXPECT_EQ(crm_version_number(), CRM_VERSION_NUMBER);
  EXPECT_EQ(CRM_VERSION_NUMBER, 2000);
  EXPECT_TRUE(CRM_VERSION_CHECK(0, 2, 0));
  EXPECT_FALSE(CRM_VERSION_CHECK(0, 3, 0));
}

TEST(CApiStatus, CodesAreStableAndDescribed) {
  EXPECT_EQ(CRM_OK, 0);
  EXPECT_EQ(CRM_EINVAL, 1);
  EXPECT_EQ(CRM_ERANGE, 2);
  EXPECT_EQ(CRM_ENOTFOUND, 3);
  EXPECT_EQ(CRM_ESTATE, 4);
  EXPECT_EQ(CRM_ECONFLICT, 5);
  EXPECT_EQ(CRM_EIO, 6);
  EXPECT_EQ(CRM_ENOMEM, 7);
  EXPECT_EQ(CRM_EINTERNAL, 8);
  EXPECT_STREQ(crm_status_str(CRM_OK), "ok");
  EXPECT_STREQ(crm_status_str(CRM_EINVAL), "invalid argument");
  EXPECT_STREQ(crm_status_str(CRM_EINTERNAL), "internal error");
  EXPECT_EQ(CRM_EPERM, 9);
  EXPECT_STREQ(crm_status_str(CRM_EPERM), "permission denied");
  EXPECT_STREQ(crm_status_str(static_cast<crm_status>(10)), "unknown status");
}

TEST(CApiMemory, FreeFunctionsAcceptNull) {
  crm_free(nullptr);
  crm_calendar_free(nullptr);
}

TEST_F(CApi, NullArgumentsAreEinvalNeverACrash) {
  int flag = 7;
  int64_t out = 42;
  crm_calendar* made = nullptr;
  EXPECT_EQ(crm_calendar_from_json(nullptr, &made), CRM_EINVAL);
  EXPECT_NE(std::string(crm_last_error()).find("json"), std::string::npos);
  EXPECT_EQ(crm_calendar_from_json(kUtcWeekdays, nullptr), CRM_EINVAL);
  EXPECT_EQ(crm_calendar_is_working_time(nullptr, 0, &flag), CRM_EINVAL);
  EXPECT_EQ(crm_calendar_is_working_time(cal, 0, nullptr), CRM_EINVAL);
  EXPECT_EQ(crm_calendar_is_working_day(cal, 20250101, nullptr), CRM_EINVAL);
  EXPECT_EQ(crm_calendar_next_working_instant(nullptr, 0, &out), CRM_EINVAL);
  EXPECT_EQ(crm_calendar_add_working_time(cal, 0, 60, nullptr), CRM_EINVAL);
  EXPECT_EQ(crm_calendar_add_working_days(nullptr, 0, 1, &out), CRM_EINVAL);
  EXPECT_EQ(crm_calendar_add_calendar_days(cal, 0, 1, nullptr), CRM_EINVAL);
  EXPECT_EQ(crm_calendar_working_time_between(nullptr, 0, 1, &out), CRM_EINVAL);
  EXPECT_EQ(flag, 7);
  EXPECT_EQ(out, 42);
  EXPECT_EQ(made, nullptr);
}

TEST_F(CApi, FailuresLeaveOutputsUntouchedAndExplain) {
  int64_t out = 42;
  EXPECT_EQ(crm_calendar_add_working_time(cal, test::utc(2025, 6, 2, 9), -5, &out), CRM_EINVAL);
  EXPECT_EQ(out, 42);
  EXPECT_NE(std::string(crm_last_error()).find("-5"), std::string::npos);
  EXPECT_EQ(crm_calendar_add_working_days(cal, -1000000000, 1, &out), CRM_ERANGE);
  EXPECT_EQ(out, 42);
  EXPECT_NE(std::string(crm_last_error()).find("-1000000000"), std::string::npos);
  int flag = 7;
  EXPECT_EQ(crm_calendar_is_working_day(cal, 20250230, &flag), CRM_EINVAL);
  EXPECT_EQ(flag, 7);
}

TEST_F(CApi, SuccessDoesNotClearTheLastError) {
  int64_t out = 0;
  EXPECT_EQ(crm_calendar_add_working_time(cal, 0, -1, &out), CRM_EINVAL);
  const std::string before = crm_last_error();
  EXPECT_EQ(crm_calendar_add_working_time(cal, test::utc(2025, 6, 2, 9), 3600, &out), CRM_OK);
  EXPECT_EQ(out, test::utc(2025, 6, 2, 10));
  EXPECT_EQ(before, crm_last_error());
}

TEST_F(CApi, LastErrorIsPerThreadAndOneCalendarServesManyThreads) {
  int64_t out = 0;
  EXPECT_EQ(crm_calendar_add_working_time(cal, 0, -1, &out), CRM_EINVAL);
  std::string other_thread_error = "unset";
  std::vector<std::thread> workers;
  std::atomic<int> wrong{0};
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      if (w == 0) other_thread_error = crm_last_error();
      for (int i = 0; i < 20000; ++i) {
        int64_t due = 0;
        const int64_t start = test::utc(2025, 6, 2, 9) + i * 60;
        if (crm_calendar_add_working_days(cal, start, 1, &due) != CRM_OK) ++wrong;
      }
    });
  }
  for (auto& t : workers) t.join();
  EXPECT_EQ(other_thread_error, "");  // a new thread starts with no error
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_NE(std::string(crm_last_error()), "");  // ours is still there
}

TEST_F(CApi, WorkingDayAndTimeQueries) {
  int flag = -1;
  ASSERT_EQ(crm_calendar_is_working_day(cal, 20250602, &flag), CRM_OK);
  EXPECT_EQ(flag, 1);
  ASSERT_EQ(crm_calendar_is_working_day(cal, 20250607, &flag), CRM_OK);
  EXPECT_EQ(flag, 0);
  ASSERT_EQ(crm_calendar_is_working_time(cal, test::utc(2025, 6, 2, 16, 59, 59), &flag), CRM_OK);
  EXPECT_EQ(flag, 1);
  int64_t out = 0;
  ASSERT_EQ(crm_calendar_add_calendar_days(cal, test::utc(2025, 6, 2, 9), 5, &out), CRM_OK);
  EXPECT_EQ(out, test::utc(2025, 6, 9, 17));
}

TEST(CApiPolicy, ContractAndOwnership) {
  crm_policy* policy = nullptr;
  char* out = nullptr;
  EXPECT_EQ(crm_policy_from_json(nullptr, &policy), CRM_EINVAL);
  EXPECT_EQ(crm_policy_from_json("{}", nullptr), CRM_EINVAL);
  EXPECT_EQ(crm_policy_from_json(R"({"name":"x"})", &policy), CRM_EINVAL);
  EXPECT_EQ(policy, nullptr);
  EXPECT_NE(std::string(crm_last_error()).find("/version"), std::string::npos);
  ASSERT_EQ(crm_policy_from_json(R"({"name":"x","version":"1",
      "calendars":{"utc":{"time_zone":"UTC","hours":{"mon":"09:00-17:00"}}},
      "rules":[{"name":"a","set":{"urgency":"urgent"}},{"name":"b","set":{"urgency":"general"}}],
      "defaults":{"urgency":"general","category":"other","nature":"functional"},
      "targets":[{"name":"t","within":{"working_hours":1},"met_by":"acknowledged"}]})",
                                 &policy),
            CRM_OK)
      << crm_last_error();
  ASSERT_EQ(crm_policy_warnings(policy, &out), CRM_OK);
  EXPECT_NE(std::string(out).find("can never set urgency"), std::string::npos) << out;
  crm_free(out);
  out = reinterpret_cast<char*>(0x1);
  EXPECT_EQ(crm_policy_evaluate(policy, nullptr, &out), CRM_EINVAL);
  EXPECT_EQ(crm_policy_evaluate(policy, R"({"id":1})", &out), CRM_EINVAL);
  EXPECT_EQ(out, reinterpret_cast<char*>(0x1));
  ASSERT_EQ(crm_policy_evaluate(policy, R"({"received_at":1748822400})", &out), CRM_OK);  // Mon 2025-06-02 00:00Z
  EXPECT_NE(std::string(out).find(R"("due_local":"2025-06-02T10:00:00+00:00")"), std::string::npos) << out;
  crm_free(out);
  const crm_calendar* cal = nullptr;
  EXPECT_EQ(crm_policy_calendar(policy, "utc", nullptr), CRM_EINVAL);
  ASSERT_EQ(crm_policy_calendar(policy, "utc", &cal), CRM_OK);
  int flag = 0;
  EXPECT_EQ(crm_calendar_is_working_day(cal, 20250602, &flag), CRM_OK);
  EXPECT_EQ(flag, 1);
  const char* locale = nullptr;
  EXPECT_EQ(crm_policy_locale(policy, nullptr), CRM_EINVAL);
  ASSERT_EQ(crm_policy_locale(policy, &locale), CRM_OK);
  EXPECT_STREQ(locale, "en");  // a policy without "locale"
  crm_policy_free(policy);
}

// Every term the HTML report translates has a label in both languages, through C and C++ alike;
// anything else is refused rather than echoed, so a caller knows to show the term itself.
TEST(CApiPolicy, TermLabelsComeFromTheReportsCatalogue) {
  const char* label = nullptr;
  for (const char* term : {"breached", "at_risk", "met_late", "trade_show", "non_functional", "first_response",
                           "half_year", "customer_tier", "timeliness"}) {
    ASSERT_EQ(crm_term_label("zh-CN", term, &label), CRM_OK) << term;
    EXPECT_EQ(crm::term_label("zh-CN", term), std::string_view(label)) << term;
    EXPECT_GT(static_cast<unsigned char>(label[0]), 0x7F) << term << ": " << label;  // Chinese, not the term
    ASSERT_EQ(crm_term_label("en", term, &label), CRM_OK) << term;
    EXPECT_EQ(std::string(label).find('_'), std::string::npos) << label;  // words, not the machine name
  }
  EXPECT_STREQ((crm_term_label("en", "met_late", &label), label), "met late");
  EXPECT_EQ(crm_term_label("zh-CN", "no_such_term", &label), CRM_ENOTFOUND);
  EXPECT_EQ(crm_term_label("zh-TW", "breached", &label), CRM_EINVAL);
  EXPECT_FALSE(crm::term_label("zh-TW", "breached").has_value());
  EXPECT_FALSE(crm::term_label("en", "").has_value());
  EXPECT_EQ(crm_term_label(nullptr, "breached", &label), CRM_EINVAL);
  EXPECT_EQ(crm_term_label("en", "breached", nullptr), CRM_EINVAL);
}

}  // namespace

namespace {

// The header's one exception to "outputs untouched on failure" (issue 14 §5): a failed import
// batch still delivers its report.
TEST(CApiImport, AFailedBatchStillDeliversItsReport) {
  crm::test::TempDir dir;
  crm_db* db = nullptr;
  ASSERT_EQ(crm_db_open(dir.file("i.db").c_str(), &db), CRM_OK);
  ASSERT_EQ(crm_db_put_policy(db, crm::test::sample_policy().c_str()), CRM_OK) << crm_last_error();
  const std::string path = dir.file("bad.ndjson");
  std::ofstream(path) << R"({"id":"X-1","received_at":1760000000,"channel":"fax"})" "\n";
  char* report = nullptr;
  EXPECT_EQ(crm_db_import(db, path.c_str(), nullptr, &report), CRM_EINVAL);
  ASSERT_NE(report, nullptr);
  EXPECT_NE(std::string(report).find("\"rejected\":[{\"line\":1"), std::string::npos) << report;
  crm_free(report);
  crm_db_close(db);
}

}  // namespace

namespace {

// Stored policy versions are listed, and each document comes back byte for byte.
TEST(CApiPolicies, ListedAndReadBackAsStored) {
  crm::test::TempDir dir;
  crm_db* db = nullptr;
  ASSERT_EQ(crm_db_open(dir.file("p.db").c_str(), &db), CRM_OK);
  char* out = reinterpret_cast<char*>(0x1);
  EXPECT_EQ(crm_db_policy_document(db, nullptr, nullptr, &out), CRM_ENOTFOUND);
  EXPECT_EQ(out, reinterpret_cast<char*>(0x1));
  EXPECT_EQ(crm_db_policies(db, nullptr), CRM_EINVAL);
  ASSERT_EQ(crm_db_policies(db, &out), CRM_OK);
  EXPECT_STREQ(out, R"({"policies":[]})");
  crm_free(out);
  const std::string first = crm::test::sample_policy();
  std::string second = first;
  second.replace(second.find("\"2025.1\""), 8, "\"2025.2\"");
  ASSERT_EQ(crm_db_put_policy(db, first.c_str()), CRM_OK) << crm_last_error();
  ASSERT_EQ(crm_db_put_policy(db, second.c_str()), CRM_OK) << crm_last_error();
  ASSERT_EQ(crm_db_policies(db, &out), CRM_OK);
  const std::string list = out;
  crm_free(out);
  EXPECT_NE(list.find(R"({"name":"precise-customer-demand-management","version":"2025.1","calendar_data":{)"), std::string::npos) << list;
  EXPECT_LT(list.find("2025.1"), list.find("2025.2"));
  ASSERT_EQ(crm_db_policy_document(db, "precise-customer-demand-management", "2025.1", &out), CRM_OK);
  EXPECT_EQ(out, first);
  crm_free(out);
  ASSERT_EQ(crm_db_policy_document(db, nullptr, "", &out), CRM_OK);  // the only name, its latest version
  EXPECT_EQ(out, second);
  crm_free(out);
  EXPECT_EQ(crm_db_policy_document(db, "precise-customer-demand-management", "1999", &out), CRM_ENOTFOUND);
  EXPECT_NE(std::string(crm_last_error()).find("1999"), std::string::npos);
  crm_db_close(db);
}

}  // namespace
