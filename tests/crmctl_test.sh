#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# crmctl end to end: outputs and exit codes (0 ok, 1 usage, 2 bad input, 3 storage).
# usage: crmctl_test.sh CRMCTL LIBCRMPOLICY_SO
set -uo pipefail
crmctl=$1 lib=$2
# The checks below read crmctl's English; its other language is tested at the end, section "Languages".
unset LC_ALL LC_MESSAGES
export LANG=en_US.UTF-8
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0
expect() {  # expected exit code, description, command...
  local want=$1 what=$2; shift 2
  "$@" >"$dir/out" 2>"$dir/err"
  local got=$?
  if [ "$got" != "$want" ]; then
    echo "FAIL: $what: exit $got, expected $want"; cat "$dir/err"; failures=$((failures + 1))
  else
    echo "ok: $what"
  fi
}
contains() {  # file, text, description
  if grep -qF -- "$2" "$1"; then echo "ok: $3"; else echo "FAIL: $3 (no \"$2\")"; failures=$((failures + 1)); fi
}
lacks() {  # file, text, description
  if grep -qF -- "$2" "$1"; then echo "FAIL: $3 (\"$2\" is there)"; failures=$((failures + 1)); else echo "ok: $3"; fi
}

db=$dir/demo.db
expect 0 "demo" "$crmctl" demo --db "$db"
contains "$dir/out" "2025-12" "demo prints December"
contains "$dir/out" "售后服务部" "demo prints departments"
contains "$dir/out" "prospects with" "demo records customers and prospects"
expect 0 "report csv" "$crmctl" --db "$db" report --at 2025-12-31T18:00 --by owner --format csv
contains "$dir/out" "period,from,to,owner,received" "csv header"
[ "$(grep -c '^2025-' "$dir/out")" -ge 12 ] && echo "ok: csv has monthly rows" || { echo "FAIL: csv rows"; failures=$((failures + 1)); }
expect 0 "report html to a file" "$crmctl" --db "$db" report --at 2025-12-31T18:00 --by department --format html -o "$dir/r.html"
contains "$dir/r.html" "<svg" "html has charts"
expect 0 "report json, quarterly, filtered" "$crmctl" --db "$db" report --at 2025-12-31T18:00 --period quarter --filter department=销售部 --format json
contains "$dir/out" '"period":"2025-Q4"' "quarterly rows"
expect 0 "report table by two dimensions" "$crmctl" --db "$db" report --at 2025-12-31T18:00 --by department,urgency --from 2025-10-01 --to 2025-11-01
contains "$dir/out" "2025-10" "range honoured"
expect 0 "a day report before its goals' periods are over" "$crmctl" --db "$db" report --at 2025-12-31T18:00 --period day --from 2025-12-01 --to 2026-01-01
lacks "$dir/out" "0/0" "no period judged yet reads '-', not 0/0"
contains "$dir/out" "(to date)" "the latest period to date"
expect 0 "due" "$crmctl" --db "$db" due --at 2025-12-31T18:00 --owner 黄强
contains "$dir/out" "黄强" "due lists the owner's targets"
expect 0 "demand show" "$crmctl" --db "$db" demand show D-2025-00001 --at 2025-12-31T18:00
contains "$dir/out" "acknowledged" "demand events"
expect 2 "demand show unknown" "$crmctl" --db "$db" demand show NOPE
contains "$dir/err" "NOPE" "error names the demand"

# Import: NDJSON with a bad line, CSV with a bad cell.
fresh=$dir/fresh.db
policy=$(dirname "$0")/../data/policies/demand-management.json
expect 0 "policy check" "$crmctl" --db "$fresh" policy check "$policy"
echo '{"name": "x", "version": "1", "targets": [{"name": "t", "within": {"weeks": 1}}]}' >"$dir/bad-policy.json"
expect 2 "policy check invalid" "$crmctl" --db "$fresh" policy check "$dir/bad-policy.json"
contains "$dir/err" "/calendars: missing" "policy error names the field"
expect 0 "policy put" "$crmctl" --db "$fresh" policy put "$policy"
printf '%s\n' '{"id": "N-1", "received_at": 1760000000, "title": "设备故障"}' \
  '{"id": "N-2", "received_at": 1760000000, "channel": "fax"}' >"$dir/in.ndjson"
