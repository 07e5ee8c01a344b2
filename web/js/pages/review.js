/*
 * 受理审核台: the reviewer's queue — only its department's awards reach it (the API filters)
 * — by state, and one award in detail with the evidence and the decision trace, and the
 * step its state allows: 受理, 审核通过, 退回补正 and 驳回 (a reason is required), 公示 (start and
 * end),
 * 结束公示 and 处理异议.
 */
import { api } from '../api.js';
import { h, mount, field, notice, errorText } from '../dom.js';
import { confirmMoney, day, money } from '../format.js';
import { awardFacts, awardTable, explanation, historyView, objectionsView, paymentView, progress, stateBadge } from '../award-view.js';
import { evidenceView } from '../evidence.js';
import { materialsView } from '../materials.js';

const TABS = [
  ['applied', '待受理'], ['accepted', '待审核'], ['approved', '待公示'], ['publicizing', '公示中'],
  ['publicized', '公示期满'], ['returned', '退回补正'], ['rejected', '已驳回'], ['', '全部'],
];

export async function render(root, ctx) {
  if (ctx.params[0]) return detail(root, ctx, ctx.params[0]);
  const state = ctx.query.has('state') ? ctx.query.get('state') : 'applied';
  const dept = ctx.user.department || '全部部门';
  const tabs = h('nav.tabs', { 'aria-label': '按状态筛选' });
  const box = h('div#review-queue', { 'aria-live': 'polite' }, notice('info', '正在加载…'));
  mount(root, h('h1', '受理审核台'), h('p.lead', `${dept}负责条款的奖补申报。`), tabs, box);
  try {
    const [all, list] = await Promise.all([api.awards(), api.awards({ state })]);
    if (!ctx.alive()) return;
    const count = (s) => (s ? all.awards.filter((a) => a.state === s).length : all.count);
    mount(tabs, TABS.map(([s, zh]) => h('a.tab', { href: '#/review?state=' + s, 'aria-current': s === state ? 'page' : null },
      `${zh}（${count(s)}）`)));
    const zh = TABS.find(([s]) => s === state)?.[1] || state;
    mount(box, list.awards.length
      ? awardTable(`${zh}的奖补`, list.awards, {
        link: (a) => '#/review/' + a.id,
        extraHead: ['办理'],
        extra: (a) => [h('a.button.small', { href: '#/review/' + a.id, 'aria-label': `办理奖补 #${a.id}` }, '办理')],
      })
      : notice('info', `暂无「${zh}」的奖补。`));
  } catch (e) {
    mount(box, notice('error', errorText(e)));
  }
}

async function detail(root, ctx, id) {
  mount(root, h('p', h('a', { href: '#/review' }, '← 返回受理审核台')), h('h1', `办理奖补 #${id}`));
  const box = h('div#award-detail', { 'aria-live': 'polite' }, notice('info', '正在加载…'));
  root.append(box);
  let a;
  let entity = null;
  let facts = null;
  try {
    a = await api.award(id);
    [entity, facts] = await Promise.all([api.entity(a.credit_code).catch(() => null), api.facts().catch(() => null)]);
  } catch (e) {
    return mount(box, notice('error', errorText(e)));
  }
  if (!ctx.alive()) return;
  const labels = new Map((facts ? facts.facts : []).map((f) => [f.name, f.label]));
  const status = h('div.status#action-status', { 'aria-live': 'polite' });
  const after = async (r) => {
    await detail(root, ctx, id);
    root.querySelector('#action-status').append(notice('ok', r.message || '已办理'));
  };
  mount(box,
    h('section.card', h('h2', a.name, ' ', stateBadge(a)), progress(a), awardFacts(a)),
    h('section.card.actions-card', { 'aria-label': '办理' }, h('h2', '办理'), actionsFor(a, status, after), status),
    materialsView(a),
    paymentView(a) && h('div.card', paymentView(a)),
    (historyView(a) || objectionsView(a)) && h('div.card', historyView(a), objectionsView(a)),
    h('div.card', explanation(a) || notice('info', '暂无测算说明。')),
    entity ? h('div.card', evidenceView(entity, labels, a.year)) : null);
}

/* Run `fn`; show the API's answer (or its error) in `status`, then `after` on success. */
function runner(status, after) {
  return async (btn, fn) => {
    btn.disabled = true;
    mount(status, notice('info', '正在办理…'));
    try {
      const r = await fn();
      await after(r);
    } catch (e) {
      btn.disabled = false;
      mount(status, notice('error', errorText(e)));
    }
  };
}

