/*
 * Compiled form of the corpus: one hq_program per item (its parts' conditions and amounts)
 * and one per document (its 附则 rules). Programs are flat arrays of three-address
 * instructions over numbered registers; every expression node owns one register, so after
 * a run the explainer can read the value of any sub-expression for any entity.
 *
 * The fact-row layout (hq_slots) says what each column of a fact batch holds; the compiler
 * chooses it from what the rules actually read, so an entity row carries only used facts.
 *
 * Programs and slots are owned by the corpus arena.
 */
#ifndef HQ_PROGRAM_H
#define HQ_PROGRAM_H
#include <stdint.h>

#include "rules/opcodes.h"

enum { HQ_NO_REG = 0xFFFF, HQ_MAX_SLOTS = 8192, HQ_MAX_REGS = 4096 };

typedef struct {
    uint8_t op;
    uint8_t flag;
    uint16_t dst, a, b, c;
    int64_t imm;
} hq_insn;

typedef struct {
    int64_t lo, hi;
    uint16_t reg;
} hq_match_row;

typedef struct {
    uint16_t *req_regs;
    int nreq;
    uint16_t amount_reg, cap_reg;   /* cap_reg is HQ_NO_REG when there is no cap */
} hq_part_code;

typedef struct hq_program {
    hq_insn *code;
    int ncode, nregs;
    hq_match_row *rows;
    int nrows;
    hq_part_code *parts;            /* item programs */
    int nparts;
    uint16_t stage_reg;             /* staged items: the share reached (rate), else HQ_NO_REG */
    uint16_t *rule_regs;            /* document programs: one result register per rule */
    int nrules;
} hq_program;

typedef enum {
    SLOT_FACT,       /* ref = fact, year_offset 0 or -1 for yearly facts */
    SLOT_LIST,       /* ref = list: 1 if a member */
    SLOT_REC_NEW,    /* ref = recognition: best level received inside the year ∩ window */
    SLOT_REC_HELD,   /* ref = recognition: best level held on 31 Dec */
    SLOT_REC_GRADE,  /* ref = recognition: grade of the best new one */
    SLOT_REC_COUNT,  /* ref = recognition: distinct subjects received inside the year ∩ window */
} hq_slot_kind;

typedef struct {
    uint8_t kind;
    int ref;
    int year_offset;
    long win_lo, win_hi;            /* SLOT_REC_NEW/GRADE: the document's validity window */
} hq_slot;

struct hq_slots {
    hq_slot v[HQ_MAX_SLOTS];
    int n;
    int district, registered, prev_local_contribution; /* always present; -1 if undeclared */
    int local_contribution;                            /* the evaluation year's, for 附则3's cap */
    int entity_type, entity_type_enterprise;            /* 附则3's cap is for 企业: the slot, and 企业's value */
    /* For loading entities by the facts they have rather than by every slot: the slot of
     * each fact for the evaluation year (by_fact[0]) and the year before (by_fact[1]), -1
     * if no rule reads it; and the slots that are not plain facts (lists, recognitions). */
    int *by_fact[2];
    int *other;
    int nother;
};

#endif
