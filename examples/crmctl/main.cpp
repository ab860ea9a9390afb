// SPDX-License-Identifier: Apache-2.0
// crmctl: the administrator's tool over a crmpolicy database (README "crmctl").
#include <cstdlib>
#include <iostream>

#include "cli.hpp"

namespace {

const char* kUsage = R"(usage: crmctl [--db FILE] COMMAND ...

  demo [--db FILE]                 create a database with the sample policy and a generated
                                   year of demands, then print the monthly report
  import FILE [--skip-invalid]     import demands and events (.ndjson) or demands (.csv)
  calendar [FILE] [--calendar NAME] [--year YYYY] [--date YYYY-MM-DD]
                                   a calendar's official data coverage, its special days of a
                                   year (official or provisional), whether a date is provisional;
                                   FILE: a calendar or policy document (default: the database's)
  backup FILE                      a consistent copy of the live database (every table), mode 0600
  audit verify                     recompute the audit log's hash chain: exit 0 when it holds,
                                   2 naming the first entry altered, inserted or removed
  snapshot export|import FILE [--passphrase-file F]
                                   a portable archive of every table (Boost.Serialization), 0600;
                                   import restores one (into an empty database for customers);
                                   with a passphrase (F's first line, F mode 0600) encrypted whole
  policy check FILE                validate a policy document
  policy put FILE                  store a policy version
  demand show ID [--at TIME]       a demand with its events and targets
  due [--at TIME] [--owner X] [--department X] [--limit N]
                                   the work list: targets at risk, breached or due soon
  watch [--cursor FILE] [--start beginning|end] [--until TIME | --once] [--poll SECONDS] [--exec COMMAND]
                                   follow the change feed: one NDJSON line per change (or run
                                   COMMAND with it on stdin), the cursor kept in FILE (default
                                   crmctl-watch.cursor; without one, from --start); sleeps until the next wake-up or --poll
                                   (60 s); stops on SIGTERM, at --until, or --once when caught up
  report [--period P] [--by DIM[,DIM]] [--from TIME] [--to TIME] [--at TIME]
         [--filter DIM=VALUE]... [--format table|csv|json|html] [-o FILE]
  customers [--at TIME] [--tier T]  customers with tier, value and spend; customers per tier
  collection-due [--at TIME] [--all]
                                   per owner, customers due or overdue for needs collection
  churn [--at TIME]                customers with churn warnings and their reasons
  prospects [--at TIME] [--stage S] | --due | --funnel [--period P] [--by owner|department]
                                   prospects; follow-ups due; the conversion funnel
  (customer commands: [--owner X] [--department X] [--as ID:ROLE[:DEPARTMENT]], default
   crmctl:admin; a role without personal.read sees contact data masked)

TIME: epoch seconds, YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] (local time of the policy's calendar) or
with an offset (+08:00, Z). The database defaults to $CRMCTL_DB, else crmpolicy.db; its
encryption key (64 hex digits) is read from --key-file FILE or $CRMCTL_KEY_FILE (mode 0600).
Exit codes: 0 ok, 1 usage, 2 bad input, 3 storage error.
)";

// Options that take no value.
bool is_flag(const std::string& name) {
  return name == "skip-invalid" || name == "help" || name == "all" || name == "due" || name == "funnel" || name == "once";
}

crmctl::Args parse(int argc, char** argv) {
  crmctl::Args args;
  for (int i = 1; i < argc; ++i) {
    std::string word = argv[i];
    if (word == "-o") word = "--output";
    if (word.rfind("--", 0) == 0 && word.size() > 2) {
      std::string name = word.substr(2), value;
      if (const size_t eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name.resize(eq);
      } else if (!is_flag(name)) {
        if (i + 1 >= argc) throw crmctl::UsageError{"--" + name + " needs a value"};
        value = argv[++i];
      }
      if (name == "filter" && args.has("filter")) value = args.get("filter") + "\n" + value;
      args.options[name] = value;
    } else {
      args.words.push_back(word);
    }
  }
  return args;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    crmctl::Args args = parse(argc, argv);
    if (args.words.empty() || args.has("help")) {
      (args.has("help") ? std::cout : std::cerr) << kUsage;
      return args.has("help") ? crmctl::kOk : crmctl::kUsage;
    }
    const std::string command = args.words.front();
    args.words.erase(args.words.begin());
    if (command == "demo") return crmctl::cmd_demo(args);
    if (command == "calendar") return crmctl::cmd_calendar(args);
    const char* env = std::getenv("CRMCTL_DB");
    const std::string path = args.get("db", env && *env ? env : "crmpolicy.db");
    if (command != "import" && command != "backup" && command != "audit" && command != "snapshot" && command != "policy" && command != "demand" && command != "due" && command != "watch" && command != "report" &&
        command != "customers" && command != "collection-due" && command != "churn" && command != "prospects")
      throw crmctl::UsageError{"unknown command \"" + command + "\""};
    auto db = crm::Database::open(path, crmctl::open_options(args));
    if (!db.ok()) return crmctl::fail(db.status(), path);
    if (command == "import") return crmctl::cmd_import(*db, args);
    if (command == "backup") return crmctl::cmd_backup(*db, args);
    if (command == "audit") return crmctl::cmd_audit(*db, args);
    if (command == "snapshot") return crmctl::cmd_snapshot(*db, args);
    if (command == "policy") return crmctl::cmd_policy(*db, args);
    if (command == "demand") return crmctl::cmd_demand(*db, args);
    if (command == "due") return crmctl::cmd_due(*db, args);
    if (command == "watch") return crmctl::cmd_watch(*db, args);
    if (command == "customers") return crmctl::cmd_customers(*db, args);
    if (command == "collection-due") return crmctl::cmd_collection_due(*db, args);
    if (command == "churn") return crmctl::cmd_churn(*db, args);
    if (command == "prospects") return crmctl::cmd_prospects(*db, args);
    return crmctl::cmd_report(*db, args);
  } catch (const crmctl::UsageError& e) {
    std::cerr << "crmctl: " << e.message << "\n" << kUsage;
    return crmctl::kUsage;
  } catch (const std::exception& e) {
    std::cerr << "crmctl: " << e.what() << "\n";
    return crmctl::kStorage;
  }
}
