/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ledger.c — the demand ledger in C99: record demands in an embedded SQLite file, progress them
 * through their lifecycle, and ask what is at risk or breached and when to wake up next.
 *
 * Usage: ledger_example [database]   (default crmpolicy-demo.db; the policy must be stored in it,
 *                                     as policy_example does)
 *
 * Running it again changes nothing: recording a demand that is already recorded is a retry.
 */
#include <stdio.h>
#include <string.h>

#include "crmpolicy/crmpolicy.h"

/* Display only: copies the value (string or number) that follows `key` in `json`. */
static const char *field(const char *json, const char *key, char *buf, size_t n) {
  const char *p = json ? strstr(json, key) : NULL;
  size_t i = 0;
  if (!p) return "";
  p += strlen(key);
  if (*p == '"') ++p;
  while (*p && *p != '"' && *p != ',' && *p != '}' && i + 1 < n) buf[i++] = *p++;
  buf[i] = '\0';
  return buf;
}

static int check(crm_status status, const char *what) {
  if (status == CRM_OK) return 1;
  fprintf(stderr, "%s: %s (%s)\n", what, crm_last_error(), crm_status_str(status));
  return 0;
}

struct step {
  const char *demand;
  const char *event;
};

int main(int argc, char **argv) {
  const char *db_path = argc > 1 ? argv[1] : "crmpolicy-demo.db";
  /* Mon 2025-09-29 .. Fri 2025-10-10, Asia/Shanghai; National Day 10-01..10-08, Sat 10-11 worked. */
  static const char *demands[] = {
      "{\"id\":\"L-201\",\"received_at\":1759114800,\"channel\":\"phone\",\"title\":\"生产线设备停机\","
      "\"owner\":\"li.wei\",\"department\":\"service\",\"customer\":{\"id\":\"C-9\",\"tier\":\"large\"},\"actor\":\"hotline\"}",
      "{\"id\":\"L-202\",\"received_at\":1759132800,\"channel\":\"visit\",\"title\":\"希望系统升级，增加新功能\","
      "\"owner\":\"wang.fang\",\"department\":\"product\",\"customer\":{\"id\":\"C-3\"},\"actor\":\"wang.fang\"}",
      "{\"id\":\"L-203\",\"received_at\":1759136400,\"channel\":\"visit\",\"title\":\"希望系统升级增加新的功能\","
      "\"owner\":\"zhao.lei\",\"department\":\"sales\",\"customer\":{\"id\":\"C-3\"},\"actor\":\"zhao.lei\"}",
      "{\"id\":\"L-204\",\"received_at\":1759201200,\"channel\":\"email\",\"title\":\"询问报价\","
      "\"owner\":\"zhao.lei\",\"department\":\"sales\",\"actor\":\"mailbox\"}",
      /* Urgent, Tue 09-30 17:00, the last working hour before the holiday, and never answered:
         its first response escalates on the policy's steps, on working time only. */
      "{\"id\":\"L-205\",\"received_at\":1759222800,\"channel\":\"phone\",\"title\":\"设备停机，请尽快维修\","
      "\"owner\":\"chen.jie\",\"department\":\"service\",\"customer\":{\"id\":\"C-7\"},\"actor\":\"hotline\"}",
  };
  static const struct step steps[] = {
      {"L-201", "{\"type\":\"acknowledged\",\"at\":1759118400,\"actor\":\"li.wei\",\"comment\":\"工程师已出发\"}"},
      {"L-201", "{\"type\":\"started\",\"at\":1759122000,\"actor\":\"li.wei\"}"},
      {"L-201", "{\"type\":\"resolved\",\"at\":1759194000,\"actor\":\"li.wei\"}"},
      {"L-201", "{\"type\":\"feedback\",\"at\":1759197600,\"actor\":\"survey\",\"satisfaction\":5}"},
      {"L-202", "{\"type\":\"assessed\",\"at\":1759197600,\"actor\":\"wang.fang\",\"technical\":true,"
                "\"economic\":true,\"time\":false,\"value\":8}"},
      {"L-202", "{\"type\":\"paused\",\"at\":1759201200,\"actor\":\"wang.fang\",\"reason\":\"等待客户提供接口文档\"}"},
      {"L-202", "{\"type\":\"resumed\",\"at\":1759975200,\"actor\":\"wang.fang\"}"},
      {"L-203", "{\"type\":\"merged_into\",\"at\":1759140000,\"actor\":\"zhao.lei\",\"into\":\"L-202\"}"},
  };
  const int64_t now = 1760065200; /* Fri 2025-10-10 11:00 */
  crm_db *db = NULL;
  char *out = NULL;
  char a[96], b[96], c[96], d[96], e[96];
  int64_t wake = 0;
  size_t i;
  int fresh = 1;

  if (!check(crm_db_open(db_path, &db), "opening the database")) return 1;
  printf("== recording demands in %s\n", db_path);
  for (i = 0; i < sizeof demands / sizeof demands[0]; ++i) {
    const char *dup;
    if (!check(crm_db_record_demand(db, demands[i], &out), "recording a demand")) goto fail;
    fresh = fresh && strstr(out, "\"retry\":false") != NULL;
    printf("%s  %-9s %s%s", field(out, "\"id\":", a, sizeof a), field(out, "\"urgency\":", b, sizeof b),
           strstr(out, "\"retry\":true") ? "(already recorded)" : "", strstr(out, "\"score\"") ? "" : "\n");
    for (dup = strstr(out, "\"duplicates\":["); dup && (dup = strstr(dup, "{\"id\":")) != NULL; ++dup)
      printf("  similar to %s (score %s)\n", field(dup, "{\"id\":", a, sizeof a), field(dup, "\"score\":", c, sizeof c));
    crm_free(out);
    out = NULL;
  }
  if (fresh) /* the first run progresses them; later runs find them progressed */
    for (i = 0; i < sizeof steps / sizeof steps[0]; ++i)
      if (!check(crm_db_append_event(db, steps[i].demand, steps[i].event), "appending an event")) goto fail;
  if (crm_db_append_event(db, "L-201", "{\"type\":\"resumed\",\"at\":1759200000,\"actor\":\"li.wei\"}") == CRM_ESTATE)
    printf("\nrefused as it should be: %s\n", crm_last_error());

  printf("\n== targets at 2025-10-10 11:00\n");
  for (i = 0; i < sizeof demands / sizeof demands[0]; ++i) {
    const char *t;
    field(demands[i], "\"id\":", a, sizeof a);
    if (!check(crm_db_get_demand(db, a, now, &out), "reading a demand")) goto fail;
    printf("%s  %s\n", a, field(out, "\"state\":", b, sizeof b));
    for (t = strstr(out, "\"targets\":["); t && (t = strstr(t, "{\"name\":")) != NULL && t < strstr(out, "\"history\":"); ++t) {
      const char *next = strstr(t + 1, "{\"name\":"), *x, *r;
      printf("  %-15s %-9s due %s\n", field(t, "{\"name\":", a, sizeof a), field(t, "\"status\":", b, sizeof b),
             field(t, "\"due_local\":", c, sizeof c));
      /* Escalation steps: when each falls (working time only) and whom it tells. */
      for (x = strstr(t, "\"escalations\":["); x && (!next || x < next) && (x = strstr(x, "{\"step\":")) != NULL &&
                                               (!next || x < next);
           ++x) {
        r = strstr(x, "\"recipients\":");
        printf("    escalation on %-4s %s %s  %.*s\n", field(x, "\"on\":", a, sizeof a), field(x, "\"at_local\":", d, sizeof d),
               strncmp(field(x, "\"happened\":", e, sizeof e), "true", 4) == 0 ? "told" : "due ",
               r ? (int)(strchr(r, ']') - r - 14) : 0, r ? r + 14 : "");
      }
    }
    crm_free(out);
    out = NULL;
  }

  printf("\n== work list at 2025-10-10 11:00 (at risk, breached, or due within 3 days)\n");
  if (!check(crm_db_worklist(db, "{\"at\":1760065200,\"due_before\":1760324400}", &out), "the work list")) goto fail;
  {
    const char *t;
    for (t = strstr(out, "\"items\":["); t && (t = strstr(t, "{\"demand\":")) != NULL; ++t)
      printf("%-6s %-15s %-9s due %s  owner %s\n", field(t, "{\"demand\":", a, sizeof a),
             field(t, "\"target\":", b, sizeof b), field(t, "\"status\":", c, sizeof c),
             field(t, "\"due_local\":", d, sizeof d), field(t, "\"owner\":", e, sizeof e));
  }
  crm_free(out);
  out = NULL;
  if (crm_db_next_wakeup(db, now, &wake) == CRM_OK)
    printf("\nnext wake-up: %lld (set one timer for it instead of polling)\n", (long long)wake);

  /* The change feed up to now: breaches and escalation steps at their own instants, in pages a
     host resumes from by storing the cursor (here only counted; a real host would keep it). */
  printf("\n== change feed up to 2025-10-10 11:00: breaches and escalations\n");
  {
    char query[512];
    char cursor[256] = "";
    int more = 1;
    while (more) {
      const char *t, *k;
      if (cursor[0]) snprintf(query, sizeof query, "{\"until\":%lld,\"limit\":100,\"cursor\":\"%s\"}", (long long)now, cursor);
      else snprintf(query, sizeof query, "{\"until\":%lld,\"limit\":100}", (long long)now);
      if (!check(crm_db_changes(db, query, &out), "the change feed")) goto fail;
      for (t = strstr(out, "\"changes\":["); t && (t = strstr(t, "{\"kind\":")) != NULL; ++t) {
        field(t, "{\"kind\":", a, sizeof a);
        if (strcmp(a, "breached") != 0 && strcmp(a, "escalation") != 0) continue;
        /* An escalation's recipients are its last member. */
        k = strcmp(a, "escalation") == 0 ? strstr(t, "\"recipients\":") : NULL;
        printf("%-10s %-6s %-15s at %s  %.*s\n", a, field(t, "\"demand\":", b, sizeof b), field(t, "\"target\":", c, sizeof c),
               field(t, "\"at\":", d, sizeof d), k ? (int)(strchr(k, ']') - k - 14) : 0, k ? k + 14 : "");
      }
      more = strstr(out, "\"more\":true") != NULL;
      field(out, "\"cursor\":", cursor, sizeof cursor);
      crm_free(out);
      out = NULL;
    }
  }
  crm_db_close(db);
  return 0;
fail:
  crm_free(out);
  crm_db_close(db);
  return 1;
}
