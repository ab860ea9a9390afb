// SPDX-License-Identifier: Apache-2.0
// Fuzzes the snapshot loader twice per input: the bytes as a whole file (header checks), and the
// bytes as a payload behind a valid header (the archive reader itself). Whatever loads must
// write back to an archive that loads to the same bytes again.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "store/snapshot.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (const std::string& file : {std::string(bytes), crm::detail::frame_snapshot(bytes)}) {
    auto snapshot = crm::detail::read_snapshot(file);
    if (!snapshot.ok()) {
      if (snapshot.status().message().empty()) __builtin_trap();
      continue;
    }
    const std::string again = crm::detail::write_snapshot(*snapshot);
    auto reread = crm::detail::read_snapshot(again);
    if (!reread.ok() || crm::detail::write_snapshot(*reread) != again) __builtin_trap();
  }
  return 0;
}
