// SPDX-License-Identifier: Apache-2.0
#include "core/json_util.hpp"

#include <vector>

namespace crm::detail {

namespace {

using nlohmann::json;

// Builds the DOM from nlohmann's SAX events (its parser is iterative) and stops at the first
// value past a limit, so nothing deep or oversized is ever built. Duplicate keys are found by the
// object's own map, in logarithmic time.
class BoundedDomBuilder {
 public:
  BoundedDomBuilder(json& root, const JsonLimits& limits) : root_(root), limits_(limits) {}

  bool null() { return value(nullptr) != nullptr; }
  bool boolean(bool v) { return value(v) != nullptr; }
  bool number_integer(json::number_integer_t v) { return value(v) != nullptr; }
  bool number_unsigned(json::number_unsigned_t v) { return value(v) != nullptr; }
  bool number_float(json::number_float_t v, const std::string& /*text*/) { return value(v) != nullptr; }
  bool string(std::string& v) {
    if (v.size() > limits_.max_string_bytes) return fail(path(frames_.size()), string_limit("string"));
    return value(std::move(v)) != nullptr;
  }
  bool binary(json::binary_t& /*v*/) { return fail(path(frames_.size()), "binary values are not JSON"); }
  bool start_object(std::size_t /*size*/) { return open(json::value_t::object); }
  bool start_array(std::size_t /*size*/) { return open(json::value_t::array); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool key(std::string& k) {
    Frame& top = frames_.back();
    const size_t parent = frames_.size() - 1;  // the object's own path, built only for an error
    if (k.size() > limits_.max_string_bytes) return fail(path(parent), string_limit("key"));
    if (++top.items > limits_.max_items) return fail(path(parent), item_limit("keys"));
    auto [it, inserted] = top.container->get_ref<json::object_t&>().emplace(std::move(k), nullptr);
    if (!inserted) return fail(path(parent), "duplicate key \"" + it->first + "\"");
    top.slot = &it->second;
    top.key = &it->first;
    return true;
  }
  bool parse_error(std::size_t /*position*/, const std::string& /*token*/, const nlohmann::detail::exception& e) {
    if (error_.empty()) error_ = std::string("malformed JSON: ") + e.what();
    return false;
  }

  const std::string& error() const { return error_; }

 private:
  struct Frame {
    json* container;
    size_t items = 0;
    json* slot = nullptr;              // objects: where the value of the last key goes
    const std::string* key = nullptr;  // objects: the last key, for paths
  };

  json* value(json v) {
    Frame* top = frames_.empty() ? nullptr : &frames_.back();
    const bool in_array = top && top->container->is_array();
    if (in_array && ++top->items > limits_.max_items) {
      fail(path(frames_.size() - 1), item_limit("elements"));
      return nullptr;
    }
    if (++values_ > limits_.max_values) {
      fail(path(frames_.size()), "more than " + std::to_string(limits_.max_values) + " values in the document");
      return nullptr;
    }
    if (!top) {
      root_ = std::move(v);
      return &root_;
    }
    if (!in_array) {
      *top->slot = std::move(v);
      return top->slot;
    }
    auto& array = top->container->get_ref<json::array_t&>();
    array.push_back(std::move(v));
    return &array.back();
  }

  bool open(json::value_t type) {
    if (frames_.size() >= limits_.max_depth)
      return fail(path(frames_.size()), "nesting deeper than " + std::to_string(limits_.max_depth) + " levels");
    json* container = value(json(type));
    if (!container) return false;
    frames_.push_back(Frame{container});
    return true;
  }

  bool close() {
    frames_.pop_back();
    return true;
  }

  // The JSON Pointer of the value being read inside the first `depth` open containers.
  std::string path(size_t depth) const {
    std::string out;
    for (size_t i = 0; i < depth; ++i) {
      const Frame& f = frames_[i];
      if (f.container->is_object()) out += "/" + (f.key ? json_pointer_token(*f.key) : std::string());
      else out += "/" + std::to_string(f.items == 0 ? 0 : f.items - 1);
    }
    return out.empty() ? "/" : out;
  }

  std::string string_limit(const char* what) const {
    return std::string(what) + " longer than " + std::to_string(limits_.max_string_bytes) + " bytes";
  }
  std::string item_limit(const char* what) const {
    return "more than " + std::to_string(limits_.max_items) + " " + what;
  }
  bool fail(const std::string& where, const std::string& why) {
    if (error_.empty()) error_ = where + ": " + why;
    return false;
  }

  json& root_;
  const JsonLimits& limits_;
  std::vector<Frame> frames_;
  size_t values_ = 0;
  std::string error_;
};

}  // namespace

Result<nlohmann::json> parse_json_strict(std::string_view text, std::string_view what, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes)
    return Status::invalid_argument(std::string(what) + ": " + std::to_string(text.size()) + " bytes, more than the " +
                                    std::to_string(limits.max_bytes) + " a document may have");
  nlohmann::json value;
  BoundedDomBuilder builder(value, limits);
  try {
    if (!nlohmann::json::sax_parse(text.begin(), text.end(), &builder))
      return Status::invalid_argument(std::string(what) + ": " + builder.error());
  } catch (const nlohmann::json::exception& e) {
    return Status::invalid_argument(std::string(what) + ": malformed JSON: " + e.what());
  }
  return value;
}

Result<nlohmann::json> parse_stored_json(std::string_view text, const std::string& what) {
  auto parsed = parse_json_strict(text, what);
  if (!parsed.ok()) return Status::io_error("the database holds a malformed " + parsed.status().message());
  return parsed;
}

namespace {

constexpr size_t kExcerptBytes = 60;

// The longest prefix of `s` of at most `bytes` bytes that ends on a UTF-8 character boundary.
std::string_view utf8_prefix(std::string_view s, size_t bytes) {
  if (s.size() <= bytes) return s;
  while (bytes > 0 && (static_cast<unsigned char>(s[bytes]) & 0xC0) == 0x80) --bytes;
  return s.substr(0, bytes);
}

void append_string(std::string_view s, std::string& out) {
  out += json(std::string(utf8_prefix(s, kExcerptBytes))).dump(-1, ' ', false, json::error_handler_t::replace);
}

// Writes at most about kExcerptBytes of `value`: a huge or wide value costs no more than a small one.
void append_excerpt(const json& value, std::string& out) {
  if (value.is_string()) return append_string(value.get_ref<const std::string&>(), out);
  if (!value.is_structured()) {
    out += value.dump();
    return;
  }
  const bool object = value.is_object();
  out += object ? '{' : '[';
  bool first = true;
  for (auto it = value.begin(); it != value.end() && out.size() <= kExcerptBytes; ++it, first = false) {
    if (!first) out += ',';
    if (object) {
      append_string(it.key(), out);
      out += ':';
    }
    append_excerpt(*it, out);
  }
  out += object ? '}' : ']';
}

}  // namespace

std::string json_excerpt(const nlohmann::json& value) {
  std::string text;
  append_excerpt(value, text);
  if (text.size() > kExcerptBytes) text = std::string(utf8_prefix(text, kExcerptBytes - 3)) + "...";
  return text;
}

Status json_error(const std::string& path, const std::string& why, const nlohmann::json& value) {
  return Status::invalid_argument((path.empty() ? "/" : path) + ": " + why + " (got " + json_excerpt(value) + ")");
}

std::string json_pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

Status unknown_keys(const nlohmann::json& object, const std::string& path, const std::set<std::string>& known,
                    const char* expected) {
  for (const auto& [key, value] : object.items())
    if (!known.count(key)) return json_error(path + "/" + json_pointer_token(key), std::string("unknown key (expected ") + expected + ")", value);
  return {};
}

bool has_control_characters(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return true;
  return false;
}

Status check_string_value(const nlohmann::json& value, const std::string& path, size_t max_bytes, bool identifier) {
  const std::string& s = value.get_ref<const std::string&>();
  if (s.size() > max_bytes) return json_error(path, "longer than " + std::to_string(max_bytes) + " bytes", value);
  if (identifier && has_control_characters(s)) return json_error(path, "control characters are not allowed", value);
  return {};
}

Result<std::string> required_string(const nlohmann::json& object, const std::string& path, const char* key,
                                    size_t max_bytes) {
  const auto it = object.find(key);
  if (it == object.end()) return json_error(path + "/" + key, "missing", object);
  if (!it->is_string() || it->get_ref<const std::string&>().empty())
    return json_error(path + "/" + key, "expected a non-empty string", *it);
  if (Status s = check_string_value(*it, path + "/" + key, max_bytes, true); !s.ok()) return s;
  return it->get<std::string>();
}

}  // namespace crm::detail
