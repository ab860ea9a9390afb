/* SPDX-License-Identifier: Apache-2.0 */
/* The C API from plain C99, using nothing but crmpolicy.h: the worked cases and error handling. */
#include <stdio.h>
#include <string.h>

#include "crmpolicy/crmpolicy.h"

static int passed = 0, failed = 0;

#define CHECK(cond)                                                        \
  do {                                                                     \
    if (cond) {                                                            \
      ++passed;                                                            \
    } else {                                                               \
      ++failed;                                                            \
      fprintf(stderr, "%s:%d: CHECK failed: %s (last error: %s)\n", __FILE__, __LINE__, #cond, crm_last_error()); \
    }                                                                      \
  } while (0)

/* Asia/Shanghai local time as UTC epoch seconds (UTC+8 since 1991). */
static int64_t shanghai(int y, int mo, int d, int h, int mi) {
  /* days from civil, Howard Hinnant's algorithm */
  int64_t yy = y - (mo <= 2);
  int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
  int64_t yoe = yy - era * 400;
  int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  int64_t days = era * 146097 + doe - 719468;
  return days * 86400 + h * 3600 + mi * 60 - 8 * 3600;
}

int main(void) {
  static const char *json =
      "{\"time_zone\": \"Asia/Shanghai\", \"base\": \"cn\","
      " \"hours\": {\"mon\": \"09:00-12:00,13:30-18:00\", \"tue\": \"09:00-12:00,13:30-18:00\","
      "            \"wed\": \"09:00-12:00,13:30-18:00\", \"thu\": \"09:00-12:00,13:30-18:00\","
      "            \"fri\": \"09:00-12:00,13:30-18:00\"}}";
  crm_calendar *cal = NULL;
  int64_t out = 0, between = 0;
  int flag = 0;

  CHECK(strcmp(crm_version(), CRM_VERSION) == 0);
  CHECK(crm_version_number() == CRM_VERSION_NUMBER);
  CHECK(strcmp(crm_last_error(), "") == 0);
  CHECK(crm_calendar_from_json(json, &cal) == CRM_OK);
  if (cal == NULL) return 1;

  CHECK(crm_calendar_add_working_time(cal, shanghai(2025, 9, 30, 16, 0), 4 * 3600, &out) == CRM_OK);
  CHECK(out == shanghai(2025, 10, 9, 11, 0));
  CHECK(crm_calendar_working_time_between(cal, shanghai(2025, 9, 30, 16, 0), out, &between) == CRM_OK);
  CHECK(between == 4 * 3600);
  CHECK(crm_calendar_add_working_days(cal, shanghai(2025, 9, 30, 10, 0), 2, &out) == CRM_OK);
  CHECK(out == shanghai(2025, 10, 10, 18, 0));
  CHECK(crm_calendar_add_working_time(cal, shanghai(2025, 10, 10, 17, 0), 2 * 3600, &out) == CRM_OK);
  CHECK(out == shanghai(2025, 10, 11, 10, 0));
  CHECK(crm_calendar_add_working_days(cal, shanghai(2025, 9, 27, 10, 0), 1, &out) == CRM_OK);
  CHECK(out == shanghai(2025, 9, 28, 18, 0));
  CHECK(crm_calendar_add_working_time(cal, shanghai(2025, 6, 3, 11, 30), 3600, &out) == CRM_OK);
  CHECK(out == shanghai(2025, 6, 3, 14, 0));
  CHECK(crm_calendar_add_working_time(cal, shanghai(2025, 6, 3, 11, 0), 3600, &out) == CRM_OK);
  CHECK(out == shanghai(2025, 6, 3, 12, 0));
  CHECK(crm_calendar_add_calendar_days(cal, shanghai(2025, 9, 29, 10, 0), 3, &out) == CRM_OK);
  CHECK(out == shanghai(2025, 10, 9, 18, 0));
  CHECK(crm_calendar_next_working_instant(cal, shanghai(2025, 6, 3, 12, 15), &out) == CRM_OK);
  CHECK(out == shanghai(2025, 6, 3, 13, 30));
  CHECK(crm_calendar_is_working_time(cal, shanghai(2025, 10, 3, 10, 0), &flag) == CRM_OK && flag == 0);
  CHECK(crm_calendar_is_working_day(cal, 20251011, &flag) == CRM_OK && flag == 1);
  {
    int32_t until = 0;
    CHECK(crm_calendar_data_until(cal, &until) == CRM_OK && until == 20261231);
    CHECK(crm_calendar_is_working_day(cal, 20270205, &flag) == CRM_OK && flag == 0); /* 除夕, by law */
    CHECK(crm_calendar_data_until(cal, NULL) == CRM_EINVAL);
  }

  /* Errors: status codes, untouched outputs, a message. */
  out = 42;
  CHECK(crm_calendar_add_working_time(cal, 0, -1, &out) == CRM_EINVAL);
  CHECK(out == 42);
  CHECK(strlen(crm_last_error()) > 0);
  CHECK(crm_calendar_add_working_days(cal, (int64_t)1 << 40, 1, &out) == CRM_ERANGE);
  CHECK(out == 42);
  CHECK(crm_calendar_add_working_time(NULL, 0, 1, &out) == CRM_EINVAL);
  {
    crm_calendar *bad = NULL;
    CHECK(crm_calendar_from_json("{\"time_zone\":\"UTC\",\"hours\":{\"mon\":\"09:00-24:01\"}}", &bad) == CRM_EINVAL);
    CHECK(bad == NULL);
    CHECK(strstr(crm_last_error(), "/hours/mon") != NULL);
    CHECK(crm_calendar_from_json("{\"time_zone\":\"Nowhere/Land\",\"hours\":{}}", &bad) == CRM_ENOTFOUND);
  }
  CHECK(strcmp(crm_status_str(CRM_ERANGE), "out of range") == 0);

  crm_calendar_free(cal);
  crm_calendar_free(NULL);
  crm_free(NULL);

  /* Policies: the sample demand-management policy evaluates the seed's cases. */
  {
    crm_policy *policy = NULL;
    const crm_calendar *office = NULL;
    char *result = NULL, *warnings = NULL;
    const char *fault =
        "{\"id\":\"D-1\",\"received_at\":1759219200,\"channel\":\"phone\",\"title\":\"设备停机了\"}";
    CHECK(crm_policy_from_file(CRMPOLICY_DATA_DIR "/policies/demand-management.json", &policy) == CRM_OK);
    if (policy == NULL) return 1;
    CHECK(crm_policy_warnings(policy, &warnings) == CRM_OK &&
          strstr(warnings, "/calendars/cn-office: the official data of base \\\"cn\\\" ends 2026-12-31") != NULL);
    crm_free(warnings);
    CHECK(crm_policy_evaluate(policy, fault, &result) == CRM_OK);
    CHECK(result != NULL && strstr(result, "\"urgency\":{\"value\":\"urgent\",\"decision\":\"rule\",\"rule\":\"sudden-fault\"}") != NULL);
    CHECK(result != NULL && strstr(result, "\"due_local\":\"2025-09-30T18:00:00+08:00\"") != NULL);
    CHECK(result != NULL && strstr(result, "\"due_local\":\"2025-10-11T18:00:00+08:00\"") != NULL);
    crm_free(result);
    result = NULL;
    CHECK(crm_policy_evaluate(policy, "{\"received_at\":1759219200,\"channel\":\"fax\"}", &result) == CRM_EINVAL);
    CHECK(result == NULL);
    CHECK(strstr(crm_last_error(), "/channel") != NULL);
    CHECK(crm_policy_calendar(policy, "cn-office", &office) == CRM_OK && office != NULL);
    CHECK(crm_calendar_add_working_days(office, shanghai(2025, 9, 30, 10, 0), 2, &out) == CRM_OK);
    CHECK(out == shanghai(2025, 10, 10, 18, 0));
    CHECK(crm_policy_calendar(policy, "nowhere", &office) == CRM_ENOTFOUND);
    {
      /* The sample policy speaks Chinese; labels come from the library's one catalogue. */
      const char *locale = NULL, *label = NULL;
      CHECK(crm_policy_locale(policy, &locale) == CRM_OK && locale != NULL && strcmp(locale, "zh-CN") == 0);
      CHECK(crm_term_label(locale, "breached", &label) == CRM_OK && strcmp(label, "已超时") == 0);
      CHECK(crm_term_label("en", "non_functional", &label) == CRM_OK && strcmp(label, "non-functional") == 0);
      CHECK(crm_term_label("en", "no_such_term", &label) == CRM_ENOTFOUND);
      CHECK(crm_term_label("fr", "breached", &label) == CRM_EINVAL && strstr(crm_last_error(), "fr") != NULL);
      CHECK(crm_term_label("en", NULL, &label) == CRM_EINVAL);
    }
    CHECK(crm_policy_from_file("/nonexistent/policy.json", &policy) == CRM_EIO);
    crm_policy_free(policy);
    crm_policy_free(NULL);
  }

  /* The store: policies are kept by version. */
  {
    crm_db *db = NULL;
    CHECK(crm_db_open(":memory:", &db) == CRM_OK);
    CHECK(crm_db_put_policy(db, "{\"name\":\"p\",\"version\":\"1\",\"calendars\":{\"utc\":{\"time_zone\":\"UTC\","
                                "\"hours\":{\"mon\":\"09:00-17:00\"}}},\"defaults\":{\"urgency\":\"general\","
                                "\"category\":\"other\",\"nature\":\"functional\"}}") == CRM_OK);
    CHECK(crm_db_put_policy(db, "{\"name\":\"p\"}") == CRM_EINVAL);
    crm_db_close(db);
    crm_db_close(NULL);
  }

  /* Options and the audit chain (README "Security"): a bad option names its member, never the key. */
  {
    crm_db *db = NULL;
    char *answer = NULL;
    CHECK(crm_db_open_with(":memory:", "{\"encryption_key\":\"00aa\"}", &db) == CRM_EINVAL);
    CHECK(db == NULL && strstr(crm_last_error(), "/encryption_key") != NULL && strstr(crm_last_error(), "00aa") == NULL);
    CHECK(crm_db_open_with(":memory:", "{\"synchronous\":\"off\"}", &db) == CRM_EINVAL);
    CHECK(crm_db_open_with(":memory:",
                           "{\"encryption_key\":\"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\","
                           "\"synchronous\":\"normal\",\"busy_timeout_ms\":100}",
                           &db) == CRM_OK);
    CHECK(crm_db_verify_audit(db, &answer) == CRM_OK);
    CHECK(answer != NULL && strstr(answer, "\"holds\":true") != NULL);
    crm_free(answer);
    CHECK(crm_db_rotate_encryption_key(db, "not a key") == CRM_EINVAL);
    CHECK(crm_db_rotate_encryption_key(db, "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100") == CRM_OK);
    CHECK(crm_db_verify_audit(NULL, &answer) == CRM_EINVAL);
    CHECK(crm_db_export_snapshot_with(db, "/tmp/crmpolicy-c-test.snapshot", "{\"passphrase\":\"short\"}") == CRM_EINVAL);
    CHECK(strstr(crm_last_error(), "/passphrase") != NULL);
    crm_db_close(db);
    CHECK(crm_db_open_with(":memory:", NULL, &db) == CRM_OK);
    CHECK(crm_db_rotate_encryption_key(db, "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100") == CRM_ESTATE);
    crm_db_close(db);
  }

  /* The ledger: a demand recorded, progressed and queried entirely through the C API. A general
     demand received Mon 2025-03-03 10:00 under the sample policy (single policy: none named). */
  {
    crm_db *db = NULL;
    char *json = NULL, *view = NULL, *list = NULL;
    int64_t wake = 0;
    FILE *f = fopen(CRMPOLICY_DATA_DIR "/policies/demand-management.json", "rb");
    static char policy_text[1 << 16];
    size_t n = f ? fread(policy_text, 1, sizeof policy_text - 1, f) : 0;
    char demand[256], event[256], query[192];
    if (f) fclose(f);
    policy_text[n] = 0;
    CHECK(crm_db_open(":memory:", &db) == CRM_OK);
    CHECK(crm_db_put_policy(db, policy_text) == CRM_OK);
    snprintf(demand, sizeof demand,
             "{\"id\":\"C-1\",\"received_at\":%lld,\"channel\":\"email\",\"title\":\"x\",\"owner\":\"li\"}",
             (long long)shanghai(2025, 3, 3, 10, 0));
    CHECK(crm_db_record_demand(db, demand, &json) == CRM_OK);
    CHECK(json != NULL && strstr(json, "\"retry\":false") != NULL);
    crm_free(json);
    CHECK(crm_db_record_demand(db, demand, NULL) == CRM_OK); /* an idempotent retry */

    snprintf(event, sizeof event, "{\"type\":\"feedback\",\"at\":%lld,\"actor\":\"li\",\"satisfaction\":5}",
             (long long)shanghai(2025, 3, 3, 11, 0));
    CHECK(crm_db_append_event(db, "C-1", event) == CRM_ESTATE);
    CHECK(strstr(crm_last_error(), "feedback follows resolved") != NULL);
    CHECK(crm_db_append_event(db, "C-404", event) == CRM_ENOTFOUND);
    snprintf(event, sizeof event, "{\"type\":\"acknowledged\",\"at\":%lld,\"actor\":\"li\"}",
             (long long)shanghai(2025, 3, 7, 10, 0));
    CHECK(crm_db_append_event(db, "C-1", event) == CRM_OK);

    /* contact was due at the end of the 3rd working day (Thu 18:00): met late by one working hour. */
    CHECK(crm_db_get_demand(db, "C-1", shanghai(2025, 3, 7, 11, 0), &view) == CRM_OK);
    CHECK(view != NULL && strstr(view, "\"status\":\"met_late\"") != NULL);
    CHECK(view != NULL && strstr(view, "\"overrun_seconds\":3600") != NULL);
    crm_free(view);
    view = (char *)"untouched";
    CHECK(crm_db_get_demand(db, "C-1", 0, &view) == CRM_ERANGE);
    CHECK(strcmp(view, "untouched") == 0);

    /* The 30-day resolution is the only running target; it warns at 80% of its time. */
    CHECK(crm_db_next_wakeup(db, shanghai(2025, 3, 7, 11, 0), &wake) == CRM_OK);
    CHECK(wake > shanghai(2025, 3, 7, 11, 0) && wake < shanghai(2025, 4, 2, 18, 0));
    snprintf(query, sizeof query, "{\"at\":%lld,\"owner\":\"li\"}", (long long)shanghai(2025, 4, 3, 9, 0));
    CHECK(crm_db_worklist(db, query, &list) == CRM_OK);
    CHECK(list != NULL && strstr(list, "\"target\":\"resolution\",\"status\":\"breached\"") != NULL);
    crm_free(list);
    {
        int64_t rebuilt = -1;
        CHECK(crm_db_rebuild_report_facts(db, &rebuilt) == CRM_OK);
        CHECK(rebuilt >= 1);
        CHECK(crm_db_rebuild_report_facts(db, NULL) == CRM_OK);
        CHECK(crm_db_rebuild_report_facts(NULL, &rebuilt) == CRM_EINVAL);
    }
    /* The change feed: C-1 recorded, then acknowledged; read in pages of one from the cursor. */
    {
      char feed_query[256];
      char *page = NULL;
      const char *cursor_at;
      CHECK(crm_db_changes(db, "{\"until\":0,\"limit\":1}", &page) == CRM_OK);
      CHECK(page != NULL && strstr(page, "\"kind\":\"recorded\",") != NULL && strstr(page, "\"more\":true") != NULL);
      cursor_at = page != NULL ? strstr(page, "\"cursor\":\"") : NULL;
      CHECK(cursor_at != NULL);
      if (cursor_at != NULL) {
        const char *begin = cursor_at + strlen("\"cursor\":\"");
        const char *end = strchr(begin, '"');
        snprintf(feed_query, sizeof feed_query, "{\"until\":0,\"limit\":1,\"cursor\":\"%.*s\"}", (int)(end - begin), begin);
        crm_free(page);
        page = NULL;
        CHECK(crm_db_changes(db, feed_query, &page) == CRM_OK);
        CHECK(page != NULL && strstr(page, "\"type\":\"acknowledged\"") != NULL);
      }
      crm_free(page);
      page = (char *)"untouched";
      CHECK(crm_db_changes(db, "{\"until\":0,\"cursor\":\"x\"}", &page) == CRM_EINVAL);
      CHECK(strstr(crm_last_error(), "/cursor") != NULL);
      CHECK(strcmp(page, "untouched") == 0);
      CHECK(crm_db_changes(NULL, "{\"until\":0}", &page) == CRM_EINVAL);
    }
    CHECK(crm_db_worklist(db, "{\"owner\":\"li\"}", &list) == CRM_EINVAL);
    CHECK(strstr(crm_last_error(), "/at") != NULL);
    CHECK(crm_db_weekly_progress(db, query, &list) == CRM_EINVAL); /* owner is not a progress filter */
    CHECK(crm_db_import(db, "/nonexistent.ndjson", NULL, &list) == CRM_ENOTFOUND);
    CHECK(crm_db_import_snapshot(db, "/nonexistent.snapshot") == CRM_ENOTFOUND);
    CHECK(crm_db_record_demand(NULL, demand, NULL) == CRM_EINVAL);

    /* Typed records: two demands and their events, no JSON written; a bad channel is refused
       naming the field and numbered in the report (records 1-3 are demands, 4-6 events). */
    {
      crm_demand_record demands[3];
      crm_event_record events[3];
      char *report = NULL;
      memset(demands, 0, sizeof demands);
      memset(events, 0, sizeof events);
      demands[0].id = "T-1";
      demands[0].received_at = shanghai(2025, 3, 3, 10, 0);
      demands[0].channel = "phone";
      demands[0].title = "生产线设备停机，请尽快维修";
      demands[0].customer_id = "K9";
      demands[1] = demands[0];
      demands[1].id = "T-2";
      demands[1].channel = "fax";
      demands[2] = demands[0];
      demands[2].id = "T-3";
      demands[2].title = NULL;
      events[0].demand = "T-1";
      events[0].type = "acknowledged";
      events[0].at = shanghai(2025, 3, 3, 10, 30);
      events[0].actor = "li";
      events[1] = events[0];
      events[1].type = "resolved";
      events[1].at = shanghai(2025, 3, 3, 15, 0);
      events[2] = events[1];
      events[2].type = "feedback";
      events[2].satisfaction = 5;
      events[2].at = shanghai(2025, 3, 4, 9, 0);
      /* T-1 carries its acknowledgement and resolution (records 2 and 3, their demand implied);
         the feedback comes loose, after the demands (record 6). */
      events[0].demand = NULL;
      events[1].demand = NULL;
      demands[0].events = events;
      demands[0].event_count = 2;
      CHECK(crm_db_import_records(db, CRM_RECORDS_VERSION, demands, 3, events + 2, 1, "{\"skip_invalid\":true}", &report) == CRM_OK);
      CHECK(report != NULL && strstr(report, "\"records\":6") != NULL);
      CHECK(report != NULL && strstr(report, "\"demands\":2,\"events\":3") != NULL);
      CHECK(report != NULL && strstr(report, "{\"record\":4,\"code\":\"invalid argument\",\"error\":\"/channel") != NULL);
      crm_free(report);
      CHECK(crm_db_get_demand(db, "T-1", shanghai(2025, 3, 5, 9, 0), &view) == CRM_OK);
      CHECK(view != NULL && strstr(view, "\"satisfaction\":5") != NULL);
      crm_free(view);
      report = NULL;
      CHECK(crm_db_import_records(db, CRM_RECORDS_VERSION + 1, demands, 1, NULL, 0, NULL, &report) == CRM_EINVAL);
      CHECK(report == NULL && strstr(crm_last_error(), "records_version") != NULL);
      CHECK(crm_db_import_records(db, CRM_RECORDS_VERSION, NULL, 1, NULL, 0, NULL, &report) == CRM_EINVAL);
      demands[0].events = NULL;
      CHECK(crm_db_import_records(db, CRM_RECORDS_VERSION, demands, 1, NULL, 0, NULL, &report) == CRM_EINVAL);
      CHECK(strstr(crm_last_error(), "demands[0].events") != NULL);
      CHECK(crm_db_import_records(db, CRM_RECORDS_VERSION, NULL, 0, NULL, 0, NULL, &report) == CRM_OK);
      CHECK(report != NULL && strstr(report, "\"records\":0") != NULL);
      crm_free(report);
    }

    /* Customers: an admin records one; a service clerk sees its phone masked; a salesman who
       does not own it is refused (CRM_EPERM) and nothing but the denial is written. */
    {
      const char *admin = "{\"id\":\"admin\",\"role\":\"admin\"}";
      const char *clerk = "{\"id\":\"zhou\",\"role\":\"service\",\"department\":\"east\"}";
      const char *other = "{\"id\":\"wang\",\"role\":\"sales\",\"department\":\"north\"}";
      char *answer = NULL;
      CHECK(crm_db_put_customer(db, admin, "{\"id\":\"K1\",\"company\":\"x\",\"owner\":\"li\",\"department\":\"east\","
                                           "\"contacts\":[{\"name\":\"n\",\"phone\":\"13812345678\"}]}") == CRM_OK);
      snprintf(event, sizeof event, "{\"customer\":\"K1\",\"type\":\"purchase\",\"at\":%lld,\"amount\":1200000}",
               (long long)shanghai(2025, 3, 3, 10, 0));
      CHECK(crm_db_add_activity(db, admin, event) == CRM_OK);
      snprintf(query, sizeof query, "{\"query\":\"customer\",\"id\":\"K1\",\"at\":%lld}", (long long)shanghai(2025, 4, 1, 0, 0));
      CHECK(crm_db_customer_query(db, clerk, query, &answer) == CRM_OK);
      CHECK(answer != NULL && strstr(answer, "\"phone\":\"138****5678\"") != NULL);
      CHECK(answer != NULL && strstr(answer, "\"tier\":\"large\"") != NULL);
      crm_free(answer);
      answer = NULL;
      CHECK(crm_db_customer_query(db, other, query, &answer) == CRM_EPERM);
      CHECK(answer == NULL && strstr(crm_last_error(), "wang") != NULL);
      CHECK(crm_db_add_activity(db, other, event) == CRM_EPERM);
      CHECK(crm_db_put_prospect(db, admin, "{\"id\":\"P1\"}") == CRM_EINVAL);
      CHECK(crm_db_add_prospect_event(db, admin, "{\"prospect\":\"P404\",\"type\":\"evaluation\",\"at\":1,\"likelihood\":0.5}") == CRM_ENOTFOUND);
      CHECK(crm_db_customer_query(db, admin, "{\"query\":\"audit\"}", &answer) == CRM_OK);
      CHECK(answer != NULL && strstr(answer, "\"outcome\":\"denied\"") != NULL);
      crm_free(answer);
      CHECK(crm_db_put_customer(db, NULL, "{}") == CRM_EINVAL);
    }
    crm_db_close(db);

    /* The ledger for an acting user (README "Security"): demand C-1 is li's, in no department. */
    {
      const char *li = "{\"id\":\"li\",\"role\":\"sales\",\"department\":\"east\"}";
      const char *wang = "{\"id\":\"wang\",\"role\":\"sales\",\"department\":\"north\"}";
      char *answer = NULL;
      CHECK(crm_db_open(":memory:", &db) == CRM_OK);
      CHECK(crm_db_put_policy(db, policy_text) == CRM_OK);
      CHECK(crm_db_record_demand_as(db, li, demand, NULL) == CRM_OK);
      CHECK(crm_db_get_demand_as(db, li, "C-1", shanghai(2025, 3, 4, 0, 0), &answer) == CRM_OK);
      crm_free(answer);
      answer = (char *)"untouched";
      CHECK(crm_db_get_demand_as(db, wang, "C-1", shanghai(2025, 3, 4, 0, 0), &answer) == CRM_EPERM);
      CHECK(strcmp(answer, "untouched") == 0 && strstr(crm_last_error(), "C-1") != NULL);
      snprintf(event, sizeof event, "{\"type\":\"acknowledged\",\"at\":%lld,\"actor\":\"li\"}",
               (long long)shanghai(2025, 3, 3, 11, 0));
      CHECK(crm_db_append_event_as(db, wang, "C-1", event) == CRM_EPERM);
      CHECK(crm_db_append_event_as(db, li, "C-1", event) == CRM_OK); /* the event's actor is li */
      CHECK(crm_db_worklist_as(db, wang, "{\"at\":1741000000,\"owner\":\"li\"}", &answer) == CRM_EPERM);
      CHECK(crm_db_worklist_as(NULL, wang, "{}", &answer) == CRM_EINVAL);
      CHECK(crm_db_report_as(db, NULL, "{}", &answer) == CRM_EINVAL);
      CHECK(crm_db_weekly_progress_as(db, li, "{\"at\":1741000000}", &answer) == CRM_OK);
      CHECK(strstr(answer, "\"owner\":\"li\"") != NULL);
      crm_free(answer);
      CHECK(crm_db_import_as(db, li, "/nonexistent.ndjson", NULL, &answer) == CRM_EPERM);
      crm_db_close(db);
    }

    /* Personal data at rest (README "Security"): opened with a key, the file holds no phone number;
       opened without it, the record reads masked and no personal data is stored. */
    {
      const char *path = "capi_c_personal.db";
      const char *admin = "{\"id\":\"admin\",\"role\":\"admin\"}";
      const char *customer = "{\"id\":\"K2\",\"company\":\"x\",\"owner\":\"li\",\"department\":\"east\","
                             "\"contacts\":[{\"name\":\"n\",\"phone\":\"13912345678\"}]}";
      static char bytes[1 << 21];
      size_t size = 0, i = 0;
      int plain = 0;
      char *answer = NULL;
      FILE *file = NULL;
      remove(path);
      CHECK(crm_db_open_with(path, "{\"encryption_key\":\"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\"}",
                             &db) == CRM_OK);
      CHECK(crm_db_put_policy(db, policy_text) == CRM_OK);
      CHECK(crm_db_put_customer(db, admin, customer) == CRM_OK);
      CHECK(crm_db_customer_query(db, admin, "{\"query\":\"customers\",\"phone\":\"139 1234 5678\"}", &answer) == CRM_OK);
      CHECK(answer != NULL && strstr(answer, "\"K2\"") != NULL);
      crm_free(answer);
      answer = NULL;
      crm_db_close(db); /* the last handle: the log is checkpointed into the file */
      file = fopen(path, "rb");
      size = file ? fread(bytes, 1, sizeof bytes, file) : 0;
      if (file) fclose(file);
      CHECK(size > 0 && size < sizeof bytes);
      for (i = 0; i + 11 <= size; ++i) plain |= memcmp(bytes + i, "13912345678", 11) == 0;
      CHECK(!plain);
      CHECK(crm_db_open(path, &db) == CRM_OK);
      CHECK(crm_db_customer_query(db, admin, "{\"query\":\"customer\",\"id\":\"K2\"}", &answer) == CRM_OK);
      CHECK(answer != NULL && strstr(answer, "139****5678") != NULL && strstr(answer, "13912345678") == NULL);
      crm_free(answer);
      CHECK(crm_db_put_customer(db, admin, customer) == CRM_EPERM);
      CHECK(strstr(crm_last_error(), "encryption_key") != NULL);
      crm_db_close(db);
      remove(path);
    }
  }
  printf("capi_c_test: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
