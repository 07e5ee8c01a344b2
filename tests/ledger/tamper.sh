#!/usr/bin/env bash
# The audit log against someone who can write the database file (issue 12, finding 5):
#   - a new ledger is keyed (HMAC-SHA256) under a key file beside it, mode 0600;
#   - the recompute-the-chain attack: triggers dropped, a row rewritten and every hash
#     recomputed as the old unkeyed chain did — verification fails, also when the record of
#     the keying is removed too;
#   - a direct UPDATE of an award's amount or of a payment is named by verification;
#   - a signed checkpoint catches a chain cut back behind it, and a forged checkpoint;
#   - without the key file a writer refuses and verification says it checked only the
#     structure; with a wrong key verification fails and a writer refuses;
#   - `audit verify` opens the database read-only: a chmod 444 copy in a read-only
#     directory verifies, and nothing is written to it (not even a migration).
# On PostgreSQL (HUIQI_TEST_DB_URL) the key file is the local path store_pg.c derives from
# the URL (db_key_of); the checks of the SQLite file itself (the key not in it, read-only
# verification) and the recompute attack (SQLite's triggers by name) are skipped, saying so.
#
# Usage: BUILD=build tests/ledger/tamper.sh
. "$(dirname "$0")/lib.sh"

DB=$(db_new ledger)
export HUIQI_DB=$DB
DEPT=市经信局

expect 0 "init" init
for k in entities tax recognitions mujun credit; do expect 0 "import $k" import $k "$DATA/$k.csv"; done
expect 0 "fiscal set 鹿城区 50%" fiscal set --district 鹿城区 --city-share 50% --source test
expect 0 "match 2021" match --year 2021 --quiet
ID=$(q "$DB" "SELECT id FROM award WHERE item = '12-7-12' AND year = 2021")
[ -n "$ID" ] || { notok "no 12-7-12 award: nothing more to test"; finish; }
expect 0 "push" award push "$ID"
expect 0 "apply" award apply "$ID"
expect 0 "accept" award accept "$ID" --department $DEPT
expect 0 "approve" award approve "$ID" --department $DEPT
expect 0 "pay" award pay "$ID" --batch 2022-03
verify_audit "$DB" "the untouched ledger verifies"
has "$T/out" "verify reports the keyed chain and the objects compared" "（含密钥签名）" "1 笔兑付与审计日志一致"

same "$(stat -c %a "$(db_key_of "$DB")")" 600 "the key file sits beside the database (PostgreSQL: its local key path), mode 0600"
if db_pg; then db_skip "the key is not in the database file" "no database file on PostgreSQL"; else
    grep -qF "$(cat "$DB.key")" "$DB" && notok "the key is in the database file" || ok "the key is not in the database file"
fi
same "$(q "$DB" "SELECT value FROM meta WHERE key = 'audit_key_from'")" 1 "a new ledger is keyed from its first row"

# plain_hash SEQ AT ACTOR ACTION OBJECT BEFORE AFTER PREV: the unkeyed row hash (audit.c's
# length-prefixed fields under SHA-256), computed as an attacker without the key would.
plain_hash() {
    local f s=""
    for f in "$@"; do s+="${#f}:$f"; done
    printf '%s' "$s" | sha256sum | cut -c1-64
}
# recompute DB: every row's hash and prev recomputed unkeyed, the head in meta updated.
recompute() {
    local db=$1 prev=0000000000000000000000000000000000000000000000000000000000000000 seq at actor action object before after h
    local sql="DROP TRIGGER IF EXISTS audit_no_update;"
    while IFS=$'\x1f' read -r seq at actor action object before after; do
        h=$(LC_ALL=C plain_hash "$seq" "$at" "$actor" "$action" "$object" "$before" "$after" "$prev")
        sql+="UPDATE audit SET prev = '$prev', hash = '$h' WHERE seq = $seq;"
        prev=$h
    done < <(sqlite3 -batch -separator $'\x1f' "$db" "SELECT seq, at, actor, action, object, coalesce(before, ''), coalesce(after, '') FROM audit ORDER BY seq")
    sql+="UPDATE meta SET value = '$prev' WHERE key = 'audit_head';"
    sqlite3 -batch "$db" "$sql"
}

