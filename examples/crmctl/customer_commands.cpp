// SPDX-License-Identifier: Apache-2.0
// crmctl customers, collection-due, churn and prospects: the customer-side lists as tables.
#include <cstdio>
#include <iostream>
#include <map>

#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "table.hpp"
#include "words.hpp"

namespace crmctl {

namespace {

using nlohmann::json;

// Runs a customer query with the common options (--at, --owner, --department) added.
crm::Result<json> ask(crm::Database& db, const Args& args, json query, const crm::Calendar& calendar) {
  query["at"] = args.has("at") ? parse_instant(args.get("at"), calendar, "at") : now();
  for (const char* key : {"owner", "department"})
    if (args.has(key)) query[key] = args.get(key);
  auto answer = db.customer_query(acting_user(args), query.dump());
  if (!answer.ok()) return std::move(answer).status();
  return json::parse(*answer);
}

std::string money(double yuan) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", yuan);
  std::string s = buf;
  for (int i = static_cast<int>(s.find('.')) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

std::string date_or_dash(const json& t, const crm::Calendar& calendar) {
  return t.is_null() ? "-" : local_time(t.get<int64_t>(), calendar).substr(0, 10);
}

std::string contact_text(const json& c) {
  if (c.is_null()) return "-";
  return c["name"].get<std::string>() + (c.contains("phone") ? " " + c["phone"].get<std::string>() : "");
}

std::string number(double x, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

crm::Result<crm::Policy> policy_for(crm::Database& db, const Args& args) { return report_policy(db, args.get("policy")); }

}  // namespace

namespace {

// The user of --as (default crmctl:admin) as the library's actor JSON.
json acting_user_json(const Args& args) {
  const std::string text = args.get("as", "crmctl:admin");
  const size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    throw UsageError{tr("--as: expected ID:ROLE[:DEPARTMENT], e.g. li.na:sales or chen.jie:manager:east")};
  json a = {{"id", text.substr(0, colon)}};
  const std::string rest = text.substr(colon + 1);
  const size_t second = rest.find(':');
  a["role"] = rest.substr(0, second);
  if (second != std::string::npos) a["department"] = rest.substr(second + 1);
  return a;
}

}  // namespace

// crmctl acts as an administrator unless told otherwise.
std::string acting_user(const Args& args) { return acting_user_json(args).dump(); }

std::optional<LedgerActor> ledger_actor(const Args& args) {
  if (!args.has("as")) return std::nullopt;
  const json a = acting_user_json(args);
  return LedgerActor{a["id"].get<std::string>(), a.dump()};
}

int cmd_goals(crm::Database& db, const Args& args) {
  require_words(args, 0, "goals [--at TIME] [--owner X] [--department X] [--as ID:ROLE[:DEPT]] [--format table|json]");
  auto policy = policy_for(db, args);
  if (!policy.ok()) return fail(policy.status());
  auto answer = ask(db, args, {{"query", "relationship"}}, *policy->calendar(policy->default_calendar()));
  if (!answer.ok()) return fail(answer.status());
  if (args.get("format", "table") == "json") {
    std::cout << answer->dump(2) << "\n";
    return kOk;
  }
  // Per goal, in the policy's words where it has them: one row per goal period.
  const auto percent = [](const json& v) { return v.is_null() ? std::string("-") : number(v.get<double>() * 100, 1) + "%"; };
  for (const json& g : (*answer)["goals"]) {
    const std::string metric = label(g["metric"].get<std::string>());
    std::cout << (g.contains("description") ? g["description"].get<std::string>() + " (" + metric + ")" : metric) << " — "
              << trf("per {}, at least {}", {label(g["period"].get<std::string>()), percent(g["min"])}) << "\n";
    Table table({tr("period"), tr("rate"), tr("of"), tr("met")},
                {Table::Align::left, Table::Align::right, Table::Align::right, Table::Align::left});
    for (const json& row : g["rows"]) {
      const std::string period = row["period"].get<std::string>() + (row["complete"].get<bool>() ? "" : tr(" (to date)"));
      const std::string met = row["met"].is_null() ? "-" : row["met"].get<bool>() ? tr("yes") : tr("no");
      table.add({period, percent(row["value"]),
                 std::to_string(row["numerator"].get<int64_t>()) + " / " + std::to_string(row["denominator"].get<int64_t>()), met});
    }
    table.print(std::cout);
    std::cout << "\n";
  }
  return kOk;
}

int cmd_customers(crm::Database& db, const Args& args) {
  require_words(args, 0, "customers [--at TIME] [--tier T] [--owner X] [--department X] [--as ID:ROLE[:DEPT]]");
  auto policy = policy_for(db, args);
  if (!policy.ok()) return fail(policy.status());
  const crm::Calendar& calendar = *policy->calendar(policy->default_calendar());
  json q = {{"query", "customers"}};
  if (args.has("tier")) q["tier"] = args.get("tier");
  auto list = ask(db, args, q, calendar);
  if (!list.ok()) return fail(list.status());
  Table table({tr("customer"), tr("company"), tr("tier"), tr("spend 12m"), tr("buys"), tr("value"), tr("last contact"), tr("owner"),
               tr("department")},
              {Table::Align::left, Table::Align::left, Table::Align::left, Table::Align::right, Table::Align::right,
               Table::Align::right});
  for (const json& c : (*list)["customers"])
    table.add({c["id"].get<std::string>(), c["company"].get<std::string>(),
               label(c["tier"].get<std::string>()) + (c["key"].get<bool>() ? " *" : ""), money(c["spend_12m"].get<double>()),
               std::to_string(c["purchases_12m"].get<int64_t>()), number(c["value"].get<double>(), 1),
               date_or_dash(c["last_contact_at"], calendar), c["owner"].get<std::string>(), c["department"].get<std::string>()});
  table.print(std::cout);
  auto tiers = ask(db, args, {{"query", "tiers"}}, calendar);
  if (!tiers.ok()) return fail(tiers.status());
  std::cout << "\n";
  Table summary({tr("tier"), tr("from (12m spend)"), tr("customers"), tr("revenue 12m")},
                {Table::Align::left, Table::Align::right, Table::Align::right, Table::Align::right});
  for (const json& t : (*tiers)["tiers"])
    summary.add({label(t["tier"].get<std::string>()) + (t["key"].get<bool>() ? tr(" (key)") : ""), money(t["min_annual_spend"].get<double>()),
                 std::to_string(t["customers"].get<int64_t>()), money(t["revenue_12m"].get<double>())});
  summary.add({tr("total"), "", std::to_string((*tiers)["total"]["customers"].get<int64_t>()), money((*tiers)["total"]["revenue_12m"].get<double>())});
  summary.print(std::cout);
  return kOk;
}

int cmd_collection_due(crm::Database& db, const Args& args) {
  require_words(args, 0, "collection-due [--at TIME] [--owner X] [--department X] [--all] [--as ID:ROLE[:DEPT]]");
  auto policy = policy_for(db, args);
  if (!policy.ok()) return fail(policy.status());
  const crm::Calendar& calendar = *policy->calendar(policy->default_calendar());
  json q = {{"query", "collection_due"}, {"all", args.has("all")}};
  auto list = ask(db, args, q, calendar);
  if (!list.ok()) return fail(list.status());
  // Per owner: whom to visit or call, most urgent first.
  std::map<std::string, std::vector<const json*>> by_owner;
  for (const json& i : (*list)["items"]) by_owner[i["owner"].get<std::string>()].push_back(&i);
  size_t overdue = 0, total = 0;
  for (const auto& [owner, items] : by_owner) {
    std::cout << owner << " (" << items.size() << ")\n";
    Table table({tr("customer"), tr("company"), tr("tier"), tr("every"), tr("last collected"), tr("due"), tr("status"), tr("contact")});
    for (const json* i : items) {
      table.add({(*i)["id"].get<std::string>(), (*i)["company"].get<std::string>(), label((*i)["tier"].get<std::string>()),
                 trf("{} mo", {std::to_string((*i)["every_months"].get<int64_t>())}), date_or_dash((*i)["last_collected_at"], calendar),
                 (*i)["due_date"].get<std::string>(), label((*i)["status"].get<std::string>()), contact_text((*i)["contact"])});
      overdue += (*i)["status"] == "overdue";
      ++total;
    }
    table.print(std::cout);
    std::cout << "\n";
  }
  std::cout << trf("{} customer(s) due for needs collection, {} overdue", {std::to_string(total), std::to_string(overdue)}) << "\n";
  return kOk;
}

int cmd_churn(crm::Database& db, const Args& args) {
  require_words(args, 0, "churn [--at TIME] [--owner X] [--department X] [--as ID:ROLE[:DEPT]]");
  auto policy = policy_for(db, args);
  if (!policy.ok()) return fail(policy.status());
  const crm::Calendar& calendar = *policy->calendar(policy->default_calendar());
  auto list = ask(db, args, {{"query", "churn"}}, calendar);
  if (!list.ok()) return fail(list.status());
  Table table({tr("customer"), tr("company"), tr("tier"), tr("value"), tr("reasons"), tr("owner"), tr("contact")},
              {Table::Align::left, Table::Align::left, Table::Align::left, Table::Align::right});
  for (const json& w : (*list)["warnings"]) {
    std::string reasons;
    for (const json& r : w["reasons"]) reasons += (reasons.empty() ? "" : "; ") + r["detail"].get<std::string>();
    table.add({w["id"].get<std::string>(), w["company"].get<std::string>(), label(w["tier"].get<std::string>()),
               number(w["value"].get<double>(), 1), reasons, w["owner"].get<std::string>(), contact_text(w["contact"])});
  }
  table.print(std::cout);
  std::cout << trf("{} customer(s) with churn warnings", {std::to_string((*list)["warnings"].size())}) << "\n";
  return kOk;
}

int cmd_prospects(crm::Database& db, const Args& args) {
  require_words(args, 0, "prospects [--at TIME] [--stage S] [--due] [--funnel [--period P] [--by owner|department]] [--as ...]");
  auto policy = policy_for(db, args);
  if (!policy.ok()) return fail(policy.status());
  const crm::Calendar& calendar = *policy->calendar(policy->default_calendar());
  if (args.has("funnel")) {
    json q = {{"query", "funnel"}, {"period", args.get("period", "quarter")}};
    if (args.has("by")) q["by"] = args.get("by");
    for (const char* key : {"from", "to"})
      if (args.has(key)) q[key] = parse_instant(args.get(key), calendar, key);
    auto f = ask(db, args, q, calendar);
    if (!f.ok()) return fail(f.status());
    std::vector<std::string> headers = {tr("period")};
    if (args.has("by")) headers.push_back(label(args.get("by")));
    for (const char* h : {"prospects", "deep", "eval", "negot", "signed", "impl", "lost", "success", "follow-ups/p", "days initial"})
      headers.push_back(tr(h));
    Table table(headers, std::vector<Table::Align>(headers.size(), Table::Align::right));
    for (const json& r : (*f)["rows"]) {
      std::vector<std::string> row = {r["period"].get<std::string>()};
      if (args.has("by")) row.push_back(r[args.get("by")].get<std::string>());
      row.push_back(std::to_string(r["prospects"].get<int64_t>()));
      for (const char* s : {"deep_communication", "evaluation", "negotiation", "contract_signed", "implementation"})
        row.push_back(std::to_string(r["reached"][s].get<int64_t>()));
      row.push_back(std::to_string(r["lost"].get<int64_t>()));
      row.push_back(r["success_rate"].is_null() ? "-" : number(r["success_rate"].get<double>() * 100, 1) + "%");
      row.push_back(number(r["follow_ups_per_prospect"].get<double>(), 2));
      const json& days = r["median_days_in_stage"]["initial_contact"];
      row.push_back(days.is_null() ? "-" : number(days.get<double>(), 1));
      table.add(row);
    }
    table.print(std::cout);
    return kOk;
  }
  if (args.has("due")) {
    auto list = ask(db, args, {{"query", "prospect_due"}}, calendar);
    if (!list.ok()) return fail(list.status());
    Table table({tr("prospect"), tr("company"), tr("stage"), tr("what"), tr("due"), tr("overdue"), tr("last follow-up"), tr("owner")});
    for (const json& i : (*list)["items"])
      table.add({i["id"].get<std::string>(), i["company"].get<std::string>(), label(i["stage"].get<std::string>()),
                 std::string(i["kind"] == "plan_item" ? tr("plan item") : tr("follow-up")) + (i.contains("item") ? " " + i["item"].get<std::string>() : ""),
                 local_time(i["due_at"].get<int64_t>(), calendar), i["overdue"].get<bool>() ? tr("yes") : "",
                 date_or_dash(i["last_follow_up_at"], calendar), i["owner"].get<std::string>()});
    table.print(std::cout);
    std::cout << trf("{} follow-up(s) due", {std::to_string((*list)["items"].size())}) << "\n";
    return kOk;
  }
  json q = {{"query", "prospects"}};
  if (args.has("stage")) q["stage"] = args.get("stage");
  auto list = ask(db, args, q, calendar);
  if (!list.ok()) return fail(list.status());
  Table table({tr("prospect"), tr("company"), tr("stage"), tr("industry"), tr("size"), tr("need"), tr("follow-ups"), tr("last follow-up"),
               tr("owner"), tr("customer")},
              {Table::Align::left, Table::Align::left, Table::Align::left, Table::Align::left, Table::Align::left,
               Table::Align::left, Table::Align::right});
  for (const json& p : (*list)["prospects"])
    table.add({p["id"].get<std::string>(), p["company"].get<std::string>(), label(p["stage"].get<std::string>()),
               p["industry"].get<std::string>(), label(p["size"].get<std::string>()), p["need"].get<std::string>(),
               std::to_string(p["follow_ups"].get<int64_t>()), date_or_dash(p["last_follow_up_at"], calendar),
               p["owner"].get<std::string>(), p["customer"].is_null() ? "-" : p["customer"].get<std::string>()});
  table.print(std::cout);
  std::cout << trf("{} prospect(s)", {std::to_string((*list)["prospects"].size())}) << "\n";
  return kOk;
}

}  // namespace crmctl
