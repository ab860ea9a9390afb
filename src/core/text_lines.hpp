// SPDX-License-Identifier: Apache-2.0
// Line-by-line reading of the text data formats (data/calendars/*.txt).
#pragma once

#include <string_view>

namespace crm::detail {

// The next line of `text` without its "\n" or "\r\n", removed from `text`.
inline std::string_view take_line(std::string_view& text) {
  const size_t nl = text.find('\n');
  std::string_view line = text.substr(0, nl);
  text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace crm::detail
