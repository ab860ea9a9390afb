// SPDX-License-Identifier: Apache-2.0
// Issue 18 §3 (README "Security"): the audit log's hash chain, the keyring under the host's key,
// and the options of crm_db_open_with. Every tampering is done as an attacker with the file would:
// raw SQL on a separate connection, the append-only triggers dropped first.
#include <sodium.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "customer_fixture.hpp"

namespace crm::test {
namespace {

const char* const kKey = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const char* const kOtherKey = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

class AuditChain : public CustomerStore {
 protected:
  // Five audited writes: three customers, then two changes.
  void write_five() {
    for (const char* id : {"C-1", "C-2", "C-3"}) put(kLiNa, customer(id));
    nlohmann::json changed = customer("C-1");
    changed["industry"] = "energy";
    put(kLiNa, changed);
    changed["industry"] = "retail";
    put(kLiNa, changed);
    ASSERT_EQ(count("audit"), "5");
  }
  nlohmann::json verify(Database& db, StatusCode expected) {
    Status failure;
    auto answer = db.verify_audit(&failure);
    EXPECT_TRUE(answer.ok()) << answer.status().to_string();
    EXPECT_EQ(failure.code(), expected) << failure.to_string();
    return answer.ok() ? nlohmann::json::parse(*answer) : nlohmann::json();
  }
  nlohmann::json verify(StatusCode expected = StatusCode::ok) { return verify(db(), expected); }
  void drop_guards() {
    const bool pg = is_postgres(path());
    ASSERT_TRUE(exec(path(), pg ? "DROP TRIGGER audit_no_update ON audit; DROP TRIGGER audit_no_delete ON audit;"
                                : "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;"));
  }
  Database reopen(const std::string& key = "") {
    db_.reset();
    DatabaseOptions options;
    options.encryption_key = key;
    auto opened = Database::open(path(), options);
    EXPECT_TRUE(opened.ok()) << opened.status().to_string();
    return std::move(*opened);
  }
};

INSTANTIATE_TEST_SUITE_P(Engines, AuditChain, ::testing::ValuesIn(engines()), engine_name);

TEST_P(AuditChain, HoldsOverEveryAuditedWrite) {
  EXPECT_EQ(verify(), nlohmann::json::parse(R"({"holds":true,"entries":0,"chained":0,"unchained":0,"keyed":0,"head":""})"));
  write_five();
  const nlohmann::json v = verify();
  EXPECT_TRUE(v["holds"]);
  EXPECT_EQ(v["entries"], 5);
  EXPECT_EQ(v["chained"], 5);
  EXPECT_EQ(v["keyed"], 0);
  EXPECT_EQ(v["head"], query(path(), "SELECT chain FROM audit ORDER BY seq DESC LIMIT 1"));
  EXPECT_EQ(v["head"].get<std::string>().size(), 64u);
  // A denial is audited and chained like any entry.
  EXPECT_EQ(db().put_customer(kWangFang, customer("C-1").dump()).code(), StatusCode::permission_denied);
  EXPECT_EQ(verify()["entries"], 6);
}

TEST_P(AuditChain, AnEntryEditedAfterTheTriggersWereDroppedIsNamed) {
  write_five();
  drop_guards();
  ASSERT_TRUE(exec(path(), "UPDATE audit SET actor = 'someone.else' WHERE seq = 3"));
  const nlohmann::json v = verify(StatusCode::conflict);
  EXPECT_FALSE(v["holds"]);
  EXPECT_EQ(v["problem"], "altered");
  EXPECT_EQ(v["seq"], 3);
  EXPECT_NE(v["message"].get<std::string>().find("audit entry 3 was altered"), std::string::npos) << v;
}

TEST_P(AuditChain, AnEntryEditedWithItsChainRecomputedUnkeyedBreaksTheNext) {
  write_five();
  drop_guards();
  // The before/after of entry 2 blanked and its own chain replaced: entry 3 no longer follows.
  ASSERT_TRUE(exec(path(), "UPDATE audit SET after = NULL, chain = (SELECT chain FROM audit WHERE seq = 1) WHERE seq = 2"));
  const nlohmann::json v = verify(StatusCode::conflict);
  EXPECT_EQ(v["seq"], 2);
  EXPECT_EQ(v["problem"], "altered");
}

TEST_P(AuditChain, AnEntryRemovedFromTheMiddleIsNamedWithHowManyWent) {
  write_five();
  drop_guards();
  ASSERT_TRUE(exec(path(), "DELETE FROM audit WHERE seq IN (2, 3)"));
  const nlohmann::json v = verify(StatusCode::conflict);
  EXPECT_EQ(v["problem"], "removed");
  EXPECT_EQ(v["seq"], 4);
  EXPECT_EQ(v["removed"], 2);
}

TEST_P(AuditChain, EntriesRemovedFromTheEndShowAgainstTheHead) {
  write_five();
  drop_guards();
  ASSERT_TRUE(exec(path(), "DELETE FROM audit WHERE seq = 5"));
  nlohmann::json v = verify(StatusCode::conflict);
  EXPECT_EQ(v["problem"], "removed_at_end");
  EXPECT_EQ(v["removed"], 1);
  // Moving the head back too passes only without a key (below: keyed, the head is sealed).
  ASSERT_TRUE(exec(path(), "UPDATE audit_head SET entries = 4, chain = (SELECT chain FROM audit WHERE seq = 4)"));
  EXPECT_TRUE(verify()["holds"]);
}

TEST_P(AuditChain, AnEntryInsertedAtTheEndOrBeforeTheChainIsNamed) {
  write_five();
  ASSERT_TRUE(exec(path(), "INSERT INTO audit (seq, recorded_at, actor, role, operation, kind, record, outcome, message, keyed, chain) "
                           "SELECT 6, recorded_at, 'intruder', role, operation, kind, record, outcome, message, keyed, chain FROM audit WHERE seq = 5"));
  nlohmann::json v = verify(StatusCode::conflict);
  EXPECT_EQ(v["problem"], "inserted");
  EXPECT_EQ(v["seq"], 6);
  ASSERT_TRUE(exec(path(), is_postgres(path()) ? "ALTER TABLE audit DISABLE TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 6;"
                                               : "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 6;"));
  EXPECT_TRUE(verify()["holds"]);
  // An entry without a chain put before every chained one poses as one from before schema 11.
  ASSERT_TRUE(exec(path(), "INSERT INTO audit (seq, recorded_at, actor, role, operation, kind, record, outcome, message) "
                           "VALUES (0, 1, 'intruder', 'admin', 'put_customer', 'customer', 'C-9', 'ok', '')"));
  v = verify(StatusCode::conflict);
  EXPECT_EQ(v["problem"], "inserted");
}

// The same chain as store/audit_log.cpp computes, unkeyed (README "Security" documents it): what
// an attacker with the file can recompute.
std::string forged_link(const std::string& previous, int64_t position, const std::vector<std::string>& fields) {
  std::string m = "crmpolicy audit v1";
  const auto u64 = [&](uint64_t v) {
    for (int i = 0; i < 8; ++i) m += static_cast<char>(v >> (8 * i) & 0xff);
  };
  const auto field = [&](const std::string& f) { u64(f.size()), m += f; };
  field(previous);
  u64(static_cast<uint64_t>(position));
  u64(std::stoull(fields[0]));
  for (size_t i = 1; i <= 6; ++i) field(fields[i]);
  for (size_t i = 7; i <= 8; ++i) {
    m += fields[i] == "NULL" ? '\0' : '\1';
    if (fields[i] != "NULL") field(fields[i]);
  }
  field(fields[9]);
  m += '\0';
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(m.data()), m.size(), nullptr, 0);
  char hex[65];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return hex;
}

// Rewrites the whole log unkeyed, with entry `seq`'s actor changed, and the head to match.
void forge_unkeyed(const std::string& path, int64_t seq, const std::string& actor) {
  std::vector<std::vector<std::string>> rows;
  run(path, "SELECT seq, recorded_at, actor, role, operation, kind, record, outcome, before, after, message FROM audit ORDER BY seq",
      [&](int row, int column, const char* v) {
        if (column == 0) rows.emplace_back();
        rows[static_cast<size_t>(row)].push_back(v ? v : "NULL");
      });
  std::string previous, sql;
  for (size_t i = 0; i < rows.size(); ++i) {
    std::vector<std::string> fields(rows[i].begin() + 1, rows[i].end());
    if (std::stoll(rows[i][0]) == seq) fields[1] = actor;
    previous = forged_link(previous, static_cast<int64_t>(i + 1), fields);
    sql += "UPDATE audit SET actor = '" + fields[1] + "', keyed = 0, chain = '" + previous + "' WHERE seq = " + rows[i][0] + "; ";
  }
  sql += "UPDATE audit_head SET chain = '" + previous + "', seal = '';";
  ASSERT_TRUE(exec(path, sql.c_str()));
}

TEST_P(AuditChain, WithoutAKeyAnAttackerCanRechainButNotOnceTheLogIsKeyed) {
  write_five();
  drop_guards();
  forge_unkeyed(path(), 3, "someone.else");
  EXPECT_TRUE(verify()["holds"]) << "the forgery the key exists to stop";
}

TEST_P(AuditChain, KeyedEntriesNeedTheKeyToVerifyAndResistRechaining) {
  write_five();  // five unkeyed entries, then the key
  Database keyed = reopen(kKey);
  ASSERT_TRUE(keyed.put_customer(kLiNa, customer("C-4").dump()).ok());
  ASSERT_TRUE(keyed.put_customer(kLiNa, customer("C-5").dump()).ok());
  nlohmann::json v = verify(keyed, StatusCode::ok);
  EXPECT_EQ(v["entries"], 7);
  EXPECT_EQ(v["keyed"], 2);
  EXPECT_EQ(query(path(), "SELECT count(*) FROM keyring"), "2");

  // Without the key: readable, not verifiable, and no audited write goes in.
  {
    DatabaseOptions none;
    auto plain = Database::open(path(), none);
    ASSERT_TRUE(plain.ok());
    v = verify(*plain, StatusCode::permission_denied);
    EXPECT_EQ(v["problem"], "unverifiable");
    EXPECT_EQ(v["seq"], 6);
    const Status refused = plain->put_customer(kLiNa, customer("C-6").dump());
    EXPECT_EQ(refused.code(), StatusCode::permission_denied) << refused.to_string();
    EXPECT_EQ(count("audit"), "7");
    EXPECT_EQ(count("customer"), "5");
    EXPECT_TRUE(plain->customer_query(kLiNa, R"({"query": "customer", "id": "C-4"})").ok());
  }

  // Rechained unkeyed from the start: the entries the key wrote are no longer keyed.
  drop_guards();
  forge_unkeyed(path(), 6, "someone.else");
  v = verify(keyed, StatusCode::conflict);
  EXPECT_EQ(v["problem"], "altered");
  EXPECT_EQ(v["seq"], 6);
}

TEST_P(AuditChain, AKeyedHeadCannotBeMovedBackAfterEntriesAreRemoved) {
  Database keyed = reopen(kKey);
  for (const char* id : {"C-1", "C-2", "C-3"}) ASSERT_TRUE(keyed.put_customer(kLiNa, customer(id).dump()).ok());
  EXPECT_EQ(verify(keyed, StatusCode::ok)["keyed"], 3);
  drop_guards();
  ASSERT_TRUE(exec(path(), "DELETE FROM audit WHERE seq = 3; UPDATE audit_head SET entries = 2, chain = (SELECT chain FROM audit WHERE seq = 2);"));
  const nlohmann::json v = verify(keyed, StatusCode::conflict);
  EXPECT_EQ(v["problem"], "altered") << v;
  EXPECT_NE(v["message"].get<std::string>().find("not sealed with the audit key"), std::string::npos) << v;
}

TEST_P(AuditChain, AWrongKeyIsRefusedAndRotationKeepsTheChainAndOtherHandles) {
  Database first = reopen(kKey);
  ASSERT_TRUE(first.put_customer(kLiNa, customer("C-1").dump()).ok());
  {
    DatabaseOptions wrong;
    wrong.encryption_key = kOtherKey;
    auto refused = Database::open(path(), wrong);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.status().code(), StatusCode::permission_denied);
    EXPECT_EQ(refused.status().message().find(kOtherKey), std::string::npos);
  }
  DatabaseOptions same;
  same.encryption_key = kKey;
  std::optional<Database> second;
  {
    auto opened = Database::open(path(), same);
    ASSERT_TRUE(opened.ok());
    second.emplace(std::move(*opened));
  }

