// SPDX-License-Identifier: Apache-2.0
// Keeps the change feed's customer side in step with the records (README "Change feed"): after a
// write, each customer and prospect it touched has its transitions computed again and compared
// with those the feed last took (store/change_log.hpp), inside the write's transaction; after a new
// policy, new calendar data or a restore, every account's are, before the feed is next read.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "store/change_log.hpp"

namespace crm::detail {

class AccountFeed {
 public:
  explicit AccountFeed(DatabaseImpl& d) : d_(d) {}
  void touch_customer(int64_t seq, const std::string& id) { touched_[feed_key(FeedSubject::customer, seq)] = id; }
  void touch_prospect(int64_t seq, const std::string& id) { touched_[feed_key(FeedSubject::prospect, seq)] = id; }
  // Logs what moved for every touched account, within the caller's transaction.
  Status write();

 private:
  DatabaseImpl& d_;
  std::map<int64_t, std::string> touched_;  // feed key -> id
};

namespace api {
// Brings every account's transitions in step when a policy, calendar data or a restore may have
// moved them (account_feed.state), in a transaction of its own, logging what moved; nothing to do
// otherwise.
Status bring_account_feed_in_step(DatabaseImpl& d);
// The first open after the upgrade that added the customer side takes every account's transitions
// without logging the past as news.
Status take_account_feed_after_upgrade(DatabaseImpl& d);
}  // namespace api

}  // namespace crm::detail
