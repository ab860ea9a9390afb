// SPDX-License-Identifier: Apache-2.0
// Customer, activity, prospect and prospect-event documents (README "Customers"): parsed strictly,
// kept as canonical JSON, masked for readers without personal.read.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "crmpolicy/status.hpp"

namespace crm::detail {

// A customer's base data. `document` is the canonical JSON of every field.
struct CustomerRecord {
  std::string id, owner, department;
  nlohmann::json document;
};
Result<CustomerRecord> parse_customer(std::string_view json);
// The same from a parsed value; error paths start with `base` ("/3" for an array element).
Result<CustomerRecord> parse_customer(nlohmann::json value, const std::string& base);

enum class ActivityType : uint8_t { purchase = 1, interaction = 2, survey = 3, contract = 4 };
const char* activity_type_name(ActivityType t);

// One fact about a customer: a purchase, an interaction (visit, call, email, event, meeting,
// message), a satisfaction survey or a contract.
struct Activity {
  std::string id;             // optional, unique per customer: recording it again is a no-op
  std::string customer;
  ActivityType type = ActivityType::purchase;
  int64_t at = 0;
  int64_t amount_cents = 0;   // purchase, contract
  int32_t score = 0;          // survey: 1..5
  int64_t ends_at = 0;        // contract
  bool needs_collected = false;  // interaction: the customer's needs were asked for
  std::string kind;           // interaction kind
  std::string note;           // result, comment or contract number
};
Result<Activity> parse_activity(std::string_view json);
// The same from a parsed value; error paths start with `base` ("/3" for an array element).
Result<Activity> parse_activity(nlohmann::json value, const std::string& base);
nlohmann::json activity_json(const Activity& a);

// The stages a prospect moves through; lost ends it from any stage before contract_signed.
enum class Stage : uint8_t {
  initial_contact, deep_communication, evaluation, negotiation, contract_signed, implementation, lost
};
constexpr size_t kStageCount = 7;
const char* stage_name(Stage s);
bool parse_stage(std::string_view name, Stage& out);

struct ProspectRecord {
  std::string id, department, industry, size, need, source;
  std::string first_contact, follow_up, project;  // owners per role ("" when not yet assigned)
  int64_t created_at = 0;
  nlohmann::json document;
};
Result<ProspectRecord> parse_prospect(std::string_view json);
// The same from a parsed value; error paths start with `base` ("/3" for an array element).
Result<ProspectRecord> parse_prospect(nlohmann::json value, const std::string& base);

enum class ProspectEventType : uint8_t { stage = 1, follow_up = 2, plan = 3, evaluation = 4, convert = 5 };
const char* prospect_event_type_name(ProspectEventType t);

struct ProspectEvent {
  std::string prospect;
  ProspectEventType type = ProspectEventType::follow_up;
  int64_t at = 0;
  Stage to = Stage::initial_contact;  // stage
  std::string item;                   // plan: the item's id; follow_up: the plan item it fulfils ("" none)
  int64_t due_at = 0;                 // plan (0 when given as due_in)
  int32_t due_in_working_days = 0;    // plan, relative to `at` on the policy's calendar
  std::string customer;               // convert: the new customer's id
  nlohmann::json details;             // content, method, result, quality, likelihood, note
};
Result<ProspectEvent> parse_prospect_event(std::string_view json);
// The same from a parsed value; error paths start with `base` ("/3" for an array element).
Result<ProspectEvent> parse_prospect_event(nlohmann::json value, const std::string& base);

// The record with contact names, phones, emails and the address masked.
nlohmann::json masked(const nlohmann::json& record);
// Personal fields of `incoming` equal to the masked form of `before`'s are restored from `before`
// (a reader without personal.read can send back what it read). Returns whether any personal field
// then differs from `before`.
bool restore_masked_personal(nlohmann::json& incoming, const nlohmann::json& before);

}  // namespace crm::detail