  ASSERT_TRUE(first.rotate_encryption_key(kOtherKey).ok());
  EXPECT_EQ(query(path(), "SELECT count(*) FROM keyring WHERE purpose = 'data'"), "2");
  // The handle opened under the old key keeps writing and verifying: its keys did not change.
  ASSERT_TRUE(second->put_customer(kLiNa, customer("C-2").dump()).ok());
  EXPECT_TRUE(verify(*second, StatusCode::ok)["holds"]);
  // Rotating again from it fails cleanly: its host key no longer unseals the keyring.
  EXPECT_EQ(second->rotate_encryption_key(kKey).code(), StatusCode::permission_denied);
  // Later opens need the new key.
  auto old_key = Database::open(path(), same);
  ASSERT_FALSE(old_key.ok());
  EXPECT_EQ(old_key.status().code(), StatusCode::permission_denied);
  DatabaseOptions rotated;
  rotated.encryption_key = kOtherKey;
  auto third = Database::open(path(), rotated);
  ASSERT_TRUE(third.ok()) << third.status().to_string();
  const nlohmann::json v = verify(*third, StatusCode::ok);
  EXPECT_EQ(v["keyed"], 2);
  EXPECT_EQ(v["entries"], 2);
  // A handle without a key cannot rotate.
  second.reset();
  DatabaseOptions none;
  auto plain = Database::open(path(), none);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->rotate_encryption_key(kKey).code(), StatusCode::invalid_state);
}

