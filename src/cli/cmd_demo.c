/* placeholder */
#include "cli/cli.h"
#include <stdio.h>
int cmd_demo_data(int argc, char **argv) { (void)argc; (void)argv; fprintf(stderr, "not yet\n"); return EXIT_USAGE; }
