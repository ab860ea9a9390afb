// SPDX-License-Identifier: Apache-2.0
// A SAX handler that writes down every event it is given, and answers false at a chosen event:
// the fast SAX driver (core/json_sax.hpp) is checked against nlohmann's by comparing the two logs.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "core/json_sax.hpp"

namespace crm::test {

class SaxRecorder {
 public:
  explicit SaxRecorder(int refuse_at = -1) : refuse_at_(refuse_at) {}
  std::string log;

  bool null() { return note("null"); }
  bool boolean(bool v) { return note(v ? "true" : "false"); }
  bool number_integer(int64_t v) { return note("int " + std::to_string(v)); }
  bool number_unsigned(uint64_t v) { return note("uint " + std::to_string(v)); }
  bool number_float(double v, const std::string& text) { return note("float " + std::to_string(v) + " " + text); }
  bool string(std::string& v) { return note("string " + std::to_string(v.size()) + ":" + v); }
  bool binary(nlohmann::json::binary_t& /*v*/) { return note("binary"); }
  bool start_object(std::size_t size) { return note("{ " + std::to_string(size)); }
  bool end_object() { return note("}"); }
  bool start_array(std::size_t size) { return note("[ " + std::to_string(size)); }
  bool end_array() { return note("]"); }
  bool key(std::string& k) { return note("key " + std::to_string(k.size()) + ":" + k); }
  bool parse_error(std::size_t /*position*/, const std::string& /*token*/, const nlohmann::detail::exception& /*e*/) {
    return note("error");
  }

 private:
  bool note(const std::string& what) {
    log += what;
    log += '\n';
    return events_++ != refuse_at_;
  }
  int refuse_at_;
  int events_ = 0;
};

// What the fast driver and nlohmann disagree on for `text` (the handler refusing its
// `refuse_at`th event), or "" when they agree: wherever the fast driver answers, its answer
// and the events it gave are nlohmann's.
inline std::string sax_disagreement(std::string_view text, int refuse_at) {
  SaxRecorder fast(refuse_at), slow(refuse_at);
  const detail::SaxOutcome outcome = detail::fast_sax_parse(text, fast);
  if (outcome == detail::SaxOutcome::unsupported) return "";
  bool slow_result = false;
  try {
    slow_result = nlohmann::json::sax_parse(text.begin(), text.end(), &slow);
  } catch (const nlohmann::json::exception& e) {
    return std::string("nlohmann threw ") + e.what() + " where the fast driver answered";
  }
  if ((outcome == detail::SaxOutcome::accepted) != slow_result)
    return std::string("fast driver ") + (slow_result ? "refused" : "accepted") + ", nlohmann did not";
  if (outcome == detail::SaxOutcome::accepted && fast.log != slow.log)
    return "events differ:\nfast:\n" + fast.log + "nlohmann:\n" + slow.log;
  return "";
}

}  // namespace crm::test
