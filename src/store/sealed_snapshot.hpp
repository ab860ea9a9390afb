// SPDX-License-Identifier: Apache-2.0
// A snapshot encrypted whole under a passphrase (README "Snapshots"): Argon2id derives the key
// from the passphrase and a random salt, XChaCha20-Poly1305 seals the archive's bytes, and the
// header (format, limits, salt) is bound into the tag.
//
//   crmpolicy-sealed-snapshot 1\n
//   argon2id ops=3 mem=67108864 salt=<32 hex digits>\n
//   <24-byte nonce><ciphertext><16-byte tag>
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "crmpolicy/status.hpp"

namespace crm::detail {

// A sealed snapshot's header, checked: canonical form, Argon2id limits within what an import
// accepts (ops ≤ 16, mem ≤ 1 GiB).
struct SealedHeader {
  uint64_t ops = 0, memory = 0;
  std::string salt;   // kPassphraseSaltSize bytes
  size_t length = 0;  // bytes of header: the sealed archive follows
};
Result<SealedHeader> parse_sealed_header(std::string_view bytes);

// Whether `bytes` begin like a sealed snapshot.
bool is_sealed_snapshot(std::string_view bytes);
// The sealed file for an archive's bytes; invalid_argument for a passphrase under 8 bytes.
Result<std::string> seal_snapshot(std::string_view archive, std::string_view passphrase);
// The archive's bytes: invalid_argument for a damaged header, permission_denied when the
// passphrase does not open it (or the file was altered).
Result<std::string> open_sealed_snapshot(std::string_view bytes, std::string_view passphrase);

}  // namespace crm::detail