function actionsFor(a, status, after) {
  const run = runner(status, after);
  const button = (text, cls, fn, confirmed = () => true) => {
    const b = h('button', { type: 'button', class: cls }, text);
    b.addEventListener('click', () => confirmed() && run(b, fn));
    return b;
  };
  /* What may be done is the server's to say (allowed_actions, from the workflow table):
   * the page only lays out the forms for the verbs it is given. */
  const may = new Set(a.allowed_actions || []);
  const out = [];
  if (may.has('accept')) out.push(h('p', '核对企业数据与测算说明后受理。'), opinionForm(a, run, 'accept'));
  if (may.has('approve')) {
    out.push(h('p', '审核通过时按台账现有数据重新测算并复核附则3，核定金额为 ', h('strong.money', money(a.amount_fen)), '。'),
      opinionForm(a, run, 'approve'));
  }
  if (may.has('return')) out.push(reasonForm(a, run, 'return'));
  if (may.has('reject')) out.push(reasonForm(a, run, 'reject'));
  if (may.has('publicize')) out.push(publicizeForm(a, run));
  if (a.state === 'publicizing' && may.has('close')) {
    out.push(h('p', `公示期 ${day(a.publicity_start)} 至 ${day(a.publicity_end)}。公示期满且异议均已处理后，方可结束公示。`),
      button('结束公示', 'primary', () => api.act(a.id, 'close')), resolveForm(run));
  }
  if (!out.length) out.push(h('p.muted', `当前状态为「${a.state_zh}」，审核员无需办理。`));
  return h('div.action-list', out);
}

/* 审核意见 on a decision: optional when accepting, required when approving (the decision on
 * the money); the firm reads it with its award. */
const OPINION_FORMS = {
  accept: { button: '受理', label: '受理意见（可选，企业可见）', required: false },
  approve: { button: '审核通过', label: '审核意见（必填，企业可见）', required: true },
};

function opinionForm(a, run, verb) {
  const f = OPINION_FORMS[verb];
  const text = h('textarea', { name: 'opinion', rows: 2, maxlength: 500, required: f.required });
  const btn = h('button.primary', { type: 'submit' }, f.button);
  const form = h('form.sub-form', { novalidate: true, dataset: { verb } }, field(f.label, text), btn);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    form.querySelector('.notice')?.remove();
    if (f.required && !text.value.trim()) {
      text.setAttribute('aria-invalid', 'true');
      text.focus();
      return form.append(notice('error', '请填写审核意见'));
    }
    if (verb === 'approve' && !confirmMoney('审核通过', a)) return;
    const body = text.value.trim() ? { reason: text.value.trim() } : {};
    run(btn, () => api.act(a.id, verb, body));
  });
  return form;
}

/* 驳回 ends the application; 退回补正 sends it back to the firm to correct and resubmit.
 * Both must say why, and the firm reads the reason. */
const REASON_FORMS = {
  reject: { button: '驳回', cls: 'button.danger', label: '驳回理由（必填）', missing: '请填写驳回理由' },
  return: { button: '退回补正', cls: 'button.secondary', label: '需补正的内容（必填，企业可见）', missing: '请填写需补正的内容' },
};

function reasonForm(a, run, verb) {
  const f = REASON_FORMS[verb];
  const reason = h('textarea', { name: 'reason', rows: 2, required: true, maxlength: 500 });
  const btn = h(f.cls, { type: 'submit' }, f.button);
  const form = h('form.sub-form', { novalidate: true, dataset: { verb } }, field(f.label, reason), btn);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!reason.value.trim()) {
      reason.setAttribute('aria-invalid', 'true');
      reason.focus();
      form.querySelector('.notice')?.remove();
      form.append(notice('error', f.missing));
      return;
    }
    run(btn, () => api.act(a.id, verb, { reason: reason.value.trim() }));
  });
  return form;
}

function publicizeForm(a, run) {
  const start = h('input', { type: 'date', name: 'start', required: true });
  const end = h('input', { type: 'date', name: 'end', required: true });
  const btn = h('button.primary', { type: 'submit' }, '发布公示');
  const form = h('form.sub-form', { novalidate: true },
    h('p', '公示期内任何登录用户可提出异议；公示期满、异议处理完毕后可结束公示并兑付。'),
    h('div.inline', field('公示开始日期', start, '不早于今天，不能倒签'), field('公示结束日期', end, '公示期不少于5个工作日')), btn);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    form.querySelector('.notice')?.remove();
    if (!start.value || !end.value) return form.append(notice('error', '请填写公示开始和结束日期'));
    if (start.value > end.value) return form.append(notice('error', '公示开始日期不能晚于结束日期'));
    run(btn, () => api.act(a.id, 'publicize', { start: start.value, end: end.value }));
  });
  return form;
}

function resolveForm(run) {
  const num = h('input', { name: 'objection', inputmode: 'numeric', required: true });
  const upheld = h('input', { type: 'radio', name: 'upheld', value: 'true' });
  const dismissed = h('input', { type: 'radio', name: 'upheld', value: 'false', checked: true });
  const note = h('textarea', { name: 'note', rows: 2, required: true });
  const btn = h('button.secondary', { type: 'submit' }, '处理异议');
  const form = h('form.sub-form', { novalidate: true },
    h('h3', '处理异议'),
    field('异议编号', num, '提出异议时系统给出的编号'),
    h('fieldset.radios', h('legend', '处理结果'), h('label.check', dismissed, ' 异议不成立，继续公示'),
      h('label.check', upheld, ' 异议成立，驳回该奖补')),
    field('处理理由（必填）', note), btn);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    form.querySelector(':scope > .notice')?.remove();
    if (!/^\d+$/.test(num.value.trim())) return form.append(notice('error', '请填写异议编号（数字）'));
    if (!note.value.trim()) return form.append(notice('error', '请填写处理理由'));
    run(btn, () => api.resolve(num.value.trim(), upheld.checked, note.value.trim()));
  });
  return form;
}