TEST_P(AuditChain, ATamperedKeyringIsRefused) {
  { Database keyed = reopen(kKey); }
  // The data key's sealed bytes moved onto the audit key's row: bound to its row, it does not unseal.
  ASSERT_TRUE(exec(path(), "UPDATE keyring SET wrapped = (SELECT wrapped FROM keyring WHERE id = 2) WHERE id = 1"));
  DatabaseOptions options;
  options.encryption_key = kKey;
  auto opened = Database::open(path(), options);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::permission_denied);
}

TEST_P(AuditChain, ASnapshotRestoreChainsTheEntriesItAppends) {
  write_five();
  const std::string archive = dir_.file("one.snapshot");
  ASSERT_TRUE(db().export_snapshot(archive).ok());
  TempDir other;
  auto copy = Database::open(fresh_database(GetParam(), other, "copy.db"));
  ASSERT_TRUE(copy.ok());
  ASSERT_TRUE(copy->import_snapshot(archive).ok());
  const nlohmann::json v = verify(*copy, StatusCode::ok);
  EXPECT_EQ(v["entries"], 6);  // the five, then the restore's own
}

TEST_P(AuditChain, EntriesFromBeforeSchemaElevenStayOutsideTheChainAndCount) {
  write_five();
  db_.reset();
  if (!is_postgres(path())) {
    ASSERT_TRUE(exec(path(), "ALTER TABLE audit DROP COLUMN chain; ALTER TABLE audit DROP COLUMN keyed; DROP TABLE audit_head; "
                             "DROP TABLE keyring; ALTER TABLE customer DROP COLUMN contact_sealed; DROP TABLE personal_lookup; DROP TABLE personal_lookup_build; PRAGMA user_version = 10;"));
  } else {
    ASSERT_TRUE(exec(path(), "ALTER TABLE audit DROP COLUMN chain; ALTER TABLE audit DROP COLUMN keyed; DROP TABLE audit_head; "
                             "DROP TABLE keyring; ALTER TABLE customer DROP COLUMN contact_sealed; DROP TABLE personal_lookup; DROP TABLE personal_lookup_build; UPDATE crm_schema_version SET version = 10;"));
  }
  Database db = reopen();
  EXPECT_EQ(db.schema_version(), 13);
  nlohmann::json v = verify(db, StatusCode::ok);
  EXPECT_EQ(v["unchained"], 5);
  EXPECT_EQ(v["chained"], 0);
  ASSERT_TRUE(db.put_customer(kLiNa, customer("C-9").dump()).ok());
  v = verify(db, StatusCode::ok);
  EXPECT_EQ(v["unchained"], 5);
  EXPECT_EQ(v["chained"], 1);
  // One of the old entries removed: the head still counts five of them.
  drop_guards();
  ASSERT_TRUE(exec(path(), "DELETE FROM audit WHERE seq = 2"));
  v = verify(db, StatusCode::conflict);
  EXPECT_EQ(v["problem"], "removed");
}

