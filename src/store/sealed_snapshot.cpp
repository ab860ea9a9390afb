// SPDX-License-Identifier: Apache-2.0
#include "store/sealed_snapshot.hpp"

#include <cstdio>

#include "core/hex_text.hpp"
#include "core/secret_box.hpp"

namespace crm::detail {

namespace {

constexpr std::string_view kMagic = "crmpolicy-sealed-snapshot 1\n";
constexpr uint64_t kOps = 3, kMemory = uint64_t{64} << 20;       // what export uses (about 0.2 s here)
constexpr uint64_t kMaxOps = 16, kMaxMemory = uint64_t{1} << 30;  // what import accepts from a file

std::string header(uint64_t ops, uint64_t memory, std::string_view salt) {
  return std::string(kMagic) + "argon2id ops=" + std::to_string(ops) + " mem=" + std::to_string(memory) + " salt=" + to_hex(salt) + "\n";
}

}  // namespace

bool is_sealed_snapshot(std::string_view bytes) { return bytes.substr(0, kMagic.size()) == kMagic; }

Result<std::string> seal_snapshot(std::string_view archive, std::string_view passphrase) {
  if (passphrase.size() < 8) return Status::invalid_argument("passphrase: at least 8 bytes");
  const std::string salt = random_bytes(kPassphraseSaltSize);
  const auto key = key_from_passphrase(passphrase, salt, kOps, kMemory);
  if (!key) return Status(StatusCode::out_of_memory, "deriving the snapshot's key from its passphrase");
  const std::string head = header(kOps, kMemory, salt);
  return head + seal(*key, archive, head);
}

Result<SealedHeader> parse_sealed_header(std::string_view bytes) {
  if (!is_sealed_snapshot(bytes)) return Status::invalid_argument("not a sealed snapshot");
  const size_t end = bytes.find('\n', kMagic.size());
  if (end == std::string_view::npos || end - kMagic.size() > 120)
    return Status::invalid_argument("sealed snapshot: the second header line is missing or too long");
  const std::string line(bytes.substr(kMagic.size(), end - kMagic.size()));
  unsigned long long ops = 0, memory = 0;
  char salt_hex[33] = {};
  int used = 0;
  if (std::sscanf(line.c_str(), "argon2id ops=%llu mem=%llu salt=%32[0-9a-f]%n", &ops, &memory, salt_hex, &used) != 3 ||
      static_cast<size_t>(used) != line.size())
    return Status::invalid_argument("sealed snapshot: expected \"argon2id ops=N mem=N salt=<32 hex digits>\"");
  SealedHeader h;
  if (!from_hex(salt_hex, h.salt) || h.salt.size() != kPassphraseSaltSize)
    return Status::invalid_argument("sealed snapshot: the salt is not 32 hex digits");
  if (ops > kMaxOps || memory > kMaxMemory)
    return Status::invalid_argument("sealed snapshot: asks for more work than a snapshot may (ops ≤ 16, mem ≤ 1 GiB)");
  h.ops = ops;
  h.memory = memory;
  h.length = end + 1;
  if (header(h.ops, h.memory, h.salt) != bytes.substr(0, h.length))
    return Status::invalid_argument("sealed snapshot: the header is not in its canonical form");
  return h;
}

Result<std::string> open_sealed_snapshot(std::string_view bytes, std::string_view passphrase) {
  auto h = parse_sealed_header(bytes);
  if (!h.ok()) return std::move(h).status();
  const auto key = key_from_passphrase(passphrase, h->salt, h->ops, h->memory);
  if (!key) return Status::invalid_argument("sealed snapshot: its limits are outside Argon2id's range");
  auto archive = open_sealed(*key, bytes.substr(h->length), bytes.substr(0, h->length));
  if (!archive) return Status::permission_denied("the passphrase does not open this snapshot (or the file was altered)");
  return std::move(*archive);
}

}  // namespace crm::detail
