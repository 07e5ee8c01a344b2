/*
 * The evaluator's instruction set, listed once (after jq's opcode_list.h). The compiler
 * (rules/rcode.c), the interpreter (eval/rvm.c) and the disassembler (`huiqi disasm`) all
 * expand this list, so they cannot drift apart.
 *
 * Every instruction works on whole lanes: a register holds one value per entity of the
 * current block, plus a status byte per entity (known / unknown / overflow).
 */
#ifndef HQ_OPCODES_H
#define HQ_OPCODES_H

/* X(name, mnemonic) */
#define HQ_OPCODES(X)                     \
    X(CONST, "const")    /* dst = imm */  \
    X(LOAD, "load")      /* dst = fact slot imm */ \
    X(ADD, "add")                         \
    X(SUB, "sub")                         \
    X(MUL, "mul")        /* fixed-point product, 128-bit */ \
    X(NEG, "neg")                         \
    X(MIN, "min")                         \
    X(MAX, "max")                         \
    X(STEPS, "steps")    /* ⌊a / b⌋ */    \
    X(EXCESS, "excess")  /* max(0, a − b) */ \
    X(LT, "lt")                           \
    X(LE, "le")                           \
    X(GT, "gt")                           \
    X(GE, "ge")                           \
    X(EQ, "eq")                           \
    X(NE, "ne")                           \
    X(AND, "and")        /* Kleene */     \
    X(OR, "or")          /* Kleene */     \
    X(NOT, "not")                         \
    X(INSET, "inset")    /* a ∈ bitmask imm (flag: negated) */ \
    X(SELECT, "select")  /* a ? b : c */  \
    X(MATCH, "match")    /* table rows [imm, imm+c), else reg b */ \
    X(YEARS_SINCE, "years_since")         \
    X(YEARS_BETWEEN, "years_between")

typedef enum {
#define X(name, mnemonic) OP_##name,
    HQ_OPCODES(X)
#undef X
    OP__COUNT
} hq_opcode;

extern const char *const hq_opcode_names[OP__COUNT];

#endif