expect 2 "import ndjson with a bad line" "$crmctl" --db "$fresh" import "$dir/in.ndjson" --skip-invalid
contains "$dir/err" "in.ndjson:2: /channel" "rejected line named with its field"
contains "$dir/out" "imported 1 demands" "the good line is imported"
printf 'id,received_at,channel,title,owner\nC-1,2025-10-09T10:00,phone,"培训, 上门",li\nC-2,yesterday,email,x,li\n' >"$dir/in.csv"
expect 2 "import csv with a bad time" "$crmctl" --db "$fresh" import "$dir/in.csv"
contains "$dir/err" "in.csv:3: column received_at" "csv error names line and column"
printf 'id,received_at,channel,title,owner\nC-1,2025-10-09T10:00,phone,"培训, 上门",li\n' >"$dir/ok.csv"
expect 0 "import csv" "$crmctl" --db "$fresh" import "$dir/ok.csv"
expect 0 "csv demand stored at local time" "$crmctl" --db "$fresh" demand show C-1 --at 2025-10-10
contains "$dir/out" "培训, 上门" "csv quoted field kept"
# The China calendar past the last notice: coverage, the year's days, provisional marks.
expect 0 "calendar year" "$crmctl" calendar "$policy" --year 2027 --date 2027-02-05
contains "$dir/out" "official data (State Council notices) until 2026-12-31" "calendar coverage"
contains "$dir/out" "2027-02-05 (Fri): not a working day, holiday 春节, provisional (after 2026-12-31)" "date is provisional"
contains "$dir/out" "2027-10-04  Mon  holiday  国庆节（补假）  provisional (by law)" "day in lieu listed"
expect 0 "calendar of an official date" "$crmctl" calendar "$policy" --date 2026-02-28
contains "$dir/out" "2026-02-28 (Sat): a working day, makeup_workday 春节, official" "official make-up day"
expect 1 "calendar bad date" "$crmctl" calendar "$policy" --date 2027-13-01
printf '%s\n' '{"id": "P-2027", "received_at": 1801814400, "channel": "email", "title": "咨询"}' >"$dir/p.ndjson"
expect 0 "import a demand received 2027-02-05" "$crmctl" --db "$fresh" import "$dir/p.ndjson"
expect 0 "provisional demand show" "$crmctl" --db "$fresh" demand show P-2027 --at 2027-02-06
contains "$dir/out" "2027-02-15 18:00 (provisional)" "provisional due time marked"
expect 0 "provisional due list" "$crmctl" --db "$fresh" due --at 2027-02-15T13:00
contains "$dir/out" "(provisional)" "work list marks provisional due times"
# A hot backup holds every table and is readable by its owner only.
expect 0 "backup" "$crmctl" --db "$db" backup "$dir/backup.db"
[ "$(stat -c %a "$dir/backup.db")" = 600 ] && echo "ok: backup is 0600" || { echo "FAIL: backup mode"; failures=$((failures + 1)); }
expect 0 "customers from the backup" "$crmctl" --db "$dir/backup.db" customers --at 2025-12-31T18:00
contains "$dir/out" "C-107" "the backup has the converted customers"
# A snapshot holds every table: export -> import into an empty file -> export gives the same
# bytes, every table (derived ones included) equal row by row but the restore's own audit entry.
expect 0 "snapshot export" "$crmctl" --db "$db" snapshot export "$dir/one.snapshot"
[ "$(stat -c %a "$dir/one.snapshot")" = 600 ] && echo "ok: snapshot is 0600" || { echo "FAIL: snapshot mode"; failures=$((failures + 1)); }
expect 0 "snapshot import" "$crmctl" --db "$dir/restored.db" snapshot import "$dir/one.snapshot"
expect 0 "snapshot export again" "$crmctl" --db "$dir/restored.db" snapshot export "$dir/two.snapshot"
cmp -s "$dir/one.snapshot" "$dir/two.snapshot" && echo "ok: snapshot round trip byte for byte" || { echo "FAIL: snapshots differ"; failures=$((failures + 1)); }
if python3 - "$db" "$dir/restored.db" <<'PY'
import sqlite3, sys
a, b = (sqlite3.connect(p) for p in sys.argv[1:3])
tables = [r[0] for r in a.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
# the audit chain and its head belong to each database: the restore chains its own entry after them
tables = [t for t in tables if t != "audit_head"]
bad = 0
for t in tables:
    skip = " WHERE operation <> 'restore_snapshot'" if t == "audit" else ""
    x = sorted(map(repr, a.execute(f"SELECT * FROM {t}")))
    y = sorted(map(repr, b.execute(f"SELECT * FROM {t}{skip}")))
    print(f"{t}: {len(x)} rows, restored {len(y)}")
    bad += x != y
restores = b.execute("SELECT count(*) FROM audit WHERE operation = 'restore_snapshot' AND kind = 'database'").fetchone()[0]
print(f"restore entries: {restores}")
sys.exit(1 if bad or restores != 1 or len(tables) < 10 else 0)
PY
then echo "ok: every table restored row by row"; else echo "FAIL: restored tables differ"; failures=$((failures + 1)); fi
expect 0 "customers from the restored snapshot" "$crmctl" --db "$dir/restored.db" customers --at 2025-12-31T18:00
contains "$dir/out" "C-107" "the restored snapshot has the converted customers"
expect 0 "snapshot import again" "$crmctl" --db "$dir/restored.db" snapshot import "$dir/one.snapshot"
expect 0 "snapshot export after the second import" "$crmctl" --db "$dir/restored.db" snapshot export "$dir/three.snapshot"
cmp -s "$dir/one.snapshot" "$dir/three.snapshot" && echo "ok: a repeated restore adds nothing" || { echo "FAIL: a repeated restore changed the data"; failures=$((failures + 1)); }
# The audit chain (README "Security"): it holds on the demo; an entry edited by raw SQL is named.
expect 0 "audit verify" "$crmctl" --db "$dir/restored.db" audit verify
contains "$dir/out" '"holds":true' "the restored audit chain holds"
cp "$dir/restored.db" "$dir/tampered.db"
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript("DROP TRIGGER audit_no_update; UPDATE audit SET actor = '"'"'x'"'"' WHERE seq = 2;")' "$dir/tampered.db"
expect 2 "audit verify on a tampered file" "$crmctl" --db "$dir/tampered.db" audit verify
contains "$dir/out" '"problem":"altered","seq":2' "the altered entry named"
expect 1 "audit with no verb" "$crmctl" --db "$dir/restored.db" audit
# The host key comes from a file readable by its owner only.
printf '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n' >"$dir/key"
chmod 644 "$dir/key"
expect 1 "a key file others can read" "$crmctl" --db "$dir/keyed.db" --key-file "$dir/key" policy put "$policy"
contains "$dir/err" "chmod 600" "the open key file refused with the fix"
chmod 600 "$dir/key"
expect 0 "a keyed database made by policy put" "$crmctl" --db "$dir/keyed.db" --key-file "$dir/key" policy put "$policy"
chmod 644 "$dir/key"
expect 1 "a key file others can read, reading" "$crmctl" --db "$dir/keyed.db" --key-file "$dir/key" audit verify
contains "$dir/err" "chmod 600" "the open key file refused when reading"
chmod 600 "$dir/key"
expect 0 "audit verify with a key" "$crmctl" --db "$dir/keyed.db" --key-file "$dir/key" audit verify
printf 'ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100\n' >"$dir/wrong"
chmod 600 "$dir/wrong"
expect 2 "the wrong key" "$crmctl" --db "$dir/keyed.db" --key-file "$dir/wrong" audit verify
contains "$dir/err" "does not unseal" "the wrong key refused"
CRMCTL_KEY_FILE="$dir/key" expect 0 "the key from CRMCTL_KEY_FILE" "$crmctl" --db "$dir/keyed.db" audit verify
# A snapshot encrypted whole with a passphrase from a file.
printf 'correct horse battery\n' >"$dir/pass"
chmod 600 "$dir/pass"
expect 0 "sealed snapshot export" "$crmctl" --db "$db" snapshot export "$dir/sealed.snapshot" --passphrase-file "$dir/pass"
head -c 27 "$dir/sealed.snapshot" | grep -q "crmpolicy-sealed-snapshot" && ! grep -q "C-107" "$dir/sealed.snapshot" &&
  echo "ok: the sealed snapshot shows nothing" || { echo "FAIL: sealed snapshot"; failures=$((failures + 1)); }
expect 2 "sealed snapshot without its passphrase" "$crmctl" --db "$dir/sealed.db" snapshot import "$dir/sealed.snapshot"
contains "$dir/err" "give its passphrase" "the passphrase asked for"
expect 0 "sealed snapshot import" "$crmctl" --db "$dir/sealed.db" snapshot import "$dir/sealed.snapshot" --passphrase-file "$dir/pass"
expect 0 "customers from the sealed snapshot" "$crmctl" --db "$dir/sealed.db" customers --at 2025-12-31T18:00
contains "$dir/out" "C-107" "the sealed snapshot restored"
head -c 1000 "$dir/one.snapshot" >"$dir/cut.snapshot"
expect 2 "truncated snapshot" "$crmctl" --db "$dir/empty.db" snapshot import "$dir/cut.snapshot"
contains "$dir/err" "truncated" "truncated snapshot refused"
# The same tool on PostgreSQL (issue 15): the demo through a URI gives the same report, byte for byte.
pg=${CRMPOLICY_TEST_POSTGRES:-}
if [ -z "$pg" ]; then
  echo "FAIL: CRMPOLICY_TEST_POSTGRES is not set: run the tests under scripts/with-postgres.sh"; failures=$((failures + 1))
else
  # A schema of its own, so that a run beside a long-lived server starts empty too.
  schema="crmctl_$$_$(date +%s)"
  psql -q "$pg" -c "CREATE SCHEMA $schema" || { echo "FAIL: cannot create schema $schema"; failures=$((failures + 1)); }
  case "$pg" in *\?*) pg="$pg&options=-csearch_path%3D$schema" ;; *) pg="$pg?options=-csearch_path%3D$schema" ;; esac
  expect 0 "demo on PostgreSQL" "$crmctl" demo --db "$pg"
  contains "$dir/out" "3895 demands, 17885 events, 107 customers" "demo recorded on PostgreSQL"
  expect 0 "report on SQLite" "$crmctl" --db "$db" report --at 2025-12-31T18:00 --by department --format csv -o "$dir/sqlite.csv"
  expect 0 "report on PostgreSQL" "$crmctl" --db "$pg" report --at 2025-12-31T18:00 --by department --format csv -o "$dir/pg.csv"
  cmp -s "$dir/sqlite.csv" "$dir/pg.csv" && echo "ok: the same report from both engines" || { echo "FAIL: reports differ between engines"; failures=$((failures + 1)); }
  expect 0 "customers on PostgreSQL" "$crmctl" --db "$pg" churn --at 2025-12-31T18:00
  expect 0 "work list on PostgreSQL" "$crmctl" --db "$pg" due --at 2025-12-31T18:00
