// SPDX-License-Identifier: Apache-2.0
#include "ledger/similarity.hpp"

#include <algorithm>

namespace crm::detail {

namespace {

// Next code point of valid UTF-8 (invalid bytes map to themselves; the texts were validated).
uint32_t next_code_point(std::string_view s, size_t& i) {
  const auto b = [&](size_t k) { return static_cast<uint32_t>(static_cast<uint8_t>(s[k])); };
  const uint32_t c = b(i);
  size_t length = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  if (i + length > s.size()) length = 1;
  uint32_t cp = length == 1 ? c : length == 2 ? c & 0x1F : length == 3 ? c & 0x0F : c & 0x07;
  for (size_t k = 1; k < length; ++k) cp = (cp << 6) | (b(i + k) & 0x3F);
  i += length;
  return cp;
}

bool ignored(uint32_t cp) {
  if (cp < 0x80) return !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'));
  // CJK and full-width punctuation, general punctuation.
  return (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
         (cp >= 0x2000 && cp <= 0x206F);
}

uint32_t mix(uint32_t a, uint32_t b) {
  uint64_t h = (uint64_t{a} << 32 | b) * 0x9E3779B97F4A7C15ull;
  return static_cast<uint32_t>(h >> 32);
}

}  // namespace

std::vector<uint32_t> text_grams(std::string_view text) {
  std::vector<uint32_t> grams;
  uint32_t previous = 0;
  bool have_previous = false;
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = next_code_point(text, i);
    if (ignored(cp)) continue;  // grams bridge dropped characters: "打 印机" reads as "打印机"
    if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
    if (have_previous) grams.push_back(mix(previous, cp));
    previous = cp;
    have_previous = true;
  }
  if (grams.empty() && have_previous) grams.push_back(mix(previous, 0));
  std::sort(grams.begin(), grams.end());
  grams.erase(std::unique(grams.begin(), grams.end()), grams.end());
  return grams;
}

double gram_similarity(const uint32_t* a, size_t a_size, const uint32_t* b, size_t b_size) {
  if (a_size + b_size == 0) return 0;
  size_t i = 0, j = 0, common = 0;
  while (i < a_size && j < b_size) {
    if (a[i] < b[j]) ++i;
    else if (b[j] < a[i]) ++j;
    else ++common, ++i, ++j;
  }
  return 2.0 * static_cast<double>(common) / static_cast<double>(a_size + b_size);
}

std::string grams_to_blob(const std::vector<uint32_t>& grams) {
  std::string blob(grams.size() * 4, '\0');
  for (size_t i = 0; i < grams.size(); ++i)
    for (size_t k = 0; k < 4; ++k) blob[i * 4 + k] = static_cast<char>((grams[i] >> (8 * k)) & 0xFF);
  return blob;
}

std::vector<uint32_t> grams_from_blob(const void* data, size_t bytes) {
  const auto* p = static_cast<const uint8_t*>(data);
  std::vector<uint32_t> grams(bytes / 4);
  for (size_t i = 0; i < grams.size(); ++i)
    grams[i] = uint32_t{p[i * 4]} | uint32_t{p[i * 4 + 1]} << 8 | uint32_t{p[i * 4 + 2]} << 16 | uint32_t{p[i * 4 + 3]} << 24;
  return grams;
}

}  // namespace crm::detail
