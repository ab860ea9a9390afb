// SPDX-License-Identifier: Apache-2.0
// A fast driver of nlohmann's SAX interface for the plain JSON an import reads line by line:
// objects of strings without escapes, whole numbers, true, false and null. Those it reads itself,
// handing the handler exactly the events nlohmann::json::sax_parse would (the same calls, values
// and order); anything else (arrays, fractions, escapes, a byte-order mark, invalid JSON) it leaves
// to nlohmann: the caller starts again with a fresh handler. nlohmann's lexer builds every token
// character by character, which made it most of the cost of reading an NDJSON line.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/json_writer.hpp"

namespace crm::detail {

enum class SaxOutcome : uint8_t {
  accepted,     // the whole text read and every event answered true: sax_parse would return true
  refused,      // the handler answered false: sax_parse would return false
  unsupported,  // not read here (see above); the handler saw some events and is to be discarded
};

template <typename Handler>
class FastSax {
 public:
  FastSax(std::string_view text, Handler& handler) : p_(text.data()), end_(text.data() + text.size()), h_(handler) {}

  SaxOutcome run() {
    skip_space();
    const SaxOutcome value = read_value(0);
    if (value != SaxOutcome::accepted) return value;
    skip_space();
    return p_ == end_ ? SaxOutcome::accepted : SaxOutcome::unsupported;
  }

 private:
  static constexpr int kMaxDepth = 64;
  static SaxOutcome answer(bool handler_said) { return handler_said ? SaxOutcome::accepted : SaxOutcome::refused; }

  void skip_space() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }
  bool take(char c) {
    skip_space();
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }
  bool literal(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) return false;
    p_ += word.size();
    return true;
  }

  SaxOutcome read_value(int depth) {
    if (p_ == end_) return SaxOutcome::unsupported;
    switch (*p_) {
      case '{': return read_object(depth + 1);
      case '"':
        if (!read_string()) return SaxOutcome::unsupported;
        return answer(h_.string(text_));
      case 't': return literal("true") ? answer(h_.boolean(true)) : SaxOutcome::unsupported;
      case 'f': return literal("false") ? answer(h_.boolean(false)) : SaxOutcome::unsupported;
      case 'n': return literal("null") ? answer(h_.null()) : SaxOutcome::unsupported;
      default: return read_number();
    }
  }

  SaxOutcome read_object(int depth) {
    if (depth > kMaxDepth) return SaxOutcome::unsupported;
    ++p_;  // '{'
    if (!h_.start_object(std::numeric_limits<std::size_t>::max())) return SaxOutcome::refused;
    if (take('}')) return answer(h_.end_object());
    do {
      skip_space();
      if (p_ == end_ || *p_ != '"' || !read_string()) return SaxOutcome::unsupported;
      if (!take(':')) return SaxOutcome::unsupported;
      if (!h_.key(text_)) return SaxOutcome::refused;
      skip_space();
      if (const SaxOutcome value = read_value(depth); value != SaxOutcome::accepted) return value;
    } while (take(','));
    if (!take('}')) return SaxOutcome::unsupported;
    return answer(h_.end_object());
  }

  // A string without escapes or control characters, its bytes valid UTF-8, into text_.
  bool read_string() {
    const char* from = ++p_;  // past '"'
    bool ascii = true;
    for (; p_ != end_ && *p_ != '"'; ++p_) {
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '\\' || c < 0x20) return false;
      ascii = ascii && c < 0x80;
    }
    if (p_ == end_) return false;
    const std::string_view bytes(from, static_cast<size_t>(p_ - from));
    ++p_;  // '"'
    if (!ascii && !is_valid_utf8(bytes)) return false;
    text_.assign(bytes.data(), bytes.size());
    return true;
  }

  // A whole number as nlohmann reports it: negative ones as int64_t, the others as uint64_t;
  // fractions, exponents and whole numbers too large for those (nlohmann makes them doubles) are
  // unsupported.
  SaxOutcome read_number() {
    const bool negative = *p_ == '-';
    if (negative) ++p_;
    if (p_ == end_ || *p_ < '0' || *p_ > '9') return SaxOutcome::unsupported;
    if (*p_ == '0' && p_ + 1 != end_ && p_[1] >= '0' && p_[1] <= '9') return SaxOutcome::unsupported;
    uint64_t value = 0;
    for (; p_ != end_ && *p_ >= '0' && *p_ <= '9'; ++p_) {
      const auto digit = static_cast<uint64_t>(*p_ - '0');
      if (value > (std::numeric_limits<uint64_t>::max() - digit) / 10) return SaxOutcome::unsupported;
      value = value * 10 + digit;
    }
    if (p_ != end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E')) return SaxOutcome::unsupported;
    if (!negative) return answer(h_.number_unsigned(value));
    constexpr uint64_t kMostNegative = uint64_t{1} << 63;
    if (value > kMostNegative) return SaxOutcome::unsupported;
    const int64_t signed_value = value == kMostNegative ? std::numeric_limits<int64_t>::min() : -static_cast<int64_t>(value);
    return answer(h_.number_integer(signed_value));
  }

  const char* p_;
  const char* const end_;
  Handler& h_;
  std::string text_;  // the last string or key; the handler may move from it
};

template <typename Handler>
SaxOutcome fast_sax_parse(std::string_view text, Handler& handler) {
  return FastSax<Handler>(text, handler).run();
}

// Reads `text` into the handler make() returns: the fast way when it can, else with a fresh one
// through nlohmann::json::sax_parse (strict, as the DOM is parsed). The handler when it accepted
// the whole text; empty when it refused or the text is not JSON.
template <typename Make>
auto sax_read(std::string_view text, const Make& make) -> std::optional<decltype(make())> {
  std::optional<decltype(make())> handler;
  handler.emplace(make());
  switch (fast_sax_parse(text, *handler)) {
    case SaxOutcome::accepted: return handler;
    case SaxOutcome::refused: return std::nullopt;
    case SaxOutcome::unsupported: break;
  }
  handler.emplace(make());
  try {
    if (nlohmann::json::sax_parse(text.begin(), text.end(), &*handler)) return handler;
  } catch (const nlohmann::json::exception&) {
  }
  return std::nullopt;
}

}  // namespace crm::detail
