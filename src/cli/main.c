#include <stdio.h>
#include "rules/corpus.h"
int main(int argc, char **argv)
{
    hq_diag d;
    diag_init(&d);
    hq_corpus *c = corpus_load(argc > 2 ? argv[2] : "policies", &d);
    diag_print(&d, stderr);
    diag_free(&d);
    if (c) printf("ok %d items %s\n", c->nitems, c->hash);
    corpus_free(c);
    return c ? 0 : 1;
}
