#!/usr/bin/env bash
# Bad department files: `huiqi import` must reject each with exit 3 and an error naming the
# file, the line (or JSON row) and the field or column at fault, and must leave the database
# exactly as it was (its `sqlite3 .dump`, or pg_dump, is compared before and after). Good files: a GBK
# (GB18030) register imports correctly, and importing a file again changes nothing.
#
# Usage: BUILD=build tests/ledger/import_bad.sh
. "$(dirname "$0")/lib.sh"

DB=$(db_new ledger)
GOOD=$(db_new good)
CODE=91330302MA285XT30K
expect 0 "init" init --db "$DB"
for k in entities tax recognitions mujun credit; do
    expect 0 "import good $k.csv" import $k "$DATA/$k.csv" --db "$DB"
done
dump "$DB" "$T/before.sql"
copy_db "$DB" "$GOOD"

# reject DESCRIPTION KIND FILE STRING…: the import fails with exit 3, stderr holds every
# STRING, and the database content is unchanged.
reject() {
    local what=$1 kind=$2 file=$3
    shift 3
    hq import "$kind" "$file" --db "$DB"
    if [ "$rc" = 3 ]; then ok "$what: rejected (exit 3)"; else notok "$what: exit $rc, expected 3"; show "$T/out"; fi
    has "$T/err" "$what: the error names file, line and field" "$@"
    dump "$DB" "$T/after.sql"
    if cmp -s "$T/before.sql" "$T/after.sql"; then
        ok "$what: database unchanged"
    else
        notok "$what: database changed"
        diff "$T/before.sql" "$T/after.sql" | grep '^[<>]' | grep -v 'INTO \(meta\|audit\) ' | head -6 | sed 's/^/#   /'
        copy_db "$GOOD" "$DB" # judge the next case on its own
    fi
}

# --- truncated files --------------------------------------------------------------------
printf 'credit_code,name,district\n%s,"温州示例科技有限公司,鹿城区\n' $CODE >"$T/trunc_quote.csv"
reject "truncated: unterminated quote" entities "$T/trunc_quote.csv" \
    "trunc_quote.csv: line 2, field 2: error: 第2行第2列：" "引号未闭合"

printf 'credit_code,year,local_contribution,major_accident\n%s,2020,1.00,否\n%s,2021,2.00,否\n%s,2022,3' \
    $CODE $CODE $CODE >"$T/trunc_row.csv"
reject "truncated: cut mid-row" tax "$T/trunc_row.csv" \
    "trunc_row.csv: line 4, field" "该行有3个字段，表头有4列"

# A UTF-8 file cut inside its last character (司 = E5 8F B8 loses 8F B8) must be reported
# as cut off, not taken for GB18030 — whose two-byte characters happen to cover the bytes
# left — and imported with the name turned to mojibake (娓╁窞绀轰緥…).
printf 'credit_code,name\n%s,温州示例科技有限公司' $CODE | head -c -2 >"$T/trunc_utf8.csv"
if iconv -f GB18030 -t UTF-8 "$T/trunc_utf8.csv" >/dev/null 2>&1; then
    reject "truncated: cut inside a UTF-8 character" entities "$T/trunc_utf8.csv" "trunc_utf8.csv"
    grep -qE 'trunc_utf8\.csv(: line |:)2' "$T/err" && ok "cut UTF-8 character: the error names line 2" ||
        notok "cut UTF-8 character: the error names line 2"
else
    notok "trunc_utf8.csv fixture: expected bytes that also decode as GB18030"
fi

# --- encodings --------------------------------------------------------------------------
printf 'credit_code,name,district\n%s,温州示例科技有限公司,鹿城区\n%s,温州\xff\xff示例,鹿城区\n' $CODE $CODE >"$T/enc_ff.csv"
reject "encoding: 0xFF bytes (neither UTF-8 nor GB18030)" entities "$T/enc_ff.csv" \
    "enc_ff.csv: line 3: error: 第3行：" "不是合法的 UTF-8 或 GBK 文字" "字节 0xFF"

iconv -f UTF-8 -t UTF-16 "$DATA/entities.csv" >"$T/enc_utf16.csv"
reject "encoding: UTF-16 with byte-order mark" entities "$T/enc_utf16.csv" \
    "enc_utf16.csv: line 1: error:" "不支持 UTF-16 编码"

