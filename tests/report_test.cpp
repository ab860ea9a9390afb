// SPDX-License-Identifier: Apache-2.0
// Reports: hand-checked figures over a small ledger, the engine against a straightforward
// reference on random fact tables, periods, query errors and the three output formats.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <random>

#include <nlohmann/json.hpp>

#include "core/civil_date.hpp"
#include "crmpolicy/database.hpp"
#include "ledger/replay.hpp"
#include "metrics/aggregate.hpp"
#include "metrics/period.hpp"
#include "store_fixture.hpp"

namespace crm {
namespace {

using nlohmann::json;

constexpr int64_t kShanghai = 8 * 3600;
// UTC instant of a local time in Asia/Shanghai.
int64_t local(int y, int m, int d, int hh = 0, int mm = 0) {
  return int64_t{*detail::day_number(y, m, d)} * 86400 + hh * 3600 + mm * 60 - kShanghai;
}

// Every report test runs on both engines (issue 15 §2).
class ReportTest : public test::EngineTest {
 protected:
  void demand(const char* id, int64_t at, const char* title, const char* owner, const char* channel = "email") {
    json d = {{"id", id}, {"received_at", at}, {"channel", channel}, {"title", title}, {"owner", owner},
              {"department", "service"}, {"customer", {{"id", "C-1"}}}};
    auto r = db_->record_demand(d.dump());
    ASSERT_TRUE(r.ok()) << r.status().to_string();
  }
  void event(const char* id, json e) {
    e["actor"] = "test";
    Status s = db_->append_event(id, e.dump());
    ASSERT_TRUE(s.ok()) << s.to_string();
  }
  json report(json q) {
    auto r = db_->report(q.dump());
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    return r.ok() ? json::parse(*r) : json();
  }
  static const json& row(const json& r, const std::string& period, const std::string& group = {}) {
    for (const json& x : r["rows"])
      if (x["period"] == period && (group.empty() ? !x.contains("group") : x.contains("group") && x["group"].begin().value() == group))
        return x;
    static const json none;
    ADD_FAILURE() << "no row " << period << " " << group;
    return none;
  }

