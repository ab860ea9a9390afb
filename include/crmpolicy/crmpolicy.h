/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crmpolicy.h — the C API of crmpolicy, the whole of it.
 *
 * Pure C99. Anything not declared here is not API. Conventions, once for every function:
 *  - Functions that can fail return crm_status; CRM_OK is 0. On failure every output is left
 *    untouched, no state changes, and crm_last_error() says what failed and why. The one
 *    exception is crm_db_import: when a batch fails it still sets *out_report_json (what was
 *    committed before, and the rejected line), which the caller frees.
 *  - Arguments: the subject handle first, outputs last (named out / x_out).
 *  - A NULL pointer where a value is required is CRM_EINVAL, never a crash.
 *  - Instants are int64_t UTC seconds since the Unix epoch; durations are int64_t seconds.
 *    Civil dates are int32_t YYYYMMDD. Local wall-clock time exists only inside calendars.
 *  - Strings in are UTF-8 and NUL-terminated; the library copies what it keeps.
 *  - Every JSON document in obeys fixed limits (README "Input limits": 16 MiB, nesting 64 deep,
 *    strings of 1 MiB, 100,000 items an object or array, 10^6 values, ids of 128 bytes); past
 *    one it is CRM_EINVAL naming the JSON Pointer and the limit. No input is read recursively, so
 *    any document is safe on a small thread stack (tested on 256 KB).
 *  - No exception, longjmp or abort crosses this boundary.
 */
#ifndef CRMPOLICY_H
#define CRMPOLICY_H

#include <stddef.h>
#include <stdint.h>

#include "crmpolicy/export.h"

#ifdef __cplusplus
#  define CRM_BEGIN_DECL extern "C" {
#  define CRM_END_DECL }
#else
#  define CRM_BEGIN_DECL
#  define CRM_END_DECL
#endif

CRM_BEGIN_DECL

/* ---------------------------------------------------------------------------------------------
 * Version
 * ------------------------------------------------------------------------------------------- */

#define CRM_VERSION_MAJOR 0
#define CRM_VERSION_MINOR 2
#define CRM_VERSION_PATCH 0
#define CRM_VERSION "0.2.0"
/** X*1000000 + Y*1000 + Z */
#define CRM_VERSION_NUMBER (CRM_VERSION_MAJOR * 1000000 + CRM_VERSION_MINOR * 1000 + CRM_VERSION_PATCH)
/** True when the header is at least version X.Y.Z. */
#define CRM_VERSION_CHECK(x, y, z) (CRM_VERSION_NUMBER >= ((x) * 1000000 + (y) * 1000 + (z)))

/** The library's version string, e.g. "0.2.0". Static storage; never NULL. Thread-safe. */
CRM_API const char *crm_version(void);
/** The library's CRM_VERSION_NUMBER, to check that header and library match. Thread-safe. */
CRM_API int32_t crm_version_number(void);

/* ---------------------------------------------------------------------------------------------
 * Status codes and errors
 * ------------------------------------------------------------------------------------------- */

/**
 * Result of every function that can fail. Values are fixed forever and only ever appended;
 * FFI users may treat the type as a C int.
 */
typedef enum crm_status {
  CRM_OK = 0,        /**< success */
  CRM_EINVAL = 1,    /**< an argument or input document is invalid (message names field and value) */
  CRM_ERANGE = 2,    /**< a time, date or result is outside the supported range */
  CRM_ENOTFOUND = 3, /**< a named thing (time zone, record) does not exist */
  CRM_ESTATE = 4,    /**< the operation is not allowed in the current state */
  CRM_ECONFLICT = 5, /**< the operation conflicts with existing data */
  CRM_EIO = 6,       /**< reading or writing a file or database failed */
  CRM_ENOMEM = 7,    /**< out of memory */
  CRM_EINTERNAL = 8, /**< a bug in crmpolicy; please report it with crm_last_error() */
  CRM_EPERM = 9      /**< the acting user's role does not permit the operation (the denial is audited) */
} crm_status;

/**
 * The message of the last failure on the calling thread: UTF-8, never NULL ("" when there was
 * none). Owned by the library; valid until the next crm_ call on the same thread. A success does
 * not clear it, so decide success from the returned status, never from this text.
 */
CRM_API const char *crm_last_error(void);

/** A short static English description of a status code ("invalid argument", ...). Never NULL. */
CRM_API const char *crm_status_str(crm_status status);

