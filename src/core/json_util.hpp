// SPDX-License-Identifier: Apache-2.0
// Strict JSON reading shared by every crmpolicy document parser.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/input_limits.hpp"
#include "crmpolicy/status.hpp"

namespace crm::detail {

// Parses UTF-8 JSON, rejecting malformed text, invalid UTF-8, duplicate object keys and anything
// past `limits` (each refusal names the JSON Pointer where it happened). Time and memory are
// linear in the text; nothing recurses on its depth.
Result<nlohmann::json> parse_json_strict(std::string_view text, std::string_view what, const JsonLimits& limits = {});

// A document the database holds, parsed: io_error naming `what` when the file holds something else
// (a damaged or tampered database), never an exception.
Result<nlohmann::json> parse_stored_json(std::string_view text, const std::string& what);

// A JSON value shortened for an error message: "\"12:60\"", "[1,2,...]".
std::string json_excerpt(const nlohmann::json& value);

// "<path>: <why> (got <value>)" as an invalid-argument status.
Status json_error(const std::string& path, const std::string& why, const nlohmann::json& value);

// JSON Pointer escaping of one reference token (RFC 6901): "~" -> "~0", "/" -> "~1".
std::string json_pointer_token(std::string_view key);

// The first key of `object` not in `known`, as an error naming what was expected.
Status unknown_keys(const nlohmann::json& object, const std::string& path, const std::set<std::string>& known,
                    const char* expected);

// A string value of at most max_bytes bytes; an identifier (id, owner, department, role) also has
// no control characters, so none can hide a NUL or a line break in an id.
Status check_string_value(const nlohmann::json& value, const std::string& path, size_t max_bytes, bool identifier);
// Whether `s` holds a byte an identifier may not (below 0x20, or DEL).
bool has_control_characters(std::string_view s);

// object[key] as a non-empty string, or the error naming path/key.
Result<std::string> required_string(const nlohmann::json& object, const std::string& path, const char* key,
                                    size_t max_bytes = kMaxIdBytes);

}  // namespace crm::detail
