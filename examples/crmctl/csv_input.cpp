// SPDX-License-Identifier: Apache-2.0
#include "csv_input.hpp"

#include <nlohmann/json.hpp>

#include "cli.hpp"

namespace crmctl {

namespace {

const char* kColumns[] = {"id", "received_at", "channel", "title", "text", "department", "owner",
                          "customer", "customer_tier", "urgency", "category", "nature"};

// A row has at most as many fields as there are columns, a little more to name the error; a
// field is at most the library's longest string (a demand's text).
constexpr size_t kMaxFields = 64;
constexpr size_t kMaxFieldBytes = size_t{1} << 20;

// RFC 4180 records: quoted fields may hold commas, doubled quotes and line breaks.
struct Record {
  std::vector<std::string> fields;
  size_t line;
};

crm::Result<std::vector<Record>> records(const std::string& text, const std::string& name) {
  std::vector<Record> out;
  Record current{{std::string()}, 1};
  size_t line = 1;
  bool quoted = false, any = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (current.fields.size() > kMaxFields)
      return crm::Status::invalid_argument(name + ":" + std::to_string(current.line) + ": more than " +
                                           std::to_string(kMaxFields) + " fields");
    if (current.fields.back().size() > kMaxFieldBytes)
      return crm::Status::invalid_argument(name + ":" + std::to_string(current.line) + ": field " +
                                           std::to_string(current.fields.size()) + " longer than " +
                                           std::to_string(kMaxFieldBytes) + " bytes");
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') current.fields.back() += '"', ++i;
      else if (c == '"') quoted = false;
      else {
        if (c == '\n') ++line;
        current.fields.back() += c;
      }
    } else if (c == '"' && current.fields.back().empty()) {
      quoted = any = true;
    } else if (c == ',') {
      current.fields.emplace_back();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (any || !current.fields.back().empty()) out.push_back(std::move(current));
      current = Record{{std::string()}, ++line};
      any = false;
    } else {
      current.fields.back() += c;
      any = true;
    }
  }
  if (quoted) return crm::Status::invalid_argument(name + ":" + std::to_string(current.line) + ": a quoted field never ends");
  if (any || !current.fields.back().empty()) out.push_back(current);
  return out;
}

}  // namespace

crm::Result<DemandLines> csv_to_demand_lines(const std::string& text, const std::string& name, const crm::Calendar& calendar) {
  auto rows = records(text, name);
  if (!rows.ok()) return std::move(rows).status();
  if (rows->empty()) return crm::Status::invalid_argument(name + ": empty file (expected a header row)");
  const std::vector<std::string>& header = rows->front().fields;
  for (const std::string& column : header)
    if (std::find(std::begin(kColumns), std::end(kColumns), column) == std::end(kColumns))
      return crm::Status::invalid_argument(name + ":1: unknown column \"" + column +
                                           "\" (expected id, received_at, channel, title, text, department, owner, "
                                           "customer, customer_tier, urgency, category or nature)");
  DemandLines out;
  for (size_t r = 1; r < rows->size(); ++r) {
    const Record& rec = (*rows)[r];
    const std::string where = name + ":" + std::to_string(rec.line);
    if (rec.fields.size() != header.size())
      return crm::Status::invalid_argument(where + ": " + std::to_string(rec.fields.size()) + " fields, the header has " +
                                           std::to_string(header.size()));
    nlohmann::json d = nlohmann::json::object();
    for (size_t c = 0; c < header.size(); ++c) {
      const std::string& v = rec.fields[c];
      if (v.empty()) continue;
      if (header[c] == "received_at") {
        try {
          d["received_at"] = parse_instant(v, calendar, "received_at");
        } catch (const UsageError&) {
          return crm::Status::invalid_argument(where + ": column received_at: \"" + v + "\" is not a time");
        }
      } else if (header[c] == "customer") {
        d["customer"]["id"] = v;
      } else if (header[c] == "customer_tier") {
        d["customer"]["tier"] = v;
      } else {
        d[header[c]] = v;
      }
    }
    out.lines.push_back(d.dump());
    out.source_line.push_back(rec.line);
  }
  return out;
}

}  // namespace crmctl
