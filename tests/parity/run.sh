#!/usr/bin/env bash
# The operation table walked end to end: for every operation `huiqi ops --json` lists, the
# case of tests/parity/cases.json is run twice on two copies of one ledger — once as a CLI
# command (`huiqi … --json`), once over HTTP — and the two answers must be the same JSON
# (or the same refusal). Then every role the table does not allow an operation is refused
# by the API: 401 without a session, 403 for a signed-in role. An operation without a case
# fails the run, so a new operation cannot skip this check.
#
# Usage: BUILD=build tests/parity/run.sh
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FIX=$ROOT/tests/api/fixtures
CASES=$ROOT/tests/parity/cases.json
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
HQBIN=$BUILD/huiqi
export HUIQI_POLICIES=$ROOT/policies HUIQI_NOW=2022-03-01
unset HUIQI_DB
T=$(mktemp -d "${TMPDIR:-/tmp}/huiqi-parity.XXXXXX")
SPID=
cleanup() {
    [ -n "$SPID" ] && kill -TERM "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
npass=0 nfail=0
ok() { npass=$((npass + 1)); echo "ok - $*"; }
notok() { nfail=$((nfail + 1)); echo "not ok - $*"; }
show() { [ -s "$1" ] && head -c "${2:-800}" "$1" | sed 's/^/#   /' && echo; return 0; }
for tool in curl jq sqlite3; do command -v $tool >/dev/null || { echo "not ok - $tool is required"; exit 1; }; done

# ---- one ledger, two copies --------------------------------------------------------------------
DB0=$T/base.db
(
    set -e
    "$HQBIN" init --db "$DB0"
    for k in entities tax mujun credit recognitions; do "$HQBIN" import $k "$FIX/$k.csv" --db "$DB0"; done
    "$HQBIN" fiscal set --db "$DB0" --district 鹿城区 --city-share 50% --source "现行财政体制（测试）"
    "$HQBIN" fiscal set --db "$DB0" --district 瓯海区 --city-share 40% --source "现行财政体制（测试）"
    "$HQBIN" match --db "$DB0" --year 2021 --quiet
    "$HQBIN" user add --db "$DB0" --username admin --role admin --password admin-pass-1
    "$HQBIN" user add --db "$DB0" --username qiye --role enterprise --credit-code 91330302MA285XT30K --password qiye-pass-1
    "$HQBIN" user add --db "$DB0" --username jxj --role reviewer --department 市经信局 --password jxj-pass-1
    "$HQBIN" user add --db "$DB0" --username caizheng --role finance --password caizheng-pass-1
    "$HQBIN" user add --db "$DB0" --username lingdao --role leader --password lingdao-pass-1
) >"$T/setup.log" 2>&1 || { notok "setup"; show "$T/setup.log" 2000; exit 1; }
award_id() { sqlite3 "$DB0" "SELECT a.id FROM award a JOIN entity e ON e.id = a.entity_id WHERE e.credit_code = '$1' AND a.item = '$2' AND a.year = 2021"; }
A1=$(award_id 91330302MA285XT30K 12-7-12) B1=$(award_id 91330304MA2HQ0001M 13-1-4) C1=$(award_id 91330303MA2HQ0002A 12-7-12) O1=

# start_server DB: `huiqi serve` on a free loopback port; sets $HQ and $SPID.
start_server() {
    local try i port
    for try in 1 2 3 4 5 6 7 8; do
        port=$((20000 + RANDOM % 40000))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
        "$HQBIN" serve --db "$1" --listen "127.0.0.1:$port" --web "$ROOT/web" >"$T/serve.out" 2>"$T/serve.err" &
        SPID=$!
        for i in $(seq 150); do
            curl -s -o /dev/null "http://127.0.0.1:$port/api/items/-" && { HQ=http://127.0.0.1:$port; return 0; }
            sleep 0.1
        done
        kill -TERM "$SPID" 2>/dev/null
        wait "$SPID" 2>/dev/null
        SPID=
    done
    notok "cannot start huiqi serve"
    show "$T/serve.err"
    exit 1
}
stop_server() {
    kill -TERM "$SPID" 2>/dev/null
    wait "$SPID"
    SPID=
    if grep -q 'Sanitizer\|runtime error' "$T/serve.err"; then notok "server: sanitizer report"; show "$T/serve.err" 3000; fi
}

login() {
    curl -sS -c "$T/$1.jar" -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"$2\"}" "$HQ/api/login" |
        jq -r '.csrf // empty' >"$T/$1.csrf"
}
# The sessions (and their login rows in the audit log) are made before the ledger is copied,
# so that both copies hold them.
start_server "$DB0"
for u in admin:admin-pass-1 qiye:qiye-pass-1 jxj:jxj-pass-1 caizheng:caizheng-pass-1 lingdao:lingdao-pass-1; do login "${u%%:*}" "${u#*:}"; done
stop_server
DBC=$T/cli.db DBH=$T/http.db
sqlite3 "$DB0" ".backup '$DBC'" && sqlite3 "$DB0" ".backup '$DBH'"
cp -p "$DB0.key" "$DBC.key" && cp -p "$DB0.key" "$DBH.key" # the audit key goes with the ledger
start_server "$DBH"
declare -A USER_OF=([enterprise]=qiye [reviewer]=jxj [finance]=caizheng [leader]=lingdao [admin]=admin)

"$HQBIN" ops --json >"$T/ops.json"
# The answer without what differs by nature between two runs (how long they took).
normal() { jq -S 'walk(if type == "object" then del(.seconds) else . end)' "$1"; }
subst() {
    local s
    s=$(cat)
    s=${s//\$A1/$A1} s=${s//\$B1/$B1} s=${s//\$C1/$C1} s=${s//\$O1/${O1:-0}}
    echo "$s"
}

# http USER METHOD PATH [curl args…]: status in $code, body in $T/http.out
http() {
    local who=$1 method=$2 path=$3 args
    shift 3
    args=(-sS -o "$T/http.out" -w '%{http_code}' -X "$method")
    if [ "$who" != - ]; then args+=(-b "$T/$who.jar" -H "X-CSRF-Token: $(cat "$T/$who.csrf")"); fi
    code=$(curl "${args[@]}" "$@" "$HQ$path") || code=000
}

run_case() {
    local name=$1 in=$2 op cli method route path
    op=$(jq -c --arg n "$name" '.operations[] | select(.name == $n)' "$T/ops.json")
    [ -n "$op" ] || { notok "$name: not in the operation table"; return; }
    cli=$(jq -r '.cli' <<<"$op") method=$(jq -r '.method' <<<"$op") route=$(jq -r '.route' <<<"$op")
    local cliargs=() query=() body='{}' upload= key type val
    read -ra cliargs <<<"$cli"
    path=$route
    # route parameters: in the path, and positional on the command line, in order
    for key in $(grep -o '{[a-z_]*}' <<<"$route" | tr -d '{}'); do
        val=$(jq -r --arg k "$key" '.[$k]' <<<"$in")
        path=${path/\{$key\}/$(jq -rn --arg v "$val" '$v|@uri')}
        cliargs+=("$val")
    done
    while IFS=$'\t' read -r key type; do
        [ -n "$key" ] || continue
        grep -q "{$key}" <<<"$route" && continue
        jq -e --arg k "$key" 'has($k)' <<<"$in" >/dev/null || continue
        val=$(jq -c --arg k "$key" '.[$k]' <<<"$in")
        case $type in
        json)
            if [[ $val == '"@'* ]]; then
                local f=$FIX/$(jq -r . <<<"$val" | cut -c2-)
                cliargs+=("--${key//_/-}" "$f")
                body=$(jq -c --arg k "$key" --slurpfile v "$f" '.[$k] = $v[0]' <<<"$body")
            else
                jq . <<<"$val" >"$T/$key.json"
                cliargs+=("--${key//_/-}" "$T/$key.json")
                body=$(jq -c --arg k "$key" --argjson v "$val" '.[$k] = $v' <<<"$body")
            fi ;;
        file)
            upload=$FIX/$(jq -r . <<<"$val" | cut -c2-)
            cliargs+=("$upload") ;;
        boolean)
            if [ "$val" = true ]; then cliargs+=("--${key//_/-}"); elif [ "$key" = upheld ]; then cliargs+=(--dismissed); fi
            body=$(jq -c --arg k "$key" --argjson v "$val" '.[$k] = $v' <<<"$body")
            query+=("$key=$val") ;;
        *)
            local raw
            raw=$(jq -r . <<<"$val")
            cliargs+=("--${key//_/-}" "$raw")
            body=$(jq -c --arg k "$key" --argjson v "$val" '.[$k] = $v' <<<"$body")
            query+=("$key=$(jq -rn --arg v "$raw" '$v|@uri')") ;;
        esac
    done < <(jq -r '.params[] | [.name, .type] | @tsv' <<<"$op")
    # the CLI, as the local operator acting for any department, named as the HTTP user is
    "$HQBIN" "${cliargs[@]}" --json --admin --actor user:admin --db "$DBC" >"$T/cli.out" 2>"$T/cli.err"
    local rc=$?
    if [ -n "$upload" ]; then
        http admin "$method" "$path" --data-binary @"$upload" -H "X-Filename: ${upload##*/}" -H 'Content-Type: text/csv'
    elif [ "$method" = GET ]; then
        local qs
        qs=$(IFS='&'; echo "${query[*]}")
        http admin GET "$path${qs:+?$qs}"
    else
        http admin POST "$path" -H 'Content-Type: application/json' --data-binary "$body"
    fi
    if [ "${code:0:1}" = 2 ]; then
        if [ $rc = 0 ] && [ "$(normal "$T/cli.out")" = "$(normal "$T/http.out")" ]; then
            ok "$name: \`huiqi $cli\` and $method $route give the same document"
        else
            notok "$name: CLI (exit $rc) and HTTP ($code) differ"
            diff <(normal "$T/cli.out") <(normal "$T/http.out") | head -20 | sed 's/^/#   /'
            show "$T/cli.err"
        fi
    else
        local msg
        msg=$(jq -r '.error.message' "$T/http.out")
        if [ $rc != 0 ] && grep -qF -- "$msg" "$T/cli.err"; then
            ok "$name: both refuse alike (HTTP $code, exit $rc): $msg"
        else
            notok "$name: HTTP $code «$msg», CLI exit $rc"
            show "$T/cli.err"
        fi
    fi
    [ "$name" = OBJECT ] && O1=$(jq -r '.objection // empty' "$T/http.out")
}