fi
# Hostile files: a row far wider than the header, a field past 1 MB, an NDJSON line nested 100,000 deep.
{ printf 'id,received_at\n'; python3 -c 'print(",".join(["x"] * 100000))'; } >"$dir/wide.csv"
expect 2 "csv row with 100,000 fields" "$crmctl" --db "$fresh" import "$dir/wide.csv"
contains "$dir/err" "wide.csv:2: more than 64 fields" "wide csv row refused with its line"
{ printf 'id,title\n"'; python3 -c 'print("x" * 1100000, end="")'; printf '",t\n'; } >"$dir/long.csv"
expect 2 "csv field past 1 MB" "$crmctl" --db "$fresh" import "$dir/long.csv"
contains "$dir/err" "long.csv:2: field 1 longer than 1048576 bytes" "long csv field refused with its line"
# Found writing csv_input_fuzz: a GBK cell, a column named twice and a 30-digit time are refused with
# their line, never an uncaught exception.
printf 'id,received_at,title\nG-1,2025-10-09,\xc9\xe8\xb1\xb8\n' >"$dir/gbk.csv"
expect 2 "csv cell that is not UTF-8" "$crmctl" --db "$fresh" import "$dir/gbk.csv"
contains "$dir/err" "gbk.csv:2: column title: not UTF-8" "a non-UTF-8 cell named by line and column"
printf 'id,title,title\nT-1,a,b\n' >"$dir/twice.csv"
expect 2 "csv column named twice" "$crmctl" --db "$fresh" import "$dir/twice.csv"
contains "$dir/err" "twice.csv:1: column \"title\" appears twice" "a repeated column refused"
printf 'id,received_at\nE-1,999999999999999999999999999999\n' >"$dir/epoch.csv"
expect 2 "csv time of 30 digits" "$crmctl" --db "$fresh" import "$dir/epoch.csv"
contains "$dir/err" "epoch.csv:2: column received_at" "an overflowing time refused with its line"
python3 -c 'print("[" * 100000 + "]" * 100000)' >"$dir/deep.ndjson"
expect 2 "ndjson line nested 100,000 deep" "$crmctl" --db "$fresh" import "$dir/deep.ndjson"
contains "$dir/err" "nesting deeper than 64 levels" "deep ndjson line refused naming the limit"

