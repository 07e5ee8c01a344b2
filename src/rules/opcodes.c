/*
 * Mnemonics for the disassembler, expanded from the one opcode list.
 */
#include "rules/opcodes.h"

const char *const hq_opcode_names[OP__COUNT] = {
#define X(name, mnemonic) mnemonic,
    HQ_OPCODES(X)
#undef X
};
