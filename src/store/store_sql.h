/*
 * The ledger's statements as SQLite runs them, indexed by Q_ (store_sqlite.c defines
 * HQ_SQLITE_SQL). The PostgreSQL back end (store_pg.c) runs the same statements, rewritten
 * mechanically (?N parameters to $N, instr to strpos) and replaced by a PostgreSQL variant
 * only where SQLite-only syntax is used, so the two back ends cannot drift apart in what
 * they ask of the ledger.
 */
#ifndef HQ_STORE_SQL_H
#define HQ_STORE_SQL_H

/* An award row as read_award() takes it: the award, its entity, and the entity's district
 * and industry (JSON scalars in fact, unwrapped). */
#define AWARD_COLS                                                                                               \
    "a.id, a.entity_id, e.credit_code, e.name, a.item, a.document, a.department, a.project, a.basis, a.kind,"    \
    " a.voucher, a.year, a.state, a.entitlement_fen, a.amount_fen, a.decision_id, a.corpus_hash, a.stage, a.note," \
    " a.reason, a.publicity_start, a.publicity_end,"                                                             \
    " coalesce((SELECT json_extract(value, '$') FROM fact WHERE entity_id = a.entity_id AND name = 'district' AND year = 0), ''),"  \
    " coalesce((SELECT json_extract(value, '$') FROM fact WHERE entity_id = a.entity_id AND name = 'industry' AND year = 0), ''),"  \
    " a.updated_at, a.match_run"

enum {
    Q_BEGIN, Q_COMMIT, Q_ROLLBACK, Q_META_GET, Q_META_SET, Q_IMPORT_FIND, Q_IMPORT_ADD, Q_ENTITY_PUT, Q_ENTITY_FIND,
    Q_ENTITY_COUNT, Q_FACT_VALUES, Q_FACT_PUT, Q_FACT_FILL, Q_LIST_REPLACE, Q_REC_PUT, Q_LIST_PUT, Q_PAST_PUT, Q_ENTITIES, Q_ENTITY_FACTS, Q_ENTITY_FACTS_YEAR, Q_ENTITY_RECS,
    Q_ENTITY_LISTS, Q_HIST_PAST, Q_HIST_AWARDS, Q_AWARD_UPSERT, Q_AWARD_ID, Q_AWARD_INSERT, Q_AWARD_SLOTS, Q_AWARD_DROP,
    Q_AWARD_GET, Q_AWARD_EXPL, Q_AWARD_UPDATE, Q_AWARD_SET_EXPL, Q_OBJ_ADD, Q_OBJ_GET, Q_OBJ_RESOLVE, Q_OBJ_OPEN, Q_PAY_ADD,
    Q_PAY_SPLIT, Q_PAY_GET, Q_PAY_SPLITS, Q_BUDGET_SET, Q_BUDGET_GET, Q_BUDGET_USED_ITEM, Q_BUDGET_USED_DOC,
    Q_BUDGET_LIST, Q_FISCAL_SET, Q_FISCAL_GET, Q_AUDIT_ADD, Q_AUDIT_SCAN, Q_AUDIT_OF, Q_OBJ_LIST, Q_USER_PUT, Q_USER_GET, Q_USER_BY_NAME, Q_SESSION_DEL_USER, Q_MAT_ADD, Q_MAT_LIST, Q_MAT_GET,
    Q_SESSION_PUT, Q_SESSION_GET, Q_SESSION_DEL, Q_USER_LIST, Q_HIST_CLAIMS, Q_CLAIMS_DEL, Q_CLAIM_ADD, Q_CLAIMS_GET, Q_QUOTA_USED,
    Q_BANK_SET, Q_BANK_GET, Q_OBS_PUT, Q_OBS_LIST, Q_LOGIN_FAIL_GET, Q_LOGIN_FAIL_PUT, Q_ENTITY_CODES, Q__COUNT
};

extern const char *const HQ_SQLITE_SQL[Q__COUNT];

#endif
