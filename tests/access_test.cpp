// SPDX-License-Identifier: Apache-2.0
// Confidentiality and traceability: scopes, permissions, masking in every answer, denials that
// are audited and write nothing else, and an audit log that cannot be altered.
#include "customer_fixture.hpp"
#include "policy/access_rules.hpp"

namespace crm::test {
namespace {

using nlohmann::json;

class Access : public CustomerStore {
 protected:
  void SetUp() override {
    CustomerStore::SetUp();
    json mine = customer("MINE");
    mine["since"] = shanghai(2024, 1, 1);
    put(kAdmin, mine);
    put(kAdmin, customer("THEIRS", "wang.fang", "north"));
    put(kAdmin, customer("EAST2", "zhao.lei", "east"));
    activity({{"customer", "MINE"}, {"type", "purchase"}, {"at", shanghai(2025, 1, 5)}, {"amount", 100}});
  }
  std::string audit(const char* column, const char* where) {
    return query(path(), (std::string("SELECT ") + column + " FROM audit WHERE " + where + " ORDER BY seq DESC LIMIT 1").c_str());
  }
};
INSTANTIATE_TEST_SUITE_P(Engines, Access, ::testing::ValuesIn(engines()), engine_name);

TEST_P(Access, OwnersSeeTheirOwnRecordsManagersTheirDepartment) {
  const auto ids = [&](const char* actor) {
    std::vector<std::string> out;
    const json answer = ask(actor, {{"query", "customers"}, {"at", shanghai(2025, 6, 1)}});
    for (const json& c : answer["customers"]) out.push_back(c["id"]);
    return out;
  };
  EXPECT_EQ(ids(kLiNa), std::vector<std::string>({"MINE"}));
  EXPECT_EQ(ids(kWangFang), std::vector<std::string>({"THEIRS"}));
  EXPECT_EQ(ids(kEastManager), std::vector<std::string>({"MINE", "EAST2"}));
  EXPECT_EQ(ids(kAdmin).size(), 3u);
  EXPECT_EQ(ask(kLiNa, {{"query", "tiers"}, {"at", shanghai(2025, 6, 1)}})["total"]["customers"], 1);
}

TEST_P(Access, AReadOutOfScopeIsDeniedAndAudited) {
  auto r = db().customer_query(kLiNa, R"({"query":"customer","id":"THEIRS"})");
  ASSERT_EQ(r.status().code(), StatusCode::permission_denied);
  EXPECT_NE(r.status().message().find("li.na"), std::string::npos) << r.status().message();
  EXPECT_EQ(audit("outcome || ' ' || operation || ' ' || record || ' ' || actor", "true"), "denied read THEIRS li.na");
  // A role without the permission at all: auditors read, never write.
  const std::string audits = count("audit");
  EXPECT_EQ(db().add_activity(kAuditor, R"({"customer":"MINE","type":"survey","at":1750000000,"score":5})").code(),
            StatusCode::permission_denied);
  EXPECT_EQ(count("audit"), std::to_string(std::stoi(audits) + 1));
  EXPECT_NE(audit("message", "outcome = 'denied'").find("customer.write"), std::string::npos);
  // Unknown roles and missing departments are refused before anything is read.
  EXPECT_EQ(db().customer_query(R"({"id":"x","role":"intern"})", R"({"query":"customers"})").status().code(),
            StatusCode::permission_denied);
  EXPECT_EQ(db().customer_query(R"({"id":"x","role":"manager"})", R"({"query":"customers"})").status().code(),
            StatusCode::permission_denied);
  EXPECT_EQ(db().customer_query(R"({"id":"x"})", R"({"query":"customers"})").status().code(), StatusCode::invalid_argument);
}

TEST_P(Access, ADeniedWriteWritesNothingButTheDenial) {
  const std::string customers = rows(path(), "SELECT document FROM customer ORDER BY seq");
  const std::string activities = count("activity"), audits = count("audit");
  // li.na may write her own customer but not wang.fang's: the batch is refused whole.
  json batch = json::array({{{"customer", "MINE"}, {"type", "purchase"}, {"at", shanghai(2025, 2, 1)}, {"amount", 5}},
                            {{"customer", "THEIRS"}, {"type", "purchase"}, {"at", shanghai(2025, 2, 1)}, {"amount", 5}}});
  EXPECT_EQ(db().add_activity(kLiNa, batch.dump()).code(), StatusCode::permission_denied);
  // Nor hand her customer to an owner she does not reach.
  EXPECT_EQ(db().put_customer(kLiNa, customer("MINE", "wang.fang", "north").dump()).code(), StatusCode::permission_denied);
  EXPECT_EQ(rows(path(), "SELECT document FROM customer ORDER BY seq"), customers);
  EXPECT_EQ(count("activity"), activities);
  EXPECT_EQ(count("audit"), std::to_string(std::stoi(audits) + 2));
  EXPECT_EQ(audit("coalesce(before, 'null') || coalesce(after, 'null')", "outcome = 'denied'"), "nullnull");
}

TEST_P(Access, PersonalDataIsMaskedInEveryAnswerWithoutPersonalRead) {
  const int64_t at = shanghai(2025, 6, 1);
  // zhou.min (service, east) reads east customers but without personal.read.
  json c = ask(kEastService, {{"query", "customer"}, {"id", "MINE"}, {"at", at}});
  EXPECT_EQ(c["customer"]["contacts"][0]["phone"], "138****5678");
  EXPECT_EQ(c["customer"]["contacts"][0]["email"], "w***@huadong.example");
  EXPECT_EQ(c["customer"]["address"], "上海市浦东新****");
  EXPECT_EQ(c["customer"]["contacts"][0]["name"], "王*");
  const std::string answers = ask(kEastService, {{"query", "collection_due"}, {"at", at}, {"all", true}}).dump() +
                              ask(kEastService, {{"query", "churn"}, {"at", shanghai(2026, 6, 1)}}).dump() +
                              ask(kEastService, {{"query", "history"}, {"kind", "customer"}, {"id", "MINE"}}).dump();
  EXPECT_EQ(answers.find("13812345678"), std::string::npos);
  EXPECT_EQ(answers.find("wang@huadong"), std::string::npos);
  EXPECT_EQ(answers.find("张江路"), std::string::npos);
  EXPECT_EQ(answers.find("王强"), std::string::npos);
  EXPECT_NE(answers.find("138****5678"), std::string::npos);
  // The same answers unmasked for a role with personal.read.
  const json shown = ask(kEastManager, {{"query", "customer"}, {"id", "MINE"}, {"at", at}})["customer"];
  EXPECT_EQ(shown["contacts"][0]["phone"], "13812345678");
  EXPECT_EQ(shown["contacts"][0]["name"], "王强");
  // The customer list's first contact too.
  const json listed = ask(kEastService, {{"query", "collection_due"}, {"at", at}, {"all", true}});
  EXPECT_NE(listed.dump().find("\"name\":\"王*\""), std::string::npos) << listed;
}

TEST_P(Access, AMaskedRecordSentBackKeepsThePersonalDataButChangingItNeedsPersonalWrite) {
  json shown = ask(kEastService, {{"query", "customer"}, {"id", "MINE"}})["customer"];
  shown["note"] = "prefers calls after 14:00";
  ASSERT_TRUE(db().put_customer(kEastService, shown.dump()).ok());
  json stored = ask(kAdmin, {{"query", "customer"}, {"id", "MINE"}})["customer"];
  EXPECT_EQ(stored["contacts"][0]["phone"], "13812345678");
  EXPECT_EQ(stored["note"], "prefers calls after 14:00");
  shown["contacts"][0]["phone"] = "13900000000";
  EXPECT_EQ(db().put_customer(kEastService, shown.dump()).code(), StatusCode::permission_denied);
  EXPECT_NE(audit("message", "outcome = 'denied'").find("personal.write"), std::string::npos);
}

TEST_P(Access, EveryChangeIsAuditedWithBeforeAndAfterAndTheLogCannotBeAltered) {
  json changed = customer("MINE");
  changed["contacts"][0]["phone"] = "13900001111";
  put(kLiNa, changed);
  json history = ask(kAdmin, {{"query", "history"}, {"kind", "customer"}, {"id", "MINE"}})["entries"];
  ASSERT_EQ(history.size(), 3u);  // created, purchase, updated
  EXPECT_EQ(history[0]["operation"], "put_customer");
  EXPECT_TRUE(history[0]["before"].is_null());
  EXPECT_EQ(history[1]["operation"], "add_activity");
  EXPECT_EQ(history[2]["actor"], "li.na");
  EXPECT_EQ(history[2]["before"]["contacts"][0]["phone"], "13812345678");
  EXPECT_EQ(history[2]["after"]["contacts"][0]["phone"], "13900001111");
  // Putting the same record again changes nothing and audits nothing.
  put(kLiNa, changed);
  EXPECT_EQ(ask(kAdmin, {{"query", "history"}, {"kind", "customer"}, {"id", "MINE"}})["entries"].size(), 3u);
  // The whole log is for audit.read only.
  EXPECT_EQ(db().customer_query(kLiNa, R"({"query":"audit"})").status().code(), StatusCode::permission_denied);
  EXPECT_GE(ask(kAuditor, {{"query", "audit"}})["entries"].size(), 5u);
  // Even a raw connection cannot rewrite or delete it (nor delete a customer or an activity).
  for (const char* sql : {"UPDATE audit SET actor = 'x'", "DELETE FROM audit", "DELETE FROM customer", "UPDATE activity SET amount = 0"}) {
    sqlite3* raw = nullptr;
    sqlite3_open(path().c_str(), &raw);
    EXPECT_NE(sqlite3_exec(raw, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sql;
    sqlite3_close(raw);
  }
}

TEST(AccessMasks, PhonesEmailsAddressesNames) {
  using crm::detail::mask_address;
  using crm::detail::mask_email;
  using crm::detail::mask_name;
  using crm::detail::mask_phone;
  EXPECT_EQ(mask_name("王小明"), "王**");
  EXPECT_EQ(mask_name("王强"), "王*");
  EXPECT_EQ(mask_name("Li Na"), "L****");
  EXPECT_EQ(mask_name("X"), "*");
  EXPECT_EQ(mask_name("欧阳"), "欧*");
  EXPECT_EQ(mask_name("Maximilian Alexander"), "M********");
  EXPECT_EQ(mask_phone("13812345678"), "138****5678");
  EXPECT_EQ(mask_phone("+86 21 5555 1234"), "+86*********1234");
  EXPECT_EQ(mask_phone("1234"), "****");
  EXPECT_EQ(mask_email("zhang@example.com"), "z***@example.com");
  EXPECT_EQ(mask_email("张伟@例子.中国"), "张***@例子.中国");
  EXPECT_EQ(mask_address("北京市海淀区中关村大街1号"), "北京市海淀区****");
  EXPECT_EQ(mask_address("short"), "****");
}

}  // namespace
}  // namespace crm::test
