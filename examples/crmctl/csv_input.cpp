// SPDX-License-Identifier: Apache-2.0
#include "csv_input.hpp"

#include <iconv.h>

#include <algorithm>
#include <cstddef>

#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "words.hpp"

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
      return crm::Status::invalid_argument(name + ":" + std::to_string(current.line) + ": " +
                                           trf("more than {} fields", {std::to_string(kMaxFields)}));
    if (current.fields.back().size() > kMaxFieldBytes)
      return crm::Status::invalid_argument(name + ":" + std::to_string(current.line) + ": " +
                                           trf("field {} longer than {} bytes", {std::to_string(current.fields.size()),
                                                                                 std::to_string(kMaxFieldBytes)}));
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
  if (quoted) return crm::Status::invalid_argument(name + ":" + std::to_string(current.line) + ": " + tr("a quoted field never ends"));
  if (any || !current.fields.back().empty()) out.push_back(current);
  return out;
}

// Whether `text` is UTF-8 (a JSON string can hold it).
bool utf8(const std::string& text) {
  try {
    (void)nlohmann::json(text).dump();
    return true;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

// A cell quoted in a message: itself when it is UTF-8 of a sensible length, else a mark.
std::string printable(const std::string& text) {
  if (!utf8(text)) return "<not UTF-8>";
  if (text.size() <= 80) return text;
  size_t cut = 80;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
  return text.substr(0, cut) + "...";
}

}  // namespace

crm::Result<DemandLines> csv_to_demand_lines(const std::string& text, const std::string& name, const crm::Calendar& calendar) {
  // Excel and WPS write "CSV UTF-8" with a byte order mark first: not part of the first column's name.
  const bool bom = text.rfind("\xEF\xBB\xBF", 0) == 0;
  auto rows = records(bom ? text.substr(3) : text, name);
  if (!rows.ok()) return std::move(rows).status();
  if (rows->empty()) return crm::Status::invalid_argument(name + ": " + tr("empty file (expected a header row)"));
  const std::vector<std::string>& header = rows->front().fields;
  for (size_t c = 0; c < header.size(); ++c) {
    const std::string& column = header[c];
    if (std::find(std::begin(kColumns), std::end(kColumns), column) == std::end(kColumns))
      return crm::Status::invalid_argument(name + ":1: " +
                                           trf("unknown column \"{}\" (expected id, received_at, channel, title, text, "
                                               "department, owner, customer, customer_tier, urgency, category or nature)",
                                               {printable(column)}));
    if (std::find(header.begin(), header.begin() + static_cast<std::ptrdiff_t>(c), column) != header.begin() + static_cast<std::ptrdiff_t>(c))
      return crm::Status::invalid_argument(name + ":1: " + trf("column \"{}\" appears twice", {column}));
  }
  DemandLines out;
  for (size_t r = 1; r < rows->size(); ++r) {
    const Record& rec = (*rows)[r];
    const std::string where = name + ":" + std::to_string(rec.line);
    if (rec.fields.size() != header.size())
      return crm::Status::invalid_argument(where + ": " + trf("{} fields, the header has {}", {std::to_string(rec.fields.size()),
                                                                                               std::to_string(header.size())}));
    nlohmann::json d = nlohmann::json::object();
    for (size_t c = 0; c < header.size(); ++c) {
      const std::string& v = rec.fields[c];
      if (v.empty()) continue;
      if (!utf8(v))
        return crm::Status::invalid_argument(
            where + ": " + trf("column {}: not UTF-8 text (a GBK or GB18030 file? give --encoding gbk or gb18030)", {header[c]}));
      if (header[c] == "received_at") {
        try {
          d["received_at"] = parse_instant(v, calendar, "received_at");
        } catch (const UsageError&) {
          return crm::Status::invalid_argument(where + ": " + trf("column received_at: \"{}\" is not a time", {printable(v)}));
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

crm::Result<std::string> decode_to_utf8(const std::string& bytes, const std::string& encoding, const std::string& name) {
  const std::string from = encoding == "gbk" ? "GBK" : encoding == "gb18030" ? "GB18030" : "";
  if (from.empty()) return crm::Status::invalid_argument(trf("--encoding: expected utf-8, gbk or gb18030, got \"{}\"", {encoding}));
  iconv_t cd = iconv_open("UTF-8", from.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return crm::Status::invalid_argument(trf("--encoding: this system's iconv has no {}", {from}));
  std::string out(bytes.size() * 2 + 16, '\0');  // a GBK character (2 bytes) is at most 3 in UTF-8, GB18030's 4 at most 4
  char* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size(), out_left = out.size();
  char* to = out.data();
  const size_t rc = iconv(cd, &in, &in_left, &to, &out_left);
  iconv_close(cd);
  if (rc == static_cast<size_t>(-1)) {
    const size_t at = bytes.size() - in_left;
    const size_t line = 1 + static_cast<size_t>(std::count(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
    return crm::Status::invalid_argument(name + ":" + std::to_string(line) + ": " +
                                         trf("not {} text (byte {}); give the file's encoding with --encoding",
                                             {from, std::to_string(at + 1)}));
  }
  out.resize(out.size() - out_left);
  return out;
}

}  // namespace crmctl