iconv -f UTF-8 -t UTF-16LE "$DATA/tax.csv" >"$T/enc_utf16le.csv"
reject "encoding: UTF-16LE without byte-order mark" tax "$T/enc_utf16le.csv" \
    "enc_utf16le.csv: line 1, field 1: error:"

# --- values -----------------------------------------------------------------------------
printf 'credit_code,year,local_contribution\n%s,2020,1.00\n%s,2021,2.00\n%s,2021,3.00\n' $CODE $CODE $CODE >"$T/dup.csv"
reject "duplicate key (same credit code and year twice)" tax "$T/dup.csv" \
    "dup.csv:4: error:" "第4行：与第 3 行重复" "（$CODE|2021）"

# The same key, the year once written with a leading space: both rows name 2021 (and both
# would be written, the last silently winning), so the file must be refused — as a
# duplicate, or for the malformed year; either way naming line 3.
printf 'credit_code,year,local_contribution\n%s,2021,2.00\n%s, 2021,3.00\n' $CODE $CODE >"$T/dup_space.csv"
reject "duplicate key, the year written ' 2021'" tax "$T/dup_space.csv" "dup_space.csv:3: error:"

printf 'credit_code,year,地方综合贡献度\n%s,2020,-1.00\n%s,2021,5.00\n%s,2022,-0.01\n' $CODE $CODE $CODE >"$T/neg.csv"
reject "negative amount (each bad row reported)" tax "$T/neg.csv" \
    "neg.csv:2: error: 第2行第3列「地方综合贡献度」：「-1.00」" "neg.csv:4: error: 第4行第3列「地方综合贡献度」：「-0.01」" "金额不能为负"

printf 'credit_code,name\n91330302MA285XT30X,温州示例科技有限公司\n' >"$T/checkchar.csv"
reject "bad credit code (wrong check character)" entities "$T/checkchar.csv" \
    "checkchar.csv:2: error: 第2行第1列「credit_code」：「91330302MA285XT30X」" "校验位错误" "校验位应为「K」"

export HUIQI_NOW=2022-03-01
printf 'credit_code,recognition,level,date\n%s,工业设计中心,国家,2023-01-01\n' $CODE >"$T/future.csv"
reject "date in the future (recognition 2023-01-01, today 2022-03-01)" recognitions "$T/future.csv" \
    "future.csv:2: error: 第2行第4列「date」：日期 2023-01-01 晚于今天 2022-03-01"

printf 'credit_code,name,registered\n%s,温州示例科技有限公司,2023-01-01\n' $CODE >"$T/future_fact.csv"
reject "date fact in the future (注册日期 2023-01-01)" entities "$T/future_fact.csv" \
    "future_fact.csv:2: error: 第2行第3列「registered」：日期 2023-01-01"

printf 'credit_code,year,local_contribution\n%s,2023,1.00\n' $CODE >"$T/future_year.csv"
reject "year in the future (2023)" tax "$T/future_year.csv" "future_year.csv:2: error: 第2行第2列「year」：" "2023 年度尚未到来"

printf 'credit_code,name,colour\n%s,温州示例科技有限公司,red\n' $CODE >"$T/unknown_col.csv"
reject "unknown column" entities "$T/unknown_col.csv" "unknown_col.csv:1: error:" "「colour」" "不是 entities 数据的列"

OTHER=$(uscc 91330302MA2000001)
printf 'credit_code,year,local_contribution\n%s,2021,1.00\n%s,2021,1.00\n' $CODE "$OTHER" >"$T/unknown_entity.csv"
reject "unknown entity in a tax file" tax "$T/unknown_entity.csv" \
    "unknown_entity.csv:3: error: 第3行第1列「credit_code」：$OTHER" "未在企业名录中登记"

# --- JSON -------------------------------------------------------------------------------
printf '[{"credit_code": "%s", "year": 2021, "local_contribution": "1.00"},\n {"credit_code": "%s", "year": 2022, "local_contribution": 1234.5}]\n' \
    $CODE $CODE >"$T/float.json"
reject "JSON with a float amount" tax "$T/float.json" \
    'float.json:$[1]: error: local_contribution:' "floating-point"

printf '[{"credit_code": "%s", "year": 2021,\n  "local_contribution": "1.00"' $CODE >"$T/trunc.json"
reject "JSON truncated" tax "$T/trunc.json" "trunc.json:2:"

