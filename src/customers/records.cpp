// SPDX-License-Identifier: Apache-2.0
#include "customers/records.hpp"

#include <cmath>

#include "core/json_util.hpp"
#include "policy/access_rules.hpp"
#include "policy/personal_fields.hpp"

namespace crm::detail {

namespace {

using nlohmann::json;

constexpr int64_t kMaxTime = 7258118400;  // 2200-01-01

Status check_string(const json& object, const std::string& path, const char* key, bool required, size_t max_bytes) {
  const auto it = object.find(key);
  if (it == object.end()) return required ? json_error(path + "/" + key, "missing", object) : Status();
  if (!it->is_string() || it->get_ref<const std::string&>().empty())
    return json_error(path + "/" + key, "expected a non-empty string", *it);
  return check_string_value(*it, path + "/" + key, max_bytes, true);
}

std::string string_or_empty(const json& object, const char* key) {
  const auto it = object.find(key);
  return it == object.end() ? std::string() : it->get<std::string>();
}

Status check_time(const json& object, const std::string& path, const char* key, bool required, int64_t& out) {
  const auto it = object.find(key);
  if (it == object.end()) return required ? json_error(path + "/" + key, "missing", object) : Status();
  if (!it->is_number_integer() || it->get<int64_t>() < 0 || it->get<int64_t>() >= kMaxTime)
    return json_error(path + "/" + key, "expected UTC epoch seconds from 1970 to 2199", *it);
  out = it->get<int64_t>();
  return {};
}

Status check_money(const json& object, const std::string& path, const char* key, int64_t& cents) {
  const auto it = object.find(key);
  if (it == object.end()) return json_error(path + "/" + key, "missing", object);
  const double x = it->is_number() ? it->get<double>() : -1;
  const double c = std::round(x * 100);
  if (!(x >= 0 && x <= 1e13) || std::fabs(c - x * 100) > 1e-6 * std::max(1.0, x))
    return json_error(path + "/" + key, "expected an amount ≥ 0 with at most 2 decimals", *it);
  cents = static_cast<int64_t>(c);
  return {};
}

Status check_contacts(const json& record, const std::string& path) {
  const auto it = record.find("contacts");
  if (it == record.end()) return {};
  if (!it->is_array() || it->size() > 50) return json_error(path + "/contacts", "expected an array of at most 50 contacts", *it);
  for (size_t i = 0; i < it->size(); ++i) {
    const json& c = (*it)[i];
    const std::string cp = path + "/contacts/" + std::to_string(i);
    if (!c.is_object()) return json_error(cp, "expected {\"name\", \"title\", \"phone\", \"email\"}", c);
    if (Status s = unknown_keys(c, cp, {"name", "title", "phone", "email"}, "name, title, phone or email"); !s.ok()) return s;
    for (const char* key : {"name", "title", "phone", "email"})
      if (Status s = check_string(c, cp, key, std::string(key) == "name", 256); !s.ok()) return s;
    if (const auto p = c.find("phone"); p != c.end()) {
      const std::string& phone = p->get_ref<const std::string&>();
      if (phone.find_first_not_of("0123456789+-() ") != std::string::npos || phone.size() > 32)
        return json_error(cp + "/phone", "expected digits, spaces, +, - or parentheses (at most 32)", *p);
    }
    if (const auto e = c.find("email"); e != c.end()) {
      const std::string& email = e->get_ref<const std::string&>();
      const size_t at = email.find('@');
      if (at == std::string::npos || at == 0 || at + 1 >= email.size() || email.find('@', at + 1) != std::string::npos ||
          email.find(' ') != std::string::npos)
        return json_error(cp + "/email", "expected one address such as name@example.com", *e);
    }
  }
  return {};
}

Result<json> parse_object(std::string_view text, const char* what) {
  auto parsed = parse_json_strict(text, what);
  if (!parsed.ok()) return std::move(parsed).status();
  if (!parsed->is_object()) return json_error("", std::string("a ") + what + " is a JSON object", *parsed);
  return std::move(*parsed);
}

Status check_one_of(const json& object, const std::string& path, const char* key, std::initializer_list<const char*> allowed) {
  const auto it = object.find(key);
  if (it == object.end()) return {};
  std::string list;
  for (const char* a : allowed) {
    if (it->is_string() && it->get_ref<const std::string&>() == a) return {};
    list += (list.empty() ? "" : ", ") + std::string(a);
  }
  return json_error(path + "/" + key, "expected one of " + list, *it);
}

}  // namespace

Result<CustomerRecord> parse_customer(std::string_view text) {
  auto parsed = parse_object(text, "customer JSON");
  if (!parsed.ok()) return std::move(parsed).status();
  return parse_customer(std::move(*parsed), "");
}

Result<CustomerRecord> parse_customer(nlohmann::json parsed_value, const std::string& base) {
  if (!parsed_value.is_object()) return json_error(base, "expected a customer object", parsed_value);
  json& c = parsed_value;
  if (Status s = unknown_keys(c, base, {"id", "company", "owner", "department", "industry", "size", "source", "address",
                                      "contacts", "since", "note", "converted_from", "potential_annual_spend"},
                              "id, company, owner, department, industry, size, source, address, contacts, since, note, converted_from "
                              "or potential_annual_spend");
      !s.ok())
    return s;
  for (const char* key : {"id", "owner", "department"})
    if (Status s = check_string(c, base, key, true, 128); !s.ok()) return s;
  if (Status s = check_string(c, base, "company", true, 512); !s.ok()) return s;
  for (const char* key : {"industry", "size", "source", "converted_from"})
    if (Status s = check_string(c, base, key, false, 128); !s.ok()) return s;
  for (const char* key : {"address", "note"})
    if (Status s = check_string(c, base, key, false, 2048); !s.ok()) return s;
  if (Status s = check_one_of(c, base, "size", {"large", "medium", "small"}); !s.ok()) return s;
  int64_t since = 0, potential = 0;
  if (Status s = check_time(c, base, "since", false, since); !s.ok()) return s;
  if (c.contains("potential_annual_spend"))
    if (Status s = check_money(c, base, "potential_annual_spend", potential); !s.ok()) return s;
  if (Status s = check_contacts(c, base); !s.ok()) return s;
  CustomerRecord r;
  r.id = c.at("id").get<std::string>();
  r.owner = c.at("owner").get<std::string>();
  r.department = c.at("department").get<std::string>();
  r.document = std::move(c);
  return r;
}

const char* activity_type_name(ActivityType t) {
  switch (t) {
    case ActivityType::purchase: return "purchase";
    case ActivityType::interaction: return "interaction";
    case ActivityType::survey: return "survey";
    case ActivityType::contract: return "contract";
  }
  return "?";
}

Result<Activity> parse_activity(std::string_view text) {
  auto parsed = parse_object(text, "activity JSON");
  if (!parsed.ok()) return std::move(parsed).status();
  return parse_activity(std::move(*parsed), "");
}

Result<Activity> parse_activity(nlohmann::json parsed_value, const std::string& base) {
  if (!parsed_value.is_object()) return json_error(base, "expected an activity object", parsed_value);
  const json& j = parsed_value;
  if (Status s = check_string(j, base, "customer", true, 128); !s.ok()) return s;
  if (Status s = check_string(j, base, "type", true, 32); !s.ok()) return s;
  Activity a;
  a.customer = j.at("customer").get<std::string>();
  const std::string type = j.at("type").get<std::string>();
  std::set<std::string> known = {"id", "customer", "type", "at", "note"};
  if (Status s = check_string(j, base, "id", false, 128); !s.ok()) return s;
  if (j.contains("id")) a.id = j.at("id").get<std::string>();
  if (type == "purchase") {
    a.type = ActivityType::purchase;
    known.insert("amount");
  } else if (type == "interaction") {
    a.type = ActivityType::interaction;
    known.insert({"kind", "needs_collected"});
  } else if (type == "survey") {
    a.type = ActivityType::survey;
    known.insert("score");
  } else if (type == "contract") {
    a.type = ActivityType::contract;
    known.insert({"amount", "ends_at"});
  } else {
    return json_error(base + "/type", "expected purchase, interaction, survey or contract", j.at("type"));
  }
  if (Status s = unknown_keys(j, base, known, "the fields of this activity type (README \"Activity JSON\")"); !s.ok()) return s;
  if (Status s = check_time(j, base, "at", true, a.at); !s.ok()) return s;
  if (Status s = check_string(j, base, "note", false, 2048); !s.ok()) return s;
  a.note = string_or_empty(j, "note");
  switch (a.type) {
    case ActivityType::purchase:
      if (Status s = check_money(j, base, "amount", a.amount_cents); !s.ok()) return s;
      break;
    case ActivityType::interaction: {
      if (Status s = check_string(j, base, "kind", true, 32); !s.ok()) return s;
      if (Status s = check_one_of(j, base, "kind", {"visit", "call", "email", "event", "meeting", "message"}); !s.ok()) return s;
      a.kind = j.at("kind").get<std::string>();
      if (const auto n = j.find("needs_collected"); n != j.end()) {
        if (!n->is_boolean()) return json_error(base + "/needs_collected", "expected true or false", *n);
        a.needs_collected = n->get<bool>();
      }
      break;
    }
    case ActivityType::survey: {
      const auto s = j.find("score");
      if (s == j.end() || !s->is_number_integer() || s->get<int64_t>() < 1 || s->get<int64_t>() > 5)
        return json_error(base + "/score", "expected a whole score from 1 to 5", s == j.end() ? j : *s);
      a.score = static_cast<int32_t>(s->get<int64_t>());
      break;
    }
    case ActivityType::contract:
      if (Status s = check_money(j, base, "amount", a.amount_cents); !s.ok()) return s;
      if (Status s = check_time(j, base, "ends_at", true, a.ends_at); !s.ok()) return s;
      if (a.ends_at <= a.at) return json_error(base + "/ends_at", "a contract ends after it is signed (at)", j.at("ends_at"));
      break;
  }
  return a;
}

json activity_json(const Activity& a) {
  json j = {{"customer", a.customer}, {"type", activity_type_name(a.type)}, {"at", a.at}};
  if (!a.id.empty()) j["id"] = a.id;
  if (!a.note.empty()) j["note"] = a.note;
  switch (a.type) {
    case ActivityType::purchase: j["amount"] = static_cast<double>(a.amount_cents) / 100; break;
    case ActivityType::interaction:
      j["kind"] = a.kind;
      j["needs_collected"] = a.needs_collected;
      break;
    case ActivityType::survey: j["score"] = a.score; break;
    case ActivityType::contract:
      j["amount"] = static_cast<double>(a.amount_cents) / 100;
      j["ends_at"] = a.ends_at;
      break;
  }
  return j;
}

const char* stage_name(Stage s) {
  static const char* const kNames[kStageCount] = {"initial_contact", "deep_communication", "evaluation", "negotiation",
                                                  "contract_signed", "implementation",     "lost"};
  return kNames[static_cast<size_t>(s)];
}

bool parse_stage(std::string_view name, Stage& out) {
  for (size_t i = 0; i < kStageCount; ++i)
    if (name == stage_name(static_cast<Stage>(i))) {
      out = static_cast<Stage>(i);
      return true;
    }
  return false;
}

Result<ProspectRecord> parse_prospect(std::string_view text) {
  auto parsed = parse_object(text, "prospect JSON");
  if (!parsed.ok()) return std::move(parsed).status();
  return parse_prospect(std::move(*parsed), "");
}

Result<ProspectRecord> parse_prospect(nlohmann::json parsed_value, const std::string& base) {
  if (!parsed_value.is_object()) return json_error(base, "expected a prospect object", parsed_value);
  json& p = parsed_value;
  if (Status s = unknown_keys(p, base, {"id", "company", "contacts", "address", "industry", "size", "need", "source", "channel",
                                      "owners", "department", "created_at", "business", "budget", "note"},
                              "id, company, contacts, address, industry, size, need, source, channel, owners, department, "
                              "created_at, business, budget or note");
      !s.ok())
    return s;
  for (const char* key : {"id", "department", "industry"})
    if (Status s = check_string(p, base, key, true, 128); !s.ok()) return s;
  if (Status s = check_string(p, base, "company", true, 512); !s.ok()) return s;
  for (const char* key : {"address", "business", "note"})
    if (Status s = check_string(p, base, key, false, 2048); !s.ok()) return s;
  for (const char* key : {"size", "need", "source"})
    if (!p.contains(key)) return json_error(base + "/" + key, "missing", p);
  if (Status s = check_one_of(p, base, "size", {"large", "medium", "small"}); !s.ok()) return s;
  if (Status s = check_one_of(p, base, "need", {"general", "special"}); !s.ok()) return s;
  if (Status s = check_one_of(p, base, "source", {"inbound", "outbound"}); !s.ok()) return s;
  if (Status s = check_one_of(p, base, "channel", {"market_research", "online_marketing", "trade_show", "partner_referral", "inquiry"}); !s.ok())
    return s;
  if (const auto b = p.find("budget"); b != p.end()) {
    int64_t cents = 0;
    if (Status s = check_money(p, base, "budget", cents); !s.ok()) return s;
  }
  if (Status s = check_contacts(p, base); !s.ok()) return s;
  ProspectRecord r;
  if (Status s = check_time(p, base, "created_at", true, r.created_at); !s.ok()) return s;
  const auto owners = p.find("owners");
  if (owners == p.end() || !owners->is_object())
    return json_error(base + "/owners", "expected {\"first_contact\", \"follow_up\", \"project\"}: who is responsible in each role",
                      owners == p.end() ? p : *owners);
  if (Status s = unknown_keys(*owners, "/owners", {"first_contact", "follow_up", "project"}, "first_contact, follow_up or project"); !s.ok())
    return s;
  if (Status s = check_string(*owners, "/owners", "first_contact", true, 128); !s.ok()) return s;
  if (Status s = check_string(*owners, "/owners", "follow_up", true, 128); !s.ok()) return s;
  if (Status s = check_string(*owners, "/owners", "project", false, 128); !s.ok()) return s;
  r.id = p.at("id").get<std::string>();
  r.department = p.at("department").get<std::string>();
  r.industry = p.at("industry").get<std::string>();
  r.size = p.at("size").get<std::string>();
  r.need = p.at("need").get<std::string>();
  r.source = p.at("source").get<std::string>();
  r.first_contact = owners->at("first_contact").get<std::string>();
  r.follow_up = owners->at("follow_up").get<std::string>();
  r.project = string_or_empty(*owners, "project");
  r.document = std::move(p);
  return r;
}

const char* prospect_event_type_name(ProspectEventType t) {
  switch (t) {
    case ProspectEventType::stage: return "stage";
    case ProspectEventType::follow_up: return "follow_up";
    case ProspectEventType::plan: return "plan";
    case ProspectEventType::evaluation: return "evaluation";
    case ProspectEventType::convert: return "convert";
  }
  return "?";
}

Result<ProspectEvent> parse_prospect_event(std::string_view text) {
  auto parsed = parse_object(text, "prospect event JSON");
  if (!parsed.ok()) return std::move(parsed).status();
  return parse_prospect_event(std::move(*parsed), "");
}

Result<ProspectEvent> parse_prospect_event(nlohmann::json parsed_value, const std::string& base) {
  if (!parsed_value.is_object()) return json_error(base, "expected a prospect event object", parsed_value);
  json& j = parsed_value;
  if (Status s = check_string(j, base, "prospect", true, 128); !s.ok()) return s;
  if (Status s = check_string(j, base, "type", true, 32); !s.ok()) return s;
  ProspectEvent e;
  e.prospect = j.at("prospect").get<std::string>();
  const std::string type = j.at("type").get<std::string>();
  std::set<std::string> known = {"prospect", "type", "at", "note"};
  if (type == "stage") {
    e.type = ProspectEventType::stage;
    known.insert("to");
  } else if (type == "follow_up") {
    e.type = ProspectEventType::follow_up;
    known.insert({"content", "method", "result", "quality", "item"});
  } else if (type == "plan") {
    e.type = ProspectEventType::plan;
    known.insert({"item", "content", "method", "due_at", "due_in"});
  } else if (type == "evaluation") {
    e.type = ProspectEventType::evaluation;
    known.insert({"likelihood", "needs_changed", "strategy"});
  } else if (type == "convert") {
    e.type = ProspectEventType::convert;
    known.insert({"customer", "owner"});
  } else {
    return json_error(base + "/type", "expected stage, follow_up, plan, evaluation or convert", j.at("type"));
  }
  if (Status s = unknown_keys(j, base, known, "the fields of this prospect event type (README \"Prospect event JSON\")"); !s.ok()) return s;
  if (Status s = check_time(j, base, "at", true, e.at); !s.ok()) return s;
  for (const char* key : {"note", "content", "result", "strategy"})
    if (Status s = check_string(j, base, key, false, 4096); !s.ok()) return s;
  switch (e.type) {
    case ProspectEventType::stage:
      if (!j.contains("to") || !j.at("to").is_string() || !parse_stage(j.at("to").get_ref<const std::string&>(), e.to))
        return json_error(base + "/to", "expected a stage: deep_communication, evaluation, negotiation, contract_signed, implementation or lost",
                          j.contains("to") ? j.at("to") : j);
      break;
    case ProspectEventType::follow_up:
      if (Status s = check_string(j, base, "content", true, 4096); !s.ok()) return s;
      if (Status s = check_string(j, base, "item", false, 128); !s.ok()) return s;
      if (Status s = check_one_of(j, base, "method", {"visit", "call", "email", "meeting", "message"}); !s.ok()) return s;
      if (const auto q = j.find("quality"); q != j.end() && (!q->is_number_integer() || q->get<int64_t>() < 1 || q->get<int64_t>() > 5))
        return json_error(base + "/quality", "expected a whole score from 1 to 5", *q);
      e.item = string_or_empty(j, "item");
      break;
    case ProspectEventType::plan: {
      if (Status s = check_string(j, base, "item", true, 128); !s.ok()) return s;
      if (Status s = check_string(j, base, "content", true, 4096); !s.ok()) return s;
      if (Status s = check_one_of(j, base, "method", {"visit", "call", "email", "meeting", "message"}); !s.ok()) return s;
      e.item = j.at("item").get<std::string>();
      if (j.contains("due_at") == j.contains("due_in")) return json_error(base + "/due_at", "give due_at or due_in (not both)", j);
      if (j.contains("due_at")) {
        if (Status s = check_time(j, base, "due_at", true, e.due_at); !s.ok()) return s;
        if (e.due_at < e.at) return json_error(base + "/due_at", "a plan item falls due after it is planned (at)", j.at("due_at"));
      } else {
        const json& d = j.at("due_in");
        if (!d.is_object() || d.size() != 1 || !d.contains("working_days") || !d.at("working_days").is_number_integer() ||
            d.at("working_days").get<int64_t>() < 0 || d.at("working_days").get<int64_t>() > 365)
          return json_error(base + "/due_in", "expected {\"working_days\": n} with n from 0 to 365", d);
        e.due_in_working_days = static_cast<int32_t>(d.at("working_days").get<int64_t>());
      }
      break;
    }
    case ProspectEventType::evaluation:
      if (const auto l = j.find("likelihood"); l == j.end() || !l->is_number() || !(l->get<double>() >= 0 && l->get<double>() <= 1))
        return json_error(base + "/likelihood", "expected the likelihood of a contract, from 0 to 1", l == j.end() ? j : *l);
      if (const auto n = j.find("needs_changed"); n != j.end() && !n->is_boolean())
        return json_error(base + "/needs_changed", "expected true or false", *n);
      break;
    case ProspectEventType::convert:
      if (Status s = check_string(j, base, "customer", true, 128); !s.ok()) return s;
      if (Status s = check_string(j, base, "owner", false, 128); !s.ok()) return s;
      e.customer = j.at("customer").get<std::string>();
      break;
  }
  for (const char* key : {"prospect", "type", "at", "to", "item", "due_at", "due_in", "customer"}) j.erase(key);
  e.details = std::move(j);
  return e;
}

json masked(const json& record) {
  json out = record;
  each_personal_field(record, [&](const json::json_pointer& field, MaskFn mask) {
    out[field] = mask(record[field].get_ref<const std::string&>());
  });
  return out;
}

bool restore_masked_personal(json& incoming, const json& before) {
  bool changed = false;
  each_personal_field(incoming, [&](const json::json_pointer& field, MaskFn mask) {
    const bool had = before.contains(field) && before[field].is_string();
    if (had && incoming[field] == before[field]) return;
    if (had && incoming[field].get_ref<const std::string&>() == mask(before[field].get_ref<const std::string&>()))
      incoming[field] = before[field];
    else
      changed = true;
  });
  each_personal_field(before, [&](const json::json_pointer& field, MaskFn) { changed = changed || !incoming.contains(field); });
  return changed;
}

}  // namespace crm::detail