# --- the recompute-the-chain attack ------------------------------------------------------------
if db_pg; then db_skip "the recompute-the-chain attack" "it drops SQLite's audit triggers by their SQLite names"; else
    copy_db "$DB" "$T/r1.db"
    sqlite3 -batch "$T/r1.db" "DROP TRIGGER audit_no_update; UPDATE audit SET after = replace(after, '1000000.00', '9000000.00') WHERE action = 'pay';
        UPDATE award SET amount_fen = 900000000 WHERE id = $ID; UPDATE payment SET amount_fen = 900000000 WHERE award_id = $ID;
        UPDATE payment_split SET amount_fen = 450000000"
    recompute "$T/r1.db"
    # The attack is sound: the same recomputation makes a chain of the old, unkeyed kind verify.
    copy_db "$DB" "$T/r0.db"
    sqlite3 -batch "$T/r0.db" "DELETE FROM meta WHERE key IN ('audit_key_from', 'audit_key_mac')"
    recompute "$T/r0.db"
    HUIQI_AUDIT_KEY_FILE=$T/none.key expect 0 "control: without a key the recomputed plain chain verifies (what the old chain allowed)" audit verify --db "$T/r0.db"
    PAYSEQ=$(q "$DB" "SELECT seq FROM audit WHERE action = 'pay' AND object = 'award#$ID'")
    expect 1 "recomputed chain: verify fails" audit verify --db "$T/r1.db"
    has "$T/out" "recomputed chain: the rewritten row is named" "审计记录第${PAYSEQ}条: 内容与其哈希不符"
    expect 1 "recomputed chain with the keying record removed: verify fails" audit verify --db "$T/r0.db"
    has "$T/out" "keying record removed: said so" "有审计密钥文件，但台账记载未启用密钥"
    copy_db "$DB" "$T/r2.db"
    sqlite3 -batch "$T/r2.db" "UPDATE meta SET value = '999' WHERE key = 'audit_key_from'"
    recompute "$T/r2.db"
    expect 1 "recomputed chain with the keying moved past the end: verify fails" audit verify --db "$T/r2.db"
    has "$T/out" "keying moved: said so" "未经密钥签署"
fi

# --- direct edits of awards and payments -------------------------------------------------------
U1=$(db_new u1)
copy_db "$DB" "$U1"
q "$U1" "UPDATE award SET amount_fen = 900000000 WHERE id = $ID"
expect 1 "UPDATE award SET amount_fen: verify fails" audit verify --db "$U1"
has "$T/out" "UPDATE award: the award is named with both amounts" "award#$ID" "9000000.00" "1000000.00"
U2=$(db_new u2)
copy_db "$DB" "$U2"
q "$U2" "UPDATE payment SET amount_fen = 100 WHERE award_id = $ID"
expect 1 "UPDATE payment SET amount_fen: verify fails" audit verify --db "$U2"
has "$T/out" "UPDATE payment: the award is named" "award#$ID" "兑付记录的金额 1.00 元"
U3=$(db_new u3)
copy_db "$DB" "$U3"
q "$U3" "UPDATE award SET state = 'approved' WHERE id = $ID"
expect 1 "award set back to approved (to be paid again): verify fails" audit verify --db "$U3"
has "$T/out" "state edit: named" "award#$ID" "审核通过"
U4=$(db_new u4)
copy_db "$DB" "$U4"
FK="PRAGMA foreign_keys=ON; " # SQLite enforces foreign keys per connection, when asked
db_pg && FK=""
q "$U4" "${FK}UPDATE payment_split SET amount_fen = amount_fen + 1 WHERE payer = '市财政'"
expect 1 "a payment split edited: verify fails" audit verify --db "$U4"

