#include "store/schema.hpp"

namespace crm::detail {

const std::vector<const char*>& migrations() {
  static const std::vector<const char*> kMigrations = {
      // 1: policies, immutable per (name, version). calendar_data names the base-calendar data each
      // calendar was built with (e.g. {"cn-office":"cn 2025-11-04"}), for audits of old deadlines.
      R"sql(
        CREATE TABLE policy (
          id            INTEGER PRIMARY KEY,
          name          TEXT NOT NULL,
          version       TEXT NOT NULL,
          document      TEXT NOT NULL,
          calendar_data TEXT NOT NULL,
          UNIQUE (name, version)
        ) STRICT;
      )sql",
  };
  return kMigrations;
}

}  // namespace crm::detail
