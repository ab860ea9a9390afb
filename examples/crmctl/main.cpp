// SPDX-License-Identifier: Apache-2.0
// crmctl: the administrator's tool over a crmpolicy database (README "crmctl"). CLI11 parses the
// command line: every command declares its options, so a misspelt option or a bad value is
// refused (exit 1, with a hint), `crmctl COMMAND --help` describes the command, `--version` the
// build, and `crmctl completion bash` prints a completion script generated from the same table.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <functional>
#include <iostream>

#include <crmpolicy/crmpolicy.h>

#include "cli.hpp"
#include "words.hpp"

namespace {

const char* kFooter = R"(TIME: epoch seconds, YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS] (local time of the policy's calendar) or
with an offset (+08:00, Z). The database defaults to $CRMCTL_DB, else crmpolicy.db; its
encryption key (64 hex digits) is read from --key-file FILE or $CRMCTL_KEY_FILE (mode 0600).
Exit codes: 0 ok, 1 usage, 2 bad input (also a database file that does not exist), 3 storage error.)";

// A command: what CLI11 fills, turned into crmctl::Args for the command's function.
struct Command {
  CLI::App* app = nullptr;
  std::map<std::string, std::string> values;
  std::map<std::string, std::vector<std::string>> lists;
  std::vector<std::string> words;
  bool writes = false;  // may create the database; the others need it to exist
  std::function<int(crm::Database&, const crmctl::Args&)> run;
  std::function<int(const crmctl::Args&)> run_without_database;

  Command& option(const std::string& name, const std::string& help, const std::string& type = "TEXT") {
    app->add_option("--" + name, values[name], help)->type_name(type);
    return *this;
  }
  Command& repeated(const std::string& name, const std::string& help, const std::string& type = "TEXT") {
    app->add_option("--" + name, lists[name], help)->type_name(type);
    return *this;
  }
  Command& choice(const std::string& name, const std::string& help, const std::vector<std::string>& allowed) {
    app->add_option("--" + name, values[name], help)->check(CLI::IsMember(allowed));
    return *this;
  }
  Command& flag(const std::string& name, const std::string& help) {
    app->add_flag("--" + name, help);
    return *this;
  }
  // `min` to `max` words after the command.
  Command& positional(const std::string& name, const std::string& help, int min, int max) {
    CLI::Option* o = app->add_option(name, words, help)->expected(min, max);
    if (min > 0) o->required();
    return *this;
  }

  crmctl::Args args(const std::string& db, const std::string& key_file) const {
    crmctl::Args a;
    a.words = words;
    for (const auto& [name, value] : values)
      if (app->count("--" + name)) a.options[name] = value;
    for (const auto& [name, list] : lists)
      if (!list.empty()) {
        std::string joined;
        for (const std::string& v : list) joined += (joined.empty() ? "" : "\n") + v;
        a.options[name] = joined;
      }
    for (const CLI::Option* o : app->get_options())
      if (o->get_expected_max() == 0 && o->count() > 0) a.options[o->get_name().substr(2)] = "";
    if (!db.empty()) a.options["db"] = db;
    if (!key_file.empty()) a.options["key-file"] = key_file;
    return a;
  }
};

