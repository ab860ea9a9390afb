// SPDX-License-Identifier: Apache-2.0
// Folding of demand texts and keywords before they are compared: Traditional to Simplified Chinese
// (OpenCC's t2s: phrases, then characters), full-width to half-width forms (ＡＢＣ１２３！ and the
// ideographic space), and — in the keyword matcher — ASCII case. 設備停機了 then matches 停机.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "crmpolicy/status.hpp"

namespace crm::detail {

class TextFolder {
 public:
  // The process-wide folder, loaded once (OpenCC's data from Debian's libopencc-data; a missing
  // or damaged installation is CRM_EIO). Immutable, so shareable across threads.
  static Result<const TextFolder*> get();

  // What folding would change in `text`: kTraditional (characters OpenCC converts) and kFullWidth
  // bits; 0 for most texts, which are scanned as they are, without a copy. Only traditional text
  // pays for OpenCC; full-width punctuation (，！？) is folded in one pass.
  static constexpr unsigned kTraditional = 1, kFullWidth = 2;
  unsigned changes(std::string_view text) const;
  // `text` folded into `out` (replaced); `what` is changes(text).
  void fold(std::string_view text, std::string& out, unsigned what) const;

  ~TextFolder();

 private:
  TextFolder() = default;
  struct OpenCC;
  std::unique_ptr<OpenCC> opencc_;
  std::vector<uint64_t> traditional_;  // bit per code point OpenCC's t2s changes
};

}  // namespace crm::detail
