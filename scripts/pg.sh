#!/bin/bash
# SPDX-License-Identifier: MIT
# pg.sh - a throwaway PostgreSQL cluster for tests, listening on 127.0.0.1 only.
#   scripts/pg.sh start DIR          create and start a cluster in DIR, print its URL
#   scripts/pg.sh createdb DIR NAME [TEMPLATE]
#                                    add a database owned by bureau, print its URL: empty,
#                                    or a copy of the database TEMPLATE (nobody connected to it)
#   scripts/pg.sh stop DIR           stop the cluster and remove DIR
# Quiet except for the URL; errors go to stderr with a non-zero exit status.
set -eu
umask 077

LOG=""
trap 'if [ -n "$LOG" ]; then rm -f "$LOG"; fi' EXIT

PORT_FIRST=55432
PORT_LAST=55631

die() {
    echo "pg.sh: $*" >&2
    exit 1
}

usage() {
    echo "usage: pg.sh start DIR | createdb DIR NAME [TEMPLATE] | stop DIR" >&2
    exit 2
}

# the newest installed PostgreSQL, e.g. /usr/lib/postgresql/15/bin
pg_bin() {
    local d best="" bestv=0 v
    for d in /usr/lib/postgresql/*/bin; do
        if [ ! -x "$d/initdb" ] || [ ! -x "$d/pg_ctl" ]; then continue; fi
        v=${d%/bin}
        v=${v##*/}
        v=${v%%.*}
        case $v in '' | *[!0-9]*) continue ;; esac
        if [ "$v" -gt "$bestv" ]; then
            bestv=$v
            best=$d
        fi
    done
    if [ -z "$best" ] && command -v initdb >/dev/null 2>&1; then
        best=$(dirname "$(command -v initdb)")
    fi
    [ -n "$best" ] || die "no PostgreSQL server binaries found (apt-get install postgresql)"
    echo "$best"
}

# runs a command as the postgres user when we are root (initdb refuses root)
as_pg() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

abs_dir() {
    case $1 in
    /*) echo "$1" ;;
    *) echo "$PWD/$1" ;;
    esac
}

# a cluster we made has our port file and a data directory
is_ours() {
    [ -f "$1/port" ] && [ -f "$1/data/PG_VERSION" ]
}

cleanup_failed_start() {
    local dir=$1 bin=$2
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -s stop >/dev/null 2>&1 || true
    fi
    rm -rf -- "$dir"
}

cmd_start() {
    local dir bin port log ok=0
    dir=$(abs_dir "$1")
    case $dir in *"'"* | *[[:space:]]*) die "DIR must not contain quotes or spaces: $dir" ;; esac
    if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
        die "$dir exists and is not empty"
    fi
    bin=$(pg_bin)
    unset PGDATA PGHOST PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE PGOPTIONS || true
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || die "there is no postgres user"
        chown postgres: "$dir"
        chmod 700 "$dir"
        runuser -u postgres -- test -w "$dir" ||
            { rm -rf -- "$dir"; die "user postgres cannot write $dir (check parent permissions)"; }
    fi
    log=$(mktemp)
    LOG=$log
    if ! as_pg "$bin/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$log" 2>&1; then
        cat "$log" >&2
        cleanup_failed_start "$dir" "$bin"
        die "initdb failed"
    fi
    cat >>"$dir/data/postgresql.conf" <<EOF
# added by scripts/pg.sh: a throwaway test cluster
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
logging_collector = off
EOF
    # a port may be taken between the check and the start: try the next one
    for port in $(seq "$PORT_FIRST" "$PORT_LAST"); do
        port_in_use "$port" && continue
        [ -e "$dir/.s.PGSQL.$port.lock" ] && continue
        if as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "-p $port" -w -t 60 \
            -s start >"$log" 2>&1; then
            ok=1
            break
        fi
        # a server that did not come up leaves no postmaster behind; look at why
        if ! grep -qi "could not bind\|address already in use\|could not create" \
            "$dir/server.log" 2>/dev/null; then
            cat "$log" "$dir/server.log" >&2 2>/dev/null || true
            cleanup_failed_start "$dir" "$bin"
            die "the server did not start"
        fi
    done
    if [ "$ok" != 1 ]; then
        cleanup_failed_start "$dir" "$bin"
        die "no free port in $PORT_FIRST-$PORT_LAST"
    fi
    echo "$port" >"$dir/port"
    if ! as_pg "$bin/psql" -X -q -h "$dir" -p "$port" -U postgres -d postgres \
        -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE bureau LOGIN PASSWORD 'bureau'" \
        -c "CREATE DATABASE bureau_test OWNER bureau" >"$log" 2>&1; then
        cat "$log" >&2
        cleanup_failed_start "$dir" "$bin"
        die "cannot create role and database"
    fi
    echo "postgres://bureau:bureau@127.0.0.1:$port/bureau_test"
}

cmd_createdb() {
    local dir name tpl=${3:-} bin port out sql
    dir=$(abs_dir "$1")
    name=$2
    for n in "$name" ${tpl:+"$tpl"}; do
        case $n in
        '' | [!a-z_]* | *[!a-z0-9_]*) die "database name must match [a-z_][a-z0-9_]*: $n" ;;
        esac
    done
    sql="CREATE DATABASE $name OWNER bureau"
    # a file copy of the template: with fsync off its checkpoint is cheap, and it
    # does not push the whole database through the WAL as the default strategy does
    [ -n "$tpl" ] && sql="$sql TEMPLATE $tpl STRATEGY FILE_COPY"
    is_ours "$dir" || die "$dir is not a cluster made by pg.sh start"
    bin=$(pg_bin)
    port=$(cat "$dir/port")
    if ! out=$(as_pg "$bin/psql" -X -q -h "$dir" -p "$port" -U postgres -d postgres \
        -v ON_ERROR_STOP=1 -c "$sql" 2>&1); then
        echo "$out" >&2
        die "cannot create database $name"
    fi
    echo "postgres://bureau:bureau@127.0.0.1:$port/$name"
}

cmd_stop() {
    local dir bin
    dir=$(abs_dir "$1")
    [ -e "$dir" ] || return 0
    is_ours "$dir" || die "$dir is not a cluster made by pg.sh start; not removing it"
    bin=$(pg_bin)
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -s -w stop >/dev/null 2>&1 ||
            echo "pg.sh: pg_ctl stop failed; removing $dir anyway" >&2
    fi
    rm -rf -- "$dir"
}

[ $# -ge 2 ] || usage
case $1 in
start)
    [ $# -eq 2 ] || usage
    cmd_start "$2"
    ;;
createdb)
    [ $# -eq 3 ] || [ $# -eq 4 ] || usage
    cmd_createdb "$2" "$3" "${4:-}"
    ;;
stop)
    [ $# -eq 2 ] || usage
    cmd_stop "$2"
    ;;
*) usage ;;
esac