  // D1 arrives ten minutes into February local time (still January 31 in UTC); D2 on the last
  // evening of January, resolved in February; D3 and D4 are urgent faults, D4 answered late.
  void small_ledger() {
    demand("D1", local(2025, 2, 1, 0, 10), "咨询交付周期", "li");
    demand("D2", local(2025, 1, 31, 23, 50), "咨询交付周期", "li");
    event("D2", {{"type", "acknowledged"}, {"at", local(2025, 2, 5, 9, 30)}});
    event("D2", {{"type", "resolved"}, {"at", local(2025, 2, 6, 10, 0)}});
    demand("D3", local(2025, 1, 6, 10, 0), "设备故障停机", "wang");
    event("D3", {{"type", "acknowledged"}, {"at", local(2025, 1, 6, 11, 0)}});
    event("D3", {{"type", "resolved"}, {"at", local(2025, 1, 7, 10, 0)}});
    event("D3", {{"type", "feedback"}, {"at", local(2025, 1, 8, 10, 0)}, {"satisfaction", 5}});
    demand("D4", local(2025, 1, 6, 14, 0), "设备故障停机", "zhao");
    event("D4", {{"type", "acknowledged"}, {"at", local(2025, 1, 6, 17, 0)}});
    event("D4", {{"type", "resolved"}, {"at", local(2025, 1, 20, 10, 0)}});
    event("D4", {{"type", "feedback"}, {"at", local(2025, 1, 21, 10, 0)}, {"satisfaction", 2}});
  }

};
INSTANTIATE_TEST_SUITE_P(Engines, ReportTest, ::testing::ValuesIn(test::engines()), test::engine_name);

// open_at_end is a stock (issue 14 §1): the whole range's, in total and per group, is its last
// period's, for every period size; the flows sum.
TEST_P(ReportTest, TheWholeRangeRowsOpenIsTheLastPeriodsNotASum) {
  small_ledger();
  for (const char* period : {"day", "week", "month", "quarter", "half_year", "year"}) {
    const json r = report({{"at", local(2025, 2, 28, 12)}, {"period", period}, {"from", local(2025, 1, 1)},
                           {"to", local(2025, 3, 1)}, {"by", {"owner"}}});
    std::string last;
    int64_t received = 0;
    for (const json& x : r["rows"])
      if (x["period"] != "all" && !x.contains("group")) last = x["period"], received += x["received"].get<int64_t>();
    ASSERT_FALSE(last.empty()) << period;
    EXPECT_EQ(row(r, "all")["open_at_end"], 1) << period;  // D1: D2, D3, D4 are resolved by the range's end
    EXPECT_EQ(row(r, "all")["open_at_end"], row(r, last)["open_at_end"]) << period;
    EXPECT_EQ(row(r, "all")["received"], received) << period;
    for (const char* owner : {"li", "wang", "zhao"}) {
      const json& a = row(r, "all", owner);
      int64_t expected = 0;
      for (const json& x : r["rows"])
        if (x["period"] == last && x.contains("group") && x["group"].begin().value() == owner) expected = x["open_at_end"];
      EXPECT_EQ(a["open_at_end"], expected) << period << " " << owner;
    }
  }
}

// A merged duplicate counts once, in the demand it was merged into (issue 14 §1): January's
// completion is D2, D3, D4 of three, not of four.
TEST_P(ReportTest, AMergedDuplicateCountsInTheDemandItWasMergedInto) {
  small_ledger();
  demand("D6", local(2025, 1, 6, 10, 30), "设备故障停机", "wang");
  event("D6", {{"type", "merged_into"}, {"into", "D3"}, {"at", local(2025, 1, 6, 11, 30)}});
  const json r = report({{"at", local(2025, 2, 28, 12)}, {"period", "month"}, {"from", local(2025, 1, 1)}, {"to", local(2025, 3, 1)}});
  const json& jan = row(r, "2025-01");
  EXPECT_EQ(jan["received"], 4);
  EXPECT_EQ(jan["merged"], 1);
  EXPECT_EQ(jan["completion"]["received"], 3);
  EXPECT_EQ(jan["completion"]["resolved"], 3);
  EXPECT_EQ(jan["completion"]["rate"], 1.0);
  EXPECT_EQ(jan["completion"]["with_resolution_target"], 3);
  EXPECT_EQ(jan["first_response_hours"]["count"], 3);  // the duplicate was never answered on its own
  EXPECT_EQ(row(r, "all")["completion"]["rate"], 0.75);  // D1 of February still open
}

// A goal is judged on its own period (issue 14 §1): January's 50% satisfaction does not miss the
// quarterly goal (90%), Q1 as a whole (9 of 10 satisfied) meets it; monthly goals stay judged on months.
TEST_P(ReportTest, AGoalIsJudgedOnItsOwnPeriod) {
  small_ledger();  // January: scores 5 and 2
  for (int i = 0; i < 8; ++i) {
    const std::string id = "Q" + std::to_string(i);
    const int month = 2 + i % 2;
    demand(id.c_str(), local(2025, month, 10, 10), "咨询交付周期", "li");
    event(id.c_str(), {{"type", "resolved"}, {"at", local(2025, month, 11, 10)}});
    event(id.c_str(), {{"type", "feedback"}, {"at", local(2025, month, 12, 10)}, {"satisfaction", 5}});
  }
  const json r = report({{"at", local(2025, 5, 15, 12)}, {"period", "month"}, {"from", local(2025, 1, 1)}, {"to", local(2025, 7, 1)}});
  size_t sat = SIZE_MAX, done = SIZE_MAX;
  for (size_t g = 0; g < r["goals"].size(); ++g) {
    if (r["goals"][g]["metric"] == "satisfaction") sat = g;
    if (r["goals"][g]["metric"] == "completion") done = g;
  }
  ASSERT_NE(sat, SIZE_MAX);
  ASSERT_NE(done, SIZE_MAX);
  const json& jan = row(r, "2025-01");
  EXPECT_EQ(jan["goals"][sat]["value"], 0.5);
  EXPECT_FALSE(jan["goals"][sat].contains("met"));
  EXPECT_EQ(jan["goals"][sat]["judged_on"], "quarter");
  EXPECT_EQ(jan["goals"][done]["met"], true);  // a monthly goal on a monthly row
  EXPECT_FALSE(row(r, "all")["goals"][done].contains("met"));
  const json& rows = r["goals"][sat]["rows"];
  ASSERT_EQ(rows.size(), 2u);  // Q1 and Q2 overlap the range
  EXPECT_EQ(rows[0]["period"], "2025-Q1");
  EXPECT_EQ(rows[0]["numerator"], 9);
  EXPECT_EQ(rows[0]["denominator"], 10);
  EXPECT_EQ(rows[0]["met"], true);
  EXPECT_EQ(rows[0]["complete"], true);
  EXPECT_EQ(rows[0]["from"], local(2025, 1, 1));
  EXPECT_EQ(rows[0]["to"], local(2025, 4, 1));
  EXPECT_EQ(rows[1]["complete"], false);  // Q2 is not over on May 15: judged to date
  EXPECT_TRUE(rows[1]["met"].is_null());   // no feedback yet
  const json& months = r["goals"][done]["rows"];
  ASSERT_EQ(months.size(), 6u);
  for (size_t m = 0; m < 6; ++m) EXPECT_EQ(months[m]["value"], row(r, months[m]["period"])["goals"][done]["value"]) << m;

  // A quarterly report judges the quarter goal on its rows; a goal period wider than the range is whole.
  const json q = report({{"at", local(2025, 5, 15, 12)}, {"period", "quarter"}, {"from", local(2025, 2, 1)}, {"to", local(2025, 3, 1)}});
  EXPECT_FALSE(row(q, "2025-Q1")["goals"][sat].contains("judged_on"));
  EXPECT_EQ(row(q, "2025-Q1")["goals"][sat]["met"], true);
  EXPECT_EQ(q["goals"][sat]["rows"][0]["from"], local(2025, 1, 1));
  EXPECT_EQ(q["goals"][sat]["rows"][0]["denominator"], 10);

  // HTML marks no January satisfaction miss; CSV leaves the quarter goal's met column empty on months.
  auto html = db_->report(json({{"at", local(2025, 5, 15, 12)}, {"from", local(2025, 1, 1)}, {"to", local(2025, 4, 1)},
                                {"format", "html"}, {"locale", "en"}}).dump());
  ASSERT_TRUE(html.ok());
  EXPECT_NE(html->find("<html lang='en'>"), std::string::npos);
  EXPECT_NE(html->find("Goals, each judged on its own period"), std::string::npos);
  const size_t jan_html = html->find("<tr><td>2025-01");
  ASSERT_NE(jan_html, std::string::npos);
  const std::string jan_tr = html->substr(jan_html, html->find("</tr>", jan_html) - jan_html);
  // Timeliness 50% misses its monthly goal; satisfaction 50% is not judged on a month.
  EXPECT_NE(jan_tr.find("<td class='n miss'>50.0%</td><td class='n'>100.0%</td><td class='n'>66.7%</td><td class='n'>50.0%</td>"),
            std::string::npos) << jan_tr;
  EXPECT_NE(html->find("<td>satisfaction</td><td>quarter</td><td class='n'>90%</td><td class='n'>1 of 1</td><td>–"), std::string::npos);
  // Before the quarter is over no quarter is judged yet: "–", not "0 of 0".
  auto week = db_->report(json({{"at", local(2025, 2, 15, 12)}, {"period", "week"}, {"from", local(2025, 1, 6)},
                                {"to", local(2025, 1, 13)}, {"format", "html"}, {"locale", "en"}}).dump());
  ASSERT_TRUE(week.ok());
  EXPECT_NE(week->find("<td>satisfaction</td><td>quarter</td><td class='n'>90%</td><td class='n'>–</td>"), std::string::npos);
  EXPECT_EQ(week->find("0 of 0"), std::string::npos);
  // The sample policy's own language (its "locale") is the default: the same page in Chinese.
  auto zh = db_->report(json({{"at", local(2025, 5, 15, 12)}, {"from", local(2025, 1, 1)}, {"to", local(2025, 4, 1)}, {"format", "html"}}).dump());
  ASSERT_TRUE(zh.ok());
  EXPECT_NE(zh->find("<html lang='zh-CN'>"), std::string::npos);
  EXPECT_NE(zh->find("<h2>目标（各按其自身周期考核）</h2>"), std::string::npos);
  EXPECT_NE(zh->find("<td>满意率</td><td>季度</td><td class='n'>90%</td><td class='n'>1 / 1</td><td>–"), std::string::npos);
  EXPECT_NE(zh->find(jan_tr), std::string::npos);  // the same figures
  for (const char* english : {"Goals", "breached", "Timeliness", "non_functional", "Received"})
    EXPECT_EQ(zh->find(english), std::string::npos) << english;
  auto csv = db_->report(json({{"at", local(2025, 5, 15, 12)}, {"from", local(2025, 1, 1)}, {"to", local(2025, 4, 1)}, {"format", "csv"}}).dump());
  ASSERT_TRUE(csv.ok());
  EXPECT_NE(csv->find("goal satisfaction met (per quarter)"), std::string::npos);
  const size_t jan_line = csv->find("\r\n2025-01,");
  ASSERT_NE(jan_line, std::string::npos);
  const std::string jan_csv = csv->substr(jan_line + 2, csv->find("\r\n", jan_line + 2) - jan_line - 2);
  EXPECT_NE(jan_csv.find(",0.5000,,"), std::string::npos) << jan_csv;  // satisfaction 0.5, not judged
}

TEST_P(ReportTest, HandCheckedMonthlyFigures) {
  small_ledger();
  const json r = report({{"at", local(2025, 2, 28, 12)}, {"period", "month"}, {"from", local(2025, 1, 1)}, {"to", local(2025, 3, 1)}});
  ASSERT_EQ(r["rows"].size(), 3u);  // January, February, the whole range
  const json& jan = row(r, "2025-01");
  EXPECT_EQ(jan["from"], local(2025, 1, 1));
  EXPECT_EQ(jan["to"], local(2025, 2, 1));
  EXPECT_EQ(jan["received"], 3);  // D2, D3, D4: D1 is February's in local time
  EXPECT_EQ(jan["open_at_end"], 1);  // D2
  // Due in January: D3's first response (met) and resolution (met), D4's first response (3 h > 2 h)
  // and resolution (due 01-09 14:00, resolved 01-20) late.
  EXPECT_EQ(jan["timeliness"]["decided"], 4);
  EXPECT_EQ(jan["timeliness"]["on_time"], 2);
  EXPECT_EQ(jan["timeliness"]["rate"], 0.5);
  EXPECT_EQ(jan["timeliness"]["by_target"]["first_response"]["decided"], 2);
  EXPECT_EQ(jan["targets"]["met_late"], 2);
  // Completion: all three received in January are resolved by the report instant, D2 in February;
  // within target: D3 and D2 (30 days), not D4.
  EXPECT_EQ(jan["completion"]["resolved"], 3);
  EXPECT_EQ(jan["completion"]["rate"], 1.0);
  EXPECT_EQ(jan["completion"]["with_resolution_target"], 3);
  EXPECT_EQ(jan["completion"]["resolved_within_target"], 2);
  // Satisfaction: scores 5 and 2; resolved in January: D3, D4.
  EXPECT_EQ(jan["satisfaction"]["responses"], 2);
  EXPECT_EQ(jan["satisfaction"]["mean"], 3.5);
  EXPECT_EQ(jan["satisfaction"]["rate"], 0.5);
  EXPECT_EQ(jan["satisfaction"]["resolved"], 2);
  EXPECT_EQ(jan["satisfaction"]["response_rate"], 1.0);
  // First response in working hours: D3 1.0, D4 3.0, D2 0.5 (the Spring Festival holiday counts nothing).
  EXPECT_EQ(jan["first_response_hours"]["count"], 3);
  EXPECT_DOUBLE_EQ(jan["first_response_hours"]["mean"].get<double>(), 1.5);
  EXPECT_EQ(jan["first_response_hours"]["median"], 1.0);
  EXPECT_EQ(jan["first_response_hours"]["p90"], 3.0);
  // Goals: timeliness 0.5 < 0.95; first_response of urgent demands 1 of 2; completion 1.0 >= 0.9.
  EXPECT_EQ(jan["goals"][0]["met"], false);
  EXPECT_EQ(jan["goals"][1]["value"], 0.5);
  EXPECT_EQ(jan["goals"][2]["met"], true);

  const json& feb = row(r, "2025-02");
  EXPECT_EQ(feb["received"], 1);
  EXPECT_EQ(feb["open_at_end"], 1);  // D1
  EXPECT_EQ(feb["satisfaction"]["resolved"], 1);  // D2
  EXPECT_EQ(feb["satisfaction"]["response_rate"], 0.0);
  const json& all = row(r, "all");
  EXPECT_EQ(all["received"], 4);

  // zhao missed D4's two; li's D1 was never contacted (due Fri 02-07 after the holiday): still breached.
  ASSERT_EQ(r["analysis"]["accountability"].size(), 2u);
  EXPECT_EQ(r["analysis"]["accountability"][0]["owner"], "zhao");
  EXPECT_EQ(r["analysis"]["accountability"][0]["missed"], 2);
  EXPECT_EQ(r["analysis"]["accountability"][0]["breached_open"], 0);
  EXPECT_EQ(r["analysis"]["accountability"][1]["owner"], "li");
  EXPECT_EQ(r["analysis"]["accountability"][1]["breached_open"], 1);
  // Attention at 02-28: D1's contact breached, its 30-day resolution past its warn time.
  ASSERT_EQ(r["attention"].size(), 2u);
  EXPECT_EQ(r["attention"][0]["target"], "contact");
  EXPECT_EQ(r["attention"][0]["status"], "breached");
  EXPECT_EQ(r["attention"][1]["target"], "resolution");
  EXPECT_EQ(r["attention"][1]["status"], "at_risk");
  EXPECT_EQ(r["analysis"]["by_urgency"]["urgent"], 2);
}

// The response rate is a cohort's: of the demands resolved in a period, the share that gave
// feedback by the report instant. Counting the period's feedback against its resolutions gave
// February 200% here (two re-surveys of January's demands against one resolution).
TEST_P(ReportTest, TheResponseRateIsTheShareOfAPeriodsResolutionsThatGaveFeedback) {
  small_ledger();
  event("D3", {{"type", "feedback"}, {"at", local(2025, 2, 3, 10, 0)}, {"satisfaction", 4}});
  event("D4", {{"type", "feedback"}, {"at", local(2025, 2, 4, 10, 0)}, {"satisfaction", 3}});
  event("D2", {{"type", "feedback"}, {"at", local(2025, 3, 3, 10, 0)}, {"satisfaction", 5}});
  const json before = report({{"at", local(2025, 2, 28, 12)}, {"from", local(2025, 1, 1)}, {"to", local(2025, 3, 1)}});
  EXPECT_EQ(row(before, "2025-02")["satisfaction"]["responses"], 2);  // given in February
  EXPECT_EQ(row(before, "2025-02")["satisfaction"]["resolved"], 1);   // D2
  EXPECT_EQ(row(before, "2025-02")["satisfaction"]["resolved_with_feedback"], 0);
  EXPECT_EQ(row(before, "2025-02")["satisfaction"]["response_rate"], 0.0);  // D2 has not answered yet
  EXPECT_EQ(row(before, "2025-01")["satisfaction"]["response_rate"], 1.0);  // D3, D4
  const json after = report({{"at", local(2025, 3, 31, 12)}, {"from", local(2025, 1, 1)}, {"to", local(2025, 4, 1)}});
  EXPECT_EQ(row(after, "2025-02")["satisfaction"]["response_rate"], 1.0);  // D2 answered in March
  EXPECT_EQ(row(after, "2025-03")["satisfaction"]["responses"], 1);
  EXPECT_TRUE(row(after, "2025-03")["satisfaction"]["response_rate"].is_null());  // nothing resolved in March
  const json& all = row(after, "all");
  EXPECT_EQ(all["satisfaction"]["resolved"], 3);
  EXPECT_EQ(all["satisfaction"]["resolved_with_feedback"], 3);
  EXPECT_EQ(all["satisfaction"]["responses"], 5);
  EXPECT_EQ(all["satisfaction"]["response_rate"], 1.0);
  // The sample policy's quarterly goal (at least 60%) counts the same cohort: Q1, 3 of 3.
  int goals = 0;
  for (const json& goal : after["goals"]) {
    if (goal["metric"] != "response_rate") continue;
    ++goals;
    ASSERT_FALSE(goal["rows"].empty());
    EXPECT_EQ(goal["rows"][0]["numerator"], 3);
    EXPECT_EQ(goal["rows"][0]["denominator"], 3);
  }
  EXPECT_EQ(goals, 1);
  // Every rate of every row is a share.
  for (const json& r : after["rows"]) {
    if (r["satisfaction"]["response_rate"].is_number()) {
      EXPECT_LE(r["satisfaction"]["response_rate"].get<double>(), 1.0);
    }
  }
}

TEST_P(ReportTest, GroupsFiltersAndInstants) {
  small_ledger();
  const json r = report({{"at", local(2025, 2, 28, 12)}, {"by", "owner"}, {"from", local(2025, 1, 1)}, {"to", local(2025, 3, 1)}});
  EXPECT_EQ(row(r, "2025-01", "zhao")["timeliness"]["rate"], 0.0);
  EXPECT_EQ(row(r, "2025-01", "wang")["timeliness"]["rate"], 1.0);
  EXPECT_EQ(row(r, "all", "li")["received"], 2);
  const json f = report({{"at", local(2025, 2, 28, 12)}, {"filter", {{"owner", "li"}}}, {"from", local(2025, 1, 1)}, {"to", local(2025, 3, 1)}});
  EXPECT_EQ(row(f, "all")["received"], 2);
  // Before D4's acknowledgement its first response is still running: nothing decided for it.
  const json early = report({{"at", local(2025, 1, 6, 15)}, {"from", local(2025, 1, 1)}, {"to", local(2025, 2, 1)}});
  EXPECT_EQ(row(early, "2025-01")["received"], 2);
  EXPECT_EQ(row(early, "2025-01")["timeliness"]["decided"], 1);
  EXPECT_EQ(row(early, "2025-01")["targets"]["pending"], 2);  // D3's and D4's resolution
  EXPECT_EQ(row(early, "2025-01")["targets"]["at_risk"], 1);  // D4's first response, past its warn time
  // A demand received in one month and resolved in the next: completion counts it in its month.
  const json d = report({{"at", local(2025, 2, 3)}, {"from", local(2025, 1, 1)}, {"to", local(2025, 3, 1)}});
  EXPECT_EQ(row(d, "2025-01")["completion"]["resolved"], 2);  // D2 not yet
  EXPECT_EQ(row(d, "2025-01")["open_at_end"], 1);
}

TEST_P(ReportTest, DeterministicAndFormats) {
  small_ledger();
  const json q = {{"at", local(2025, 2, 28, 12)}, {"by", json::array({"owner", "urgency"})}};
  auto a = db_->report(q.dump()), b = db_->report(q.dump());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  json qc = q;
  qc["format"] = "csv";
  auto csv = db_->report(qc.dump());
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(csv->rfind("\xEF\xBB\xBFperiod,from,to,owner,urgency,received", 0), 0u);  // UTF-8 with BOM, for Excel
  qc["csv_bom"] = false;
  auto plain = db_->report(qc.dump());
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*plain, csv->substr(3));
  qc.erase("csv_bom");
  EXPECT_NE(csv->find("\r\n2025-01,2025-01-01T00:00:00+08:00,2025-02-01T00:00:00+08:00,(all),(all),3,"), std::string::npos);
  qc["format"] = "html";
  auto html = db_->report(qc.dump());
  ASSERT_TRUE(html.ok());
  EXPECT_EQ(html->rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html->find("<svg"), std::string::npos);
  EXPECT_EQ(html->find("<script"), std::string::npos);
  EXPECT_EQ(html->find("src="), std::string::npos);
  EXPECT_EQ(html->find("href="), std::string::npos);
}

// A value from the ledger that a spreadsheet would take for a formula stays text in the CSV.
TEST_P(ReportTest, CsvCellsThatLookLikeFormulasStayText) {
  demand("D1", local(2025, 1, 6, 10, 0), "咨询交付周期", "=HYPERLINK(\"http://x.example\",\"open\")");
  demand("D2", local(2025, 1, 6, 11, 0), "咨询交付周期", "@SUM(A1)");
  demand("D3", local(2025, 1, 6, 12, 0), "咨询交付周期", "-1+2");
  demand("D4", local(2025, 1, 6, 13, 0), "咨询交付周期", "li");
  auto csv = db_->report(json({{"at", local(2025, 2, 1)}, {"from", local(2025, 1, 1)}, {"to", local(2025, 2, 1)},
                               {"by", "owner"}, {"format", "csv"}}).dump());
  ASSERT_TRUE(csv.ok());
  EXPECT_NE(csv->find(",\"'=HYPERLINK(\"\"http://x.example\"\",\"\"open\"\")\","), std::string::npos) << *csv;
  EXPECT_NE(csv->find(",'@SUM(A1),"), std::string::npos);
  EXPECT_NE(csv->find(",'-1+2,"), std::string::npos);
  EXPECT_NE(csv->find(",li,"), std::string::npos);
  for (const char* raw : {",=", ",@", ",-1", ",+"}) EXPECT_EQ(csv->find(raw), std::string::npos) << raw;
}

TEST_P(ReportTest, BadQueriesNameTheField) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({})", "/at"},
      {R"({"at": 1, "period": "fortnight"})", "/period"},
      {R"({"at": 1760000000, "by": ["owner", "owner"]})", "/by"},
      {R"({"at": 1760000000, "by": ["colour"]})", "/by"},
      {R"({"at": 1760000000, "by": ["owner", "urgency", "channel"]})", "/by"},
      {R"({"at": 1760000000, "filter": {"colour": "red"}})", "/filter/colour"},
      {R"({"at": 1760000000, "format": "pdf"})", "/format"},
      {R"({"at": 1760000000, "csv_bom": "yes"})", "/csv_bom"},
      {R"({"at": 1760000000, "locale": "zh"})", "/locale"},
      {R"({"at": 1760000000, "from": 5, "to": 4})", "/to"},
      {R"({"at": 1760000000, "limit": 4})", "/limit"},
      {R"({"at": 1760000000, "from_ledger": 1})", "/from_ledger"},
  };
  for (const auto& [query, field] : cases) {
    auto r = db_->report(query);
    ASSERT_FALSE(r.ok()) << query;
    EXPECT_EQ(r.status().code(), StatusCode::invalid_argument) << query;
    EXPECT_NE(r.status().message().find(field), std::string::npos) << r.status().message();
  }
  EXPECT_EQ(db_->report(R"({"at": 1760000000, "policy": "nope"})").status().code(), StatusCode::not_found);
}

