// SPDX-License-Identifier: Apache-2.0
#include "demo_customers.hpp"

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace crmctl {

namespace {

using nlohmann::json;

constexpr int64_t kDay = 86400;
constexpr int64_t kYear2024 = 1704038400;  // 2024-01-01 00:00 +08:00

const char* const kCities[] = {"上海市浦东新区张江路", "江苏省苏州市工业园区星湖街", "浙江省杭州市滨江区江南大道",
                               "江苏省南京市江宁区胜太路", "安徽省合肥市高新区望江西路", "山东省青岛市黄岛区长江中路"};
const char* const kNames[] = {"华东", "恒通", "锦程", "瑞丰", "天成", "博远", "鼎新", "汇智", "中泰", "金桥", "新元", "宏达"};
const char* const kTrades[] = {"机械", "电子", "汽车零部件", "医疗器械", "新能源", "食品"};
const char* const kIndustries[] = {"manufacturing", "electronics", "automotive", "medical", "energy", "food"};
const char* const kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"};
const char* const kGiven[] = {"强", "敏", "静", "磊", "洋", "艳", "军", "杰", "娟", "涛"};
// Owners and departments as in the demo ledger.
const char* const kDepartments[] = {"售后服务部", "产品研发部", "销售部", "客户服务部", "质量管理部"};
const char* const kOwners[][2] = {{"王芳", "李伟"}, {"张敏", "刘洋"}, {"陈静", "杨磊"}, {"赵丽", "黄强"}, {"周杰", "吴婷"}};

class Generator {
 public:
  Generator(const crm::Calendar& calendar, int64_t now, uint64_t seed) : calendar_(calendar), now_(now), rng_(seed) {}

  double uniform() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }
  size_t index(size_t n) { return static_cast<size_t>(uniform() * static_cast<double>(n)); }
  bool chance(double p) { return uniform() < p; }

  // A working-hours instant on or after t (visits happen on working days).
  int64_t working(int64_t t) {
    auto w = calendar_.next_working_instant(t);
    return w.ok() ? *w + static_cast<int64_t>(index(3 * 3600)) : t;
  }

  json contact(size_t i) {
    char phone[16], email[64];
    std::snprintf(phone, sizeof phone, "13%09zu", (i * 7919 + 12345) % 1000000000);
    std::snprintf(email, sizeof email, "contact%zu@customer%zu.example.cn", i % 7, i);
    return json::array({{{"name", std::string(kSurnames[i % 10]) + kGiven[(i / 10 + i) % 10]}, {"title", "采购经理"},
                         {"phone", phone}, {"email", email}}});
  }

  std::string company(size_t i) {
    return std::string(kNames[i % 12]) + kTrades[(i / 12) % 6] + (i % 3 ? "有限公司" : "股份有限公司") + (i >= 12 * 6 ? "(" + std::to_string(i) + ")" : "");
  }

  void customers(json& records, json& activities) {
    for (size_t i = 0; i < 100; ++i) {
      char id[8];
      std::snprintf(id, sizeof id, "C-%03zu", i + 1);
      const size_t department = i % 5;
      const bool key = i < 12;
      records.push_back({{"id", id}, {"company", company(i)}, {"owner", kOwners[department][i / 5 % 2]},
                         {"department", kDepartments[department]}, {"industry", kIndustries[i % 6]},
                         {"size", key ? "large" : i < 40 ? "medium" : "small"}, {"source", i % 4 ? "trade_show" : "partner_referral"},
                         {"address", std::string(kCities[i % 6]) + std::to_string(10 + i) + "号"}, {"contacts", contact(i)},
                         {"since", kYear2024 - static_cast<int64_t>(index(3 * 365)) * kDay}});
      // Purchases: key accounts about monthly and large; others now and then. Some go quiet.
      const bool quiet = !key && chance(0.12);
      const int64_t stop = quiet ? now_ - (100 + static_cast<int64_t>(index(150))) * kDay : now_;
      const double every = key ? 30 : i < 40 ? 75 : 140;
      for (int64_t t = kYear2024 + static_cast<int64_t>(index(40)) * kDay; t < stop;
           t += static_cast<int64_t>(every * (0.6 + 0.8 * uniform())) * kDay) {
        const double amount = key ? 60000 + 140000 * uniform() : i < 40 ? 20000 + 90000 * uniform() : 3000 + 30000 * uniform();
        activities.push_back({{"customer", id}, {"type", "purchase"}, {"at", working(t)}, {"amount", std::round(amount)}});
      }
      // Needs collection: key monthly, others quarterly, with lapses.
      const double cadence = key ? 30 : 91;
      for (int64_t t = kYear2024 + static_cast<int64_t>(index(30)) * kDay; t < stop;
           t += static_cast<int64_t>(cadence * (0.8 + 0.5 * uniform())) * kDay)
        if (!chance(0.1))
          activities.push_back({{"customer", id}, {"type", "interaction"}, {"kind", chance(0.6) ? "visit" : "call"}, {"at", working(t)},
                                {"needs_collected", true}, {"note", "了解客户新需求"}});
      // Other contact: calls, emails, events.
      for (int n = static_cast<int>(2 + index(key ? 10 : 5)); n > 0; --n) {
        const int64_t t = kYear2024 + static_cast<int64_t>(index(static_cast<size_t>((stop - kYear2024) / kDay))) * kDay;
        static const char* const kKinds[] = {"call", "email", "event", "meeting"};
        activities.push_back({{"customer", id}, {"type", "interaction"}, {"kind", kKinds[index(4)]}, {"at", working(t)}});
      }
      // Half-yearly surveys; a few customers turn unhappy.
      const bool souring = chance(0.08);
      for (int64_t t : {kYear2024 + 170 * kDay, kYear2024 + 350 * kDay, kYear2024 + 535 * kDay, kYear2024 + 715 * kDay}) {
        if (t > stop || chance(0.15)) continue;
        const int score = souring && t > kYear2024 + 500 * kDay ? 2 : chance(0.88) ? 4 + static_cast<int>(index(2)) : 3;
        activities.push_back({{"customer", id}, {"type", "survey"}, {"at", working(t)}, {"score", score}});
      }
      // Annual contracts for the key accounts, some expiring soon after the demo's end.
      if (key) {
        const int64_t signed_at = working(kYear2024 + (30 + static_cast<int64_t>(index(300))) * kDay);
        activities.push_back({{"customer", id}, {"type", "contract"}, {"at", signed_at}, {"amount", 1200000},
                              {"ends_at", signed_at + 2 * 365 * kDay}});
      }
    }
  }

  void prospects(json& records, json& events, size_t& converted) {
    static const char* const kStages[] = {"deep_communication", "evaluation", "negotiation", "contract_signed", "implementation"};
    static const char* const kChannels[] = {"market_research", "online_marketing", "trade_show", "partner_referral", "inquiry"};
    for (size_t i = 0; i < 60; ++i) {
      char id[8];
      std::snprintf(id, sizeof id, "P-%03zu", i + 1);
      const size_t department = i % 5;
      const std::string owner = kOwners[department][i % 2];
      int64_t at = working(kYear2024 + 366 * kDay + static_cast<int64_t>(index(330)) * kDay);
      const bool special = chance(0.25);
      records.push_back({{"id", id}, {"company", company(100 + i)}, {"industry", kIndustries[i % 6]},
                         {"size", i % 3 == 0 ? "large" : i % 3 == 1 ? "medium" : "small"}, {"need", special ? "special" : "general"},
                         {"source", i % 2 ? "inbound" : "outbound"}, {"channel", kChannels[i % 5]},
                         {"owners", {{"first_contact", kOwners[department][(i + 1) % 2]}, {"follow_up", owner}, {"project", owner}}},
                         {"department", kDepartments[department]}, {"created_at", at}, {"contacts", contact(100 + i)},
                         {"address", std::string(kCities[(i + 2) % 6]) + std::to_string(100 + i) + "号"},
                         {"budget", 100000 * (1 + static_cast<int>(index(20)))}});
      events.push_back({{"prospect", id}, {"type", "plan"}, {"item", "first-visit"}, {"content", "上门了解需求并演示产品"},
                        {"method", "visit"}, {"at", at}, {"due_in", {{"working_days", 5}}}});
      const size_t depth = index(6);
      bool lost = false;
      size_t reached = 0;  // stages moved through
      for (size_t k = 0; k < depth; ++k) {
        const int64_t next = working(at + static_cast<int64_t>(5 + index(25)) * kDay);
        if (next > now_ - kDay) break;
        at = next;
        json follow = {{"prospect", id}, {"type", "follow_up"}, {"at", at}, {"content", "跟进沟通合作方案"},
                       {"method", chance(0.5) ? "call" : "visit"}, {"result", "客户有意向"}, {"quality", 3 + static_cast<int>(index(3))}};
        if (k == 0) follow["item"] = "first-visit";
        events.push_back(follow);
        if (k < 4 && chance(0.18)) {
          events.push_back({{"prospect", id}, {"type", "stage"}, {"to", "lost"}, {"at", at + 3600}, {"note", "客户选择了竞争对手"}});
          lost = true;
          break;
        }
        events.push_back({{"prospect", id}, {"type", "stage"}, {"to", kStages[k]}, {"at", at + 3600}});
        ++reached;
        if (k == 1) events.push_back({{"prospect", id}, {"type", "evaluation"}, {"at", at + 7200}, {"likelihood", 0.3 + 0.6 * uniform()}});
      }
      if (!lost && reached >= 4 && at + 2 * kDay < now_ && converted < 8) {
        char customer[8];
        std::snprintf(customer, sizeof customer, "C-%03zu", 101 + converted++);
        events.push_back({{"prospect", id}, {"type", "convert"}, {"customer", customer}, {"at", at + 2 * kDay}});
      }
    }
  }

 private:
  const crm::Calendar& calendar_;
  int64_t now_;
  std::mt19937_64 rng_;
};

}  // namespace

crm::Result<DemoCustomers> record_demo_customers(crm::Database& db, const crm::Policy& policy, int64_t now,
                                                 const char* actor_json, uint64_t seed) {
  Generator g(*policy.calendar(policy.default_calendar()), now, seed);
  json customers = json::array(), activities = json::array(), prospects = json::array(), events = json::array();
  size_t converted = 0;
  g.customers(customers, activities);
  g.prospects(prospects, events, converted);
  if (crm::Status s = db.put_customer(actor_json, customers.dump()); !s.ok()) return s;
  if (crm::Status s = db.add_activity(actor_json, activities.dump()); !s.ok()) return s;
  if (crm::Status s = db.put_prospect(actor_json, prospects.dump()); !s.ok()) return s;
  if (crm::Status s = db.add_prospect_event(actor_json, events.dump()); !s.ok()) return s;
  return DemoCustomers{customers.size() + converted, activities.size(), prospects.size(), events.size()};
}

}  // namespace crmctl
