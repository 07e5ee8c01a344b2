#!/usr/bin/env bash
# convert.sh STEM.csv OUTDIR: turn a bench-anchors CSV (../shared/bench-anchors/gen.py) into
# huiqi's inputs, standing in for the departments' exports:
#   OUTDIR/entities.csv tax.csv stats.csv projects.csv mujun.csv credit.csv  (huiqi import KIND FILE,
#   formats in docs/import.md), OUTDIR/entities.jsonl (huiqi eval --batch, docs/facts.md) and
#   OUTDIR/sheet.csv (huiqi eval --batch FILE.csv: the same columns in one table, a row per
#   entity and year, docs/import.md).
# Mapping (the corpus is bench/anchors/*.hq): credit_code 91330300 + the id in 9 digits + the
# GB 32100 check character; district 鹿城 → 鹿城区 …; registered = reg_year-01-01; industry
# 房地产 if real_estate, else 汽车销售 if auto_trade, else 制造业; local_contribution of 2020 =
# contrib_prev; retail_sales of 2020/2021 = retail_prev/retail_cur; every other rule fact is a
# 2021 value; rating → 亩均 rating; dishonest → 严重失信名单. Every value is written, zeros
# included (an empty cell would be "not known").
set -euo pipefail
[ $# = 2 ] || { echo "usage: $0 STEM.csv OUTDIR" >&2; exit 2; }
in=$1 out=$2
mkdir -p "$out"
LC_ALL=C awk -F, -v out="$out" '
BEGIN {
  A = "0123456789ABCDEFGHJKLMNPQRTUWXY"
  split("1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28", W, " ")
  D["鹿城"] = "鹿城区"; D["龙湾"] = "龙湾区"; D["瓯海"] = "瓯海区"; D["洞头"] = "洞头区"
  D["浙南产业集聚区"] = "浙南产业集聚区"; D["瓯江口"] = "瓯江口产业集聚区"
  D["乐清"] = "乐清市"; D["瑞安"] = "瑞安市"; D["永嘉"] = "永嘉县"; D["平阳"] = "平阳县"
  D["苍南"] = "苍南县"; D["文成"] = "文成县"
  ent = out "/entities.csv"; tax = out "/tax.csv"; st = out "/stats.csv"; pr = out "/projects.csv"
  mj = out "/mujun.csv"; cr = out "/credit.csv"; js = out "/entities.jsonl"; sh = out "/sheet.csv"
  print "credit_code,name,district,registered,entity_type,industry" > ent
  print "credit_code,year,local_contribution,rd_deductible" > tax
  print "credit_code,year,retail_sales,new_patents,tourists_overnight,inbound_tourists_overnight" > st
  print "credit_code,year,design_centre_level,upgrade_investment,green_upgrade,hightech_new" > pr
  print "credit_code,mujun_rating" > mj
  print "credit_code,list" > cr
  printf "" > js
  print "credit_code,name,year,district,registered,entity_type,industry,mujun_rated,mujun_rating,list,local_contribution,retail_sales,rd_deductible,new_patents,tourists_overnight,inbound_tourists_overnight,design_centre_level,upgrade_investment,green_upgrade,hightech_new" > sh
}
NR == 1 {
  if ($0 != "id,district,rating,real_estate,dishonest,reg_year,contrib_prev,design_level,upgrade_invest,green,rd_deductible,patents,hightech_new,retail_cur,retail_prev,auto_trade,tourists_out,tourists_overseas") {
    print "convert.sh: unexpected header" > "/dev/stderr"; exit 1
  }
  next
}
{
  sub(/\r$/, "")
  base = sprintf("91330300%09d", $1)
  s = 0
  for (i = 1; i <= 17; i++) s += (index(A, substr(base, i, 1)) - 1) * W[i]
  c = 31 - s % 31; if (c == 31) c = 0
  code = base substr(A, c + 1, 1)
  if (!($2 in D)) { print "convert.sh: line " NR ": unknown district " $2 > "/dev/stderr"; exit 1 }
  dist = D[$2]; reg = $6 "-01-01"
  ind = $4 == 1 ? "房地产" : $16 == 1 ? "汽车销售" : "制造业"
  green = $10 == 1 ? "是" : "否"; ht = $13 == 1 ? "是" : "否"
  print code ",基准企业" $1 "," dist "," reg ",企业," ind > ent
  print code ",2020," $7 "," > tax
  print code ",2021,," $11 > tax
  print code ",2020," $15 ",,," > st
  print code ",2021," $14 "," $12 "," $17 "," $18 > st
  print code ",2021," $8 "," $9 "," green "," ht > pr
  print code "," $3 > mj
  if ($5 == 1) print code ",严重失信名单" > cr
  print code ",基准企业" $1 ",2020," dist "," reg ",企业," ind ",是," $3 "," ($5 == 1 ? "严重失信名单" : "") "," $7 "," $15 ",,,,,,,," > sh
  print code ",,2021,,,,,,,,," $14 "," $11 "," $12 "," $17 "," $18 "," $8 "," $9 "," green "," ht > sh
  printf "{\"credit_code\":\"%s\",\"name\":\"基准企业%s\",\"district\":\"%s\",\"registered\":\"%s\",\"entity_type\":\"企业\",\"industry\":\"%s\",\"facts\":{\"mujun_rated\":true,\"mujun_rating\":\"%s\"},\"years\":{\"2020\":{\"local_contribution\":%s,\"retail_sales\":%s},\"2021\":{\"rd_deductible\":%s,\"retail_sales\":%s,\"new_patents\":%s,\"tourists_overnight\":%s,\"inbound_tourists_overnight\":%s,\"design_centre_level\":%s,\"upgrade_investment\":%s,\"green_upgrade\":%s,\"hightech_new\":%s}},\"lists\":[%s]}\n", \
    code, $1, dist, reg, ind, $3, $7, $15, $11, $14, $12, $17, $18, $8, $9, ($10 == 1 ? "true" : "false"), ($13 == 1 ? "true" : "false"), ($5 == 1 ? "\"严重失信名单\"" : "") > js
}' "$in"