// Issue 18 §4: SQL injection through every string field and query parameter. Every value is
// bound, never spliced: each call either stores the text exactly or refuses it as invalid input,
// and no table is dropped, emptied or altered.
TEST_P(AuditChain, InjectedSqlIsStoredAsTextOrRefusedAndChangesNothingElse) {
  const std::vector<std::string> payloads = {
      "x'); DROP TABLE demand; --", "' OR '1'='1", "\"; DELETE FROM customer; --", "1; UPDATE audit SET actor = 'x'",
      "%' OR 1=1 --", "$1", "?1", "\\'", "Robert'); DROP TABLE event;--", "' UNION SELECT wrapped FROM keyring --",
      "owner' COLLATE BINARY --", "李'; DROP TABLE audit; --"};
  const bool pg = is_postgres(path());
  const char* tables = pg ? "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
                          : "SELECT count(*) FROM sqlite_master WHERE type = 'table'";
  const std::string tables_before = query(path(), tables);
  const auto acceptable = [](const Status& s) { return s.ok() || s.code() == StatusCode::invalid_argument; };
  int demands = 0, customers = 0;
  for (size_t i = 0; i < payloads.size(); ++i) {
    const std::string& p = payloads[i];
    const nlohmann::json demand = {{"id", "D-" + std::to_string(i) + p}, {"received_at", 1740963600 + 60 * static_cast<int64_t>(i)},
                                   {"channel", "phone"}, {"title", p}, {"text", p}, {"owner", p}, {"department", p},
                                   {"customer", {{"id", p}}}, {"actor", p}};
    auto recorded = db().record_demand(demand.dump());
    EXPECT_TRUE(acceptable(recorded.status())) << p << ": " << recorded.status().to_string();
    if (recorded.ok()) {
      ++demands;
      auto view = db().demand(demand["id"].get<std::string>(), 1740963600 + 86400);
      ASSERT_TRUE(view.ok()) << view.status().to_string();
      const nlohmann::json v = nlohmann::json::parse(*view);
      EXPECT_EQ(v.dump().find(nlohmann::json(p).dump()) != std::string::npos, true) << p;
      EXPECT_TRUE(db().append_event(demand["id"].get<std::string>(),
                                    nlohmann::json({{"type", "acknowledged"}, {"at", 1740963600 + 3600}, {"actor", p}, {"comment", p}}).dump())
                      .ok());
    }
    nlohmann::json c = customer("C-" + std::to_string(i) + p, "li.na", "east");
    c["company"] = p;
    c["note"] = p;
    c["contacts"][0]["name"] = p;
    const Status put_status = db().put_customer(kAdmin, c.dump());
    EXPECT_TRUE(acceptable(put_status)) << p << ": " << put_status.to_string();
    if (put_status.ok()) {
      ++customers;
      const nlohmann::json back = ask(kAdmin, {{"query", "customer"}, {"id", c["id"]}});
      EXPECT_EQ(back["customer"]["company"], p);
      EXPECT_EQ(back["customer"]["contacts"][0]["name"], p);
    }
    for (const char* key : {"owner", "department", "tier", "stage"}) {
      auto answer = db().customer_query(kAdmin, nlohmann::json({{"query", "customers"}, {key, p}}).dump());
      EXPECT_TRUE(acceptable(answer.status())) << key << "=" << p << ": " << answer.status().to_string();
    }
    for (const char* key : {"owner", "department", "urgency"}) {
      auto list = db().worklist(nlohmann::json({{"at", 1740963600 + 86400}, {key, p}}).dump());
      EXPECT_TRUE(acceptable(list.status())) << key << "=" << p << ": " << list.status().to_string();
    }
    auto report = db().report(nlohmann::json({{"at", 1740963600 + 86400}, {"filter", {{"owner", p}}}}).dump());
    EXPECT_TRUE(acceptable(report.status())) << p << ": " << report.status().to_string();
    auto page = db().changes(nlohmann::json({{"cursor", p}, {"until", 1740963600 + 86400}}).dump());
    EXPECT_EQ(page.status().code(), StatusCode::invalid_argument) << p;
  }
  EXPECT_GT(demands, 0);
  EXPECT_GT(customers, 0);
  EXPECT_EQ(query(path(), tables), tables_before);
  EXPECT_EQ(count("demand"), std::to_string(demands));
  EXPECT_EQ(count("event"), std::to_string(demands));  // each acknowledged once (receipt is the demand row)
  EXPECT_EQ(count("customer"), std::to_string(customers));
  EXPECT_TRUE(verify()["holds"]);
}

