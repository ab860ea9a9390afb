// SPDX-License-Identifier: Apache-2.0
// Hostile input through the C API, on a 256 KB thread stack (a quarter of the JVM's default):
// nesting 10^2..10^6 deep at every object and array of every document kind, 10^6-key objects,
// 10^6-element arrays, huge strings, escape and surrogate runs, invalid UTF-8 in every string,
// NUL bytes. Each call is refused or answered, never a crash, and a refused write changes nothing.
#include <gtest/gtest.h>
#include <pthread.h>

#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "crmpolicy/crmpolicy.h"
#include "store_fixture.hpp"

namespace {

namespace test = crm::test;

constexpr size_t kStackBytes = 256 * 1024;
constexpr const char* kAdmin = R"({"id":"admin","role":"admin"})";
constexpr int64_t kAt = 1745900000;  // 2025-04-29

// Runs `body` on a thread with a 256 KB stack and waits for it.
void on_small_stack(const std::function<void()>& body) {
  pthread_attr_t attr;
  ASSERT_EQ(pthread_attr_init(&attr), 0);
  ASSERT_EQ(pthread_attr_setstacksize(&attr, kStackBytes), 0);
  pthread_t thread;
  const auto run = [](void* p) -> void* {
    (*static_cast<const std::function<void()>*>(p))();
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attr, run, const_cast<std::function<void()>*>(&body)), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every row of every table, over a separate raw connection: equal before and after a refused write.
std::string contents(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  std::vector<std::string> tables;
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1, &st, nullptr);
  while (sqlite3_step(st) == SQLITE_ROW) tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  std::string out;
  for (const std::string& t : tables) {
    out += "[" + t + "]\n";
    sqlite3_prepare_v2(db, ("SELECT * FROM \"" + t + "\"").c_str(), -1, &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        const auto* v = static_cast<const char*>(sqlite3_column_blob(st, c));
        out.append(v ? v : "<null>", v ? static_cast<size_t>(sqlite3_column_bytes(st, c)) : 6);
        out += '|';
      }
      out += '\n';
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return out;
}

// One document kind: a valid example and the call that reads it.
struct Kind {
  const char* name;
  std::string valid;
  std::function<crm_status(const std::string&)> call;
  bool writes;  // a refused call must leave the database as it was
};

// Offsets just after every '{' and '[' outside strings, with whether the container is empty.
struct Opening {
  size_t offset;
  bool object, empty;
};
std::vector<Opening> openings(const std::string& doc) {
  std::vector<Opening> out;
  bool in_string = false;
  for (size_t i = 0; i < doc.size(); ++i) {
    const char c = doc[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      const size_t next = doc.find_first_not_of(" \t\r\n", i + 1);
      out.push_back({i + 1, c == '{', next != std::string::npos && (doc[next] == '}' || doc[next] == ']')});
    }
  }
  return out;
}

// Offsets just after the opening quote of every string (keys and values).
std::vector<size_t> string_starts(const std::string& doc) {
  std::vector<size_t> out;
  bool in_string = false;
  for (size_t i = 0; i < doc.size(); ++i) {
    if (in_string) {
      if (doc[i] == '\\') ++i;
      else if (doc[i] == '"') in_string = false;
    } else if (doc[i] == '"') {
      in_string = true;
      out.push_back(i + 1);
    }
  }
  return out;
}

std::string nest(size_t depth, bool objects) {
  std::string out;
  out.reserve(depth * 6 + 1);
  for (size_t i = 0; i < depth; ++i) out += objects ? "{\"a\":" : "[";
  out += "1";
  for (size_t i = 0; i < depth; ++i) out += objects ? '}' : ']';
  return out;
}

std::string demand(const std::string& id, const std::string& extra = "") {
  return R"({"id":")" + id + R"(","received_at":1745000000,"channel":"phone","title":"打印机故障","text":"设备停机了，请尽快处理",)"
         R"("department":"客户服务部","owner":"li.na","customer":{"id":"C1","tier":"large"},"labels":{"source":"web"})" + extra + "}";
}

class HostileInput : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(crm_policy_from_json(test::sample_policy().c_str(), &policy_), CRM_OK) << crm_last_error();
    ASSERT_EQ(crm_db_open(path_.c_str(), &db_), CRM_OK) << crm_last_error();
    ASSERT_EQ(crm_db_put_policy(db_, test::sample_policy().c_str()), CRM_OK) << crm_last_error();
    char* out = nullptr;
    ASSERT_EQ(crm_db_record_demand(db_, demand("D1").c_str(), &out), CRM_OK) << crm_last_error();
    crm_free(out);
    ASSERT_EQ(crm_db_put_customer(db_, kAdmin, customer_.c_str()), CRM_OK) << crm_last_error();
    ASSERT_EQ(crm_db_put_prospect(db_, kAdmin, prospect_.c_str()), CRM_OK) << crm_last_error();
  }
  void TearDown() override {
    crm_db_close(db_);
    crm_policy_free(policy_);
  }

