/*
 * Long operations (免申即享匹配, 政策测算) run as background jobs on the server (POST with
 * Prefer: respond-async → 202 and the job; GET /api/jobs/{id} for its progress). This draws
 * the progress — a bar, how many of how many, the rate and the time left — and hands the
 * result on when the job ends. The job's id is remembered for the tab, so a person may leave
 * the page and, coming back, finds the job still running or its result.
 */
import { api, ApiError } from './api.js';
import { h, mount, notice } from './dom.js';

const POLL_MS = 500;
const key = (name) => 'huiqi.job.' + name;

function seconds(s) {
  if (s === null || s === undefined) return '—';
  return s >= 60 ? `${Math.floor(s / 60)} 分 ${s % 60} 秒` : `${s} 秒`;
}

/* The progress of a running job, in the users' words. */
export function progressView(job, unit) {
  const pct = (job.permille / 10).toFixed(1);
  return h('div.job-progress', { dataset: { job: job.id } },
    h('progress', { max: 1000, value: job.permille, 'aria-label': `${job.op_zh}进度` }),
    h('span', ` ${job.op_zh}：${pct}%（${job.done} / ${job.total || '…'} ${unit}）`),
    h('span.muted', `，每秒 ${job.rate_per_second} ${unit}，已用 ${seconds(job.elapsed_seconds)}，预计剩余 ${seconds(job.eta_seconds)}`));
}

/* Follow job `id` in `box` until it ends; `done(result)` on success; on failure `failed(error)`
 * when given (an import shows its list of errors), an error notice otherwise. */
export async function follow(name, id, box, unit, done, failed) {
  sessionStorage.setItem(key(name), String(id));
  for (;;) {
    let job;
    try {
      job = await api.job(id);
    } catch (e) {
      sessionStorage.removeItem(key(name));
      if (e instanceof ApiError && e.status === 404) return mount(box, notice('info', '后台任务已结束且不再保留，请重新运行。'));
      return mount(box, notice('error', e.message));
    }
    if (!box.isConnected) return; /* the page was left: the job runs on; coming back resumes it */
    if (job.state === 'running') {
      mount(box, progressView(job, unit));
      await new Promise((r) => setTimeout(r, POLL_MS));
      continue;
    }
    sessionStorage.removeItem(key(name));
    if (job.state === 'done') return done(job.result, job);
    if (failed && job.error) return failed(job.error);
    return mount(box, notice('error', job.error ? job.error.message : '后台任务失败'));
  }
}

/* Start a job for `path` with `body`, then follow it. */
export async function runJob(name, path, body, box, unit, done) {
  const job = await api.startJob(path, body);
  mount(box, progressView(job, unit));
  return follow(name, job.id, box, unit, done);
}

/* A job of this page left running (or finished) since the person was last here, if any. */
export function resume(name, box, unit, done, failed) {
  const id = sessionStorage.getItem(key(name));
  if (id) follow(name, id, box, unit, done, failed);
  return Boolean(id);
}
