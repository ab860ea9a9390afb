// SPDX-License-Identifier: Apache-2.0
#include "customers/query.hpp"

#include <ctime>

#include "core/json_util.hpp"

namespace crm::detail {

Result<CustomerQuery> parse_customer_query(std::string_view text) {
  auto parsed = parse_json_strict(text, "query JSON");
  if (!parsed.ok()) return std::move(parsed).status();
  const nlohmann::json& j = *parsed;
  if (!j.is_object()) return json_error("", "a query is a JSON object such as {\"query\": \"churn\"}", j);
  if (Status s = unknown_keys(j, "", {"query", "at", "from", "to", "id", "kind", "owner", "department", "tier", "stage", "period", "by", "all", "phone", "email"},
                              "query, at, from, to, id, kind, owner, department, tier, stage, period, by or all");
      !s.ok())
    return s;
  CustomerQuery q;
  auto kind = required_string(j, "", "query");
  if (!kind.ok()) return std::move(kind).status();
  q.query = *kind;
  static const char* const kQueries[] = {"customer", "customers", "tiers",    "collection_due", "churn",       "relationship",
                                         "history",  "audit",     "prospect", "prospects",      "prospect_due", "funnel"};
  bool known = false;
  for (const char* k : kQueries) known = known || q.query == k;
  if (!known)
    return json_error("/query",
                      "unknown query (expected customer, customers, tiers, collection_due, churn, relationship, history, audit, "
                      "prospect, prospects, prospect_due or funnel)",
                      j.at("query"));
  q.at = static_cast<int64_t>(std::time(nullptr));
  const auto read_time = [&](const char* key, int64_t& out) -> Status {
    const auto& v = j.at(key);
    if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() >= 7258118400)
      return json_error(std::string("/") + key, "expected UTC epoch seconds from 1970 to 2199", v);
    out = v.get<int64_t>();
    return {};
  };
  if (j.contains("at"))
    if (Status s = read_time("at", q.at); !s.ok()) return s;
  for (const auto& [key, out] : {std::pair<const char*, std::optional<int64_t>*>{"from", &q.from}, {"to", &q.to}}) {
    if (!j.contains(key)) continue;
    int64_t t = 0;
    if (Status s = read_time(key, t); !s.ok()) return s;
    *out = t;
  }
  if (q.from && q.to && *q.to <= *q.from) return json_error("/to", "must be after from", j.at("to"));
  for (const auto& [key, out] : {std::pair<const char*, std::string*>{"id", &q.id}, {"kind", &q.kind}, {"owner", &q.owner},
                                 {"department", &q.department}, {"tier", &q.tier}, {"stage", &q.stage}, {"period", &q.period},
                                 {"by", &q.by}, {"phone", &q.phone}, {"email", &q.email}}) {
    if (!j.contains(key)) continue;
    auto v = required_string(j, "", key);
    if (!v.ok()) return std::move(v).status();
    *out = *v;
  }
  if (const auto all = j.find("all"); all != j.end()) {
    if (!all->is_boolean()) return json_error("/all", "expected true or false", *all);
    q.all = all->get<bool>();
  }
  if ((q.query == "customer" || q.query == "prospect" || q.query == "history") && q.id.empty())
    return json_error("/id", "missing: the record to show", j);
  if (q.query == "history" && q.kind != "customer" && q.kind != "prospect")
    return json_error("/kind", "expected customer or prospect", j.contains("kind") ? j.at("kind") : j);
  for (const auto& [key, value] : {std::pair<const char*, const std::string*>{"phone", &q.phone}, {"email", &q.email}})
    if (j.contains(key) && q.query != "customers")
      return json_error(std::string("/") + key, "finds customers: only the customers query takes it", j.at(key));
  if (!q.phone.empty() && !q.email.empty()) return json_error("/email", "one lookup at a time: phone or email", j.at("email"));
  if (!q.by.empty() && q.by != "owner" && q.by != "department") return json_error("/by", "expected owner or department", j.at("by"));
  if (!q.period.empty() && q.period != "month" && q.period != "quarter" && q.period != "half_year" && q.period != "year")
    return json_error("/period", "expected month, quarter, half_year or year", j.at("period"));
  return q;
}

}  // namespace crm::detail
