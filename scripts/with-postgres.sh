#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs a command beside a private PostgreSQL cluster: created in a temporary directory, owned and
# run by an unprivileged user (nobody when started as root), listening on a Unix socket in that
# directory only (no TCP), with trust authentication for that socket; stopped and removed when the
# command ends, whatever its outcome. The command sees CRMPOLICY_TEST_POSTGRES, a libpq URI of a
# database it may use. A cluster that cannot start fails the run (the tests are never skipped).
#
# usage: scripts/with-postgres.sh COMMAND [ARGS...]
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [[ -z "$bin" || ! -x "$bin/initdb" ]]; then
  echo "with-postgres: PostgreSQL's server is not installed (scripts/setup.sh installs the postgresql package)" >&2
  exit 1
fi
dir=$(mktemp -d /tmp/crmpolicy-pg.XXXXXX)
chmod 755 "$dir"
as=()
if [[ $(id -u) == 0 ]]; then
  chown nobody "$dir"
  as=(runuser -u nobody --)
fi
stop() {
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
"${as[@]}" "$bin/initdb" -D "$dir/data" -U crm --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$dir'
fsync = on
max_connections = 50
EOF
# CRMPOLICY_TEST_POSTGRES_CTL: pg_ctl for this cluster (as its user), for the tests that restart
# or stop the server under a working client: "CTL start|stop|restart".
cat >"$dir/ctl" <<EOF
#!/bin/sh
exec ${as[*]} "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -m fast "\$@"
EOF
chmod 755 "$dir/ctl"
"$dir/ctl" start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
"${as[@]}" "$bin/createdb" -h "$dir" -U crm crm
export CRMPOLICY_TEST_POSTGRES="postgresql:///crm?host=$dir&user=crm" CRMPOLICY_TEST_POSTGRES_CTL="$dir/ctl"
echo "with-postgres: private cluster at $dir (PostgreSQL $("$bin/postgres" --version | awk '{print $3}'), socket only)"
status=0
"$@" || status=$?
exit "$status"
