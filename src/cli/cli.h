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

int cmd_check(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_facts(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_test_cases(int argc, char **argv);
int cmd_disasm(int argc, char **argv);
int cmd_coverage(int argc, char **argv);

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
