// SPDX-License-Identifier: Apache-2.0
// The change feed's customer side (issue 17 §1): tier changes, needs collection falling due and
// overdue, churn warnings and stale prospects at the instants the customer queries judge them,
// hand-checked across China's holidays; back-dated activities retract what was told; and, at
// random, the feed agrees with the queries at every instant it names and misses no change they show.
#include <map>
#include <random>
#include <set>
#include <tuple>

#include "customer_fixture.hpp"

namespace crm::test {
namespace {

INSTANTIATE_TEST_SUITE_P(Engines, CustomerStore, ::testing::ValuesIn(test::engines()), test::engine_name);

using nlohmann::json;

// A customer-side change as a tuple that sorts and compares: kind, subject id, instant, what.
using Change = std::tuple<std::string, std::string, int64_t, std::string>;

Change change_of(const json& c) {
  std::string kind = c["kind"] == "retracted" ? c["retracts"].get<std::string>() : c["kind"].get<std::string>();
  std::string what = c.contains("tier") ? c["tier"] : c.contains("status") ? c["status"] : c.contains("rule") ? c["rule"] : json("");
  const std::string id = c.contains("customer") ? c["customer"] : c.contains("prospect") ? c["prospect"] : c["demand"];
  return {kind, id, c["at"].get<int64_t>(), what};
}

bool customer_side(const json& c) { return c.contains("customer") || c.contains("prospect"); }

class FeedReader {
 public:
  explicit FeedReader(Database& db) : db_(db) {}
  // Pages of `limit` up to `until`; every change in `all`, retractions applied to `net`.
  void read(int64_t until, int64_t limit = 1000) {
    for (;;) {
      json q = {{"until", until}, {"limit", limit}};
      if (!cursor_.empty()) q["cursor"] = cursor_;
      auto page = db_.changes(q.dump());
      ASSERT_TRUE(page.ok()) << page.status().to_string();
      const json answer = json::parse(*page);
      for (const json& c : answer["changes"]) {
        all.push_back(c);
        if (!customer_side(c)) continue;
        if (c["kind"] == "retracted") {
          ASSERT_EQ(net.erase(change_of(c)), 1u) << "retracts what was never told: " << c.dump();
        } else {
          ASSERT_TRUE(net.insert(change_of(c)).second) << "told twice: " << c.dump();
        }
      }
      cursor_ = answer["cursor"];
      if (!answer["more"].get<bool>()) return;
    }
  }
  std::vector<json> all;
  std::set<Change> net;

