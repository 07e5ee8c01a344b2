/*
 * The parsed and checked form of the rule corpus: expression nodes, and the declarations
 * (enums, facts, lists, recognitions, regions, documents, document rules, items) that the
 * parser builds and the checker resolves. Everything here lives in the corpus arena and is
 * freed with the corpus (corpus_free in corpus.h); no node is owned by anything else.
 */
#ifndef HQ_AST_H
#define HQ_AST_H
#include <stdbool.h>
#include <stdint.h>

#include "base/fixed.h"
#include "base/limits.h"

/* Value types of expressions. An enum type also names which enum (hq_type.enum_id).
 * X(kind, name, declarable): the name is how rule files, messages and the API write the
 * type; a declarable type may be written after a fact's or param's colon. */
#define HQ_TYPES(X)                                                                                                    \
    X(HT_NONE, "nothing", 0)                                                                                           \
    X(HT_BOOL, "bool", 1)                                                                                              \
    X(HT_COUNT, "count", 1)                                                                                            \
    X(HT_MONEY, "money", 1)                                                                                            \
    X(HT_RATE, "rate", 1)                                                                                              \
    X(HT_DATE, "date", 1)                                                                                              \
    X(HT_ENUM, "enum", 0)                                                                                              \
    X(HT_SYM, "symbol", 0)
#define HQ_TYPE_ENUM(k, name, decl) k,
typedef enum { HQ_TYPES(HQ_TYPE_ENUM) HT__COUNT } hq_tkind;
#undef HQ_TYPE_ENUM
typedef struct {
    uint8_t kind;
    int16_t enum_id;
} hq_type;

typedef enum {
    NK_NUM,     /* literal number with unit */
    NK_DATE,    /* literal date */
    NK_NAME,    /* identifier before resolution; becomes NK_FACT or NK_SYMBOL */
    NK_FACT,    /* fact reference: ref = fact index; year_offset 0 or -1 (prev) */
    NK_SYMBOL,  /* enum value: num = value index (0 = 无) */
    NK_BOOL,    /* true / false */
    NK_BIN,     /* a op b */
    NK_NOT,
    NK_NEG,
    NK_IF,      /* if a then b else c */
    NK_MATCH,   /* match a { arms } */
    NK_IN,      /* a in { list }; negate for `not in` */
    NK_CALL,    /* builtin(list) */
    NK_RANGE,   /* lo..hi inside a match arm */
} hq_nkind;

typedef enum {
    BIN_ADD, BIN_SUB, BIN_MUL, BIN_LT, BIN_LE, BIN_GT, BIN_GE, BIN_EQ, BIN_NE, BIN_AND, BIN_OR,
} hq_binop;

/* Builtin functions, listed once (X-macro): name, argument count. */
#define HQ_BUILTINS(X)                \
    X(MIN, "min", 2)                  \
    X(MAX, "max", 2)                  \
    X(STEPS, "steps", 2)              \
    X(EXCESS, "excess", 2)            \
    X(PREV, "prev", 1)                \
    X(YEARS_SINCE, "years_since", 1)  \
    X(YEARS_BETWEEN, "years_between", 1) \
    X(IN_LIST, "in_list", 1)          \
    X(IN_REGION, "in_region", 1)      \
    X(NEW_RECOGNITION, "new_recognition", 1) \
    X(RECOGNITION_LEVEL, "recognition_level", 1) \
    X(NEW_GRADE, "new_grade", 1)      \
    X(NEW_COUNT, "new_count", 1)

typedef enum {
#define X(id, name, nargs) FN_##id,
    HQ_BUILTINS(X)
#undef X
    FN__COUNT
} hq_builtin;

typedef struct hq_node hq_node;

typedef struct {
    hq_node **keys;    /* NK_NUM, NK_RANGE or NK_NAME/NK_SYMBOL */
    int nkeys;
    hq_node *value;
} hq_arm;

