// SPDX-License-Identifier: Apache-2.0
// A report's JSON as terminal tables: per-period figures, groups, goals, attention and accountability.
#include <cstdio>
#include <ostream>

#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "table.hpp"
#include "words.hpp"

namespace crmctl {

namespace {

using nlohmann::json;

std::string pct(const json& v) {
  if (v.is_null()) return "-";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100 * v.get<double>());
  return buf;
}

std::string num(const json& v, int decimals) {
  if (v.is_null()) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v.get<double>());
  return buf;
}

// A rate, marked "!" when the row misses the metric's general goal (one without target or condition)
// and the goal is judged on rows of this period kind (a quarterly goal is not judged on months).
std::string judged(const json& row, const char* metric, const json& value) {
  std::string text = pct(value);
  for (const json& g : row["goals"])
    if (g["metric"] == metric && !g.contains("target")) {
      if (g.contains("met") && g["met"] == false) text += " !";
      break;
    }
  return text;
}

// Vocabulary values (urgencies, channels, ...) in the current language; names (owners, departments) as they are.
std::string group_name(const json& row) {
  std::string name;
  for (const auto& [dim, value] : row["group"].items()) name += (name.empty() ? "" : " / ") + label(value.get<std::string>());
  return name;
}

std::vector<std::string> figures(const json& row) {
  const int64_t missed = row["targets"]["breached"].get<int64_t>() + row["targets"]["met_late"].get<int64_t>();
  return {std::to_string(row["received"].get<int64_t>()),
          std::to_string(row["open_at_end"].get<int64_t>()),
          judged(row, "timeliness", row["timeliness"]["rate"]),
          judged(row, "completion", row["completion"]["rate"]),
          judged(row, "satisfaction", row["satisfaction"]["rate"]),
          num(row["satisfaction"]["mean"], 2),
          judged(row, "response_rate", row["satisfaction"]["response_rate"]),
          num(row["first_response_hours"]["median"], 1),
          num(row["first_response_hours"]["p90"], 1),
          std::to_string(missed)};
}

const char* const kFigureHeaders[] = {"received", "open", "timely", "complete", "satisfied", "score",
                                      "resp.rate", "1st resp h", "p90 h", "missed"};

Table figure_table(std::vector<std::string> leading) {
  std::vector<std::string> headers = leading;
  for (const char* h : kFigureHeaders) headers.push_back(tr(h));
  std::vector<Table::Align> align(leading.size(), Table::Align::left);
  align.resize(headers.size(), Table::Align::right);
  return Table(headers, align);
}

}  // namespace

