// SPDX-License-Identifier: Apache-2.0
// Random small edits of a text (a byte erased, inserted or replaced, one to three times), for the
// tests that compare two readers of one format on valid, nearly valid and broken documents.
#pragma once

#include <random>
#include <string>

namespace crm::test {

template <class Check>
void each_mutation(const std::string& seed, int count, const std::string& alphabet, std::mt19937& rng, Check check) {
  for (int m = 0; m < count; ++m) {
    std::string text = seed;
    for (int edits = 1 + static_cast<int>(rng() % 3); edits > 0 && !text.empty(); --edits) {
      const size_t at = rng() % text.size();
      switch (rng() % 3) {
        case 0: text.erase(at, 1 + rng() % 3); break;
        case 1: text.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
        default: text[at] = alphabet[rng() % alphabet.size()]; break;
      }
    }
    check(text);
  }
}

}  // namespace crm::test
