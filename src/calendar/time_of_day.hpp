// SPDX-License-Identifier: Apache-2.0
// Parsing of working spans: "09:00-12:00,13:30-18:00", "00:00-24:00", "" (no work).
#pragma once

#include <string_view>

#include "crmpolicy/calendar.hpp"
#include "crmpolicy/status.hpp"

namespace crm::detail {

// Spans must be HH:MM-HH:MM, start before end, in order and not overlapping; 24:00 only as an
// end. Spans that touch (12:00-13:00,13:00-14:00) are merged. The error says what is wrong
// without a JSON path; the caller adds where the text came from.
Result<DaySpans> parse_day_spans(std::string_view text);

// Checks spans built in code (CalendarSpec) against the same rules.
Status validate_day_spans(const DaySpans& spans);

}  // namespace crm::detail
