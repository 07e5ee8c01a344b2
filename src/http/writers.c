/*
 * Requests that may write (every method but GET and HEAD) run on a pool of threads of their
 * own. libmicrohttpd's pool threads each serve many connections; a request that holds or
 * waits for the SQLite write lock (an import, a payment batch, a match) would stall every
 * read queued behind it on the same thread. Here the connection is suspended, the writer
 * thread answers it with its own database connection and evaluator (context.c's per-thread
 * ones), and resumes it; the pool threads only read, and WAL lets their reads go on while a
 * writer holds the lock.
 */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "http/server.h"

static void *writer_main(void *p)
{
    hq_server *s = p;
    pthread_mutex_lock(&s->wq_lock);
    for (;;) {
        while (!s->wq_head && !s->wq_stop) pthread_cond_wait(&s->wq_cond, &s->wq_lock);
        if (!s->wq_head) break; /* stopping, and nothing left to answer */
        hq_req *r = s->wq_head;
        s->wq_head = r->wq_next;
        if (!s->wq_head) s->wq_tail = NULL;
        pthread_mutex_unlock(&s->wq_lock);
        auth_identify(r);
        http_dispatch(r);
        MHD_resume_connection(r->conn);
        pthread_mutex_lock(&s->wq_lock);
    }
    pthread_mutex_unlock(&s->wq_lock);
    return NULL;
}

int writers_start(hq_server *s)
{
    pthread_mutex_init(&s->wq_lock, NULL);
    pthread_cond_init(&s->wq_cond, NULL);
    s->wq_init = true;
    s->nwriters = 0;
    unsigned want = s->cfg.threads < HQ_MAX_WRITERS ? s->cfg.threads : HQ_MAX_WRITERS;
    for (unsigned i = 0; i < want; i++) {
        if (pthread_create(&s->writers[i], NULL, writer_main, s)) break;
        s->nwriters++;
    }
    return s->nwriters ? 0 : -1;
}

void writers_stop(hq_server *s)
{
    if (!s->wq_init) return;
    pthread_mutex_lock(&s->wq_lock);
    bool was = s->wq_stop;
    s->wq_stop = true;
    pthread_cond_broadcast(&s->wq_cond);
    pthread_mutex_unlock(&s->wq_lock);
    if (was) return;
    for (unsigned i = 0; i < s->nwriters; i++) pthread_join(s->writers[i], NULL);
}

void writers_free(hq_server *s)
{
    if (!s->wq_init) return;
    writers_stop(s);
    pthread_cond_destroy(&s->wq_cond);
    pthread_mutex_destroy(&s->wq_lock);
    s->wq_init = false;
}

bool writers_take(hq_server *s, hq_req *r)
{
    if (!s->wq_init || !strcmp(r->method, "GET") || !strcmp(r->method, "HEAD")) return false;
    pthread_mutex_lock(&s->wq_lock);
    if (s->wq_stop || !s->nwriters) { /* shutting down: answered on this thread */
        pthread_mutex_unlock(&s->wq_lock);
        return false;
    }
    MHD_suspend_connection(r->conn);
    r->wq_next = NULL;
    if (s->wq_tail) s->wq_tail->wq_next = r;
    else s->wq_head = r;
    s->wq_tail = r;
    pthread_cond_signal(&s->wq_cond);
    pthread_mutex_unlock(&s->wq_lock);
    return true;
}
