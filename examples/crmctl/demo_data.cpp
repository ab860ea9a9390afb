// SPDX-License-Identifier: Apache-2.0
#include "demo_data.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <vector>

#include <nlohmann/json.hpp>

namespace crmctl {

namespace {

using nlohmann::json;

constexpr int64_t kHour = 3600, kDay = 86400, kWorkingDay = 7 * kHour + 30 * 60;  // 09:00-12:00, 13:30-18:00

// Portable draws (std distributions differ between standard libraries).
class Random {
 public:
  explicit Random(uint64_t seed) : engine_(seed) {}
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return uniform() < p; }
  size_t index(size_t n) { return static_cast<size_t>(uniform() * static_cast<double>(n)); }
  double exponential(double mean) { return -std::log(1.0 - uniform()) * mean; }
  size_t weighted(const std::vector<double>& weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = uniform() * total;
    for (size_t i = 0; i < weights.size(); ++i)
      if ((x -= weights[i]) < 0) return i;
    return weights.size() - 1;
  }
  int poisson(double mean) {
    int k = 0;
    for (double p = std::exp(-mean), s = p, u = uniform(); u > s; s += p) p *= mean / ++k;
    return k;
  }

 private:
  std::mt19937_64 engine_;
};

struct Department {
  const char* name;
  std::vector<const char*> owners;
};

struct Template {
  const char* title;
  const char* text;
  size_t department;
  const char* channel;  // nullptr: drawn from the usual mix
  double weight;
};

const std::vector<Department> kDepartments = {
    {"售后服务部", {"王芳", "李伟"}}, {"产品研发部", {"张敏", "刘洋"}}, {"销售部", {"陈静", "杨磊"}},
    {"客户服务部", {"赵丽", "黄强"}}, {"质量管理部", {"周杰", "吴婷"}}};

// The policy tier the demand states for its customer (as the CRM knows it when the demand comes
// in): the 12 key accounts are large, as demo_customers.cpp makes them.
const char* tier_name(size_t customer) { return customer < 12 ? "large" : customer < 40 ? "medium" : "small"; }

const char* kProducts[] = {"数控机床", "注塑机", "激光切割机", "MES系统", "仓储管理系统", "工业机器人"};

const std::vector<Template> kTemplates = {
    {"%s故障停机", "客户现场%s突发故障停机，生产线受影响，需要紧急维修", 0, nullptr, 10},
    {"%s报错无法使用", "%s启动后报错，操作人员无法使用", 0, nullptr, 6},
    {"希望%s增加新功能", "业务扩展，希望%s升级，增加批量排产的新功能", 1, nullptr, 9},
    {"%s定制开发需求", "需要对%s做二次开发，对接客户自有ERP", 1, nullptr, 5},
    {"询问%s报价", "请提供%s的最新报价及年度采购折扣", 2, nullptr, 12},
    {"%s价格调整咨询", "听说%s明年涨价，想了解调价影响", 2, nullptr, 5},
    {"申请%s操作培训", "新员工需要%s的操作培训", 3, nullptr, 10},
    {"%s售后维修预约", "%s定期保养，预约上门维修服务", 0, nullptr, 9},
    {"%s外观与质量反馈", "到货的%s外观有划痕，质量需要复查", 4, nullptr, 7},
    {"对服务态度不满意", "上次%s维修，工程师服务态度差，响应慢", 3, "complaint", 4},
    {"了解%s交付周期", "计划采购%s，想了解交付周期和安装安排", 2, nullptr, 10},
};

const char* kChannels[] = {"phone", "email", "visit", "online", "survey", "staff", "trade_show", "referral"};
const std::vector<double> kChannelWeights = {34, 22, 12, 16, 4, 7, 3, 2};
// Volume by month: the Spring Festival lull, the year-end rush.
const double kSeason[] = {0.9, 0.65, 1.0, 1.0, 1.05, 1.1, 1.0, 0.9, 1.1, 0.95, 1.2, 1.3};

class Generator {
 public:
  Generator(const crm::Policy& policy, uint64_t seed) : policy_(policy), random_(seed) {}

