/* SPDX-License-Identifier: Apache-2.0 */
/*
 * calendar.c — response deadlines for customer demands on a real working calendar, in C99.
 *
 * Usage: calendar_example [calendar.json]   (default: data/calendars/cn-office.json)
 *
 * The seed policy's classes get their deadlines here with sample numbers (the policy JSON of a
 * later release sets them): urgent demands a first response within 4 working hours, important
 * ones a detailed plan within 2 working days, general ones a contact within 3 working days, and
 * every demand a resolution within 15 natural days.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crmpolicy/crmpolicy.h"

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  char *text;
  long size;
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  size = ftell(f);
  fseek(f, 0, SEEK_SET);
  text = malloc((size_t)size + 1);
  if (text && fread(text, 1, (size_t)size, f) != (size_t)size) {
    free(text);
    text = NULL;
  }
  if (text) text[size] = '\0';
  fclose(f);
  return text;
}

/* Display only: the library speaks UTC epoch seconds; the C library renders them locally. */
static const char *local(int64_t t, char *buf, size_t n) {
  const time_t tt = (time_t)t;
  struct tm tm;
  localtime_r(&tt, &tm);
  strftime(buf, n, "%a %Y-%m-%d %H:%M", &tm);
  return buf;
}

static int64_t from_local(int y, int mo, int d, int h, int mi) {
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = d, tm.tm_hour = h, tm.tm_min = mi, tm.tm_isdst = -1;
  return (int64_t)mktime(&tm);
}

int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : "data/calendars/cn-office.json";
  struct demand {
    const char *what;
    int y, mo, d, h, mi;
  } demands[] = {
      {"equipment down, received before the National Day holiday", 2025, 9, 30, 16, 0},
      {"received on a make-up working Sunday", 2025, 9, 28, 10, 15},
      {"received on a Saturday", 2025, 6, 7, 10, 0},
      {"received just before lunch", 2025, 6, 3, 11, 30},
      {"received after hours before Spring Festival 2026", 2026, 2, 13, 19, 45},
  };
  size_t i;
  char *json = read_file(path);
  crm_calendar *cal = NULL;
  crm_status st;

  if (!json) {
    fprintf(stderr, "cannot read %s\n", path);
    return 1;
  }
  st = crm_calendar_from_json(json, &cal);
  free(json);
  if (st != CRM_OK) {
    fprintf(stderr, "%s: %s: %s\n", path, crm_status_str(st), crm_last_error());
    return 1;
  }
  setenv("TZ", "Asia/Shanghai", 1); /* the sample calendar's zone, for printing */
  tzset();

  printf("crmpolicy %s — deadlines on %s\n\n", crm_version(), path);
  for (i = 0; i < sizeof demands / sizeof demands[0]; ++i) {
    const struct demand *dm = &demands[i];
    const int64_t received = from_local(dm->y, dm->mo, dm->d, dm->h, dm->mi);
    int64_t urgent, important, general, resolution, worked;
    char b0[32], b1[32], b2[32], b3[32], b4[32];
    if (crm_calendar_add_working_time(cal, received, 4 * 3600, &urgent) != CRM_OK ||
        crm_calendar_add_working_days(cal, received, 2, &important) != CRM_OK ||
        crm_calendar_add_working_days(cal, received, 3, &general) != CRM_OK ||
        crm_calendar_add_calendar_days(cal, received, 15, &resolution) != CRM_OK ||
        crm_calendar_working_time_between(cal, received, resolution, &worked) != CRM_OK) {
      fprintf(stderr, "error: %s\n", crm_last_error());
      crm_calendar_free(cal);
      return 1;
    }
    printf("%s\n  received %s\n", dm->what, local(received, b0, sizeof b0));
    printf("  urgent     first response within 4 working hours  -> %s\n", local(urgent, b1, sizeof b1));
    printf("  important  detailed plan within 2 working days    -> %s\n", local(important, b2, sizeof b2));
    printf("  general    contact within 3 working days          -> %s\n", local(general, b3, sizeof b3));
    printf("  any        resolution within 15 natural days      -> %s (%.1f working hours away)\n\n",
           local(resolution, b4, sizeof b4), (double)worked / 3600.0);
  }
  crm_calendar_free(cal);
  return 0;
}