/** Frees a buffer the library returned through a char** (or other owned) output. NULL is a no-op. */
CRM_API void crm_free(void *p);

/* ---------------------------------------------------------------------------------------------
 * Working calendars
 *
 * A calendar says when work happens in the local time of one time zone: weekly working spans
 * (e.g. 09:00-12:00,13:30-18:00), holidays, extra working days, optionally merged with the
 * built-in China statutory calendar ("base": "cn"). The JSON form is documented in README.md.
 *
 * Supported range: local dates 1970-01-01 to 2199-12-31. Instants outside it, and results that
 * would fall outside it, are CRM_ERANGE.
 *
 * Thread safety: a calendar is immutable after creation; one handle may be used from any number
 * of threads at once. Creating and freeing are the only operations that need exclusive access.
 * ------------------------------------------------------------------------------------------- */

/** An immutable working calendar. */
typedef struct crm_calendar crm_calendar;

/**
 * Builds a calendar from its JSON description.
 * @param json  UTF-8, NUL-terminated calendar JSON.
 * @param[out] out  receives a new calendar, owned by the caller; free it with crm_calendar_free().
 * @return CRM_OK; CRM_EINVAL for malformed JSON or an invalid field (the message names the JSON
 *         path and value); CRM_ENOTFOUND for an unknown time zone; CRM_EIO when the time zone
 *         database cannot be read; CRM_ENOMEM.
 */
CRM_API crm_status crm_calendar_from_json(const char *json, crm_calendar **out);

/** Frees a calendar. NULL is a no-op. Using a calendar after freeing it is undefined behaviour. */
CRM_API void crm_calendar_free(crm_calendar *cal);

/**
 * Whether instant t lies inside a working span (spans are half-open: the end is not working).
 * @param[out] out  1 if working, else 0.
 * @return CRM_OK, CRM_EINVAL (NULL argument), CRM_ERANGE.
 */
CRM_API crm_status crm_calendar_is_working_time(const crm_calendar *cal, int64_t t, int *out);

/**
 * Whether the local civil date (YYYYMMDD) has any working time.
 * @param[out] out  1 if a working day, else 0.
 * @return CRM_OK, CRM_EINVAL (NULL argument or not a valid date), CRM_ERANGE.
 */
CRM_API crm_status crm_calendar_is_working_day(const crm_calendar *cal, int32_t yyyymmdd, int *out);

/**
 * The first instant at or after t that is working time: t itself when t is working.
 * @param[out] out  the instant.
 * @return CRM_OK, CRM_EINVAL, CRM_ERANGE (t out of range, or no working time after t).
 */
CRM_API crm_status crm_calendar_next_working_instant(const crm_calendar *cal, int64_t t, int64_t *out);

/**
 * Adds working time: the clock runs only inside working spans. A start outside them begins at the
 * next span's opening; a result that lands exactly on a span's end stays there (12:00, not 13:30).
 * seconds == 0 gives crm_calendar_next_working_instant(start).
 * @param seconds  working seconds to add, >= 0.
 * @param[out] out  the deadline instant.
 * @return CRM_OK, CRM_EINVAL (NULL argument or negative seconds), CRM_ERANGE.
 */
CRM_API crm_status crm_calendar_add_working_time(const crm_calendar *cal, int64_t start, int64_t seconds,
                                                 int64_t *out);

/**
 * The close of business of the n-th working day after start's local date. Start's own date never
 * counts (PRC Civil Code arts. 201, 203): received Saturday with days = 1 is due Monday at close.
 * days == 0: the close of start's date when it is a working day and start is before its close,
 * otherwise the close of the next working day.
 * @param days  >= 0.
 * @param[out] out  the instant of that close of business.
 * @return CRM_OK, CRM_EINVAL (NULL argument or negative days), CRM_ERANGE.
 */
CRM_API crm_status crm_calendar_add_working_days(const crm_calendar *cal, int64_t start, int32_t days,
                                                 int64_t *out);

/**
 * Close of business of the local date start + days natural days; when that date is not a working
 * day, the close of the next working day (PRC Civil Code art. 203).
 * @param days  >= 0.
 * @param[out] out  the instant.
 * @return CRM_OK, CRM_EINVAL (NULL argument or negative days), CRM_ERANGE.
 */
CRM_API crm_status crm_calendar_add_calendar_days(const crm_calendar *cal, int64_t start, int32_t days,
                                                  int64_t *out);

