#!/usr/bin/env bash
# The main job on the bundled demo data (demo/city: a synthetic city of 300 entities made by
# `huiqi demo-data`): install, build, check the rule corpus, import every department file
# into a fresh ledger, run 免申即享 matching for 2021, carry one award through
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

step "一笔奖补的完整办理流程 (huiqi award)"
# A 资格定补 award of the 市经信局 (a recognition: payable once approved and publicized).
ID=$($HQ award list --state candidate --json | jq -r '[.awards[] | select(.kind == "资格定补" and .department == "市经信局" and (.voucher | not) and (.credit_code | startswith("91")))][0].id')
DEPT=市经信局
if [ "$ID" = null ]; then
    ID=$($HQ award list --state candidate --json | jq -r '.awards[0].id')
    DEPT=$($HQ award list --state candidate --json | jq -r '.awards[0].department')
fi
$HQ award show "$ID" | head -8
$HQ award push "$ID"
$HQ award apply "$ID"
$HQ award accept "$ID" --department "$DEPT"
$HQ award approve "$ID" --department "$DEPT"
$HQ award publicize "$ID" --department "$DEPT" --start 2022-03-01 --end 2022-03-07
$HQ award close "$ID"
$HQ award pay "$ID" --batch 演示批次-1
$HQ award archive "$ID"
$HQ award show "$ID" | head -12

step "统计报表 (huiqi report)"
$HQ report --by department --year 2021
$HQ report --by district --year 2021
$HQ report --by document --format xlsx --out "$(dirname "$DB")/report.xlsx"

step "审计日志校验 (huiqi audit verify)"
$HQ audit verify

step "演示账户 (huiqi user add)"
ENT=$($HQ award show "$ID" --json | jq -r '.credit_code')
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
