// SPDX-License-Identifier: Apache-2.0
// Umbrella header of the C++ API.
#pragma once

#include "crmpolicy/calendar.hpp"
#include "crmpolicy/database.hpp"
#include "crmpolicy/policy.hpp"
#include "crmpolicy/status.hpp"
