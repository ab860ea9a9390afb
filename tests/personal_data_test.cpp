// SPDX-License-Identifier: Apache-2.0
// Issue 18 §2 (README "Security"): personal data — contact names, phones, emails, addresses — at
// rest. Once a database has a keyring, the stored records, their list columns and the audit's
// before/after hold masks, the plaintext sealed field by field under the keyring's data key. Every
// check of what is stored reads the tables with raw SQL, as a thief with the file would.
#include <sodium.h>

#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "customer_fixture.hpp"

namespace crm::test {
namespace {

const char* const kKey = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const char* const kOtherKey = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
const char* const kPersonal[] = {"王强", "13812345678", "wang@huadong", "张江路88号", "刘洋", "13712345678"};

class PersonalData : public CustomerStore {
 protected:
  void reopen(const std::string& key = "") {
    db_.reset();
    DatabaseOptions options;
    options.encryption_key = key;
    auto opened = Database::open(path(), options);
    ASSERT_TRUE(opened.ok()) << opened.status().to_string();
    db_.emplace(std::move(*opened));
  }
  static nlohmann::json prospect(const std::string& id) {
    return {{"id", id},
            {"company", "意向公司 " + id},
            {"industry", "manufacturing"},
            {"size", "medium"},
            {"need", "general"},
            {"source", "inbound"},
            {"owners", {{"first_contact", "li.na"}, {"follow_up", "li.na"}, {"project", "li.na"}}},
            {"department", "east"},
            {"created_at", 1767225600},
            {"contacts", {{{"name", "刘洋"}, {"phone", "13712345678"}}}}};
  }
  // Two customers (one changed, so the audit has a before), one prospect.
  void write_records() {
    put(kLiNa, customer("C-1"));
    put(kLiNa, customer("C-2"));
    nlohmann::json changed = customer("C-1");
    changed["industry"] = "energy";
    put(kLiNa, changed);
    const Status s = db().put_prospect(kLiNa, prospect("P-1").dump());
    ASSERT_TRUE(s.ok()) << s.to_string();
  }
  // Every stored text of the customer side, as one string.
  std::string stored_text() {
    return rows(path(), "SELECT id, document, contact_name, contact_phone, contact_email, coalesce(contact_sealed, '') FROM customer") +
           rows(path(), "SELECT id, document FROM prospect") +
           rows(path(), "SELECT coalesce(before, ''), coalesce(after, '') FROM audit");
  }
  // A list that shows each customer's first contact: needs collection, all overdue by then.
  nlohmann::json contact_list(const char* actor) { return ask(actor, {{"query", "collection_due"}, {"at", 1800000000}}); }
  void expect_no_plaintext(const std::string& text) {
    for (const char* plain : kPersonal) EXPECT_EQ(text.find(plain), std::string::npos) << plain << " is stored in the clear";
  }
};

INSTANTIATE_TEST_SUITE_P(Engines, PersonalData, ::testing::ValuesIn(engines()), engine_name);

TEST_P(PersonalData, WithoutAKeyringItIsStoredAsGiven) {
  write_records();
  const std::string text = stored_text();
  for (const char* plain : kPersonal) EXPECT_NE(text.find(plain), std::string::npos) << plain;
  EXPECT_EQ(text.find("$sealed"), std::string::npos);
}

TEST_P(PersonalData, IsSealedAtRestAndReadInTheClearWithTheKey) {
  reopen(kKey);
  write_records();
  const std::string text = stored_text();
  expect_no_plaintext(text);
  // Masks stay in the stored form, so a reader without the key sees them.
  EXPECT_EQ(query(path(), "SELECT contact_phone FROM customer WHERE id = 'C-1'"), "138****5678");
  EXPECT_EQ(query(path(), "SELECT contact_name FROM customer WHERE id = 'C-1'"), "王*");
  EXPECT_EQ(nlohmann::json::parse(query(path(), "SELECT document FROM customer WHERE id = 'C-1'"))["$sealed"]["key"], 2);

  // A role with personal.read sees everything in the clear: the record, the list, the history.
  const nlohmann::json view = ask(kLiNa, {{"query", "customer"}, {"id", "C-1"}, {"at", 1767225600}});
  EXPECT_EQ(view["customer"]["contacts"][0]["phone"], "13812345678");
  EXPECT_EQ(view["customer"]["address"], "上海市浦东新区张江路88号");
  EXPECT_FALSE(view["customer"].contains("$sealed"));
  const nlohmann::json list = contact_list(kLiNa);
  ASSERT_EQ(list["items"].size(), 2u) << list.dump();
  EXPECT_EQ(list["items"][0]["contact"]["phone"], "13812345678");
  EXPECT_EQ(list["items"][1]["contact"]["name"], "王强");
  const nlohmann::json history = ask(kLiNa, {{"query", "history"}, {"kind", "customer"}, {"id", "C-1"}});
  ASSERT_EQ(history["entries"].size(), 2u);
  EXPECT_EQ(history["entries"][1]["before"]["contacts"][0]["email"], "wang@huadong.example");
  EXPECT_EQ(history["entries"][1]["after"]["industry"], "energy");
  const nlohmann::json p = ask(kLiNa, {{"query", "prospect"}, {"id", "P-1"}, {"at", 1767225600}});
  EXPECT_EQ(p["prospect"]["contacts"][0]["name"], "刘洋");
  // Without personal.read: masked, as before.
  const nlohmann::json service = ask(kEastService, {{"query", "customer"}, {"id", "C-1"}, {"at", 1767225600}});
  EXPECT_EQ(service["customer"]["contacts"][0]["phone"], "138****5678");

  // A masked record sent back keeps the real data; an unchanged record writes nothing.
  const std::string audits = count("audit");
  nlohmann::json back = customer("C-1");
  back["industry"] = "energy";
  back["contacts"][0]["phone"] = "138****5678";
  put(kLiNa, back);
  EXPECT_EQ(count("audit"), audits);
  EXPECT_EQ(ask(kLiNa, {{"query", "customer"}, {"id", "C-1"}, {"at", 1767225600}})["customer"]["contacts"][0]["phone"], "13812345678");
}

TEST_P(PersonalData, AHandleWithoutTheKeyReadsMasksAndStoresNoPersonalData) {
  reopen(kKey);
  write_records();
  reopen();
  // Even a role with personal.read sees masks: the plaintext needs the key.
  const nlohmann::json view = ask(kLiNa, {{"query", "customer"}, {"id", "C-1"}, {"at", 1767225600}});
  EXPECT_EQ(view["customer"]["contacts"][0]["phone"], "138****5678");
  EXPECT_EQ(view["customer"]["industry"], "energy");  // what is not personal reads as it is
  const nlohmann::json list = contact_list(kLiNa);
  ASSERT_EQ(list["items"].size(), 2u) << list.dump();
  EXPECT_EQ(list["items"][0]["contact"]["phone"], "138****5678");
  expect_no_plaintext(list.dump());
  expect_no_plaintext(ask(kAdmin, {{"query", "audit"}}).dump());
  expect_no_plaintext(ask(kLiNa, {{"query", "prospect"}, {"id", "P-1"}, {"at", 1767225600}}).dump());

  const std::string before = stored_text();
  nlohmann::json fresh = customer("C-3");
  fresh["contacts"][0]["phone"] = "13900000000";
  const Status s = db().put_customer(kLiNa, fresh.dump());
  EXPECT_EQ(s.code(), StatusCode::permission_denied) << s.to_string();
  EXPECT_NE(s.message().find("encryption_key"), std::string::npos) << s.message();
  EXPECT_EQ(db().put_prospect(kLiNa, prospect("P-2").dump()).code(), StatusCode::permission_denied);
  EXPECT_EQ(stored_text(), before);
  EXPECT_EQ(count("customer"), "2");
}

TEST_P(PersonalData, TheFirstKeySealsWhatWasStoredInTheClear) {
  write_records();
  reopen(kKey);
  expect_no_plaintext(rows(path(), "SELECT document, contact_name, contact_phone, contact_email FROM customer") +
                      rows(path(), "SELECT document FROM prospect"));
  const nlohmann::json view = ask(kLiNa, {{"query", "customer"}, {"id", "C-2"}, {"at", 1767225600}});
  EXPECT_EQ(view["customer"]["contacts"][0]["phone"], "13812345678");
  EXPECT_EQ(ask(kLiNa, {{"query", "prospect"}, {"id", "P-1"}, {"at", 1767225600}})["prospect"]["contacts"][0]["phone"], "13712345678");
}

TEST_P(PersonalData, RotationSealsEveryRecordAgainUnderTheNewDataKey) {
  reopen(kKey);
  write_records();
  const std::string sealed_before = query(path(), "SELECT document FROM customer WHERE id = 'C-1'");
  ASSERT_TRUE(db().rotate_encryption_key(kOtherKey).ok());
  const std::string sealed_after = query(path(), "SELECT document FROM customer WHERE id = 'C-1'");
  EXPECT_NE(sealed_after, sealed_before);
  EXPECT_EQ(nlohmann::json::parse(sealed_after)["$sealed"]["key"], 3);
  EXPECT_EQ(nlohmann::json::parse(query(path(), "SELECT document FROM prospect WHERE id = 'P-1'"))["$sealed"]["key"], 3);
  expect_no_plaintext(stored_text());
  // The same handle and a new one under the new key read the clear text; the audit entries keep
  // the key they were sealed with, which the keyring keeps.
  EXPECT_EQ(ask(kLiNa, {{"query", "customer"}, {"id", "C-1"}, {"at", 1767225600}})["customer"]["contacts"][0]["phone"], "13812345678");
  reopen(kOtherKey);
  EXPECT_EQ(ask(kLiNa, {{"query", "customer"}, {"id", "C-2"}, {"at", 1767225600}})["customer"]["contacts"][0]["email"],
            "wang@huadong.example");
  const nlohmann::json history = ask(kLiNa, {{"query", "history"}, {"kind", "customer"}, {"id", "C-1"}});
  EXPECT_EQ(history["entries"][0]["after"]["contacts"][0]["name"], "王强");
  EXPECT_EQ(contact_list(kLiNa)["items"][1]["contact"]["phone"], "13812345678");
}

TEST_P(PersonalData, ASealedFieldMovedOrAlteredIsRefusedNotShown) {
  reopen(kKey);
  write_records();
  // C-2's sealed fields put into C-1's row: bound to their record, they do not open there.
  ASSERT_TRUE(exec(path(), "UPDATE customer SET document = (SELECT document FROM customer WHERE id = 'C-2') WHERE id = 'C-1'"));
  auto view = db().customer_query(kLiNa, R"({"query": "customer", "id": "C-1", "at": 1767225600})");
  ASSERT_FALSE(view.ok());
  EXPECT_EQ(view.status().code(), StatusCode::invalid_state) << view.status().to_string();
  EXPECT_NE(view.status().message().find("customer \"C-1\""), std::string::npos) << view.status().message();
  // One character of a sealed value changed.
  nlohmann::json doc = nlohmann::json::parse(query(path(), "SELECT document FROM customer WHERE id = 'C-2'"));
  std::string& sealed = doc["$sealed"]["fields"]["/address"].get_ref<std::string&>();
  sealed[10] = sealed[10] == 'A' ? 'B' : 'A';
  const std::string sql = "UPDATE customer SET document = '" + doc.dump() + "' WHERE id = 'C-2'";
  ASSERT_TRUE(exec(path(), sql.c_str()));
  view = db().customer_query(kLiNa, R"({"query": "customer", "id": "C-2", "at": 1767225600})");
  ASSERT_FALSE(view.ok());
  EXPECT_EQ(view.status().code(), StatusCode::invalid_state);
}

TEST_P(PersonalData, SnapshotsCarryItOnlyEncryptedAndRestoreUnderTheTargetsKey) {
  reopen(kKey);
  write_records();
  const std::string plain = dir_.file("plain.snapshot");
  const Status refused = db().export_snapshot(plain);
  EXPECT_EQ(refused.code(), StatusCode::permission_denied) << refused.to_string();
  const char* options = R"({"passphrase": "correct horse battery"})";
  const std::string archive = dir_.file("sealed.snapshot");
  ASSERT_TRUE(db().export_snapshot(archive, options).ok());
  std::ifstream in(archive, std::ios::binary);
  expect_no_plaintext(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));

