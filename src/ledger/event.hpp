// SPDX-License-Identifier: Apache-2.0
// A ledger event: one step in a demand's life (README "Event JSON").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_util.hpp"
#include "core/json_writer.hpp"
#include "crmpolicy/records.hpp"
#include "crmpolicy/status.hpp"

namespace crm::detail {

// Values are stored in the database: append only, never renumber.
enum class EventType : uint8_t {
  received = 0,
  acknowledged = 1,
  assessed = 2,
  plan_sent = 3,
  started = 4,
  paused = 5,
  resumed = 6,
  resolved = 7,
  feedback = 8,
  closed = 9,
  reopened = 10,
  reassigned = 11,
  reclassified = 12,
  note = 13,
  merged_into = 14,
  calendar_updated = 15,  // written by the library when newer calendar data is applied, never by a host
  progress = 16,          // the customer was told how the demand is going (及时反馈处理进度)
};
constexpr int kEventTypeCount = 17;

const char* event_type_name(EventType type);
std::optional<EventType> parse_event_type(std::string_view name);

// calendar_updated: a current target as it was planned on the earlier data.
struct PlannedTarget {
  std::string name;
  int64_t start = 0, due = 0, warn = 0;  // nominal (before paused time): what replay recomputes
  bool decided = false;                  // met, met late, breached or stopped by then: keeps this plan
};

// The payload fields of every event type; which ones an event may carry depends on its type.
struct Event {
  int32_t n = 0;  // position in recording order (1, 2, ...); 0 before it is stored
  std::string id;  // the sender's id ("" none): the same id again is a retry, other content under it a conflict
  EventType type = EventType::note;
  int64_t at = 0;
  std::string actor;
  std::string comment;  // any event: free text
  std::string reason;   // paused, closed, reclassified (required for those two), reopened
  // assessed: feasibility per aspect (-1 not assessed, 0 no, 1 yes) and a value score 0-10.
  int8_t technical = -1, economic = -1, time = -1;
  double value = -1;
  int satisfaction = 0;  // feedback: 1-5
  std::string owner, department;                           // reassigned
  std::string urgency, category, nature, policy_version;   // reclassified
  std::string into;                                        // merged_into: the surviving demand's id
  std::string demand;                                      // the demand's id, when the JSON names it
  std::string data_from, data_to;                          // calendar_updated: the data versions
  std::vector<PlannedTarget> planned;                      // calendar_updated
};

// Strict: unknown keys, keys not valid for the type and missing required fields are errors
// naming the field. `demand` is read from the "demand" key when present.
Result<Event> event_from_json(const nlohmann::json& root);
// The text read the direct way when it can (read_event_directly), else parsed and read as above.
Result<Event> event_from_json(std::string_view text);
// The commonest events (no fields of their own) read straight into the struct, without a DOM; nothing
// for any other text, whose reading (or error) the DOM path gives. The two agree on every input
// (a test and the fuzzer check).
std::optional<Event> read_event_directly(std::string_view text);

// A typed record (crm::EventRecord) as an Event (naming its demand when the record does): one of a type without fields of
// its own, and none given, is checked as read_event_directly checks its JSON; any other is
// written as its Event JSON and read by event_from_json, whose answer is the one given. Text that
// is not UTF-8 is refused naming the field.
Result<Event> event_from_record(const EventRecord& record);

// The comment and type-specific fields as members of an object the caller has opened.
void write_event_fields(JsonWriter& w, const Event& event);
// The same fields as a JSON object ("{}" when none): what the ledger stores as payload.
std::string event_payload_json(const Event& event);
// Restores the payload fields written by event_payload_json.
Status read_event_payload(std::string_view payload, Event& event);

}  // namespace crm::detail
