// SPDX-License-Identifier: Apache-2.0
// Writes demands and events inside one open transaction, keeping the derived tables in step.
// record_demand and append_event use it for one change; import for a batch of many.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "ledger/replay.hpp"
#include "ledger/transitions.hpp"
#include "policy/demand_json.hpp"
#include "store/database_impl.hpp"
#include "store/fact_rows.hpp"
#include "store/stored_customer.hpp"

namespace crm::detail {

// A demand as the ledger holds it, with its events in ledger order.
struct LiveDemand {
  int64_t seq = 0;
  int64_t policy_id = 0;
  std::string policy_name;
  std::unique_ptr<Policy> policy;
  Demand demand;
  std::string document;
  std::string actor;
  std::optional<StoredCustomer> customer;  // pinned when recorded; already applied to `demand`
  std::vector<Event> events;  // by time, then recording order
  int32_t last_n = 0;
  bool listed_open = false;   // has an open_demand row
  std::string listed_owner;   // the owner that row names
  bool touched = false;       // derived rows need rewriting at flush()
  std::optional<DemandView> received;  // classified on receipt (replay::receive): every view replays from it
  bool has_open_targets = true;  // open_target may hold rows for it (false: recorded here, none written yet)
  bool has_fact_row = true;      // demand_fact holds its row (false: recorded here, not written yet)
  // The change feed (store/change_log.hpp): the transitions as last written, the events logged.
  std::vector<Transition> transitions;
  int32_t logged_n = 0;
  bool recorded_here = false;    // recorded by this writer, not logged yet
};

struct Duplicate {
  std::string id;
  double score;
};

struct Recorded {
  LiveDemand* demand = nullptr;
  bool retry = false;  // the identical demand was already stored; nothing written
  std::vector<Duplicate> duplicates;
};

class LedgerWriter {
 public:
  explicit LedgerWriter(DatabaseImpl& d) : d_(d) {}

  // `document` is the demand JSON text, `root` its parse. A stored customer the demand names is
  // looked up as of received_at and pinned (store/stored_customer.hpp).
  // `policy` overrides the policy the document names and `customer` the lookup (snapshot import
  // keeps the original ones).
  Result<Recorded> record(const nlohmann::json& root, std::string_view document, bool find_duplicates,
                          const StoredPolicy* policy = nullptr, const std::string& actor = {},
                          const std::optional<StoredCustomer>* customer = nullptr);
  // The same for a demand read already (read_recordable_demand).
  Result<Recorded> record(Demand demand, DemandExtras extras, std::string_view document, bool find_duplicates);
  // A demand to record read the direct way (read_demand_directly), or nothing: then the DOM path
  // reads it, or says why not (a missing id included).
  static std::optional<Demand> read_recordable_demand(std::string_view text, DemandExtras& extras) {
    std::optional<Demand> demand = read_demand_directly(text, true, extras);
    if (demand && demand->id.empty()) demand.reset();
    return demand;
  }
  // Ids the coming records name, looked up in one query per DatabaseImpl::kDemandProbe and keys
  // reserved for the new ones, so that recording them asks the database nothing. Optional: a
  // record not announced asks for its id itself.
  Status expect(const std::vector<std::string_view>& ids);
  // Validates the event against the demand's whole history and stores it. An event whose id is
  // recorded already with the same content is a retry: nothing is written and *retry is set.
  Status append(const std::string& demand_id, Event event, bool* retry = nullptr);
  // Rewrites open_demand, open_target and demand_fact for every demand changed since the last flush.
  Status flush();
  // Marks a stored demand changed, so that flush() rewrites its derived rows (newer calendar data).
  Status touch(const std::string& id);

  // A stored (or just recorded) demand; not_found when absent.
  Result<LiveDemand*> load(const std::string& id);
  // The view of a demand at `at`.
  Result<DemandView> view(const LiveDemand& demand, int64_t at);
  // From now on writes keep the derived rows but log no changes (a restore with its own log).
  void keep_changes_unlogged() { log_changes_ = false; }
  // Forgets cached demands (after a rollback their rows are gone).
  void clear() { live_.clear(); }

 private:
  Result<Recorded> record(Demand demand, DemandExtras extras, std::string_view document, bool find_duplicates,
                          const StoredPolicy* policy, const std::string& actor,
                          const std::optional<StoredCustomer>* customer);
  Status load_events(LiveDemand& demand);
  Status write_open_targets(LiveDemand& demand, const DemandView& view);
  // The policy row of a version of the demand's policy.
  Result<int64_t> policy_id_of(const LiveDemand& demand, const std::string& version);
  Status list_open(const LiveDemand& demand, const std::string& owner, const std::vector<uint32_t>& grams);
  Result<Recorded> retry(LiveDemand& existing, std::string_view document, Recorded& out);
  Status find_similar(const LiveDemand& d, const std::vector<uint32_t>& grams, std::vector<Duplicate>& out);
  // `count` more keys for new demands.
  Status reserve(int count);
  // How far the change feed was read (change_log.hpp), asked once: a writer lives in one
  // transaction, and writers exclude each other.
  Result<int64_t> served_until();
  // resolve_policy, remembered for the writer's transaction (in which the answer cannot change).
  Result<StoredPolicy> policy(const std::string& name, const std::string& version);

  DatabaseImpl& d_;
  std::unordered_map<std::string, std::unique_ptr<LiveDemand>> live_;
  struct KnownPolicy {
    std::string name, version;  // as asked ("" version: the latest)
    StoredPolicy stored;
  };
  std::vector<KnownPolicy> policies_;
  std::unordered_set<std::string> unrecorded_;  // ids expect() found not recorded, not recorded since
  std::vector<int64_t> keys_;                    // reserved demand keys; those from next_key_ on are unused
  size_t next_key_ = 0;
  FactRow fact_;  // reused by flush()
  std::optional<int64_t> served_until_;
  int customers_stored_ = -1;
  bool log_changes_ = true;  // -1 not asked yet; the answer holds for the writer's transaction
};

}  // namespace crm::detail
