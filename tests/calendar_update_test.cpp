// SPDX-License-Identifier: Apache-2.0
// Newer calendar data applied to a ledger (README "The built-in China calendar": updating it):
// a demand due across Spring Festival 2027 under provisional data, then a cn.txt with a 2027
// notice. Running targets follow the notice, their earlier plan in the history; a target met
// before the update keeps its judgement; the report and a reopened handle agree.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "crmpolicy/crmpolicy.h"
#include "crmpolicy/database.hpp"
#include "store_fixture.hpp"
#include "test_time.hpp"

namespace crm::test {
namespace {

using nlohmann::json;

// A notice as the State Council might publish it for 2027 (invented for the test): eight days
// off for the Spring Festival and two make-up Saturdays.
constexpr const char* k2027Notice =
    "\nnotice 2027 国办发明电〔2026〕99号 2026-11-20 国务院办公厅关于2027年部分节假日安排的通知\n"
    "off  2027-02-05 2027-02-12 春节\n"
    "work 2027-01-30 春节\n"
    "work 2027-02-20 春节\n";

class CalendarUpdate : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(data_ + "/calendars");
    const char* old = std::getenv("CRMPOLICY_DATA_DIR");
    had_ = old != nullptr;
    saved_ = old ? old : "";
    setenv("CRMPOLICY_DATA_DIR", data_.c_str(), 1);
    write_data("");
  }
  void TearDown() override {
    if (had_) setenv("CRMPOLICY_DATA_DIR", saved_.c_str(), 1);
    else unsetenv("CRMPOLICY_DATA_DIR");
  }
  void write_data(const std::string& extra) {
    std::ifstream in(CRMPOLICY_DATA_DIR "/calendars/cn.txt", std::ios::binary);
    std::stringstream s;
    s << in.rdbuf() << extra;
    std::ofstream(data_ + "/calendars/cn.txt", std::ios::binary | std::ios::trunc) << s.str();
  }
  static json view(Database& db, const char* id, int64_t at) {
    auto v = db.demand(id, at);
    EXPECT_TRUE(v.ok()) << v.status().to_string();
    return v.ok() ? json::parse(*v) : json();
  }
  static const json& target(const json& list, const char* name) {
    for (const json& t : list)
      if (t["name"] == name) return t;
    static const json none;
    return none;
  }
  void record(Database& db, const char* id, int64_t received) {
    const json d = {{"id", id}, {"received_at", received}, {"channel", "email"}, {"title", "咨询培训安排"}, {"owner", "li.na"}};
    auto r = db.record_demand(d.dump());
    ASSERT_TRUE(r.ok()) << r.status().to_string();
  }

  TempDir dir_;
  std::string data_ = dir_.file("data");
  std::string path_ = dir_.file("crm.db");
  std::string saved_;
  bool had_ = false;
};

