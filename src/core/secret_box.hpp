// SPDX-License-Identifier: Apache-2.0
// The few cryptographic primitives the store uses, from libsodium: an authenticated cipher
// (XChaCha20-Poly1305) for keys and personal data at rest, and BLAKE2b for the audit chain.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "crmpolicy/status.hpp"

namespace crm::detail {

// A 256-bit secret key. Wiped when destroyed.
class SecretKey {
 public:
  static constexpr size_t kSize = 32;
  SecretKey() = default;
  SecretKey(const SecretKey&) = default;
  SecretKey& operator=(const SecretKey&) = default;
  ~SecretKey();

  // A fresh key from the system's random source.
  static SecretKey random();
  // 64 hex digits (either case). The error names `field` and never repeats the value.
  static Result<SecretKey> from_hex(std::string_view hex, const std::string& field);
  // Exactly kSize bytes; nullopt otherwise.
  static std::optional<SecretKey> from_bytes(std::string_view bytes);

  std::string_view bytes() const { return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()}; }
  const uint8_t* data() const { return bytes_.data(); }

 private:
  std::array<uint8_t, kSize> bytes_{};
};

// Encrypts `plaintext` under `key`, binding `associated` (not secret, not stored) into the tag:
// a random 24-byte nonce, then the ciphertext and its 16-byte tag.
std::string seal(const SecretKey& key, std::string_view plaintext, std::string_view associated);
// The plaintext, or nullopt when `sealed` was not made by seal() with this key and `associated`.
std::optional<std::string> open_sealed(const SecretKey& key, std::string_view sealed, std::string_view associated);

// A key from a passphrase with Argon2id (libsodium crypto_pwhash); nullopt when the limits are out
// of libsodium's range or memory runs out.
std::optional<SecretKey> key_from_passphrase(std::string_view passphrase, std::string_view salt, uint64_t ops_limit,
                                             uint64_t mem_limit);
constexpr size_t kPassphraseSaltSize = 16;
std::string random_bytes(size_t n);

// BLAKE2b-256 of `message`, keyed when `key` is given.
std::array<uint8_t, 32> blake2b_256(std::string_view message, const SecretKey* key);

// Standard base64 (with padding) and back; nullopt on anything else.
std::string to_base64(std::string_view bytes);
std::optional<std::string> from_base64(std::string_view text);

}  // namespace crm::detail
