/*
 * Shared pieces of the command-line interface: loading the corpus named by --policies (or
 * $HUIQI_POLICIES, or ./policies), reading JSON files with positions in errors, terminal
 * tables that line up Chinese text, and the exit codes every command uses:
 *   0 success; 1 the command ran and found problems (check errors, failed cases);
 *   2 bad usage; 3 bad input data (entity or history JSON); 4 internal error.
 */
#ifndef HQ_CLI_H
#define HQ_CLI_H
#include <jansson.h>
#include <stdbool.h>

#include "base/strbuf.h"
#include "rules/corpus.h"

enum { EXIT_OK = 0, EXIT_FOUND = 1, EXIT_USAGE = 2, EXIT_DATA = 3, EXIT_INTERNAL = 4 };

#define HQ_MAX_JSON_BYTES ((size_t)16 << 20)

/* Commands of their own: the rule corpus's tools and the programs huiqi runs. */
int cmd_ops(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_plan(int argc, char **argv);
/* The plans directory: --plans, else $HUIQI_PLANS, else plans/ beside `policies`. */
const char *cli_plans_dir(const char *opt, const char *policies);
/* `huiqi check` of the plan files in `dir`: 0 (counts set) or -1 with every error printed. */
int cli_check_plans(const char *dir, int *nplans, int *nindicators);
int cmd_test_cases(int argc, char **argv);
int cmd_disasm(int argc, char **argv);
int cmd_coverage(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_audit_checkpoint(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_demo_data(int argc, char **argv);
int cmd_eval_batch(int argc, char **argv);
int cmd_serve(int argc, char **argv);

/* Every operation of the table (ops/ops.h) is a command: run `def` on argv (the words after
 * its command) and print the result. */
struct hq_op_def;
int cli_run_op(const struct hq_op_def *def, int argc, char **argv);

/* Options of the ledger commands: "--name VALUE" fills *val, "--name" alone sets *flag. */
typedef struct {
    const char *name;
    const char **val;
    bool *flag;
} cli_opt;
/* Parse argv[1..]: options from `opts`, the rest positional (at most maxpos). Returns -1 to
 * go on, or the exit code (after printing usage for --help or an error). */
int cli_parse(int argc, char **argv, const cli_opt *opts, int nopts, const char **pos, int maxpos, int *npos,
              const char *usage);
/* The database: --db if given, else $HUIQI_DB; NULL (with a message) if neither. */
const char *cli_db(const char *opt);
/* Who acts: --actor, else $HUIQI_ACTOR, else $USER, else "cli". */
const char *cli_actor(const char *opt);
/* Open (and bring up to date) the store; NULL with the reason printed. */
struct hq_store *cli_open_store(const char *db, bool create);
/* For reading only: no migration, works on a read-only file (audit verify). */
struct hq_store *cli_open_store_read_only(const char *db);
/* A whole number from an option; false (with a message naming the option) if not one. */
bool cli_int(const char *opt, const char *s, long long lo, long long hi, long long *out);
/* Money in 元 ("1234.56", "100万") to 分; false with a message. */
bool cli_money(const char *opt, const char *s, int64_t *fen);

/* The corpus directory: --policies DIR if given, else $HUIQI_POLICIES, else "policies". */
const char *cli_policies_dir(const char *opt);
/* Load and report errors to stderr; NULL on failure. */
hq_corpus *cli_load_corpus(const char *dir);
/* Parse a JSON file (max 16 MiB, depth-limited by jansson); on error print
 * "file:line:col: message" to stderr and return NULL. */
json_t *cli_read_json(const char *path);
bool cli_is_help(const char *arg);

/* Display width of UTF-8 text in a terminal (CJK counts 2). */
int cli_width(const char *s);
/* Append s padded (or cut, with …) to exactly `width` columns. */
void cli_cell(hq_strbuf *sb, const char *s, int width);
void cli_cell_right(hq_strbuf *sb, const char *s, int width);

#endif
