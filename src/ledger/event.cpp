// SPDX-License-Identifier: Apache-2.0
// Event JSON -> Event and back. Strict: every key is checked against the event's type.
#include "ledger/event.hpp"

#include <cmath>
#include <cstring>

#include "core/json_sax.hpp"
#include "policy/fields.hpp"

namespace crm::detail {

namespace {

using nlohmann::json;

constexpr const char* kNames[kEventTypeCount] = {
    "received", "acknowledged", "assessed", "plan_sent", "started", "paused", "resumed", "resolved",
    "feedback", "closed", "reopened", "reassigned", "reclassified", "note", "merged_into", "calendar_updated",
    "progress",
};

// Keys each type accepts beyond type, at, actor, comment and demand.
const char* type_keys(EventType type) {
  switch (type) {
    case EventType::assessed: return "technical, economic, time, value";
    case EventType::paused: return "reason";
    case EventType::closed: return "reason";
    case EventType::reopened: return "reason";
    case EventType::feedback: return "satisfaction";
    case EventType::reassigned: return "owner, department";
    case EventType::reclassified: return "urgency, category, nature, policy_version, reason";
    case EventType::merged_into: return "into";
    case EventType::calendar_updated: return "from, to, targets";
    default: return "";
  }
}

bool type_accepts(EventType type, std::string_view key) {
  const std::string_view keys = type_keys(type);
  size_t pos = 0;
  while (pos < keys.size()) {
    size_t end = keys.find(", ", pos);
    if (end == std::string_view::npos) end = keys.size();
    if (keys.substr(pos, end - pos) == key) return true;
    pos = end + 2;
  }
  return false;
}

// An identifier (actor, demand, owner, ...), or with max_bytes a free text such as a reason.
Status read_string(const json& root, const char* key, std::string& out, bool required, size_t max_bytes = kMaxIdBytes) {
  const auto it = root.find(key);
  if (it == root.end()) return required ? json_error(std::string("/") + key, "missing", root) : Status();
  if (!it->is_string() || it->get_ref<const std::string&>().empty())
    return json_error(std::string("/") + key, "expected a non-empty string", *it);
  if (Status s = check_string_value(*it, std::string("/") + key, max_bytes, max_bytes == kMaxIdBytes); !s.ok()) return s;
  out = it->get<std::string>();
  return {};
}

Status read_feasibility(const json& root, const char* key, int8_t& out) {
  const auto it = root.find(key);
  if (it == root.end()) return {};
  if (!it->is_boolean()) return json_error(std::string("/") + key, "expected true (feasible) or false", *it);
  out = it->get<bool>() ? 1 : 0;
  return {};
}

Status read_enum(const json& root, const char* key, Field field, std::string& out) {
  if (Status s = read_string(root, key, out, false); !s.ok()) return s;
  if (!out.empty() && !is_enum_value(field, out))
    return json_error(std::string("/") + key, "unknown " + std::string(key) + " (expected " + enum_list(field) + ")", root.at(key));
  return {};
}

// calendar_updated's payload, which only the library writes (event_payload_json).
Status read_planned(const json& root, Event& e) {
  if (Status s = read_string(root, "from", e.data_from, true); !s.ok()) return s;
  if (Status s = read_string(root, "to", e.data_to, true); !s.ok()) return s;
  const auto targets = root.find("targets");
  if (targets == root.end() || !targets->is_array()) return json_error("/targets", "expected an array", root);
  for (const json& t : *targets) {
    if (!t.is_object() || !t.contains("name") || !t["name"].is_string()) return json_error("/targets", "expected planned targets", t);
    PlannedTarget p;
    p.name = t["name"].get<std::string>();
    for (auto [key, out] : {std::pair{"start", &p.start}, {"due_at", &p.due}, {"warn_at", &p.warn}}) {
      if (!t.contains(key) || !t[key].is_number_integer()) return json_error(std::string("/targets/") + key, "expected epoch seconds", t);
      *out = t[key].get<int64_t>();
    }
    p.decided = t.value("decided", false);
    e.planned.push_back(std::move(p));
  }
  return {};
}

// The type-specific fields of e.type.
Status read_fields(const json& root, Event& e) {
  switch (e.type) {
    case EventType::assessed: {
      for (auto [key, out] : {std::pair{"technical", &e.technical}, {"economic", &e.economic}, {"time", &e.time}})
        if (Status s = read_feasibility(root, key, *out); !s.ok()) return s;
      if (const auto v = root.find("value"); v != root.end()) {
        if (!v->is_number() || !(v->get<double>() >= 0 && v->get<double>() <= 10))
          return json_error("/value", "expected a value score from 0 to 10", *v);
        e.value = v->get<double>();
      }
      if (e.technical < 0 && e.economic < 0 && e.time < 0 && e.value < 0)
        return json_error("", "an assessment gives at least one of technical, economic, time or value", root);
      return {};
    }
    case EventType::paused: return read_string(root, "reason", e.reason, true, kMaxShortTextBytes);
    case EventType::closed:
    case EventType::reopened: return read_string(root, "reason", e.reason, false, kMaxShortTextBytes);
    case EventType::feedback: {
      const auto it = root.find("satisfaction");
      if (it == root.end()) return json_error("/satisfaction", "missing: a score from 1 to 5 is required", root);
      if (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > 5)
        return json_error("/satisfaction", "expected a whole score from 1 to 5", *it);
      e.satisfaction = it->get<int>();
      return {};
    }
    case EventType::reassigned:
      if (Status s = read_string(root, "owner", e.owner, false); !s.ok()) return s;
      if (Status s = read_string(root, "department", e.department, false); !s.ok()) return s;
      if (e.owner.empty() && e.department.empty()) return json_error("", "a reassignment names an owner, a department or both", root);
      return {};
    case EventType::reclassified:
      if (Status s = read_enum(root, "urgency", Field::urgency, e.urgency); !s.ok()) return s;
      if (Status s = read_enum(root, "category", Field::category, e.category); !s.ok()) return s;
      if (Status s = read_enum(root, "nature", Field::nature, e.nature); !s.ok()) return s;
      if (Status s = read_string(root, "policy_version", e.policy_version, false); !s.ok()) return s;
      if (e.urgency.empty() && e.category.empty() && e.nature.empty() && e.policy_version.empty())
        return json_error("", "a reclassification sets urgency, category, nature or policy_version", root);
      return read_string(root, "reason", e.reason, true, kMaxShortTextBytes);
    case EventType::merged_into: return read_string(root, "into", e.into, true);
    case EventType::calendar_updated: return read_planned(root, e);
    default: return {};
  }
}

}  // namespace

const char* event_type_name(EventType type) { return kNames[static_cast<int>(type)]; }

std::optional<EventType> parse_event_type(std::string_view name) {
  for (int i = 0; i < kEventTypeCount; ++i)
    if (name == kNames[i]) return static_cast<EventType>(i);
  return std::nullopt;
}

namespace {

// nlohmann's SAX events for the commonest events, straight into the struct: types without fields
// of their own (acknowledged, plan_sent, started, resumed, resolved, note, and closed or reopened
// without a reason) and the keys every event may have. Anything else stops the parse with false,
// and the caller takes the DOM path, whose answer (an error, or a richer event) is the one given.
class EventReader {
 public:
  Event event;

