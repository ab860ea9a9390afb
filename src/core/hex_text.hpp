// SPDX-License-Identifier: Apache-2.0
// Bytes as lowercase hex digits and back: cursors carry ids of any bytes as plain ASCII.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace crm::detail {

inline std::string to_hex(std::string_view bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    out += kDigits[static_cast<uint8_t>(c) >> 4];
    out += kDigits[static_cast<uint8_t>(c) & 15];
  }
  return out;
}

// Appends the bytes `hex` spells to `out`; false unless it is pairs of lowercase hex digits.
inline bool from_hex(std::string_view hex, std::string& out) {
  if (hex.size() % 2) return false;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int v = 0;
    for (const char c : hex.substr(i, 2)) {
      const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (d < 0) return false;
      v = v * 16 + d;
    }
    out += static_cast<char>(v);
  }
  return true;
}

}  // namespace crm::detail
