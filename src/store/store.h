/*
 * The ledger's storage interface. Everything huiqi keeps between runs — imported entities
 * and facts with their provenance, the awards and their workflow state, objections,
 * payments, budgets, the fiscal-split table and the audit log — goes through the operations
 * listed once in HQ_STORE_OPS below. The ledger (src/ledger) and the operations over it
 * (src/ops) call these; the adapters (CLI, HTTP) only open, close and hand a connection
 * down (ledger_open migrates it), and the rule engine never touches storage at all. A back end fills an hq_store_ops table: SQLite
 * (store_sqlite.c) and PostgreSQL (store_pg.c), behind the same list; the schema they keep
 * is written once (schema.c).
 *
 * Contracts every back end keeps:
 *  - store_begin() takes the write lock at once (SQLite: BEGIN IMMEDIATE; PostgreSQL:
 *    BEGIN and pg_advisory_xact_lock, store_pg.c), so a read-check-write sequence such as an approval is never interleaved
 *    with another writer. Every write happens between store_begin and store_commit.
 *  - Operations return 0 on success, 1 for "not found" where noted, and -1 on error with a
 *    message retrievable by store_error().
 *  - Strings in records are copied in; records handed to callbacks are valid only during
 *    the call. Records hold names in fixed buffers sized by base/limits.h; inputs that
 *    would not fit are refused before they reach the store.
 *  - An hq_store is used by one thread at a time; open one per thread.
 */
#ifndef HQ_STORE_H
#define HQ_STORE_H
#include <stdbool.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/limits.h"
#include "store/rows.h"

typedef struct hq_store hq_store;

/* One import of one file (provenance of every fact it brought). */
typedef struct {
    int64_t id;
    char kind[24];          /* an import kind (ledger/importer.h) */
    char file[256];         /* file name as given */
    char sha256[65];
    char encoding[16];      /* UTF-8 or GB18030 */
    int rows;
    char actor[64];
    char at[32];            /* ISO 8601 */
} hq_import_rec;

/* A past award brought in by import (awards granted before or outside huiqi). */
typedef struct {
    char item[64];          /* may be empty when only the project is known */
    char part[HQ_LABEL_MAX]; /* the item's part it was for, "" for the whole item */
    char project[HQ_KEY_MAX];
    char basis[24];
    int year, data_year;
    char level[8];          /* 市 or 区 */
    char form[16];          /* 现金 or 服务券 */
    int64_t amount_fen;
    char note[256];
} hq_past_rec;

/* Award states (workflow.c gives their Chinese names and legal transitions). */
#define HQ_AWARD_STATES(X)               \
    X(CANDIDATE, "candidate", "待申报")   \
    X(PUSHED, "pushed", "已推送")         \
    X(APPLIED, "applied", "已申报")       \
    X(ACCEPTED, "accepted", "已受理")     \
    X(RETURNED, "returned", "退回补正")   \
    X(APPROVED, "approved", "审核通过")   \
    X(REJECTED, "rejected", "已驳回")     \
    X(PUBLICIZING, "publicizing", "公示中") \
    X(PUBLICIZED, "publicized", "公示期满") \
    X(PAID, "paid", "已兑付")             \
    X(ARCHIVED, "archived", "已归档")

typedef enum {
#define X(id, code, zh) AWARD_##id,
    HQ_AWARD_STATES(X)
#undef X
    AWARD__COUNT
} hq_award_state;

typedef struct {
    int64_t id, entity_id;
    char credit_code[19];
    char entity_name[128];
    char item[64], document[32], department[128], project[128];
    char basis[24];
    char kind[16];             /* 资格定补 / 数据核校 */
    bool voucher;              /* 服务券 */
    int year;                  /* the evaluation (data) year */
    hq_award_state state;
    int64_t entitlement_fen;   /* the item's own amount */
    int64_t amount_fen;        /* after 附则3; fixed at approval */
    char decision_id[24];
    char corpus_hash[65];
    char stage[64];            /* staged items: the stages reached */
    char note[512];            /* 附则3 adjustments, or the approval's note */
    char reason[512];          /* rejection reason */
    char publicity_start[11], publicity_end[11];
    char district[32], industry[64];   /* of the entity, for reports (read only) */
    char updated_at[32];
    int64_t match_run;         /* the match run that last wrote this candidate */
} hq_award_rec;

