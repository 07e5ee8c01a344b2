/*
 * The keyed, hash-chained audit log; see audit.h for the guarantees.
 *
 * The hashed text is every field, each prefixed by its length, so that no two different
 * rows can produce the same byte string by moving text between fields.
 */
#include "ledger/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fixed.h"
#include "base/sha256.h"
#include "ledger/clock.h"

static const char GENESIS[65] = "0000000000000000000000000000000000000000000000000000000000000000";

enum { KEY_LEN = 32, MAX_AWARD_ID = 1 << 24 };

/* ---- the key file ----------------------------------------------------------------------- */

void audit_key_path(const hq_store *s, char *out, size_t size)
{
    const char *env = getenv("HUIQI_AUDIT_KEY_FILE");
    if (env && *env) snprintf(out, size, "%s", env);
    else snprintf(out, size, "%s.key", s->location);
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* 64 hex digits (and an optional newline) into the key; -1 when the text is not that. */
static int parse_key(const char *text, size_t n, unsigned char key[KEY_LEN])
{
    while (n && (text[n - 1] == '\n' || text[n - 1] == '\r')) n--;
    if (n != 2 * KEY_LEN) return -1;
    for (int i = 0; i < KEY_LEN; i++) {
        int hi = hex_digit(text[2 * i]), lo = hex_digit(text[2 * i + 1]);
        if (hi < 0 || lo < 0) return -1;
        key[i] = (unsigned char)(hi << 4 | lo);
    }
    return 0;
}

/* 0 read, 1 no such file, -1 unreadable or malformed (s->err says which). */
static int read_key(hq_store *s, const char *path)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) return 1;
        snprintf(s->err, sizeof s->err, "审计密钥文件 %.300s 无法读取：%s", path, HQ_ERRNO_ZH(errno));
        return -1;
    }
    char text[2 * KEY_LEN + 4];
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n < 0 || parse_key(text, (size_t)n, s->audit_key)) {
        snprintf(s->err, sizeof s->err, "审计密钥文件 %.300s 格式不对（应为64位十六进制数）", path);
        return -1;
    }
    return 0;
}

/* A new random key, written to a private temporary file and linked into place, so that a
 * reader never sees half a key and two writers racing keep the first. */
static int create_key(hq_store *s, const char *path)
{
    unsigned char key[KEY_LEN];
    char hex[2 * KEY_LEN + 2], tmp[1130];
    if (RAND_bytes(key, sizeof key) != 1) {
        snprintf(s->err, sizeof s->err, "无法生成审计密钥（随机数不可用）");
        return -1;
    }
    hq_hex(key, sizeof key, hex);
    strcat(hex, "\n");
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    bool written = fd >= 0 && write(fd, hex, strlen(hex)) == (ssize_t)strlen(hex) && fsync(fd) == 0;
    if (fd >= 0) close(fd);
    int linked = written ? link(tmp, path) : -1;
    int err = errno;
    if (fd >= 0) unlink(tmp);
    if (!written || (linked && err != EEXIST)) {
        snprintf(s->err, sizeof s->err, "无法创建审计密钥文件 %.300s：%s", path, HQ_ERRNO_ZH(err));
        return -1;
    }
    return read_key(s, path); /* ours, or the one another writer linked first */
}

/* Load the key once per connection: 0 loaded, 1 no key file (when not `create`), -1 error. */
static int load_key(hq_store *s, bool create)
{
    if (s->audit_key_state == 1) return 0;
    /* A database in memory vanishes with its connection: so does its key. */
    if (!strcmp(s->location, ":memory:") || !s->location[0]) {
        if (!create || RAND_bytes(s->audit_key, KEY_LEN) != 1) return 1;
        s->audit_key_state = 1;
        return 0;
    }
    char path[1100];
    audit_key_path(s, path, sizeof path);
    int rc = read_key(s, path);
    if (rc == 1 && create) rc = create_key(s, path);
    if (rc == 0) s->audit_key_state = 1;
    return rc;
}

/* The HMAC of a short text under the key, as hex. */
static void mac_text(const hq_store *s, const char *text, char out[65])
{
    unsigned char m[32];
    hq_hmac_sha256(s->audit_key, KEY_LEN, text, strlen(text), m);
    hq_hex(m, sizeof m, out);
}

static void keyed_from_mac(const hq_store *s, long long from, char out[65])
{
    char text[64];
    snprintf(text, sizeof text, "huiqi audit keyed from %lld", from);
    mac_text(s, text, out);
}