TEST(ReportPeriods, LabelsAndIsoWeek53) {
  using detail::PeriodKind;
  const int32_t dec31 = *detail::day_number(2026, 12, 31);
  EXPECT_EQ(detail::period_label(PeriodKind::week, detail::period_ordinal(PeriodKind::week, dec31)), "2026-W53");
  EXPECT_EQ(detail::period_ordinal(PeriodKind::week, *detail::day_number(2027, 1, 3)),
            detail::period_ordinal(PeriodKind::week, dec31));
  EXPECT_EQ(detail::period_label(PeriodKind::week, detail::period_ordinal(PeriodKind::week, *detail::day_number(2027, 1, 4))), "2027-W01");
  EXPECT_EQ(detail::period_first_day(PeriodKind::week, detail::period_ordinal(PeriodKind::week, dec31)), *detail::day_number(2026, 12, 28));
  EXPECT_EQ(detail::period_label(PeriodKind::quarter, detail::period_ordinal(PeriodKind::quarter, dec31)), "2026-Q4");
  EXPECT_EQ(detail::period_label(PeriodKind::half_year, detail::period_ordinal(PeriodKind::half_year, dec31)), "2026-H2");
  EXPECT_EQ(detail::period_label(PeriodKind::month, detail::period_ordinal(PeriodKind::month, dec31)), "2026-12");
  EXPECT_EQ(detail::period_label(PeriodKind::year, detail::period_ordinal(PeriodKind::year, dec31)), "2026");
  const detail::PeriodTable weeks(PeriodKind::week, *detail::day_number(2026, 12, 20), *detail::day_number(2027, 1, 10));
  EXPECT_EQ(weeks.size(), 4u);  // W51 (from the 20th), W52, W53, W01
  EXPECT_EQ(weeks.index(dec31), 2);
  EXPECT_EQ(weeks.index(*detail::day_number(2027, 1, 10)), -1);
}