/* One claim of an approved award (eval/stacking.h): what 附则3 and the quotas count against
 * later awards, and how a payment is split between the parts' payers. */
enum { HQ_MAX_CLAIMS_PER_AWARD = 64 };
typedef struct {
    char part[HQ_LABEL_MAX];   /* the part's label, "" for the whole item */
    char project[HQ_KEY_MAX];  /* the project instance key, "" without a project */
    char basis[24];
    int year, data_year;       /* received; the data it rests on */
    int64_t amount_fen;        /* what the claim pays after 附则3 */
    bool voucher;
} hq_claim_rec;

typedef struct {
    const char *credit_code;   /* NULL: any */
    const char *item;
    const char *department;
    int year;                  /* 0: any */
    int state;                 /* -1: any */
    int limit;                 /* 0: no limit */
} hq_award_filter;

typedef struct {
    int64_t id, award_id;
    char by[64], text[1024], lodged_at[32];
    char resolution[16];       /* "" while open; upheld / dismissed */
    char resolver[64], resolved_at[32], note[512];
} hq_objection_rec;

enum { HQ_MAX_SPLITS = 4 };
typedef struct {
    char payer[32];            /* 市财政 or a district */
    int64_t amount_fen;
} hq_split;

typedef struct {
    int64_t id, award_id;
    int64_t amount_fen;
    bool voucher;
    hq_split splits[HQ_MAX_SPLITS];
    int nsplits;
    char batch[64], actor[64], at[32];
} hq_payment_rec;

typedef struct {
    int year;
    char scope[16];            /* item or document */
    char key[64];              /* the item id or document id */
    int64_t amount_fen;        /* planned budget: approval warns past it */
    int64_t hard_fen;          /* hard limit: approval refuses past it (0: none) */
} hq_budget_rec;

typedef struct {
    char district[32];
    int64_t city_share;        /* hq_fixed rate: the city's share under 现行财政体制 */
    char source[256], as_of[11];
} hq_fiscal_rec;

typedef struct {
    int64_t seq;
    char at[32], actor[64], action[48], object[96];
    char *before, *after;      /* JSON text or NULL; owned by the store during callbacks */
    char prev[65], hash[65];
} hq_audit_rec;

/* One group of a report: awards by a key and state. */
typedef struct {
    const char *key;           /* the group's value (a document number, a district …) */
    const char *state;         /* state code */
    bool voucher;              /* 服务券 awards are reported apart from cash */
    int64_t count, amount_fen, paid_fen;
} hq_report_row;

/* An account of the web UI (issue 5): roles 企业 (bound to one credit code), 审核员 (bound
 * to a department), 财政, 领导 (read-only), 管理员. The password is an argon2id encoding. */
typedef struct {
    int64_t id;
    char username[64];
    char password[160];        /* argon2id encoded string */
    char role[16];             /* enterprise, reviewer, finance, leader, admin */
    char credit_code[19];
    char department[128];
    char display_name[128];
    char created_at[32];
    bool disabled;             /* 停用: cannot sign in, has no sessions */
    char read_at[32];          /* 站内信: messages up to this time have been read */
} hq_user_rec;

typedef struct {
    char token_hash[65];       /* SHA-256 of the cookie token: the token itself is never stored */
    int64_t user_id;
    char csrf[65];
    int64_t expires;           /* unix time */
} hq_session_rec;

/* A supporting document of an award (申报材料): kept in the ledger with its SHA-256, so a
 * reviewer reads exactly what the firm uploaded. */
typedef struct {
    int64_t id, award_id, size;
    char name[128], type[48], sha256[65], by[64], at[32];
} hq_material_rec;

/* A firm's 收款账户, to which the treasury pays its awards: one per firm, set by the firm
 * (or an administrator) before it applies. */
typedef struct {
    char credit_code[20], bank[128], account[40], holder[256], by[64], at[32];
} hq_bank_rec;