/**
 * Working seconds in [a, b); negative (the same magnitude) when b < a.
 * @param[out] out  signed working seconds.
 * @return CRM_OK, CRM_EINVAL, CRM_ERANGE.
 */
CRM_API crm_status crm_calendar_working_time_between(const crm_calendar *cal, int64_t a, int64_t b,
                                                     int64_t *out);

/**
 * The last date (YYYYMMDD) the official data of the calendar's base covers: for "base": "cn",
 * December 31 of the newest State Council notice's year. Later dates are provisional: their
 * statutory holidays (and the days in lieu the law requires) are known, their make-up working
 * days are not, and every result that depends on them says "provisional": true. A calendar
 * without a base is never provisional: *out is 0.
 * @param[out] out  the date, or 0.
 * @return CRM_OK, CRM_EINVAL.
 */
CRM_API crm_status crm_calendar_data_until(const crm_calendar *cal, int32_t *out);

/* ---------------------------------------------------------------------------------------------
 * Policies
 *
 * A policy classifies customer demands (urgency, category, nature, custom labels) by ordered
 * rules and gives each demand its response targets with due and warning times on the policy's
 * calendars. The policy, demand and result JSON forms are documented in README.md.
 *
 * Thread safety: a policy is immutable after creation; one handle may be used from any number of
 * threads at once.
 * ------------------------------------------------------------------------------------------- */

/** An immutable, validated policy. */
typedef struct crm_policy crm_policy;

/**
 * Loads and validates a policy document.
 * @param json  UTF-8, NUL-terminated policy JSON.
 * @param[out] out  a new policy owned by the caller; free it with crm_policy_free().
 * @return CRM_OK; CRM_EINVAL (the message names the JSON path and value); CRM_ENOTFOUND (unknown
 *         time zone in a calendar); CRM_EIO; CRM_ENOMEM.
 */
CRM_API crm_status crm_policy_from_json(const char *json, crm_policy **out);

/** Like crm_policy_from_json(), reading the document from a file. CRM_EIO when it cannot be read. */
CRM_API crm_status crm_policy_from_file(const char *path, crm_policy **out);

/** Frees a policy. NULL is a no-op. Calendars borrowed from it become invalid. */
CRM_API void crm_policy_free(crm_policy *p);

/**
 * Load-time warnings (rules that can never fire) as a JSON array of strings.
 * @param[out] out_json  a NUL-terminated buffer owned by the caller; free it with crm_free().
 * @return CRM_OK, CRM_EINVAL, CRM_ENOMEM.
 */
CRM_API crm_status crm_policy_warnings(const crm_policy *p, char **out_json);

/**
 * Classifies a demand and computes its targets. Pure and deterministic: the same policy and demand
 * give the same bytes. Add "explain": true beside the demand fields for a day-by-day trace of
 * every due time.
 * @param demand_json  UTF-8, NUL-terminated demand JSON.
 * @param[out] out_json  the result JSON, owned by the caller; free it with crm_free().
 * @return CRM_OK; CRM_EINVAL (bad demand; the message names the field); CRM_ERANGE (a due time
 *         outside the calendar's range); CRM_ENOMEM.
 */
CRM_API crm_status crm_policy_evaluate(const crm_policy *p, const char *demand_json, char **out_json);

/**
 * A calendar of the policy, by name.
 * @param[out] out  borrowed: valid while the policy lives; never pass it to crm_calendar_free().
 * @return CRM_OK, CRM_EINVAL, CRM_ENOTFOUND.
 */
CRM_API crm_status crm_policy_calendar(const crm_policy *p, const char *name, const crm_calendar **out);

/**
 * The policy's language: "en" or "zh-CN" (its "locale", by default "en"), which its reports use
 * unless the query names another.
 * @param[out] out  borrowed: valid while the policy lives.
 * @return CRM_OK, CRM_EINVAL.
 */
CRM_API crm_status crm_policy_locale(const crm_policy *p, const char **out);

/**
 * The label of a term of the library's vocabulary (target statuses, channels, categories,
 * natures, urgencies, report dimensions, period kinds, metrics, the sample policy's target and
 * tier names) in `locale`, "zh-CN" or "en", as the HTML report shows it: "breached" gives "已超时".
 * @param[out] out  static storage (never freed), UTF-8.
 * @return CRM_OK; CRM_EINVAL (a NULL argument, or a locale other than "zh-CN" and "en");
 *         CRM_ENOTFOUND (a term the catalogue lacks: show the term itself).
 */
