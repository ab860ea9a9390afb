// SPDX-License-Identifier: Apache-2.0
// Reading a whole (small) file, with errors callers can act on.
#pragma once

#include <string>

#include "crmpolicy/status.hpp"

namespace crm::detail {

// The file's bytes; not_found when it does not exist, io_error when it cannot be opened or read,
// out_of_range when it is larger than max_bytes.
Result<std::string> read_file(const std::string& path, size_t max_bytes);

}  // namespace crm::detail