/* ---- the row hash ----------------------------------------------------------------------- */

static size_t put(char *buf, size_t at, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    at += (size_t)sprintf(buf + at, "%zu:", n);
    if (n) memcpy(buf + at, s, n);
    return at + n;
}

/* SHA-256 over the row's fields, or HMAC-SHA256 under `key` when it is not NULL. -1 when
 * out of memory. */
static int row_hash(const hq_audit_rec *r, const unsigned char *key, char out[65])
{
    char seq[24];
    snprintf(seq, sizeof seq, "%lld", (long long)r->seq);
    const char *f[] = {seq, r->at, r->actor, r->action, r->object, r->before, r->after, r->prev};
    size_t cap = 0;
    for (size_t i = 0; i < sizeof f / sizeof *f; i++) cap += (f[i] ? strlen(f[i]) : 0) + 24;
    char *buf = malloc(cap);
    if (!buf) return -1;
    size_t n = 0;
    for (size_t i = 0; i < sizeof f / sizeof *f; i++) n = put(buf, n, f[i]);
    if (key) {
        unsigned char m[32];
        hq_hmac_sha256(key, KEY_LEN, buf, n, m);
        hq_hex(m, sizeof m, out);
    } else {
        hq_sha256_hex(buf, n, out);
    }
    free(buf);
    return 0;
}

/* ---- appending -------------------------------------------------------------------------- */

/* The first keyed row of the ledger, keying it from `next` when it is not keyed yet (the
 * switch of an old ledger, or a new one's first row). -1 with the reason in s->err. */
static int keyed_from(hq_store *s, long long next, long long *from)
{
    char v[32] = "", mac[65];
    if (store_meta_get(s, "audit_key_from", v, sizeof v) < 0) return -1;
    if (v[0]) {
        *from = atoll(v);
        char path[1100], want[65], have[65] = "";
        audit_key_path(s, path, sizeof path);
        int rc = load_key(s, false);
        if (rc == 1)
            snprintf(s->err, sizeof s->err, "审计密钥文件 %.300s 不存在：该台账自第%lld条审计记录起以密钥签名，缺少密钥不能写入（恢复密钥文件，或设置 HUIQI_AUDIT_KEY_FILE）",
                     path, *from);
        if (rc) return -1;
        /* Another ledger's key would sign rows that never verify: refuse it. */
        if (store_meta_get(s, "audit_key_mac", have, sizeof have) < 0) return -1;
        keyed_from_mac(s, *from, want);
        if (strcmp(want, have)) {
            s->audit_key_state = 0;
            snprintf(s->err, sizeof s->err, "审计密钥文件 %.300s 不是这个台账的密钥（台账的密钥起始记录与它的签名不符），不能写入", path);
            return -1;
        }
        return 0;
    }
    if (load_key(s, true)) return -1;
    *from = next;
    snprintf(v, sizeof v, "%lld", next);
    keyed_from_mac(s, next, mac);
    return store_meta_set(s, "audit_key_from", v) || store_meta_set(s, "audit_key_mac", mac) ? -1 : 0;
}

