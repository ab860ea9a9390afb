// SPDX-License-Identifier: Apache-2.0
// The change feed (README "Change feed", issue 17 §1): written changes in writing order, time-driven
// ones at their instants with their recipients, each exactly once per cursor, late events as
// retractions; pages resumed under random writes and limits agree with a reader that starts at the
// end, and with the demands' own views. On both engines.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <random>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "crmpolicy/database.hpp"
#include "store_fixture.hpp"
#include "test_time.hpp"

namespace crm {
namespace {

using nlohmann::json;
using test::shanghai;

const char kUrgentTitle[] = "生产线设备停机，请尽快维修";

class ChangeFeed : public test::EngineTest {
 protected:
  void record(const std::string& id, int64_t at, const std::string& title = kUrgentTitle,
              const std::string& channel = "phone") {
    auto r = db_->record_demand(R"({"id":")" + id + R"(","received_at":)" + std::to_string(at) + R"(,"channel":")" +
                                channel + R"(","title":")" + title + R"(","owner":"li","department":"售后服务部"})");
    ASSERT_TRUE(r.ok()) << r.status().to_string();
  }
  Status event(const std::string& id, const char* type, int64_t at) {
    const bool paused = std::string(type) == "paused";
    return db_->append_event(id, std::string(R"({"type":")") + type + R"(","at":)" + std::to_string(at) +
                                     R"(,"actor":"li")" + (paused ? R"(,"reason":"等待客户提供日志")" : "") + "}");
  }
  // One page after `cursor` ("" the first time), up to `until`; the cursor moves on.
  json page(std::string& cursor, int64_t until, int64_t limit = 1000) {
    json q = {{"until", until}, {"limit", limit}};
    if (!cursor.empty()) q["cursor"] = cursor;
    auto r = db_->changes(q.dump());
    EXPECT_TRUE(r.ok()) << r.status().to_string();
    if (!r.ok()) return json();
    json answer = json::parse(*r);
    cursor = answer["cursor"];
    return answer;
  }
  // The changes of a page that concern `target` or no target, as (kind, at, target, step) tuples.
  using Change = std::tuple<std::string, int64_t, std::string, int64_t>;
  static std::vector<Change> of(const json& answer, const std::string& target = "first_response") {
    std::vector<Change> out;
    const json& changes = answer["changes"];
    for (const json& c : changes) {
      const std::string t = c.value("target", "");
      if (!t.empty() && t != target) continue;
      out.emplace_back(c["kind"].get<std::string>(), c["at"].get<int64_t>(), t, c.value("step", int64_t{-1}));
    }
    return out;
  }

};
INSTANTIATE_TEST_SUITE_P(Engines, ChangeFeed, ::testing::ValuesIn(test::engines()), test::engine_name);

// Urgent, received Mon 2025-03-03 09:00 (cn-office: 09:00-12:00, 13:30-18:00): first_response is
// due 11:00, at risk from 10:00; its steps tell the owner at 10:00, owner and department head at
// 11:00, the customer service manager 2 working hours after due (14:30), then every 4 (Tue 09:30,
// Tue 15:00).
TEST_P(ChangeFeed, TimeDrivenChangesComeAtTheirInstantsWithTheirRecipientsEachOnce) {
  const int64_t received = shanghai(2025, 3, 3, 9);
  record("U", received);
  std::string cursor;
  json answer = page(cursor, received);
  EXPECT_EQ(of(answer), (std::vector<Change>{{"recorded", received, "", -1}}));
  EXPECT_EQ(answer["changes"][0]["demand"], "U");
  EXPECT_EQ(answer["changes"][0]["owner"], "li");
  EXPECT_EQ(answer["changes"][0]["department"], "售后服务部");
  EXPECT_FALSE(answer["more"].get<bool>());

  // Nothing happens before 10:00; asking again with the same cursor gives the same answer.
  const std::string at_nine_thirty = cursor;
  EXPECT_TRUE(of(page(cursor, shanghai(2025, 3, 3, 9, 59))).empty());
  std::string again = at_nine_thirty;
  const json first = page(again, shanghai(2025, 3, 3, 10));
  again = at_nine_thirty;
  EXPECT_EQ(page(again, shanghai(2025, 3, 3, 10)), first);
  answer = page(cursor, shanghai(2025, 3, 3, 10));
  EXPECT_EQ(answer["changes"], first["changes"]);
  EXPECT_EQ(of(answer), (std::vector<Change>{{"at_risk", shanghai(2025, 3, 3, 10), "first_response", -1},
                                             {"escalation", shanghai(2025, 3, 3, 10), "first_response", 0}}));
  const json step0 = answer["changes"][1];
  EXPECT_EQ(step0["on"], "warn");
  EXPECT_EQ(step0["round"], 0);
  EXPECT_EQ(step0["recipients"], json::parse(R"([{"owner":"li"}])"));

  answer = page(cursor, shanghai(2025, 3, 3, 14, 30));
  EXPECT_EQ(of(answer), (std::vector<Change>{{"breached", shanghai(2025, 3, 3, 11), "first_response", -1},
                                             {"escalation", shanghai(2025, 3, 3, 11), "first_response", 1},
                                             {"escalation", shanghai(2025, 3, 3, 14, 30), "first_response", 2}}));
  EXPECT_EQ(answer["changes"][1]["recipients"], json::parse(R"([{"owner":"li"},{"department":"售后服务部","role":"head"}])"));
  EXPECT_EQ(answer["changes"][2]["recipients"], json::parse(R"([{"role":"customer_service_manager"}])"));
  // Limits cut pages anywhere; the rest follows from the cursor.
  std::string paged = cursor;
  answer = page(paged, shanghai(2025, 3, 4, 15), 1);
  EXPECT_TRUE(answer["more"].get<bool>());
  EXPECT_EQ(of(answer), (std::vector<Change>{{"escalation", shanghai(2025, 3, 4, 9, 30), "first_response", 2}}));
  EXPECT_EQ(answer["changes"][0]["round"], 1);
  answer = page(paged, shanghai(2025, 3, 4, 15), 1);
  EXPECT_EQ(of(answer), (std::vector<Change>{{"escalation", shanghai(2025, 3, 4, 15), "first_response", 2}}));
  EXPECT_EQ(answer["changes"][0]["round"], 2);
}

// A late event (acknowledged at 10:30, written after the feed was read to 14:30) meets the target
// in time: what the feed told of its breach and the steps after it is retracted, never rewritten.
// A demand written after the feed read past its instants tells them through the log.
TEST_P(ChangeFeed, LateEventsRetractWhatWasToldAndWritesBehindTheFeedAreLogged) {
  const int64_t received = shanghai(2025, 3, 3, 9);
  record("U", received);
  std::string cursor;
  (void)page(cursor, shanghai(2025, 3, 3, 14, 30));
  ASSERT_TRUE(event("U", "acknowledged", shanghai(2025, 3, 3, 10, 30)).ok());
  json answer = page(cursor, shanghai(2025, 3, 3, 14, 30));
  EXPECT_EQ(of(answer), (std::vector<Change>{{"event", shanghai(2025, 3, 3, 10, 30), "", -1},
                                             {"retracted", shanghai(2025, 3, 3, 11), "first_response", -1},
                                             {"retracted", shanghai(2025, 3, 3, 11), "first_response", 1},
                                             {"retracted", shanghai(2025, 3, 3, 14, 30), "first_response", 2},
                                             {"met", shanghai(2025, 3, 3, 10, 30), "first_response", -1}}));
  EXPECT_EQ(answer["changes"][0]["type"], "acknowledged");
  EXPECT_EQ(answer["changes"][0]["event"], 1);
  EXPECT_EQ(answer["changes"][1]["retracts"], "breached");
  EXPECT_EQ(answer["changes"][2]["retracts"], "escalation");
  // The repeats the feed had not reached are simply gone.
  EXPECT_TRUE(of(page(cursor, shanghai(2025, 3, 5, 18))).empty());

  // Recorded now, received at 09:00 too: everything up to 14:30 comes through the log at once, in
  // time order; acknowledged at 11:30 it is met late and the step at 14:30 retracted.
  record("L", received);
  answer = page(cursor, shanghai(2025, 3, 5, 18));
  EXPECT_EQ(of(answer), (std::vector<Change>{{"recorded", received, "", -1},
                                             {"at_risk", shanghai(2025, 3, 3, 10), "first_response", -1},
                                             {"escalation", shanghai(2025, 3, 3, 10), "first_response", 0},
                                             {"breached", shanghai(2025, 3, 3, 11), "first_response", -1},
                                             {"escalation", shanghai(2025, 3, 3, 11), "first_response", 1},
                                             {"escalation", shanghai(2025, 3, 3, 14, 30), "first_response", 2},
                                             {"escalation", shanghai(2025, 3, 4, 9, 30), "first_response", 2},
                                             {"escalation", shanghai(2025, 3, 4, 15), "first_response", 2}}));
  ASSERT_TRUE(event("L", "acknowledged", shanghai(2025, 3, 3, 11, 30)).ok());
  answer = page(cursor, shanghai(2025, 3, 5, 18));
  EXPECT_EQ(of(answer), (std::vector<Change>{{"event", shanghai(2025, 3, 3, 11, 30), "", -1},
                                             {"retracted", shanghai(2025, 3, 3, 14, 30), "first_response", 2},
                                             {"retracted", shanghai(2025, 3, 4, 9, 30), "first_response", 2},
                                             {"retracted", shanghai(2025, 3, 4, 15), "first_response", 2},
                                             {"met_late", shanghai(2025, 3, 3, 11, 30), "first_response", -1}}));
}

// An import logs its demands many to a row: pages of any size cut those rows anywhere and resume
// inside them, each change once, in the same order as one long read.
TEST_P(ChangeFeed, PagesCutAnImportsLogRowsAnywhere) {
  const std::string path = dir_.file("many.ndjson");
  {
    std::ofstream out(path);
    for (int i = 0; i < 600; ++i) {
      const int64_t at = shanghai(2025, 3, 3, 9) + i * 60;
      out << R"({"id":"I-)" << i << R"(","received_at":)" << at << R"(,"channel":"email","title":"咨询产品价格"})" << "\n";
      if (i % 3 == 0) out << R"({"type":"acknowledged","demand":"I-)" << i << R"(","at":)" << at + 600 << R"(,"actor":"li"})" << "\n";
    }
  }
  auto imported = db_->import(path, R"({"batch_size":2000})");
  ASSERT_TRUE(imported.ok()) << imported.status().to_string();
  const int64_t until = shanghai(2025, 3, 20, 18);
  std::string whole_cursor;
  const json whole = page(whole_cursor, until, 10000);
  ASSERT_FALSE(whole["more"].get<bool>());
  EXPECT_GT(whole["count"].get<int64_t>(), 800);
  // Written as they came: the demands in the order of the file, each followed by its events.
  std::vector<std::string> order;
  const json& changes = whole["changes"];
  for (const json& c : changes)
    if (c["kind"] == "recorded") order.push_back(c["demand"]);
  ASSERT_EQ(order.size(), 600u);
  for (size_t i = 0; i < order.size(); ++i) EXPECT_EQ(order[i], "I-" + std::to_string(i));
  for (const int64_t limit : {1, 7, 256, 999}) {
    json all = json::array();
    std::string cursor;
    for (json answer = page(cursor, until, limit);; answer = page(cursor, until, limit)) {
      for (const json& c : answer["changes"]) all.push_back(c);
      if (!answer["more"].get<bool>()) break;
    }
    EXPECT_EQ(all, whole["changes"]) << "limit " << limit;
  }
}

// A host that starts following a ledger with a history asks to start at the end: nothing before
// it, everything after it.
TEST_P(ChangeFeed, StartingAtTheEndSkipsTheHistoryOnly) {
  const int64_t received = shanghai(2025, 3, 3, 9);
  record("U", received);
  ASSERT_TRUE(event("U", "acknowledged", received + 600).ok());
  record("V", received);
  auto r = db_->changes(json{{"until", shanghai(2025, 3, 3, 10, 30)}, {"start", "end"}}.dump());
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  json answer = json::parse(*r);
  EXPECT_EQ(answer["count"], 0);
  EXPECT_FALSE(answer["more"].get<bool>());
  std::string cursor = answer["cursor"];
  ASSERT_TRUE(event("V", "acknowledged", shanghai(2025, 3, 3, 10, 45)).ok());
  answer = page(cursor, shanghai(2025, 3, 3, 12));
  // V's acknowledgement (after its at-risk time at 10:00, already behind the start) and nothing of U.
  EXPECT_EQ(of(answer), (std::vector<Change>{{"event", shanghai(2025, 3, 3, 10, 45), "", -1},
                                             {"met", shanghai(2025, 3, 3, 10, 45), "first_response", -1}}));
  for (const json& c : answer["changes"]) EXPECT_EQ(c["demand"], "V");
  auto both = db_->changes(json{{"until", 0}, {"start", "end"}, {"cursor", cursor}}.dump());
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.status().message().rfind("/start:", 0), 0u) << both.status().message();
}

