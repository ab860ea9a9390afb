// SPDX-License-Identifier: Apache-2.0
// Fuzzes the snapshot restore: whatever archive loads (the bytes as a whole file, or as a payload
// behind a valid header) is restored into a fresh in-memory database. A refused restore must
// leave every table as it was (one transaction, rolled back); nothing may crash.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "store/snapshot.hpp"
#include "store/store_api.hpp"

namespace {

std::string counts(crm::detail::DatabaseImpl& d) {
  std::string out;
  for (const char* table : {"policy", "demand", "event", "customer", "activity", "prospect", "prospect_event", "audit",
                            "calendar_data", "open_demand", "open_target"}) {
    const std::string sql = std::string("SELECT count(*) FROM ") + table;
    crm::Status s = crm::detail::each_row(d, sql.c_str(), [&](crm::detail::Query& q) { out += q.string(0) + ","; });
    if (!s.ok()) __builtin_trap();
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (const std::string& file : {std::string(bytes), crm::detail::frame_snapshot(bytes)}) {
    auto snapshot = crm::detail::read_snapshot(file);
    if (!snapshot.ok()) continue;
    auto db = crm::detail::api::open(":memory:", {});
    if (!db.ok()) __builtin_trap();
    const std::string before = counts(**db);
    const crm::Status s = crm::detail::api::restore_snapshot(**db, *snapshot, "fuzz");
    if (!s.ok()) {
      if (s.message().empty() || s.code() == crm::StatusCode::internal) __builtin_trap();
      if (counts(**db) != before) __builtin_trap();  // a refused restore writes nothing
    }
  }
  return 0;
}
