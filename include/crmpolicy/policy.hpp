// SPDX-License-Identifier: Apache-2.0
// crm::Policy: classifies customer demands and gives them response targets with due times.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crmpolicy/calendar.hpp"
#include "crmpolicy/export.h"
#include "crmpolicy/status.hpp"

namespace crm {

namespace detail {
class PolicyImpl;
struct PolicyAccess;
}

// A customer demand as the policy sees it. Classification fields (urgency, category, nature,
// labels) set here are manual decisions: the policy keeps them and says so. Enumerated fields
// hold their JSON spelling ("urgent", "non_functional", "trade_show"); the JSON reader checks it.
// When the database stores the demand's customer, the recorded demand sees that customer's tier,
// key flag and spend over the 365 days up to received_at, and its account owner, instead of these
// (README "Demand JSON").
struct Customer {
  std::string id;
  std::string owner;     // the customer's account owner (客户经理): a route may assign the demand to them
  std::string tier;      // one of the policy's tiers ("large", "medium", "small" in the sample)
  std::string industry;
  std::string size;      // "", "large", "medium", "small"
  std::optional<double> annual_spend;
  std::optional<bool> key;  // absent: the key flag of the policy tier named by `tier`, else false
};

struct Demand {
  std::string id;
  int64_t received_at = 0;  // UTC epoch seconds
  std::string channel;      // visit, phone, email, online, survey, complaint, staff, trade_show, referral, other
  std::string category;     // product, service, price, other
  std::string nature;       // functional, non_functional
  std::string urgency;      // urgent, important, general
  std::string title;
  std::string text;
  std::string department;
  std::string owner;
  Customer customer;
  std::map<std::string, std::string> labels;  // custom attributes
};

// Reads a demand from JSON (README "Demand JSON"); errors name the field. `explain` receives the
// optional "explain" flag that may stand beside the demand fields.
CRM_API Result<Demand> demand_from_json(std::string_view json, bool* explain = nullptr);

// The label of a term of the library's vocabulary (target statuses, channels, categories, natures,
// urgencies, report dimensions, period kinds, metrics, and the sample policy's target and tier
// names) in `locale`, "zh-CN" or "en", as the HTML report shows it: "breached" gives "已超时" or
// "breached". Static storage; nullopt for a term the catalogue lacks or another locale.
CRM_CXX_API std::optional<std::string_view> term_label(std::string_view locale, std::string_view term);

enum class Decision : uint8_t { manual, rule, default_value };

struct Attribute {
  std::string value;
  Decision decision = Decision::default_value;
  std::string rule;  // the rule that set it, when decision == rule
};

// One day of an explanation: what the calendar did with that local date (or run of dates).
struct TraceDay {
  std::string from;                  // local date YYYY-MM-DD
  std::string to;                    // last date of a run of alike non-working days, else == from
  std::string day;                   // working, weekly_off, holiday, makeup_workday, company_holiday, ...
  std::string name;                  // the holiday's name, when the base calendar gives one
  std::vector<std::string> counted;  // local spans counted, "HH:MM-HH:MM"
  int64_t seconds = 0;               // working seconds counted that day
  bool provisional = false;          // after the base calendar's official data: make-up days unknown
};

struct TargetResult {
  std::string name;
  std::string met_by;
  std::vector<std::string> also_met_by;  // further events that meet it
  bool recurring = false;                // due again `within` after each time it is met, while open
  std::string calendar;
  std::string within;   // the duration as written, e.g. {"working_days":1,"cutoff":"17:00"}
  int64_t start = 0;    // when the clock starts (received_at, or the next working day after a cut-off)
  int64_t due_at = 0;
  int64_t warn_at = 0;
  int32_t due_offset = 0;   // UTC offset at due_at, seconds (for the local rendering)
  int32_t warn_offset = 0;
  int64_t working_seconds = 0;  // working time in [start, due_at)
  // The due time falls after the calendar's official data (Calendar::data_until): it rests on
  // statutory holidays by law and may move when the year's notice adds make-up working days.
  bool provisional = false;
  std::vector<TraceDay> trace;  // filled when asked to explain
};

struct Evaluation {
  std::string policy_name;
  std::string policy_version;
  std::string demand_id;
  int64_t received_at = 0;
  int32_t received_offset = 0;  // UTC offset of the default calendar at received_at
  Attribute urgency, category, nature;
  std::map<std::string, Attribute> labels;
  // Who is responsible: the demand's own department and owner (manual), else the first route that
  // sets each, else the policy's default ("" when it names none).
  Attribute department, owner;
  std::vector<TargetResult> targets;
};

// The evaluation as JSON (README "Result JSON"): deterministic, the same input gives the same bytes.
CRM_API std::string to_json(const Evaluation& evaluation);

// Immutable once loaded, cheap to copy, safe to share between threads.
class CRM_CXX_API Policy {
 public:
  // Parses and validates a policy document; errors name the JSON path and the value.
  static Result<Policy> from_json(std::string_view json);

  const std::string& name() const noexcept;
  const std::string& version() const noexcept;
  // "en" or "zh-CN": the language of the policy's words, and of its reports unless they ask otherwise.
  const std::string& locale() const noexcept;
  // Load-time warnings: rules that can never fire because an earlier, broader one sets the same
  // attribute. Each names both rules.
  const std::vector<std::string>& warnings() const noexcept;
  // The calendar of that name, or nullptr. Valid as long as any copy of this policy lives.
  const Calendar* calendar(std::string_view name) const noexcept;
  std::vector<std::string> calendar_names() const;
  const std::string& default_calendar() const noexcept;

  // Pure and deterministic. Fails only when a due time would fall outside the calendar's range.
  Result<Evaluation> evaluate(const Demand& demand, bool explain = false) const;

 private:
  friend struct detail::PolicyAccess;
  explicit Policy(std::shared_ptr<const detail::PolicyImpl> impl);
  std::shared_ptr<const detail::PolicyImpl> impl_;
};

}  // namespace crm