expect 1 "no command" "$crmctl"
expect 1 "unknown command" "$crmctl" --db "$fresh" frobnicate
expect 1 "bad time" "$crmctl" --db "$fresh" due --at tomorrow
expect 1 "bad format" "$crmctl" --db "$fresh" report --format pdf
expect 1 "bad period" "$crmctl" --db "$fresh" report --period fortnight
contains "$dir/err" "fortnight" "the bad value named"
contains "$dir/err" "crmctl report --help" "a hint to the command's help"
expect 1 "a misspelt option" "$crmctl" --db "$fresh" report --frm 2025-01-01
contains "$dir/err" "--frm" "the misspelt option named"
expect 1 "an option of another command" "$crmctl" --db "$fresh" due --format csv
expect 0 "a command's help" "$crmctl" report --help
contains "$dir/out" "--period" "report --help lists its options"
contains "$dir/out" "half_year" "report --help lists the periods"
expect 0 "help" "$crmctl" --help
contains "$dir/out" "collection-due" "--help lists the commands"
expect 0 "version" "$crmctl" --version
grep -qE '^crmctl [0-9]+\.[0-9]+\.[0-9]+' "$dir/out" && echo "ok: --version prints the version" || { echo "FAIL: --version"; failures=$((failures + 1)); }
expect 0 "bash completion" "$crmctl" completion bash
bash -n "$dir/out" && echo "ok: the completion script parses" || { echo "FAIL: completion script"; failures=$((failures + 1)); }
cp "$dir/out" "$dir/completion.bash"
# shellcheck disable=SC1091
(source "$dir/completion.bash"; COMP_WORDS=(crmctl rep); COMP_CWORD=1; _crmctl; [ "${COMPREPLY[*]}" = "report" ]) &&
  echo "ok: completion of a command" || { echo "FAIL: completion of a command"; failures=$((failures + 1)); }
(source "$dir/completion.bash"; COMP_WORDS=(crmctl report --per); COMP_CWORD=2; _crmctl; [ "${COMPREPLY[*]}" = "--period" ]) &&
  echo "ok: completion of an option" || { echo "FAIL: completion of an option"; failures=$((failures + 1)); }