  crm::Result<DemoYear> run(const std::string& path) {
    calendar_ = policy_.calendar(policy_.default_calendar());
    out_.open(path, std::ios::binary | std::ios::trunc);
    if (!out_) return crm::Status::io_error("cannot write \"" + path + "\"");
    const int64_t start = 1735660800;  // 2025-01-01 00:00 +08:00
    year_.now = start + 365 * kDay - 6 * kHour;  // 2025-12-31 18:00 +08:00
    for (int64_t day = start; day < start + 365 * kDay; day += kDay) {
      int64_t y, m, d;
      to_civil(day, y, m, d);
      auto working = calendar_->is_working_day(static_cast<int32_t>(y * 10000 + m * 100 + d));
      if (!working.ok()) return working.status();
      const int n = random_.poisson((*working ? 15.0 : 1.5) * kSeason[m - 1]);
      for (int i = 0; i < n; ++i)
        if (crm::Status s = demand(day, *working, static_cast<int>(m)); !s.ok()) return s;
    }
    out_.close();
    if (!out_) return crm::Status::io_error("cannot write \"" + path + "\"");
    return year_;
  }

 private:
  static void to_civil(int64_t local_midnight_utc, int64_t& y, int64_t& m, int64_t& d) {
    const int64_t z = (local_midnight_utc + 8 * kHour) / kDay + 719468;
    const int64_t era = z / 146097, doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = yoe + era * 400 + (m <= 2);
  }

  int64_t after_working(int64_t t, double seconds) {
    auto r = calendar_->add_working_time(t, static_cast<int64_t>(seconds));
    return r.ok() ? *r : t;
  }

  void emit(const json& line) {
    out_ << line.dump() << '\n';
  }

  // Appends an event unless it falls after the demo's end; returns false once the story stops there.
  bool event(const std::string& id, json e) {
    if (e["at"].get<int64_t>() > year_.now) return false;
    e["demand"] = id;
    if (!e.contains("actor")) e["actor"] = actor_;
    emit(e);
    ++year_.events;
    return true;
  }

  crm::Status demand(int64_t day, bool working, int month) {
    const Template& t = kTemplates[random_.weighted(weights())];
    const char* product = kProducts[random_.index(std::size(kProducts))];
    // Working days: office hours, a few in the evening; other days: whenever mail arrives.
    int64_t received = day + (working ? (random_.chance(0.9) ? 9 * kHour + static_cast<int64_t>(random_.uniform() * 9 * kHour)
                                                              : 18 * kHour + static_cast<int64_t>(random_.uniform() * 4 * kHour))
                                      : 8 * kHour + static_cast<int64_t>(random_.uniform() * 14 * kHour));
    received -= received % 60;
    const std::string channel = t.channel ? t.channel : kChannels[random_.weighted(kChannelWeights)];
    const Department& dept = kDepartments[t.department];
    const size_t owner_index = random_.index(dept.owners.size());
    const std::string owner = dept.owners[owner_index];
    const size_t customer = random_.chance(0.35) ? random_.index(12) : 12 + random_.index(88);
    char id[32], customer_id[16], title[160], text[320];
    std::snprintf(id, sizeof id, "D-2025-%05zu", ++year_.demands);
    std::snprintf(customer_id, sizeof customer_id, "C-%03zu", customer + 1);
    std::snprintf(title, sizeof title, t.title, product);
    std::snprintf(text, sizeof text, t.text, product);
    json d = {{"id", id}, {"received_at", received}, {"channel", channel}, {"title", title}, {"text", text},
              {"department", dept.name}, {"owner", owner},
              {"customer", {{"id", customer_id}, {"tier", tier_name(customer)}}}};
    crm::Demand as_policy_sees;
    as_policy_sees.received_at = received;
    as_policy_sees.channel = channel;
    as_policy_sees.title = title;
    as_policy_sees.text = text;
    as_policy_sees.customer.tier = tier_name(customer);
    auto evaluation = policy_.evaluate(as_policy_sees);
    if (!evaluation.ok()) return evaluation.status();
    emit(d);
    actor_ = owner;
    story(id, received, evaluation->urgency.value, channel, t.department, owner_index, month, customer);
    return {};
  }

