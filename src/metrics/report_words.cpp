// SPDX-License-Identifier: Apache-2.0
#include "metrics/report_words.hpp"

#include <cstdint>
#include <iterator>
#include <string_view>

#include "crmpolicy/policy.hpp"

namespace crm::detail {

namespace {

const PageWords kEnglish = {
    "en", "Customer demand report", "Report at {} ({}), periods: {}, from {} to {}. Rates in red miss a goal set per {}.",
    "A gap in a line is a period without data.", "Trend against goals", "Timeliness by {}", "Figures by {}",
    "Timeliness per period by {}", "The {} groups with the most demands received, of {}.", "Figures per period",
    "† Some targets of the period are due after the calendar's official holiday data ends: their due times are "
    "provisional (statutory holidays by law, make-up working days not yet published).",
    // the figures tables
    "Period", "Group", "Received", "Open at end", "Timeliness", "Completion", "Within target", "Satisfaction",
    "Mean score", "Response rate", "First response (median h)", "Breached",
    // goals
    "Goals, each judged on its own period", "Goal", "Per", "Min", "Met", "Missed", "Latest", "to date", "{} of {}",
    "A goal is judged on whole periods of its own kind (a quarterly goal on quarters); Met and missed count the "
    "periods that are over at the report instant; the latest may be to date.",
    // attention
    "Breached and at-risk targets", "None.", "Demand", "Title", "Target", "Status", "Due", "Owner", "Department",
    // analysis
    "Demand analysis", "{} demands received; {} merged as duplicates; {} assessed", ", mean value {} / 10", "Category",
    "Nature", "Channel", "Urgency", "Demands",
    "Accountability: missed deadlines per owner", "Still breached", "Largest open demands by assessed value", "Value",
    "all",
    "satisfaction (score ≥ 4)", "of {} · received {}",
    "Axis from 50%: every value shown is 50% or more", "goal ≥ {}%, dashed", "goal {}%", "n/a"};

const PageWords kChinese = {
    "zh-CN", "客户需求报告", "报告时点 {}（{}），统计周期：{}，自 {} 至 {}。红色比率未达按{}设定的目标。",
    "折线中断处为无数据的周期。", "目标达成趋势", "按{}的及时率", "按{}的各项指标", "按{}的各期及时率",
    "仅显示收到需求最多的 {} 组（共 {} 组）。", "各期指标",
    "† 本期部分时限的到期日晚于日历官方节假日数据的截止日：这些到期时间为暂定（法定节假日按法律推定，调休上班日尚未公布）。",
    "周期", "分组", "收到需求", "期末未结", "及时率", "完成率", "时限内解决", "满意率", "平均评分", "回访响应率",
    "首次响应（中位数，小时）", "超时",
    "目标（各按其自身周期考核）", "目标", "考核周期", "下限", "达成", "未达成", "最近", "截至目前", "{} / {}",
    "目标按其自身类型的完整周期考核（季度目标按季度）；达成与未达成只计报告时点已结束的周期；最近一期可能截至目前。",
    "已超时及有超时风险的时限", "无。", "需求", "标题", "时限", "状态", "到期", "责任人", "责任部门",
    "需求分析", "共收到需求 {} 条；作为重复合并 {} 条；已评估 {} 条", "，平均价值 {} / 10", "需求类别", "需求性质",
    "渠道", "紧急程度", "需求数",
    "责任追究：各责任人的超时", "仍超时", "按评估价值排列的最大未结需求", "价值", "全部",
    "满意率（评分 ≥ 4）", "共 {} 项 · 收到 {} 条",
    "纵轴自 50% 起：图中数值均不低于 50%", "目标 ≥ {}%，虚线", "目标 {}%", "无数据"};

struct Term {
  const char *key, *en, *zh;
};

// The vocabulary of statuses, classifications, dimensions, periods and metrics (policy/fields.cpp,
// ledger/replay.hpp, metrics/facts.cpp, metrics/period.cpp), demand states and event types
// (ledger/lifecycle.cpp, ledger/event.cpp), prospect stages and collection statuses (customers/),
// and the sample policy's target and tier names; sorted by key.
constexpr Term kTerms[] = {
    {"acknowledged", "acknowledged", "已受理"},
    {"assessed", "assessed", "已评估"},
    {"at_risk", "at risk", "有超时风险"},
    {"breached", "breached", "已超时"},
    {"calendar_updated", "calendar updated", "日历更新"},
    {"callback", "callback", "电话回访"},
    {"cancelled", "cancelled", "已取消"},
    {"category", "category", "需求类别"},
    {"channel", "channel", "渠道"},
    {"closed", "closed", "已关闭"},
    {"complaint", "complaint", "投诉"},
    {"complaint_reply", "complaint reply", "投诉答复"},
    {"completion", "completion", "完成率"},
    {"completion_on_time", "completion on time", "按时完成率"},
    {"contact", "contact", "联系客户"},
    {"contract_signed", "contract signed", "已签约"},
    {"customer", "customer", "客户"},
    {"customer_tier", "customer tier", "客户层级"},
    {"day", "day", "日"},
    {"deep_communication", "deep communication", "深入沟通"},
    {"department", "department", "部门"},
    {"detailed_plan", "detailed plan", "详细方案"},
    {"due", "due", "到期"},
    {"email", "email", "邮件"},
    {"evaluation", "evaluation", "方案评估"},
    {"feedback", "feedback", "客户反馈"},
    {"first_response", "first response", "初步响应"},
    {"functional", "functional", "功能性"},
    {"general", "general", "一般"},
    {"half_year", "half-year", "半年"},
    {"implementation", "implementation", "实施"},
    {"important", "important", "重要"},
    {"in_progress", "in progress", "处理中"},
    {"initial_contact", "initial contact", "初步接触"},
    {"large", "large", "大客户"},
    {"lost", "lost", "已流失"},
    {"medium", "medium", "中客户"},
    {"merged", "merged", "已合并"},
    {"merged_into", "merged into", "合并至"},
    {"met", "met", "按时达成"},
    {"met_late", "met late", "逾期达成"},
    {"month", "month", "月"},
    {"nature", "nature", "需求性质"},
    {"negotiation", "negotiation", "合作洽谈"},
    {"non_functional", "non-functional", "非功能性"},
    {"note", "note", "备注"},
    {"ok", "ok", "正常"},
    {"online", "online", "在线"},
    {"open", "open", "待处理"},
    {"other", "other", "其他"},
    {"overdue", "overdue", "已逾期"},
    {"owner", "owner", "责任人"},
    {"paused", "paused", "暂停"},
    {"pending", "pending", "进行中"},
    {"phone", "phone", "电话"},
    {"plan_sent", "plan sent", "已发送方案"},
    {"policy_version", "policy version", "制度版本"},
    {"price", "price", "价格"},
    {"product", "product", "产品"},
    {"progress", "progress", "进度更新"},
    {"progress_update", "progress update", "进度告知"},
    {"quarter", "quarter", "季度"},
    {"reassigned", "reassigned", "改派"},
    {"received", "received", "已接收"},
    {"reclassified", "reclassified", "重新分类"},
    {"referral", "referral", "转介绍"},
    {"reopened", "reopened", "重新打开"},
    {"resolution", "resolution", "解决"},
    {"resolved", "resolved", "已解决"},
    {"response_rate", "response rate", "回访响应率"},
    {"resumed", "resumed", "恢复处理"},
    {"satisfaction", "satisfaction", "满意率"},
    {"satisfaction_mean", "mean satisfaction", "平均满意度"},
    {"service", "service", "服务"},
    {"small", "small", "小客户"},
    {"staff", "staff", "员工反馈"},
    {"started", "started", "开始处理"},
    {"survey", "survey", "调研问卷"},
    {"timeliness", "timeliness", "及时率"},
    {"trade_show", "trade show", "展会"},
    {"urgency", "urgency", "紧急程度"},
    {"urgent", "urgent", "紧急"},
    {"visit", "visit", "拜访"},
    {"week", "week", "周"},
    {"year", "year", "年"},
};

constexpr bool sorted_by_key() {
  for (size_t i = 1; i < std::size(kTerms); ++i)
    if (!(std::string_view(kTerms[i - 1].key) < std::string_view(kTerms[i].key))) return false;
  return true;
}
static_assert(sorted_by_key(), "kTerms must be sorted by key, without repeats: find_term() searches it by halves");

}  // namespace

std::optional<ReportLocale> parse_report_locale(std::string_view name) {
  if (name == "en") return ReportLocale::en;
  if (name == "zh-CN") return ReportLocale::zh_cn;
  return std::nullopt;
}

const PageWords& page_words(ReportLocale locale) { return locale == ReportLocale::zh_cn ? kChinese : kEnglish; }

const char* find_term(ReportLocale locale, std::string_view key) {
  size_t lo = 0, hi = std::size(kTerms);
  while (lo < hi) {
    const size_t mid = (lo + hi) / 2;
    if (std::string_view(kTerms[mid].key) < key) lo = mid + 1;
    else hi = mid;
  }
  if (lo == std::size(kTerms) || kTerms[lo].key != key) return nullptr;
  return locale == ReportLocale::zh_cn ? kTerms[lo].zh : kTerms[lo].en;
}

std::string term(ReportLocale locale, std::string_view key) {
  const char* label = find_term(locale, key);
  return label ? std::string(label) : std::string(key);
}

std::string fill(std::string_view pattern, std::initializer_list<std::string> values) {
  std::string out;
  auto next = values.begin();
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 1 < pattern.size() && pattern[i + 1] == '}' && next != values.end()) {
      out += *next++;
      ++i;
    } else {
      out += pattern[i];
    }
  }
  return out;
}

}  // namespace crm::detail

std::optional<std::string_view> crm::term_label(std::string_view locale, std::string_view term) {
  const auto known = detail::parse_report_locale(locale);
  const char* label = known ? detail::find_term(*known, term) : nullptr;
  if (!label) return std::nullopt;
  return std::string_view(label);
}
