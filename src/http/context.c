/*
 * What a request runs with: the server's configuration, and a store connection and an
 * evaluator per pool thread, opened on first use and closed when the thread ends.
 */
#include "http/server.h"

const hq_server_config *http_config(const hq_req *r)
{
    return &r->srv->cfg;
}

hq_store *http_thread_store(hq_req *r)
{
    hq_store *s = pthread_getspecific(r->srv->store_key);
    if (s) return s;
    hq_diag d;
    diag_init(&d);
    s = store_open(r->srv->cfg.db_path, false, &d);
    diag_free(&d);
    if (s) pthread_setspecific(r->srv->store_key, s);
    return s;
}

hq_vm *http_thread_vm(hq_req *r)
{
    hq_vm *vm = pthread_getspecific(r->srv->vm_key);
    if (vm) return vm;
    vm = rvm_new(r->srv->cfg.corpus);
    if (vm) pthread_setspecific(r->srv->vm_key, vm);
    return vm;
}
