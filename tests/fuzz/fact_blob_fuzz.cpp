// SPDX-License-Identifier: Apache-2.0
// Fuzzes the report facts blob (store/fact_rows.cpp): a stored row's bytes may have been altered
// on disk. The first 8 bytes give the demand's receipt (the blob's instants are relative to it),
// the rest is the blob. Decoding never reads out of bounds and either fails or gives facts that
// encode and decode to themselves.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "store/fact_rows.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 8) return 0;
  crm::detail::DemandFacts facts;
  std::memcpy(&facts.received_at, data, 8);
  const std::string_view blob(reinterpret_cast<const char*>(data) + 8, size - 8);
  if (!crm::detail::decode_fact_blob(blob, facts)) return 0;
  std::string once, twice;
  crm::detail::encode_fact_blob(facts, once);
  crm::detail::DemandFacts again;
  again.received_at = facts.received_at;
  if (!crm::detail::decode_fact_blob(once, again)) __builtin_trap();
  crm::detail::encode_fact_blob(again, twice);
  if (once != twice) __builtin_trap();
  return 0;
}
