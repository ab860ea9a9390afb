// SPDX-License-Identifier: Apache-2.0
// The keyring (README "Security"): the database's own keys — the audit chain's and the
// personal-data keys — each sealed under the host's key and stored in the keyring table. The
// host's key itself is never stored; rotating it reseals the keyring, so nothing else is
// rewritten and other handles keep working.
#pragma once

#include <optional>

#include "store/database_impl.hpp"

namespace crm::detail {

// Reads the keyring into d.keys_ when the host's key is given: creates it on first use, and refuses
// (permission_denied) a key that does not unseal it. Without the key, the handle holds none (the
// sealed audit head tells writers that the database has keys).
Status open_keyring(DatabaseImpl& d, const std::optional<SecretKey>& host_key, int64_t now);

// Reseals every key under `new_key` and adds a personal-data key that becomes the current one,
// in one transaction. The handle must hold the current host key.
Status rotate_host_key(DatabaseImpl& d, const SecretKey& new_key, int64_t now);

}  // namespace crm::detail