CRM_API crm_status crm_term_label(const char *locale, const char *term, const char **out);

/* ---------------------------------------------------------------------------------------------
 * The embedded store (SQLite)
 *
 * Thread safety: a handle is used by one thread at a time. Several handles, in one process or
 * several, may share a file: SQLite's locking keeps it consistent, and a writer that cannot get
 * the lock within the busy timeout (5 s) gets CRM_EIO, never a corrupt file.
 * ------------------------------------------------------------------------------------------- */

/** An open crmpolicy database. */
typedef struct crm_db crm_db;

/**
 * Opens or creates a database file (":memory:" for a private in-memory one): WAL journal,
 * foreign keys on, synchronous=FULL, schema created or migrated to the current version. A path
 * beginning "postgresql://" or "postgres://" (a libpq URI), or "postgresql:" followed by libpq's
 * keyword=value form, opens a PostgreSQL database instead, in the same schema and with the same
 * behaviour (README "PostgreSQL"); passwords follow libpq (the URI, PGPASSWORD, PGPASSFILE,
 * ~/.pgpass) and never appear in messages.
 * @param[out] out  a new handle owned by the caller; close it with crm_db_close().
 * @return CRM_OK; CRM_EIO (cannot open or migrate); CRM_ESTATE (the file's schema is newer than
 *         this library knows: nothing was changed); CRM_ENOMEM.
 */
CRM_API crm_status crm_db_open(const char *path, crm_db **out);

/**
 * crm_db_open with options (README "Security"): a JSON object, every member optional —
 * "encryption_key" (64 hex digits: the host's key, never stored with the data; it seals the
 * database's keyring, whose audit key chains the audit log), "synchronous" ("full", the default,
 * or "normal"), "busy_timeout_ms" (0..600000, default 5000). NULL options are {}.
 * @param[out] out  a new handle owned by the caller; close it with crm_db_close().
 * @return CRM_OK; CRM_EINVAL (which member, why; a key is never repeated in a message);
 *         CRM_EPERM (the key does not unseal this database's keyring); as crm_db_open otherwise.
 */
CRM_API crm_status crm_db_open_with(const char *path, const char *options_json, crm_db **out);

/** Closes a database. NULL is a no-op. */
CRM_API void crm_db_close(crm_db *db);

/**
 * Validates and stores a policy version. A version once stored never changes: storing the
 * identical document again succeeds and changes nothing.
 * @return CRM_OK; CRM_EINVAL (invalid policy; nothing written); CRM_ECONFLICT (that name and
 *         version is stored with a different document); CRM_EIO.
 */
CRM_API crm_status crm_db_put_policy(crm_db *db, const char *policy_json);

/**
 * Every stored policy version, in storage order: {"policies": [{"name", "version",
 * "calendar_data"}]}, calendar_data naming the base-calendar data each calendar was built with.
 * @param[out] out_json  free with crm_free().
 * @return CRM_OK; CRM_EIO.
 */
CRM_API crm_status crm_db_policies(crm_db *db, char **out_json);

/**
 * The document of a stored policy version, byte for byte as it was stored.
 * @param name     the policy's name; NULL or "" when one policy name is stored.
 * @param version  the version; NULL or "" for the latest.
 * @param[out] out_json  free with crm_free().
 * @return CRM_OK; CRM_ENOTFOUND (no such policy or version); CRM_EINVAL (no name and several
 *         stored); CRM_EIO.
 */
CRM_API crm_status crm_db_policy_document(crm_db *db, const char *name, const char *version, char **out_json);

/**
 * Records a demand (README "Demand JSON" plus "policy", "policy_version" and "actor"),
 * classified under the named stored policy version (the latest when "policy_version" is absent;
 * "policy" may be omitted when one policy name is stored). One transaction.
 * @param[out] out_json  the demand's view at received_at with "retry" and "duplicates" (similar
 *                       open demands of the same customer, with scores); free with crm_free().
 *                       May be NULL when not wanted.
 * @return CRM_OK (also for the byte-identical demand recorded again: "retry": true, nothing
 *         written); CRM_EINVAL (bad JSON: the message names the field); CRM_ENOTFOUND (no such
 *         policy); CRM_ECONFLICT (the id is recorded with another document); CRM_EIO.
 */
CRM_API crm_status crm_db_record_demand(crm_db *db, const char *demand_json, char **out_json);

