/*
 * policy.c — the demand-management policy at work, in C99: classify demands and give them their
 * response targets on the China working calendar.
 *
 * Usage: policy_example [policy.json]   (default: data/policies/demand-management.json)
 */
#include <stdio.h>
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

int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : "data/policies/demand-management.json";
  static const char *demands[] = {
      "{\"id\":\"D-101\",\"received_at\":1759219200,\"channel\":\"phone\",\"title\":\"设备停机了\","
      "\"text\":\"生产线设备停机，请尽快维修\",\"customer\":{\"id\":\"C-9\",\"tier\":\"key\"}}",
      "{\"id\":\"D-102\",\"received_at\":1759224600,\"channel\":\"email\",\"text\":\"希望系统升级，增加新功能\"}",
      "{\"id\":\"D-103\",\"received_at\":1759464000,\"channel\":\"complaint\",\"text\":\"投诉：维修太慢\"}",
      "{\"id\":\"D-104\",\"received_at\":1759201200,\"channel\":\"phone\",\"text\":\"询问报价\"}",
      "{\"id\":\"D-105\",\"received_at\":1749189600,\"channel\":\"visit\",\"text\":\"设备故障\",\"urgency\":\"general\"}",
  };
  crm_policy *policy = NULL;
  char *warnings = NULL;
  size_t i;

  if (crm_policy_from_file(path, &policy) != CRM_OK) {
    fprintf(stderr, "%s\n", crm_last_error());
    return 1;
  }
  if (crm_policy_warnings(policy, &warnings) == CRM_OK && strcmp(warnings, "[]") != 0)
    printf("policy warnings: %s\n", warnings);
  crm_free(warnings);

  printf("crmpolicy %s — policy %s\n\n", crm_version(), path);
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
    for (t = strstr(result, "\"targets\":["); t && (t = strstr(t, "{\"name\":\"")) != NULL; ++t)
      printf("  %-16s due %s  (warn %s)\n", field(t, "{\"name\":\"", a, sizeof a), field(t, "\"due_local\":\"", b, sizeof b),
             field(t, "\"warn_local\":\"", c, sizeof c));
    printf("\n");
    crm_free(result);
  }
  crm_policy_free(policy);
  return 0;
}
