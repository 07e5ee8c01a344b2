# `huiqi serve` for the HTTP suites: servers on free loopback ports, requests with a session
# and its CSRF token; sourced, not run. Needs $ROOT, $HQBIN, $T and tests/lib/tap.sh.
#
#   http_start NAME DB [serve options…]   start a server (clock: $HUIQI_NOW as exported);
#                                         sets HTTP_URL and HTTP_PID; output in $T/NAME.out/.err
#   http_stop PID NAME                    SIGTERM and wait (status in $src); a sanitizer
#                                         report on its stderr is a failure
#   http_kill_all                         SIGTERM every server still running (for traps)
#   http_login URL USER PASSWORD          a session in $T/USER.jar, its CSRF token in
#                                         $T/USER.csrf; the status in $code
#   http_call URL WHO METHOD PATH [curl args…]   one request as WHO (an account logged in
#                                         with http_login, or - for anonymous); the status
#                                         in $code, the body in $T/body (or $HTTP_BODY)
HTTP_PIDS=()

http_start() {
    local name=$1 db=$2 port try i
    shift 2
    for try in 1 2 3 4 5 6 7 8; do
        port=$((20000 + RANDOM % 40000))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue # taken
        "$HQBIN" serve --db "$db" --listen "127.0.0.1:$port" --web "$ROOT/web" "$@" \
            >"$T/$name.out" 2>"$T/$name.err" &
        HTTP_PID=$!
        for i in $(seq 150); do
            if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/items/-")" != 000 ]; then
                HTTP_URL=http://127.0.0.1:$port
                HTTP_PIDS+=("$HTTP_PID")
                return 0
            fi
            kill -0 "$HTTP_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -TERM "$HTTP_PID" 2>/dev/null
        wait "$HTTP_PID" 2>/dev/null
    done
    echo "not ok - cannot start huiqi serve ($name)"
    show "$T/$name.err"
    return 1
}

http_stop() {
    kill -TERM "$1" 2>/dev/null
    wait "$1"
    src=$?
    if grep -q 'Sanitizer\|runtime error' "$T/$2.err"; then
        notok "server $2: sanitizer report"
        show "$T/$2.err" 3000
    fi
}

http_kill_all() {
    local p
    for p in "${HTTP_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
    for p in "${HTTP_PIDS[@]}"; do wait "$p" 2>/dev/null; done
    return 0
}

http_call() {
    local url=$1 who=$2 method=$3 path=$4 body=${HTTP_BODY:-$T/body}
    shift 4
    local args=(-sS -o "$body" -w '%{http_code}' -X "$method" --max-time 30)
    [ "$who" = - ] || args+=(-b "$T/$who.jar" -H "X-CSRF-Token: $(cat "$T/$who.csrf" 2>/dev/null)")
    code=$(curl "${args[@]}" "$@" "$url$path" 2>/dev/null) || code=000
}

http_login() {
    rm -f "$T/$2.jar"
    code=$(curl -sS -o "$T/body" -w '%{http_code}' --max-time 30 -c "$T/$2.jar" \
        -H 'Content-Type: application/json' --data-binary "{\"username\":\"$2\",\"password\":\"$3\"}" \
        "$1/api/login" 2>/dev/null) || code=000
    jq -r '.csrf // empty' "$T/body" >"$T/$2.csrf" 2>/dev/null
}
