// SPDX-License-Identifier: Apache-2.0
// The fast SAX driver against nlohmann's: same events, same answer, wherever it answers at all;
// and it does answer for the plain lines an import reads.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sax_recorder.hpp"

namespace {

using crm::detail::SaxOutcome;
using crm::test::SaxRecorder;
using crm::test::sax_disagreement;

SaxOutcome fast_outcome(std::string_view text) {
  SaxRecorder r;
  return crm::detail::fast_sax_parse(text, r);
}

TEST(JsonSax, ReadsThePlainLinesOfAnImportItself) {
  for (const char* text : {
           R"({"type":"acknowledged","demand":"D-1","at":1751328000,"actor":"li"})",
           R"( { "id" : "D-1", "received_at": 1751328000, "customer": {"id": "C-9", "key": true, "tier": null} } )",
           R"({"title":"系统无法导出报表","labels":{"区域":"华东"},"n":-42,"z":0,"m":-0})",
           R"({"big":18446744073709551615,"small":-9223372036854775808,"empty":{},"s":""})",
           "{\"t\":\"tab\x7f\"}\r\n",
       }) {
    EXPECT_EQ(fast_outcome(text), SaxOutcome::accepted) << text;
    for (int refuse_at = -1; refuse_at < 20; ++refuse_at) EXPECT_EQ(sax_disagreement(text, refuse_at), "") << text;
  }
}

TEST(JsonSax, LeavesTheRestToNlohmann) {
  for (const char* text : {
           R"({"a":[1,2]})", R"({"a":1.5})", R"({"a":1e3})", R"({"a":"x\"y"})", R"({"a":"\u4e2d"})",
           "\xEF\xBB\xBF{}", R"({"a":18446744073709551616})", R"({"a":-9223372036854775809})", R"({"a":01})",
           R"({"a":-})", R"({"a":1,})", R"({"a" 1})", R"({"a":1} x)", R"({"a":tru})", R"({"a":"x)", "",
           "{\"a\":\"\xC0\xAF\"}", "{\"a\":\"\xED\xA0\x80\"}", "{\"a\":\"\x01\"}", R"({"a":1}{"b":2})",
       }) {
    EXPECT_EQ(fast_outcome(text), SaxOutcome::unsupported) << text;
    EXPECT_EQ(sax_disagreement(text, -1), "") << text;
  }
}

TEST(JsonSax, AHandlerThatRefusesStopsTheReadAtOnce) {
  SaxRecorder r(1);  // refuses the first key
  EXPECT_EQ(crm::detail::fast_sax_parse(R"({"a":1,"b":[1.5]})", r), SaxOutcome::refused);
  EXPECT_EQ(r.log, "{ 18446744073709551615\nkey 1:a\n");
}

TEST(JsonSax, NestingPastTheLimitIsLeftToNlohmann) {
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "{\"a\":";
  deep += "1";
  for (int i = 0; i < 100; ++i) deep += "}";
  EXPECT_EQ(fast_outcome(deep), SaxOutcome::unsupported);
}

// Every prefix of the plain lines, and each with one byte changed to each of the characters
// JSON gives a meaning: wherever the fast driver answers, nlohmann agrees.
TEST(JsonSax, AgreesWithNlohmannOnMutatedLines) {
  const std::string base = R"({"id":"D-1","received_at":1751328000,"customer":{"id":"C-9","key":false},"t":"需求"})";
  const std::string alphabet = "{}[]\":,-0123456789.eE tfnul\\\x01\x80\xE4";
  int answered = 0;
  for (size_t i = 0; i <= base.size(); ++i) {
    EXPECT_EQ(sax_disagreement(base.substr(0, i), -1), "") << base.substr(0, i);
    if (i == base.size()) break;
    for (char c : alphabet) {
      std::string mutated = base;
      mutated[i] = c;
      EXPECT_EQ(sax_disagreement(mutated, -1), "") << mutated;
      answered += fast_outcome(mutated) != SaxOutcome::unsupported;
    }
  }
  EXPECT_GT(answered, 100);  // the comparison above is not vacuous
}

}  // namespace
