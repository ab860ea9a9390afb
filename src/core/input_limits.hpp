// SPDX-License-Identifier: Apache-2.0
// The limits every reader of outside input obeys (README "Input limits"). An embedded library
// runs in its host's process: a document that is too deep, too large or too wide is refused with
// CRM_EINVAL naming where, before anything large or deep is built.
#pragma once

#include <cstddef>

namespace crm::detail {

// A whole JSON document (calendar, policy, demand, event, record, query, one NDJSON line).
inline constexpr size_t kMaxDocumentBytes = size_t{16} << 20;
// Nesting of arrays and objects. The deepest legitimate document (a policy condition nested in
// all/any/not) needs a dozen levels; nothing in the library recurses deeper than this.
inline constexpr size_t kMaxJsonDepth = 64;
// One JSON string, key or value (a demand's text is the longest legitimate one).
inline constexpr size_t kMaxStringBytes = size_t{1} << 20;
// Keys of one object or elements of one array.
inline constexpr size_t kMaxContainerItems = 100000;
// Values (scalars, arrays and objects) in one document: with the size limit, what bounds the
// memory a parsed document takes (about 100 bytes a value in the DOM at most).
inline constexpr size_t kMaxDocumentValues = 1000000;
// Identifiers and names: demand, event, customer and actor ids, owners, departments, roles.
inline constexpr size_t kMaxIdBytes = 128;
// Short free texts: a title, a label's value, a reason.
inline constexpr size_t kMaxShortTextBytes = 4096;
// A comment on an event.
inline constexpr size_t kMaxCommentBytes = 65536;

// Bounds of one JSON parse; the defaults are the limits above.
struct JsonLimits {
  size_t max_bytes = kMaxDocumentBytes;
  size_t max_depth = kMaxJsonDepth;
  size_t max_string_bytes = kMaxStringBytes;
  size_t max_items = kMaxContainerItems;
  size_t max_values = kMaxDocumentValues;
};

}  // namespace crm::detail
