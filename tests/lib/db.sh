# The database under test, for the shell suites; sourced, not run.
#
# Without HUIQI_TEST_DB_URL every database is a SQLite file in the test's temporary
# directory ($T), as before. With HUIQI_TEST_DB_URL set to a PostgreSQL URL (a cluster's
# "postgres" database, as scripts/pg-cluster.sh url prints it), every database a test asks
# for is a fresh DATABASE on that cluster, so tests stay isolated from each other; the
# cluster is thrown away afterwards (tests/pg/run.sh).
#
#   db_new NAME          create an empty database, print its location (file or URL);
#                        huiqi init is still the test's job
#   db_q DB SQL          run SQL on DB, print the rows (columns separated by |)
#   db_copy SRC DST      DST (made by db_new, or a location it printed) becomes a copy of SRC,
#                        with SRC's audit key beside it for SQLite
#   db_dump DB FILE      the database's content as text, to compare before/after
#   db_key_of DB         the path of DB's audit key file: "<file>.key" beside a SQLite file;
#                        for PostgreSQL the local path store_pg.c derives from the URL,
#                        $XDG_CONFIG_HOME (or ~/.config)/huiqi/pg/<host>-<port>-<database>.key
#   db_pg                true when the databases are PostgreSQL
#   db_skip WHAT WHY     print that a SQLite-only check is skipped on PostgreSQL (not counted
#                        as passed or failed); use as: if db_pg; then db_skip …; else …; fi
#
# HUIQI_TEST_SQL_LOG=FILE appends every db_q statement to FILE (to try the tests' SQL on the
# other back end).
#
# On PostgreSQL each new database gets group_concat(x [, sep]) and json_extract(json, path)
# so that the tests' SQL reads the same on both; comparisons that SQLite prints as 1/0 are
# written CAST(… AS INTEGER) in the tests, which both print as 1/0.
DB_URL=${HUIQI_TEST_DB_URL:-}
DB_SEQ=0

db_pg() { [ -n "$DB_URL" ]; }