/* An observed value of a plan's indicator (plan/plan.h) for one area and period, as
 * imported (`huiqi import indicators`). period is "2021" (the year), "2021-06" (a month) or
 * "2021Q2" (a quarter); value the canonical decimal of an hq_fixed in the indicator's unit;
 * published the bulletin's date (YYYY-MM-DD). */
typedef struct {
    char plan[32], indicator[16], area[64], period[16], value[40];
    char source[512], published[16], note[512];
    int64_t import_id;
    int row;
} hq_obs_rec;

/* A past award as the store keeps it: imported, or a claim of a ledger award. Strings are
 * "" when not recorded; a year of 0 is not recorded (the other year stands for it). */
typedef struct {
    int64_t entity;           /* whose it is */
    const char *item, *part, *project, *basis;
    int year, data_year;
    bool district_level, voucher;
    int64_t amount_fen;
} hq_history_row;

typedef int (*hq_award_cb)(const hq_award_rec *a, void *ud);

/* An award as matching compares it with what it would write (award_slots): the fields a
 * match run sets. Strings are borrowed for the callback's duration. */
typedef struct {
    int64_t id, entity_id;
    const char *item, *decision_id, *document, *department, *project, *basis, *kind, *corpus_hash, *stage, *note;
    hq_award_state state;
    bool voucher;
    int64_t entitlement_fen, amount_fen;
} hq_award_slot;
typedef int (*hq_award_slot_cb)(const hq_award_slot *a, void *ud);
typedef int (*hq_history_cb)(const hq_history_row *r, void *ud);
typedef int (*hq_audit_cb)(const hq_audit_rec *r, void *ud);
typedef int (*hq_report_cb)(const hq_report_row *r, void *ud);
/* One stored value of a fact: the entity's id and the value as stored (JSON text). */
typedef int (*hq_fact_value_cb)(int64_t entity_id, const char *value, void *ud);

/* Report groupings: the key a report row is grouped by. */
typedef enum { REPORT_DOCUMENT, REPORT_ITEM, REPORT_DEPARTMENT, REPORT_DISTRICT, REPORT_INDUSTRY, REPORT_YEAR, REPORT_STATE,
               REPORT_MONTH, REPORT__COUNT } hq_report_by;

/* The operations, listed once: (return type, name, parameters, arguments). */
typedef const char *hq_cstr;

