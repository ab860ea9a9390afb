// SPDX-License-Identifier: Apache-2.0
#include "crmpolicy/crmpolicy.h"

extern "C" {

const char* crm_version(void) { return CRM_VERSION; }
int32_t crm_version_number(void) { return CRM_VERSION_NUMBER; }

}  // extern "C"