# --- checkpoints -------------------------------------------------------------------------------
expect 0 "fiscal set (a row after the payment)" fiscal set --district 鹿城区 --city-share 40% --source test
expect 0 "audit checkpoint --out" audit checkpoint --out "$T/cp.json"
CPSEQ=$(jq -r .seq "$T/cp.json")
same "$CPSEQ" "$(q "$DB" "SELECT max(seq) FROM audit")" "the checkpoint holds the last row"
expect 0 "fiscal set (a row after the checkpoint)" fiscal set --district 鹿城区 --city-share 50% --source test
expect 0 "verify --checkpoint on the grown ledger" audit verify --db "$DB" --checkpoint "$T/cp.json"
has "$T/out" "checkpoint: reported as checked" "检查点核对一致"
C1=$(db_new c1)
copy_db "$DB" "$C1"
# Cut the chain back to before the checkpoint: the rest is intact and the head is moved.
db_tamper "$C1" "DELETE FROM audit WHERE seq >= $CPSEQ;
    UPDATE meta SET value = (SELECT max(seq) FROM audit) WHERE key = 'audit_seq';
    UPDATE meta SET value = (SELECT hash FROM audit ORDER BY seq DESC LIMIT 1) WHERE key = 'audit_head'"
expect 0 "control: the truncated chain verifies without a checkpoint" audit verify --db "$C1"
expect 1 "truncated chain: verify --checkpoint fails" audit verify --db "$C1" --checkpoint "$T/cp.json"
has "$T/out" "truncated: said so" "日志被截断"
jq '.seq -= 1' "$T/cp.json" >"$T/cp-forged.json"
expect 1 "a forged checkpoint fails" audit verify --db "$DB" --checkpoint "$T/cp-forged.json"
has "$T/out" "forged checkpoint: said so" "检查点的签名不符"

# --- the key file ------------------------------------------------------------------------------
K1=$(db_new k1)
copy_db "$DB" "$K1"
rm "$(db_key_of "$K1")"
expect 3 "a writer refuses a keyed ledger without its key file" fiscal set --db "$K1" --district 鹿城区 --city-share 30% --source test
has "$T/err" "missing key: said so" "审计密钥文件" "不存在"
same "$(q "$K1" "SELECT value FROM meta WHERE key = 'audit_seq'")" "$(q "$DB" "SELECT value FROM meta WHERE key = 'audit_seq'")" "missing key: nothing written"
expect 0 "verify without the key file" audit verify --db "$K1"
has "$T/out" "without the key: says only the structure was checked" "只校验了链的结构"
head -c 64 /dev/urandom | sha256sum | cut -c1-64 >"$(db_key_of "$K1")"
expect 1 "verify with a wrong key fails" audit verify --db "$K1"
expect 3 "a writer refuses another ledger's key" fiscal set --db "$K1" --district 鹿城区 --city-share 30% --source test
has "$T/err" "wrong key: said so" "不是这个台账的密钥"
HUIQI_AUDIT_KEY_FILE=$(db_key_of "$DB") expect 0 "HUIQI_AUDIT_KEY_FILE names the key" audit verify --db "$K1"

# --- read-only verification --------------------------------------------------------------------
if db_pg; then db_skip "read-only verification" "it handles the SQLite file (chmod 444, -wal and -shm)"; else
    mkdir "$T/ro"
    copy_db "$DB" "$T/ro/ledger.db"
    sqlite3 -batch "$T/ro/ledger.db" "PRAGMA user_version = $(($(q "$DB" "PRAGMA user_version") - 1))"
    sum_before=$(sha256sum <"$T/ro/ledger.db")
    chmod 444 "$T/ro/ledger.db" "$T/ro/ledger.db.key"
    chmod 555 "$T/ro"
    expect 0 "audit verify on a chmod 444 copy in a read-only directory" audit verify --db "$T/ro/ledger.db"
    same "$(sha256sum <"$T/ro/ledger.db")" "$sum_before" "read-only verify: the file is unchanged (no migration, no write)"
    [ "$(id -u)" = 0 ] || same "$(ls "$T/ro")" "$(printf 'ledger.db\nledger.db.key')" "read-only verify: no -wal or -shm left"
    chmod 755 "$T/ro"
fi
finish
