// SPDX-License-Identifier: Apache-2.0
// The deadline inputs shared with the peers (benchmarks/peers/peers.py, quantlib_bench.cpp):
// splitmix64 from a fixed seed, so C++ and Python draw the same starts, hours and days without
// passing files. Starts are UTC instants over 2024-2026; hours 1-72; days 1-10.
#pragma once

#include <cstdint>
#include <vector>

namespace crm::bench {

constexpr size_t kPeerInputs = 8192;  // a power of two: the benchmarks cycle with a mask
constexpr int64_t kPeerFirstStart = 1704067200;  // 2024-01-01T00:00:00Z
constexpr int64_t kPeerSpan = 3 * 365 * 86400;

inline uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

struct PeerInputs {
  std::vector<int64_t> starts;
  std::vector<int64_t> hours;
  std::vector<int32_t> days;
};

inline const PeerInputs& peer_inputs() {
  static const PeerInputs inputs = [] {
    PeerInputs in;
    uint64_t state = 2026;
    for (size_t i = 0; i < kPeerInputs; ++i) {
      in.starts.push_back(kPeerFirstStart + static_cast<int64_t>(splitmix64(state) % kPeerSpan));
      in.hours.push_back(1 + static_cast<int64_t>(splitmix64(state) % 72));
      in.days.push_back(1 + static_cast<int32_t>(splitmix64(state) % 10));
    }
    return in;
  }();
  return inputs;
}

}  // namespace crm::bench
