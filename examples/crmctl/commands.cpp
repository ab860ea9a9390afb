// SPDX-License-Identifier: Apache-2.0
#include <sys/stat.h>
#include <unistd.h>
#include <chrono>
#include <cstdlib>
#include <optional>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "csv_input.hpp"
#include "demo_customers.hpp"
#include "demo_data.hpp"
#include "table.hpp"
#include "words.hpp"

namespace crmctl {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError{trf("cannot read \"{}\"", {path})};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

namespace {

using nlohmann::json;

// Imports NDJSON lines in chunks, so a long import shows its progress; line numbers in the
// rejected list are mapped back to the input's own lines.
struct ImportTotals {
  size_t lines = 0, committed = 0, demands = 0, events = 0;
  std::vector<std::string> rejected;
  crm::Status failure;
};

ImportTotals import_lines(crm::Database& db, const std::vector<std::string>& lines, const std::vector<size_t>& source_line,
                          const std::string& source, bool skip_invalid, const std::string& scratch,
                          const std::optional<LedgerActor>& actor) {
  ImportTotals totals;
  const size_t chunk = 20000;
  const bool show = lines.size() > chunk && isatty(STDERR_FILENO);
  const auto start = std::chrono::steady_clock::now();
  for (size_t begin = 0; begin < lines.size(); begin += chunk) {
    const size_t end = std::min(lines.size(), begin + chunk);
    {
      std::ofstream out(scratch, std::ios::binary | std::ios::trunc);
      for (size_t i = begin; i < end; ++i) out << lines[i] << '\n';
    }
    crm::Status failure;
    const char* options = skip_invalid ? R"({"skip_invalid": true})" : "{}";
    auto report = actor ? db.import_as(actor->json, scratch, options, &failure) : db.import(scratch, options, &failure);
    if (!report.ok()) {
      totals.failure = report.status();
      break;
    }
    const json r = json::parse(*report);
    totals.lines += r["lines"].get<size_t>();
    totals.committed += r["committed_lines"].get<size_t>();
    totals.demands += r["demands"].get<size_t>();
    totals.events += r["events"].get<size_t>();
    for (const json& bad : r["rejected"]) {
      const size_t line = source_line[begin + bad["line"].get<size_t>() - 1];
      totals.rejected.push_back(source + ":" + std::to_string(line) + ": " + bad["error"].get<std::string>());
    }
    if (show) {
      const int width = 40, done = static_cast<int>(width * end / lines.size());
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      const double rate = seconds > 0 ? static_cast<double>(end) / seconds : 0;
      const auto eta = static_cast<int64_t>(rate > 0 ? static_cast<double>(lines.size() - end) / rate : 0);
      const std::string left = std::to_string(eta / 60) + "m" + (eta % 60 < 10 ? "0" : "") + std::to_string(eta % 60) + "s";
      std::cerr << "\r[" << std::string(static_cast<size_t>(done), '#') << std::string(static_cast<size_t>(width - done), ' ')
                << "] "
                << trf("{} / {} lines, {} lines/s, ETA {}", {std::to_string(end), std::to_string(lines.size()),
                                                             std::to_string(static_cast<int64_t>(rate)), left})
                << "  " << std::flush;
    }
    if (!failure.ok()) {
      totals.failure = failure;
      break;
    }
  }
  if (show) std::cerr << "\n";
  std::remove(scratch.c_str());
  return totals;
}

int print_import(const ImportTotals& t) {
  std::cout << trf("imported {} demands and {} events ({} of {} lines committed)",
                   {std::to_string(t.demands), std::to_string(t.events), std::to_string(t.committed), std::to_string(t.lines)})
            << "\n";
  if (!t.rejected.empty()) {
    std::cerr << trf("{} line(s) rejected:", {std::to_string(t.rejected.size())}) << "\n";
    for (size_t i = 0; i < t.rejected.size() && i < 20; ++i) std::cerr << "  " << t.rejected[i] << "\n";
    if (t.rejected.size() > 20) std::cerr << "  ..." << trf(" and {} more", {std::to_string(t.rejected.size() - 20)}) << "\n";
  }
  if (!t.failure.ok()) return fail(t.failure, tr("import stopped"));
  return t.rejected.empty() ? kOk : kBadInput;
}

}  // namespace

std::string local_time(int64_t t, const crm::Calendar& calendar) {
  const int64_t local = t + calendar.utc_offset_at(t);
  const std::time_t tt = static_cast<std::time_t>(local);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

std::string duration_text(int64_t seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lldh%02lldm", static_cast<long long>(seconds / 3600), static_cast<long long>(seconds / 60 % 60));
  return buf;
}

int64_t now() { return static_cast<int64_t>(std::time(nullptr)); }

void require_words(const Args& args, size_t n, const char* usage) {
  if (args.words.size() != n) throw UsageError{std::string(tr("usage: ")) + "crmctl " + usage};
}

int fail(const crm::Status& status, const std::string& context) {
  std::cerr << "crmctl: " << (context.empty() ? "" : context + ": ") << status.to_string() << "\n";
  switch (status.code()) {
    case crm::StatusCode::io_error:
    case crm::StatusCode::internal:
    case crm::StatusCode::out_of_memory: return kStorage;
    default: return kBadInput;
  }
}

crm::Result<crm::Policy> report_policy(crm::Database& db, const std::string& name) { return db.latest_policy(name); }

bool is_server_uri(const std::string& path) { return path.rfind("postgresql:", 0) == 0 || path.rfind("postgres://", 0) == 0; }

int cmd_demo(const Args& args) {
  const std::string path = args.get("db", "crmctl-demo.db");
  const std::string policy_path = args.get("policy", CRMCTL_DATA_DIR "/policies/demand-management.json");
  // The demo starts from nothing each time: its database file is scratch (a PostgreSQL database
  // named by a URI is used as it is: give the demo an empty one).
  const bool server = is_server_uri(path);
  if (!server)
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  auto db = crm::Database::open(path);
  if (!db.ok()) return fail(db.status(), path);
  const std::string document = read_file(policy_path);
  if (crm::Status s = db->put_policy(document); !s.ok()) return fail(s, policy_path);
  auto policy = crm::Policy::from_json(document);
  if (!policy.ok()) return fail(policy.status(), policy_path);
  std::string ndjson = path + ".demo.ndjson";
  if (server) {
    const char* tmp = std::getenv("TMPDIR");
    ndjson = std::string(tmp && *tmp ? tmp : "/tmp") + "/crmctl-demo-" + std::to_string(::getpid()) + ".ndjson";
  }
  auto year = write_demo_year(*policy, ndjson);
  if (!year.ok()) return fail(year.status(), tr("generating the demo year"));
  crm::Status failure;
  auto report = db->import(ndjson, R"({"batch_size": 5000})", &failure);
  std::remove(ndjson.c_str());
  if (!report.ok()) return fail(report.status(), tr("importing the demo year"));
  if (!failure.ok()) return fail(failure, tr("importing the demo year") + (": " + *report));
  auto customers = record_demo_customers(*db, *policy, year->now, R"({"id": "crmctl-demo", "role": "admin"})");
  if (!customers.ok()) return fail(customers.status(), tr("recording the demo customers"));
  // The policy's language from here on, unless --lang or the environment chose one.
  if (!language_chosen()) use_language(parse_language(policy->locale()).value_or(Language::en));
  std::cout << trf("华东精密设备有限公司 (East China Precision Equipment), 2025: {} demands, {} events, {} customers with {} "
                   "activities, {} prospects with {} events recorded in {}",
                   {std::to_string(year->demands), std::to_string(year->events), std::to_string(customers->customers),
                    std::to_string(customers->activities), std::to_string(customers->prospects),
                    std::to_string(customers->prospect_events), path})
            << "\n";
  std::ostringstream query;
  query << R"({"period": "month", "by": "department", "at": )" << year->now << "}";
  auto monthly = db->report(query.str());
  if (!monthly.ok()) return fail(monthly.status(), tr("the monthly report"));
  print_report_tables(*monthly, std::cout, true);
  std::cout << "\n"
            << trf("More: crmctl --db {} report --by owner | due --at 2025-12-31T18:00 | report --format html -o report.html\n"
                   "      customers | collection-due | churn | prospects --funnel (add --at 2025-12-31T18:00)",
                   {path})
            << "\n";
  return kOk;
}

int cmd_import(crm::Database& db, const Args& args) {
  require_words(args, 1, "import FILE [--skip-invalid]");
  const std::string path = args.words[0];
  const bool csv = path.size() > 4 && path.compare(path.size() - 4, 4, ".csv") == 0;
  std::vector<std::string> lines;
  std::vector<size_t> source_line;
  if (!csv && args.has("encoding") && args.get("encoding") != "utf-8")
    throw UsageError{tr("--encoding: NDJSON is UTF-8 (JSON's own encoding); --encoding is for CSV files")};
  if (csv) {
    auto policy = report_policy(db, args.get("policy"));
    if (!policy.ok()) return fail(policy.status(), tr("a CSV import needs a stored policy (for local times)"));
    std::string text = read_file(path);
    if (args.has("encoding") && args.get("encoding") != "utf-8") {
      auto decoded = decode_to_utf8(text, args.get("encoding"), path);
      if (!decoded.ok()) return fail(decoded.status());
      text = std::move(*decoded);
    }
    auto converted = csv_to_demand_lines(text, path, *policy->calendar(policy->default_calendar()));
    if (!converted.ok()) return fail(converted.status());
    lines = std::move(converted->lines);
    source_line = std::move(converted->source_line);
  } else {
    std::istringstream in(read_file(path));
    std::string line;
    std::optional<crm::Policy> policy;  // read once a line has a local time
    for (size_t n = 1; std::getline(in, line); ++n) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      // A time given as text (2025-10-09T10:00, local in the policy's calendar, or with an
      // offset) becomes epoch seconds, which is what the library's NDJSON holds.
      if (line.find("\"at\":\"") != std::string::npos || line.find("\"received_at\":\"") != std::string::npos) {
        json j = json::parse(line, nullptr, false);
        if (j.is_object()) {
          if (!policy) {
            auto p = report_policy(db, args.get("policy"));
            if (!p.ok()) return fail(p.status(), tr("local times in an NDJSON import need a stored policy"));
            policy = std::move(*p);
          }
          const crm::Calendar& calendar = *policy->calendar(policy->default_calendar());
          for (const char* key : {"at", "received_at"})
            if (j.contains(key) && j[key].is_string()) {
              try {
                j[key] = parse_instant(j[key].get<std::string>(), calendar, key);
              } catch (const UsageError& e) {
                return fail(crm::Status::invalid_argument(path + ":" + std::to_string(n) + ": " + e.message));
              }
            }
          line = j.dump();
        }
      }
      lines.push_back(line);
      source_line.push_back(n);
    }
  }
  return print_import(
      import_lines(db, lines, source_line, path, args.has("skip-invalid"), path + ".crmctl-chunk", ledger_actor(args)));
}

int cmd_backup(crm::Database& db, const Args& args) {
  require_words(args, 1, "backup FILE");
  if (crm::Status s = db.backup(args.words[0]); !s.ok()) return fail(s, args.words[0]);
  std::cout << trf("backed up to {}", {args.words[0]}) << "\n";
  return kOk;
}

int cmd_audit(crm::Database& db, const Args& args) {
  require_words(args, 1, "audit verify|list [--from TIME] [--to TIME]");
  if (args.words[0] == "list") {
    auto policy = report_policy(db, args.get("policy"));
    if (!policy.ok()) return fail(policy.status());
    const crm::Calendar& calendar = *policy->calendar(policy->default_calendar());
    json q = {{"query", "audit"}};
    for (const char* key : {"from", "to"})
      if (args.has(key)) q[key] = parse_instant(args.get(key), calendar, key);
    auto answer = db.customer_query(acting_user(args), q.dump());
    if (!answer.ok()) return fail(answer.status(), tr("audit list"));
    std::cout << json::parse(*answer).dump(2) << "\n";
    return kOk;
  }
  if (args.words[0] != "verify") throw UsageError{std::string(tr("usage: ")) + "crmctl audit verify|list"};
  crm::Status failure;
  auto answer = db.verify_audit(&failure);
  if (!answer.ok()) return fail(answer.status(), tr("audit verify"));
  std::cout << *answer << "\n";
  return failure.ok() ? kOk : fail(failure, tr("audit verify"));
}

int cmd_event(crm::Database& db, const Args& args) {
  require_words(args, 2, "event ID TYPE [--at TIME] [--actor NAME] [--field KEY=VALUE]...");
  auto policy = report_policy(db, args.get("policy"));
  if (!policy.ok()) return fail(policy.status());
  const crm::Calendar& calendar = *policy->calendar(policy->default_calendar());
  const std::optional<LedgerActor> actor = ledger_actor(args);
  // Acting as a user, the event is the user's (the library refuses another actor).
  json e = {{"type", args.words[1]}, {"actor", args.get("actor", actor ? actor->id : "crmctl")}};
  e["at"] = args.has("at") ? parse_instant(args.get("at"), calendar, "at") : now();
  if (args.has("field")) {
    std::istringstream in(args.get("field"));
    for (std::string f; std::getline(in, f);) {
      const size_t eq = f.find('=');
      if (eq == std::string::npos || eq == 0) throw UsageError{trf("--field: expected KEY=VALUE, got \"{}\"", {f})};
      const std::string value = f.substr(eq + 1);
      json typed = json::parse(value, nullptr, false);  // 5, true, "text": as JSON; anything else as text
      e[f.substr(0, eq)] = typed.is_number() || typed.is_boolean() || typed.is_string() ? typed : json(value);
    }
  }
  const crm::Status appended = actor ? db.append_event_as(actor->json, args.words[0], e.dump()) : db.append_event(args.words[0], e.dump());
  if (!appended.ok()) return fail(appended, args.words[0]);
  std::cout << trf("recorded {} on {} at {}", {label(args.words[1]), args.words[0], local_time(e["at"].get<int64_t>(), calendar)})
            << "\n";
  return kOk;
}

namespace {

void print_weekly(const std::string& answer, const crm::Calendar& calendar, std::ostream& out) {
  const json w = json::parse(answer);
  out << trf("Week {} ({} to {})", {w["week"].get<std::string>(), local_time(w["from"].get<int64_t>(), calendar).substr(0, 10),
                                     local_time(w["to"].get<int64_t>() - 1, calendar).substr(0, 10)})
      << "\n";
  using A = Table::Align;
  Table table({tr("owner"), tr("open"), tr("at risk"), tr("breached"), tr("closed")}, {A::left, A::right, A::right, A::right, A::right});
  const auto row = [&](const std::string& name, const json& c) {
    table.add({name, std::to_string(c["open"].get<int64_t>()), std::to_string(c["at_risk"].get<int64_t>()),
               std::to_string(c["breached"].get<int64_t>()), std::to_string(c["closed"].get<int64_t>())});
  };
  for (const json& o : w["owners"]) row(o["owner"].get<std::string>(), o);
  row(tr("total"), w["total"]);
  table.print(out);
}

}  // namespace

int cmd_weekly(crm::Database& db, const Args& args) {
  require_words(args, 0, "weekly [--at TIME]");
  auto policy = report_policy(db, args.get("policy"));
  if (!policy.ok()) return fail(policy.status());
  const crm::Calendar& calendar = *policy->calendar(policy->default_calendar());
  const int64_t at = args.has("at") ? parse_instant(args.get("at"), calendar, "at") : now();
  const std::string query = json({{"at", at}, {"policy", policy->name()}}).dump();
  const std::optional<LedgerActor> actor = ledger_actor(args);
  auto answer = actor ? db.weekly_progress_as(actor->json, query) : db.weekly_progress(query);
  if (!answer.ok()) return fail(answer.status());
  print_weekly(*answer, calendar, std::cout);
  return kOk;
}

namespace {

// The first line of a file only its owner may read. Secrets only ever come from files: a command
// line is visible to every user of the machine.
std::string read_secret_file(const std::string& option, const std::string& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) throw UsageError{"--" + option + ": " + trf("cannot read {}", {file})};
  if (st.st_mode & 077)
    throw UsageError{"--" + option + ": " +
                     trf("{} is readable by others (mode {}): chmod 600 it",
                         {file, std::to_string((st.st_mode >> 6) & 7) + std::to_string((st.st_mode >> 3) & 7) +
                                    std::to_string(st.st_mode & 7)})};
  std::ifstream in(file);
  std::string secret;
  std::getline(in, secret);
  while (!secret.empty() && (secret.back() == '\r' || secret.back() == ' ')) secret.pop_back();
  return secret;
}

}  // namespace

