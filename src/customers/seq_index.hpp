// SPDX-License-Identifier: Apache-2.0
// Row sequence number -> position in a loaded vector, so an ordered scan of facts finds its
// record with one load. Sequence numbers are SQLite row ids: small and dense.
#pragma once

#include <cstdint>
#include <vector>

namespace crm::detail {

class SeqIndex {
 public:
  void add(int64_t seq, size_t position) {
    const auto s = static_cast<size_t>(seq);
    if (positions_.size() <= s) positions_.resize(s + 1, -1);
    positions_[s] = static_cast<int32_t>(position);
  }
  // The position, or -1 when the record was not loaded (out of scope or filtered).
  int32_t find(int64_t seq) const {
    const auto s = static_cast<size_t>(seq);
    return s < positions_.size() ? positions_[s] : -1;
  }

 private:
  std::vector<int32_t> positions_;
};

}  // namespace crm::detail