TEST_P(ReportTest, WeeklyReportAcrossYearEnd) {
  const int64_t mon = local(2026, 12, 28, 10), sun = local(2027, 1, 3, 23, 59), next = local(2027, 1, 4, 0, 0);
  demand("W1", mon, "咨询", "li");
  demand("W2", sun, "咨询", "li");
  demand("W3", next, "咨询", "li");
  const json r = report({{"at", local(2027, 1, 5)}, {"period", "week"}, {"from", local(2026, 12, 28)}, {"to", local(2027, 1, 11)}});
  EXPECT_EQ(row(r, "2026-W53")["received"], 2);
  EXPECT_EQ(row(r, "2027-W01")["received"], 1);
}

// The engine against a per-row reference: random fact tables, two-dimension grouping, a filter.
TEST(ReportEngine, MatchesReferenceOnRandomFacts) {
  for (uint32_t seed = 1; seed <= 6; ++seed) {
    std::mt19937 rng(seed);
    detail::FactTable f;
    f.target_names = {"a", "b", "c"};
    const char* departments[] = {"d0", "d1", "d2", "d3"};
    const char* urgencies[] = {"urgent", "important", "general"};
    const int32_t day0 = *detail::day_number(2025, 1, 1);
    const size_t demands = 500 + rng() % 500;
    for (size_t i = 0; i < demands; ++i) {
      f.add_id("D" + std::to_string(i));
      for (size_t k = 0; k < detail::kDimensionCount; ++k) f.dims[k].push_back(f.dictionaries[k].code(""));
      f.dims[0].back() = f.dictionaries[0].code(departments[rng() % 4]);
      f.dims[2].back() = f.dictionaries[2].code(urgencies[rng() % 3]);
      // Odd seeds: every goal has a condition some demands fail. Even seeds: goals 0 and 2 apply
      // to every demand, which the engine sums from its per-target counts instead.
      ASSERT_TRUE(f.add_goal_mask(seed % 2 ? rng() & 7 : (rng() & 2) | 5));
      f.received_day.push_back(day0 + static_cast<int32_t>(rng() % 400));
      f.resolved_day.push_back(rng() % 3 ? f.received_day.back() + static_cast<int32_t>(rng() % 40) : detail::kNoDay);
      f.state.push_back(static_cast<uint8_t>(rng() % 6));
      f.resolution.push_back(static_cast<uint8_t>(rng() % 3));
      f.first_response_hours.push_back(static_cast<float>(rng() % 100) / 4);
      for (size_t t = 0, n = rng() % 4; t < n; ++t) {
        f.target_demand.push_back(static_cast<uint32_t>(i));
        f.target_due_day.push_back(f.received_day.back() + static_cast<int32_t>(rng() % 20));
        f.target_name.push_back(static_cast<uint8_t>(rng() % 3));
        f.target_status.push_back(static_cast<uint8_t>(rng() % 6));
        f.target_provisional.push_back(static_cast<uint8_t>(rng() % 2));
      }
      if (rng() % 2) {
        f.feedback_demand.push_back(static_cast<uint32_t>(i));
        f.feedback_day.push_back(f.received_day.back() + 3);
        f.feedback_score.push_back(static_cast<uint8_t>(1 + rng() % 5));
      }
    }
    detail::Grouping g{detail::PeriodTable(detail::PeriodKind::month, day0 + 10, day0 + 300), {}, {detail::Dimension::department, detail::Dimension::urgency}, {}};
    g.period_end.assign(g.periods.size(), 0);
    g.allowed[2] = {true, true, false};  // urgency codes 0 and 1 only
    g.allowed[2].resize(f.dictionaries[2].size() + 1, false);
    const uint32_t urgent = f.dictionaries[2].find("urgent"), important = f.dictionaries[2].find("important");
    std::fill(g.allowed[2].begin(), g.allowed[2].end(), false);
    g.allowed[2][urgent] = g.allowed[2][important] = true;
    const std::vector<detail::GoalSpec> goals = {{detail::GoalMetric::timeliness, 1}, {detail::GoalMetric::satisfaction, 255},
                                                 {detail::GoalMetric::timeliness, 255}};
    // Target counts indexed by (period, key) on seeds 2, 3 and 6, by cell on the others.
    detail::Aggregation a(f, g, goals, (seed / 2) % 2 ? detail::Aggregation::kDirectCounts : 0);
    a.run();

    // Reference: per (period, department, urgency) tuple of strings, row by row.
    using Key = std::tuple<int32_t, std::string, std::string>;
    std::map<Key, std::map<std::string, int64_t>> want;
    const auto key_of = [&](size_t row, int32_t day) -> std::optional<Key> {
      const std::string u = f.dictionaries[2].value(f.dims[2][row]);
      if (u != "urgent" && u != "important") return std::nullopt;
      const int32_t p = g.periods.index(day);
      if (p < 0) return std::nullopt;
      return Key{p, f.dictionaries[0].value(f.dims[0][row]), u};
    };
    for (size_t i = 0; i < f.target_demand.size(); ++i) {
      const auto k = key_of(f.target_demand[i], f.target_due_day[i]);
      if (!k) continue;
      const int s = f.target_status[i];
      const bool decided = s == 2 || s == 3 || s == 4;
      want[*k]["decided"] += decided;
      want[*k]["on_time"] += s == 2;
      want[*k]["provisional"] += f.target_provisional[i];
      if (f.target_name[i] == 1 && (f.goal_mask(f.target_demand[i]) & 1)) want[*k]["goal0"] += decided;
      if (f.goal_mask(f.target_demand[i]) & 4) want[*k]["goal2"] += decided, want[*k]["goal2_on_time"] += s == 2;
    }
    std::set<uint32_t> answered(f.feedback_demand.begin(), f.feedback_demand.end());
    for (size_t row = 0; row < demands; ++row) {
      // The response rate's cohort: resolved in the period, feedback given whenever.
      if (f.resolved_day[row] != detail::kNoDay)
        if (const auto k = key_of(row, f.resolved_day[row])) {
          ++want[*k]["resolved_in_period"];
          want[*k]["resolved_with_feedback"] += answered.count(static_cast<uint32_t>(row));
        }
      if (const auto k = key_of(row, f.received_day[row])) {
        ++want[*k]["received"];
        // A merged duplicate counts in the demand it was merged into, not in completion.
        want[*k]["resolved"] += f.resolved_day[row] != detail::kNoDay && f.state[row] != uint8_t(detail::DemandState::merged);
      }
    }
    for (size_t i = 0; i < f.feedback_demand.size(); ++i)
      if (const auto k = key_of(f.feedback_demand[i], f.feedback_day[i])) {
        ++want[*k]["feedback"];
        if (f.goal_mask(f.feedback_demand[i]) & 2) want[*k]["goal1"] += 1;
      }
    std::map<Key, std::map<std::string, int64_t>> got;
    for (size_t c = 0; c < a.cells().size(); ++c) {
      const auto& cell = a.cells()[c];
      const int64_t* n = a.counters(c);
      const Key k{static_cast<int32_t>(cell.period), f.dictionaries[0].value(a.key_part(cell.key, 0)),
                  f.dictionaries[2].value(a.key_part(cell.key, 1))};
      auto& m = got[k];
      const int64_t decided = n[detail::kTargetStatus + 2] + n[detail::kTargetStatus + 3] + n[detail::kTargetStatus + 4];
      const std::pair<const char*, int64_t> values[] = {{"decided", decided}, {"on_time", n[detail::kTargetStatus + 2]},
                                                        {"goal0", n[a.goal_counter(0) + 1]}, {"received", n[detail::kReceived]},
                                                        {"resolved", n[detail::kResolved]}, {"feedback", n[detail::kFeedback]},
                                                        {"goal1", n[a.goal_counter(1) + 1]},
                                                        {"goal2", n[a.goal_counter(2) + 1]}, {"goal2_on_time", n[a.goal_counter(2)]},
                                                        {"provisional", n[detail::kTargetsProvisional]},
                                                        {"resolved_in_period", n[detail::kResolvedInPeriod]},
                                                        {"resolved_with_feedback", n[detail::kResolvedWithFeedback]}};
      for (const auto& [name, v] : values)
        if (v) m[name] = v;
    }
    for (auto& [k, m] : want)
      for (auto it = m.begin(); it != m.end();) it = it->second == 0 ? m.erase(it) : std::next(it);
    for (auto it = want.begin(); it != want.end();) it = it->second.empty() ? want.erase(it) : std::next(it);
    for (auto it = got.begin(); it != got.end();) it = it->second.empty() ? got.erase(it) : std::next(it);
    EXPECT_EQ(got, want) << "seed " << seed;
  }
}

}  // namespace
}  // namespace crm

