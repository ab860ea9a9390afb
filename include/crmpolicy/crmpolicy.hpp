// Umbrella header of the C++ API.
#pragma once

#include "crmpolicy/calendar.hpp"
#include "crmpolicy/status.hpp"
