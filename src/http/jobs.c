/*
 * Background jobs: a long operation (OPF_JOB: matching, what-if pricing) asked for with
 * "Prefer: respond-async" (RFC 7240) is answered at once with 202 Accepted and the job,
 * and runs on a thread of its own with its own store connection and evaluator; the page
 * that started it may be left and the job found again (GET /api/jobs, GET /api/jobs/{id})
 * with its progress, rate and time left, then its result. A job belongs to the account
 * that started it; an administrator sees every job. The table is small and fixed: finished
 * jobs are kept an hour, and a full table of running jobs refuses a new one.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "eval/rvm.h"
#include "http/http.h"
#include "ledger/clock.h"
#include "ops/ops.h"

enum { JOBS_MAX = 16, JOB_KEEP_SECONDS = 3600 };

typedef enum { JOB_FREE, JOB_RUNNING, JOB_DONE } job_state;

typedef struct {
    job_state state;
    long long id;
    const hq_op_def *def;
    hq_identity who;
    json_t *in, *body;          /* the operation's input, owned until the thread takes it */
    char *upload;               /* an import's file, owned (NULL when none) */
    size_t upload_len;
    char upload_name[256];      /* X-Filename as sent (percent-encoded) */
    const hq_corpus *c;
    const struct hq_plan *const *plans;
    int nplans;
    const char *db_path;
    _Atomic long long done, total;
    double t0, t1;              /* monotonic seconds: started, finished */
    time_t finished_wall;
    char started_at[32], finished_at[32];
    pthread_t thread;
    bool joinable;
    /* the result, once state is JOB_DONE */
    hq_op_status status;
    json_t *out, *errors;
    char code[32], field[96], message[2048];
} job;

static job JOBS[JOBS_MAX];
static long long next_id = 1;
static pthread_mutex_t jobs_lock = PTHREAD_MUTEX_INITIALIZER;

