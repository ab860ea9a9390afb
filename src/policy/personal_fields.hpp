// SPDX-License-Identifier: Apache-2.0
// Which fields of a customer or prospect record are personal data (README "Security"): the address
// and every contact's name, phone and email. The customer layer masks them for readers without
// personal.read; the store seals them at rest.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "policy/access_rules.hpp"

namespace crm::detail {

using MaskFn = std::string (*)(std::string_view);

// Calls f(pointer, mask) for every personal field present (as a string) in `record`.
template <class F>
void each_personal_field(const nlohmann::json& record, F&& f) {
  using pointer = nlohmann::json::json_pointer;
  if (!record.is_object()) return;
  if (const auto a = record.find("address"); a != record.end() && a->is_string()) f(pointer("/address"), &mask_address);
  const auto contacts = record.find("contacts");
  if (contacts == record.end() || !contacts->is_array()) return;
  for (size_t i = 0; i < contacts->size(); ++i) {
    const nlohmann::json& contact = (*contacts)[i];
    if (!contact.is_object()) continue;
    const std::string base = "/contacts/" + std::to_string(i);
    for (const auto& [key, mask] : {std::pair<const char*, MaskFn>{"name", &mask_name}, {"phone", &mask_phone}, {"email", &mask_email}})
      if (const auto v = contact.find(key); v != contact.end() && v->is_string()) f(pointer(base + "/" + key), mask);
  }
}

}  // namespace crm::detail