TEST_F(CalendarUpdate, RunningTargetsFollowTheNoticeDecidedOnesKeepTheirJudgement) {
  auto opened = Database::open(path_);
  ASSERT_TRUE(opened.ok()) << opened.status().to_string();
  Database& db = *opened;
  ASSERT_TRUE(db.put_policy(sample_policy()).ok());
  // A: received on 除夕; by law 02-05..02-08 off and 02-09, 02-10 in lieu: contact due 02-15.
  record(db, "A", shanghai(2027, 2, 5, 16, 0));
  // B: received Friday 01-29, three working days after it: 02-01, 02-02, 02-03; acknowledged in time.
  record(db, "B", shanghai(2027, 1, 29, 10, 0));
  ASSERT_TRUE(db.append_event("B", json({{"type", "acknowledged"}, {"at", shanghai(2027, 2, 3, 10, 0)}, {"actor", "li.na"}}).dump()).ok());
  // D: received after the instant the update will take effect (recorded ahead), so the update
  // gives it no event; its report facts still rest on provisional days and must follow.
  record(db, "D", shanghai(2027, 2, 10, 10, 0));
  json a = view(db, "A", shanghai(2027, 2, 8));
  EXPECT_EQ(target(a["targets"], "contact")["due_at"], shanghai(2027, 2, 15, 18, 0));
  EXPECT_EQ(target(a["targets"], "contact")["provisional"], true);

  // A host has read the change feed to 02-16, past A's provisional due time (02-15 18:00).
  std::string cursor;
  for (bool more = true; more;) {
    json q = {{"until", shanghai(2027, 2, 16)}};
    if (!cursor.empty()) q["cursor"] = cursor;
    const json page = json::parse(*db.changes(q.dump()));
    cursor = page["cursor"];
    more = page["more"];
  }

  // The 2027 notice arrives; the administrator applies it as of 02-08 12:00.
  write_data(k2027Notice);
  auto applied = db.update_calendar_data(shanghai(2027, 2, 8, 12, 0));
  ASSERT_TRUE(applied.ok()) << applied.status().to_string();
  // The feed tells that the breach it reported at 02-15 18:00 did not happen: A is now due 02-17.
  {
    const json page = json::parse(*db.changes(json{{"cursor", cursor}, {"until", shanghai(2027, 2, 16)}}.dump()));
    bool retracted = false, updated = false;
    for (const json& c : page["changes"]) {
      if (c["demand"] != "A") continue;
      updated = updated || c.value("type", "") == "calendar_updated";
      retracted = retracted || (c["kind"] == "retracted" && c["retracts"] == "breached" && c["target"] == "contact" &&
                                c["at"] == shanghai(2027, 2, 15, 18, 0));
    }
    EXPECT_TRUE(updated) << page.dump();
    EXPECT_TRUE(retracted) << page.dump();
  }
  const json report = json::parse(*applied);
  EXPECT_EQ(report["updated"], true);
  EXPECT_EQ(report["from"], "cn 2025-11-04");
  EXPECT_EQ(report["to"], "cn 2026-11-20");
  ASSERT_EQ(report["demands"].size(), 2u) << report.dump();
  EXPECT_EQ(report["demands"][0]["id"], "A");
  EXPECT_EQ(target(report["demands"][0]["targets"], "contact")["due_before"], shanghai(2027, 2, 15, 18, 0));
  EXPECT_EQ(target(report["demands"][0]["targets"], "contact")["due_after"], shanghai(2027, 2, 17, 18, 0));
  EXPECT_TRUE(target(report["demands"][1]["targets"], "contact").is_null());  // B's was decided

  // A: the notice's days (02-05..02-12 off): 02-15, 02-16, 02-17; official now; the earlier plan in the history.
  a = view(db, "A", shanghai(2027, 2, 9));
  const json& contact = target(a["targets"], "contact");
  EXPECT_EQ(contact["due_at"], shanghai(2027, 2, 17, 18, 0));
  EXPECT_FALSE(contact.contains("provisional"));
  const json& earlier = target(a["history"], "contact");
  EXPECT_EQ(earlier["due_at"], shanghai(2027, 2, 15, 18, 0));
  EXPECT_EQ(earlier["ended_by"], "calendar_updated");
  EXPECT_EQ(earlier["ended_at"], shanghai(2027, 2, 8, 12, 0));
  bool logged = false;
  for (const json& e : a["events"])
    logged |= e["type"] == "calendar_updated" && e["from"] == "cn 2025-11-04" && e["to"] == "cn 2026-11-20" && e["actor"] == "crmpolicy";
  EXPECT_TRUE(logged) << a["events"].dump();

  // B: on the notice's days its contact would have been due 02-02 (01-30 is a make-up Saturday)
  // and the acknowledgement late; it was judged met before the update and stays met.
  const json b = view(db, "B", shanghai(2027, 2, 9));
  EXPECT_EQ(target(b["targets"], "contact")["status"], "met");
  EXPECT_EQ(target(b["targets"], "contact")["due_at"], shanghai(2027, 2, 3, 18, 0));

  // The work list and the report follow: A's contact due 02-17, nothing provisional in February.
  auto list = db.worklist(json({{"at", shanghai(2027, 2, 17, 12, 0)}}).dump());
  ASSERT_TRUE(list.ok());
  bool listed = false;
  const json items = json::parse(*list)["items"];
  for (const json& i : items)
    if (i["demand"] == "A" && i["target"] == "contact") listed = i["due_at"] == shanghai(2027, 2, 17, 18, 0) && !i.contains("provisional");
  EXPECT_TRUE(listed) << *list;
  auto monthly = db.report(json({{"at", shanghai(2027, 2, 28, 12, 0)}, {"period", "month"}, {"from", shanghai(2027, 2, 1)},
                                 {"to", shanghai(2027, 3, 1)}, {"format", "json"}})
                               .dump());
  ASSERT_TRUE(monthly.ok()) << monthly.status().to_string();
  const json r = json::parse(*monthly);
  const json& feb = r["rows"][0];
  EXPECT_EQ(feb["targets"]["met"], 1);        // B's contact, kept on time
  EXPECT_EQ(feb["targets"]["breached"], 2);   // A's contact, due 02-17, and D's, unmet at 02-28
  EXPECT_EQ(feb["targets"]["provisional"], 0);
  // The report facts the writes keep followed the data: the same report from the ledger replayed.
  auto replayed = db.report(json({{"at", shanghai(2027, 2, 28, 12, 0)}, {"period", "month"}, {"from", shanghai(2027, 2, 1)},
                                  {"to", shanghai(2027, 3, 1)}, {"format", "json"}, {"from_ledger", true}})
                                .dump());
  ASSERT_TRUE(replayed.ok()) << replayed.status().to_string();
  EXPECT_EQ(*monthly, *replayed);

  // Applying again changes nothing; a reopened handle computes on the pinned 2027 data.
  auto again = db.update_calendar_data(shanghai(2027, 2, 9));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(json::parse(*again)["updated"], false);
  auto reopened = Database::open(path_);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(target(view(*reopened, "A", shanghai(2027, 2, 9))["targets"], "contact")["due_at"], shanghai(2027, 2, 17, 18, 0));
  EXPECT_EQ(target(view(*reopened, "B", shanghai(2027, 2, 9))["targets"], "contact")["status"], "met");
  EXPECT_EQ(query(path_, "SELECT count(*) FROM calendar_data"), "2");

  // An older file later is not applied: the database keeps its data.
  write_data("");
  auto older = reopened->update_calendar_data(shanghai(2027, 2, 10));
  ASSERT_FALSE(older.ok());
  EXPECT_EQ(older.status().code(), StatusCode::invalid_state);
  auto third = Database::open(path_);
  ASSERT_TRUE(third.ok()) << third.status().to_string();
  EXPECT_EQ(target(view(*third, "A", shanghai(2027, 2, 9))["targets"], "contact")["due_at"], shanghai(2027, 2, 17, 18, 0));
}