crm::DatabaseOptions open_options(const Args& args) {
  crm::DatabaseOptions options;
  const char* env = std::getenv("CRMCTL_KEY_FILE");
  const std::string file = args.get("key-file", env && *env ? env : "");
  if (!file.empty()) options.encryption_key = read_secret_file("key-file", file);
  return options;
}

int cmd_snapshot(crm::Database& db, const Args& args) {
  require_words(args, 2, "snapshot export|import FILE");
  const std::string& verb = args.words[0];
  if (verb != "export" && verb != "import") throw UsageError{std::string(tr("usage: ")) + "crmctl snapshot export|import FILE"};
  const std::string& file = args.words[1];
  std::string options = "{}";
  if (args.has("passphrase-file"))
    options = nlohmann::json({{"passphrase", read_secret_file("passphrase-file", args.get("passphrase-file"))}}).dump();
  if (crm::Status s = verb == "export" ? db.export_snapshot(file, options) : db.import_snapshot(file, options); !s.ok())
    return fail(s, file);
  std::cout << (verb == "export" ? trf("snapshot written to {}", {file}) : trf("snapshot restored from {}", {file})) << "\n";
  return kOk;
}

crm::Result<crm::Database> open_database(const Args& args, bool may_create) {
  const char* env = std::getenv("CRMCTL_DB");
  const std::string path = args.get("db", env && *env ? env : "crmpolicy.db");
  const bool server = is_server_uri(path);
  struct stat st {};
  if (!may_create && !server && ::stat(path.c_str(), &st) != 0)
    return crm::Status::invalid_argument(path + ": " + tr("no such database (give --db FILE or set CRMCTL_DB; only import, "
                                                          "policy put, event and snapshot import create one)"));
  auto db = crm::Database::open(path, open_options(args));
  if (!db.ok()) return crm::Status(db.status().code(), path + ": " + db.status().message());
  // Neither --lang nor the environment chose a language: the stored policy's (README "crmctl").
  if (!language_chosen()) {
    auto policy = report_policy(*db, args.get("policy"));
    use_language(policy.ok() ? parse_language(policy->locale()).value_or(Language::en) : Language::en);
  }
  return db;
}