  // Into another database with its own key: sealed there under its keys, readable with them.
  TempDir other;
  const std::string copy_path = fresh_database(GetParam(), other, "copy.db");
  {
    DatabaseOptions keyed;
    keyed.encryption_key = kOtherKey;
    auto copy = Database::open(copy_path, keyed);
    ASSERT_TRUE(copy.ok()) << copy.status().to_string();
    const Status s = copy->import_snapshot(archive, options);
    ASSERT_TRUE(s.ok()) << s.to_string();
    auto view = copy->customer_query(kLiNa, R"({"query": "customer", "id": "C-1", "at": 1767225600})");
    ASSERT_TRUE(view.ok()) << view.status().to_string();
    EXPECT_EQ(nlohmann::json::parse(*view)["customer"]["contacts"][0]["phone"], "13812345678");
    auto history = copy->customer_query(kLiNa, R"({"query": "history", "kind": "customer", "id": "C-1"})");
    ASSERT_TRUE(history.ok());
    EXPECT_EQ(nlohmann::json::parse(*history)["entries"][1]["before"]["address"], "上海市浦东新区张江路88号");
    // A repeated restore finds the same records (compared in the clear) and writes none.
    const Status again = copy->import_snapshot(archive, options);
    EXPECT_TRUE(again.ok()) << again.to_string();
    EXPECT_EQ(query(copy_path, "SELECT count(*) FROM customer"), "2");
  }
  expect_no_plaintext(rows(copy_path, "SELECT document, contact_name, contact_phone, contact_email FROM customer") +
                      rows(copy_path, "SELECT document FROM prospect") +
                      rows(copy_path, "SELECT coalesce(before, ''), coalesce(after, '') FROM audit"));
  EXPECT_EQ(query(copy_path, "SELECT company FROM customer WHERE id = 'C-2'"), "华东机械有限公司 C-2");