  // Calls that answer into a string: the answer is freed, only the status matters here.
  template <class Call>
  static crm_status answered(Call call) {
    char* out = nullptr;
    const crm_status s = call(&out);
    crm_free(out);
    return s;
  }

  std::vector<Kind> kinds() {
    const std::string calendar = read_file(CRMPOLICY_DATA_DIR "/calendars/cn-office.json");
    const std::string at = std::to_string(kAt);
    std::vector<Kind> k;
    k.push_back({"calendar", calendar, [](const std::string& d) {
                   crm_calendar* c = nullptr;
                   const crm_status s = crm_calendar_from_json(d.c_str(), &c);
                   crm_calendar_free(c);
                   return s;
                 }, false});
    k.push_back({"policy", test::sample_policy(), [](const std::string& d) {
                   crm_policy* p = nullptr;
                   const crm_status s = crm_policy_from_json(d.c_str(), &p);
                   crm_policy_free(p);
                   return s;
                 }, false});
    k.push_back({"evaluate", demand("E1"), [this](const std::string& d) {
                   return answered([&](char** out) { return crm_policy_evaluate(policy_, d.c_str(), out); });
                 }, false});
    k.push_back({"put_policy", test::sample_policy(), [this](const std::string& d) { return crm_db_put_policy(db_, d.c_str()); }, true});
    k.push_back({"record_demand", demand("D1"), [this](const std::string& d) {
                   return answered([&](char** out) { return crm_db_record_demand(db_, d.c_str(), out); });
                 }, true});
    k.push_back({"append_event", R"({"type":"paused","at":1745003600,"actor":"li.na","reason":"等待客户","comment":"已联系"})",
                 [this](const std::string& d) { return crm_db_append_event(db_, "D1", d.c_str()); }, true});
    k.push_back({"worklist", R"({"at":)" + at + R"(,"owner":"li.na","limit":10})", [this](const std::string& d) {
                   return answered([&](char** out) { return crm_db_worklist(db_, d.c_str(), out); });
                 }, false});
    k.push_back({"worklist_page", R"({"at":)" + at + R"(,"page_size":2,"after":"1745000000.4431.6669727374"})",
                 [this](const std::string& d) {
                   return answered([&](char** out) { return crm_db_worklist(db_, d.c_str(), out); });
                 }, false});
    k.push_back({"weekly_progress", R"({"at":)" + at + "}", [this](const std::string& d) {
                   return answered([&](char** out) { return crm_db_weekly_progress(db_, d.c_str(), out); });
                 }, false});
    k.push_back({"report", R"({"at":)" + at + R"(,"period":"month","by":["department"]})", [this](const std::string& d) {
                   return answered([&](char** out) { return crm_db_report(db_, d.c_str(), out); });
                 }, false});
    k.push_back({"actor", kAdmin, [this](const std::string& d) { return crm_db_put_customer(db_, d.c_str(), customer_.c_str()); }, true});
    k.push_back({"put_customer", customer_, [this](const std::string& d) { return crm_db_put_customer(db_, kAdmin, d.c_str()); }, true});
    k.push_back({"add_activity", R"([{"customer":"C1","type":"purchase","at":1745000000,"amount":6000.5}])",
                 [this](const std::string& d) { return crm_db_add_activity(db_, kAdmin, d.c_str()); }, true});
    k.push_back({"put_prospect", prospect_, [this](const std::string& d) { return crm_db_put_prospect(db_, kAdmin, d.c_str()); }, true});
    k.push_back({"add_prospect_event", R"({"prospect":"P1","type":"follow_up","at":1745100000,"content":"电话沟通","method":"call"})",
                 [this](const std::string& d) { return crm_db_add_prospect_event(db_, kAdmin, d.c_str()); }, true});
    k.push_back({"customer_query", R"({"query":"customers","at":)" + at + R"(,"tier":"key"})", [this](const std::string& d) {
                   return answered([&](char** out) { return crm_db_customer_query(db_, kAdmin, d.c_str(), out); });
                 }, false});
    k.push_back({"import_options", R"({"batch_size":10,"skip_invalid":false})", [this](const std::string& d) {
                   write_file(ndjson_, demand("I1") + "\n");
                   return answered([&](char** out) { return crm_db_import(db_, ndjson_.c_str(), d.c_str(), out); });
                 }, true});
    k.push_back({"import_line", demand("I2"), [this](const std::string& d) {
                   write_file(ndjson_, d + "\n");
                   return answered([&](char** out) { return crm_db_import(db_, ndjson_.c_str(), "{}", out); });
                 }, true});
    return k;
  }