static double mono(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void job_progress(void *ud, long long done, long long total)
{
    job *j = ud;
    atomic_store(&j->total, total);
    atomic_store(&j->done, done);
}

/* The result moves from the finished operation into the job, under the lock. */
static void job_finish(job *j, hq_op *o)
{
    pthread_mutex_lock(&jobs_lock);
    j->status = o->status;
    op_result(o);
    j->out = o->out;
    j->errors = o->errors;
    o->out = o->errors = NULL;
    snprintf(j->code, sizeof j->code, "%s", o->code);
    snprintf(j->field, sizeof j->field, "%s", o->field);
    snprintf(j->message, sizeof j->message, "%s", o->message);
    j->t1 = mono();
    j->finished_wall = time(NULL);
    clock_now(j->finished_at, sizeof j->finished_at);
    j->state = JOB_DONE;
    pthread_mutex_unlock(&jobs_lock);
}

static void *job_run(void *arg)
{
    job *j = arg;
    hq_diag d;
    diag_init(&d);
    hq_store *s = store_open(j->db_path, false, &d);
    diag_free(&d);
    hq_vm *vm = rvm_new(j->c);
    hq_op_ctx ctx = {.c = j->c, .plans = j->plans, .nplans = j->nplans, .s = s, .vm = vm, .db_path = j->db_path, .who = j->who, .on_progress = job_progress,
                     .progress_ud = j};
    hq_op o = {.def = j->def, .in = j->in, .body = j->body, .ctx = &ctx, .upload = j->upload ? j->upload : "",
               .upload_len = j->upload_len, .upload_name = j->upload_name[0] ? j->upload_name : NULL};
    j->in = NULL; /* ops_free releases it */
    if (!s || !vm) op_fail(&o, OPR_UNAVAILABLE, NULL, "后台任务无法打开台账，请稍后重试");
    else ops_call(&o);
    job_finish(j, &o);
    ops_free(&o);
    json_decref(j->body);
    j->body = NULL;
    free(j->upload);
    j->upload = NULL;
    if (vm) rvm_free(vm);
    if (s) store_close(s);
    return NULL;
}

static void job_clear(job *j)
{
    json_decref(j->out);
    json_decref(j->errors);
    json_decref(j->in);
    json_decref(j->body);
    free(j->upload);
    memset(j, 0, sizeof *j);
}

/* A free slot, reclaiming finished jobs older than an hour; NULL when every slot is busy. */
static job *job_slot(void)
{
    time_t now = time(NULL);
    for (int i = 0; i < JOBS_MAX; i++) {
        job *j = &JOBS[i];
        if (j->state == JOB_DONE && now - j->finished_wall > JOB_KEEP_SECONDS) {
            if (j->joinable) pthread_join(j->thread, NULL);
            job_clear(j);
        }
        if (j->state == JOB_FREE) return j;
    }
    return NULL;
}

static bool same_op_running(const hq_op_def *def)
{
    for (int i = 0; i < JOBS_MAX; i++)
        if (JOBS[i].state == JOB_RUNNING && JOBS[i].def == def) return true;
    return false;
}

static const char *state_code(const job *j)
{
    if (j->state == JOB_RUNNING) return "running";
    return j->status == OPR_OK || j->status == OPR_CREATED ? "done" : "failed";
}

static const char *state_zh(const job *j)
{
    if (j->state == JOB_RUNNING) return "运行中";
    return j->status == OPR_OK || j->status == OPR_CREATED ? "已完成" : "失败";
}

/* The job as the API shows it (under the lock): progress in units of the operation
 * (entities), the rate so far and the time left at that rate. */
static json_t *job_json(const job *j)
{
    long long done = atomic_load(&j->done), total = atomic_load(&j->total);
    double elapsed = (j->state == JOB_RUNNING ? mono() : j->t1) - j->t0;
    long long rate = elapsed > 0 ? (long long)((double)done / elapsed) : 0;
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:s}", "id", (json_int_t)j->id, "op", j->def->cli,
                          "op_zh", j->def->zh, "state", state_code(j), "state_zh", state_zh(j), "done", (json_int_t)done,
                          "total", (json_int_t)total, "elapsed_seconds", (json_int_t)elapsed, "rate_per_second",
                          (json_int_t)rate, "started_at", j->started_at);
    json_object_set_new(o, "permille", json_integer(total > 0 ? done * 1000 / total : 0));
    json_object_set_new(o, "eta_seconds",
                        j->state == JOB_RUNNING && rate > 0 && total >= done ? json_integer((total - done) / rate) : json_null());
    if (j->state != JOB_DONE) return o;
    json_object_set_new(o, "finished_at", json_string(j->finished_at));
    if (j->out) json_object_set(o, "result", j->out);
    if (j->status != OPR_OK && j->status != OPR_CREATED) {
        json_t *e = json_pack("{s:s, s:s}", "code", j->code, "message", j->message);
        if (j->field[0]) json_object_set_new(e, "field", json_string(j->field));
        if (j->errors) json_object_set(e, "errors", j->errors);
        json_object_set_new(o, "error", e);
    }
    return o;
}

static bool may_see(const hq_req *r, const job *j)
{
    return r->role == ROLE_ADMIN || !strcmp(r->user.username, j->who.username);
}

bool jobs_wanted(hq_req *r, const hq_op_def *def)
{
    const char *prefer = http_header(r, "Prefer");
    return (def->flags & OPF_JOB) && prefer && strstr(prefer, "respond-async");
}

