// SPDX-License-Identifier: Apache-2.0
#include "policy/text_fold.hpp"

#include <opencc/Config.hpp>
#include <opencc/Conversion.hpp>
#include <opencc/ConversionChain.hpp>
#include <opencc/Converter.hpp>
#include <opencc/DictEntry.hpp>
#include <opencc/DictGroup.hpp>
#include <opencc/Exception.hpp>
#include <opencc/Lexicon.hpp>

#include <mutex>

namespace crm::detail {

namespace {

constexpr uint32_t kCodePoints = 0x110000;

// The code point at text[i] and its length in bytes. Texts are valid UTF-8 (checked where they
// enter); a sequence cut short is taken as one byte.
uint32_t decode(std::string_view text, size_t i, size_t& length) {
  const auto c = static_cast<uint8_t>(text[i]);
  length = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  if (i + length > text.size()) return length = 1, c;
  uint32_t v = length == 1 ? c : length == 2 ? c & 0x1Fu : length == 3 ? c & 0x0Fu : c & 0x07u;
  for (size_t k = 1; k < length; ++k) v = v << 6 | (static_cast<uint8_t>(text[i + k]) & 0x3Fu);
  return v;
}

void encode(uint32_t c, std::string& out) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | c >> 6);
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | c >> 12);
    out += static_cast<char>(0x80 | (c >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | c >> 18);
    out += static_cast<char>(0x80 | (c >> 12 & 0x3F));
    out += static_cast<char>(0x80 | (c >> 6 & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// Full-width ASCII forms (U+FF01..U+FF5E) and the ideographic space fold to ASCII.
bool full_width(uint32_t c) { return (c >= 0xFF01 && c <= 0xFF5E) || c == 0x3000; }
uint32_t half_width(uint32_t c) { return c == 0x3000 ? 0x20 : c - 0xFF01 + 0x21; }

std::vector<uint32_t> code_points(const std::string& s) {
  std::vector<uint32_t> out;
  for (size_t i = 0, n = 0; i < s.size(); i += n) out.push_back(decode(s, i, n));
  return out;
}

}  // namespace

struct TextFolder::OpenCC {
  opencc::ConverterPtr converter;
};

TextFolder::~TextFolder() = default;

Result<const TextFolder*> TextFolder::get() {
  static std::once_flag once;
  static std::unique_ptr<TextFolder> folder;
  static std::string failure;
  std::call_once(once, [] {
    auto f = std::unique_ptr<TextFolder>(new TextFolder());
    f->opencc_ = std::make_unique<OpenCC>();
    f->traditional_.assign(kCodePoints / 64, 0);
    try {
      opencc::Config config;
      f->opencc_->converter = config.NewFromFile("t2s.json");
      // Mark every code point a conversion would change: a character entry whose value differs
      // from its key, and in a phrase entry each character that differs from its counterpart.
      for (const opencc::ConversionPtr& conversion : f->opencc_->converter->GetConversionChain()->GetConversions()) {
        std::list<opencc::DictPtr> dicts = {conversion->GetDict()};
        if (const auto group = std::dynamic_pointer_cast<opencc::DictGroup>(conversion->GetDict())) dicts = group->GetDicts();
        for (const opencc::DictPtr& dict : dicts)
          for (const std::unique_ptr<opencc::DictEntry>& entry : *dict->GetLexicon()) {
            const std::vector<uint32_t> key = code_points(entry->Key()), value = code_points(entry->GetDefault());
            for (size_t i = 0; i < key.size(); ++i)
              if (key[i] < kCodePoints && (key.size() != value.size() || key[i] != value[i]))
                f->traditional_[key[i] / 64] |= uint64_t{1} << (key[i] % 64);
          }
      }
      folder = std::move(f);
    } catch (const opencc::Exception& e) {
      failure = std::string("cannot load OpenCC's Traditional-to-Simplified data (t2s.json; Debian package "
                            "libopencc-data): ") + e.what();
    } catch (const std::exception& e) {
      failure = std::string("cannot load OpenCC's Traditional-to-Simplified data: ") + e.what();
    }
  });
  if (!folder) return Status::io_error(failure);
  return folder.get();
}

unsigned TextFolder::changes(std::string_view text) const {
  unsigned what = 0;
  for (size_t i = 0, n = 0; i < text.size() && what != (kTraditional | kFullWidth); i += n) {
    if (static_cast<uint8_t>(text[i]) < 0x80) {
      n = 1;
      continue;
    }
    const uint32_t c = decode(text, i, n);
    if (full_width(c)) what |= kFullWidth;
    else if (c < kCodePoints && (traditional_[c / 64] >> (c % 64) & 1)) what |= kTraditional;
  }
  return what;
}

void TextFolder::fold(std::string_view text, std::string& out, unsigned what) const {
  std::string converted;
  if (what & kTraditional) {
    try {
      converted = opencc_->converter->Convert(std::string(text));
      text = converted;
    } catch (const opencc::Exception&) {
      // not UTF-8 after all: compared as it is
    }
  }
  out.clear();
  out.reserve(text.size());
  for (size_t i = 0, n = 0; i < text.size(); i += n) {
    const uint32_t c = decode(text, i, n);
    if (full_width(c)) encode(half_width(c), out);
    else out.append(text, i, n);
  }
}

}  // namespace crm::detail
