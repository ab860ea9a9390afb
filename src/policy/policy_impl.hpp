// SPDX-License-Identifier: Apache-2.0
// The parsed, validated form of a policy document.
#pragma once

#include "calendar/base_calendars.hpp"

#include <optional>
#include <string>
#include <vector>

#include "crmpolicy/calendar.hpp"
#include "crmpolicy/policy.hpp"
#include <nlohmann/json_fwd.hpp>

#include "policy/access_rules.hpp"
#include "policy/condition.hpp"
#include "policy/customer_rules.hpp"
#include "policy/keyword_matcher.hpp"

namespace crm::detail {

struct Duration {
  enum class Kind : uint8_t { clock, working_time, working_days, calendar_days, next_working_day_at };
  Kind kind = Kind::clock;
  int64_t amount = 0;   // seconds (clock, working_time) or days
  int32_t cutoff = -1;  // local seconds after midnight, or -1
  int32_t at = 0;       // next_working_day_at: local seconds after midnight
  std::string text;     // the duration as written (canonical JSON)
};

struct Rule {
  std::string name;
  Condition when;
  std::string urgency, category, nature;  // empty: not set by this rule
  std::vector<std::pair<std::string, std::string>> labels;
};

// A routing rule: who is responsible for a demand it matches (README "Routing").
struct Route {
  std::string name;
  Condition when;
  std::string department, owner;  // empty: not set by this route
  // Assigns the customer's account owner (customer.owner) instead of a fixed one; a demand whose
  // customer has none is left to the routes after this one.
  bool owner_from_customer = false;
};

// What a reclassification does to a running target of the new class (README "SLA tracking").
enum class OnReclassify : uint8_t { recompute_from_received, restart, keep_elapsed };
// What reopening does to a target met by resolved, feedback or closed.
enum class OnReopen : uint8_t { restart, continue_elapsed };

// Whom an escalation step tells, as the host knows them.
struct Recipient {
  enum class Kind : uint8_t { owner, department_role, role, address };
  Kind kind = Kind::owner;
  std::string name;  // the role or the address; "" for the owner
};

// One escalation step of a target (README "Escalation steps"): at the target's warn or due instant,
// `after` that on the target's calendar, then `repeat` more times `every` apart, while the target
// is neither met nor ended. Unless `any_time`, an instant outside working time moves to the next
// working instant of the target's calendar (no midnight or holiday reminders).
struct EscalationStep {
  bool on_due = false;  // "on": "due"; else "warn"
  std::optional<Duration> after;
  std::optional<Duration> every;
  int32_t repeat = 0;
  bool any_time = false;
  std::vector<Recipient> notify;
};

struct Target {
  std::string name;
  Condition when;
  Duration within;
  size_t calendar = 0;  // index into PolicyImpl::calendars
  std::string met_by;
  std::vector<std::string> also_met_by;  // further events that meet it
  // Due again `within` after each time it is met, while the demand is open (progress updates);
  // resolving, closing or merging the demand stops the round that runs.
  bool recurring = false;
  double warn_at = 0.8;

  bool met_by_event(std::string_view type) const {
    if (met_by == type) return true;
    for (const std::string& e : also_met_by)
      if (e == type) return true;
    return false;
  }
  OnReclassify on_reclassify = OnReclassify::recompute_from_received;
  OnReopen on_reopen = OnReopen::restart;
  std::vector<EscalationStep> escalation;
};

struct Goal {
  std::string metric;
  double min = 0;
  std::string period;
  std::string target;  // optional target name (timeliness)
  Condition when;
  std::string description;
};

struct NamedCalendar {
  std::string name;
  Calendar calendar;
};

class PolicyImpl {
 public:
  std::string name, version, description;
  std::string locale = "en";  // the language of the policy's words and of its reports: en or zh-CN
  std::vector<NamedCalendar> calendars;
  size_t default_calendar = 0;
  std::vector<Rule> rules;
  std::string default_urgency, default_category, default_nature;
  std::vector<Route> routes;
  std::string default_department, default_owner;  // "" unless the policy's defaults name them
  std::vector<Target> targets;
  std::vector<Goal> goals;
  double duplicate_threshold = 0.5;  // n-gram similarity at or above which open demands are reported
  KeywordMatcher keywords;
  bool uses_text = false;
  bool uses_customer_key = false;  // some condition tests customer.key (resolved only then)
  CustomerRules customers;          // /customers, /prospects, /relationship
  AccessRules access;               // /access
  std::vector<std::string> warnings;
};

// With `base`, calendars that name a base are built on that data (a database's pinned data)
// instead of the current one.
Result<PolicyImpl> parse_policy_json(std::string_view text, std::shared_ptr<const BaseCalendar> base = nullptr);

// A duration object ({"working_days": 2}, {"hours": 24}, ...) at a JSON path.
Result<Duration> parse_duration(const nlohmann::json& value, const std::string& path);

struct PolicyAccess {
  static const PolicyImpl& impl(const Policy& policy) { return *policy.impl_; }
  static Policy make(std::shared_ptr<const PolicyImpl> impl) { return Policy(std::move(impl)); }
};

// Policy::from_json on the given base data (see parse_policy_json).
Result<Policy> policy_with_base(std::string_view text, std::shared_ptr<const BaseCalendar> base);

// Policy::evaluate, also telling which target definition produced each result.
Result<Evaluation> evaluate(const PolicyImpl& policy, const Demand& demand, bool explain,
                            std::vector<const Target*>* definitions);

// Bit g set when goal g's `when` holds for `demand` classified as `urgency`, `category` and
// `nature` (its current classification; labels: the demand's own).
uint64_t goals_applying(const PolicyImpl& policy, const Demand& demand, const std::string& urgency,
                        const std::string& category, const std::string& nature);

// Start, due, warn (and their offsets) of one target whose clock starts at `from`.
Status schedule_target(const Target& target, const Calendar& calendar, int64_t from, TargetResult& out);

// Whether a target's clock counts working time (else elapsed clock time).
inline bool counts_working_time(const Duration& d) {
  return d.kind != Duration::Kind::clock && d.kind != Duration::Kind::calendar_days;
}

// Due time (and where the clock starts) of a duration on a calendar.
Status compute_due(const Duration& d, const Calendar& calendar, int64_t received, int64_t& start, int64_t& due);

}  // namespace crm::detail
