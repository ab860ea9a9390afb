// SPDX-License-Identifier: Apache-2.0
// Aligned text tables for terminals: columns are measured in display cells, so Chinese text
// (two cells a character) lines up with ASCII.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace crmctl {

// Terminal cells taken by UTF-8 text: East Asian wide and fullwidth characters take two,
// combining marks none, everything else one.
size_t display_width(std::string_view utf8);

class Table {
 public:
  enum class Align { left, right };
  explicit Table(std::vector<std::string> headers, std::vector<Align> align = {});
  void add(std::vector<std::string> row);
  void print(std::ostream& out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<Align> align_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace crmctl