  // One demand's life: response, (assessment, plan), pauses, resolution, feedback, closing.
  void story(const std::string& id, int64_t received, const std::string& urgency, const std::string& channel,
             size_t department, size_t owner_index, int month, size_t customer) {
    // Some owners and months are slower: 黄强 and the weeks after the National Day holiday.
    double slow = (department == 3 && owner_index == 1) ? 2.2 : 1.0;
    if (month == 10) slow *= 1.8;
    if (month == 2) slow *= 1.3;
    // A repeat of the customer's previous open demand is merged into it.
    if (last_open_.size() <= customer) last_open_.resize(customer + 1), open_until_.resize(customer + 1);
    if (!last_open_[customer].empty() && received < open_until_[customer] && random_.chance(0.1)) {
      event(id, {{"type", "merged_into"}, {"at", after_working(received, 2 * kHour)}, {"into", last_open_[customer]},
                 {"comment", "重复提交"}});
      return;
    }
    last_open_[customer] = id;
    open_until_[customer] = INT64_MAX;
    const bool urgent = urgency == "urgent", important = urgency == "important";
    const double first_mean = (urgent ? 0.45 * kHour : channel == "complaint" || channel == "phone" ? 2 * kHour : important ? 2 * kHour : 4 * kHour) * slow;
    int64_t t = after_working(received, std::max(300.0, random_.exponential(first_mean)));
    if (!event(id, {{"type", "acknowledged"}, {"at", t}})) return;
    if (important) {
      if (random_.chance(0.6)) {
        t = after_working(t, random_.exponential(kWorkingDay * 0.3));
        const int value = 1 + static_cast<int>(random_.index(10));
        if (!event(id, {{"type", "assessed"}, {"at", t}, {"technical", random_.chance(0.9)}, {"economic", random_.chance(0.8)},
                        {"time", random_.chance(0.85)}, {"value", value}}))
          return;
      }
      t = std::max(t, after_working(received, random_.exponential(kWorkingDay * 0.45 * slow)));
      if (!event(id, {{"type", "plan_sent"}, {"at", t}})) return;
      if (random_.chance(0.08)) {
        if (!event(id, {{"type", "paused"}, {"at", t + kHour}, {"reason", "等待客户确认方案"}})) return;
        t = after_working(t + kHour, random_.exponential(kWorkingDay * 2));
        if (!event(id, {{"type", "resumed"}, {"at", t}})) return;
      }
    }
    const double resolve_mean = (urgent ? 0.6 : important ? 2.5 : 4.5) * kWorkingDay * slow;
    const int64_t resolved = after_working(t, random_.exponential(resolve_mean));
    // Important demands: the customer is told of progress every few working days (the policy asks
    // for every 5); slow owners tell less often.
    for (int64_t told = after_working(t, random_.exponential(kWorkingDay * 3 * slow)); important && told < resolved;
         told = after_working(told, random_.exponential(kWorkingDay * 3 * slow)))
      if (!event(id, {{"type", "progress"}, {"at", told}, {"comment", "已向客户通报处理进度"}})) return;
    t = resolved;
    if (!event(id, {{"type", "resolved"}, {"at", t}})) return;
    open_until_[customer] = t;
    for (int round = 0;; ++round) {
      if (random_.chance(0.68)) {
        const double p = random_.uniform();
        const int score = p < 0.52 ? 5 : p < 0.92 ? 4 : p < 0.96 ? 3 : p < 0.99 ? 2 : 1;
        t += static_cast<int64_t>(kDay * (0.5 + 4 * random_.uniform()));
        if (!event(id, {{"type", "feedback"}, {"at", t}, {"satisfaction", slow > 2 ? std::max(1, score - 1) : score}})) return;
      }
      t += 2 * kDay;
      if (!event(id, {{"type", "closed"}, {"at", t}})) return;
      if (round > 0 || !random_.chance(0.025)) return;
      t += static_cast<int64_t>(kDay * (1 + 5 * random_.uniform()));
      if (!event(id, {{"type", "reopened"}, {"at", t}, {"reason", "问题复现"}})) return;
      t = after_working(t, random_.exponential(kWorkingDay * 1.5));
      if (!event(id, {{"type", "resolved"}, {"at", t}})) return;
    }
  }

  static const std::vector<double>& weights() {
    static const std::vector<double> w = [] {
      std::vector<double> v;
      for (const Template& t : kTemplates) v.push_back(t.weight);
      return v;
    }();
    return w;
  }

  const crm::Policy& policy_;
  const crm::Calendar* calendar_ = nullptr;
  Random random_;
  std::ofstream out_;
  DemoYear year_;
  std::string actor_;                   // who records the current demand's steps
  std::vector<std::string> last_open_;  // per customer: the latest demand, which a repeat duplicates
  std::vector<int64_t> open_until_;     // ... while it is unresolved
};

}  // namespace

crm::Result<DemoYear> write_demo_year(const crm::Policy& policy, const std::string& path, uint64_t seed) {
  return Generator(policy, seed).run(path);
}

}  // namespace crmctl