# Reads never create a database; a mistyped --db says the file does not exist.
expect 2 "a read of a database that does not exist" "$crmctl" --db "$dir/typo.db" report
contains "$dir/err" "no such database" "the missing database named"
[ ! -e "$dir/typo.db" ] && echo "ok: no database created by a read" || { echo "FAIL: a read created a database"; failures=$((failures + 1)); }
expect 2 "calendar of a database that does not exist" "$crmctl" --db "$dir/typo.db" calendar
expect 0 "policy check needs no database" "$crmctl" --db "$dir/typo.db" policy check "$policy"
[ ! -e "$dir/typo.db" ] && echo "ok: no database created by policy check" || { echo "FAIL: policy check created a database"; failures=$((failures + 1)); }
# watch: the change feed as NDJSON up to an instant, the cursor kept in a file: a second run
# from it prints nothing; --exec runs a command per change with the change on stdin.
expect 0 "watch up to an instant" "$crmctl" --db "$db" watch --until 2025-12-31T18:00 --cursor "$dir/watch.cursor"
[ "$(wc -l < "$dir/out")" -gt 1000 ] && echo "ok: watch prints one line per change" || { echo "FAIL: watch lines"; failures=$((failures + 1)); }
contains "$dir/out" '{"kind":"recorded","at":' "watch prints recorded demands"
contains "$dir/out" '"kind":"breached"' "watch prints breaches"
contains "$dir/out" '"recipients":[{"owner":' "watch prints escalation recipients"
python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$dir/out" && echo "ok: every watch line is JSON" || { echo "FAIL: watch JSON"; failures=$((failures + 1)); }
expect 0 "watch again from its cursor" "$crmctl" --db "$db" watch --until 2025-12-31T18:00 --cursor "$dir/watch.cursor"
[ ! -s "$dir/out" ] && echo "ok: the stored cursor prints nothing twice" || { echo "FAIL: watch repeated changes"; failures=$((failures + 1)); }
small=$dir/small.db
expect 0 "a small ledger for --exec" "$crmctl" --db "$small" policy put "$policy"
printf '%s\n' '{"id":"W-1","received_at":1740963600,"channel":"phone","title":"生产线设备停机，请尽快维修"}' \
  '{"id":"W-2","received_at":1740963600,"channel":"email","title":"咨询价格"}' \
  '{"type":"acknowledged","demand":"W-2","at":1740967200,"actor":"li"}' > "$dir/small.ndjson"
expect 0 "import the small ledger" "$crmctl" --db "$small" import "$dir/small.ndjson"
expect 0 "watch the small ledger" "$crmctl" --db "$small" watch --until 2025-03-04T18:00 --cursor "$dir/small.cursor"
lines=$(wc -l < "$dir/out")
expect 0 "watch --exec" "$crmctl" --db "$small" watch --until 2025-03-04T18:00 --cursor "$dir/exec.cursor" \
  --exec "cat >> '$dir/exec.out'; echo \"\$CRM_CHANGE_KIND \$CRM_CHANGE_DEMAND\" >> '$dir/exec.env'"
[ "$lines" -gt 5 ] && [ "$(wc -l < "$dir/exec.out")" = "$lines" ] && echo "ok: --exec ran once per change" || { echo "FAIL: --exec count"; failures=$((failures + 1)); }
contains "$dir/exec.env" "breached W-1" "--exec sees the change in its environment"
expect 3 "watch --exec failing" "$crmctl" --db "$small" watch --until 2025-03-04T18:00 --cursor "$dir/fail.cursor" --exec false
[ ! -e "$dir/fail.cursor" ] && echo "ok: a failed --exec keeps the cursor" || { echo "FAIL: cursor moved past a failed --exec"; failures=$((failures + 1)); }
expect 0 "watch from the end" "$crmctl" --db "$small" watch --start end --once --cursor "$dir/end.cursor"
[ ! -s "$dir/out" ] && [ -s "$dir/end.cursor" ] && echo "ok: --start end prints no history" || { echo "FAIL: --start end"; failures=$((failures + 1)); }
expect 1 "watch --start soon" "$crmctl" --db "$small" watch --start soon --once
expect 1 "watch --poll 0" "$crmctl" --db "$small" watch --once --poll 0
"$crmctl" --db "$small" watch --cursor "$dir/term.cursor" --poll 5 > "$dir/term.out" 2>&1 &
watcher=$!
sleep 2; kill -TERM "$watcher"; wait "$watcher"
[ $? = 0 ] && echo "ok: watch stops on SIGTERM" || { echo "FAIL: watch on SIGTERM"; failures=$((failures + 1)); }
expect 3 "storage error" "$crmctl" --db "$dir/no/such/dir/x.db" policy put "$policy"