TEST_P(ChangeFeed, BadQueriesAndCursorsAreRefusedNamingTheField) {
  const std::pair<const char*, const char*> bad[] = {
      {R"({})", "/until"},
      {R"({"until":"soon"})", "/until"},
      {R"({"until":1,"limit":0})", "/limit"},
      {R"({"until":1,"limit":10001})", "/limit"},
      {R"({"until":1,"cursor":"1.2.3"})", "/cursor"},
      {R"({"until":1,"cursor":"1.-1.0.0.0.0.0.0."})", "/cursor"},
      {R"({"until":1,"cursor":"1.0.0.0.0.0.0.0.zz"})", "/cursor"},
      {R"({"until":1,"cursor":7})", "/cursor"},
      {R"({"until":1,"since":0})", "/since"},
      {R"({"until":1,"start":"now"})", "/start"},
      {R"([1])", "/"},
  };
  for (const auto& [query, field] : bad) {
    auto r = db_->changes(query);
    ASSERT_FALSE(r.ok()) << query;
    EXPECT_EQ(r.status().code(), StatusCode::invalid_argument) << query;
    EXPECT_EQ(r.status().message().rfind(std::string(field) + ":", 0), 0u) << query << " -> " << r.status().message();
  }
}

// A snapshot restored into an empty database keeps the feed as it was: a host's cursor reads on
// from the copy exactly as from the original.
TEST_P(ChangeFeed, ACursorReadsOnFromARestoredSnapshot) {
  record("U", shanghai(2025, 3, 3, 9));
  record("V", shanghai(2025, 3, 3, 9, 30));
  std::string cursor;
  (void)page(cursor, shanghai(2025, 3, 3, 10, 15));
  ASSERT_TRUE(event("U", "acknowledged", shanghai(2025, 3, 3, 10, 10)).ok());
  const std::string snapshot = dir_.file("feed.snapshot");
  ASSERT_TRUE(db_->export_snapshot(snapshot).ok());
  test::TempDir other;
  auto copy = Database::open(test::fresh_database(GetParam(), other, "copy.db"));
  ASSERT_TRUE(copy.ok()) << copy.status().to_string();
  ASSERT_TRUE(copy->import_snapshot(snapshot).ok());
  const std::string q = json{{"cursor", cursor}, {"until", shanghai(2025, 3, 4, 18)}}.dump();
  auto here = db_->changes(q), there = copy->changes(q);
  ASSERT_TRUE(here.ok() && there.ok()) << there.status().to_string();
  EXPECT_EQ(*there, *here);
  EXPECT_GT(json::parse(*here)["count"].get<int64_t>(), 3);
}

