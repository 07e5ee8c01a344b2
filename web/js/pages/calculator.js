/*
 * 政策计算器: an enterprise evaluates the profile the ledger holds for it
 * (POST /api/entities/{own code}/evaluate), or anyone fills in a form that asks only for
 * the facts the rules need and evaluates it (POST /api/evaluate, nothing is stored).
 */
import { api } from '../api.js';
import { h, mount, field, select, notice, errorText } from '../dom.js';
import { entityForm } from '../entity-form.js';
import { renderAssessment } from '../assessment.js';

/* Answers most firms give, filled in on request (the user can change every one). */
const TYPICAL = {
  entity_type: '企业', independent_legal_person: 'true', fiscal_revenue_in_city: 'true', fiscal_revenue_in_prefecture: 'true',
  registration_moved: 'false', trading_company: 'false', mujun_rated: 'false', illegal_land_use: 'false', major_accident: 'false',
};

export async function render(root, ctx) {
  const results = h('section#calc-results', { 'aria-live': 'polite', 'aria-label': '测算结果' });
  mount(root, h('h1', '政策计算器'),
    h('p.lead', '测算企业可享受的奖励：每个条款给出“符合 / 不符合 / 待补充数据”，并引用政策原文说明理由与金额。'));
  let meta;
  try {
    meta = await api.facts();
  } catch (e) {
    root.append(notice('error', errorText(e)));
    return;
  }
  const labels = new Map(meta.facts.map((f) => [f.name, f.label || f.name]));
  const enterprise = ctx.user && ctx.user.role === 'enterprise' ? ctx.user : null;
  if (enterprise) root.append(profileCard(ctx, enterprise, results, labels));
  root.append(formCard(ctx, meta, labels, results, enterprise), results);
}

/* The enterprise's own profile from the ledger, with its awards and the 申请 button. */
function profileCard(ctx, user, results, labels) {
  const year = select({ name: 'profile_year' }, ['2021', '2022', '2020'], '2021');
  const all = h('input', { type: 'checkbox', name: 'all' });
  const btn = h('button.primary#load-profile', { type: 'submit' }, '载入本企业档案测算');
  const form = h('form.card.profile', { 'aria-labelledby': 'profile-title' },
    h('h2#profile-title', '本企业档案测算'),
    h('p', `按台账中 ${user.credit_code} 的登记、税收、认定等数据测算，并计入已获奖补（附则3）。`),
    h('div.inline', field('测算年度', year), h('label.check', all, ' 同时列出不符合的条款'), btn));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    btn.disabled = true;
    form.after(results);
    mount(results, notice('info', '正在测算…'));
    try {
      const y = Number(year.value);
      const [a, aw] = await Promise.all([
        api.evaluateEntity(user.credit_code, { year: y, all: all.checked }),
        api.awards({ year: y }),
      ]);
      const awards = new Map(aw.awards.map((x) => [x.item, x]));
      renderAssessment(results, a, { labels, awards, apply: (award, body) => api.act(award.id, 'apply', body) });
      results.scrollIntoView({ block: 'start' });
    } catch (e) {
      mount(results, notice('error', errorText(e)));
    } finally {
      btn.disabled = false;
    }
  });
  return form;
}

/* The assessment of the chosen items only — every status, 不符合 included, since the person
 * asked about them — with the totals of those items. Each item's amount is the one after
 * 附则3 across all items (final), so the figures are what these items would pay alongside the
 * firm's other awards. */
function narrowed(a, chosen) {
  const results = a.results.filter((r) => chosen.has(r.item));
  const count = (st) => results.filter((r) => r.status === st).length;
  const sum = (key, pick = () => true) => results.filter(pick).reduce((s, r) => s + (r[key] || 0), 0);
  return {
    ...a, results,
    counts: { ...a.counts, eligible: count('eligible'), needs_data: count('needs_data'), ineligible: count('ineligible') },
    total_fen: sum('amount_fen', (r) => r.status === 'eligible'),
    final_total_fen: sum('final_fen', (r) => r.status === 'eligible'),
    voucher_final_fen: sum('final_fen', (r) => r.status === 'eligible' && r.form === '服务券'),
  };
}