TEST_F(CalendarUpdate, OpeningPinsNewerDataAndTheCApiAppliesIt) {
  {
    auto db = Database::open(path_);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->put_policy(sample_policy()).ok());
  }
  EXPECT_EQ(query(path_, "SELECT version FROM calendar_data"), "cn 2025-11-04");
  write_data(k2027Notice);
  crm_db* db = nullptr;
  ASSERT_EQ(crm_db_open(path_.c_str(), &db), CRM_OK) << crm_last_error();  // applies the newer data as of now
  EXPECT_EQ(query(path_, "SELECT version FROM calendar_data ORDER BY seq DESC"), "cn 2026-11-20");
  char* out = nullptr;
  ASSERT_EQ(crm_db_update_calendar_data(db, shanghai(2027, 3, 1), &out), CRM_OK) << crm_last_error();
  EXPECT_EQ(json::parse(out)["updated"], false);
  crm_free(out);
  EXPECT_EQ(crm_db_update_calendar_data(db, 0, nullptr), CRM_EINVAL);
  crm_db_close(db);
  // A malformed data file: opening names the file and line, and the event type is the library's.
  std::ofstream(data_ + "/calendars/cn.txt", std::ios::app) << "off 2027-13-01 x\n";
  db = nullptr;
  EXPECT_EQ(crm_db_open(path_.c_str(), &db), CRM_EINVAL);
  EXPECT_NE(std::string(crm_last_error()).find("/calendars/cn.txt: line "), std::string::npos) << crm_last_error();
  EXPECT_EQ(db, nullptr);
  write_data(k2027Notice);
  auto handle = Database::open(path_);
  ASSERT_TRUE(handle.ok());
  record(*handle, "C", shanghai(2027, 3, 1, 10));
  const Status refused = handle->append_event("C", R"({"type":"calendar_updated","at":1803000000,"actor":"x"})");
  EXPECT_EQ(refused.code(), StatusCode::invalid_argument);
  EXPECT_NE(refused.message().find("calendar_updated by the library"), std::string::npos) << refused.message();
}

}  // namespace
}  // namespace crm::test