namespace crm {
namespace {

// The report facts the writer keeps (store/fact_rows.hpp) equal the ledger replayed (issue 16):
// random ledgers — late events, pauses, reclassifications, reopenings, merges, feedback,
// assessments, a second policy version with other goals — then reports at instants before, among
// and after the events, read from the facts and recomputed from the ledger, byte for byte; then
// the facts rebuilt from the ledger equal the ones the writes kept.
class ReportFacts : public ::testing::TestWithParam<std::tuple<std::string, uint64_t>> {};

TEST_P(ReportFacts, EqualTheLedgerReplayedAtEveryInstant) {
  const auto& [engine, seed] = GetParam();
  test::TempDir dir;
  const std::string where = test::fresh_database(engine, dir);
  auto opened = Database::open(where);
  ASSERT_TRUE(opened.ok()) << opened.status().to_string();
  Database& db = *opened;
  const std::string v1 = test::sample_policy();
  ASSERT_TRUE(db.put_policy(v1).ok());
  json second = json::parse(v1);
  second["version"] = "2025.2-test";
  second["goals"][2]["when"] = {{"field", "channel"}, {"eq", "phone"}};
  second["goals"].push_back({{"metric", "completion"}, {"min", 0.5}, {"period", "month"},
                             {"when", {{"text_any", {"停机"}}}}});

  std::mt19937_64 rng(seed);
  const char* titles[] = {"设备停机", "希望系统升级", "价格优惠", "咨询培训", "投诉：服务态度"};
  const char* channels[] = {"phone", "email", "complaint", "visit"};
  const char* types[] = {"acknowledged", "plan_sent", "started", "paused", "resumed", "resolved", "feedback",
                         "closed", "reopened", "reclassified", "reassigned", "merged_into", "assessed", "note", "progress"};
  const int64_t base = local(2025, 9, 22, 9);
  std::vector<std::string> ids;
  std::vector<int64_t> instants;
  bool second_stored = false;
  for (int i = 0; i < 70; ++i) {
    if (i == 35) {  // later demands record under the second version; earlier ones keep theirs
      ASSERT_TRUE(db.put_policy(second.dump()).ok());
      second_stored = true;
    }
    const std::string id = "F" + std::to_string(i);
    const int64_t received = base + static_cast<int64_t>(rng() % (40 * 86400));
    json d = {{"id", id}, {"received_at", received}, {"channel", channels[rng() % 4]}, {"title", titles[rng() % 5]},
              {"owner", std::string(1, static_cast<char>('a' + rng() % 3))}, {"department", rng() % 2 ? "service" : "sales"},
              {"customer", {{"id", "C" + std::to_string(rng() % 4)}}}};
    if (rng() % 5 == 0) d["text"] = "生产线停机";
    ASSERT_TRUE(db.record_demand(d.dump()).ok());
    ids.push_back(id);
    instants.push_back(received);
    int64_t t = received;
    for (int e = 0; e < 7; ++e) {
      t += static_cast<int64_t>(rng() % (4 * 86400));
      // Now and then a late event: dated before the ones already recorded.
      const int64_t at = rng() % 6 == 0 ? received + static_cast<int64_t>(rng() % static_cast<uint64_t>(t - received + 1)) : t;
      const std::string type = types[rng() % std::size(types)];
      json x = {{"type", type}, {"at", at}, {"actor", "x"}};
      if (type == "feedback") x["satisfaction"] = 1 + rng() % 5;
      if (type == "paused" || type == "closed") x["reason"] = "r";
      if (type == "reclassified") {
        x["urgency"] = rng() % 2 ? "urgent" : "important";
        x["reason"] = "r";
        if (second_stored && rng() % 2) x["policy_version"] = "2025.2-test";
      }
      if (type == "reassigned") x["owner"] = std::string(1, static_cast<char>('a' + rng() % 3));
      if (type == "merged_into") x["into"] = ids[rng() % ids.size()];
      if (type == "assessed") x = {{"type", type}, {"at", at}, {"actor", "x"}, {"technical", true}, {"economic", rng() % 2 == 0},
                                   {"value", static_cast<double>(rng() % 100) / 10.0}};
      const Status s = db.append_event(id, x.dump());
      ASSERT_TRUE(s.ok() || s.code() == StatusCode::invalid_state || s.code() == StatusCode::invalid_argument) << s.to_string();
      if (s.ok()) instants.push_back(at);
    }
  }
  std::sort(instants.begin(), instants.end());
  const std::vector<std::string> shapes = {
      R"("period":"month","by":["department"])", R"("period":"week","by":["owner","urgency"])",
      R"("period":"quarter","by":["policy_version"],"filter":{"channel":["phone","complaint"]})",
      R"("period":"day","by":["customer"],"list_limit":100)"};
  const auto compare = [&](const char* when) {
    std::vector<int64_t> ats = {instants.front() - 1, instants.back() + 40 * 86400};
    for (int k = 0; k < 6; ++k) ats.push_back(instants[rng() % instants.size()] + static_cast<int64_t>(rng() % 3) - 1);
    for (const int64_t at : ats)
      for (const std::string& shape : shapes) {
        const std::string q = R"({"at":)" + std::to_string(at) + "," + shape;
        auto kept = db.report(q + "}");
        auto replayed = db.report(q + R"(,"from_ledger":true})");
        ASSERT_TRUE(kept.ok()) << kept.status().to_string();
        ASSERT_TRUE(replayed.ok()) << replayed.status().to_string();
        EXPECT_EQ(*kept, *replayed) << when << ": " << q;
      }
  };
  compare("as written");
  // The kept rows but for the goal judgement: the writer judged goals under the latest version
  // as of each write, the rebuild under today's latest.
  const std::string facts = std::string("SELECT demand, policy, received_at, settled_at, provisional, ") +
                            (test::is_postgres(where) ? "encode(facts, 'hex')" : "hex(facts)") + " FROM demand_fact ORDER BY demand";
  const std::string written = test::rows(where, facts.c_str());
  ASSERT_NE(written, "<error>");
  EXPECT_NE(test::query(where, "SELECT count(*) FROM demand_fact WHERE goal_policy <> (SELECT max(id) FROM policy)"), "0");
  auto rebuilt = db.rebuild_report_facts();
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status().to_string();
  EXPECT_EQ(*rebuilt, 70);
  EXPECT_EQ(test::rows(where, facts.c_str()), written);
  EXPECT_EQ(test::query(where, "SELECT count(*) FROM demand_fact WHERE goal_policy <> (SELECT max(id) FROM policy)"), "0");
  compare("rebuilt");
}

std::string facts_case_name(const ::testing::TestParamInfo<std::tuple<std::string, uint64_t>>& info) {
  return std::get<0>(info.param) + "_" + std::to_string(std::get<1>(info.param));
}

INSTANTIATE_TEST_SUITE_P(Engines, ReportFacts,
                         ::testing::Combine(::testing::ValuesIn(test::engines()), ::testing::Values(42, 7, 2025, 31337, 9)),
                         facts_case_name);

}  // namespace
}  // namespace crm