#define HQ_STORE_OPS(X)                                                                                          \
    X(void, close, (hq_store * s), (s))                                                                          \
    X(hq_cstr, error, (hq_store * s), (s))                                                                        \
    X(int, migrate, (hq_store * s, int *from, int *to), (s, from, to))                                          \
    X(int, begin, (hq_store * s), (s))                                                                           \
    /* store_begin for a bulk load (an import) whose caller has itself checked every      \
     * reference it writes: a back end may skip its own per-row reference checks and use more \
     * cache until the transaction ends (commit or rollback). Not inside a transaction. */  \
    X(int, begin_bulk, (hq_store * s), (s))                                                                      \
    X(int, commit, (hq_store * s), (s))                                                                          \
    X(void, rollback, (hq_store * s), (s))                                                                       \
    X(int, meta_get, (hq_store * s, const char *key, char *out, size_t size), (s, key, out, size))              \
    X(int, meta_set, (hq_store * s, const char *key, const char *value), (s, key, value))                       \
    /* 0 when the latest import of `kind` had this content (its id in *id), 1 otherwise */                    \
    X(int, import_find, (hq_store * s, const char *kind, const char *sha256, int64_t *id), (s, kind, sha256, id)) \
    X(int, import_add, (hq_store * s, hq_import_rec *r), (s, r))                                                 \
    X(int, entity_put, (hq_store * s, const char *code, const char *name, int64_t import_id, int row, int64_t *id), \
      (s, code, name, import_id, row, id))                                                                       \
    X(int, entity_find, (hq_store * s, const char *code, int64_t *id), (s, code, id))                           \
    X(int, entity_count, (hq_store * s, int64_t *n), (s, n))                                                     \
    /* every entity's value of one fact for one year, in entity order, streamed (a report  \
     * sums them in C, exactly: the value text is handed over as stored) */                 \
    X(int, fact_values, (hq_store * s, const char *fact, int year, hq_fact_value_cb cb, void *ud), (s, fact, year, cb, ud)) \
    X(int, fact_put, (hq_store * s, int64_t entity, const char *fact, int year, const char *value, int64_t import_id, int row), \
      (s, entity, fact, year, value, import_id, row))                                                           \
    X(int, fact_fill, (hq_store * s, const char *fact, int year, const char *value, int64_t import_id),          \
      (s, fact, year, value, import_id))                                                                         \
    X(int, list_replace, (hq_store * s, const char *list, int64_t import_id), (s, list, import_id))              \
    X(int, recognition_put, (hq_store * s, int64_t entity, const char *name, const char *level, const char *grade, \
                             const char *date, const char *subject, int64_t import_id, int row),                \
      (s, entity, name, level, grade, date, subject, import_id, row))                                           \
    X(int, list_put, (hq_store * s, int64_t entity, const char *list, int64_t import_id, int row),              \
      (s, entity, list, import_id, row))                                                                         \
    X(int, past_award_put, (hq_store * s, int64_t entity, const hq_past_rec *p, int64_t import_id, int row),    \
      (s, entity, p, import_id, row))                                                                            \
    /* one entity as rows: every fact of every year with its provenance; strings live in `ar`; \
     * 1 when there is no such entity */                                                        \
    X(int, entity_get, (hq_store * s, int64_t id, hq_arena *ar, hq_entity_rows *out), (s, id, ar, out))          \
    /* the fast path for matching: up to `limit` entities after `after_id` as rows, only the \
     * facts of `year` and the year before (and those that do not change by year); strings  \
     * live in `ar` */                                                                         \
    X(int, entity_rows, (hq_store * s, int64_t after_id, int limit, int year, hq_arena *ar, hq_entity_rows *out, int64_t *ids, int *n), \
      (s, after_id, limit, year, ar, out, ids, n))                                                              \
    /* an entity's past awards: the imported ones, and the claims of its awards in one of     \
     * `states` (an award kept before claims were, as itself), `except_award` left out */      \
    X(int, history_rows, (hq_store * s, int64_t entity, int64_t except_award, unsigned states, hq_history_cb cb, void *ud), \
      (s, entity, except_award, states, cb, ud))                                                                 \
    /* the same for every entity with lo <= id <= hi, in three queries (a match chunk's); the \
     * rows come by query, then by entity, each entity's in the order history_rows gives */     \
    X(int, history_rows_range, (hq_store * s, int64_t lo, int64_t hi, unsigned states, hq_history_cb cb, void *ud),    \
      (s, lo, hi, states, cb, ud))                                                                               \
    /* insert a candidate, or refresh the award of that entity, item and year if it is in one \
     * of `untouched` states; *changed 1 new, 2 changed, 0 same */                              \
    X(int, award_upsert, (hq_store * s, hq_award_rec * a, unsigned untouched, const char *explanation, int *changed), \
      (s, a, untouched, explanation, changed))                                                                   \
    /* a new candidate (none of that entity, item and year may exist); sets a->id */             \
    X(int, award_insert, (hq_store * s, hq_award_rec * a), (s, a))                                              \
    /* every award of `year` of the entities lo <= id <= hi, by entity then item */              \
    X(int, award_slots, (hq_store * s, int year, int64_t lo, int64_t hi, hq_award_slot_cb cb, void *ud),        \
      (s, year, lo, hi, cb, ud))                                                                                 \
    /* delete award `id` if it is in one of `untouched` states; *done 1 if it was */             \
    X(int, award_drop, (hq_store * s, int64_t id, unsigned untouched, int *done), (s, id, untouched, done))      \
    X(int, award_get, (hq_store * s, int64_t id, hq_award_rec *a), (s, id, a))                                   \
    X(int, award_explanation, (hq_store * s, int64_t id, char **text), (s, id, text))                           \
    X(int, award_update, (hq_store * s, const hq_award_rec *a), (s, a))                                          \
    X(int, award_set_explanation, (hq_store * s, int64_t id, const char *text), (s, id, text))                    \
    /* an award's claims, replaced whole; read back in order (at most `max`) */                                \
    X(int, award_claims_set, (hq_store * s, int64_t award, const hq_claim_rec *v, int n), (s, award, v, n))      \
    X(int, award_claims_get, (hq_store * s, int64_t award, hq_claim_rec *v, int max, int *n), (s, award, v, max, n)) \
    /* awards of `item` and `year` other than `except_award`, approved or later, that hold a \
     * place of the quota of part `part` ("" for the whole item) */                         \
    X(int, quota_used, (hq_store * s, const char *item, int year, const char *part, int64_t except_award, unsigned states, \
                        int *n),                                                                                 \
      (s, item, year, part, except_award, states, n))                                                            \
    X(int, award_list, (hq_store * s, const hq_award_filter *f, hq_award_cb cb, void *ud), (s, f, cb, ud))      \
    X(int, objection_add, (hq_store * s, hq_objection_rec * o), (s, o))                                          \
    X(int, objection_get, (hq_store * s, int64_t id, hq_objection_rec *o), (s, id, o))                           \
    X(int, objection_resolve, (hq_store * s, const hq_objection_rec *o), (s, o))                                 \
    X(int, objection_open_count, (hq_store * s, int64_t award, int *n), (s, award, n))                          \
    X(int, payment_add, (hq_store * s, hq_payment_rec * p), (s, p))                                              \
    X(int, payment_get, (hq_store * s, int64_t award, hq_payment_rec *p), (s, award, p))                         \
    X(int, budget_set, (hq_store * s, const hq_budget_rec *b), (s, b))                                           \
    X(int, budget_get, (hq_store * s, int year, const char *scope, const char *key, hq_budget_rec *b),          \
      (s, year, scope, key, b))                                                                                  \
    X(int, budget_used, (hq_store * s, int year, const char *scope, const char *key, unsigned states, int64_t *used), \
      (s, year, scope, key, states, used))                                                                       \
    X(int, budget_list, (hq_store * s, int year, int (*cb)(const hq_budget_rec *, void *), void *ud), (s, year, cb, ud)) \
    X(int, fiscal_set, (hq_store * s, const hq_fiscal_rec *f), (s, f))                                           \
    X(int, fiscal_get, (hq_store * s, const char *district, hq_fiscal_rec *f), (s, district, f))                \
    X(int, audit_append, (hq_store * s, const hq_audit_rec *r), (s, r))                                          \
    X(int, audit_scan, (hq_store * s, hq_audit_cb cb, void *ud), (s, cb, ud))                                    \
    X(int, audit_of, (hq_store * s, const char *object, hq_audit_cb cb, void *ud), (s, object, cb, ud))           \
    X(int, objection_list, (hq_store * s, int64_t award, int (*cb)(const hq_objection_rec *, void *), void *ud),   \
      (s, award, cb, ud))                                                                                        \
    X(int, report, (hq_store * s, hq_report_by by, int year, hq_report_cb cb, void *ud), (s, by, year, cb, ud))     \
    X(int, user_put, (hq_store * s, hq_user_rec * u), (s, u))                                                    \
    X(int, user_get, (hq_store * s, int64_t id, const char *username, hq_user_rec *u), (s, id, username, u))     \
    X(int, user_list, (hq_store * s, int (*cb)(const hq_user_rec *, void *), void *ud), (s, cb, ud))             \
    X(int, session_put, (hq_store * s, const hq_session_rec *r), (s, r))                                         \
    X(int, session_get, (hq_store * s, const char *token_hash, hq_session_rec *r), (s, token_hash, r))          \
    X(int, session_delete, (hq_store * s, const char *token_hash, int64_t expired_before), (s, token_hash, expired_before)) \
    X(int, session_end_user, (hq_store * s, int64_t user_id), (s, user_id))                                      \
    X(int, material_add, (hq_store * s, hq_material_rec * m, const void *data), (s, m, data))                     \
    X(int, material_list, (hq_store * s, int64_t award, int (*cb)(const hq_material_rec *, void *), void *ud),     \
      (s, award, cb, ud))                                                                                        \
    X(int, material_get, (hq_store * s, int64_t id, hq_material_rec *m, void **data), (s, id, m, data))          \
    X(int, bank_set, (hq_store * s, const hq_bank_rec *b), (s, b))                                               \
    X(int, bank_get, (hq_store * s, const char *credit_code, hq_bank_rec *b), (s, credit_code, b))              \
    /* put one indicator observation; the same plan, indicator, area and period replaces it */ \
    X(int, obs_put, (hq_store * s, const hq_obs_rec *o), (s, o))                                                 \
    /* a plan's observations by indicator, area, period; `area` NULL or "" for all; cb      \
     * returning non-zero stops */                                                           \
    X(int, obs_list, (hq_store * s, const char *plan, const char *area, int (*cb)(const hq_obs_rec *, void *), void *ud), \
      (s, plan, area, cb, ud))                                                                                   \
    /* The login limiter's count of an account's failures, shared by every server of the      \
     * ledger (http/throttle.c): 1 when it has none. Called between store_begin and commit. */ \
    X(int, login_failures_get, (hq_store * s, const char *username, int *failures, int64_t *last_ms),            \
      (s, username, failures, last_ms))                                                                          \
    X(int, login_failures_put, (hq_store * s, const char *username, int failures, int64_t last_ms),              \
      (s, username, failures, last_ms))