# db_url_of NAME: the cluster URL with its database name replaced by NAME.
db_url_of() {
    local base=${DB_URL%%\?*} params=
    case $DB_URL in *\?*) params=?${DB_URL#*\?} ;; esac
    local scheme=${base%%://*} rest=${base#*://}
    local auth=${rest%%/*}
    echo "$scheme://$auth/$1$params"
}

DB_COMPAT_SQL="
CREATE FUNCTION hq_gc_step(acc text, x anyelement, sep text) RETURNS text LANGUAGE sql IMMUTABLE AS
  \$\$ SELECT CASE WHEN x IS NULL THEN acc WHEN acc IS NULL THEN x::text ELSE acc || sep || x::text END \$\$;
CREATE FUNCTION hq_gc_step(acc text, x anyelement) RETURNS text LANGUAGE sql IMMUTABLE AS
  \$\$ SELECT hq_gc_step(acc, x, ',') \$\$;
CREATE AGGREGATE group_concat(anyelement, text) (SFUNC = hq_gc_step, STYPE = text);
CREATE AGGREGATE group_concat(anyelement) (SFUNC = hq_gc_step, STYPE = text);
CREATE FUNCTION json_extract(j jsonb, p text) RETURNS text LANGUAGE sql IMMUTABLE AS
  \$\$ SELECT jsonb_path_query_first(j, p::jsonpath) #>> '{}' \$\$;
CREATE FUNCTION json_extract(j text, p text) RETURNS text LANGUAGE sql IMMUTABLE AS
  \$\$ SELECT json_extract(j::jsonb, p) \$\$;
"

# db_create NAME: a new empty database on the cluster (with the compatibility functions).
db_create() {
    psql -X -q -v ON_ERROR_STOP=1 -d "$DB_URL" -c "CREATE DATABASE \"$1\"" >/dev/null &&
        psql -X -q -v ON_ERROR_STOP=1 -d "$(db_url_of "$1")" -c "$DB_COMPAT_SQL" >/dev/null
}

db_new() {
    if db_pg; then
        DB_SEQ=$((DB_SEQ + 1))
        local name
        name=t_$(printf '%s' "$1" | tr -c 'a-zA-Z0-9' _ | tr A-Z a-z | cut -c1-30)_$$_${DB_SEQ}_$RANDOM
        db_create "$name" || { echo "db_new: cannot create database $name on $DB_URL" >&2; return 1; }
        db_url_of "$name"
    else
        echo "$T/$1.db"
    fi
}

db_q() {
    [ -z "${HUIQI_TEST_SQL_LOG:-}" ] || printf '%s\n-- end of statement\n' "$2" >>"$HUIQI_TEST_SQL_LOG"
    if db_pg; then
        psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"
    else
        sqlite3 -batch "$1" "$2"
    fi
}

# The database name of a URL made by db_url_of.
db_name_of() { local p=${1%%\?*}; echo "${p##*/}"; }

db_key_of() {
    if db_pg; then
        local host port=5432 db p kv
        db=$(db_name_of "$1")
        p=${1#*\?}
        [ "$p" = "$1" ] && p=
        for kv in ${p//&/ }; do
            case $kv in host=*) host=${kv#host=} ;; port=*) port=${kv#port=} ;; esac
        done
        local name="${host:-local}-$port-${db:-postgres}"
        name=${name//[\/ ?&=]/_}
        echo "${XDG_CONFIG_HOME:-${HOME:-.}/.config}/huiqi/pg/$name.key"
    else
        echo "$1.key"
    fi
}

db_copy() {
    if db_pg; then
        local src dst
        src=$(db_name_of "$1") dst=$(db_name_of "$2")
        psql -X -q -v ON_ERROR_STOP=1 -d "$DB_URL" -c "DROP DATABASE IF EXISTS \"$dst\" WITH (FORCE)" \
            -c "CREATE DATABASE \"$dst\" TEMPLATE \"$src\"" >/dev/null || return 1
        rm -f "$(db_key_of "$2")"
        [ ! -f "$(db_key_of "$1")" ] || cp -p "$(db_key_of "$1")" "$(db_key_of "$2")"
    else
        rm -f "$2" "$2-wal" "$2-shm" "$2.key"
        sqlite3 -batch "$1" ".backup '$2'"
        [ ! -f "$1.key" ] || cp -p "$1.key" "$2.key"
    fi
}

# On PostgreSQL the sequences' positions are left out: nextval() is not undone by a
# rollback, so a refused import may move them without changing any row; so are the random
# keys of pg_dump's \restrict and \unrestrict lines (new in 15.14), different every time.
db_dump() {
    if db_pg; then
        pg_dump --no-owner --no-privileges -d "$1" | grep -v -e '^SELECT pg_catalog.setval' -e '^\\restrict ' -e '^\\unrestrict ' >"$2"
    else
        sqlite3 -batch "$1" .dump >"$2"
    fi
}

db_skip() { echo "# skip on PostgreSQL: $1 — $2"; }

# db_tools: the client tools the chosen back end needs are installed (else a message, false).
db_tools() {
    local t
    if db_pg; then for t in psql pg_dump; do command -v $t >/dev/null || { echo "$t is required (HUIQI_TEST_DB_URL is set)"; return 1; }; done
    else command -v sqlite3 >/dev/null || { echo "sqlite3 is required"; return 1; }; fi
}

# db_tamper DB SQL: run SQL as someone who can write the database directly, with the audit
# log's append-only triggers out of the way (SQLite: dropped; PostgreSQL: a superuser
# session with session_replication_role = replica, under which ordinary triggers do not fire).
db_tamper() {
    if db_pg; then
        db_q "$1" "SET session_replication_role = replica; $2"
    else
        db_q "$1" "DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete; $2"
    fi
}