struct hq_node {
    uint8_t kind;
    uint8_t op;            /* hq_binop for NK_BIN, hq_builtin for NK_CALL */
    bool negate;           /* NK_IN: `not in` */
    bool checked;          /* typed by the checker (an item's requires are shared by its parts) */
    hq_type type;          /* set by the checker */
    int line, col;
    const char *text;      /* source span, for explanations ("100万元", "超过") */
    int text_len;
    const char *opword;    /* NK_BIN comparisons: the word as written (以上, 超过, >=) */
    const char *name;      /* NK_NAME, NK_CALL's argument names */
    const char *unit;      /* NK_NUM: canonical unit */
    hq_fixed num;          /* NK_NUM value, NK_DATE days, NK_SYMBOL value, NK_BOOL 0/1 */
    int ref;               /* resolved fact/list/recognition/region index */
    int year_offset;       /* NK_FACT: 0 or -1 */
    int param;             /* NK_NUM read from a param declaration: its index, else -1 */
    int slot;              /* NK_FACT and slot-reading calls: fact-row slot (compiler) */
    hq_node *a, *b, *c;
    hq_node **list;        /* NK_CALL args, NK_IN members */
    int nlist;
    hq_arm *arms;          /* NK_MATCH */
    int narms;
    hq_node *else_value;   /* NK_MATCH */
    int reg;               /* VM register (compiler) */
};

/* ---- declarations ----------------------------------------------------------------- */

enum { HQ_ENUM_MAX_VALUES = 63 };

typedef struct {
    const char *name, *file;
    int line, col;
    bool ordered;
    int nvalues;                          /* values[0] is 无 */
    const char *values[HQ_ENUM_MAX_VALUES + 1];
} hq_enum;

typedef struct {
    const char *name, *label, *unit, *from, *note, *file;
    int line, col;
    hq_type type;
    const char *type_name;                /* as written, resolved by the checker */
    bool yearly;
    bool used;                            /* referenced by some rule (for `huiqi facts`) */
} hq_fact;

typedef struct {
    const char *name, *label, *from, *note, *file;
    int line, col;
} hq_list;

typedef struct {
    const char *name, *label, *from, *note, *file;
    const char *levels_name, *grades_name;
    int levels_enum, grades_enum;         /* -1 when absent */
    bool keyed;                           /* a project is keyed by its subjects (checker) */
    int line, col;
} hq_recognition;

typedef struct {
    const char *name, *label, *source, *note, *file;
    const char **members;
    int nmembers;
    uint64_t mask;                        /* bit v set: district value v is a member */
    int line, col;
} hq_region;

/* A corpus-level input with provenance (e.g. the USD exchange rate): a constant whose
 * value, date and source are declared in the rule files, so changing it changes the corpus
 * hash and every result cites it. */
typedef struct {
    const char *name, *label, *type_name, *source, *note, *file;
    int line, col;
    hq_type type;
    hq_fixed value;
    int value_numtype;                    /* rlex_numtype of the literal */
    long as_of;                           /* days, or -1 */
} hq_param;

typedef struct hq_doc hq_doc;

typedef struct {
    hq_doc *doc;
    const char *name, *title, *source, *note, *file;
    int line, col;
    hq_node *cond;
    int index;                            /* position within the document's rules */
} hq_rule;

/* Who bears an award's cost (附则2 "奖补资金除正文条款中明确由市财政承担外,均按照现行财政体制分担"):
 * payers with shares summing to 100%. A payer is 市财政, 按现行财政体制分担 (the current
 * city/district split, applied to the entity's district when paid), 属地财政 (the entity's
 * own district in full), or a named district (鹿城区). */
enum { HQ_COST_MAX_PAYERS = 4 };
typedef struct {
    const char *payer;
    hq_fixed share;                       /* rate: 1000000 = 100% */
} hq_cost_share;
typedef struct {
    hq_cost_share v[HQ_COST_MAX_PAYERS];
    int n;
    const char *text;                     /* as written, for listings */
    int line, col;
} hq_cost;

