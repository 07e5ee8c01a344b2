#!/usr/bin/env bash
# The main job on the bundled demo data (demo/city: a synthetic city of 300 entities made by
# `huiqi demo-data`): install, build, check the rule corpus, import every department file
# into a fresh ledger, run 免申即享 matching for 2021, import the plan indicators' (simulated)
# observations and print their progress, carry one award through
# 申报 → 受理 → 审核 → 公示 → 兑付 → 归档, print the reports, verify the audit log, create the demo
# accounts, and leave the web server running on http://127.0.0.1:8080/.
#
# Environment: DEMO_DB (default build/demo/huiqi.db), DEMO_LISTEN (default 127.0.0.1:8080),
# DEMO_SERVE=0 to skip starting the server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
make -s
HQ=build/huiqi
DB=${DEMO_DB:-build/demo/huiqi.db}
LISTEN=${DEMO_LISTEN:-127.0.0.1:8080}
export HUIQI_DB=$DB HUIQI_POLICIES=policies HUIQI_ACTOR=demo
mkdir -p "$(dirname "$DB")"

step() { printf '\n=============== %s\n' "$*"; }

step "规则库检查与覆盖 (huiqi check, huiqi coverage)"
$HQ check policies
$HQ coverage

step "建立台账并导入部门数据 (huiqi init, huiqi import)"
if [ -f "$DB.pid" ] && kill -0 "$(cat "$DB.pid")" 2>/dev/null; then kill "$(cat "$DB.pid")"; sleep 1; fi
rm -f "$DB" "$DB-wal" "$DB-shm"
$HQ init
for kind in entities tax stats projects mujun credit recognitions awards; do
    $HQ import "$kind" "demo/city/$kind.csv"
done

step "现行财政体制分担比例 (演示用示例值, huiqi fiscal set)"
for d in 鹿城区 龙湾区 瓯海区 洞头区 瓯江口产业集聚区 浙南产业集聚区 乐清市 瑞安市 龙港市 永嘉县 文成县 平阳县 苍南县 泰顺县; do
    $HQ fiscal set --district "$d" --city-share 50% --source "演示数据：示例比例，非实际财政体制" >/dev/null
done
echo "已为 14 个区、县(市)和功能区设置示例比例 市财政 50%"

step "免申即享匹配 (huiqi match --year 2021)"
$HQ match --year 2021
$HQ report --by document --year 2021

step "规划监测：十四五与在线新经济指标 (huiqi import indicators, huiqi plan status；观测值为模拟数据)"
$HQ import indicators demo/city/indicators.csv
$HQ plan status --plan shisiwu --year 2022 | head -16
$HQ plan status --plan zaixian --year 2022 | tail -17

step "一笔奖补的完整办理流程 (huiqi award)"
# A 资格定补 award of the 市经信局 (a recognition: payable once approved and publicized).
ID=$($HQ award list --state candidate --json | jq -r '[.awards[] | select(.kind == "资格定补" and .department == "市经信局" and (.voucher | not) and (.credit_code | startswith("91")))][0].id')
DEPT=市经信局
if [ "$ID" = null ]; then
    ID=$($HQ award list --state candidate --json | jq -r '.awards[0].id')
    DEPT=$($HQ award list --state candidate --json | jq -r '.awards[0].department')
fi
$HQ award show "$ID" | head -8
# 公示 cannot be back-dated, and this one must be over to be paid: the steps up to it are
# played as of twelve days ago (HUIQI_NOW), as if the firm and the reviewer had acted then.
TODAY=$(date -u -d "+8 hours" +%F)   # Wenzhou (UTC+8), the day huiqi counts in
PAST_START=$(date -d "$TODAY -12 days" +%F) PAST_END=$(date -d "$TODAY -3 days" +%F)
HUIQI_NOW=$PAST_START $HQ award push "$ID"
HUIQI_NOW=$PAST_START $HQ award apply "$ID"
HUIQI_NOW=$PAST_START $HQ award accept "$ID" --department "$DEPT"
HUIQI_NOW=$PAST_START $HQ award approve "$ID" --department "$DEPT"
HUIQI_NOW=$PAST_START $HQ award publicize "$ID" --department "$DEPT" --start "$PAST_START" --end "$PAST_END"
$HQ award close "$ID"
$HQ award pay "$ID" --batch 演示批次-1
$HQ award archive "$ID"
$HQ award show "$ID" | head -12

