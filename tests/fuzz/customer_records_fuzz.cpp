// SPDX-License-Identifier: Apache-2.0
// Fuzzes the customer-side parsers (customer, activity, prospect, prospect event, actor, query)
// and, through the API, the writes and queries behind them. The first byte picks the parser.
// Whatever is refused must be refused with a message; whatever a parser accepts must mask and
// round-trip its personal data; the database must keep answering.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "crmpolicy/database.hpp"
#include "customers/query.hpp"
#include "customers/records.hpp"
#include "policy/access_rules.hpp"

namespace {

const char* kAdmin = R"({"id": "fuzz", "role": "admin"})";

crm::Database& store() {
  static crm::Database* db = [] {
    auto opened = crm::Database::open(":memory:");
    std::ifstream in(CRMPOLICY_DATA_DIR "/policies/demand-management.json");
    std::stringstream text;
    text << in.rdbuf();
    if (!opened.ok() || !opened->put_policy(text.str()).ok()) __builtin_trap();
    if (!opened->put_customer(kAdmin, R"({"id":"C1","company":"x","owner":"fuzz","department":"d",
        "contacts":[{"name":"n","phone":"13812345678","email":"a@b.c"}],"address":"上海市浦东新区张江路"})").ok() ||
        !opened->put_prospect(kAdmin, R"({"id":"P1","company":"x","industry":"i","size":"small","need":"general",
        "source":"inbound","department":"d","owners":{"first_contact":"fuzz","follow_up":"fuzz"},"created_at":1700000000})").ok())
      __builtin_trap();
    return new crm::Database(std::move(*opened));
  }();
  return *db;
}

template <class T>
void refused_with_a_message(const crm::Result<T>& r) {
  if (!r.ok() && r.status().message().empty()) __builtin_trap();
}

// A masked record sent back restores exactly the stored record.
void check_masking(const nlohmann::json& record) {
  nlohmann::json back = crm::detail::masked(record);
  if (crm::detail::restore_masked_personal(back, record) || back != record) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  crm::Database& db = store();
  switch (data[0] % 6) {
    case 0: {
      auto r = crm::detail::parse_customer(text);
      refused_with_a_message(r);
      if (r.ok()) check_masking(r->document);
      (void)db.put_customer(kAdmin, text);
      break;
    }
    case 1: {
      auto r = crm::detail::parse_activity(text);
      refused_with_a_message(r);
      if (r.ok()) (void)crm::detail::activity_json(*r).dump();
      (void)db.add_activity(kAdmin, text);
      break;
    }
    case 2: {
      auto r = crm::detail::parse_prospect(text);
      refused_with_a_message(r);
      if (r.ok()) check_masking(r->document);
      (void)db.put_prospect(kAdmin, text);
      break;
    }
    case 3: {
      refused_with_a_message(crm::detail::parse_prospect_event(text));
      (void)db.add_prospect_event(kAdmin, text);
      break;
    }
    case 4: {
      refused_with_a_message(crm::detail::parse_actor(text));
      refused_with_a_message(db.customer_query(text, R"({"query":"customers","at":1750000000})"));
      break;
    }
    default: {
      refused_with_a_message(crm::detail::parse_customer_query(text));
      refused_with_a_message(db.customer_query(kAdmin, text));
      break;
    }
  }
  return 0;
}