  // A backup copies the file as it is: sealed (PostgreSQL has none of its own: pg_dump copies the
  // tables, sealed as they are).
  if (!is_postgres(path())) {
    const std::string backup = dir_.file("backup.db");
    ASSERT_TRUE(db().backup(backup).ok());
    expect_no_plaintext(rows(backup, "SELECT document, contact_name, contact_phone, contact_email FROM customer") +
                        rows(backup, "SELECT coalesce(before, ''), coalesce(after, '') FROM audit"));
    EXPECT_EQ(query(backup, "SELECT count(*) FROM customer"), "2");
  } else {
    EXPECT_EQ(db().backup(dir_.file("backup.db")).code(), StatusCode::invalid_state);
  }

  // A handle without the key exports nothing: it could only export masks.
  reopen();
  EXPECT_EQ(db().export_snapshot(dir_.file("masked.snapshot"), options).code(), StatusCode::permission_denied);
}

// Lookups by phone or email (the customers list's "phone" and "email"): the hash of the
// normalised value, keyed once the database has a keyring.
class PersonalLookup : public PersonalData {
 protected:
  std::vector<std::string> found(const char* actor, const char* field, const std::string& value) {
    auto answer = db().customer_query(actor, nlohmann::json{{"query", "customers"}, {"at", 1767225600}, {field, value}}.dump());
    EXPECT_TRUE(answer.ok()) << answer.status().to_string();
    std::vector<std::string> ids;
    const nlohmann::json list = answer.ok() ? nlohmann::json::parse(*answer) : nlohmann::json::object();
    for (const auto& c : list.value("customers", nlohmann::json::array())) ids.push_back(c["id"]);
    return ids;
  }
  StatusCode refused(const char* actor, const char* field, const std::string& value) {
    return db().customer_query(actor, nlohmann::json{{"query", "customers"}, {field, value}}.dump()).status().code();
  }
  // What an attacker with the file would compute: the unkeyed hash of a guessed value.
  static std::string unkeyed(const std::string& message) {
    unsigned char hash[32];
    crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(message.data()), message.size(), nullptr, 0);
    static const char* digits = "0123456789abcdef";
    std::string hex;
    for (unsigned char b : hash) hex += digits[b >> 4], hex += digits[b & 15];
    return hex;
  }
  void write_third() {
    nlohmann::json third = customer("C-3");
    third["contacts"] = {{{"name", "赵敏"}, {"email", "zhao@example.com"}}, {{"name", "钱伟"}, {"phone", "+86 139-0000-0000"}}};
    put(kLiNa, third);
  }
  void expect_found() {
    using ids = std::vector<std::string>;
    EXPECT_EQ(found(kLiNa, "phone", "13812345678"), (ids{"C-1", "C-2"}));
    EXPECT_EQ(found(kLiNa, "phone", "138 1234-5678"), (ids{"C-1", "C-2"}));
    EXPECT_EQ(found(kLiNa, "phone", "+86 13812345678"), (ids{"C-1", "C-2"}));
    EXPECT_EQ(found(kLiNa, "phone", "13900000000"), (ids{"C-3"}));  // a second contact's
    EXPECT_EQ(found(kLiNa, "email", " Zhao@Example.com"), (ids{"C-3"}));
    EXPECT_EQ(found(kLiNa, "phone", "13700000000"), ids{});
  }
};