TEST_P(AuditChain, ASnapshotSealedWithAPassphraseOpensOnlyWithIt) {
  write_five();
  const std::string archive = dir_.file("sealed.snapshot");
  const char* options = R"({"passphrase": "correct horse battery"})";
  ASSERT_TRUE(db().export_snapshot(archive, options).ok());
  struct stat st {};
  ASSERT_EQ(::stat(archive.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream in(archive, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.rfind("crmpolicy-sealed-snapshot 1\n", 0), 0u);
  for (const char* plain : {"华东机械", "13812345678", "wang@huadong", "crmpolicy-snapshot", "put_customer"})
    EXPECT_EQ(bytes.find(plain), std::string::npos) << plain;

  TempDir other;
  const std::string copy_path = fresh_database(GetParam(), other, "copy.db");
  auto copy = Database::open(copy_path);
  ASSERT_TRUE(copy.ok());
  Status s = copy->import_snapshot(archive);
  EXPECT_EQ(s.code(), StatusCode::invalid_argument);
  EXPECT_NE(s.message().find("give its passphrase"), std::string::npos) << s.message();
  s = copy->import_snapshot(archive, R"({"passphrase": "wrong horse battery"})");
  EXPECT_EQ(s.code(), StatusCode::permission_denied);
  EXPECT_EQ(s.message().find("horse"), std::string::npos) << s.message();
  EXPECT_EQ(copy->import_snapshot(archive, R"({"passphrase": "short"})").code(), StatusCode::invalid_argument);
  EXPECT_EQ(copy->import_snapshot(archive, R"({"pass": "correct horse battery"})").code(), StatusCode::invalid_argument);
  // One byte of the ciphertext flipped, or the header's limits changed: refused, nothing written.
  std::string flipped = bytes;
  flipped[flipped.size() - 40] ^= 1;
  const std::string damaged = dir_.file("damaged.snapshot");
  std::ofstream(damaged, std::ios::binary) << flipped;
  EXPECT_EQ(copy->import_snapshot(damaged, options).code(), StatusCode::permission_denied);
  std::string relimited = bytes;
  relimited.replace(relimited.find("ops=3"), 5, "ops=4");
  std::ofstream(damaged, std::ios::binary | std::ios::trunc) << relimited;
  EXPECT_EQ(copy->import_snapshot(damaged, options).code(), StatusCode::permission_denied);
  std::string huge = bytes;
  huge.replace(huge.find("mem="), 4, "mem=99999");
  std::ofstream(damaged, std::ios::binary | std::ios::trunc) << huge;
  EXPECT_EQ(copy->import_snapshot(damaged, options).code(), StatusCode::invalid_argument);
  EXPECT_EQ(query(copy_path, "SELECT count(*) FROM customer"), "0");

  ASSERT_TRUE(copy->import_snapshot(archive, options).ok());
  EXPECT_EQ(query(copy_path, "SELECT count(*) FROM customer"), "3");
  EXPECT_EQ(query(copy_path, "SELECT company FROM customer WHERE id = 'C-2'"), "华东机械有限公司 C-2");
  EXPECT_TRUE(verify(*copy, StatusCode::ok)["holds"]);
  // A plain archive with a passphrase is refused too: no option is silently ignored.
  const std::string plain = dir_.file("plain.snapshot");
  ASSERT_TRUE(db().export_snapshot(plain).ok());
  EXPECT_EQ(copy->import_snapshot(plain, options).code(), StatusCode::invalid_argument);
  EXPECT_EQ(db().export_snapshot(plain, R"({"passphrase": "1234567"})").code(), StatusCode::invalid_argument);
}

// Issue 18 §4: an actor the policy does not know, or an actor document that tries to be two,
// is refused before anything is read or written; the refusal of a known user is audited.
TEST_P(AuditChain, SpoofedActorsAreRefusedAndWriteNothing) {
  put(kLiNa, customer("C-1"));
  const std::string audits = count("audit");
  const std::pair<const char*, StatusCode> actors[] = {
      {R"({"id": "mallory", "role": "root"})", StatusCode::permission_denied},
      {R"({"id": "mallory", "role": "sales", "role": "admin"})", StatusCode::invalid_argument},
      {R"({"id": "mallory", "role": "admin' OR '1'='1"})", StatusCode::permission_denied},
      {R"({"role": "admin"})", StatusCode::invalid_argument},
      {R"({"id": "", "role": "admin"})", StatusCode::invalid_argument},
      {R"({"id": "mallory", "role": "admin", "permissions": ["personal.read"]})", StatusCode::invalid_argument},
      {R"({"id": "mallory\u0000admin", "role": "sales", "department": "east"})", StatusCode::invalid_argument},
      {R"(["admin"])", StatusCode::invalid_argument},
  };
  for (const auto& [actor, code] : actors) {
    nlohmann::json changed = customer("C-1");
    changed["note"] = "changed by a spoofed actor";
    EXPECT_EQ(db().put_customer(actor, changed.dump()).code(), code) << actor;
    EXPECT_EQ(db().customer_query(actor, R"({"query": "customer", "id": "C-1"})").status().code(), code) << actor;
  }
  // Nothing was changed: the record is as li.na wrote it, and refusals of actors that are no
  // user of the policy leave at most denial entries, never changes.
  EXPECT_EQ(ask(kAdmin, {{"query", "customer"}, {"id", "C-1"}})["customer"].value("note", ""), "");
  EXPECT_EQ(query(path(), ("SELECT count(*) FROM audit WHERE outcome = 'ok' AND seq > " + audits).c_str()), "0");
  EXPECT_TRUE(verify()["holds"]);
}

TEST(DatabaseOptions, FromJsonNamesTheMemberAndNeverRepeatsAKey) {
  auto all = DatabaseOptions::from_json(std::string(R"({"encryption_key": ")") + kKey + R"(", "synchronous": "normal", "busy_timeout_ms": 250})");
  ASSERT_TRUE(all.ok()) << all.status().to_string();
  EXPECT_EQ(all->encryption_key, kKey);
  EXPECT_FALSE(all->synchronous_full);
  EXPECT_EQ(all->busy_timeout_ms, 250);
  auto none = DatabaseOptions::from_json("{}");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->synchronous_full);
  EXPECT_EQ(none->busy_timeout_ms, 5000);
  EXPECT_TRUE(none->encryption_key.empty());
  const std::pair<const char*, const char*> bad[] = {
      {R"({"encryption_key": "0011"})", "/encryption_key: expected 64 hex digits"},
      {R"({"encryption_key": "zz112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"})", "/encryption_key: expected 64 hex digits"},
      {R"({"encryption_key": 7})", "/encryption_key: expected a string"},
      {R"({"synchronous": "off"})", "/synchronous: expected \"full\" or \"normal\""},
      {R"({"busy_timeout_ms": -1})", "/busy_timeout_ms"},
      {R"({"busy_timeout_ms": 1.5})", "/busy_timeout_ms"},
      {R"({"encrypton_key": "x"})", "encrypton_key"},
      {R"([1])", "a JSON object"},
      {R"({"a":)", "database options"},
  };
  for (const auto& [json, why] : bad) {
    auto parsed = DatabaseOptions::from_json(json);
    ASSERT_FALSE(parsed.ok()) << json;
    EXPECT_EQ(parsed.status().code(), StatusCode::invalid_argument) << json;
    EXPECT_NE(parsed.status().message().find(why), std::string::npos) << json << " -> " << parsed.status().message();
    EXPECT_EQ(parsed.status().message().find("zz1122"), std::string::npos);
  }
}

}  // namespace
}  // namespace crm::test