int cmd_policy_check(const Args& args) {
  require_words(args, 2, "policy check FILE");
  if (args.words[0] != "check") throw UsageError{std::string(tr("usage: ")) + "crmctl policy check FILE"};
  const std::string document = read_file(args.words[1]);
  auto policy = crm::Policy::from_json(document);
  if (!policy.ok()) return fail(policy.status(), args.words[1]);
  if (!language_chosen()) use_language(parse_language(policy->locale()).value_or(Language::en));
  for (const std::string& w : policy->warnings()) std::cerr << tr("warning: ") << w << "\n";
  std::string calendars;
  for (const std::string& c : policy->calendar_names()) calendars += " " + c;
  std::cout << trf("{} {}: valid (calendars:{})", {policy->name(), policy->version(), calendars}) << "\n";
  return kOk;
}

namespace {

const char* const kPolicyUsage = "policy check FILE | put FILE | list | show [NAME [VERSION]] | diff [NAME] V1 V2";

int policy_list(crm::Database& db) {
  auto answer = db.policies();
  if (!answer.ok()) return fail(answer.status());
  using A = Table::Align;
  Table table({tr("name"), tr("version"), tr("calendar data")}, {A::left, A::left, A::left});
  const json list = json::parse(*answer);
  for (const json& p : list["policies"]) {
    std::string data;
    for (const auto& [calendar, source] : p["calendar_data"].items())
      data += (data.empty() ? "" : ", ") + calendar + ": " + source.get<std::string>();
    table.add({p["name"].get<std::string>(), p["version"].get<std::string>(), data});
  }
  table.print(std::cout);
  return kOk;
}

// What changed from one stored version to another, as JSON Patch operations (RFC 6902) with
// the old value beside each replaced or removed one.
int policy_diff(crm::Database& db, const std::string& name, const std::string& from, const std::string& to) {
  auto a = db.policy_document(name, from);
  if (!a.ok()) return fail(a.status());
  auto b = db.policy_document(name, to);
  if (!b.ok()) return fail(b.status());
  const json old_doc = json::parse(*a), new_doc = json::parse(*b);
  const json patch = json::diff(old_doc, new_doc);
  for (const json& op : patch) {
    const std::string path = op["path"].get<std::string>(), kind = op["op"].get<std::string>();
    const json::json_pointer at(path);
    if (kind == "add") std::cout << "+ " << path << ": " << op["value"].dump() << "\n";
    else if (kind == "remove") std::cout << "- " << path << ": " << old_doc.at(at).dump() << "\n";
    else std::cout << "~ " << path << ": " << old_doc.at(at).dump() << " -> " << op["value"].dump() << "\n";
  }
  std::cout << trf("{} change(s) from {} to {}", {std::to_string(patch.size()), from, to}) << "\n";
  return kOk;
}

}  // namespace