namespace crm {
namespace {

// Many rows to settle after the scan (a new policy version's goals to judge, or an instant before
// most events) are read in one more ordered pass rather than one by one: the same report.
TEST_P(ReportTest, ManyRowsToSettleAreReadInOnePassAndGiveTheSameReport) {
  for (int i = 0; i < 400; ++i) {
    const std::string id = "M" + std::to_string(i);
    demand(id.c_str(), local(2025, 3, 3, 9) + i * 600, i % 4 ? "咨询交付周期" : "设备故障停机", i % 2 ? "li" : "wang");
    if (i % 3) event(id.c_str(), {{"type", "acknowledged"}, {"at", local(2025, 3, 3, 9) + i * 600 + 1800}});
  }
  json second = json::parse(test::sample_policy());
  second["version"] = "2025.2-goals";
  second["goals"][0]["when"] = {{"text_any", {"停机"}}};
  ASSERT_TRUE(db_->put_policy(second.dump()).ok());
  for (const int64_t at : {local(2025, 3, 3, 12), local(2025, 3, 6, 12), local(2025, 4, 1)}) {
    const json q = {{"at", at}, {"period", "day"}, {"by", {"owner"}}};
    json replayed = q;
    replayed["from_ledger"] = true;
    EXPECT_EQ(report(q), report(replayed)) << at;
  }
}

}  // namespace
}  // namespace crm
