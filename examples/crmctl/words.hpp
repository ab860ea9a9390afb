// SPDX-License-Identifier: Apache-2.0
// crmctl's language (README "crmctl"): its own tables and messages in Simplified Chinese or
// English, and the library's vocabulary (statuses, channels, urgencies, ...) through
// crm::term_label, the catalogue the HTML report uses. The library's error messages stay English
// (they are API); crmctl's own words around them follow the language.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace crmctl {

enum class Language { en, zh_cn };

// "zh-CN" or "en"; nullopt for anything else.
std::optional<Language> parse_language(std::string_view name);
// The language the environment asks for: the first of LC_ALL, LC_MESSAGES and LANG that is set
// and not empty decides; zh_CN / zh_SG / zh (Simplified Chinese) gives zh-CN, en_* gives en, and
// anything else (C, POSIX, other languages) leaves the choice to the policy.
std::optional<Language> language_from_environment();

// The language for the rest of the run; until set, crmctl speaks English.
void use_language(Language language);
Language language();
bool language_chosen();
const char* language_name();  // "zh-CN" or "en"

// crmctl's own text in the current language, the English text being the key; a text without a
// translation comes back as it is (tests/check_crmctl_words.py finds those).
const char* tr(const char* english);
// tr(pattern) with each "{}" replaced by the next of `values`.
std::string trf(const char* english_pattern, std::initializer_list<std::string> values);
// A term of the library's vocabulary ("breached", "urgent") in the current language; the term
// itself when the catalogue lacks it.
std::string label(std::string_view term);

}  // namespace crmctl
