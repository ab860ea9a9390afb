// SPDX-License-Identifier: Apache-2.0
// Build against 59b85d6 (crmpolicy 0.1.0): cc -std=c99 -I include make-snapshot-0.1.0.c -lcrmpolicy
// usage: make-snapshot-0.1.0 data/policies/demand-management.json snapshot-0.1.0.snapshot
/* Writes a snapshot with crmpolicy 0.1.0 (59b85d6), the archive the 0.2.0 reader must load. */
#include <stdio.h>
#include <stdlib.h>
#include "crmpolicy/crmpolicy.h"
static char* slurp(const char* p) { FILE* f = fopen(p, "rb"); fseek(f, 0, SEEK_END); long n = ftell(f); rewind(f);
  char* s = malloc((size_t)n + 1); fread(s, 1, (size_t)n, f); s[n] = 0; fclose(f); return s; }
#define OK(x) do { crm_status s_ = (x); if (s_) { fprintf(stderr, "%s: %d %s\n", #x, s_, crm_last_error()); return 1; } } while (0)
int main(int argc, char** argv) {
  crm_db* db; char* out;
  remove(argv[2]);
  OK(crm_db_open(":memory:", &db));
  OK(crm_db_put_policy(db, slurp(argv[1])));
  OK(crm_db_record_demand(db, "{\"id\":\"V1-1\",\"received_at\":1759219200,\"channel\":\"phone\",\"title\":\"设备停机了\",\"owner\":\"wang\",\"department\":\"service\",\"customer\":{\"id\":\"C-9\",\"tier\":\"key\"},\"actor\":\"hotline\"}", &out)); crm_free(out);
  OK(crm_db_record_demand(db, "{\"id\":\"V1-2\",\"received_at\":1759305600,\"channel\":\"email\",\"title\":\"咨询价格\",\"owner\":\"li\"}", &out)); crm_free(out);
  OK(crm_db_append_event(db, "V1-1", "{\"type\":\"acknowledged\",\"at\":1759220000,\"actor\":\"wang\"}"));
  OK(crm_db_append_event(db, "V1-1", "{\"type\":\"resolved\",\"at\":1759300000,\"actor\":\"wang\",\"comment\":\"已修复\"}"));
  OK(crm_db_append_event(db, "V1-1", "{\"type\":\"feedback\",\"at\":1759400000,\"actor\":\"wang\",\"satisfaction\":5}"));
  OK(crm_db_export_snapshot(db, argv[2]));
  crm_db_close(db);
  return 0;
}