# Customers and prospects of the demo.
expect 0 "customers" "$crmctl" --db "$db" customers --at 2025-12-31T18:00
contains "$dir/out" "large (key)" "customers per tier"
contains "$dir/out" "C-001" "customer list"
expect 0 "collection-due" "$crmctl" --db "$db" collection-due --at 2025-12-31T18:00
contains "$dir/out" "due for needs collection" "collection-due summary"
contains "$dir/out" "overdue" "collection-due statuses"
expect 0 "churn" "$crmctl" --db "$db" churn --at 2025-12-31T18:00
contains "$dir/out" "churn warnings" "churn summary"
contains "$dir/out" "complaint(s) open" "churn names its reasons"
grep -qE "13[0-9]{9}" "$dir/out" && echo "ok: admin sees phone numbers" || { echo "FAIL: admin phones"; failures=$((failures + 1)); }
expect 0 "churn as a service clerk" "$crmctl" --db "$db" churn --at 2025-12-31T18:00 --as zhou.min:service:销售部
grep -qE "13[0-9]{9}" "$dir/out" && { echo "FAIL: a service clerk sees phone numbers"; failures=$((failures + 1)); } || echo "ok: phones masked for service"
contains "$dir/out" "****" "masked phones shown"
expect 0 "prospects" "$crmctl" --db "$db" prospects --at 2025-12-31T18:00
contains "$dir/out" "prospect(s)" "prospect list"
expect 0 "prospects --due" "$crmctl" --db "$db" prospects --due --at 2025-12-31T18:00
contains "$dir/out" "follow-up(s) due" "prospect follow-ups"
expect 0 "prospects --funnel" "$crmctl" --db "$db" prospects --funnel --at 2025-12-31T18:00 --by owner
contains "$dir/out" "total" "funnel totals"
expect 2 "an unknown role is refused" "$crmctl" --db "$db" customers --as x:intern
contains "$dir/err" "permission denied" "denial message"
expect 1 "a malformed --as" "$crmctl" --db "$db" churn --as nobody