int cmd_policy(crm::Database& db, const Args& args) {
  if (args.words.empty()) throw UsageError{std::string(tr("usage: ")) + "crmctl " + kPolicyUsage};
  const std::string& verb = args.words[0];
  const size_t n = args.words.size();
  if (verb == "check") return cmd_policy_check(args);
  if (verb == "list" && n == 1) return policy_list(db);
  if (verb == "show" && n <= 3) {
    auto doc = db.policy_document(n > 1 ? args.words[1] : "", n > 2 ? args.words[2] : "");
    if (!doc.ok()) return fail(doc.status());
    std::cout << *doc << (doc->empty() || doc->back() != '\n' ? "\n" : "");
    return kOk;
  }
  if (verb == "diff" && (n == 3 || n == 4))
    return policy_diff(db, n == 4 ? args.words[1] : "", args.words[n - 2], args.words[n - 1]);
  if (verb != "put" || n != 2) throw UsageError{std::string(tr("usage: ")) + "crmctl " + kPolicyUsage};
  const std::string document = read_file(args.words[1]);
  auto policy = crm::Policy::from_json(document);
  if (!policy.ok()) return fail(policy.status(), args.words[1]);
  for (const std::string& w : policy->warnings()) std::cerr << tr("warning: ") << w << "\n";
  if (crm::Status s = db.put_policy(document); !s.ok()) return fail(s, args.words[1]);
  std::cout << trf("stored {} {}", {policy->name(), policy->version()}) << "\n";
  return kOk;
}

