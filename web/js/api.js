/*
 * The one door to the JSON API (/api/…): fetch with the session cookie, the CSRF token on
 * every state change, and errors turned into ApiError carrying the server's Chinese
 * message. The session cookie is HttpOnly, so the page learns who is signed in (and the
 * CSRF token) from POST /api/login or GET /api/me, and keeps both only in memory.
 */

export class ApiError extends Error {
  /* status: the HTTP status (0: no answer); code, field, errors: from {"error": {…}}. */
  constructor(status, code, message, field = null, errors = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.errors = errors;
  }
}

let session = null; // {username, role, role_zh, credit_code, department, display_name, csrf}
const listeners = new Set();

/* Called with the new session (or null) whenever it changes, and on a 401 mid-session. */
export function onSessionChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function setSession(s) {
  session = s;
  for (const fn of listeners) fn(session);
}

export function currentUser() {
  return session;
}

/*
 * request(method, path, body?) → the parsed JSON answer, or throws ApiError.
 * A body that is an object is sent as JSON; POSTs carry X-CSRF-Token when signed in.
 */
export async function request(method, path, body, extra) {
  const headers = { Accept: 'application/json', ...(extra || {}) };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (method !== 'GET' && session && session.csrf) headers['X-CSRF-Token'] = session.csrf;
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试');
  }
  let data = null;
  const text = await res.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new ApiError(res.status, 'bad_response', `服务器返回了无法识别的内容（HTTP ${res.status}）`);
    }
  }
  if (!res.ok) {
    const e = (data && data.error) || {};
    const err = new ApiError(res.status, e.code || 'http_' + res.status, e.message || `请求失败（HTTP ${res.status}）`,
      e.field || null, e.errors || []);
    if (res.status === 401 && session && path !== '/api/login') setSession(null);
    throw err;
  }
  // A change (an application, a payment…) may change what is to do: the 待办 bar listens.
  if (method !== 'GET') window.dispatchEvent(new Event('huiqi:changed'));
  return data;
}

export const get = (path) => request('GET', path);

/* A file as the request body (an import, a material), its name in X-Filename (percent-encoded:
 * a header carries no Chinese), with the upload's progress as a fraction to onProgress. */
export function upload(path, file, onProgress = () => {}, extra = {}) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open('POST', path);
    for (const [k, v] of Object.entries(extra)) x.setRequestHeader(k, v);
    x.setRequestHeader('X-Filename', encodeURIComponent(file.name));
    if (session && session.csrf) x.setRequestHeader('X-CSRF-Token', session.csrf);
    x.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    x.onload = () => {
      let data = null;
      try { data = JSON.parse(x.responseText); } catch { /* reported below */ }
      if (x.status >= 200 && x.status < 300 && data) return resolve(data);
      const e = (data && data.error) || {};
      reject(new ApiError(x.status, e.code || 'http_' + x.status, e.message || `上传失败（HTTP ${x.status}）`, e.field || null, e.errors || []));
    };
    x.onerror = () => reject(new ApiError(0, 'network', '无法连接服务器，请检查网络后重试'));
    x.send(file);
  });
}
export const post = (path, body = {}) => request('POST', path, body);

/* A query string from an object, leaving out empty values. */
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, v);
  const s = u.toString();
  return s ? '?' + s : '';
}

/* Who is signed in, from the cookie: the session, or null. */
export async function loadSession() {
  try {
    setSession(await get('/api/me'));
  } catch (e) {
    if (e.status !== 401) throw e;
    setSession(null);
  }
  return session;
}

export async function login(username, password) {
  const me = await request('POST', '/api/login', { username, password });
  setSession(me);
  return me;
}

export async function logout() {
  try {
    await post('/api/logout');
  } finally {
    setSession(null);
  }
}

/* ---- the API by name, so pages read as what they do ----------------------------------- */

export const api = {
  documents: () => get('/api/documents'),
  items: (p) => get('/api/items' + qs(p)),
  item: (id) => get('/api/items/' + encodeURIComponent(id)),
  facts: (items) => get('/api/facts' + qs({ item: items && items.join(',') })),
  evaluate: (body) => post('/api/evaluate', body),
  entity: (code) => get('/api/entities/' + encodeURIComponent(code)),
  evaluateEntity: (code, body) => post('/api/entities/' + encodeURIComponent(code) + '/evaluate', body),
  whatif: (body) => post('/api/whatif', body),
  inbox: () => get('/api/inbox'),
  messages: () => get('/api/messages'),
  payments: (p) => get('/api/payments' + qs(p || {})),
  paymentsUrl: (p) => '/api/payments' + qs(p || {}),
  awards: (p) => get('/api/awards' + qs(p || {})),
  award: (id) => get('/api/awards/' + encodeURIComponent(id)),
  /* A long operation as a background job (202 and the job; see jobs.js). */
  startJob: (path, body) => request('POST', path, body, { Prefer: 'respond-async' }),
  job: (id) => get('/api/jobs/' + encodeURIComponent(id)),
  jobs: () => get('/api/jobs'),
  bankAccount: () => get('/api/bank-account'),
  setBankAccount: (body) => post('/api/bank-account', body),
  act: (id, verb, body) => post(`/api/awards/${encodeURIComponent(id)}/${verb}`, body || {}),
  object: (id, text) => post(`/api/awards/${encodeURIComponent(id)}/objections`, { text }),
  resolve: (id, upheld, note) => post(`/api/objections/${encodeURIComponent(id)}/resolve`, { upheld, note }),
  publicity: () => get('/api/publicity'),
  budgets: (year) => get('/api/budgets' + qs({ year })),
  setBudget: (body) => post('/api/budgets', body),
  report: (by, year) => get('/api/reports' + qs({ by, year })),
  reportUrl: (by, year, format) => '/api/reports' + qs({ by, year, format }),
  performance: (year) => get('/api/reports/performance' + qs({ year })),
  performanceUrl: (year, format) => '/api/reports/performance' + qs({ year, format }),
  plans: () => get('/api/plans'),
  planStatus: (p) => get('/api/plans/status' + qs(p)),
  planStatusUrl: (p) => '/api/plans/status' + qs(p),
};
