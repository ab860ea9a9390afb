// SPDX-License-Identifier: Apache-2.0
#include "core/secret_box.hpp"

#include <sodium.h>

#include <cstdlib>

namespace crm::detail {

namespace {

// sodium_init is thread-safe and idempotent; it fails only when no random source exists.
void ensure_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) std::abort();  // no entropy: nothing the library writes could be kept secret
}

}  // namespace

SecretKey::~SecretKey() { sodium_memzero(bytes_.data(), bytes_.size()); }

SecretKey SecretKey::random() {
  ensure_sodium();
  SecretKey k;
  randombytes_buf(k.bytes_.data(), k.bytes_.size());
  return k;
}

Result<SecretKey> SecretKey::from_hex(std::string_view hex, const std::string& field) {
  ensure_sodium();
  SecretKey k;
  size_t length = 0;
  const char* end = nullptr;
  if (hex.size() != 2 * kSize ||
      sodium_hex2bin(k.bytes_.data(), k.bytes_.size(), hex.data(), hex.size(), nullptr, &length, &end) != 0 ||
      length != kSize || end != hex.data() + hex.size())
    return Status::invalid_argument(field + ": expected 64 hex digits (a 256-bit key), got " + std::to_string(hex.size()) +
                                    " characters that are not one");
  return k;
}

std::optional<SecretKey> SecretKey::from_bytes(std::string_view bytes) {
  if (bytes.size() != kSize) return std::nullopt;
  SecretKey k;
  for (size_t i = 0; i < kSize; ++i) k.bytes_[i] = static_cast<uint8_t>(bytes[i]);
  return k;
}

std::string seal(const SecretKey& key, std::string_view plaintext, std::string_view associated) {
  ensure_sodium();
  constexpr size_t nonce_size = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  std::string out(nonce_size + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(bytes, nonce_size);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(bytes + nonce_size, &written, reinterpret_cast<const unsigned char*>(plaintext.data()),
                                             plaintext.size(), reinterpret_cast<const unsigned char*>(associated.data()),
                                             associated.size(), nullptr, bytes, key.data());
  out.resize(nonce_size + written);
  return out;
}

std::optional<std::string> open_sealed(const SecretKey& key, std::string_view sealed, std::string_view associated) {
  ensure_sodium();
  constexpr size_t nonce_size = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  constexpr size_t tag_size = crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (sealed.size() < nonce_size + tag_size) return std::nullopt;
  std::string out(sealed.size() - nonce_size - tag_size, '\0');
  unsigned long long written = 0;
  const auto* bytes = reinterpret_cast<const unsigned char*>(sealed.data());
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(out.data()), &written, nullptr,
                                                 bytes + nonce_size, sealed.size() - nonce_size,
                                                 reinterpret_cast<const unsigned char*>(associated.data()), associated.size(),
                                                 bytes, key.data()) != 0)
    return std::nullopt;
  out.resize(written);
  return out;
}

std::optional<SecretKey> key_from_passphrase(std::string_view passphrase, std::string_view salt, uint64_t ops_limit,
                                             uint64_t mem_limit) {
  ensure_sodium();
  static_assert(kPassphraseSaltSize == crypto_pwhash_SALTBYTES, "libsodium's Argon2id salt size");
  if (salt.size() != kPassphraseSaltSize || ops_limit < crypto_pwhash_OPSLIMIT_MIN || ops_limit > crypto_pwhash_OPSLIMIT_MAX ||
      mem_limit < crypto_pwhash_MEMLIMIT_MIN || mem_limit > crypto_pwhash_MEMLIMIT_MAX)
    return std::nullopt;
  std::string bytes(SecretKey::kSize, '\0');
  if (crypto_pwhash(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), passphrase.data(), passphrase.size(),
                    reinterpret_cast<const unsigned char*>(salt.data()), ops_limit, static_cast<size_t>(mem_limit),
                    crypto_pwhash_ALG_ARGON2ID13) != 0)
    return std::nullopt;
  auto key = SecretKey::from_bytes(bytes);
  sodium_memzero(bytes.data(), bytes.size());
  return key;
}

std::string random_bytes(size_t n) {
  ensure_sodium();
  std::string out(n, '\0');
  randombytes_buf(out.data(), n);
  return out;
}

std::array<uint8_t, 32> blake2b_256(std::string_view message, const SecretKey* key) {
  ensure_sodium();
  std::array<uint8_t, 32> out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                     key ? key->data() : nullptr, key ? SecretKey::kSize : 0);
  return out;
}

std::string to_base64(std::string_view bytes) {
  ensure_sodium();
  constexpr int variant = sodium_base64_VARIANT_ORIGINAL;
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), variant);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::optional<std::string> from_base64(std::string_view text) {
  ensure_sodium();
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr, &length, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size())
    return std::nullopt;
  out.resize(length);
  return out;
}

}  // namespace crm::detail