int cmd_demand(crm::Database& db, const Args& args) {
  require_words(args, 2, "demand show ID [--at TIME]");
  if (args.words[0] != "show") throw UsageError{std::string(tr("usage: ")) + "crmctl demand show ID [--at TIME]"};
  auto policy = report_policy(db, args.get("policy"));
  if (!policy.ok()) return fail(policy.status());
  const crm::Calendar& calendar = *policy->calendar(policy->default_calendar());
  const int64_t at = args.has("at") ? parse_instant(args.get("at"), calendar, "at") : now();
  const std::optional<LedgerActor> actor = ledger_actor(args);
  auto view = actor ? db.demand_as(actor->json, args.words[1], at) : db.demand(args.words[1], at);
  if (!view.ok()) return fail(view.status());
  const json v = json::parse(*view);
  const json& d = v["demand"];
  std::cout << v["id"].get<std::string>() << "  " << d.value("title", "") << "\n";
  std::cout << "  "
            << trf("state {}, {} {}, owner {} ({}), customer {}, channel {}",
                   {label(v["state"].get<std::string>()), label(v["classification"]["urgency"].get<std::string>()),
                    label(v["classification"]["category"].get<std::string>()), v["owner"].get<std::string>(),
                    v["department"].get<std::string>(), v["customer"].get<std::string>(), label(v["channel"].get<std::string>())})
            << "\n\n";
  Table targets({tr("target"), tr("status"), tr("due"), tr("met"), tr("remaining"), tr("overrun")},
                {Table::Align::left, Table::Align::left, Table::Align::left, Table::Align::left, Table::Align::right,
                 Table::Align::right});
  for (const json& t : v["targets"])
    targets.add({label(t["name"].get<std::string>()), label(t["status"].get<std::string>()),
                 local_time(t["due_at"].get<int64_t>(), calendar) + (t.value("provisional", false) ? tr(" (provisional)") : ""),
                 t.contains("met_at") ? local_time(t["met_at"].get<int64_t>(), calendar) : "",
                 duration_text(t["remaining_seconds"].get<int64_t>()), duration_text(t["overrun_seconds"].get<int64_t>())});
  targets.print(std::cout);
  std::cout << "\n";
  Table events({"#", tr("event"), tr("at"), tr("actor"), tr("detail")}, {Table::Align::right});
  for (const json& e : v["events"]) {
    std::string detail;
    for (const auto& [key, value] : e.items())
      if (key != "n" && key != "type" && key != "at" && key != "actor")
        detail += (detail.empty() ? "" : " ") + key + "=" + (value.is_string() ? value.get<std::string>() : value.dump());
    events.add({std::to_string(e["n"].get<int64_t>()), label(e["type"].get<std::string>()), local_time(e["at"].get<int64_t>(), calendar),
                e["actor"].get<std::string>(), detail});
  }
  events.print(std::cout);
  return kOk;
}