/**
 * Appends an event (README "Event JSON") to a demand's ledger, in its place by time. One
 * transaction; a refused event writes nothing.
 * @return CRM_OK; CRM_EINVAL (bad event JSON); CRM_ENOTFOUND (no such demand); CRM_ESTATE (the
 *         lifecycle forbids it: e.g. feedback before resolved, resumed without paused, anything
 *         after closed but reopened, an event dated before the demand was received); CRM_EIO.
 */
CRM_API crm_status crm_db_append_event(crm_db *db, const char *demand_id, const char *event_json);

/**
 * A demand with its events, current targets and replaced targets as they stood at `at`.
 * @param[out] out_json  README "Demand view JSON"; free with crm_free().
 * @return CRM_OK; CRM_ENOTFOUND; CRM_ERANGE (`at` before the demand was received); CRM_EIO.
 */
CRM_API crm_status crm_db_get_demand(crm_db *db, const char *demand_id, int64_t at, char **out_json);

/**
 * The work list (README "Work list"): open targets at risk or breached at "at", or due before
 * "due_before", ordered by due time; filters "owner", "department", "urgency"; "limit". In pages:
 * "page_size" (1-10000) and, for every page after the first, "after": the "next" of the one before
 * (null after the last).
 * @param[out] out_json  free with crm_free().
 * @return CRM_OK; CRM_EINVAL (bad query); CRM_EIO.
 */
CRM_API crm_status crm_db_worklist(crm_db *db, const char *query_json, char **out_json);

/**
 * The change feed (README "Change feed"): what changed after "cursor" (the "cursor" of the answer
 * before; absent the first time: from the start of the ledger, or "start": "end" for a cursor
 * after everything so far), up to "until" (UTC epoch seconds),
 * at most "limit" (1-10000, default 1000) changes. Written changes (recorded, event, met, ...)
 * come in the order they were written, then time-driven ones (at_risk, breached, escalation) in
 * the order of their instants. Store the answer's "cursor" once its changes are handled: the next
 * call with it sees each change exactly once. A call records how far the feed was read, so that a
 * later event that undoes a change already read is told as a "retracted" change.
 * @param[out] out_json  {"until", "changes": [...], "count", "more", "cursor"}; free with crm_free().
 * @return CRM_OK; CRM_EINVAL (bad query or cursor); CRM_EBUSY; CRM_EIO.
 */
CRM_API crm_status crm_db_changes(crm_db *db, const char *query_json, char **out_json);

/**
 * The figures the policy is judged by (README "Reports"): timeliness, completion, satisfaction,
 * response times, volumes and goals per period ("period": day, week, month, quarter, half_year,
 * year, in the policy's default calendar) and group ("by": up to two dimensions), with "filter",
 * "from", "to"; plus the periodic demand analysis and the targets needing attention at "at".
 * "format": "json" (default), "csv" or "html" (one self-contained page).
 * @param[out] out  the report in that format; free with crm_free().
 * @return CRM_OK; CRM_EINVAL (bad query, naming the field); CRM_ENOTFOUND (no such policy);
 *         CRM_ERANGE (an instant outside the calendar's range); CRM_EIO.
 */
CRM_API crm_status crm_db_report(crm_db *db, const char *query_json, char **out);

/**
 * Recomputes from the ledger the report facts every write keeps (README "Reports": one row per
 * demand, which reports read instead of replaying the ledger), in one write transaction. Reports
 * are right without it; call it after storing a policy version whose goals differ, so that reports
 * need not judge every demand's goals again, or to check that the kept facts are the ledger's.
 * The change feed's scheduled transitions after its read horizon are recomputed with them.
 * @param[out] out_demands  the number of demands (may be NULL).
 * @return CRM_OK; CRM_EIO.
 */
CRM_API crm_status crm_db_rebuild_report_facts(crm_db *db, int64_t *out_demands);

/* ---- Customers and prospects (README "Customers and prospects") ------------------------------
 * Every call names the acting user: actor_json = {"id": "li.na", "role": "sales",
 * "department": "east"}, as the host authenticated them. The latest stored policy's "access"
 * roles decide what they may do and see: a role without "personal.read" sees contact phones,
 * emails and addresses masked (138****5678, z***@example.com) in every answer. A denial is
 * CRM_EPERM, is recorded in the audit log, and writes nothing else. Every change is audited
 * with its before and after; the audit log cannot be altered through the API.
 */