# Appending events, the weekly check, the relationship goals, the audit log, reports in English.
expect 0 "event" "$crmctl" --db "$fresh" event C-1 acknowledged --at 2025-10-09T11:00 --actor 李伟
contains "$dir/out" "recorded acknowledged on C-1 at 2025-10-09 11:00" "event confirmed in local time"
expect 0 "the event in the ledger" "$crmctl" --db "$fresh" demand show C-1 --at 2025-10-10
contains "$dir/out" "acknowledged" "demand show lists the appended event"
contains "$dir/out" "李伟" "the event's actor"
expect 0 "event with fields" "$crmctl" --db "$fresh" event C-1 reassigned --at 2025-10-09T12:00 --field owner=wang --field department=销售部
expect 2 "event on an unknown demand" "$crmctl" --db "$fresh" event NOPE acknowledged
contains "$dir/err" "NOPE" "the unknown demand named"
expect 1 "event with a malformed field" "$crmctl" --db "$fresh" event C-1 progress --field note
expect 2 "event that the state machine refuses" "$crmctl" --db "$fresh" event C-1 reopened --at 2025-10-09T13:00
expect 0 "weekly" "$crmctl" --db "$db" weekly --at 2025-12-31T18:00
contains "$dir/out" "Week 2026-W01 (2025-12-29 to 2026-01-04)" "the ISO week of the instant"
contains "$dir/out" "黄强" "weekly lists owners"
contains "$dir/out" "total" "weekly totals"
# The ledger's commands as a user (--as): the library's access rules, the role's scope.
expect 0 "due as a salesman" "$crmctl" --db "$db" due --at 2025-12-31T18:00 --as 黄强:sales
contains "$dir/out" "黄强" "his own targets"
lacks "$dir/out" "李伟" "no other owner's"
expect 2 "due as a salesman for another owner" "$crmctl" --db "$db" due --at 2025-12-31T18:00 --as 黄强:sales --owner 李伟
contains "$dir/err" "outside the acting user's scope" "the scope named"
expect 0 "weekly as a salesman" "$crmctl" --db "$db" weekly --at 2025-12-31T18:00 --as 黄强:sales
contains "$dir/out" "黄强" "his own week"
lacks "$dir/out" "李伟" "no other owner's week"
expect 0 "demand show as its owner" "$crmctl" --db "$db" demand show D-2025-00009 --at 2025-12-31T18:00 --as 黄强:sales
expect 2 "demand show as another salesman" "$crmctl" --db "$db" demand show D-2025-00009 --at 2025-12-31T18:00 --as 李伟:sales
contains "$dir/err" "permission denied" "refused, not shown"
expect 0 "report as a salesman" "$crmctl" --db "$db" report --at 2025-12-31T18:00 --by owner --format csv --as 黄强:sales
contains "$dir/out" ",黄强," "his rows"
lacks "$dir/out" ",李伟," "no other owner's rows"
expect 2 "import as a salesman (imports need scope all)" "$crmctl" --db "$fresh" import "$dir/in.ndjson" --as 黄强:sales
expect 0 "event as a user is the user's" "$crmctl" --db "$fresh" event C-1 progress --at 2025-10-09T14:00 --as wu.gang:admin
expect 0 "the user's event in the ledger" "$crmctl" --db "$fresh" demand show C-1 --at 2025-10-10 --as wu.gang:admin
contains "$dir/out" "wu.gang" "the event's actor is the acting user"
expect 2 "event as a user for another actor" "$crmctl" --db "$fresh" event C-1 progress --at 2025-10-09T15:00 --as wu.gang:admin --actor 李伟
expect 0 "goals" "$crmctl" --db "$db" goals --at 2025-12-31T18:00 --format json
contains "$dir/out" '"metric": "survey_satisfaction"' "the relationship goals"
expect 0 "goals as tables" "$crmctl" --db "$db" goals --at 2025-12-31T18:00
contains "$dir/out" "本季度客户满意度达到90%以上 (survey_satisfaction) — per quarter, at least 90.0%" "a goal in the policy's words"
contains "$dir/out" "2025-Q2" "a row per goal period"
expect 0 "audit list" "$crmctl" --db "$db" audit list --from 2025-12-30
contains "$dir/out" '"entries"' "audit entries"
expect 2 "audit list as a salesman" "$crmctl" --db "$db" audit list --as li:sales
expect 0 "report in English" "$crmctl" --db "$db" report --at 2025-12-31T18:00 --format html --lang en -o "$dir/en.html"
contains "$dir/en.html" "<html lang='en'>" "the English page says so"
contains "$dir/en.html" "Trend against goals" "English headings"
expect 0 "report in the policy's language" env LANG=C.UTF-8 "$crmctl" --db "$db" report --at 2025-12-31T18:00 --format html -o "$dir/zh.html"
contains "$dir/zh.html" "<html lang='zh-CN'>" "the sample policy's reports are Chinese"
contains "$dir/zh.html" "目标达成趋势" "Chinese headings"
contains "$dir/zh.html" "已超时" "statuses in Chinese"
# CSV as Excel and WPS save it: UTF-8 with a byte order mark, or GBK.
printf '\xef\xbb\xbfid,received_at,channel,title,owner\nB-1,2025-10-09T10:00,phone,带BOM的文件,li\n' >"$dir/bom.csv"
expect 0 "csv with a byte order mark" "$crmctl" --db "$fresh" import "$dir/bom.csv"
printf 'id,received_at,channel,title,owner\nG-1,2025-10-09T10:00,phone,\xc9\xe8\xb1\xb8\xb9\xca\xd5\xcf,li\n' >"$dir/gbk.csv"
expect 2 "gbk csv read as UTF-8" "$crmctl" --db "$fresh" import "$dir/gbk.csv"
contains "$dir/err" "gbk.csv:2: column title: not UTF-8" "the GBK cell named with file and line"
contains "$dir/err" "--encoding gbk" "a hint to the encoding option"
expect 0 "gbk csv" "$crmctl" --db "$fresh" import "$dir/gbk.csv" --encoding gbk
expect 0 "the gbk demand" "$crmctl" --db "$fresh" demand show G-1 --at 2025-10-10
contains "$dir/out" "设备故障" "GBK decoded"
printf 'id,received_at,channel,title,owner\nG-2,2025-10-09T10:00,phone,\xc9\xff,li\n' >"$dir/badgbk.csv"
expect 2 "a byte GBK does not have" "$crmctl" --db "$fresh" import "$dir/badgbk.csv" --encoding gbk
contains "$dir/err" "badgbk.csv:2: not GBK text" "the undecodable line named"
expect 1 "an unknown encoding" "$crmctl" --db "$fresh" import "$dir/gbk.csv" --encoding latin1
expect 1 "an encoding for NDJSON" "$crmctl" --db "$fresh" import "$dir/deep.ndjson" --encoding gbk
# Stored policy versions: listed, shown as stored, compared.
sed 's/"version": "2025.1"/"version": "2025.2"/; s/"min": 0.95/"min": 0.97/' "$policy" >"$dir/policy2.json"
expect 0 "a second policy version" "$crmctl" --db "$fresh" policy put "$dir/policy2.json"
expect 0 "policy list" "$crmctl" --db "$fresh" policy list
contains "$dir/out" "2025.1" "the first version listed"
contains "$dir/out" "2025.2" "the second version listed"
contains "$dir/out" "cn-office: cn " "the calendar data each was built with"
expect 0 "policy show" "$crmctl" --db "$fresh" policy show precise-customer-demand-management 2025.1
cmp -s "$dir/out" "$policy" && echo "ok: policy show prints the document as stored" || { echo "FAIL: policy show"; failures=$((failures + 1)); }
expect 0 "policy show latest" "$crmctl" --db "$fresh" policy show
contains "$dir/out" '"version": "2025.2"' "the latest version by default"
expect 0 "policy diff" "$crmctl" --db "$fresh" policy diff 2025.1 2025.2
contains "$dir/out" '~ /version: "2025.1" -> "2025.2"' "the version change"
contains "$dir/out" '-> 0.97' "the goal change"
contains "$dir/out" "change(s) from 2025.1 to 2025.2" "the count of changes"
expect 2 "policy diff with an unknown version" "$crmctl" --db "$fresh" policy diff 2025.1 1999
contains "$dir/err" "1999" "the unknown version named"
expect 1 "policy with a bad verb" "$crmctl" --db "$fresh" policy frob
# NDJSON with local times, like CSV.
printf '{"id":"L-1","received_at":"2025-10-09T10:00","title":"本地时间","channel":"phone","owner":"li"}\n{"type":"acknowledged","demand":"L-1","at":"2025-10-09T10:30+08:00","actor":"li"}\n' >"$dir/local.ndjson"
expect 0 "ndjson with local times" "$crmctl" --db "$fresh" import "$dir/local.ndjson"
expect 0 "its demand" "$crmctl" --db "$fresh" demand show L-1 --at 2025-10-10
contains "$dir/out" "2025-10-09 10:00" "received at the local time given"
contains "$dir/out" "2025-10-09 10:30" "acknowledged at the offset time given"
printf '{"id":"N-2","received_at":"yesterday","title":"x","channel":"phone","owner":"li"}\n' >"$dir/badtime.ndjson"
expect 2 "ndjson with a bad time" "$crmctl" --db "$fresh" import "$dir/badtime.ndjson"
contains "$dir/err" "badtime.ndjson:1: " "the bad time named with file and line"
# CSV reports for Excel: a byte order mark, formulas neutralised.
expect 0 "csv report" "$crmctl" --db "$db" report --at 2025-12-31T18:00 --format csv -o "$dir/r.csv"
head -c 3 "$dir/r.csv" | od -An -tx1 | grep -q "ef bb bf" && echo "ok: the CSV report starts with a BOM" || { echo "FAIL: CSV BOM"; failures=$((failures + 1)); }

