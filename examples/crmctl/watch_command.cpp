// SPDX-License-Identifier: Apache-2.0
// crmctl watch: follows the change feed (README "Change feed") for a host without a scheduler of
// its own. Prints each change as one NDJSON line or runs a command for it, keeps its cursor in a
// file (written after each page is handled: a change is handled once, or again after a crash in
// the middle of its page, never skipped), and sleeps until the next wake-up or the poll interval.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "words.hpp"

namespace crmctl {

namespace {

using json = nlohmann::ordered_json;

volatile sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

std::string read_cursor(const std::string& path) {
  std::ifstream in(path);
  std::string cursor;
  std::getline(in, cursor);
  return cursor;
}

// Written beside the file, synced and renamed over it: a crash leaves the old cursor or the new one.
bool save_cursor(const std::string& path, const std::string& cursor) {
  const std::string temp = path + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return false;
  const std::string line = cursor + "\n";
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  return ok && std::rename(temp.c_str(), path.c_str()) == 0;
}

// Runs `command` through /bin/sh with the change on its standard input and CRM_CHANGE_KIND,
// CRM_CHANGE_DEMAND and CRM_CHANGE_AT in its environment; true when it exits 0.
bool run_for(const std::string& command, const json& change) {
  setenv("CRM_CHANGE_KIND", change.value("kind", "").c_str(), 1);
  setenv("CRM_CHANGE_DEMAND", change.value("demand", "").c_str(), 1);
  setenv("CRM_CHANGE_AT", std::to_string(change.value("at", int64_t{0})).c_str(), 1);
  FILE* pipe = popen(command.c_str(), "w");
  if (!pipe) return false;
  const std::string line = change.dump() + "\n";
  const bool written = std::fwrite(line.data(), 1, line.size(), pipe) == line.size();
  const int status = pclose(pipe);
  return written && status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int64_t seconds_option(const Args& args, const char* name, int64_t fallback) {
  if (!args.has(name)) return fallback;
  const std::string text = args.get(name);
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos || std::stoll(text) == 0)
    throw UsageError{std::string("--") + name + ": " + tr("expected a whole number of seconds, 1 or more")};
  return std::stoll(text);
}

}  // namespace

int cmd_watch(crm::Database& db, const Args& args) {
  require_words(args, 0, "watch [--cursor FILE] [--start beginning|end] [--until TIME | --once] [--poll SECONDS] [--exec COMMAND]");
  const std::string start = args.get("start", "beginning");
  if (start != "beginning" && start != "end") throw UsageError{tr("--start: expected beginning or end")};
  auto policy = report_policy(db, args.get("policy"));
  if (!policy.ok()) return fail(policy.status());
  const crm::Calendar& calendar = *policy->calendar(policy->default_calendar());
  const std::string cursor_file = args.get("cursor", "crmctl-watch.cursor");
  const bool bounded = args.has("until") || args.has("once");
  const int64_t until = args.has("until") ? parse_instant(args.get("until"), calendar, "until") : 0;
  const int64_t poll = seconds_option(args, "poll", 60);
  const std::string command = args.get("exec");

  struct sigaction action = {};
  action.sa_handler = on_signal;
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a command that does not read its input fails; it does not kill the watch
  std::string cursor = read_cursor(cursor_file);
  int64_t handled = 0;
  while (!g_stop) {
    const int64_t up_to = args.has("until") ? until : now();
    json q = {{"until", up_to}, {"limit", 1000}};
    if (!cursor.empty()) q["cursor"] = cursor;
    else if (start == "end") q["start"] = "end";  // a first run: what happened before it is history
    auto page = db.changes(q.dump());
    if (!page.ok()) return fail(page.status(), "reading the change feed");
    const json answer = json::parse(*page);
    for (const json& change : answer["changes"]) {
      if (!command.empty()) {
        if (!run_for(command, change)) {
          std::cerr << "crmctl: " << trf("--exec failed for {}; the cursor stays before its page", {change.dump()}) << "\n";
          return kStorage;
        }
      } else {
        std::cout << change.dump() << "\n";
      }
      ++handled;
    }
    std::cout.flush();
    if (!std::cout) {  // the reader of our output has gone: stop before the cursor moves
      std::cerr << "crmctl: " << tr("cannot write the changes; the cursor stays before this page") << "\n";
      return kStorage;
    }
    cursor = answer["cursor"].get<std::string>();
    if (!save_cursor(cursor_file, cursor)) {
      std::cerr << "crmctl: " << trf("cannot write the cursor file {}", {cursor_file}) << "\n";
      return kStorage;
    }
    if (answer["more"].get<bool>()) continue;
    if (bounded) break;
    // Asleep until the next time-driven change or the poll (for writes by other processes).
    const int64_t t = now();
    auto wake = db.next_wakeup(t);
    const int64_t sleep_for = std::clamp<int64_t>(wake.ok() ? *wake - t : poll, 1, poll);
    for (int64_t slept = 0; slept < sleep_for && !g_stop; ++slept) ::sleep(1);
  }
  std::cerr << "crmctl: " << trf("watch handled {} change(s); cursor in {}", {std::to_string(handled), cursor_file}) << "\n";
  return kOk;
}

}  // namespace crmctl