  static void write_file(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

  // Runs `mutate` over every kind: each result must be refused with CRM_EINVAL and `why` in the
  // message, and the database must be unchanged.
  void expect_refused_everywhere(const std::function<std::vector<std::string>(const Kind&)>& mutate, const char* why) {
    for (const Kind& kind : kinds()) {
      const std::string before = contents(path_);
      size_t n = 0;
      for (const std::string& doc : mutate(kind)) {
        ++n;
        const crm_status s = kind.call(doc);
        EXPECT_EQ(s, CRM_EINVAL) << kind.name << " #" << n;
        EXPECT_NE(std::string(crm_last_error()).find(why), std::string::npos) << kind.name << " #" << n << ": " << crm_last_error();
        if (s != CRM_EINVAL) break;
      }
      EXPECT_GT(n, 0u) << kind.name;
      if (kind.writes) {
        EXPECT_EQ(contents(path_), before) << kind.name << " changed the database";
      }
    }
  }

  test::TempDir dir_;
  std::string path_ = dir_.file("hostile.db");
  std::string ndjson_ = dir_.file("lines.ndjson");
  crm_db* db_ = nullptr;
  crm_policy* policy_ = nullptr;
  std::string customer_ =
      R"({"id":"C1","company":"华东机械有限公司","owner":"li.na","department":"east","industry":"manufacturing",)"
      R"("address":"上海市浦东新区张江路88号","contacts":[{"name":"王强","phone":"13812345678","email":"wang@huadong.example"}]})";
  std::string prospect_ =
      R"({"id":"P1","company":"意向公司","industry":"manufacturing","size":"medium","need":"general","source":"inbound",)"
      R"("channel":"trade_show","owners":{"first_contact":"sun.li","follow_up":"li.na","project":"zhao.lei"},)"
      R"("department":"east","created_at":1745000000,"contacts":[{"name":"刘洋","phone":"13712345678"}]})";
};

TEST_F(HostileInput, EveryExampleDocumentIsAccepted) {
  on_small_stack([&] {
    for (const Kind& kind : kinds()) EXPECT_EQ(kind.call(kind.valid), CRM_OK) << kind.name << ": " << crm_last_error();
  });
}

TEST_F(HostileInput, DeepNestingAnywhereIsRefusedNamingTheLimit) {
  on_small_stack([&] {
    for (const size_t depth : {100, 1000, 10000, 100000, 1000000}) {
      for (const bool objects : {false, true}) {
        const std::string deep = nest(depth, objects);
        expect_refused_everywhere(
            [&](const Kind& kind) {
              std::vector<std::string> docs{deep};
              // Every position up to 100,000 levels; a million (2 MB a document) as the whole
              // document and as a member of the top-level one: the limit does not depend on how
              // deep the input goes, and each position costs a 2 MB copy (57 s in all under ASan).
              std::vector<Opening> at = openings(kind.valid);
              if (depth > 100000 && at.size() > 1) at.resize(1);
              for (const Opening& o : at) {
                std::string doc = kind.valid;
                doc.insert(o.offset, (o.object ? "\"zz\":" : "") + deep + (o.empty ? "" : ","));
                docs.push_back(std::move(doc));
              }
              return docs;
            },
            "nesting deeper than 64 levels");
      }
    }
  });
}

TEST_F(HostileInput, DeepNestingErrorNamesThePath) {
  on_small_stack([&] {
    char* out = nullptr;
    const std::string doc = demand("E1", R"(,"labels2":{"x":)" + nest(100000, false) + "}");
    EXPECT_EQ(crm_policy_evaluate(policy_, doc.c_str(), &out), CRM_EINVAL);
    std::string path = "/labels2/x";
    for (int i = 0; i < 62; ++i) path += "/0";
    EXPECT_EQ(std::string(crm_last_error()), "demand JSON: " + path + ": nesting deeper than 64 levels");
    EXPECT_EQ(out, nullptr);
  });
}

// The valid document with each of `inserts` at the start of each of its strings.
std::vector<std::string> in_every_string(const Kind& kind, std::initializer_list<std::string> inserts) {
  std::vector<std::string> docs;
  for (const std::string& bad : inserts) {
    for (size_t at : string_starts(kind.valid)) {
      std::string doc = kind.valid;
      doc.insert(at, bad);
      docs.push_back(std::move(doc));
    }
  }
  return docs;
}

TEST_F(HostileInput, InvalidUtf8InEveryStringIsRefused) {
  on_small_stack([&] {
    expect_refused_everywhere(
        [&](const Kind& kind) {
          return in_every_string(kind, {"\xff", "\xc3\x28", "\xed\xa0\x80", "\xe4\xb8", "\xf4\x90\x80\x80", "\xc0\xaf"});
        },
        "malformed JSON");
  });
}

TEST_F(HostileInput, LoneSurrogatesAndNulBytesAreRefused) {
  on_small_stack([&] {
    expect_refused_everywhere(
        [&](const Kind& kind) { return in_every_string(kind, {"\\ud800", "\\udc00", "\\ud83dx", "\\ud83d\\u0041"}); },
        "malformed JSON");
    // A NUL byte ends a C string: what is left is not a document.
    expect_refused_everywhere(
        [&](const Kind& kind) { return in_every_string(kind, {std::string(1, '\0')}); },
        "malformed JSON");
  });
}

TEST_F(HostileInput, EscapedNulIsRefusedInIdsAndKeptInTexts) {
  on_small_stack([&] {
    char* out = nullptr;
    const std::string before = contents(path_);
    EXPECT_EQ(crm_db_record_demand(db_, demand("N\\u00001").c_str(), &out), CRM_EINVAL);
    EXPECT_NE(std::string(crm_last_error()).find("/id: control characters are not allowed"), std::string::npos) << crm_last_error();
    EXPECT_EQ(crm_db_append_event(db_, "D1", R"({"type":"note","at":1745003600,"actor":"li\u0000na"})"), CRM_EINVAL);
    EXPECT_EQ(crm_db_put_customer(db_, R"({"id":"ad\u0000min","role":"admin"})", customer_.c_str()), CRM_EINVAL);
    EXPECT_EQ(contents(path_), before);
    std::string doc = demand("N2");
    doc.replace(doc.find("设备停机了"), 0, "a\\u0000b");
    ASSERT_EQ(crm_db_record_demand(db_, doc.c_str(), &out), CRM_OK) << crm_last_error();
    crm_free(out);
    ASSERT_EQ(crm_db_get_demand(db_, "N2", kAt, &out), CRM_OK);
    EXPECT_NE(std::string(out).find("a\\u0000b"), std::string::npos);
    crm_free(out);
  });
}

TEST_F(HostileInput, WideObjectsAndArraysAreRefusedPastTheLimit) {
  on_small_stack([&] {
    std::string labels = "{";
    for (int i = 0; i < 1000000; ++i) labels += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":\"v\"";
    labels += "}";
    char* out = nullptr;
    EXPECT_EQ(crm_policy_evaluate(policy_, demand("W1", ",\"labels2\":" + labels).c_str(), &out), CRM_EINVAL);
    EXPECT_EQ(std::string(crm_last_error()), "demand JSON: /labels2: more than 100000 keys");
    std::string many = "[";
    for (int i = 0; i < 1000000; ++i) many += i ? ",{}" : "{}";
    many += "]";
    const std::string before = contents(path_);
    EXPECT_EQ(crm_db_put_customer(db_, kAdmin, many.c_str()), CRM_EINVAL);
    EXPECT_EQ(std::string(crm_last_error()), "customer JSON: /: more than 100000 elements");
    EXPECT_EQ(crm_db_add_activity(db_, kAdmin, many.c_str()), CRM_EINVAL);
    EXPECT_EQ(contents(path_), before);
    crm_calendar* cal = nullptr;
    std::string holidays = R"({"time_zone":"UTC","hours":{"mon":"09:00-17:00"},"holidays":[)";
    for (int i = 0; i < 1000000; ++i) holidays += i ? ",\"2025-01-01\"" : "\"2025-01-01\"";
    EXPECT_EQ(crm_calendar_from_json((holidays + "]}").c_str(), &cal), CRM_EINVAL);
    EXPECT_EQ(cal, nullptr);
    // Eleven arrays of 100,000 within the per-array limit: the document's million values are not.
    std::string rows = "[";
    for (int r = 0; r < 11; ++r) {
      rows += r ? ",[" : "[";
      for (int i = 0; i < 100000; ++i) rows += i ? ",0" : "0";
      rows += "]";
    }
    EXPECT_EQ(crm_db_add_activity(db_, kAdmin, (rows + "]").c_str()), CRM_EINVAL);
    EXPECT_EQ(std::string(crm_last_error()), "activity JSON: /9/99989: more than 1000000 values in the document");
  });
}

TEST_F(HostileInput, ManyLabelsUpToTheLimitAreAnswered) {
  on_small_stack([&] {
    std::string labels = "{";
    for (int i = 0; i < 100000; ++i) labels += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":\"v\"";
    labels += "}";
    std::string doc = demand("W2");
    doc.replace(doc.find(R"({"source":"web"})"), std::string(R"({"source":"web"})").size(), labels);
    char* out = nullptr;
    ASSERT_EQ(crm_policy_evaluate(policy_, doc.c_str(), &out), CRM_OK) << crm_last_error();
    EXPECT_NE(std::string(out).find("\"k99999\""), std::string::npos);
    crm_free(out);
  });
}

TEST_F(HostileInput, HugeStringsAndDocumentsAreRefusedWithTheirLimit) {
  on_small_stack([&] {
    char* out = nullptr;
    const std::string before = contents(path_);
    std::string doc = demand("S1");
    doc.replace(doc.find("设备停机了"), 0, std::string((1 << 20) + 1, 'x'));
    EXPECT_EQ(crm_db_record_demand(db_, doc.c_str(), &out), CRM_EINVAL);
    EXPECT_EQ(std::string(crm_last_error()), "demand JSON: /text: string longer than 1048576 bytes");
    std::string padded = demand("S2");
    padded.insert(1, size_t{16} << 20, ' ');
    EXPECT_EQ(crm_db_record_demand(db_, padded.c_str(), &out), CRM_EINVAL);
    EXPECT_NE(std::string(crm_last_error()).find("more than the 16777216 a document may have"), std::string::npos);
    EXPECT_EQ(crm_db_record_demand(db_, demand(std::string(129, 'i')).c_str(), &out), CRM_EINVAL);
    EXPECT_NE(std::string(crm_last_error()).find("/id: longer than 128 bytes"), std::string::npos);
    std::string key_doc = demand("S3");
    key_doc.insert(1, "\"" + std::string(2 << 20, 'k') + "\":1,");
    EXPECT_EQ(crm_policy_evaluate(policy_, key_doc.c_str(), &out), CRM_EINVAL);
    EXPECT_EQ(std::string(crm_last_error()), "demand JSON: /: key longer than 1048576 bytes");
    EXPECT_EQ(crm_db_put_customer(db_, (R"({"id":")" + std::string(200, 'a') + R"(","role":"admin"})").c_str(), customer_.c_str()),
              CRM_EINVAL);
    EXPECT_EQ(contents(path_), before);
    EXPECT_EQ(out, nullptr);
  });
}

TEST_F(HostileInput, LongTextsAndEscapeRunsWithinTheLimitsAreAnswered) {
  on_small_stack([&] {
    const auto text_of = [](const std::string& unit, size_t n) {
      std::string t;
      for (size_t i = 0; i < n; ++i) t += unit;
      return t;
    };
    int id = 0;
    for (const std::string& text : {text_of("设备停机", 87000),         // 1,044,000 bytes of Chinese
                                    text_of("\\u4e2d", 170000),          // escapes, 510 KB decoded
                                    text_of("\\ud83d\\ude00", 100000),   // surrogate pairs
                                    text_of("\\\\\\\"\\n\\t", 100000)}) {  // escaped punctuation
      std::string doc = demand("L" + std::to_string(++id));
      doc.replace(doc.find("设备停机了"), std::string("设备停机了").size(), text);
      char* out = nullptr;
      EXPECT_EQ(crm_policy_evaluate(policy_, doc.c_str(), &out), CRM_OK) << id << ": " << crm_last_error();
      crm_free(out);
      out = nullptr;
      EXPECT_EQ(crm_db_record_demand(db_, doc.c_str(), &out), CRM_OK) << id << ": " << crm_last_error();
      crm_free(out);
    }
  });
}

}  // namespace