typedef struct {
#define X(ret, name, params, args) ret(*name) params;
    HQ_STORE_OPS(X)
#undef X
} hq_store_ops;

/* Every back end's handle starts with this. The location names the audit key file
 * (ledger/audit.c: "<location>.key" unless HUIQI_AUDIT_KEY_FILE): SQLite's file path, or
 * for PostgreSQL a local path derived from the URL (store_pg.c), never the URL itself; the
 * key is read once per connection and kept here. err holds the last error of the back end or of the audit log. */
struct hq_store {
    const hq_store_ops *ops;
    char location[1024];
    char err[512];
    bool read_only;               /* opened by store_open_read_only: no writes, no migration */
    signed char audit_key_state;  /* 0 not read yet, 1 loaded, -1 no key file */
    unsigned char audit_key[32];
};

/* Open the store at `location` (a file path: SQLite; a "postgresql://" or "postgres://"
 * libpq URI: PostgreSQL, whose database must exist). With `create`, a missing database is
 * created; otherwise it must exist. NULL with the reason in `diag`. */
hq_store *store_open(const char *location, bool create, hq_diag *diag);

/* Open an existing store for reading only (audit verification): nothing is written, the
 * schema is not migrated, and it works on a read-only file or directory. */
hq_store *store_open_read_only(const char *location, hq_diag *diag);