 private:
  Database& db_;
  std::string cursor_;
};

// The hand-checked case of the sample policy's key-customer rules: a customer since New Year's Day
// 2024 (small: needs collected quarterly), large from a purchase on 2025-08-01 (monthly), its needs
// collected on 2025-09-01 10:00. Due a month later, 10-01, falls in the National Day holiday
// (10-01..10-08): due 10-09, warned five working days before (09-25 .. 09-30, with the make-up
// Sunday 09-28), overdue from 10-10 00:00.
TEST_P(CustomerStore, CustomerChangesComeAtTheInstantsTheQueriesJudgeThem) {
  json c1 = customer("C1");
  c1["since"] = shanghai(2024, 1, 1);
  put(kAdmin, c1);
  activity(json::array({{{"customer", "C1"}, {"type", "purchase"}, {"at", shanghai(2025, 8, 1)}, {"amount", 1200000}},
                        {{"customer", "C1"}, {"type", "interaction"}, {"kind", "visit"}, {"needs_collected", true},
                         {"at", shanghai(2025, 9, 1, 10)}}}));
  FeedReader feed(db());
  feed.read(shanghai(2025, 10, 10, 1), 2);
  const std::set<Change> expected = {
      // 2024-01-01 + 3 months = Monday 04-01, warned from 03-25, overdue from 04-02.
      {"collection_due", "C1", shanghai(2024, 3, 25), "due"},
      {"churn_warning", "C1", shanghai(2024, 3, 31), "quiet"},  // 90 days of no contact since 01-01
      {"collection_due", "C1", shanghai(2024, 4, 2), "overdue"},
      {"tier_changed", "C1", shanghai(2025, 8, 1), "large"},
      {"collection_due", "C1", shanghai(2025, 9, 25), "due"},
      {"collection_due", "C1", shanghai(2025, 10, 10), "overdue"},
  };
  EXPECT_EQ(feed.net, expected);
  // In the feed's order, each with the customer's owner and department.
  for (size_t i = 1; i < feed.all.size(); ++i) EXPECT_LE(feed.all[i - 1]["at"], feed.all[i]["at"]);
  for (const json& c : feed.all) {
    EXPECT_EQ(c["owner"], "li.na");
    EXPECT_EQ(c["department"], "east");
  }
  // What the queries say on either side of the due instants.
  const auto status = [&](int64_t at) {
    return ask(kAdmin, {{"query", "collection_due"}, {"at", at}, {"all", true}})["items"][0]["status"];
  };
  EXPECT_EQ(status(shanghai(2025, 9, 25) - 1), "ok");
  EXPECT_EQ(status(shanghai(2025, 9, 25)), "due");
  EXPECT_EQ(status(shanghai(2025, 10, 10) - 1), "due");
  EXPECT_EQ(status(shanghai(2025, 10, 10)), "overdue");

  // A needs collection recorded late, dated 10-09 15:00: the overdue already told never happened,
  // and the next cycle is counted from it.
  activity({{"customer", "C1"}, {"type", "interaction"}, {"kind", "visit"}, {"needs_collected", true},
            {"at", shanghai(2025, 10, 9, 15)}});
  const size_t told = feed.all.size();
  feed.read(shanghai(2025, 10, 10, 1));
  ASSERT_EQ(feed.all.size(), told + 1);
  EXPECT_EQ(feed.all.back()["kind"], "retracted");
  EXPECT_EQ(feed.all.back()["retracts"], "collection_due");
  EXPECT_EQ(feed.all.back()["status"], "overdue");
  EXPECT_EQ(feed.all.back()["at"], shanghai(2025, 10, 10));
  // Asking again with the same cursor gives the same (empty) answer; the next due is 11-09 (a
  // Sunday) -> Monday 11-10, warned from 11-03.
  feed.read(shanghai(2025, 10, 10, 1));
  EXPECT_EQ(feed.all.size(), told + 1);
  feed.read(shanghai(2025, 11, 3, 1));
  EXPECT_EQ(feed.all.back()["kind"], "collection_due");
  EXPECT_EQ(feed.all.back()["at"], shanghai(2025, 11, 3));

  // A purchase the feed has already passed lifts another customer's tier: logged by the write.
  put(kAdmin, customer("C2", "wang.fang", "north"));
  activity({{"customer", "C2"}, {"type", "purchase"}, {"at", shanghai(2025, 11, 2, 9)}, {"amount", 300000}});
  feed.read(shanghai(2025, 11, 3, 1));
  EXPECT_TRUE(feed.net.count({"tier_changed", "C2", shanghai(2025, 11, 2, 9), "medium"}));
  EXPECT_EQ(feed.all.back()["owner"], "wang.fang");
  // ... and it drops back a year later, when the purchase leaves the 365-day window.
  feed.read(shanghai(2026, 11, 3));
  EXPECT_TRUE(feed.net.count({"tier_changed", "C2", shanghai(2025, 11, 2, 9) + 365 * 86400, "small"}));
}

// A prospect goes stale 15 working days after its creation or its last follow-up (the sample
// policy's stale_after), counted on the China calendar, and stops being followed once lost.
TEST_P(CustomerStore, AProspectGoesStaleWhereTheDueListSaysAndNotOnAHoliday) {
  json p = {{"id", "P1"},          {"company", "东方机电"}, {"industry", "manufacturing"}, {"size", "medium"},
            {"need", "general"},    {"source", "inbound"},  {"channel", "trade_show"},      {"department", "east"},
            {"created_at", shanghai(2025, 9, 15, 10)},
            {"owners", {{"first_contact", "sun.li"}, {"follow_up", "li.na"}}}};
  const Status put_prospect = db().put_prospect(kAdmin, p.dump());
  ASSERT_TRUE(put_prospect.ok()) << put_prospect.to_string();
  FeedReader feed(db());
  feed.read(shanghai(2025, 12, 31));
  ASSERT_EQ(feed.net.size(), 1u);
  const Change stale = *feed.net.begin();
  EXPECT_EQ(std::get<0>(stale), "prospect_stale");
  EXPECT_EQ(std::get<1>(stale), "P1");
  // 15 working days from Monday 09-15: 09-16 .. 09-30 (with the make-up Sunday 09-28) are 12,
  // National Day to 10-08 is off, then 10-09, 10-10 and the make-up Saturday 10-11, at the end of
  // its working time (working days count as the policy's durations do).
  EXPECT_EQ(std::get<2>(stale), shanghai(2025, 10, 11, 18));
  const json due = ask(kAdmin, {{"query", "prospect_due"}, {"at", shanghai(2025, 10, 11, 18)}});
  bool listed = false;
  for (const json& item : due["items"]) listed |= item["kind"] == "stale" && item["due_at"] == std::get<2>(stale);
  EXPECT_TRUE(listed) << due.dump();

  // A follow-up the feed had not been told of, dated before the stale instant: the stale it told is
  // retracted and the next one, 15 working days after the follow-up, told; once lost, no more.
  const auto event = [&](const json& e) {
    const Status s = db().add_prospect_event(kAdmin, e.dump());
    ASSERT_TRUE(s.ok()) << s.to_string();
  };
  event({{"prospect", "P1"}, {"type", "follow_up"}, {"at", shanghai(2025, 10, 10, 9)}, {"content", "电话沟通需求"}, {"method", "call"}});
  feed.read(shanghai(2025, 12, 31));
  ASSERT_EQ(feed.net.size(), 1u);
  const int64_t next = std::get<2>(*feed.net.begin());
  EXPECT_EQ(next, shanghai(2025, 10, 30, 18));  // the make-up Saturday 10-11, 10-13 .. 10-17, 10-20 .. 10-24, 10-27 .. 10-30
  EXPECT_EQ(feed.all.end()[-2]["kind"], "retracted");
  EXPECT_EQ(feed.all.end()[-2]["at"], shanghai(2025, 10, 11, 18));
  EXPECT_EQ(feed.all.back()["kind"], "prospect_stale");
  EXPECT_EQ(feed.all.back()["owner"], "li.na");
  event({{"prospect", "P1"}, {"type", "follow_up"}, {"at", shanghai(2026, 1, 5, 9)}, {"content", "再次沟通"}, {"method", "call"}});
  event({{"prospect", "P1"}, {"type", "stage"}, {"at", shanghai(2026, 1, 6, 9)}, {"to", "lost"}});
  feed.read(shanghai(2026, 12, 31));
  EXPECT_EQ(feed.net.size(), 1u) << "no stale warning after the prospect was lost";
}

// At random: customers with purchases across the tier thresholds, needs collections, surveys and
// contracts, recorded out of order in random batches while the feed is read in random pages. What
// the feed tells in the end (retractions applied) equals what a fresh database holding the same
// records tells; the queries agree at every instant it names (the judgement flips there), and
// every change the queries show between two sample instants is told between them.
TEST_P(CustomerStore, RandomActivitiesAgreeWithAFreshReaderAndWithTheQueries) {
  std::mt19937 rng(20261202);
  const auto pick = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
  const int64_t start = shanghai(2024, 1, 1), end = shanghai(2026, 1, 1), horizon = shanghai(2027, 1, 1);
  json customers = json::array(), activities = json::array();
  for (int i = 0; i < 5; ++i) {
    json c = customer("R" + std::to_string(i));
    if (i % 2 == 0) c["since"] = start + pick(0, 60) * 86400;
    customers.push_back(c);
    const int n = static_cast<int>(pick(4, 14));
    for (int k = 0; k < n; ++k) {
      const std::string id = c["id"];
      const int64_t at = pick(start, end);
      switch (pick(0, 5)) {
        case 0:
        case 1: activities.push_back({{"customer", id}, {"type", "purchase"}, {"at", at}, {"amount", pick(1, 12) * 100000}}); break;
        case 2:
          activities.push_back({{"customer", id}, {"type", "interaction"}, {"kind", "visit"}, {"needs_collected", pick(0, 1) == 1}, {"at", at}});
          break;
        case 3:
        case 4: activities.push_back({{"customer", id}, {"type", "survey"}, {"at", at}, {"score", pick(1, 5)}}); break;
        default:
          activities.push_back({{"customer", id}, {"type", "contract"}, {"at", at}, {"amount", 50000}, {"ends_at", at + pick(30, 400) * 86400}});
      }
    }
  }
  for (const json& c : customers) put(kAdmin, c);
  std::vector<json> order(activities.begin(), activities.end());
  std::shuffle(order.begin(), order.end(), rng);
  FeedReader feed(db());
  int64_t until = start;
  for (size_t i = 0; i < order.size();) {
    json batch = json::array();
    for (size_t n = static_cast<size_t>(pick(1, 4)); n > 0 && i < order.size(); --n) batch.push_back(order[i++]);
    activity(batch);
    until = std::min(horizon, until + pick(0, 60) * 86400);
    feed.read(until, pick(1, 7));
  }
  feed.read(horizon, pick(1, 7));

  const std::string other = fresh_database(GetParam(), dir_, "fresh.db");
  auto fresh = Database::open(other);
  ASSERT_TRUE(fresh.ok()) << fresh.status().to_string();
  ASSERT_TRUE(fresh->put_policy(sample_policy()).ok());
  ASSERT_TRUE(fresh->put_customer(kAdmin, customers.dump()).ok());
  ASSERT_TRUE(fresh->add_activity(kAdmin, activities.dump()).ok());
  FeedReader direct(*fresh);
  direct.read(horizon);
  EXPECT_EQ(feed.net, direct.net);
  EXPECT_GT(feed.net.size(), 10u);
  size_t retracted = 0;  // back-dated records undid changes already told
  for (const json& c : feed.all) retracted += customer_side(c) && c["kind"] == "retracted";
  EXPECT_GT(retracted, 0u);

  // The judgements at an instant, per customer: tier, collection level (0 ok, 1 due, 2 overdue), churn rules.
  struct Judged {
    std::string tier;
    int level = 0;
    std::set<std::string> rules;
  };
  const auto judge = [&](int64_t at) {
    std::map<std::string, Judged> out;
    const json due = ask(kAdmin, {{"query", "collection_due"}, {"at", at}, {"all", true}});
    const json churn = ask(kAdmin, {{"query", "churn"}, {"at", at}});
    for (const json& item : due["items"])
      out[item["id"].get<std::string>()] = {item["tier"].get<std::string>(), item["status"] == "ok" ? 0 : item["status"] == "due" ? 1 : 2, {}};
    for (const json& w : churn["warnings"])
      for (const json& r : w["reasons"]) out[w["id"].get<std::string>()].rules.insert(r["rule"].get<std::string>());
    return out;
  };
  for (const auto& [kind, id, at, what] : feed.net) {
    auto now = judge(at), before = judge(at - 1);
    if (kind == "tier_changed") {
      EXPECT_EQ(now[id].tier, what) << id << " at " << at;
      EXPECT_NE(before[id].tier, what) << id << " at " << at;
    } else if (kind == "collection_due") {
      const int level = what == "due" ? 1 : 2;
      EXPECT_GE(now[id].level, level) << id << " " << what << " at " << at;
      EXPECT_LT(before[id].level, level) << id << " " << what << " at " << at;
    } else if (kind == "churn_warning") {
      EXPECT_TRUE(now[id].rules.count(what)) << id << " " << what << " at " << at;
      EXPECT_FALSE(before[id].rules.count(what)) << id << " " << what << " at " << at;
    } else {
      ADD_FAILURE() << "unexpected kind " << kind;
    }
  }
  const auto told = [&](const std::string& kind, const std::string& id, int64_t after, int64_t by, const std::string& what) {
    for (const auto& [k, i, at, w] : feed.net)
      if (k == kind && i == id && at > after && at <= by && (what.empty() || w == what)) return true;
    return false;
  };
  int64_t previous = start - 86400;
  std::map<std::string, Judged> was = judge(previous);
  for (int64_t at = previous + pick(1, 2 * 86400); at < horizon; at += pick(3600, 3 * 86400)) {
    std::map<std::string, Judged> is = judge(at);
    for (auto& [id, j] : is) {
      const Judged& w = was[id];
      if (j.tier != w.tier && !w.tier.empty()) {
        EXPECT_TRUE(told("tier_changed", id, previous, at, "")) << id << " " << w.tier << " -> " << j.tier << " by " << at;
      }
      if (j.level > w.level) {
        EXPECT_TRUE(told("collection_due", id, previous, at, "")) << id << " by " << at;
      }
      for (const std::string& rule : j.rules) {
        if (!w.rules.count(rule)) {
          EXPECT_TRUE(told("churn_warning", id, previous, at, rule)) << id << " " << rule << " by " << at;
        }
      }
    }
    was = std::move(is);
    previous = at;
  }
}

}  // namespace
}  // namespace crm::test
