// SPDX-License-Identifier: Apache-2.0
// A minimal streaming JSON writer for the library's own outputs: one growing string, keys in the
// order written, no intermediate tree. Strings are escaped per RFC 8259 and invalid UTF-8 is
// replaced by U+FFFD, so the output is valid JSON whatever a C++ caller put in a field.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace crm::detail {

// Whether `s` is well-formed UTF-8 (what the JSON reader accepts in a string).
bool is_valid_utf8(std::string_view s);

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }
  JsonWriter& key(std::string_view k);
  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(int64_t n);
  JsonWriter& boolean(bool b);
  JsonWriter& number(double d);  // shortest text that reads back as the same double
  JsonWriter& null();
  JsonWriter& raw(std::string_view json);  // an already serialised JSON value

 private:
  JsonWriter& open(char c);
  JsonWriter& close(char c);
  void separate();
  void quoted(std::string_view s);

  std::string& out_;
  bool first_ = true;      // no element yet in the current container
  bool after_key_ = false;  // a key was written; its value comes next
};

}  // namespace crm::detail
