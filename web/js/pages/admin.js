/*
 * 系统管理: what the command line did alone before — department data imports (with upload
 * progress and every error by line), 免申即享 matching, accounts (add, 停用/启用, reset the
 * password, change the role: the server ends the account's sessions), the fiscal shares, and
 * the audit chain's verification. Every action is an operation of the table (GET/POST
 * /api/imports, /api/match, /api/users, /api/fiscal, /api/audit/verify).
 */
import { get, post, upload } from '../api.js';
import { h, mount, field, select, notice, errorText, table } from '../dom.js';
import { auditCheck } from '../audit-check.js';
import { day, when } from '../format.js';
import { follow, resume, runJob } from '../jobs.js';

const KINDS = [
  ['entities', '市场监管局登记信息'], ['tax', '税务局数据'], ['stats', '统计局数据'], ['projects', '部门项目数据'],
  ['mujun', '亩均论英雄评价结果'], ['credit', '信用名单'], ['recognitions', '认定与奖项名单'], ['awards', '既往奖补记录'],
];
const ROLES = [['enterprise', '企业'], ['reviewer', '审核员'], ['finance', '财政'], ['leader', '领导'], ['admin', '管理员']];

export async function render(root, ctx) {
  const sections = {
    imports: h('section.card#admin-imports', h('h2', '数据导入'), importForm()),
    match: h('section.card#admin-match', h('h2', '免申即享匹配'), matchForm()),
    jobs: h('section.card#admin-jobs', h('h2', '后台任务'), h('div.jobs-body', notice('info', '正在加载…'))),
    users: h('section.card#admin-users', h('h2', '用户管理'), h('div.users-body', notice('info', '正在加载…'))),
    fiscal: h('section.card#admin-fiscal', h('h2', '市区财政分担比例'), h('div.fiscal-body', notice('info', '正在加载…'))),
    audit: h('section.card#admin-audit', h('h2', '审计日志校验'), auditCheck()),
  };
  mount(root, h('h1', '系统管理'), h('p.lead', '导入部门数据、运行免申即享匹配、管理用户与财政分担比例、校验审计日志。'),
    ...Object.values(sections));
  await Promise.all([showUsers(sections.users.querySelector('.users-body'), ctx), showFiscal(sections.fiscal.querySelector('.fiscal-body')),
    showJobs(sections.jobs.querySelector('.jobs-body'))]);
}

/* Jobs of the last hour (匹配, 政策测算), whoever started them: what ran, how long, how it ended. */
async function showJobs(box) {
  try {
    const { jobs } = await get('/api/jobs');
    mount(box, jobs.length
      ? table('后台任务', ['任务', '状态', '进度', '开始时间', '用时'], jobs.map((j) => [
        j.op_zh, j.state === 'failed' && j.error ? `${j.state_zh}：${j.error.message}` : j.state_zh,
        `${(j.permille / 10).toFixed(1)}%`, when(j.started_at), `${j.elapsed_seconds} 秒`]), { class: 'jobs' })
      : notice('info', '近一小时没有后台任务。'));
  } catch (e) {
    mount(box, notice('error', errorText(e)));
  }
}

