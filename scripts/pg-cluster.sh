#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: no external service, no TCP port.
#   pg-cluster.sh start DIR   initdb into DIR/data, start a server listening only on a Unix
#                             socket in DIR (trust authentication, superuser "huiqi")
#   pg-cluster.sh url DIR     print the libpq URL of its "postgres" database
#   pg-cluster.sh stop DIR    stop the server (fast, then immediate) and remove DIR
# PostgreSQL refuses to run as root, so as root the cluster belongs to a system user
# (huiqi-pg, created if missing) and the server runs under runuser; DIR and every directory
# above it must be searchable by that user. The binaries are found with `pg_config --bindir`,
# else under /usr/lib/postgresql/*/bin (Debian: apt-get install postgresql, scripts/setup.sh).
# If start fails, what it created is removed again; the server's log is DIR/server.log.
set -u
PGUSER_OS=huiqi-pg
DBUSER=huiqi

die() { echo "pg-cluster: $*" >&2; exit 1; }

bindir() {
    local d
    d=$(pg_config --bindir 2>/dev/null)
    if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return; fi
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
    done
    return 1
}

# as CMD…: run a command as the cluster's owner (ourselves unless we are root).
as() {
    if [ "$(id -u)" = 0 ]; then runuser -u "$PGUSER_OS" -- "$@"; else "$@"; fi
}

abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }

start() {
    local dir=$1 bin
    bin=$(bindir) || die "no PostgreSQL server binaries (pg_config --bindir, /usr/lib/postgresql/*/bin): apt-get install postgresql"
    [ -e "$dir/data" ] && die "$dir/data exists already"
    # The socket path (DIR/.s.PGSQL.5432) must fit in sun_path (108 bytes).
    [ ${#dir} -le 90 ] || die "$dir: path too long for a Unix socket"
    if [ "$(id -u)" = 0 ] && ! id "$PGUSER_OS" >/dev/null 2>&1; then
        useradd -r -M -d /nonexistent -s /usr/sbin/nologin "$PGUSER_OS" 2>/dev/null ||
            id "$PGUSER_OS" >/dev/null 2>&1 || die "cannot create the system user $PGUSER_OS"
    fi
    mkdir -p "$dir" || die "cannot create $dir"
    [ "$(id -u)" = 0 ] && chown "$PGUSER_OS" "$dir"
    as test -w "$dir" -a -x "$dir" ||
        { rm -rf "$dir"; die "$dir is not reachable by $PGUSER_OS (a directory above it is private)"; }
    trap 'as "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1; rm -rf "$dir"' EXIT
    trap 'exit 130' INT TERM HUP
    as "$bin/initdb" -D "$dir/data" -U "$DBUSER" --auth=trust -E UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    # No TCP at all; the socket lives in DIR; small and fast (fsync off: data is thrown away).
    as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses='' -k '$dir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null 2>&1 || { cat "$dir/server.log" >&2; die "the server did not start"; }
    trap - EXIT INT TERM HUP
}

stop() {
    local dir=$1 bin
    [ -d "$dir" ] || return 0
    if [ -f "$dir/data/postmaster.pid" ]; then
        bin=$(bindir) || die "no PostgreSQL binaries to stop $dir"
        as "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
            as "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
    fi
    rm -rf "$dir"
}

[ $# = 2 ] || die "usage: pg-cluster.sh start|stop|url DIR"
DIR=$(abs "$2")
case $1 in
start) start "$DIR" ;;
stop) stop "$DIR" ;;
url) echo "postgresql:///postgres?host=$DIR&user=$DBUSER" ;;
*) die "usage: pg-cluster.sh start|stop|url DIR" ;;
esac