int cmd_due(crm::Database& db, const Args& args) {
  require_words(args, 0, "due [--at TIME] [--owner X] [--department X] [--limit N]");
  auto policy = report_policy(db, args.get("policy"));
  if (!policy.ok()) return fail(policy.status());
  const crm::Calendar& calendar = *policy->calendar(policy->default_calendar());
  json q = {{"at", args.has("at") ? parse_instant(args.get("at"), calendar, "at") : now()}};
  q["due_before"] = args.has("due-before") ? parse_instant(args.get("due-before"), calendar, "due-before")
                                           : q["at"].get<int64_t>() + 86400;
  for (const char* key : {"owner", "department", "urgency"})
    if (args.has(key)) q[key] = args.get(key);
  if (args.has("limit")) {
    const std::string limit = args.get("limit");
    if (limit.empty() || limit.find_first_not_of("0123456789") != std::string::npos) throw UsageError{tr("--limit: expected a number")};
    q["limit"] = std::stoll(limit);
  }
  const std::optional<LedgerActor> actor = ledger_actor(args);
  auto list = actor ? db.worklist_as(actor->json, q.dump()) : db.worklist(q.dump());
  if (!list.ok()) return fail(list.status());
  const json l = json::parse(*list);
  Table table({tr("demand"), tr("target"), tr("status"), tr("due"), tr("remaining"), tr("overrun"), tr("owner"), tr("department")},
              {Table::Align::left, Table::Align::left, Table::Align::left, Table::Align::left, Table::Align::right,
               Table::Align::right});
  for (const json& i : l["items"])
    table.add({i["demand"].get<std::string>(), label(i["target"].get<std::string>()), label(i["status"].get<std::string>()),
               local_time(i["due_at"].get<int64_t>(), calendar) + (i.value("provisional", false) ? tr(" (provisional)") : ""),
               duration_text(i["remaining_seconds"].get<int64_t>()),
               duration_text(i["overrun_seconds"].get<int64_t>()), i["owner"].get<std::string>(),
               i["department"].get<std::string>()});
  table.print(std::cout);
  std::cout << trf("{} target(s) at risk, breached or due before {}",
                   {std::to_string(l["count"].get<int64_t>()), local_time(l["due_before"].get<int64_t>(), calendar)})
            << "\n";
  return kOk;
}