function importForm() {
  const kind = select({ name: 'kind' }, KINDS, 'entities');
  const file = h('input', { type: 'file', name: 'file', accept: '.csv,.xlsx,.json,text/csv,application/json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', required: true });
  const bar = h('progress', { max: 100, value: 0, hidden: true });
  const status = h('div', { 'aria-live': 'polite' });
  const btn = h('button.primary', { type: 'submit' }, '导入');
  const form = h('form.sub-form#import-form', { novalidate: true },
    h('div.grid', field('数据类别', kind), field('数据文件（CSV、Excel 或 JSON）', file, '整份文件为一个事务：有任何错误则不写入任何数据')), bar, btn, status);
  /* The upload's own bar, then the server checks and writes the file as a background job:
   * the page may be left and the import found again under 后台任务 or here on return. */
  const finished = (r) => {
    btn.disabled = false;
    bar.hidden = true;
    mount(status, notice('ok', r.duplicate ? '该文件与上次导入的内容相同，未作改动。'
      : `已导入 ${r.rows} 行：企业 ${r.entities} 户、数据项 ${r.facts} 个、认定 ${r.recognitions} 条、既往奖补 ${r.awards} 条（编码 ${r.encoding}）。`));
  };
  const failed = (e) => {
    btn.disabled = false;
    bar.hidden = true;
    mount(status, notice('error', errorText(e)),
      e.errors && e.errors.length ? table('导入错误（未写入任何数据）', ['位置', '问题'],
        e.errors.map((x) => [x.where, x.message]), { class: 'import-errors' }) : null);
  };
  if (resume('import', status, '行', finished, failed)) btn.disabled = true;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!file.files.length) return mount(status, notice('error', '请选择要导入的文件'));
    btn.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    try {
      const job = await upload(`/api/imports/${encodeURIComponent(kind.value)}`, file.files[0],
        (f) => { bar.value = Math.round(f * 100); }, { Prefer: 'respond-async' });
      await follow('import', job.id, status, '行', finished, failed);
    } catch (e) {
      failed(e);
    }
  });
  return form;
}

function matchForm() {
  const year = h('input', { name: 'year', inputmode: 'numeric', value: String(new Date().getFullYear() - 1), required: true });
  const status = h('div', { 'aria-live': 'polite' });
  const btn = h('button.primary', { type: 'submit' }, '运行匹配');
  const form = h('form.sub-form#match-form', { novalidate: true },
    h('p.hint', '按年度对台账中每户企业测算全部条款：新符合的生成待申报奖补，不再符合的移除；已有人办理的奖补不变。'),
    h('div.inline', field('数据年度', year)), btn, status);
  const finished = (r) => {
    btn.disabled = false;
    mount(status, notice('ok', `${r.year}年度：测算企业 ${r.entities} 户，待申报奖补 ${r.candidates} 项（新增 ${r.added}、更新 ${r.updated}、移除 ${r.removed}），用时 ${r.seconds.toFixed(1)} 秒。`));
  };
  // Matching runs in the background: the page may be left; coming back shows it still running.
  if (resume('match', status, '户', finished)) btn.disabled = true;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!/^\d{4}$/.test(year.value.trim())) return mount(status, notice('error', '年度须为四位数字，如 2021'));
    btn.disabled = true;
    try {
      await runJob('match', '/api/match', { year: Number(year.value.trim()) }, status, '户', finished);
    } catch (e) {
      mount(status, notice('error', errorText(e)));
    }
    btn.disabled = false;
  });
  return form;
}

async function showUsers(box, ctx) {
  try {
    const { users } = await get('/api/users');
    const reload = () => showUsers(box, ctx);
    mount(box,
      table('用户', ['用户名', '显示名', '角色', '单位或企业', '状态', '操作'], users.map((u) => [
        h('span', { 'data-verbatim': '' }, u.username), u.display_name, u.role_zh, u.department || u.credit_code || '—', u.status_zh,
        u.username === ctx.user.username ? h('span.muted', '当前账户') : userActions(u, reload),
      ]), { class: 'users' }),
      addUserForm(reload));
  } catch (e) {
    mount(box, notice('error', errorText(e)));
  }
}