/**
 * Creates or replaces customers: one customer object or an array (all or nothing).
 * @return CRM_OK; CRM_EINVAL (the message names the field); CRM_EPERM; CRM_ENOTFOUND (no policy); CRM_EIO.
 */
CRM_API crm_status crm_db_put_customer(crm_db *db, const char *actor_json, const char *customer_json);

/**
 * Appends customer activities (purchase, interaction, survey, contract): one object or an array.
 * @return CRM_OK; CRM_EINVAL; CRM_ENOTFOUND (no such customer); CRM_EPERM; CRM_EIO.
 */
CRM_API crm_status crm_db_add_activity(crm_db *db, const char *actor_json, const char *activity_json);

/**
 * Creates or replaces prospects (one object or an array); a new prospect starts at initial_contact.
 * @return CRM_OK; CRM_EINVAL; CRM_ESTATE (already converted); CRM_EPERM; CRM_EIO.
 */
CRM_API crm_status crm_db_put_prospect(crm_db *db, const char *actor_json, const char *prospect_json);

/**
 * Appends a prospect event: stage (forward only, or lost before a contract), follow_up, plan,
 * evaluation, or convert (creates the customer; the prospect's history stays linked).
 * @return CRM_OK; CRM_EINVAL; CRM_ENOTFOUND; CRM_ESTATE (the lifecycle forbids it);
 *         CRM_ECONFLICT (plan item or customer id taken); CRM_EPERM; CRM_EIO.
 */
CRM_API crm_status crm_db_add_prospect_event(crm_db *db, const char *actor_json, const char *event_json);

/**
 * Records, lists and figures as of "at": {"query": "customer" | "customers" | "tiers" |
 * "collection_due" | "churn" | "relationship" | "history" | "audit" | "prospect" | "prospects" |
 * "prospect_due" | "funnel", ...}. Lists hold only the records the actor's role reaches.
 * @param[out] out_json  the answer; free with crm_free().
 * @return CRM_OK; CRM_EINVAL; CRM_ENOTFOUND; CRM_ESTATE (the policy lacks the section); CRM_EPERM; CRM_EIO.
 */
CRM_API crm_status crm_db_customer_query(crm_db *db, const char *actor_json, const char *query_json, char **out_json);

/**
 * The earliest warn or due instant after `now` over every running target of every open demand,
 * so a host can set one timer instead of polling. Paused clocks do not run.
 * @param[out] out  UTC epoch seconds.
 * @return CRM_OK; CRM_ENOTFOUND (nothing will fall due: *out untouched); CRM_EIO.
 */
CRM_API crm_status crm_db_next_wakeup(crm_db *db, int64_t now, int64_t *out);

/**
 * The weekly progress check: per owner, open demands, those at risk, breached, and closed in the
 * ISO week (local to the policy's default calendar) containing "at". Query: {"at": T, "policy"?}.
 * @param[out] out_json  free with crm_free().
 * @return CRM_OK; CRM_EINVAL; CRM_ENOTFOUND (no policy); CRM_EIO.
 */
CRM_API crm_status crm_db_weekly_progress(crm_db *db, const char *query_json, char **out_json);

/**
 * A consistent copy of the whole live database (every table) at "path", made with SQLite's
 * online backup API while other handles keep working; written beside it and renamed over it,
 * mode 0600. Open it with crm_db_open.
 * @return CRM_OK, CRM_EINVAL, CRM_EIO.
 */
CRM_API crm_status crm_db_backup(crm_db *db, const char *path);

/**
 * Recomputes the audit log's hash chain (README "Security"). The answer, delivered whatever the
 * outcome: {"holds", "entries", "chained", "unchained", "keyed", "head"} and, when the chain
 * does not hold, "problem" (altered, inserted, removed, removed_at_end or unverifiable), "seq" (the
 * first entry concerned), "removed" (how many are missing) and "message".
 * @param[out] out_json  free with crm_free().
 * @return CRM_OK (the chain holds); CRM_ECONFLICT (it does not); CRM_EPERM (entries keyed with the
 *         keyring's audit key, and the handle was opened without the encryption_key); CRM_EIO.
 */
CRM_API crm_status crm_db_verify_audit(crm_db *db, char **out_json);