# Languages: --lang, else LC_ALL / LC_MESSAGES / LANG when it names Chinese or English, else the policy's.
expect 0 "the policy's language when the environment names none" env LANG=C.UTF-8 "$crmctl" --db "$db" due --at 2025-12-31T18:00 --owner 黄强
contains "$dir/out" "责任人" "the work list's headings in Chinese"
contains "$dir/out" "有超时风险、已超时或在" "the work list's summary in Chinese"
grep -qE "已超时|有超时风险" "$dir/out" && echo "ok: statuses from the library's catalogue" || { echo "FAIL: statuses in Chinese"; failures=$((failures + 1)); }
grep -q "breached\|at_risk\|owner" "$dir/out" && { echo "FAIL: English left in the Chinese work list"; cat "$dir/out"; failures=$((failures + 1)); } || echo "ok: no English left in the work list"
expect 0 "LANG names English" env LANG=en_GB.UTF-8 "$crmctl" --db "$db" due --at 2025-12-31T18:00 --owner 黄强
contains "$dir/out" "owner" "English headings under LANG=en_GB"
expect 0 "LC_ALL before LANG" env LC_ALL=zh_CN.UTF-8 LANG=en_US.UTF-8 "$crmctl" --db "$db" weekly --at 2025-12-31T18:00
contains "$dir/out" "合计" "LC_ALL=zh_CN gives Chinese"
expect 0 "--lang before the environment" env LC_ALL=en_US.UTF-8 "$crmctl" --lang zh-CN --db "$db" report --at 2025-12-31T18:00 --by urgency
contains "$dir/out" "需立即关注" "the report's tables in Chinese"
contains "$dir/out" "紧急" "urgencies from the library's catalogue"
contains "$dir/out" "按月" "the period kind in Chinese"
expect 0 "--lang after the command" env LANG=C "$crmctl" --db "$db" demand show D-2025-00001 --at 2025-12-31T18:00 --lang en
contains "$dir/out" "channel" "demand show in English"
expect 0 "demand show in Chinese" env LANG=C "$crmctl" --db "$db" demand show D-2025-00001 --at 2025-12-31T18:00
contains "$dir/out" "渠道" "demand show's line in Chinese"
contains "$dir/out" "已受理" "event types from the library's catalogue"
expect 0 "goals in Chinese" env LANG=C "$crmctl" --db "$db" goals --at 2025-12-31T18:00
contains "$dir/out" "按季度考核，下限 90.0%" "the goal's line in Chinese"
contains "$dir/out" "分子 / 分母" "the goal table's headings in Chinese"
expect 0 "calendar in Chinese" "$crmctl" --lang zh-CN calendar "$(dirname "$0")/../data/policies/demand-management.json" --year 2026
contains "$dir/out" "调休上班日" "special days' kinds in Chinese"
contains "$dir/out" "周日" "weekdays in Chinese"
expect 0 "policy check speaks the policy's language" env LANG=C "$crmctl" policy check "$(dirname "$0")/../data/policies/demand-management.json"
contains "$dir/out" "有效（日历：" "policy check in Chinese"
expect 1 "a usage error in Chinese" "$crmctl" --lang zh-CN --db "$db" due --limit x
contains "$dir/err" "--limit：应为数字" "crmctl's own message translated"
expect 1 "an unknown option's hint in Chinese" env LANG=zh_CN.UTF-8 "$crmctl" --db "$db" due --frm x
contains "$dir/err" "用法见 'crmctl due --help'" "the hint translated"
expect 2 "the library's errors stay English" env LANG=zh_CN.UTF-8 "$crmctl" --db "$db" report --at 2025-12-31T18:00 --period quarter --by nonsense
contains "$dir/err" "/by" "the library's message, naming the field"
expect 1 "--lang takes zh-CN or en" "$crmctl" --lang fr --db "$db" due

# The Python example against the demo database.
if command -v python3 >/dev/null; then
  expect 0 "python report example" python3 "$(dirname "$0")/../examples/python/report.py" "$lib" "$db"
  contains "$dir/out" "2025-12" "python prints the months"
fi
echo "crmctl: $failures failure(s)"
[ "$failures" = 0 ]