/* One stage of a staged award (分节点兑付): the share of the total paid once `cond` holds. */
typedef struct {
    const char *label;
    hq_node *share;                       /* a rate literal */
    hq_node *cond;
    int line, col;
} hq_stage;

/* The bases of 附则3 ("以同一年度的地方综合贡献度…银行贷款利息…技改投入作为依据"), listed once: the
 * code the rule files and imports write, and the Chinese name people read. */
#define HQ_BASES(X)                                             \
    X(LOCAL_CONTRIBUTION, "local_contribution", "地方综合贡献度") \
    X(LOAN_INTEREST, "loan_interest", "银行贷款利息")             \
    X(TECH_INVESTMENT, "tech_investment", "技改投入")

typedef enum {
    BASIS_NONE,
#define X(id, code, zh) BASIS_##id,
    HQ_BASES(X)
#undef X
    BASIS__COUNT
} hq_basis;

/* How an award repeats over the years, for 附则3 (docs/stacking.md):
 *  RECUR_UPGRADE  a recognition or level award: within the window the same project pays
 *                 only what is left after what it was already paid (晋升只奖励差额, 市区就高);
 *  RECUR_YEARLY   paid again every data year from that year's data: the same project is
 *                 "the same" only within one data year;
 *  RECUR_ONCE     一次性 / 只奖一次: one award per project, ever. */
typedef enum { RECUR_UPGRADE, RECUR_YEARLY, RECUR_ONCE, RECUR__COUNT } hq_recur;

/* What identifies the concrete project an award is for, beyond its project name. */
typedef enum {
    PKEY_NONE,      /* the project name alone */
    PKEY_FACT,      /* `by FACT`: the value of a non-yearly fact (the acquisition's date) */
    PKEY_SUBJECT,   /* `by subject(R)`: the subject of the best new recognition R */
    PKEY_EACH,      /* `each subject(R)`: one award per subject of R received in the year */
} hq_pkey;

/* What 附则3 needs to know of an award or of one part of it. An item's terms are its parts'
 * defaults; a part's own `project`, `basis`, `limit` or `quota` overrides them (TERMS_* in
 * `set` says which were written where). */
enum { TERMS_PROJECT = 1, TERMS_BASIS = 2, TERMS_LIMIT_TOTAL = 4, TERMS_LIMIT_YEARS = 8, TERMS_QUOTA = 16 };
typedef struct {
    const char *project;                  /* the project (award ladder) name, or NULL */
    uint8_t key_kind;                     /* hq_pkey */
    const char *key_name;                 /* the fact or recognition after by/each */
    int key_ref;                          /* resolved by the checker: fact or recognition index */
    int key_slot;                         /* PKEY_FACT: the fact's column (compiler) */
    hq_basis basis;
    int basis_offset;                     /* 0, or -1 for `basis B prev`: the data year before */
    hq_fixed limit_total;                 /* money; 0: no lifetime total */
    int limit_years;                      /* 0: no limit on the number of data years */
    int quota;                            /* 0: no quota; else awards per year (at approval) */
    unsigned set;
    int line, col;
} hq_terms;

typedef struct {
    const char *label, *source, *note;
    const hq_cost *cost;                  /* NULL: the item's */
    hq_terms terms;                       /* merged with the item's by the parser */
    hq_node **requires;
    const char **require_text;            /* each require as written */
    int nrequires;
    hq_node *amount, *cap;
    int line, col;
} hq_part;

typedef enum {
    KIND_QUALIFICATION, /* 资格定补 */
    KIND_DATA,          /* 数据核校 */
    KIND_SELECTION,     /* 遴选 */
    KIND_COMPETITIVE,   /* 竞争性分配 */
    KIND_CASE_BY_CASE,  /* 一事一议 */
    KIND_NON_MONETARY,  /* 非奖补 */
    KIND_SEPARATE_RULES, /* 另行制定: the department implements it under rules issued separately */
    KIND__COUNT
} hq_item_kind;

