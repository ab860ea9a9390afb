// SPDX-License-Identifier: Apache-2.0
// Fuzzes the snapshot loader twice per input: the bytes as a whole file (header checks), and the
// bytes as a payload behind a valid header (the archive reader itself). Whatever loads must
// write back to an archive that loads to the same bytes again. A sealed snapshot's header is
// parsed too (the key derivation it leads to is libsodium's, and too slow to fuzz).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "store/sealed_snapshot.hpp"
#include "store/snapshot.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (const std::string& file : {std::string(bytes), "crmpolicy-sealed-snapshot 1\n" + std::string(bytes)}) {
    auto header = crm::detail::parse_sealed_header(file);
    if (!header.ok() && header.status().message().empty()) __builtin_trap();
    if (header.ok() && (header->length > file.size() || header->salt.size() != 16 || header->memory > (uint64_t{1} << 30)))
      __builtin_trap();
  }
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
