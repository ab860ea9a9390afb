// SPDX-License-Identifier: Apache-2.0
// Data the benchmarks share.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

inline std::string sample_policy_json() {
  std::ifstream in(CRMPOLICY_DATA_DIR "/policies/demand-management.json");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
