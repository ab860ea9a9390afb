/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy.c — the demand-management policy at work, in C99: classify demands and give them their
 * response targets on the China working calendar.
 *
 * Usage: policy_example [policy.json [database]]
 *        (defaults: data/policies/demand-management.json, crmpolicy-demo.db)
 *
 * The policy is also stored in an embedded SQLite database file, where every stored version stays
 * as it was (running the demo again stores nothing new).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crmpolicy/crmpolicy.h"

/* Display only: copies the string value that follows `key` in `json` (no JSON library needed
 * for this example; real callers parse the result with their JSON library). */
static const char *field(const char *json, const char *key, char *buf, size_t n) {
  const char *p = strstr(json, key);
  size_t i = 0;
  if (!p) return "";
  p += strlen(key);
  while (*p && *p != '"' && i + 1 < n) buf[i++] = *p++;
  buf[i] = '\0';
  return buf;
}

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  char *text = NULL;
  long size;
  if (!f) return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
      (text = malloc((size_t)size + 1)) != NULL) {
    if (fread(text, 1, (size_t)size, f) == (size_t)size) {
      text[size] = '\0';
    } else {
      free(text);
      text = NULL;
    }
  }
  fclose(f);
  return text;
}

int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : "data/policies/demand-management.json";
  const char *db_path = argc > 2 ? argv[2] : "crmpolicy-demo.db";
  static const char *demands[] = {
      "{\"id\":\"D-101\",\"received_at\":1759219200,\"channel\":\"phone\",\"title\":\"设备停机了\","
      "\"text\":\"生产线设备停机，请尽快维修\",\"customer\":{\"id\":\"C-9\",\"tier\":\"large\"}}",
      "{\"id\":\"D-102\",\"received_at\":1759224600,\"channel\":\"email\",\"text\":\"希望系统升级，增加新功能\"}",
      "{\"id\":\"D-103\",\"received_at\":1759464000,\"channel\":\"complaint\",\"text\":\"投诉：维修太慢\"}",
      "{\"id\":\"D-104\",\"received_at\":1759201200,\"channel\":\"phone\",\"text\":\"询问报价\"}",
      "{\"id\":\"D-105\",\"received_at\":1749189600,\"channel\":\"visit\",\"text\":\"设备故障\",\"urgency\":\"general\"}",
  };
  crm_policy *policy = NULL;
  crm_db *db = NULL;
  char *warnings = NULL;
  char *document = NULL;
  size_t i;

  if (crm_policy_from_file(path, &policy) != CRM_OK) {
    fprintf(stderr, "%s\n", crm_last_error());
    return 1;
  }
  if (crm_policy_warnings(policy, &warnings) == CRM_OK && strcmp(warnings, "[]") != 0)
    printf("policy warnings: %s\n", warnings);
  crm_free(warnings);

  /* Keep the policy version in the database: the ledger records demands against stored versions. */
  document = read_file(path);
  if (!document || crm_db_open(db_path, &db) != CRM_OK || crm_db_put_policy(db, document) != CRM_OK) {
    fprintf(stderr, "storing the policy in %s: %s\n", db_path, crm_last_error());
    free(document);
    crm_db_close(db);
    crm_policy_free(policy);
    return 1;
  }
  free(document);
  crm_db_close(db);

  printf("crmpolicy %s — policy %s, stored in %s\n\n", crm_version(), path, db_path);
  for (i = 0; i < sizeof demands / sizeof demands[0]; ++i) {
    char *result = NULL;
    char a[64], b[64], c[64], d[64];
    const char *t;
    if (crm_policy_evaluate(policy, demands[i], &result) != CRM_OK) {
      fprintf(stderr, "%s\n", crm_last_error());
      crm_policy_free(policy);
      return 1;
    }
    printf("%s received %s\n", field(result, "\"id\":\"", a, sizeof a),
           field(result, "\"received_local\":\"", b, sizeof b));
    printf("  urgency %-9s (%s)  category %-8s nature %s\n", field(result, "\"urgency\":{\"value\":\"", a, sizeof a),
           field(strstr(result, "\"urgency\":{"), "\"decision\":\"", b, sizeof b),
           field(result, "\"category\":{\"value\":\"", c, sizeof c),
           field(result, "\"nature\":{\"value\":\"", d, sizeof d));
    printf("  responsible %s (%s)\n", field(result, "\"department\":{\"value\":\"", a, sizeof a),
           field(strstr(result, "\"assignment\":{"), "\"rule\":\"", b, sizeof b));
    for (t = strstr(result, "\"targets\":["); t && (t = strstr(t, "{\"name\":\"")) != NULL; ++t)
      printf("  %-16s due %s  (warn %s)\n", field(t, "{\"name\":\"", a, sizeof a), field(t, "\"due_local\":\"", b, sizeof b),
             field(t, "\"warn_local\":\"", c, sizeof c));
    printf("\n");
    crm_free(result);
  }
  crm_policy_free(policy);
  return 0;
}