# A JSON row with 65 distinct keys: credit_code, name, 62 facts left empty (null) and an
# unknown column last. The unknown column must be reported, not dropped unread.
"$HQ" facts --json | jq --arg c $CODE \
    '[({credit_code: $c, name: "温州示例科技有限公司"}
       + ([.facts[] | select(.yearly | not) | .name][0:62] | map({(.): null}) | add)
       + {colour: "red"})]' >"$T/wide.json"
reject "JSON: unknown column as the 65th key" entities "$T/wide.json" "wide.json:" "「colour」" "不是 entities 数据的列"

# --- good files -------------------------------------------------------------------------
# A register saved by Chinese Excel: GBK, Chinese column names.
GBK_CODE=$(uscc 91330303MA2GBK001)
printf '统一社会信用代码,企业名称,注册地,行业\n%s,温州瓯越鞋服设计有限公司,龙湾区,创意设计\n' "$GBK_CODE" |
    iconv -f UTF-8 -t GB18030 >"$T/gbk.csv"
if iconv -f UTF-8 -t UTF-8 "$T/gbk.csv" >/dev/null 2>&1; then notok "gbk.csv fixture is not GBK"; fi
expect 0 "GBK register imports" import entities "$T/gbk.csv" --db "$DB"
has "$T/out" "GBK register: encoding recognised" "GB18030" "1 行"
same "$(q "$DB" "SELECT name FROM entity WHERE credit_code = '$GBK_CODE'")" "温州瓯越鞋服设计有限公司" \
    "GBK register: the name is stored as UTF-8"
same "$(q "$DB" "SELECT group_concat(value, ' ') FROM (SELECT f.value FROM fact f JOIN entity e ON e.id = f.entity_id
                  WHERE e.credit_code = '$GBK_CODE' ORDER BY f.name) AS sub")" '"龙湾区" "创意设计"' \
    "GBK register: district and industry stored as UTF-8"
same "$(q "$DB" "SELECT encoding FROM import ORDER BY id DESC LIMIT 1")" "GB18030" "GBK register: provenance records GB18030"

# The same file twice, and the same content under another name: nothing changes.
dump "$DB" "$T/before.sql"
expect 0 "import gbk.csv again" import entities "$T/gbk.csv" --db "$DB"
has "$T/out" "second import says nothing changed" "导入过" "未作改动"
cp "$T/gbk.csv" "$T/gbk-copy.csv"
expect 0 "import the same content under another name" import entities "$T/gbk-copy.csv" --db "$DB"
has "$T/out" "copy: says nothing changed" "未作改动"
dump "$DB" "$T/after.sql"
if cmp -s "$T/before.sql" "$T/after.sql"; then ok "repeated imports leave the database identical"; else
    notok "repeated imports changed the database"
    diff "$T/before.sql" "$T/after.sql" | head -10 | sed 's/^/#   /'
fi

# 严重失信名单 is the complete list each time it is sent, so the last list imported is the
# one in force — also when its content equals an earlier import. The setup imported an
# empty list (credit.csv); then list A names the firm; then the empty list is sent again.
printf 'credit_code,list\n%s,严重失信名单\n' $CODE >"$T/credit_a.csv"
printf 'credit_code,list\n' >"$T/credit_b.csv"
listed() {
    q "$DB" "SELECT count(*) FROM list_member l JOIN entity e ON e.id = l.entity_id
             WHERE e.credit_code = '$CODE' AND l.list = '严重失信名单'"
}
expect 0 "credit list A (the firm listed)" import credit "$T/credit_a.csv" --db "$DB"
same "$(listed)" 1 "list A in force: the firm is listed"
expect 0 "the empty credit list sent again (same bytes as the first import)" import credit "$DATA/credit.csv" --db "$DB"
same "$(listed)" 0 "the empty list sent again is in force: the firm is no longer listed"
expect 0 "another empty credit list (different bytes)" import credit "$T/credit_b.csv" --db "$DB"
same "$(listed)" 0 "empty list B in force: the firm is not listed"
expect 0 "credit list A sent again" import credit "$T/credit_a.csv" --db "$DB"
same "$(listed)" 1 "list A sent again is in force: the firm is listed again"

verify_audit "$DB" "audit verify after the imports"
finish
