// SPDX-License-Identifier: Apache-2.0
// Fuzzes event JSON and the ledger behind it: each input line is appended as an event to a fresh
// demand; whatever is refused must be refused with a message, whatever is accepted must replay
// into a view at every instant the events name, and the derived rows must still answer. An event
// a typed record can hold reads the same from the record.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "crmpolicy/database.hpp"
#include "ledger/event.hpp"

namespace {
crm::Database& ledger() {
  static crm::Database* db = [] {
    auto opened = crm::Database::open(":memory:");
    std::ifstream in(CRMPOLICY_DATA_DIR "/policies/demand-management.json");
    std::stringstream text;
    text << in.rdbuf();
    if (!opened.ok() || !opened->put_policy(text.str()).ok()) __builtin_trap();
    return new crm::Database(std::move(*opened));
  }();
  return *db;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static int64_t counter = 0;
  const std::string id = "F-" + std::to_string(++counter);
  const int64_t received = 1740967200;  // Mon 2025-03-03 10:00+08
  crm::Database& db = ledger();
  if (!db.record_demand(R"({"id":")" + id + R"(","received_at":1740967200,"title":"设备故障 outage","channel":"phone"})").ok())
    __builtin_trap();
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  while (!rest.empty()) {
    const size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    auto parsed = crm::detail::event_from_json(line);
    // The direct reader reads only what the DOM one reads, and reads it the same.
    if (const auto direct = crm::detail::read_event_directly(line)) {
      auto dom_root = crm::detail::parse_json_strict(line, "event JSON");
      if (!dom_root.ok()) __builtin_trap();
      auto dom = crm::detail::event_from_json(*dom_root);
      if (!dom.ok() || dom->type != direct->type || dom->at != direct->at || dom->actor != direct->actor ||
          dom->demand != direct->demand || dom->id != direct->id ||
          crm::detail::event_payload_json(*dom) != crm::detail::event_payload_json(*direct))
        __builtin_trap();
    }
    // An event a typed record can hold is read from the record as from its JSON.
    if (parsed.ok() && parsed->type != crm::detail::EventType::assessed) {
      const crm::detail::Event& e = *parsed;
      crm::EventRecord r;
      r.demand = e.demand, r.type = crm::detail::event_type_name(e.type), r.at = e.at, r.actor = e.actor, r.id = e.id;
      r.comment = e.comment, r.reason = e.reason, r.satisfaction = e.satisfaction, r.owner = e.owner;
      r.department = e.department, r.urgency = e.urgency, r.category = e.category, r.nature = e.nature;
      r.policy_version = e.policy_version, r.into = e.into;
      auto typed = crm::detail::event_from_record(r);
      if (!typed.ok() || typed->type != e.type || typed->at != e.at || typed->actor != e.actor ||
          typed->demand != e.demand || typed->id != e.id ||
          crm::detail::event_payload_json(*typed) != crm::detail::event_payload_json(e))
        __builtin_trap();
    }
    const crm::Status s = db.append_event(id, line);
    if (!parsed.ok() && s.code() != crm::StatusCode::invalid_argument) __builtin_trap();
    if (!s.ok()) {
      if (s.message().empty() || s.code() == crm::StatusCode::internal) __builtin_trap();
      continue;
    }
    for (const int64_t at : {parsed->at, received, received + 86400 * 40}) {
      if (at < received) continue;
      auto view = db.demand(id, at);
      if (!view.ok() && view.status().code() != crm::StatusCode::out_of_range) __builtin_trap();
    }
  }
  auto wake = db.next_wakeup(received);
  if (!wake.ok() && wake.status().code() != crm::StatusCode::not_found) __builtin_trap();
  return 0;
}
