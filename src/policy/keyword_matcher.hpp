// SPDX-License-Identifier: Apache-2.0
// Aho–Corasick keyword search: one pass over a text finds every keyword of the policy, however
// many there are. Texts and keywords are compared folded (policy/text_fold.hpp: Traditional to
// Simplified, full-width to half-width) with ASCII letters in lower case. Chinese matches as a
// substring (停机 in 设备停机了); a keyword's Latin ends match at word boundaries only (down is
// not in download) unless the keyword is added as a substring.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "crmpolicy/status.hpp"

namespace crm::detail {

class TextFolder;

class KeywordMatcher {
 public:
  // Adds a keyword (before build) and returns its id; equal keywords (after folding, with the same
  // `substring` choice) share an id. CRM_EIO when the folding data cannot be loaded.
  Result<uint32_t> add(std::string_view keyword, bool substring = false);
  void build();
  size_t size() const { return keywords_.size(); }
  // The folded keyword, and whether its Latin ends must sit at word boundaries.
  const std::string& keyword(uint32_t id) const { return keywords_[id]; }
  bool bounded_left(uint32_t id) const { return bounds_[id] & 1; }
  bool bounded_right(uint32_t id) const { return bounds_[id] & 2; }
  // True when every text in which keyword `found` matches also matches keyword `id` (the one
  // contains the other where its boundaries allow): what dominated-rule warnings need.
  bool implies(uint32_t found, uint32_t id) const;

  // Sets bit `id` of `hits` (size >= (size()+63)/64 words) for every keyword found in text.
  void scan(std::string_view text, uint64_t* hits) const;

 private:
  struct Node {
    std::vector<std::pair<uint8_t, uint32_t>> next;  // sorted by byte
    uint32_t fail = 0;
    uint32_t out_begin = 0, out_end = 0;  // into outputs_: keywords ending here, suffixes included
  };
  uint32_t child(uint32_t node, uint8_t byte) const;
  void scan_folded(std::string_view text, uint64_t* hits) const;

  const TextFolder* folder_ = nullptr;
  std::vector<std::string> keywords_;
  std::vector<uint8_t> bounds_;  // bit 0: left end at a word boundary, bit 1: right end
  std::unordered_map<std::string, uint32_t> ids_;  // folded keyword -> id: equal keywords found by hash
  std::vector<Node> nodes_{Node{}};
  std::vector<uint32_t> own_;  // per node: keyword id ending exactly here, or UINT32_MAX
  std::vector<uint32_t> outputs_;
  std::vector<uint32_t> root_next_;  // 256 entries: transitions of the root, resolved
};

}  // namespace crm::detail