INSTANTIATE_TEST_SUITE_P(Engines, PersonalLookup, ::testing::ValuesIn(engines()), engine_name);

TEST_P(PersonalLookup, FindsCustomersByAnyContactsPhoneOrEmail) {
  write_records();
  write_third();
  expect_found();
  // Without a keyring the hash is unkeyed (the records are in the clear anyway).
  EXPECT_EQ(query(path(), ("SELECT count(*) FROM personal_lookup WHERE hash = '" + unkeyed("phone|13812345678") + "'").c_str()), "2");
  // A changed contact moves the customer's lookups with it.
  nlohmann::json moved = customer("C-2");
  moved["contacts"][0]["phone"] = "13700000000";
  put(kLiNa, moved);
  EXPECT_EQ(found(kLiNa, "phone", "13812345678"), std::vector<std::string>{"C-1"});
  EXPECT_EQ(found(kLiNa, "phone", "13700000000"), std::vector<std::string>{"C-2"});
  // Only within the actor's scope, and only for a role that may read personal data.
  EXPECT_EQ(found(kWangFang, "phone", "13812345678"), std::vector<std::string>{});
  EXPECT_EQ(refused(kEastService, "phone", "13812345678"), StatusCode::permission_denied);
  EXPECT_EQ(refused(kLiNa, "phone", "--"), StatusCode::invalid_argument);
  EXPECT_EQ(refused(kLiNa, "phone", ""), StatusCode::invalid_argument);
  EXPECT_EQ(db().customer_query(kLiNa, R"({"query": "churn", "phone": "13812345678"})").status().code(), StatusCode::invalid_argument);
  EXPECT_EQ(db().customer_query(kLiNa, R"({"query": "customers", "phone": "1", "email": "a@b"})").status().code(),
            StatusCode::invalid_argument);
  // A restored copy finds them too: the lookups are derived, and built by the restore.
  const std::string archive = dir_.file("plain.snapshot");
  ASSERT_TRUE(db().export_snapshot(archive).ok());
  TempDir other;
  auto copy = Database::open(fresh_database(GetParam(), other, "copy.db"));
  ASSERT_TRUE(copy.ok());
  ASSERT_TRUE(copy->import_snapshot(archive).ok());
  db_.emplace(std::move(*copy));
  EXPECT_EQ(found(kLiNa, "phone", "13812345678"), std::vector<std::string>{"C-1"});
  EXPECT_EQ(found(kLiNa, "email", "zhao@example.com"), std::vector<std::string>{"C-3"});
}