void jobs_start(hq_req *r, const hq_op_def *def, const hq_identity *who, json_t *in, json_t *body, char *upload,
                size_t upload_len, const char *upload_name)
{
    if (!(def->roles >> who->role & 1)) {
        json_decref(in);
        json_decref(body);
        free(upload);
        http_error(r, 403, "forbidden", NULL, "无权进行此操作（%s）", def->zh);
        return;
    }
    pthread_mutex_lock(&jobs_lock);
    job *j = same_op_running(def) ? NULL : job_slot();
    if (!j) {
        bool busy = same_op_running(def);
        pthread_mutex_unlock(&jobs_lock);
        json_decref(in);
        json_decref(body);
        free(upload);
        if (busy) http_error(r, 409, "refused", NULL, "已有一项「%s」在后台运行，请待其完成后再试", def->zh);
        else http_error(r, 503, "unavailable", NULL, "后台任务已满（最多 %d 项），请稍后再试", JOBS_MAX);
        return;
    }
    j->state = JOB_RUNNING;
    j->id = next_id++;
    j->def = def;
    j->who = *who;
    j->in = in;
    j->body = body;
    j->upload = upload;
    j->upload_len = upload_len;
    snprintf(j->upload_name, sizeof j->upload_name, "%s", upload_name ? upload_name : "");
    j->c = http_config(r)->corpus;
    j->plans = http_config(r)->plans;
    j->nplans = http_config(r)->nplans;
    j->db_path = http_config(r)->db_path;
    j->t0 = mono();
    clock_now(j->started_at, sizeof j->started_at);
    if (pthread_create(&j->thread, NULL, job_run, j)) {
        job_clear(j);
        pthread_mutex_unlock(&jobs_lock);
        http_error(r, 503, "unavailable", NULL, "无法启动后台任务，请稍后重试");
        return;
    }
    j->joinable = true;
    json_t *out = job_json(j);
    char location[64];
    snprintf(location, sizeof location, "/api/jobs/%lld", j->id);
    pthread_mutex_unlock(&jobs_lock);
    http_json(r, 202, out);
    snprintf(r->location, sizeof r->location, "%s", location);
}

/* GET /api/jobs: the caller's jobs (every job for an administrator), newest first. */
void api_jobs(hq_req *r)
{
    if (!r->user.username[0]) {
        http_error(r, 401, "unauthorized", NULL, "请先登录");
        return;
    }
    json_t *arr = json_array();
    pthread_mutex_lock(&jobs_lock);
    for (long long id = next_id - 1; id > 0 && json_array_size(arr) < JOBS_MAX; id--)
        for (int i = 0; i < JOBS_MAX; i++)
            if (JOBS[i].state != JOB_FREE && JOBS[i].id == id && may_see(r, &JOBS[i])) {
                json_t *o = job_json(&JOBS[i]);
                json_object_del(o, "result"); /* the list is for finding a job; its result is on its own page */
                json_array_append_new(arr, o);
            }
    pthread_mutex_unlock(&jobs_lock);
    http_json(r, 200, json_pack("{s:o}", "jobs", arr));
}

/* GET /api/jobs/{id}: one job with its progress, and its result once done. Another
 * account's job is not found, so ids disclose nothing. */
void api_job(hq_req *r, const char *id_text)
{
    if (!r->user.username[0]) {
        http_error(r, 401, "unauthorized", NULL, "请先登录");
        return;
    }
    char *end;
    long long id = strtoll(id_text, &end, 10);
    json_t *out = NULL;
    pthread_mutex_lock(&jobs_lock);
    for (int i = 0; *id_text && !*end && i < JOBS_MAX; i++)
        if (JOBS[i].state != JOB_FREE && JOBS[i].id == id && may_see(r, &JOBS[i])) out = job_json(&JOBS[i]);
    pthread_mutex_unlock(&jobs_lock);
    if (out) http_json(r, 200, out);
    else http_error(r, 404, "not_found", NULL, "没有这个后台任务");
}

/* At shutdown: running jobs finish (each writes in transactions of its own, so waiting is
 * only time), then everything is released. */
void jobs_shutdown(void)
{
    for (int i = 0; i < JOBS_MAX; i++) {
        if (JOBS[i].joinable) pthread_join(JOBS[i].thread, NULL);
        job_clear(&JOBS[i]);
    }
}