/**
 * Reseals the database's keyring under a new host key (64 hex digits) and starts a new
 * personal-data key, in one transaction. The handle must have been opened with the current key;
 * other open handles keep working, later opens need the new key.
 * @return CRM_OK; CRM_EINVAL (not a key); CRM_ESTATE (the handle holds no key); CRM_EPERM (the
 *         keyring was resealed by another handle meanwhile); CRM_EIO.
 */
CRM_API crm_status crm_db_rotate_encryption_key(crm_db *db, const char *new_key_hex);

/**
 * Applies newer base calendar data (a cn.txt with a later State Council notice, in
 * $CRMPOLICY_DATA_DIR/calendars/ or the installed share/crmpolicy/calendars/) to the ledger as
 * of instant "at". The database pins the data it computes with; opening it applies newer data as
 * of the time of opening, this call names the instant. A target met, breached or stopped by "at"
 * keeps its judgement; a running one follows the newer data, its earlier plan in the demand's
 * history (ended by calendar_updated). Answer: {"updated": true, "from", "to", "applied_at",
 * "demands": [{"id", "targets": [{"name", "due_before", "due_after"}]}]}, or {"updated": false,
 * "version"} when the database has that data already.
 * @param[out] out_json  free with crm_free().
 * @return CRM_OK; CRM_EINVAL (a malformed data file, named with its line); CRM_ESTATE (the file
 *         is older than the database's data); CRM_EIO.
 */
CRM_API crm_status crm_db_update_calendar_data(crm_db *db, int64_t at, char **out_json);

/**
 * Imports NDJSON: one demand or event per line (README "Import"), in transactions of
 * "batch_size" lines (options_json, default 10000). A failed batch is rolled back whole and the
 * import stops, unless {"skip_invalid": true}: then bad lines are skipped and the rest commits.
 * @param options_json  NULL or e.g. {"batch_size": 5000, "skip_invalid": true}.
 * @param[out] out_report_json  what was committed and each rejected line with its reason; free
 *                              with crm_free(). Set also when a batch failed (status != CRM_OK).
 * @return CRM_OK; the failing line's code (CRM_EINVAL, CRM_ESTATE, ...) when a batch was rolled
 *         back; CRM_ENOTFOUND (no such file); CRM_EIO.
 */
CRM_API crm_status crm_db_import(crm_db *db, const char *ndjson_path, const char *options_json, char **out_report_json);

/**
 * An event for crm_db_import_records (README "Event JSON"). NULL, "" or 0 is an absent field.
 * "assessed" events need NDJSON or crm_db_append_event.
 */
typedef struct crm_event_record {
  const char *demand; /* required: the demand's id */
  const char *type;   /* required: acknowledged, plan_sent, started, ... */
  int64_t at;         /* UTC epoch seconds */
  const char *actor;  /* required */
  const char *id, *comment;
  const char *reason;                     /* paused, closed, reopened, reclassified */
  int satisfaction;                       /* feedback: 1 to 5 */
  const char *owner, *department;         /* reassigned */
  const char *urgency, *category, *nature, *policy_version; /* reclassified */
  const char *into;                       /* merged_into */
} crm_event_record;

/**
 * A demand for crm_db_import_records: the Demand JSON fields bulk imports carry (README
 * "Import"), typed. NULL or "" is an absent field. Strings are UTF-8 and borrowed for the call.
 * Labels and a customer's spend or key flag need NDJSON (crm_db_import).
 */
typedef struct crm_demand_record {
  const char *id; /* required */
  int64_t received_at; /* UTC epoch seconds */
  const char *channel, *category, *nature, *urgency;
  const char *title, *text, *department, *owner;
  const char *customer_id, *customer_tier, *customer_industry, *customer_size;
  const char *policy, *policy_version, *actor;
  const crm_event_record *events; /* its own events, recorded right after it (their demand may be NULL) */
  size_t event_count;
} crm_demand_record;

/** The layout of crm_demand_record and crm_event_record this header declares. */
#define CRM_RECORDS_VERSION 1

/**
 * crm_db_import for typed records, with no JSON to write or read: each demand followed by its
 * own events, then `events` (for demands stored already, or any), in transactions of
 * "batch_size" records (options_json as for crm_db_import). The report numbers records in that
 * order, from 1, where crm_db_import numbers lines ("records", "committed_records", "rejected":
 * [{"record", "code", "error"}]), and a refused record says why as the same demand or event in
 * NDJSON would.
 * @param records_version  CRM_RECORDS_VERSION: the struct layout the caller was compiled with.
 * @param demands, events  arrays of demand_count and event_count records (NULL when the count is 0).
 * @param[out] out_report_json  free with crm_free(). Set also when a batch failed.
 * @return as crm_db_import; CRM_EINVAL also for an unknown records_version or a NULL array with a
 *         count.
 */