TEST_P(PersonalLookup, IsKeyedOnceTheDatabaseHasAKeyringAndSurvivesRotationAndRestore) {
  write_records();
  write_third();
  reopen(kKey);  // the first key seals the records and hashes the lookups again, keyed
  EXPECT_EQ(query(path(), ("SELECT count(*) FROM personal_lookup WHERE hash = '" + unkeyed("phone|13812345678") + "'").c_str()), "0");
  EXPECT_EQ(count("personal_lookup"), "6");  // a phone and an email each
  expect_found();
  ASSERT_TRUE(db().rotate_encryption_key(kOtherKey).ok());
  expect_found();
  reopen(kOtherKey);
  expect_found();
  // A handle without the key cannot hash a value: refused, not an empty answer.
  reopen();
  EXPECT_EQ(refused(kLiNa, "phone", "13812345678"), StatusCode::permission_denied);

  reopen(kOtherKey);
  const char* options = R"({"passphrase": "correct horse battery"})";
  const std::string archive = dir_.file("sealed.snapshot");
  ASSERT_TRUE(db().export_snapshot(archive, options).ok());
  TempDir other;
  DatabaseOptions keyed;
  keyed.encryption_key = kKey;
  auto copy = Database::open(fresh_database(GetParam(), other, "copy.db"), keyed);
  ASSERT_TRUE(copy.ok());
  ASSERT_TRUE(copy->import_snapshot(archive, options).ok());
  db_.emplace(std::move(*copy));
  expect_found();
}

TEST_P(PersonalLookup, ADatabaseFromBeforeTheLookupsBuildsThemOnOpen) {
  write_records();
  write_third();
  db_.reset();
  const std::string downgrade = std::string("ALTER TABLE customer DROP COLUMN contact_sealed; DROP TABLE personal_lookup; "
                                            "DROP TABLE personal_lookup_build; ") +
                                (is_postgres(path()) ? "UPDATE crm_schema_version SET version = 11;" : "PRAGMA user_version = 11;");
  ASSERT_TRUE(exec(path(), downgrade.c_str()));
  reopen();
  EXPECT_EQ(db().schema_version(), 13);
  expect_found();
}

}  // namespace
}  // namespace crm::test
