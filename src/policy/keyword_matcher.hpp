// SPDX-License-Identifier: Apache-2.0
// Aho–Corasick keyword search: one pass over a text finds every keyword of the policy, however
// many there are. Matching is on UTF-8 bytes (so 停机 matches 设备停机了) with ASCII letters
// folded to lower case.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace crm::detail {

class KeywordMatcher {
 public:
  // Adds a keyword (before build) and returns its id; equal keywords share an id.
  uint32_t add(std::string_view keyword);
  void build();
  size_t size() const { return keywords_.size(); }

  // Sets bit `id` of `hits` (size >= (size()+63)/64 words) for every keyword found in text.
  void scan(std::string_view text, uint64_t* hits) const;

 private:
  struct Node {
    std::vector<std::pair<uint8_t, uint32_t>> next;  // sorted by byte
    uint32_t fail = 0;
    uint32_t out_begin = 0, out_end = 0;  // into outputs_: keywords ending here, suffixes included
  };
  uint32_t child(uint32_t node, uint8_t byte) const;

  std::vector<std::string> keywords_;
  std::unordered_map<std::string, uint32_t> ids_;  // folded keyword -> id: equal keywords found by hash
  std::vector<Node> nodes_{Node{}};
  std::vector<uint32_t> own_;  // per node: keyword id ending exactly here, or UINT32_MAX
  std::vector<uint32_t> outputs_;
  std::vector<uint32_t> root_next_;  // 256 entries: transitions of the root, resolved
};

}  // namespace crm::detail