// A bash completion script: the commands, then each command's options.
std::string bash_completion(const CLI::App& app) {
  std::string commands, cases;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    commands += (commands.empty() ? "" : " ") + sub->get_name();
    std::string options;
    for (const CLI::Option* o : sub->get_options())
      if (!o->get_lnames().empty()) options += " --" + o->get_lnames().front();
    cases += "    " + sub->get_name() + ") opts=\"" + options.substr(options.empty() ? 0 : 1) + " --help\" ;;\n";
  }
  return "# bash completion for crmctl (crmctl completion bash > /etc/bash_completion.d/crmctl)\n"
         "_crmctl() {\n"
         "  local cur=${COMP_WORDS[COMP_CWORD]} command= opts= i\n"
         "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "    case ${COMP_WORDS[i]} in --db|--key-file|--lang) ((i++)) ;; -*) ;; *) command=${COMP_WORDS[i]}; break ;; esac\n"
         "  done\n"
         "  if [[ -z $command ]]; then\n"
         "    COMPREPLY=($(compgen -W \"" + commands + " --db --key-file --lang --help --version\" -- \"$cur\"))\n"
         "    return\n"
         "  fi\n"
         "  case $command in\n" + cases +
         "  esac\n"
         "  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\")); else COMPREPLY=($(compgen -f -- \"$cur\")); fi\n"
         "}\n"
         "complete -F _crmctl crmctl\n";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"crmctl: the administrator's tool over a crmpolicy database", "crmctl"};
  app.footer(kFooter);
  app.set_version_flag("--version", std::string("crmctl ") + crm_version());
  app.require_subcommand(1);
  app.fallthrough();  // --db and --key-file also after the command
  std::string db, key_file;
  app.add_option("--db", db, "the database: an SQLite file or a postgresql:// URI (default $CRMCTL_DB, else crmpolicy.db)")
      ->type_name("FILE");
  app.add_option("--key-file", key_file, "the host's encryption key, 64 hex digits (mode 0600; default $CRMCTL_KEY_FILE)")
      ->type_name("FILE");
  std::string lang;
  app.add_option("--lang", lang, "crmctl's language, and the HTML report's: zh-CN or en (default: $LC_ALL, $LC_MESSAGES or "
                                 "$LANG when it names one of them, else the stored policy's \"locale\")")
      ->check(CLI::IsMember({"zh-CN", "en"}));

  std::vector<std::unique_ptr<Command>> commands;
  const auto command = [&](const std::string& name, const std::string& help) -> Command& {
    commands.push_back(std::make_unique<Command>());
    commands.back()->app = app.add_subcommand(name, help);
    return *commands.back();
  };
  const std::vector<std::string> periods = {"day", "week", "month", "quarter", "half_year", "year"};
  const auto as = [](Command& c) {
    c.option("owner", "only this owner's").option("department", "only this department's");
    c.option("as", "act as this user (default crmctl:admin); a role without personal.read sees contact data masked",
             "ID:ROLE[:DEPARTMENT]");
  };

  // The ledger's commands act as the system unless told to act as a user.
  const auto ledger_as = [](Command& c) {
    c.option("as", "act as this user: only the demands its role's scope reaches (default: the system, every demand)",
             "ID:ROLE[:DEPARTMENT]");
  };

  Command& demo = command("demo", "create a database with the sample policy and a generated year of demands, then print the monthly report");
  demo.option("policy", "the policy document (default: the sample policy)", "FILE");
  demo.run_without_database = crmctl::cmd_demo;

  Command& import = command("import", "import demands and events (.ndjson) or demands (.csv)");
  import.positional("FILE", "an NDJSON or CSV file", 1, 1).flag("skip-invalid", "refuse bad lines one by one instead of stopping");
  import.choice("encoding", "the CSV file's encoding (default utf-8; a byte order mark is skipped)", {"utf-8", "gbk", "gb18030"});
  import.writes = true;
  ledger_as(import);
  import.run = crmctl::cmd_import;

  Command& calendar = command("calendar", "a calendar's official data coverage, its special days of a year, whether a date is provisional");
  calendar.positional("FILE", "a calendar or policy document (default: the database's)", 0, 1);
  calendar.option("calendar", "the calendar's name", "NAME").option("year", "special days of this year", "YYYY");
  calendar.option("date", "is this date provisional", "YYYY-MM-DD").option("policy", "the stored policy (default: the only one)", "NAME");
  calendar.run_without_database = crmctl::cmd_calendar;

  Command& backup = command("backup", "a consistent copy of the live database (every table), mode 0600");
  backup.positional("FILE", "the copy", 1, 1);
  backup.run = crmctl::cmd_backup;

  Command& audit = command("audit", "verify: recompute the audit log's hash chain (exit 0 when it holds, 2 naming the first entry altered, "
                                    "inserted or removed); list: the entries between two instants");
  audit.positional("verify|list", "what to do", 1, 1).option("from", "list: from this instant", "TIME").option("to", "list: before this instant", "TIME");
  audit.option("as", "list: act as this user (default crmctl:admin); reading the audit log needs audit.read", "ID:ROLE[:DEPARTMENT]");
  audit.run = crmctl::cmd_audit;

  Command& snapshot = command("snapshot", "a portable archive of every table (Boost.Serialization), 0600; import restores one");
  snapshot.positional("export|import FILE", "the direction and the archive", 2, 2);
  snapshot.option("passphrase-file", "encrypt or decrypt the archive whole with F's first line (F mode 0600)", "F");
  snapshot.run = crmctl::cmd_snapshot;

  Command& policy = command("policy", "check FILE: validate a policy document; put FILE: store a policy version; list: the "
                                      "stored versions; show [NAME [VERSION]]: a stored document; diff [NAME] V1 V2: what changed");
  policy.positional("VERB [ARGS]", "check FILE | put FILE | list | show [NAME [VERSION]] | diff [NAME] V1 V2", 1, 4);
  policy.run = crmctl::cmd_policy;

  Command& demand = command("demand", "a demand with its events and targets");
  demand.positional("show ID", "the verb and the demand's id", 2, 2).option("at", "as the ledger tells at this instant (default now)", "TIME");
  ledger_as(demand);
  demand.run = crmctl::cmd_demand;

  Command& event = command("event", "append an event to a demand's ledger");
  event.positional("ID TYPE", "the demand and the event's type (acknowledged, plan_sent, progress, resolved, feedback, ...)", 2, 2);
  event.option("at", "when it happened (default now)", "TIME").option("actor", "who did it (default crmctl)", "NAME");
  event.repeated("field", "a field of the event: KEY=VALUE, VALUE a JSON number, true, false or text", "KEY=VALUE");
  event.writes = true;
  ledger_as(event);
  event.run = crmctl::cmd_event;

  Command& due = command("due", "the work list: targets at risk, breached or due soon");
  due.option("at", "at this instant (default now)", "TIME").option("owner", "only this owner's").option("department", "only this department's");
  due.option("limit", "at most N items", "N").option("due-before", "also targets due before this instant", "TIME");
  ledger_as(due);
  due.run = crmctl::cmd_due;

  Command& weekly = command("weekly", "the weekly progress check: per owner, open demands, at risk, breached, resolved this week");
  weekly.option("at", "at this instant (default now)", "TIME").option("policy", "the stored policy (default: the only one)", "NAME");
  ledger_as(weekly);
  weekly.run = crmctl::cmd_weekly;

  Command& watch = command("watch", "follow the change feed: one NDJSON line per change (or run COMMAND with it on stdin)");
  watch.option("cursor", "keep the cursor in FILE (default crmctl-watch.cursor)", "FILE");
  watch.choice("start", "without a cursor, from the beginning or the end of the feed", {"beginning", "end"});
  watch.option("until", "stop at this instant", "TIME").flag("once", "stop when caught up");
  watch.option("poll", "sleep at most this long between reads (default 60)", "SECONDS").option("exec", "run COMMAND per change", "COMMAND");
  watch.option("policy", "the stored policy (default: the only one)", "NAME");
  watch.run = crmctl::cmd_watch;

  Command& report = command("report", "the figures the policy is judged by: timeliness, completion, satisfaction per period");
  report.choice("period", "the periods (default month)", periods).option("by", "group by up to two dimensions", "DIM[,DIM]");
  report.option("from", "from this instant", "TIME").option("to", "to this instant", "TIME").option("at", "as the ledger tells at this instant (default now)", "TIME");
  report.repeated("filter", "only demands with this value (repeatable)", "DIM=VALUE");
  report.choice("format", "table (default), csv, json or html", {"table", "csv", "json", "html"});
  report.option("policy", "the stored policy (default: the only one)", "NAME");
  report.app->add_option("-o,--output", report.values["output"], "write to FILE instead of the terminal")->type_name("FILE");
  ledger_as(report);
  report.run = crmctl::cmd_report;

  Command& customers = command("customers", "customers with tier, value and spend; customers per tier");
  customers.option("at", "at this instant (default now)", "TIME").option("tier", "only this tier");
  as(customers);
  customers.run = crmctl::cmd_customers;

  Command& collection = command("collection-due", "per owner, customers due or overdue for needs collection");
  collection.option("at", "at this instant (default now)", "TIME").flag("all", "also those not yet due");
  as(collection);
  collection.run = crmctl::cmd_collection_due;

  Command& churn = command("churn", "customers with churn warnings and their reasons");
  churn.option("at", "at this instant (default now)", "TIME");
  as(churn);
  churn.run = crmctl::cmd_churn;

  Command& goals = command("goals", "the relationship goals: needs collected from key customers monthly, others quarterly, per owner");
  goals.option("at", "at this instant (default now)", "TIME").choice("format", "table (default) or json", {"table", "json"});
  as(goals);
  goals.run = crmctl::cmd_goals;

  Command& prospects = command("prospects", "prospects; follow-ups due; the conversion funnel");
  prospects.option("at", "at this instant (default now)", "TIME").option("stage", "only this stage");
  prospects.flag("due", "the follow-ups due").flag("funnel", "the conversion funnel");
  prospects.choice("period", "funnel periods (default month)", periods).choice("by", "funnel per owner or department", {"owner", "department"});
  as(prospects);
  prospects.run = crmctl::cmd_prospects;

  CLI::App* completion = app.add_subcommand("completion", "print a shell completion script");
  std::string shell;
  completion->add_option("SHELL", shell, "the shell")->required()->check(CLI::IsMember({"bash"}));

  if (const auto asked = crmctl::language_from_environment()) crmctl::use_language(*asked);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string where;
    for (const CLI::App* sub : app.get_subcommands()) where += " " + sub->get_name();
    std::cerr << "crmctl: " << e.what() << "\n" << crmctl::trf("Run 'crmctl{} --help' for usage.", {where}) << "\n";
    return crmctl::kUsage;
  }
  if (!lang.empty()) crmctl::use_language(*crmctl::parse_language(lang));
  if (completion->parsed()) {
    std::cout << bash_completion(app);
    return crmctl::kOk;
  }
  try {
    for (const auto& c : commands) {
      if (!c->app->parsed()) continue;
      const crmctl::Args args = c->args(db, key_file);
      if (c->run_without_database) return c->run_without_database(args);
      const std::string verb = c->words.empty() ? "" : c->words.front();
      if (c.get() == &policy && verb == "check") return crmctl::cmd_policy_check(args);
      // Only writes create a database: a mistyped --db for a read says the file does not exist.
      const bool writes = c->writes || (c.get() == &policy && verb == "put") || (c.get() == &snapshot && verb == "import");
      auto opened = crmctl::open_database(args, writes);
      if (!opened.ok()) return crmctl::fail(opened.status());
      return c->run(*opened, args);
    }
    return crmctl::kUsage;
  } catch (const crmctl::UsageError& e) {
    std::cerr << "crmctl: " << e.message << "\n";
    return crmctl::kUsage;
  } catch (const std::exception& e) {
    std::cerr << "crmctl: " << e.what() << "\n";
    return crmctl::kStorage;
  }
}