  bool complete() const {
    const uint32_t required = bit(Key::type) | bit(Key::at) | bit(Key::actor);
    return done_ && (seen_ & required) == required;
  }

  bool null() { return false; }
  bool boolean(bool /*value*/) { return false; }
  bool number_integer(int64_t value) {
    if (!in_object_ || key_ != Key::at) return false;
    event.at = value;
    return true;
  }
  bool number_unsigned(uint64_t value) {
    return value <= static_cast<uint64_t>(INT64_MAX) && number_integer(static_cast<int64_t>(value));
  }
  bool number_float(double /*value*/, const std::string& /*text*/) { return false; }
  bool string(std::string& value) {
    if (!in_object_) return false;
    switch (key_) {
      case Key::type: {
        const auto type = parse_event_type(value);
        if (!type) return false;
        switch (*type) {
          case EventType::acknowledged: case EventType::plan_sent: case EventType::started:
          case EventType::resumed: case EventType::resolved: case EventType::note:
          case EventType::closed: case EventType::reopened: case EventType::progress:
            event.type = *type;
            return true;
          default: return false;
        }
      }
      case Key::comment:
        if (value.size() > kMaxCommentBytes) return false;
        event.comment = std::move(value);
        return true;
      case Key::actor: return identifier(value, event.actor);
      case Key::demand: return identifier(value, event.demand);
      case Key::id: return identifier(value, event.id);
      default: return false;
    }
  }
  bool binary(nlohmann::json::binary_t& /*value*/) { return false; }
  bool start_object(std::size_t /*size*/) {
    if (in_object_ || done_) return false;
    return in_object_ = true;
  }
  bool end_object() {
    in_object_ = false;
    return done_ = true;
  }
  bool start_array(std::size_t /*size*/) { return false; }
  bool end_array() { return false; }
  bool key(std::string& name) {
    static constexpr std::string_view kKeys[] = {"type", "at", "actor", "comment", "demand", "id"};
    for (size_t i = 0; i < std::size(kKeys); ++i)
      if (name == kKeys[i]) {
        key_ = static_cast<Key>(i);
        if (seen_ & bit(key_)) return false;
        seen_ |= bit(key_);
        return true;
      }
    return false;
  }
  bool parse_error(std::size_t /*position*/, const std::string& /*token*/, const nlohmann::detail::exception& /*e*/) {
    return false;
  }

