/*
 * Inside the HTTP layer: the server object, shared by the libmicrohttpd glue (server.c)
 * and the per-thread resources (context.c). Nothing outside src/http includes this.
 */
#ifndef HQ_HTTP_SERVER_H
#define HQ_HTTP_SERVER_H
#include <pthread.h>
#include <stdatomic.h>

#include "http/http.h"

struct hq_server {
    hq_server_config cfg;
    struct MHD_Daemon *daemon;
    _Atomic int in_flight;        /* requests begun and not yet completed */
    pthread_key_t store_key, vm_key;
    pthread_mutex_t log_lock;
};

#endif