/* The form: optional items to focus on, the facts they need, and the evaluation. */
function formCard(ctx, meta, labels, results, enterprise) {
  const form = entityForm(meta, { creditCode: enterprise ? enterprise.credit_code : '' });
  const chosen = new Map(); // item id → title
  const chips = h('ul.chips', { 'aria-label': '已选条款' });
  const found = h('div.picker-results');
  const kw = h('input', { type: 'search', name: 'item_q', placeholder: '如：技改、工业设计中心、出口名牌' });
  const status = h('div.status', { 'aria-live': 'polite' });

  const refreshFacts = async () => {
    mount(chips, [...chosen].map(([id, title]) => h('li.chip', title,
      h('button.link', { type: 'button', 'aria-label': `移除 ${title}`, onclick: () => { chosen.delete(id); refreshFacts(); } }, '×'))));
    if (!chosen.size) return form.setItemFacts([]);
    try {
      const f = await api.facts([...chosen.keys()]);
      form.setItemFacts(f.facts);
    } catch (e) {
      mount(status, notice('error', errorText(e)));
    }
  };
  const search = async () => {
    if (!kw.value.trim()) return mount(found);
    try {
      const { items } = await api.items({ q: kw.value.trim() });
      const usable = items.filter((i) => i.computable).slice(0, 20);
      mount(found, usable.length ? h('ul.pick-list', usable.map((i) => {
        const cb = h('input', { type: 'checkbox', value: i.id, checked: chosen.has(i.id) });
        cb.addEventListener('change', () => { if (cb.checked) chosen.set(i.id, i.title); else chosen.delete(i.id); refreshFacts(); });
        return h('li', h('label.check', cb, ` ${i.title}`, h('small.muted', ` · ${i.department}`)));
      })) : notice('info', '没有可在线测算的条款与此匹配。'));
    } catch (e) {
      mount(found, notice('error', errorText(e)));
    }
  };
  kw.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); search(); } });
  // 在线测算 from the 政策库: the item comes chosen.
  const preset = ctx.query && ctx.query.get('item');
  if (preset) api.item(preset).then((it) => { chosen.set(it.id, it.title); refreshFacts(); }, () => {});

  const submit = h('button.primary#run-calc', { type: 'submit' }, '开始测算');
  const all = h('input', { type: 'checkbox', name: 'all' });
  const typical = h('button.secondary', { type: 'button' }, '按一般企业情况填写');
  typical.addEventListener('click', () => {
    for (const [n, v] of Object.entries(TYPICAL)) {
      const el = form.el.querySelector(`[name="fact:${n}"]`);
      if (el && !el.value) el.value = v;
    }
    mount(status, notice('info', '已填入常见情况，请逐项核对。'));
  });
  const el = h('form.card.calc-form', { novalidate: true, 'aria-labelledby': 'calc-title' },
    h('h2#calc-title', enterprise ? '自行填写测算' : '填写企业情况测算'),
    h('fieldset', h('legend', '关注的条款（可选）'),
      h('p.hint', '选择条款后，表单只增加这些条款需要的数据项；不选则按通用条件测算全部条款。'),
      h('div.inline', field('查找条款', kw), h('button.secondary', { type: 'button', onclick: search }, '查找')),
      found, chips),
    form.el,
    h('div.form-actions', submit, typical, h('label.check', all, ' 同时列出不符合的条款')), status);
  el.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    let input;
    try {
      input = form.read();
    } catch (e) {
      mount(status, notice('error', e.message));
      return;
    }
    submit.disabled = true;
    mount(status);
    el.after(results);
    mount(results, notice('info', '正在测算…'));
    try {
      const a = await api.evaluate({ entity: input.entity, year: input.year, all: all.checked || chosen.size > 0 });
      renderAssessment(results, chosen.size ? narrowed(a, chosen) : a, { labels });
      results.scrollIntoView({ block: 'start' });
    } catch (e) {
      mount(results, notice('error', errorText(e)));
    } finally {
      submit.disabled = false;
    }
  });
  return el;
}
