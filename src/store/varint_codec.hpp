// SPDX-License-Identifier: Apache-2.0
// The compact binary encoding of the store's derived blobs (demand_fact.facts, demand_change.changes):
// LEB128 varints, length-prefixed texts, and instants as zigzagged distances from an origin.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "ledger/replay.hpp"

namespace crm::detail {

// An instant is 0 for never, else one more than its zigzagged distance from the origin.
class Encoder {
 public:
  // Writes `out` anew, or after what it holds when `append`.
  Encoder(std::string& out, int64_t origin, bool append = false) : out_(out), origin_(origin) {
    if (!append) out_.clear();
  }
  void u8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void varint(uint64_t v) {
    char bytes[10];
    size_t n = 0;
    for (; v >= 0x80; v >>= 7) bytes[n++] = static_cast<char>((v & 0x7f) | 0x80);
    bytes[n++] = static_cast<char>(v);
    out_.append(bytes, n);
  }
  void instant(int64_t t) {
    if (t == kNever) return varint(0);
    const uint64_t delta = static_cast<uint64_t>(t) - static_cast<uint64_t>(origin_);  // two's complement distance
    varint(((delta << 1) ^ (0 - (delta >> 63))) + 1);
  }
  void f64(double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, 8);
    for (int i = 0; i < 8; ++i) u8(static_cast<uint8_t>(bits >> (8 * i)));
  }
  void text(std::string_view s) {
    varint(s.size());
    out_ += s;
  }

 private:
  std::string& out_;
  int64_t origin_;
};

// Reads what Encoder wrote; any malformed input leaves ok() false (the row is then reported, never trusted).
class Decoder {
 public:
  explicit Decoder(std::string_view in) : in_(in) {}
  void set_origin(int64_t origin) { origin_ = origin; }
  bool done() const { return ok_ && at_ == in_.size(); }
  uint8_t u8() {
    if (!ok_ || at_ == in_.size()) return ok_ = false, 0;
    return static_cast<uint8_t>(in_[at_++]);
  }
  int8_t i8() { return static_cast<int8_t>(u8()); }
  uint64_t varint() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const uint8_t b = u8();
      v |= uint64_t{b & 0x7fu} << shift;
      if (!(b & 0x80)) return v;
    }
    return ok_ = false, 0;
  }
  int64_t instant() {
    const uint64_t v = varint();
    if (v == 0) return kNever;
    const uint64_t z = v - 1, delta = (z >> 1) ^ (0 - (z & 1));
    return static_cast<int64_t>(static_cast<uint64_t>(origin_) + delta);
  }
  double f64() {
    uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits |= uint64_t{u8()} << (8 * i);
    double v;
    std::memcpy(&v, &bits, 8);
    return v;
  }
  // A count of items of at least `size` bytes each: bounded by what is left.
  size_t count(size_t size) {
    const uint64_t n = varint();
    if (!ok_ || n > (in_.size() - at_) / size) return ok_ = false, 0;
    return static_cast<size_t>(n);
  }
  void text(std::string& out) {
    const size_t n = count(1);
    out.assign(in_.data() + at_, n);
    at_ += n;
  }

 private:
  std::string_view in_;
  size_t at_ = 0;
  int64_t origin_ = 0;
  bool ok_ = true;
};

}  // namespace crm::detail