/* The dispatchers: store_begin(s) calls s->ops->begin(s), and so on. A store call that
 * can fail returns int, and the compiler refuses to let a caller drop it. */
#define HQ_STORE_MUST_int __attribute__((warn_unused_result))
#define HQ_STORE_MUST_void
#define HQ_STORE_MUST_hq_cstr
#define X(ret, name, params, args) HQ_STORE_MUST_##ret ret store_##name params;
HQ_STORE_OPS(X)
#undef X

/* The current schema version this build writes (migrations bring older stores up to it). */
enum { HQ_SCHEMA_VERSION = 9 };

const char *award_state_code(hq_award_state s);
/* The states of a mask (bit s for state s) as ",approved,paid," — how a back end tests
 * membership of a stored state in one bound parameter. */
void award_states_text(unsigned states, char *out, size_t size);
const char *award_state_zh(hq_award_state s);
/* -1 when the code (or Chinese name) is not a state. */
int award_state_parse(const char *s);

hq_store *store_sqlite_open(const char *path, bool create, hq_diag *diag);
hq_store *store_sqlite_open_read_only(const char *path, hq_diag *diag);
/* The PostgreSQL back end (store_pg.c): `url` is a libpq connection URI. */
hq_store *store_pg_open(const char *url, bool create, hq_diag *diag);
hq_store *store_pg_open_read_only(const char *url, hq_diag *diag);
/* Whether a location names a PostgreSQL database ("postgresql://…", "postgres://…"). */
bool store_location_is_pg(const char *location);

#endif
