// SPDX-License-Identifier: Apache-2.0
#include "words.hpp"

#include <cstdlib>
#include <unordered_map>

#include <crmpolicy/policy.hpp>

namespace crmctl {

namespace {

Language g_language = Language::en;
bool g_chosen = false;

// crmctl's own texts in Simplified Chinese, keyed by the English text (tests/check_crmctl_words.py
// checks that every text crmctl passes to tr() or trf() is here, with its placeholders).
struct Translation {
  const char *en, *zh;
};
const Translation kChinese[] = {
    {" (key)", "（重点）"},
    {":", "："},
    {" (provisional)", "（暂定）"},
    {" (to date)", "（截至目前）"},
    {" and {} more", "，另有 {} 项"},
    {"(timely: targets met on time / decided; complete: resolved / received less merged; satisfied: scores >= 4; ! misses a goal set per {}; goals of other periods are judged below)", "（及时率：按时达成的时限 / 已判定的时限；完成率：已解决 / 收到需求减去合并的；满意率：评分 ≥ 4；! 表示未达成按{}设定的目标；其他周期的目标见下文）"},
    {", base {}\n  official data (State Council notices) until {}; later dates are provisional: statutory holidays by law, make-up working days not yet published", "，基础日历 {}\n  官方数据（国务院办公厅通知）截至 {}；此后的日期为暂定：法定节假日按法律推定，调休上班日尚未公布"},
    {", grouped by {}", "，按{}分组"},
    {", no base calendar: every date follows the weekly hours and the calendar's own days", "，无基础日历：每个日期按每周工作时间和日历自身的特殊日"},
    {", official", "，官方数据"},
    {", provisional (after {})", "，暂定（{} 之后）"},
    {"--as: expected ID:ROLE[:DEPARTMENT], e.g. li.na:sales or chen.jie:manager:east", "--as：应为 ID:角色[:部门]，例如 li.na:sales 或 chen.jie:manager:east"},
    {"--calendar: the policy has no calendar \"{}\"", "--calendar：制度中没有日历“{}”"},
    {"--encoding: NDJSON is UTF-8 (JSON's own encoding); --encoding is for CSV files", "--encoding：NDJSON 文件为 UTF-8（JSON 自身的编码）；--encoding 仅用于 CSV 文件"},
    {"--encoding: expected utf-8, gbk or gb18030, got \"{}\"", "--encoding：应为 utf-8、gbk 或 gb18030，而不是“{}”"},
    {"--encoding: this system's iconv has no {}", "--encoding：本系统的 iconv 不支持 {}"},
    {"--exec failed for {}; the cursor stays before its page", "--exec 处理 {} 失败；游标停留在该页之前"},
    {"--field: expected KEY=VALUE, got \"{}\"", "--field：应为 键=值，而不是“{}”"},
    {"--filter: expected DIMENSION=VALUE, got \"{}\"", "--filter：应为 维度=值，而不是“{}”"},
    {"--format: expected table, csv, json or html", "--format：应为 table、csv、json 或 html"},
    {"--limit: expected a number", "--limit：应为数字"},
    {"--start: expected beginning or end", "--start：应为 beginning 或 end"},
    {"--year: expected YYYY", "--year：应为 YYYY"},
    {"1st resp h", "首次响应(时)"},
    {"Accountability: missed deadlines per owner", "责任追究：各责任人未按时完成的时限"},
    {"Demand analysis: {} received, {} merged as duplicates, {} assessed (mean value {})", "需求分析：收到 {} 条，作为重复合并 {} 条，已评估 {} 条（平均价值 {}）"},
    {"Fri", "周五"},
    {"Goals, each judged on its own period", "目标（各按其自身周期考核）"},
    {"Mon", "周一"},
    {"More: crmctl --db {} report --by owner | due --at 2025-12-31T18:00 | report --format html -o report.html\n      customers | collection-due | churn | prospects --funnel (add --at 2025-12-31T18:00)", "更多：crmctl --db {} report --by owner | due --at 2025-12-31T18:00 | report --format html -o report.html\n      customers | collection-due | churn | prospects --funnel（加上 --at 2025-12-31T18:00）"},
    {"Needs attention now (at risk or breached)", "需立即关注（有超时风险或已超时）"},
    {"Run 'crmctl{} --help' for usage.", "用法见 'crmctl{} --help'。"},
    {"Sat", "周六"},
    {"Sun", "周日"},
    {"Thu", "周四"},
    {"Tue", "周二"},
    {"Wed", "周三"},
    {"Week {} ({} to {})", "第 {} 周（{} 至 {}）"},
    {"\"{}\" is not a time (epoch seconds, YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+HH:MM|Z])", "“{}”不是时间（应为纪元秒数、YYYY-MM-DD 或 YYYY-MM-DDTHH:MM[:SS][+HH:MM|Z]）"},
    {"a CSV import needs a stored policy (for local times)", "导入 CSV 需要已存储的制度（用于本地时间）"},
    {"a quoted field never ends", "引号字段没有结束"},
    {"a working day", "工作日"},
    {"actor", "操作人"},
    {"all", "全部"},
    {"at", "时间"},
    {"at risk", "有超时风险"},
    {"audit list", "审计日志列表"},
    {"audit verify", "审计日志校验"},
    {"backed up to {}", "已备份到 {}"},
    {"breached", "已超时"},
    {"buys", "购买次数"},
    {"by {} ({})", "按{}（{}）"},
    {"calendar data", "日历数据"},
    {"cannot read \"{}\"", "无法读取“{}”"},
    {"cannot read {}", "无法读取 {}"},
    {"cannot write \"{}\"", "无法写入“{}”"},
    {"cannot write the changes; the cursor stays before this page", "无法输出变更；游标停留在本页之前"},
    {"cannot write the cursor file {}", "无法写入游标文件 {}"},
    {"closed", "已关闭"},
    {"column \"{}\" appears twice", "列“{}”出现两次"},
    {"column received_at: \"{}\" is not a time", "received_at 列：“{}”不是时间"},
    {"column {}: not UTF-8 text (a GBK or GB18030 file? give --encoding gbk or gb18030)", "{} 列：不是 UTF-8 文本（是 GBK 或 GB18030 文件吗？请加 --encoding gbk 或 gb18030）"},
    {"company", "公司"},
    {"company_holiday", "公司假日"},
    {"company_workday", "公司工作日"},
    {"complete", "完成率"},
    {"contact", "联系方式"},
    {"customer", "客户"},
    {"customers", "客户数"},
    {"date", "日期"},
    {"day", "星期"},
    {"days initial", "初步接触天数"},
    {"deep", "深入沟通"},
    {"demand", "需求"},
    {"department", "责任部门"},
    {"detail", "详情"},
    {"due", "到期"},
    {"empty file (expected a header row)", "空文件（应有表头行）"},
    {"eval", "方案评估"},
    {"event", "事件"},
    {"every", "周期"},
    {"expected YYYY-MM-DD, got \"{}\"", "应为 YYYY-MM-DD，而不是“{}”"},
    {"expected a whole number of seconds, 1 or more", "应为不小于 1 的整秒数"},
    {"field {} longer than {} bytes", "第 {} 个字段超过 {} 字节"},
    {"follow-up", "跟进"},
    {"follow-ups", "跟进次数"},
    {"follow-ups/p", "人均跟进"},
    {"from (12m spend)", "起点（12个月消费）"},
    {"generating the demo year", "生成演示年度数据"},
    {"goal", "目标"},
    {"group", "分组"},
    {"holiday", "法定节假日"},
    {"impl", "实施"},
    {"import stopped", "导入已停止"},
    {"imported {} demands and {} events ({} of {} lines committed)", "已导入需求 {} 条、事件 {} 条（提交 {} / {} 行）"},
    {"importing the demo year", "导入演示年度数据"},
    {"industry", "行业"},
    {"kind", "类型"},
    {"last collected", "上次收集"},
    {"last contact", "上次联系"},
    {"last follow-up", "上次跟进"},
    {"latest", "最近"},
    {"local times in an NDJSON import need a stored policy", "NDJSON 导入中的本地时间需要已存储的制度"},
    {"lost", "流失"},
    {"makeup_workday", "调休上班日"},
    {"met", "达成"},
    {"min", "下限"},
    {"no", "否"},
    {"rate", "比率"},
    {"of", "分子 / 分母"},
    {"per {}, at least {}", "按{}考核，下限 {}"},
    {"missed periods", "未达成的周期"},
    {"missed", "未按时"},
    {"more than {} fields", "字段超过 {} 个"},
    {"name", "名称"},
    {"need", "需求"},
    {"negot", "合作洽谈"},
    {"no such database (give --db FILE or set CRMCTL_DB; only import, policy put, event and snapshot import create one)", "数据库不存在（请用 --db 文件 或设置 CRMCTL_DB；只有 import、policy put、event 和 snapshot import 会创建数据库）"},
    {"not a working day", "非工作日"},
    {"not {} text (byte {}); give the file's encoding with --encoding", "不是 {} 文本（第 {} 字节）；请用 --encoding 指定文件编码"},
    {"official", "官方数据"},
    {"open", "未结"},
    {"overdue", "已逾期"},
    {"overrun", "超时"},
    {"owner", "责任人"},
    {"p90 h", "P90(时)"},
    {"per", "考核周期"},
    {"period", "周期"},
    {"plan item", "计划事项"},
    {"prospect", "潜在客户"},
    {"prospects", "潜在客户数"},
    {"provisional (by law)", "暂定（依法推定）"},
    {"reasons", "原因"},
    {"received", "收到"},
    {"recorded {} on {} at {}", "已记录：{}，需求 {}，时间 {}"},
    {"recording the demo customers", "记录演示客户"},
    {"remaining", "剩余"},
    {"resp.rate", "回访率"},
    {"revenue 12m", "12个月收入"},
    {"satisfied", "满意率"},
    {"score", "平均分"},
    {"signed", "已签约"},
    {"size", "规模"},
    {"snapshot restored from {}", "已从 {} 恢复快照"},
    {"snapshot written to {}", "快照已写入 {}"},
    {"source", "来源"},
    {"spend 12m", "12个月消费"},
    {"stage", "阶段"},
    {"state {}, {} {}, owner {} ({}), customer {}, channel {}", "状态 {}，{} {}，责任人 {}（{}），客户 {}，渠道 {}"},
    {"status", "状态"},
    {"still breached", "仍超时"},
    {"stored {} {}", "已存储 {} {}"},
    {"success", "成功率"},
    {"target", "时限"},
    {"the monthly report", "月度报告"},
    {"tier", "层级"},
    {"timely", "及时率"},
    {"title", "标题"},
    {"total", "合计"},
    {"unknown column \"{}\" (expected id, received_at, channel, title, text, department, owner, customer, customer_tier, urgency, category or nature)", "未知的列“{}”（应为 id、received_at、channel、title、text、department、owner、customer、customer_tier、urgency、category 或 nature）"},
    {"usage: ", "用法："},
    {"value", "价值"},
    {"version", "版本"},
    {"warning: ", "警告："},
    {"watch handled {} change(s); cursor in {}", "watch 已处理 {} 条变更；游标保存在 {}"},
    {"what", "事项"},
    {"wrote {}", "已写入 {}"},
    {"yes", "是"},
    {"{} / {} lines, {} lines/s, ETA {}", "{} / {} 行，{} 行/秒，预计还需 {}"},
    {"{} change(s) from {} to {}", "{} 处变更（从 {} 到 {}）"},
    {"{} customer(s) due for needs collection, {} overdue", "{} 位客户需收集需求，其中 {} 位已逾期"},
    {"{} customer(s) with churn warnings", "{} 位客户有流失预警"},
    {"{} fields, the header has {}", "{} 个字段，表头有 {} 个"},
    {"{} follow-up(s) due", "{} 项跟进到期"},
    {"{} is readable by others (mode {}): chmod 600 it", "{} 可被他人读取（权限 {}）：请 chmod 600"},
    {"{} line(s) rejected:", "{} 行被拒绝："},
    {"{} mo", "{} 个月"},
    {"{} prospect(s)", "{} 位潜在客户"},
    {"{} special day(s) in {}", "{} 个特殊日（{} 年）"},
    {"{} target(s) at risk, breached or due before {}", "{} 个时限有超时风险、已超时或在 {} 之前到期"},
    {"{} {}: valid (calendars:{})", "{} {}：有效（日历：{}）"},
    {"华东精密设备有限公司 (East China Precision Equipment), 2025: {} demands, {} events, {} customers with {} activities, {} prospects with {} events recorded in {}", "华东精密设备有限公司，2025 年：需求 {} 条、事件 {} 条，客户 {} 位、活动 {} 次，潜在客户 {} 位、事件 {} 条，已记录在 {}"},
};

}  // namespace

std::optional<Language> parse_language(std::string_view name) {
  if (name == "zh-CN") return Language::zh_cn;
  if (name == "en") return Language::en;
  return std::nullopt;
}

std::optional<Language> language_from_environment() {
  for (const char* variable : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* value = std::getenv(variable);
    if (!value || !*value) continue;
    const std::string_view v(value);
    const std::string_view language = v.substr(0, v.find_first_of(".@"));  // zh_CN.UTF-8 -> zh_CN
    if (language == "zh" || language == "zh_CN" || language == "zh_SG" || language == "zh_Hans") return Language::zh_cn;
    if (language == "en" || language.substr(0, 3) == "en_") return Language::en;
    return std::nullopt;  // the first variable set decides, as for setlocale()
  }
  return std::nullopt;
}

void use_language(Language language) {
  g_language = language;
  g_chosen = true;
}

Language language() { return g_language; }
bool language_chosen() { return g_chosen; }
const char* language_name() { return g_language == Language::zh_cn ? "zh-CN" : "en"; }

const char* tr(const char* english) {
  if (g_language == Language::en) return english;
  static const std::unordered_map<std::string_view, const char*> chinese = [] {
    std::unordered_map<std::string_view, const char*> m;
    for (const Translation& t : kChinese) m.emplace(t.en, t.zh);
    return m;
  }();
  const auto it = chinese.find(english);
  return it == chinese.end() ? english : it->second;
}

std::string trf(const char* english_pattern, std::initializer_list<std::string> values) {
  const std::string_view pattern = tr(english_pattern);
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

std::string label(std::string_view term) {
  const auto found = crm::term_label(language_name(), term);
  return found ? std::string(*found) : std::string(term);
}

}  // namespace crmctl