// Random demands and events written while a reader pages with random limits and instants, late
// events included: the reader sees every change once, what it holds after retractions equals what
// a reader starting at the end holds, and every breached or met-late target of the final views is
// in it at its due time, every target met in time not.
TEST_P(ChangeFeed, RandomWritesAndPagesAgreeWithAFreshReaderAndWithTheViews) {
  std::mt19937 rng(GetParam() == "sqlite" ? 17 : 23);
  const int64_t start = shanghai(2025, 3, 3, 9);
  struct Planned {
    std::string id;
    std::vector<std::pair<const char*, int64_t>> events;
    size_t written = 0;
  };
  std::vector<Planned> plans;
  std::vector<std::string> unrecorded;
  const std::vector<std::vector<const char*>> shapes = {
      {}, {"acknowledged"}, {"paused", "resumed", "acknowledged"}, {"acknowledged", "resolved", "closed"}};
  for (int i = 0; i < 24; ++i) {
    Planned p;
    p.id = "R-" + std::to_string(i);
    int64_t t = start + static_cast<int64_t>(rng() % 48) * 1800;
    p.events.emplace_back("", t);  // recorded
    for (const char* type : shapes[rng() % shapes.size()]) {
      t += 600 + static_cast<int64_t>(rng() % 30) * 600;
      p.events.emplace_back(type, t);
    }
    plans.push_back(std::move(p));
  }

  using Key = std::tuple<std::string, std::string, std::string, int64_t, int64_t, int64_t>;  // kind, demand, target, step, round, at
  struct Reader {
    std::string cursor;
    std::set<Key> live;
    std::map<Key, int> seen;  // every addition of a key, retracted or not
    int64_t written = 0;      // recorded and event changes
  };
  const auto apply = [](Reader& r, const json& answer) {
    const json& changes = answer["changes"];
    for (const json& c : changes) {
      const std::string kind = c["kind"];
      if (kind == "recorded" || kind == "event") {
        ++r.written;
        continue;
      }
      Key key{kind == "retracted" ? c["retracts"].get<std::string>() : kind, c["demand"], c.value("target", ""),
              c.value("step", int64_t{0}), c.value("round", int64_t{0}), c["at"]};
      if (kind == "retracted") {
        r.live.erase(key);
      } else {
        EXPECT_TRUE(r.live.insert(key).second) << "told twice: " << c.dump();
        ++r.seen[key];
      }
    }
  };
  Reader incremental;
  int64_t until = start;
  size_t pending = plans.size() * 4;
  while (pending > 0) {
    if (rng() % 3 == 0) {
      until += static_cast<int64_t>(rng() % 6) * 1800;
      apply(incremental, page(incremental.cursor, until, 1 + static_cast<int64_t>(rng() % 7)));
      continue;
    }
    Planned& p = plans[rng() % plans.size()];
    --pending;
    if (p.written == p.events.size()) continue;
    const auto [type, at] = p.events[p.written++];
    if (!*type) {
      record(p.id, at, rng() % 2 ? kUrgentTitle : "咨询产品价格", rng() % 2 ? "phone" : "email");
    } else {
      const Status s = event(p.id, type, at);
      ASSERT_TRUE(s.ok()) << p.id << " " << type << ": " << s.to_string();
    }
  }
  const int64_t end = shanghai(2025, 3, 31, 18);
  for (json answer = page(incremental.cursor, end, 5);; answer = page(incremental.cursor, end, 5)) {
    apply(incremental, answer);
    if (!answer["more"].get<bool>()) break;
  }
  Reader fresh;
  for (json answer = page(fresh.cursor, end, 50);; answer = page(fresh.cursor, end, 50)) {
    apply(fresh, answer);
    if (!answer["more"].get<bool>()) break;
  }
  EXPECT_EQ(incremental.live, fresh.live);
  EXPECT_EQ(incremental.written, fresh.written);
  int64_t written = 0;
  for (const Planned& p : plans) written += static_cast<int64_t>(p.written);
  EXPECT_EQ(incremental.written, written);

  int checked = 0;
  for (const Planned& p : plans) {
    if (p.written == 0) continue;
    auto v = db_->demand(p.id, end);
    ASSERT_TRUE(v.ok());
    const json view = json::parse(*v);
    for (const json& t : view["targets"]) {
      const std::string status = t["status"];
      const Key breach{"breached", p.id, t["name"], 0, 0, t["due_at"]};
      if (status == "breached" || status == "met_late") {
        EXPECT_TRUE(incremental.live.count(breach)) << p.id << " " << t.dump();
        ++checked;
      } else if (status == "met") {
        EXPECT_FALSE(incremental.live.count(breach)) << p.id << " " << t.dump();
      }
    }
  }
  EXPECT_GT(checked, 5);
}

}  // namespace
}  // namespace crm
