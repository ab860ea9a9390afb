#include "core/json_util.hpp"

#include <algorithm>
#include <vector>

namespace crm::detail {

Result<nlohmann::json> parse_json_strict(std::string_view text, std::string_view what) {
  // The keys of every open object, flat, with where each object's keys begin: no allocation per
  // object, and short keys stay in the strings' inline buffers.
  std::vector<std::string> keys;
  std::vector<size_t> object_starts;
  std::string duplicate;
  const nlohmann::json::parser_callback_t reject_duplicates =
      [&](int /*depth*/, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        using E = nlohmann::json::parse_event_t;
        if (event == E::object_start) {
          object_starts.push_back(keys.size());
        } else if (event == E::object_end && !object_starts.empty()) {
          keys.resize(object_starts.back());
          object_starts.pop_back();
        } else if (event == E::key && !object_starts.empty()) {
          const auto& key = parsed.get_ref<const std::string&>();
          const auto first = keys.begin() + static_cast<std::ptrdiff_t>(object_starts.back());
          if (std::find(first, keys.end(), key) != keys.end()) {
            if (duplicate.empty()) duplicate = key;
          } else {
            keys.push_back(key);
          }
        }
        return true;
      };
  try {
    nlohmann::json value = nlohmann::json::parse(text.begin(), text.end(), reject_duplicates);
    if (!duplicate.empty())
      return Status::invalid_argument(std::string(what) + ": duplicate key \"" + duplicate + "\"");
    return value;
  } catch (const nlohmann::json::exception& e) {
    return Status::invalid_argument(std::string(what) + ": malformed JSON: " + e.what());
  }
}

std::string json_excerpt(const nlohmann::json& value) {
  std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() > 60) text = text.substr(0, 57) + "...";
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

Result<std::string> required_string(const nlohmann::json& object, const std::string& path, const char* key) {
  const auto it = object.find(key);
  if (it == object.end()) return json_error(path + "/" + key, "missing", object);
  if (!it->is_string() || it->get_ref<const std::string&>().empty())
    return json_error(path + "/" + key, "expected a non-empty string", *it);
  return it->get<std::string>();
}

}  // namespace crm::detail
