// SPDX-License-Identifier: Apache-2.0
// Demands from a CSV file (a header row naming the columns), as demand JSON lines for import.
#pragma once

#include <string>
#include <vector>

#include <crmpolicy/calendar.hpp>

namespace crmctl {

struct DemandLines {
  std::vector<std::string> lines;   // demand JSON, one per record
  std::vector<size_t> source_line;  // the CSV line each record starts on
};

// Columns: id, received_at (epoch seconds or a local time, see crmctl's TIME), channel, title,
// text, department, owner, customer, customer_tier, urgency, category, nature; empty cells are
// left out. Errors name the file, line and column.
crm::Result<DemandLines> csv_to_demand_lines(const std::string& text, const std::string& name, const crm::Calendar& calendar);

// `bytes` in `encoding` (gbk or gb18030, as Excel and WPS save "CSV" on Chinese Windows) as UTF-8,
// through iconv; an undecodable byte is refused naming the file and line.
crm::Result<std::string> decode_to_utf8(const std::string& bytes, const std::string& encoding, const std::string& name);

}  // namespace crmctl
