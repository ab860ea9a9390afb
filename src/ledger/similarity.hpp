// SPDX-License-Identifier: Apache-2.0
// Character n-gram similarity of demand texts: works for Chinese without word segmentation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace crm::detail {

// Sorted, distinct hashes of the character bigrams of the text (code points, ASCII letters
// folded to lower case, spaces and punctuation dropped). A one-character text gives one gram.
std::vector<uint32_t> text_grams(std::string_view text);

// Dice coefficient of two gram sets: 2|A∩B| / (|A|+|B|), in [0, 1]; 0 when both are empty.
double gram_similarity(const uint32_t* a, size_t a_size, const uint32_t* b, size_t b_size);

// The little-endian byte form stored in the database, and back.
std::string grams_to_blob(const std::vector<uint32_t>& grams);
std::vector<uint32_t> grams_from_blob(const void* data, size_t bytes);

}  // namespace crm::detail