/* The 执行责任分工表's responsibility types, X(id, name): an item's duty is a bit mask of them
 * (bit DUTY_<id>_BIT). The tables' other wordings of the same types are the parser's. */
#define HQ_DUTIES(X)                                                                                                   \
    X(ACCEPT, "受理")                                                                                                  \
    X(IMPLEMENT, "组织实施")                                                                                           \
    X(RULES, "制定细则")                                                                                               \
    X(GUIDANCE, "导向性政策")                                                                                          \
    X(ASSESS, "考核")                                                                                                  \
    X(SELECT, "组织遴选")
typedef enum {
#define X(id, name) DUTY_##id##_BIT,
    HQ_DUTIES(X)
#undef X
    DUTY__COUNT
} hq_duty_bit;
typedef enum {
#define X(id, name) DUTY_##id = 1 << DUTY_##id##_BIT,
    HQ_DUTIES(X)
#undef X
} hq_duty;
const char *duty_name(hq_duty_bit b);

typedef struct {
    const char *id, *file;
    int line, col;
    hq_doc *doc;
    int article;
    const char *row;                      /* "12", or "3.(2)" for per-article numbering */
    const char *title, *department, *source;
    const char *note;                     /* internal: the engineers' reading, shown to no user */
    const char *guide;                    /* 解读: the Chinese reading shown to firms and reviewers */
    const hq_cost *cost;                  /* NULL: the document's */
    const char *providers[8];
    int nproviders;
    unsigned duty;
    hq_item_kind kind;
    bool kind_set;
    hq_terms terms;                       /* item-level 附则3 terms (project, basis, limits, quota) */
    hq_recur recur;
    bool recur_set;                       /* written, not the default */
    const char *except_names[16];
    int nexcept;
    uint64_t except_mask;                 /* bit r: document rule r does not apply */
    hq_part *parts;
    int nparts;
    bool combine_max;
    bool voucher;                         /* form 服务券: paid as 高质量发展服务券, not cash */
    bool has_parts;                       /* written with part blocks */
    hq_stage *stages;                     /* staged payment, or NULL */
    int nstages;
    hq_node *stage_share;                 /* Σ (cond_i ? share_i : 0%), built by the parser */
    int index;                            /* position in the corpus item list */
    struct hq_program *program;           /* compiled form, NULL for listed-only items */
} hq_item;

struct hq_doc {
    const char *id, *number, *title, *source, *note, *cost_source, *file;
    const hq_cost *cost;
    int line, col;
    long issued, expires;                 /* days since epoch */
    bool rows_per_article;
    int table_rows;                       /* rows of the 执行责任分工表, for coverage */
    int stacking_window, stacking_cap_years;
    const char *stacking_source;
    hq_rule **rules;
    int nrules;
    hq_item **items;
    int nitems;
    struct hq_program *rules_program;     /* the document rules, compiled */
};

const char *item_kind_name(hq_item_kind k);
bool item_kind_computable(hq_item_kind k);
const char *basis_name(hq_basis b);
const char *basis_label(hq_basis b);         /* 地方综合贡献度 … */
/* The basis named `s` (its code, as basis_name gives it), or BASIS_NONE; and all of them
 * for messages. */
hq_basis basis_parse(const char *s);
const char *basis_names_text(void);
const char *recur_name(hq_recur r);
const char *recur_zh(hq_recur r);      /* how it repeats, in the users' words */
/* How the item's awards repeat: as written, else yearly for 数据核校 items without stages
 * (paid from each year's data) and upgrade for the rest. */
hq_recur item_recur(const hq_item *it);
/* The year an award of `it` resting on data of `data_year` is received: 资格定补 (and staged)
 * awards at once, 数据核校 ones the year after (附则2 "按年度…奖补的数据核校类项目可安排在次年
 * 组织申报"). */
int item_received_year(const hq_item *it, int data_year);
/* The cost rule that applies to part p of an item (part, else item, else document). */
const hq_cost *item_cost(const hq_item *it, int part);

#endif