int audit_log(hq_store *s, const char *actor, const char *action, const char *object, const json_t *before,
              const json_t *after)
{
    char seq[32], head[65];
    long long from;
    if (s->read_only) {
        snprintf(s->err, sizeof s->err, "数据库以只读方式打开，不能写入审计记录");
        return -1;
    }
    if (store_meta_get(s, "audit_seq", seq, sizeof seq) < 0 || store_meta_get(s, "audit_head", head, sizeof head) < 0)
        return -1;
    hq_audit_rec r = {.seq = atoll(seq) + 1};
    if (keyed_from(s, r.seq, &from)) return -1;
    clock_now(r.at, sizeof r.at);
    snprintf(r.actor, sizeof r.actor, "%s", actor ? actor : "");
    snprintf(r.action, sizeof r.action, "%s", action);
    snprintf(r.object, sizeof r.object, "%s", object ? object : "");
    snprintf(r.prev, sizeof r.prev, "%s", head[0] ? head : GENESIS);
    r.before = before ? json_dumps(before, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    r.after = after ? json_dumps(after, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    int rc = row_hash(&r, r.seq >= from ? s->audit_key : NULL, r.hash);
    if (rc) snprintf(s->err, sizeof s->err, "out of memory");
    snprintf(seq, sizeof seq, "%lld", (long long)r.seq);
    if (!rc)
        rc = store_audit_append(s, &r) || store_meta_set(s, "audit_seq", seq) || store_meta_set(s, "audit_head", r.hash)
                 ? -1
                 : 0;
    free(r.before);
    free(r.after);
    return rc;
}

int audit_record(hq_store *s, const char *actor, const char *action, const char *object, const json_t *after)
{
    if (store_begin(s)) return -1;
    if (audit_log(s, actor, action, object, NULL, after) || store_commit(s)) {
        store_rollback(s);
        return -1;
    }
    return 0;
}

/* ---- checkpoints ------------------------------------------------------------------------ */

static void checkpoint_mac(const hq_store *s, long long seq, const char *head, const char *at, char out[65])
{
    char text[200];
    snprintf(text, sizeof text, "huiqi audit checkpoint\n%lld\n%s\n%s", seq, head, at);
    mac_text(s, text, out);
}

json_t *audit_checkpoint(hq_store *s, char *why, size_t why_size)
{
    char seq[32], head[65], at[32], mac[65], path[1100];
    int rc = load_key(s, false);
    if (rc) {
        audit_key_path(s, path, sizeof path);
        if (rc == 1) snprintf(why, why_size, "没有审计密钥文件 %.300s：台账尚未写入带密钥的记录，无法签署检查点", path);
        else snprintf(why, why_size, "%s", store_error(s));
        return NULL;
    }
    if (store_meta_get(s, "audit_seq", seq, sizeof seq) < 0 || store_meta_get(s, "audit_head", head, sizeof head) < 0) {
        snprintf(why, why_size, "%s", store_error(s));
        return NULL;
    }
    clock_now(at, sizeof at);
    checkpoint_mac(s, atoll(seq), head, at, mac);
    return json_pack("{s:I, s:s, s:s, s:s}", "seq", (json_int_t)atoll(seq), "head", head, "at", at, "mac", mac);
}

/* ---- verification ----------------------------------------------------------------------- */

/* What the log last said of an award. */
typedef struct {
    bool seen;
    char state[16], amount[32], decision_id[24];
} award_said;

typedef struct {
    hq_diag *diag;
    hq_store *s;
    long long rows, expect_seq, from, unchecked;
    const unsigned char *key;
    char prev[65];
    long long cp_seq;          /* a checkpoint's row, 0 without one */
    char cp_hash[65];          /* that row's hash as found */
    award_said *said;
    int64_t nsaid;
    bool broken, oom;
} verify_state;

static void str_of(const json_t *o, const char *k, char *out, size_t size)
{
    const char *v = json_string_value(json_object_get(o, k));
    snprintf(out, size, "%s", v ? v : "");
}

/* An award's audited state: every change of an award writes it whole into "after". */
static void note_award(verify_state *v, const hq_audit_rec *r)
{
    long long id;
    char rest;
    if (!r->after || sscanf(r->object, "award#%lld%c", &id, &rest) != 1 || id <= 0 || id >= MAX_AWARD_ID) return;
    json_t *after = json_loads(r->after, 0, NULL);
    if (after && json_is_string(json_object_get(after, "state")) && json_is_string(json_object_get(after, "amount"))) {
        if (id >= v->nsaid) {
            int64_t n = v->nsaid ? v->nsaid : 1024;
            while (n <= id) n *= 2;
            award_said *p = realloc(v->said, (size_t)n * sizeof *p);
            if (!p) {
                v->oom = true;
                json_decref(after);
                return;
            }
            memset(p + v->nsaid, 0, (size_t)(n - v->nsaid) * sizeof *p);
            v->said = p;
            v->nsaid = n;
        }
        award_said *a = &v->said[id];
        a->seen = true;
        str_of(after, "state", a->state, sizeof a->state);
        str_of(after, "amount", a->amount, sizeof a->amount);
        str_of(after, "decision_id", a->decision_id, sizeof a->decision_id);
    }
    json_decref(after);
}

static int verify_row(const hq_audit_rec *r, void *ud)
{
    verify_state *v = ud;
    char where[48], h[65];
    snprintf(where, sizeof where, "审计记录第%lld条", (long long)r->seq);
    if (r->seq != v->expect_seq) {
        diag_add(v->diag, where, "序号从第%lld条跳到此处：第%lld–%lld条缺失", v->expect_seq - 1, v->expect_seq,
                 (long long)r->seq - 1);
        v->broken = true;
    }
    if (strcmp(r->prev, v->prev)) {
        diag_add(v->diag, where, "与前一条记录不衔接（前序哈希不符）：之前的记录被改动或删除");
        v->broken = true;
    }
    bool keyed = v->from && r->seq >= v->from;
    if (keyed && !v->key) {
        v->unchecked++;
    } else if (row_hash(r, keyed ? v->key : NULL, h)) {
        v->oom = true;
    } else if (strcmp(h, r->hash)) {
        diag_add(v->diag, where, "内容与其哈希不符：该条记录（%s %s，操作人 %s）被改动", r->action, r->object,
                 r->actor);
        v->broken = true;
    }
    if (v->cp_seq == r->seq) snprintf(v->cp_hash, sizeof v->cp_hash, "%s", r->hash);
    note_award(v, r);
    snprintf(v->prev, sizeof v->prev, "%s", r->hash);
    v->expect_seq = r->seq + 1;
    v->rows++;
    return v->oom ? -1 : 0;
}

typedef struct {
    verify_state *v;
    hq_audit_check *out;
    int rc;
} object_check;

static void object_problem(verify_state *v, int64_t id, const char *fmt, const char *row, const char *said)
{
    char where[48];
    snprintf(where, sizeof where, "award#%lld", (long long)id);
    diag_add(v->diag, where, fmt, row, said);
    v->broken = true;
}

/* The payment of an award against the log: only for an award it shows paid, for the
 * audited amount, and its split adds up to it. */
static int check_payment(object_check *c, const hq_award_rec *a, const award_said *said)
{
    hq_payment_rec p;
    int rc = store_payment_get(c->v->s, a->id, &p);
    if (rc < 0) return -1;
    bool paid_said = said && (!strcmp(said->state, "paid") || !strcmp(said->state, "archived"));
    if (rc == 1) {
        if (said && !strcmp(said->state, "paid"))
            object_problem(c->v, a->id, "审计日志记载已兑付，但没有兑付记录：兑付记录被删除%s%s", "", "");
        return 0;
    }
    c->out->payments++;
    char amount[32], splits[32];
    fen_format(p.amount_fen, false, amount, sizeof amount);
    if (!paid_said) object_problem(c->v, a->id, "有一笔 %s 元的兑付记录，但审计日志中没有这笔兑付%s", amount, "");
    else if (strcmp(amount, said->amount))
        object_problem(c->v, a->id, "兑付记录的金额 %s 元与审计日志记载的 %s 元不符：兑付记录被改动", amount, said->amount);
    int64_t sum = 0;
    for (int i = 0; i < p.nsplits; i++) sum += p.splits[i].amount_fen;
    fen_format(sum, false, splits, sizeof splits);
    if (p.nsplits && sum != p.amount_fen)
        object_problem(c->v, a->id, "各分担主体合计 %s 元，与兑付金额 %s 元不符：分担记录被改动", splits, amount);
    return 0;
}

static int check_award(const hq_award_rec *a, void *ud)
{
    object_check *c = ud;
    verify_state *v = c->v;
    const award_said *said = a->id > 0 && a->id < v->nsaid && v->said[a->id].seen ? &v->said[a->id] : NULL;
    char amount[32];
    fen_format(a->amount_fen, false, amount, sizeof amount);
    c->out->awards++;
    if (!said) {
        /* A candidate is written by matching, whose audit row covers the whole run. */
        if (a->state != AWARD_CANDIDATE)
            object_problem(v, a->id, "处于「%s」，但审计日志中没有它的任何变更记录%s：奖补记录被直接写入", award_state_zh(a->state), "");
    } else {
        if (strcmp(award_state_code(a->state), said->state))
            object_problem(v, a->id, "状态为「%s」，与审计日志最后记载的「%s」不符：奖补记录被直接改动", award_state_zh(a->state),
                           said->state);
        if (strcmp(amount, said->amount))
            object_problem(v, a->id, "金额为 %s 元，与审计日志最后记载的 %s 元不符：奖补记录被直接改动", amount, said->amount);
        if (strcmp(a->decision_id, said->decision_id))
            object_problem(v, a->id, "测算编号为 %s，与审计日志最后记载的 %s 不符：奖补记录被直接改动", a->decision_id,
                           said->decision_id);
    }
    if (check_payment(c, a, said)) {
        c->rc = -1;
        return -1;
    }
    return 0;
}

/* The checkpoint's own signature and whether the chain still holds its head. */
static void check_checkpoint(verify_state *v, const json_t *cp)
{
    json_t *jseq = json_object_get(cp, "seq");
    const char *head = json_string_value(json_object_get(cp, "head"));
    const char *at = json_string_value(json_object_get(cp, "at"));
    const char *mac = json_string_value(json_object_get(cp, "mac"));
    if (!json_is_integer(jseq) || json_integer_value(jseq) < 0 || !head || !at || !mac) {
        diag_add(v->diag, "checkpoint", "检查点文件格式不对（应有 seq、head、at、mac）");
        v->broken = true;
        return;
    }
    long long seq = json_integer_value(jseq);
    if (v->key) {
        char want[65];
        checkpoint_mac(v->s, seq, head, at, want);
        if (strcmp(want, mac)) {
            diag_add(v->diag, "checkpoint", "检查点的签名不符：检查点被改动，或不是用本台账的密钥签署的");
            v->broken = true;
        }
    }
    if (seq == 0) return;
    if (v->rows < seq) {
        diag_add(v->diag, "checkpoint", "审计日志只有%lld条记录，而检查点（%s）记到第%lld条：日志被截断", v->rows, at, seq);
        v->broken = true;
    } else if (strcmp(v->cp_hash, head)) {
        diag_add(v->diag, "checkpoint", "第%lld条记录的哈希与检查点（%s）不符：该条或之前的记录被改写", seq, at);
        v->broken = true;
    }
}

/* The keying: where it starts, and that its record was made with our key. */
static int check_keying(verify_state *v, hq_store *s, hq_audit_check *out)
{
    char from[32] = "", mac[65] = "", want[65];
    if (store_meta_get(s, "audit_key_from", from, sizeof from) < 0 || store_meta_get(s, "audit_key_mac", mac, sizeof mac) < 0)
        return -1;
    int rc = load_key(s, false);
    if (rc < 0) return -1;
    v->key = rc == 0 ? s->audit_key : NULL;
    v->from = from[0] ? atoll(from) : 0;
    out->key = v->key != NULL;
    out->keyed_from = v->from;
    if (v->key && v->from) {
        keyed_from_mac(s, v->from, want);
        if (strcmp(want, mac)) {
            diag_add(v->diag, "audit", "记录的密钥起始位置（第%lld条）未经密钥签署：起始位置被改动", v->from);
            v->broken = true;
        }
    }
    return 0;
}

int audit_verify(hq_store *s, const json_t *checkpoint, hq_diag *diag, hq_audit_check *out)
{
    verify_state v = {.diag = diag, .s = s, .expect_seq = 1};
    memset(out, 0, sizeof *out);
    snprintf(v.prev, sizeof v.prev, "%s", GENESIS);
    if (check_keying(&v, s, out)) return -1;
    json_t *jseq = checkpoint ? json_object_get(checkpoint, "seq") : NULL;
    v.cp_seq = json_is_integer(jseq) ? json_integer_value(jseq) : 0;
    int rc = store_audit_scan(s, verify_row, &v);
    if (v.oom) snprintf(s->err, sizeof s->err, "out of memory");
    if (!rc && !v.oom) {
        char seq[32], head[65];
        rc = store_meta_get(s, "audit_seq", seq, sizeof seq) < 0 || store_meta_get(s, "audit_head", head, sizeof head) < 0 ? -1 : 0;
        long long want = atoll(seq);
        if (!rc && (want != v.rows || (want && strcmp(head, v.prev)))) {
            diag_add(diag, "audit", "审计日志止于第%lld条，但记录的链尾为第%lld条：末尾的记录被删除或添加",
                     v.rows, want);
            v.broken = true;
        }
        /* A key file beside a ledger that says it was never keyed: the record of the keying
         * was removed so that a recomputed plain chain would pass. */
        if (!rc && v.key && !v.from && v.rows) {
            diag_add(diag, "audit", "有审计密钥文件，但台账记载未启用密钥：密钥起始记录被删除，或用错了密钥文件");
            v.broken = true;
        }
    }
    if (!rc && !v.oom) {
        object_check c = {.v = &v, .out = out};
        hq_award_filter f = {.state = -1};
        rc = store_award_list(s, &f, check_award, &c) || c.rc ? -1 : 0;
    }
    if (!rc && !v.oom && checkpoint) check_checkpoint(&v, checkpoint);
    free(v.said);
    out->rows = v.rows;
    out->unchecked = v.unchecked;
    if (rc || v.oom) return -1;
    return v.broken ? 1 : 0;
}
