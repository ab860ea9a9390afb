// SPDX-License-Identifier: Apache-2.0
// The report facts of each demand (ledger/demand_facts.hpp) in its demand_fact row: written by the
// ledger writer in the transaction of every change, rebuilt from the ledger on demand, read by
// reports so that they replay only what depends on the report instant. This file alone knows the
// row's layout.
#pragma once

#include <functional>
#include <string>

#include "ledger/demand_facts.hpp"
#include "store/database_impl.hpp"

namespace crm::detail {

struct FactRow {
  int64_t seq = 0, policy_id = 0;
  int64_t goal_policy = 0;  // the policy version goal_mask was judged under: its name's latest when written
  uint64_t goal_mask = 0;   // bit g: goal g of that version applies to the demand
  DemandFacts facts;
};

// The statements and the appender of the rows (when a handle opens, after the demand appender).
Status prepare_fact_statements(DatabaseImpl& d);

// The row of a demand from its view at `at`, the instant of its last event (or its receipt),
// with the goals of `latest`, the latest version of its policy's name. Reuses `out`'s storage.
void take_fact_row(int64_t seq, int64_t policy_id, const Demand& demand, const std::vector<Event>& events,
                   const DemandView& view, int64_t at, const StoredPolicy& latest, FactRow& out);

// Writes the row: appended when `fresh` (the demand has none yet), else replaced.
Status put_fact_row(DatabaseImpl& d, bool fresh, const FactRow& row);

// The facts blob alone (the row's other columns are plain integers), for the fuzzer and tests:
// decoding any bytes either fails or gives facts that encode and decode to themselves.
// `facts.received_at` must be set before decoding: the blob's instants are relative to it.
void encode_fact_blob(const DemandFacts& facts, std::string& out);
bool decode_fact_blob(std::string_view blob, DemandFacts& facts);

// Called once per row, in recording order; the row is reused for the next.
using FactRowVisitor = std::function<Status(FactRow& row)>;
// The rows of the demands recorded under a version of `policy_name` and received by `received_by`.
Status scan_fact_rows(DatabaseImpl& d, const std::string& policy_name, int64_t received_by, const FactRowVisitor& visit);

// Ids of the demands some of whose facts rest on provisional calendar days (newer data may change them).
Result<std::vector<std::string>> demands_with_provisional_facts(DatabaseImpl& d);

// Whether every demand has its row: false from the migration that added them until they are built.
Result<bool> fact_rows_complete(DatabaseImpl& d);
// Recomputes every row from the ledger inside the caller's write transaction (the rows then
// equal what the writer keeps) and marks them complete; returns the number of demands.
Result<int64_t> rebuild_fact_rows(DatabaseImpl& d);

}  // namespace crm::detail