CRM_API crm_status crm_db_import_records(crm_db *db, int records_version, const crm_demand_record *demands,
                                         size_t demand_count, const crm_event_record *events, size_t event_count,
                                         const char *options_json, char **out_report_json);

/**
 * The ledger's calls for an acting user (README "Security"). The calls above without an actor act
 * as the system — the host's own machinery — and reach every demand; these take `actor_json`
 * ({"id", "role", "department"}, as for customers) and apply the latest stored policy's /access:
 * the role needs demand.read (crm_db_get_demand_as, crm_db_worklist_as, crm_db_weekly_progress_as,
 * crm_db_report_as) or demand.write (crm_db_record_demand_as, crm_db_append_event_as, the
 * imports), and reaches the demands of its scope: own (the demand's current owner is the user),
 * department, all. Lists, the weekly check and reports count only the demands in scope; a demand
 * out of scope (for a new one: as classified and routed), a query naming an owner or department
 * out of it, an event whose "actor" is not the user, or an import by a role whose scope is not
 * all, is CRM_EPERM: audited, nothing else written. Otherwise as the calls without an actor.
 */
CRM_API crm_status crm_db_record_demand_as(crm_db *db, const char *actor_json, const char *demand_json, char **out_json);
CRM_API crm_status crm_db_append_event_as(crm_db *db, const char *actor_json, const char *demand_id, const char *event_json);
CRM_API crm_status crm_db_get_demand_as(crm_db *db, const char *actor_json, const char *demand_id, int64_t at, char **out_json);
CRM_API crm_status crm_db_worklist_as(crm_db *db, const char *actor_json, const char *query_json, char **out_json);
CRM_API crm_status crm_db_weekly_progress_as(crm_db *db, const char *actor_json, const char *query_json, char **out_json);
CRM_API crm_status crm_db_report_as(crm_db *db, const char *actor_json, const char *query_json, char **out);
CRM_API crm_status crm_db_import_as(crm_db *db, const char *actor_json, const char *ndjson_path, const char *options_json,
                                    char **out_report_json);
CRM_API crm_status crm_db_import_records_as(crm_db *db, const char *actor_json, int records_version,
                                            const crm_demand_record *demands, size_t demand_count,
                                            const crm_event_record *events, size_t event_count, const char *options_json,
                                            char **out_report_json);

/**
 * Writes a portable snapshot (Boost.Serialization text archive with a checksum) of every table —
 * policies, calendar data, demands, events, customers, activities, prospects, prospect events and
 * the audit log — to `path` (mode 0600, replaced atomically). README "Snapshots".
 * @return CRM_OK; CRM_EIO.
 */
CRM_API crm_status crm_db_export_snapshot(crm_db *db, const char *path);

/**
 * Loads a snapshot into this database in one transaction, and records the restore in the audit
 * log. A truncated, corrupted or foreign file imports nothing. Into an empty database everything
 * is restored as it was; policies and demands already present must be identical, customer records
 * restore only into a database holding none (or the same), calendar data must agree once a ledger
 * exists (else CRM_ECONFLICT, and nothing changes).
 * @return CRM_OK; CRM_EINVAL (not a valid snapshot); CRM_ENOTFOUND; CRM_ECONFLICT; CRM_EIO.
 */
CRM_API crm_status crm_db_import_snapshot(crm_db *db, const char *path);

/**
 * crm_db_export_snapshot / crm_db_import_snapshot with options (README "Snapshots"):
 * {"passphrase": "..."} (at least 8 bytes) encrypts the whole archive — Argon2id derives the key,
 * XChaCha20-Poly1305 seals it — and importing it needs the same passphrase. NULL options are {}.
 * @return as the calls without options; CRM_EINVAL also for bad options, a sealed archive without
 *         a passphrase or a plain one with; CRM_EPERM when the passphrase does not open it (or the
 *         file was altered). No message repeats a passphrase.
 */
CRM_API crm_status crm_db_export_snapshot_with(crm_db *db, const char *path, const char *options_json);
CRM_API crm_status crm_db_import_snapshot_with(crm_db *db, const char *path, const char *options_json);

CRM_END_DECL

#endif /* CRMPOLICY_H */