void print_report_tables(const std::string& report_json, std::ostream& out, bool brief) {
  const json r = json::parse(report_json);
  const std::string period = label(r["period"].get<std::string>());
  out << "\n" << r["policy"].get<std::string>() << " " << r["policy_version"].get<std::string>() << " — "
      << trf("by {} ({})", {period, r["time_zone"].get<std::string>()});
  if (!r["by"].empty()) {
    std::string by;
    for (const json& d : r["by"]) by += (by.empty() ? "" : " × ") + label(d.get<std::string>());
    out << trf(", grouped by {}", {by});
  }
  out << "\n\n";
  Table totals = figure_table({tr("period")});
  for (const json& row : r["rows"])
    if (!row.contains("group")) {
      std::vector<std::string> cells = {row["period"] == "all" ? tr("all") : row["period"].get<std::string>()};
      const auto f = figures(row);
      cells.insert(cells.end(), f.begin(), f.end());
      totals.add(cells);
    }
  totals.print(out);
  out << trf("(timely: targets met on time / decided; complete: resolved / received less merged; satisfied: scores >= 4; "
             "! misses a goal set per {}; goals of other periods are judged below)",
             {period})
      << "\n";

  if (!r["by"].empty()) {
    out << "\n";
    Table groups = brief ? figure_table({tr("group")}) : figure_table({tr("period"), tr("group")});
    for (const json& row : r["rows"]) {
      if (!row.contains("group") || (brief && row["period"] != "all")) continue;
      std::vector<std::string> cells;
      if (!brief) cells.push_back(row["period"] == "all" ? tr("all") : row["period"].get<std::string>());
      cells.push_back(group_name(row));
      const auto f = figures(row);
      cells.insert(cells.end(), f.begin(), f.end());
      groups.add(cells);
    }
    groups.print(out);
  }

  out << "\n" << tr("Goals, each judged on its own period") << "\n";
  Table goals({tr("goal"), tr("per"), tr("min"), tr("met"), tr("missed periods"), tr("latest")},  // met: of the periods that are over
              {Table::Align::left, Table::Align::left, Table::Align::right, Table::Align::right, Table::Align::left,
               Table::Align::left});
  for (const json& g : r["goals"]) {
    const bool mean = g["metric"] == "satisfaction_mean";
    const auto value = [&](const json& v) { return mean ? num(v, 2) : pct(v); };
    size_t judged_periods = 0, met = 0, missed_count = 0;
    std::string missed, latest = "-";
    for (const json& row : g["rows"]) {
      if (row["met"].is_null()) continue;
      const std::string period_label = row["period"].get<std::string>() + (row["complete"].get<bool>() ? "" : tr(" (to date)"));
      latest = period_label + " " + value(row["value"]);
      if (!row["complete"].get<bool>()) continue;  // judged once the period is over
      ++judged_periods;
      if (row["met"].get<bool>()) ++met;
      else if (++missed_count <= 4) missed += (missed.empty() ? "" : ", ") + period_label + " " + value(row["value"]);
    }
    if (missed_count > 4) missed += trf(" and {} more", {std::to_string(missed_count - 4)});
    goals.add({label(g["metric"].get<std::string>()) + (g.contains("target") ? " " + label(g["target"].get<std::string>()) : ""),
               label(g["period"].get<std::string>()), mean ? num(g["min"], 2) : pct(g["min"]),
               judged_periods ? std::to_string(met) + "/" + std::to_string(judged_periods) : "-",  // none over yet
               missed.empty() ? "-" : missed, latest});
  }
  goals.print(out);

  const json& a = r["analysis"];
  out << "\n"
      << trf("Demand analysis: {} received, {} merged as duplicates, {} assessed (mean value {})",
             {std::to_string(a["received"].get<int64_t>()), std::to_string(a["merged"].get<int64_t>()),
              std::to_string(a["assessments"]["assessed"].get<int64_t>()), num(a["assessments"]["value_mean"], 1)})
      << "\n";
  for (const char* key : {"by_urgency", "by_category", "by_nature", "by_channel"}) {
    out << "  " << label(key + 3) << tr(":");
    for (const auto& [name, n] : a[key].items()) out << " " << label(name) << " " << n.get<int64_t>();
    out << "\n";
  }
  out << "\n" << tr("Accountability: missed deadlines per owner") << "\n";
  Table owners({tr("owner"), tr("missed"), tr("still breached")}, {Table::Align::left, Table::Align::right, Table::Align::right});
  for (const json& o : a["accountability"])
    owners.add({o["owner"].get<std::string>(), std::to_string(o["missed"].get<int64_t>()),
                std::to_string(o["breached_open"].get<int64_t>())});
  owners.print(out);

  const size_t limit = brief ? 10 : r["attention"].size();
  out << "\n" << tr("Needs attention now (at risk or breached)") << "\n";
  Table attention({tr("demand"), tr("title"), tr("target"), tr("status"), tr("owner"), tr("department")});
  for (size_t i = 0; i < r["attention"].size() && i < limit; ++i) {
    const json& item = r["attention"][i];
    attention.add({item["demand"].get<std::string>(), item["title"].get<std::string>(), label(item["target"].get<std::string>()),
                   label(item["status"].get<std::string>()), item["owner"].get<std::string>(), item["department"].get<std::string>()});
  }
  attention.print(out);
}

}  // namespace crmctl
