// SPDX-License-Identifier: Apache-2.0
#include "policy/keyword_matcher.hpp"

#include <algorithm>
#include <deque>

#include "policy/text_fold.hpp"

namespace crm::detail {

namespace {
constexpr uint32_t kNone = UINT32_MAX;
uint8_t fold(uint8_t c) { return c >= 'A' && c <= 'Z' ? static_cast<uint8_t>(c - 'A' + 'a') : c; }
bool word_char(uint8_t c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
}  // namespace

Result<uint32_t> KeywordMatcher::add(std::string_view keyword, bool substring) {
  if (!folder_) {
    auto folder = TextFolder::get();
    if (!folder.ok()) return std::move(folder).status();
    folder_ = *folder;
  }
  std::string folded;
  if (const unsigned what = folder_->changes(keyword)) folder_->fold(keyword, folded, what);
  else folded = std::string(keyword);
  for (char& c : folded) c = static_cast<char>(fold(static_cast<uint8_t>(c)));
  uint8_t bounds = 0;
  if (!substring && !folded.empty()) {
    if (word_char(static_cast<uint8_t>(folded.front()))) bounds |= 1;
    if (word_char(static_cast<uint8_t>(folded.back()))) bounds |= 2;
  }
  const auto [it, inserted] = ids_.emplace(folded + static_cast<char>(bounds), static_cast<uint32_t>(keywords_.size()));
  if (inserted) {
    keywords_.push_back(std::move(folded));
    bounds_.push_back(bounds);
  }
  return it->second;
}

bool KeywordMatcher::implies(uint32_t found, uint32_t id) const {
  const std::string &outer = keywords_[found], &inner = keywords_[id];
  for (size_t at = outer.find(inner); at != std::string::npos; at = outer.find(inner, at + 1)) {
    const size_t end = at + inner.size();
    // Inside the outer keyword the neighbour is known; at its ends the outer one's own boundary
    // (or its non-word end character) stands for it.
    const bool left = !bounded_left(id) || (at > 0 ? !word_char(static_cast<uint8_t>(outer[at - 1])) : bounded_left(found));
    const bool right =
        !bounded_right(id) || (end < outer.size() ? !word_char(static_cast<uint8_t>(outer[end])) : bounded_right(found));
    if (left && right) return true;
  }
  return false;
}

uint32_t KeywordMatcher::child(uint32_t node, uint8_t byte) const {
  const auto& next = nodes_[node].next;
  const auto it = std::lower_bound(next.begin(), next.end(), byte,
                                   [](const std::pair<uint8_t, uint32_t>& e, uint8_t b) { return e.first < b; });
  return it != next.end() && it->first == byte ? it->second : kNone;
}

void KeywordMatcher::build() {
  nodes_.assign(1, Node{});
  own_.assign(1, kNone);
  for (uint32_t id = 0; id < keywords_.size(); ++id) {
    uint32_t node = 0;
    for (char ch : keywords_[id]) {
      const auto byte = static_cast<uint8_t>(ch);
      uint32_t next = child(node, byte);
      if (next == kNone) {
        next = static_cast<uint32_t>(nodes_.size());
        nodes_.emplace_back();
        own_.push_back(kNone);
        auto& edges = nodes_[node].next;
        edges.insert(std::upper_bound(edges.begin(), edges.end(), std::make_pair(byte, uint32_t{0})),
                     {byte, next});
      }
      node = next;
    }
    own_[node] = id;
  }
  // Breadth-first: failure links, and each node's outputs = its own keyword + its failure's outputs.
  root_next_.assign(256, 0);
  for (const auto& [byte, next] : nodes_[0].next) root_next_[byte] = next;
  std::vector<std::vector<uint32_t>> out(nodes_.size());
  std::deque<uint32_t> queue;
  for (const auto& [byte, next] : nodes_[0].next) {
    nodes_[next].fail = 0;
    queue.push_back(next);
  }
  if (own_[0] != kNone) out[0].push_back(own_[0]);
  while (!queue.empty()) {
    const uint32_t node = queue.front();
    queue.pop_front();
    if (own_[node] != kNone) out[node].push_back(own_[node]);
    const auto& inherited = out[nodes_[node].fail];
    out[node].insert(out[node].end(), inherited.begin(), inherited.end());
    for (const auto& [byte, next] : nodes_[node].next) {
      uint32_t f = nodes_[node].fail;
      while (f != 0 && child(f, byte) == kNone) f = nodes_[f].fail;
      const uint32_t target = child(f, byte);
      nodes_[next].fail = (target != kNone && target != next) ? target : 0;
      queue.push_back(next);
    }
  }
  outputs_.clear();
  for (uint32_t n = 0; n < nodes_.size(); ++n) {
    nodes_[n].out_begin = static_cast<uint32_t>(outputs_.size());
    outputs_.insert(outputs_.end(), out[n].begin(), out[n].end());
    nodes_[n].out_end = static_cast<uint32_t>(outputs_.size());
  }
}

void KeywordMatcher::scan(std::string_view text, uint64_t* hits) const {
  if (keywords_.empty()) return;
  const unsigned what = folder_->changes(text);
  if (!what) return scan_folded(text, hits);
  thread_local std::string folded;  // reused: no allocation once warm
  folder_->fold(text, folded, what);
  scan_folded(folded, hits);
}

void KeywordMatcher::scan_folded(std::string_view text, uint64_t* hits) const {
  uint32_t node = 0;
  for (size_t pos = 0; pos < text.size(); ++pos) {
    const uint8_t byte = fold(static_cast<uint8_t>(text[pos]));
    while (true) {
      if (node == 0) {
        node = root_next_[byte];
        break;
      }
      const uint32_t next = child(node, byte);
      if (next != kNone) {
        node = next;
        break;
      }
      node = nodes_[node].fail;
    }
    for (uint32_t i = nodes_[node].out_begin; i < nodes_[node].out_end; ++i) {
      const uint32_t id = outputs_[i];
      if (bounds_[id]) {  // a Latin end: the neighbouring byte must not continue a word
        const size_t start = pos + 1 - keywords_[id].size();
        if ((bounds_[id] & 1) && start > 0 && word_char(static_cast<uint8_t>(text[start - 1]))) continue;
        if ((bounds_[id] & 2) && pos + 1 < text.size() && word_char(static_cast<uint8_t>(text[pos + 1]))) continue;
      }
      hits[id / 64] |= uint64_t{1} << (id % 64);
    }
  }
}

}  // namespace crm::detail