step "演示数据：各办理状态的奖补 (推送、申报、退回补正、受理、审核通过、公示与异议、公示期满、兑付、驳回)"
# So that every role has work on its pages: awards of several firms and departments left in
# each state. The firm of the 企业 account is the one with the most awards; the reviewers'
# departments (市经信局, 市科技局) get a queue. A step a 附则 rule refuses (a quota, the annual
# cap) is shown and the next candidate is taken.
OPEN_END=$(date -d "$TODAY +9 days" +%F)
ENT=$($HQ award list --state candidate --json | jq -r '[.awards[] | select(.credit_code | startswith("91"))] | group_by(.credit_code) | max_by(length)[0].credit_code')
# pick FILTER: the first candidate award the jq FILTER selects (empty if none).
pick() { $HQ award list --state candidate --json | jq -r "[.awards[] | select(.voucher | not) | select($1)][0].id // empty"; }
dept_of() { $HQ award show "$1" --json | jq -r '.department | split("、")[0] | split("(")[0] | split("（")[0]'; }
# advance ID TARGET: carry award ID through the workflow up to TARGET; 1 if a step was refused.
advance() {
    local id=$1 target=$2 d
    d=$(dept_of "$id")
    local -a steps
    case $target in
    pushed) steps=(push) ;;
    applied) steps=(push apply) ;;
    returned) steps=(push apply "return --department $d --reason 请补充认定文件扫描件及申报承诺书") ;;
    rejected) steps=(apply "reject --department $d --reason 经核查不符合申报条件") ;;
    accepted) steps=(push apply "accept --department $d") ;;
    approved) steps=(apply "accept --department $d" "approve --department $d") ;;
    objected) steps=(apply "accept --department $d" "approve --department $d" "publicize --department $d --start $TODAY --end $OPEN_END") ;;
    publicized) steps=(apply "accept --department $d" "approve --department $d" "publicize --department $d --start $PAST_START --end $PAST_END" close) ;;
    paid) steps=(push apply "accept --department $d" "approve --department $d" "pay --batch 演示批次-2") ;;
    esac
    local s
    for s in "${steps[@]}"; do
        # A 公示 already over was published when it began (it cannot be back-dated): the steps
        # up to it are played as of that day.
        local now=${HUIQI_NOW:-}
        case $target/$s in publicized/close) ;; publicized/*) now=$PAST_START ;; esac
        # shellcheck disable=SC2086
        HUIQI_NOW=$now $HQ award $s "$id" >/dev/null 2>"$(dirname "$DB")/step.err" || { echo "  #$id $s：$(head -1 "$(dirname "$DB")/step.err")"; return 1; }
    done
    if [ "$target" = objected ]; then
        HUIQI_ACTOR=演示企业 $HQ award object "$id" --text "该项目投资额与备案信息不一致，请核实" >/dev/null
    fi
    echo "  奖补 #$id（$d）→ $($HQ award show "$id" --json | jq -r .state_zh)"
}
# leave FILTER TARGET [N]: N awards (default 1) the filter selects, each carried to TARGET.
leave() {
    local n=${3:-1} done=0 tries=0 id
    while [ $done -lt "$n" ] && [ $tries -lt 8 ]; do
        id=$(pick "$1")
        [ -n "$id" ] || break
        tries=$((tries + 1))
        if advance "$id" "$2"; then done=$((done + 1)); fi
    done
}
leave ".credit_code == \"$ENT\"" pushed
leave ".credit_code == \"$ENT\"" applied
leave ".credit_code == \"$ENT\"" returned
leave ".credit_code == \"$ENT\" and .kind == \"资格定补\"" paid
leave '.department == "市经信局"' applied 2
leave '.department == "市经信局"' accepted
leave '.department == "市经信局" and .kind == "资格定补"' approved
leave '.department == "市经信局"' objected
leave '.department == "市经信局"' publicized
leave '.department == "市科技局"' applied
leave '.department == "市科技局"' accepted
leave '.department == "市科技局"' rejected
leave '.department == "市市场监管局"' pushed 3
$HQ report --by state

step "统计报表 (huiqi report)"
$HQ report --by department --year 2021
$HQ report --by district --year 2021
$HQ report --by document --format xlsx --out "$(dirname "$DB")/report.xlsx"

step "审计日志校验 (huiqi audit verify)"
$HQ audit verify

step "演示账户 (huiqi user add)"
$HQ user add --username admin --role admin --password admin-2021 --name 系统管理员
$HQ user add --username qiye --role enterprise --credit-code "$ENT" --password qiye-2021 --name 演示企业
$HQ user add --username jingxin --role reviewer --department 市经信局 --password jingxin-2021 --name 市经信局审核员
$HQ user add --username keji --role reviewer --department 市科技局 --password keji-2021 --name 市科技局审核员
$HQ user add --username caizheng --role finance --password caizheng-2021 --name 市财政局
$HQ user add --username lingdao --role leader --password lingdao-2021 --name 市领导

if [ "${DEMO_SERVE:-1}" = 1 ]; then
    step "网页服务 (huiqi serve)"
    LOGDIR=$(dirname "$DB")
    nohup $HQ serve --listen "$LISTEN" --web web --access-log "$LOGDIR/access.log" >"$LOGDIR/serve.log" 2>&1 &
    PID=$!
    echo $PID >"$DB.pid"
    # Another program may already answer on the port, so success is our own process announcing
    # that it listens (it exits at once when the port is taken), not merely a reply on the port.
    started=0
    for _ in $(seq 100); do
        grep -q '服务已启动' "$LOGDIR/serve.log" 2>/dev/null && { started=1; break; }
        kill -0 $PID 2>/dev/null || break
        sleep 0.1
    done
    cat "$LOGDIR/serve.log"
    if [ $started = 0 ] || ! kill -0 $PID 2>/dev/null; then
        rm -f "$DB.pid"
        echo "网页服务未能启动（端口 $LISTEN 可能已被占用）。请用 DEMO_LISTEN=127.0.0.1:端口 指定其他端口，或用 DEMO_SERVE=0 跳过。" >&2
        exit 1
    fi
    curl -sf "http://$LISTEN/api/health" >/dev/null || { echo "网页服务已启动但 /api/health 无应答" >&2; exit 1; }
    echo "停止服务: kill \$(cat $DB.pid)"
    echo "演示账户 (用户名/密码): admin/admin-2021  qiye/qiye-2021 (企业 $ENT)  jingxin/jingxin-2021 (市经信局)"
    echo "                       keji/keji-2021 (市科技局)  caizheng/caizheng-2021 (财政)  lingdao/lingdao-2021 (领导)"
fi
