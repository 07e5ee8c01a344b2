#!/usr/bin/env bash
# Quotas (名额) are a rule across entities, so the ledger enforces them when a reviewer
# approves (issue 9). 15-15-2: "年度考核优秀（2个）、良好（3个）的县（市、区）和产业集聚区，市财政分别
# 奖励50万元、30万元" — part 优秀 has quota 2 and part 良好 quota 3, per year:
#   - a rejected award holds no place; two 优秀 awards of 2021 are approved, the third is
#     refused naming the quota and the awards holding it, and is left as it was;
#   - a 良好 award is not held back by the full 优秀 quota (each part counts its own);
#   - another year's places are its own.
#
# Usage: BUILD=build tests/ledger/quota.sh
. "$(dirname "$0")/lib.sh"

DB=$(db_new ledger)
export HUIQI_DB=$DB
DEPT=市生态环境局

# Five district governments (统一社会信用代码 of 机关: 11…).
i=0
: >"$T/codes"
{
    echo "credit_code,name,district,registered,entity_type,industry,independent_legal_person,fiscal_revenue_in_city,fiscal_revenue_in_prefecture,registration_moved,illegal_land_use,trading_company,in_kechuang_corridor"
    for d in 鹿城区 龙湾区 瓯海区 洞头区 乐清市; do
        i=$((i + 1))
        code=$(uscc "11330300MB000000$i")
        echo "$code" >>"$T/codes"
        echo "$code,温州市${d}人民政府,$d,2000-01-01,行政单位,其他,否,是,是,否,否,否,否"
    done
} >"$T/entities.csv"
mapfile -t C <"$T/codes"
{
    echo "credit_code,year,soil_waste_assessment"
    for k in 0 1 2; do echo "${C[$k]},2021,优秀"; done
    echo "${C[3]},2021,良好"
    echo "${C[4]},2021,优秀"
    echo "${C[0]},2022,优秀"
} >"$T/grades.csv"

expect 0 "init" init
expect 0 "import five district governments" import entities "$T/entities.csv"
expect 0 "import their 2021 and 2022 年度考核 grades" import projects "$T/grades.csv"
expect 0 "match 2021" match --year 2021 --quiet
award_of() { q "$DB" "SELECT a.id FROM award a JOIN entity e ON e.id = a.entity_id WHERE e.credit_code = '$1' AND a.item = '15-15-2' AND a.year = $2"; }
A=$(award_of "${C[0]}" 2021) B=$(award_of "${C[1]}" 2021) X=$(award_of "${C[2]}" 2021) G=$(award_of "${C[3]}" 2021) Y=$(award_of "${C[4]}" 2021)
[ -n "$A" ] && [ -n "$B" ] && [ -n "$X" ] && [ -n "$G" ] && [ -n "$Y" ] && ok "five 15-15-2 candidates for 2021 (four 优秀, one 良好)" ||
    { notok "15-15-2 candidates: A=$A B=$B X=$X G=$G Y=$Y"; finish; }
same "$(q "$DB" "SELECT amount_fen FROM award WHERE id = $G")" 30000000 "the 良好 award is 300,000.00元"

for id in $A $B $X $G $Y; do
    hq award apply "$id" --admin
    hq award accept "$id" --department $DEPT
done
same "$(q "$DB" "SELECT count(*) FROM award WHERE item = '15-15-2' AND state = 'accepted'")" 5 "all five accepted (受理 is not limited)"
expect 0 "one 优秀 rejected before approval" award reject "$A" --department $DEPT --reason "考核结果复核未通过"
expect 0 "优秀 approved (1 of 2: the rejected award holds no place)" award approve "$B" --department $DEPT
expect 0 "优秀 approved (2 of 2)" award approve "$X" --department $DEPT
expect 1 "a third 优秀 refused: the quota of 2 is full" award approve "$Y" --department $DEPT
has "$T/err" "the refusal names the part, the year and the full quota" 「优秀」 2021年度名额为2个 名额已满
same "$(q "$DB" "SELECT state FROM award WHERE id = $Y")" accepted "the refused award is unchanged (still 已受理)"
expect 0 "a 良好 award is approved: its part has its own 3 places" award approve "$G" --department $DEPT

expect 0 "match 2022" match --year 2022 --quiet
Z=$(award_of "${C[0]}" 2022)
[ -n "$Z" ] && ok "a 2022 candidate for the first government" || { notok "no 2022 candidate"; finish; }
hq award apply "$Z" --admin
hq award accept "$Z" --department $DEPT
expect 0 "2022 has its own places: 优秀 approved although 2021's are full" award approve "$Z" --department $DEPT
same "$(q "$DB" "SELECT count(*) FROM award WHERE item = '15-15-2' AND year = 2021 AND state = 'approved'")" 3 \
    "2021 ends with 2 优秀 and 1 良好 approved"
verify_audit "$DB" "the audit chain verifies"
finish
