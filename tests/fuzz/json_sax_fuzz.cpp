// SPDX-License-Identifier: Apache-2.0
// Fuzzes the fast SAX driver against nlohmann's: wherever it answers, the events it gave and its
// answer are nlohmann's, with the handler refusing at each position in turn (the input's first
// byte picks the position).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sax_recorder.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const int refuse_at = static_cast<int>(data[0] % 16) - 1;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  if (!crm::test::sax_disagreement(text, refuse_at).empty()) __builtin_trap();
  return 0;
}