ncases=$(jq '.cases | length' "$CASES")
for ((i = 0; i < ncases; i++)); do
    name=$(jq -r ".cases[$i].op" "$CASES")
    in=$(jq -c ".cases[$i].in" "$CASES" | subst)
    run_case "$name" "$in"
done

# ---- every operation has a case ---------------------------------------------------------------
missing=$(jq -r --slurpfile c "$CASES" '[.operations[].name] - [$c[0].cases[].op] | join(" ")' "$T/ops.json")
if [ -z "$missing" ]; then ok "every operation of the table has a parity case"; else notok "operations without a parity case: $missing"; fi

# ---- roles outside an operation's list are refused ----------------------------------------------
while IFS=$'\t' read -r name method route roles; do
    path=$(sed -e "s/{id}/$A1/" -e 's/{item}/12-7-12/' -e 's/{entity}/91330302MA285XT30K/' -e 's/{kind}/entities/' <<<"$route")
    bad=""
    for role in anonymous enterprise reviewer finance leader admin; do
        grep -qw "$role" <<<"$roles" && continue
        if [ "$role" = anonymous ]; then http - "$method" "$path" -H 'Content-Type: application/json' --data-binary '{}'; want=401
        else http "${USER_OF[$role]}" "$method" "$path" -H 'Content-Type: application/json' --data-binary '{}'; want=403; fi
        [ "$code" = $want ] || bad="$bad $role→$code"
    done
    if [ -z "$bad" ]; then ok "$name: every role outside [$roles] refused (401/403)"; else notok "$name: refused wrongly:$bad"; fi
done < <(jq -r '.operations[] | [.name, .method, .route, (.roles | join(" "))] | @tsv' "$T/ops.json")

stop_server
echo "# parity ($BUILD): $npass passed, $nfail failed"
[ "$nfail" = 0 ]
