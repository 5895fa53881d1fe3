#!/usr/bin/env bash
# Builds mpc-system/infra:bookworm, PostgreSQL 15 and Redis 7 from Debian's packages, for the
# system test that runs the services in containers where no registry can be reached (the
# compose file's postgres and redis images come from Docker Hub). Needs root (debootstrap).
#   docker/infra-image.sh target/infra-image.tar && docker load -i target/infra-image.tar
#   docker run --user postgres -e POSTGRES_USER=.. -e POSTGRES_PASSWORD=.. -e POSTGRES_DB=.. mpc-system/infra:bookworm mpc-postgres
#   docker run --user redis mpc-system/infra:bookworm mpc-redis
set -euo pipefail
out=$(realpath -m "${1:?usage: infra-image.sh OUT.tar}")
overlay=$(mktemp -d)
trap 'rm -rf "$overlay"' EXIT
# copied over the root with its modes: the overlay's own directories must be those of the root
chmod 755 "$overlay"
mkdir -p "$overlay/usr/local/bin"
cat >"$overlay/usr/local/bin/mpc-postgres" <<'SH'
#!/bin/sh
# a database made on first start with the given user, password and database, then PostgreSQL
# listening on every address with password (SCRAM) authentication only
set -eu
: "${POSTGRES_USER:?}" "${POSTGRES_PASSWORD:?}" "${POSTGRES_DB:?}"
bin=/usr/lib/postgresql/15/bin
data=${PGDATA:-/var/lib/postgresql/data}
if [ ! -s "$data/PG_VERSION" ]; then
  pw=$(mktemp)
  printf '%s' "$POSTGRES_PASSWORD" >"$pw"
  "$bin/initdb" -D "$data" -U "$POSTGRES_USER" --pwfile="$pw" --auth=scram-sha-256 >/dev/null
  rm -f "$pw"
  echo "host all all 0.0.0.0/0 scram-sha-256" >>"$data/pg_hba.conf"
  "$bin/pg_ctl" -D "$data" -o "-c listen_addresses='' -k /tmp" -w start >/dev/null
  PGPASSWORD=$POSTGRES_PASSWORD "$bin/createdb" -h /tmp -U "$POSTGRES_USER" "$POSTGRES_DB"
  "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
fi
exec "$bin/postgres" -D "$data" -c listen_addresses='*' -k /tmp
SH
cat >"$overlay/usr/local/bin/mpc-redis" <<'SH'
#!/bin/sh
# no persistence and no password: the test's own network is the only one that reaches it
exec redis-server --bind 0.0.0.0 --protected-mode no --save '' --appendonly no "$@"
SH
chmod 755 "$overlay/usr/local/bin/mpc-postgres" "$overlay/usr/local/bin/mpc-redis"
MPC_BASE_PACKAGES=postgresql-15,redis-server MPC_BASE_TAG=mpc-system/infra:bookworm MPC_BASE_OVERLAY="$overlay" \
  "$(dirname "${BASH_SOURCE[0]}")/base-image.sh" "$out"
