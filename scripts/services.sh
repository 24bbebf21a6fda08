#!/usr/bin/env bash
# Starts or stops the database servers the test suite can use, on 127.0.0.1 with their data in a
# temporary folder: `scripts/services.sh start` prints the settings (and keeps them in
# $GREENROOM_SERVICES_DIR/env); `scripts/services.sh stop` removes everything it made.
# `halt` stops the PostgreSQL server but keeps its data, `resume` starts it again on the same port:
# the outage test uses them on a cluster of its own. The PostgreSQL server has a streaming read
# replica (a hot standby made with pg_basebackup) for the read-replica test.
# PostgreSQL comes from Debian's `postgresql` package, Redis from Debian's `redis-server`, the S3 API
# from scripts/s3-server.mjs (an npm package; see there). No MongoDB server can be installed on these
# machines; point MONGODB_TEST_URI at one to include it.
set -euo pipefail

state_dir=${GREENROOM_SERVICES_DIR:-/tmp/greenroom-services}
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)

as_postgres_owner() {
  # PostgreSQL refuses to run as root: as root, run it as the `postgres` user.
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

start_postgres() {
  # fsync off: a throw-away cluster for tests, where speed matters and durability does not.
  as_postgres_owner "'$pg_bin/pg_ctl' -D '$state_dir/${2:-pg}' -l '$state_dir/${2:-pg}.log' -w \
    -o \"-p $1 -k '$state_dir' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200\" start" >/dev/null
}

start_replica() {
  # A copy of the running primary that follows its WAL over a replication connection (-R writes
  # primary_conninfo and standby.signal); it answers read-only queries while it replays.
  as_postgres_owner "'$pg_bin/pg_basebackup' -h 127.0.0.1 -p $1 -U postgres -D '$state_dir/pg-replica' -R -X stream --no-sync" \
    >"$state_dir/basebackup.log" 2>&1
  start_postgres "$2" pg-replica
}

start_redis() {
  redis-server --port "$1" --bind 127.0.0.1 --dir "$state_dir" --save '' --appendonly no \
    --daemonize yes --pidfile "$state_dir/redis.pid" --logfile "$state_dir/redis.log"
}

start_s3() {
  mkdir -p "$state_dir/s3"
  nohup node "$(dirname "$0")/s3-server.mjs" "$1" "$state_dir/s3" >"$state_dir/s3.log" 2>&1 &
  echo $! >"$state_dir/s3.pid"
}

wait_for_port() {
  for _ in $(seq 1 100); do
    node -e "require('net').connect($1,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))" && return 0
    sleep 0.1
  done
  echo "nothing answers on 127.0.0.1:$1 ($2)" >&2
  return 1
}

stop_pid_file() {
  if [ -f "$1" ]; then kill "$(cat "$1")" 2>/dev/null || true; fi
}

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

case "${1:-}" in
  start)
    if [ -z "$pg_bin" ]; then
      echo "PostgreSQL is not installed: apt-get install -y postgresql" >&2
      exit 1
    fi
    if ! command -v redis-server >/dev/null 2>&1; then
      echo "Redis is not installed: apt-get install -y redis-server" >&2
      exit 1
    fi
    "$0" stop >/dev/null 2>&1 || true
    mkdir -p "$state_dir"
    [ "$(id -u)" = 0 ] && chown postgres "$state_dir"
    port=$(free_port)
    echo "$port" >"$state_dir/port"
    as_postgres_owner "'$pg_bin/initdb' -D '$state_dir/pg' -A trust -U postgres --no-sync" >"$state_dir/initdb.log" 2>&1
    start_postgres "$port"
    replica_port=$(free_port)
    start_replica "$port" "$replica_port"
    redis_port=$(free_port)
    start_redis "$redis_port"
    s3_port=$(free_port)
    start_s3 "$s3_port"
    wait_for_port "$redis_port" redis
    wait_for_port "$s3_port" "S3 API, see $state_dir/s3.log"
    {
      echo "TEST_POSTGRES_URI=postgres://postgres@127.0.0.1:$port/postgres"
      echo "TEST_POSTGRES_REPLICA_URI=postgres://postgres@127.0.0.1:$replica_port/postgres"
      echo "TEST_REDIS_URL=redis://127.0.0.1:$redis_port"
      echo "TEST_S3_ENDPOINT=http://127.0.0.1:$s3_port"
    } >"$state_dir/env"
    cat "$state_dir/env"
    ;;
  halt)
    as_postgres_owner "'$pg_bin/pg_ctl' -D '$state_dir/pg' -m fast -w stop" >/dev/null
    ;;
  resume)
    start_postgres "$(cat "$state_dir/port")"
    ;;
  stop)
    stop_pid_file "$state_dir/redis.pid"
    stop_pid_file "$state_dir/s3.pid"
    if [ -n "$pg_bin" ] && [ -d "$state_dir/pg-replica" ]; then
      as_postgres_owner "'$pg_bin/pg_ctl' -D '$state_dir/pg-replica' -m fast -w stop" >/dev/null 2>&1 || true
    fi
    if [ -n "$pg_bin" ] && [ -d "$state_dir/pg" ]; then
      as_postgres_owner "'$pg_bin/pg_ctl' -D '$state_dir/pg' -m fast -w stop" >/dev/null 2>&1 || true
    fi
    rm -rf "$state_dir"
    ;;
  *)
    echo "usage: $0 start|stop|halt|resume" >&2
    exit 2
    ;;
esac
