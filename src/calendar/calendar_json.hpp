// SPDX-License-Identifier: Apache-2.0
// The calendar JSON form (README "Calendar JSON") -> CalendarSpec. Strict: unknown keys, wrong
// types, bad dates and bad spans are errors that name the JSON path and the value.
#pragma once

#include <string_view>

#include "crmpolicy/calendar.hpp"
#include "crmpolicy/status.hpp"

namespace crm::detail {

Result<CalendarSpec> parse_calendar_json(std::string_view json);

}  // namespace crm::detail