int cmd_report(crm::Database& db, const Args& args) {
  require_words(args, 0, "report [--period P] [--by DIM[,DIM]] [--from T] [--to T] [--at T] [--filter DIM=V] [--format F] [-o FILE]");
  auto policy = report_policy(db, args.get("policy"));
  if (!policy.ok()) return fail(policy.status());
  const crm::Calendar& calendar = *policy->calendar(policy->default_calendar());
  json q = {{"period", args.get("period", "month")}, {"policy", policy->name()}};
  q["at"] = args.has("at") ? parse_instant(args.get("at"), calendar, "at") : now();
  for (const char* key : {"from", "to"})
    if (args.has(key)) q[key] = parse_instant(args.get(key), calendar, key);
  if (args.has("by")) {
    json by = json::array();
    std::istringstream in(args.get("by"));
    for (std::string dim; std::getline(in, dim, ',');) by.push_back(dim);
    q["by"] = by;
  }
  if (args.has("filter")) {
    std::istringstream in(args.get("filter"));
    for (std::string f; std::getline(in, f);) {
      const size_t eq = f.find('=');
      if (eq == std::string::npos) throw UsageError{trf("--filter: expected DIMENSION=VALUE, got \"{}\"", {f})};
      q["filter"][f.substr(0, eq)].push_back(f.substr(eq + 1));
    }
  }
  const std::string format = args.get("format", "table");
  if (format != "table" && format != "csv" && format != "json" && format != "html")
    throw UsageError{tr("--format: expected table, csv, json or html")};
  if (format != "table") q["format"] = format;
  q["locale"] = language_name();  // the HTML page speaks as crmctl does (JSON and CSV keep machine names)
  const std::optional<LedgerActor> actor = ledger_actor(args);
  auto report = actor ? db.report_as(actor->json, q.dump()) : db.report(q.dump());
  if (!report.ok()) return fail(report.status());
  std::ostringstream text;
  if (format == "table") print_report_tables(*report, text, false);
  else text << *report;
  if (args.has("output")) {
    std::ofstream out(args.get("output"), std::ios::binary | std::ios::trunc);
    out << text.str();
    if (!out.flush()) return fail(crm::Status::io_error(trf("cannot write \"{}\"", {args.get("output")})));
    std::cerr << trf("wrote {}", {args.get("output")}) << "\n";
  } else {
    std::cout << text.str();
  }
  return kOk;
}

}  // namespace crmctl