 private:
  enum class Key : uint8_t { type, at, actor, comment, demand, id };
  static uint32_t bit(Key k) { return uint32_t{1} << static_cast<unsigned>(k); }
  // A non-empty identifier (at most kMaxIdBytes, no control characters).
  static bool identifier(std::string& value, std::string& out) {
    if (value.empty() || value.size() > kMaxIdBytes || has_control_characters(value)) return false;
    out = std::move(value);
    return true;
  }

  bool in_object_ = false, done_ = false;
  Key key_ = Key::type;
  uint32_t seen_ = 0;
};

}  // namespace

std::optional<Event> read_event_directly(std::string_view text) {
  if (text.size() > kMaxDocumentBytes) return std::nullopt;
  auto reader = sax_read(text, [] { return EventReader(); });
  if (!reader || !reader->complete()) return std::nullopt;
  return std::move(reader->event);
}

Result<Event> event_from_json(std::string_view text) {
  if (auto event = read_event_directly(text)) return std::move(*event);
  auto parsed = parse_json_strict(text, "event JSON");
  if (!parsed.ok()) return std::move(parsed).status();
  return event_from_json(*parsed);
}

Result<Event> event_from_json(const json& root) {
  if (!root.is_object()) return json_error("", "an event is a JSON object with type, at and actor", root);
  Event e;
  const auto type = root.find("type");
  if (type == root.end()) return json_error("/type", "missing", root);
  const auto parsed_type = type->is_string() ? parse_event_type(type->get_ref<const std::string&>()) : std::nullopt;
  if (!parsed_type || *parsed_type == EventType::received || *parsed_type == EventType::calendar_updated)
    return json_error("/type",
                      "unknown event type (expected acknowledged, assessed, plan_sent, started, paused, resumed, "
                      "resolved, feedback, closed, reopened, reassigned, reclassified, note, merged_into or progress; received "
                      "is recorded with the demand, calendar_updated by the library)",
                      *type);
  e.type = *parsed_type;
  for (const auto& [key, value] : root.items()) {
    if (key == "type" || key == "at" || key == "actor" || key == "comment" || key == "demand" || key == "id" ||
        type_accepts(e.type, key))
      continue;
    const std::string extra = type_keys(e.type);
    return json_error("/" + json_pointer_token(key),
                      "unknown key for a " + std::string(kNames[static_cast<int>(e.type)]) +
                          " event (expected type, at, actor, comment, demand, id" + (extra.empty() ? "" : ", " + extra) + ")",
                      value);
  }
  const auto at = root.find("at");
  if (at == root.end()) return json_error("/at", "missing: UTC epoch seconds are required", root);
  if (!at->is_number_integer()) return json_error("/at", "expected whole UTC epoch seconds", *at);
  if (at->is_number_unsigned() && at->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
    return json_error("/at", "out of range (UTC epoch seconds fit in 64 signed bits)", *at);
  e.at = at->get<int64_t>();
  if (Status s = read_string(root, "actor", e.actor, true); !s.ok()) return s;
  if (const auto c = root.find("comment"); c != root.end()) {
    if (!c->is_string()) return json_error("/comment", "expected a string", *c);
    if (Status s = check_string_value(*c, "/comment", kMaxCommentBytes, false); !s.ok()) return s;
    e.comment = c->get<std::string>();
  }
  if (Status s = read_string(root, "demand", e.demand, false); !s.ok()) return s;
  if (Status s = read_string(root, "id", e.id, false); !s.ok()) return s;
  if (Status s = read_fields(root, e); !s.ok()) return s;
  return e;
}

Result<Event> event_from_record(const EventRecord& r) {
  const std::pair<const char*, const std::string*> texts[] = {
      {"/demand", &r.demand}, {"/type", &r.type}, {"/actor", &r.actor}, {"/id", &r.id}, {"/comment", &r.comment},
      {"/reason", &r.reason}, {"/owner", &r.owner}, {"/department", &r.department}, {"/urgency", &r.urgency},
      {"/category", &r.category}, {"/nature", &r.nature}, {"/policy_version", &r.policy_version}, {"/into", &r.into}};
  for (const auto& [path, text] : texts)
    if (!is_valid_utf8(*text)) return Status::invalid_argument(std::string(path) + ": not valid UTF-8");
  const auto type = parse_event_type(r.type);
  const bool own_fields = !r.reason.empty() || r.satisfaction != 0 || !r.owner.empty() || !r.department.empty() ||
                          !r.urgency.empty() || !r.category.empty() || !r.nature.empty() || !r.policy_version.empty() ||
                          !r.into.empty();
  const auto identifier = [](const std::string& v) {
    return !v.empty() && v.size() <= kMaxIdBytes && !has_control_characters(v);
  };
  const bool plain = type && !own_fields && type_keys(*type)[0] == '\0' && *type != EventType::received &&
                     (r.demand.empty() || identifier(r.demand)) && identifier(r.actor) && (r.id.empty() || identifier(r.id)) &&
                     r.comment.size() <= kMaxCommentBytes;
  if (plain) {
    Event e;
    e.type = *type, e.at = r.at, e.actor = r.actor, e.id = r.id, e.comment = r.comment, e.demand = r.demand;
    return e;
  }
  std::string text;
  JsonWriter w(text);
  const auto field = [&](const char* key, const std::string& value) {
    if (!value.empty()) w.key(key).value(value);
  };
  w.begin_object().key("type").value(r.type);
  field("demand", r.demand);
  w.key("at").value(r.at).key("actor").value(r.actor);
  field("id", r.id), field("comment", r.comment), field("reason", r.reason);
  if (r.satisfaction != 0) w.key("satisfaction").value(int64_t{r.satisfaction});
  field("owner", r.owner), field("department", r.department), field("urgency", r.urgency);
  field("category", r.category), field("nature", r.nature), field("policy_version", r.policy_version);
  field("into", r.into);
  w.end_object();
  auto parsed = parse_json_strict(text, "event record");
  if (!parsed.ok()) return std::move(parsed).status();
  return event_from_json(*parsed);
}

void write_event_fields(JsonWriter& w, const Event& e) {
  if (!e.comment.empty()) w.key("comment").value(e.comment);
  if (!e.reason.empty()) w.key("reason").value(e.reason);
  if (e.technical >= 0) w.key("technical").boolean(e.technical == 1);
  if (e.economic >= 0) w.key("economic").boolean(e.economic == 1);
  if (e.time >= 0) w.key("time").boolean(e.time == 1);
  if (e.value >= 0) w.key("value").number(e.value);
  if (e.satisfaction > 0) w.key("satisfaction").value(int64_t{e.satisfaction});
  if (!e.owner.empty()) w.key("owner").value(e.owner);
  if (!e.department.empty()) w.key("department").value(e.department);
  if (!e.urgency.empty()) w.key("urgency").value(e.urgency);
  if (!e.category.empty()) w.key("category").value(e.category);
  if (!e.nature.empty()) w.key("nature").value(e.nature);
  if (!e.policy_version.empty()) w.key("policy_version").value(e.policy_version);
  if (!e.into.empty()) w.key("into").value(e.into);
  if (e.type == EventType::calendar_updated) {
    w.key("from").value(e.data_from).key("to").value(e.data_to).key("targets").begin_array();
    for (const PlannedTarget& p : e.planned)
      w.begin_object().key("name").value(p.name).key("start").value(p.start).key("due_at").value(p.due)
          .key("warn_at").value(p.warn).key("decided").boolean(p.decided).end_object();
    w.end_array();
  }
}

std::string event_payload_json(const Event& e) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  write_event_fields(w, e);
  w.end_object();
  return out;
}

Status read_event_payload(std::string_view payload, Event& e) {
  auto parsed = parse_json_strict(payload, "stored event payload");
  if (!parsed.ok()) return std::move(parsed).status();
  if (!parsed->is_object()) return Status::internal("stored event payload is not an object");
  if (const auto c = parsed->find("comment"); c != parsed->end() && c->is_string()) e.comment = c->get<std::string>();
  return read_fields(*parsed, e);
}

}  // namespace crm::detail
