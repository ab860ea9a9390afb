// SPDX-License-Identifier: Apache-2.0
// The tables a snapshot copies row by row — calendar data, customers, activities, prospects,
// prospect events and the audit log — read from and restored into the database. (Policies,
// demands and events are replayed through the ledger writer instead: store/snapshot_io.cpp.)
#pragma once

#include <string>
#include <vector>

#include "store/database_impl.hpp"
#include "store/snapshot.hpp"

namespace crm::detail {

// The operation of the audit entry a restore writes. It describes the file it was restored into,
// not the data, so it is not exported: export -> import -> export gives the same bytes.
constexpr const char* kRestoreOperation = "restore_snapshot";

// Every copied table, in restore order, each ordered by its primary key.
Result<std::vector<SnapshotTable>> read_snapshot_tables(DatabaseImpl& d);

struct RestoredTables {
  int64_t calendar_data = 0, customers = 0, activities = 0, prospects = 0, prospect_events = 0, audit = 0;
  bool change_log = false;  // the change feed was restored as it was: the replayed ledger logs nothing
  int64_t changes = 0;
};

// Restores the archive's tables inside the caller's transaction, before its policies are stored:
// - calendar data: into a database with no policy and no demand it replaces the data pinned at
//   open (then the ledger replays on the archive's data); elsewhere it must be the same data
//   (base, version, text, in order; seq and applied_at may differ);
// - customers, activities, prospects, prospect events: into a database holding none, as they
//   were; a database holding some must hold exactly the archive's (a repeated restore);
// - the audit log: entries this database lacks are appended (all of them, seq kept, when empty);
// - the change feed (its log, how far it was read, the crossings read past): as it was, into a
//   database whose feed was never written or read; elsewhere not at all.
// Anything else is CRM_ECONFLICT or CRM_EINVAL naming the table, and the caller rolls back.
Result<RestoredTables> restore_snapshot_tables(DatabaseImpl& d, const std::vector<SnapshotTable>& tables);

}  // namespace crm::detail
