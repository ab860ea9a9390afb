// SPDX-License-Identifier: Apache-2.0
#include "core/file_util.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace crm::detail {

Result<std::string> read_file(const std::string& path, size_t max_bytes) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) return Status::not_found("no file " + path);
    return Status::io_error("cannot open " + path + ": " + std::strerror(err));
  }
  std::string bytes;
  char buffer[65536];
  size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0 && bytes.size() <= max_bytes) bytes.append(buffer, got);
  const bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed) return Status::io_error("cannot read " + path);
  if (bytes.size() > max_bytes) return Status::out_of_range(path + " is larger than " + std::to_string(max_bytes) + " bytes");
  return bytes;
}

}  // namespace crm::detail
