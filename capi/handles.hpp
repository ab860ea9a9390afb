// SPDX-License-Identifier: Apache-2.0
// The opaque C handles: thin shells around the C++ values (leveldb's c.cc pattern).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "crmpolicy/calendar.hpp"
#include "crmpolicy/database.hpp"
#include "crmpolicy/policy.hpp"

struct crm_calendar {
  crm::Calendar rep;
};

struct crm_policy {
  crm::Policy rep;
  // Borrowed views of the policy's calendars, made once so crm_policy_calendar never allocates.
  std::vector<std::pair<std::string, std::unique_ptr<crm_calendar>>> calendars;
};

struct crm_db {
  crm::Database rep;
};
