/*
 * Inside the HTTP layer: the server object, shared by the libmicrohttpd glue (server.c)
 * and the per-thread resources (context.c). Nothing outside src/http includes this.
 */
#ifndef HQ_HTTP_SERVER_H
#define HQ_HTTP_SERVER_H
#include <pthread.h>
#include <stdatomic.h>

#include "http/http.h"

enum { HQ_MAX_WRITERS = 256 };

struct hq_server {
    hq_server_config cfg;
    struct MHD_Daemon *daemon;
    _Atomic int in_flight;        /* requests begun and not yet completed */
    _Atomic size_t body_bytes;    /* memory held by bodies being received (cfg.max_bodies) */
    pthread_key_t store_key, vm_key;
    pthread_mutex_t log_lock;
    /* the writers' pool (writers.c): requests that may write, first come first served */
    pthread_t writers[HQ_MAX_WRITERS];
    unsigned nwriters;
    pthread_mutex_t wq_lock;
    pthread_cond_t wq_cond;
    hq_req *wq_head, *wq_tail;
    bool wq_stop, wq_init;
};

/* Start cfg.threads writer threads (at most HQ_MAX_WRITERS); -1 when none could start. */
int writers_start(hq_server *s);
/* Answer what is queued, then end the writer threads. */
void writers_stop(hq_server *s);
/* Stop them if need be and release the queue's lock. */
void writers_free(hq_server *s);
/* A request that may write is suspended and queued for a writer thread, which answers it and
 * resumes the connection: true. A read (GET, HEAD): false, answer it here. */
bool writers_take(hq_server *s, hq_req *r);

#endif