function userActions(u, reload) {
  const status = h('span', { 'aria-live': 'polite' });
  const run = async (body, ask) => {
    if (ask && !window.confirm(ask)) return;
    try {
      const r = await post(`/api/users/${encodeURIComponent(u.username)}`, body);
      await reload();
      if (r.sessions_ended) document.getElementById('admin-users').append(notice('ok', `用户 ${u.username} 已登录的会话已全部失效。`));
    } catch (e) {
      mount(status, notice('error', errorText(e)));
    }
  };
  const toggle = h('button.secondary.small', { type: 'button' }, u.status === 'disabled' ? '启用' : '停用');
  toggle.addEventListener('click', () => run({ status: u.status === 'disabled' ? '启用' : '停用' },
    u.status === 'disabled' ? null : `确认停用用户 ${u.username}？其已登录的会话将立即失效。`));
  const reset = h('button.secondary.small', { type: 'button' }, '重置密码');
  reset.addEventListener('click', () => {
    const pw = window.prompt(`为 ${u.username} 设置新密码（至少8位）：`);
    if (pw) run({ password: pw });
  });
  const role = select({ name: 'role', 'aria-label': `${u.username} 的角色` }, ROLES, u.role);
  role.addEventListener('change', () => run({ role: role.value }, `确认将 ${u.username} 的角色改为「${role.selectedOptions[0].textContent}」？其会话将失效。`));
  return h('span.actions', toggle, ' ', reset, ' ', role, status);
}

function addUserForm(reload) {
  const username = h('input', { name: 'username', required: true, autocomplete: 'off' });
  const role = select({ name: 'role' }, ROLES, 'reviewer');
  const dept = h('input', { name: 'department', placeholder: '如 市经信局' });
  const code = h('input', { name: 'credit_code', placeholder: '18位统一社会信用代码' });
  const name = h('input', { name: 'name' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: true });
  const status = h('div', { 'aria-live': 'polite' });
  const btn = h('button.primary', { type: 'submit' }, '新增用户');
  const form = h('form.sub-form#user-form', { novalidate: true }, h('h3', '新增用户'),
    h('div.grid', field('用户名', username), field('角色', role), field('部门（审核员）', dept), field('统一社会信用代码（企业）', code),
      field('显示名', name), field('初始密码', password, '至少8位')), btn, status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = { username: username.value.trim(), role: role.value, password: password.value };
    if (dept.value.trim()) body.department = dept.value.trim();
    if (code.value.trim()) body.credit_code = code.value.trim();
    if (name.value.trim()) body.name = name.value.trim();
    if (!body.username) return mount(status, notice('error', '请填写用户名'));
    btn.disabled = true;
    try {
      await post('/api/users', body);
      await reload();
    } catch (e) {
      btn.disabled = false;
      mount(status, notice('error', errorText(e)));
    }
  });
  return form;
}

async function showFiscal(box) {
  try {
    const { fiscal } = await get('/api/fiscal');
    const district = h('input', { name: 'district', placeholder: '如 鹿城区', required: true });
    const share = h('input', { name: 'city_share', placeholder: '如 50%', required: true });
    const source = h('input', { name: 'source', placeholder: '依据的财政体制文件', required: true });
    const status = h('div', { 'aria-live': 'polite' });
    const btn = h('button.primary', { type: 'submit' }, '保存比例');
    const form = h('form.sub-form#fiscal-form', { novalidate: true }, h('h3', '设置分担比例'),
      h('div.grid', field('区、县（市）', district), field('市财政承担比例', share), field('依据', source)), btn, status);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      btn.disabled = true;
      try {
        await post('/api/fiscal', { district: district.value.trim(), city_share: share.value.trim(), source: source.value.trim() });
        await showFiscal(box);
      } catch (e) {
        btn.disabled = false;
        mount(status, notice('error', errorText(e)));
      }
    });
    mount(box, fiscal.length ? table('现行财政体制分担比例', ['区、县（市）', '市财政承担', '依据', '起始日期'],
      fiscal.map((f) => [f.district, f.city_share, h('span', { 'data-verbatim': '' }, f.source), day(f.as_of)]), { class: 'fiscal' }) : notice('info', '尚未设置分担比例：兑付时将无法拆分市、区两级资金。'), form);
  } catch (e) {
    mount(box, notice('error', errorText(e)));
  }
}
