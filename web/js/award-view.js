/*
 * One award as the pages show it (GET /api/awards/{id}): its facts, where it stands in
 * the workflow, the decision trace (explanation), and the payment with its split between
 * 市财政 and the district.
 */
import { h, table } from './dom.js';
import { day, fen, itemName, itemRef, money, stateSteps, STATE_ZH, when } from './format.js';

export function stateBadge(a) {
  return h('span.badge.state', { dataset: { state: a.state } }, a.state_zh || STATE_ZH[a.state] || a.state);
}

/* The facts of the award as a definition list. */
export function awardFacts(a) {
  const rows = [
    ['奖补编号', '#' + a.id],
    ['企业', `${a.name}（${a.credit_code}）`],
    ['条款', itemName(a)],
    ['政策出处', itemRef(a)],
    ['责任单位', a.department],
    ['类别', a.kind + (a.voucher ? '（服务券）' : '')],
    ['年度', String(a.year)],
    ['测算金额', money(a.entitlement_fen)],
    ['核定金额', h('strong.money', money(a.amount_fen))],
    ['状态', stateBadge(a)],
    a.publicity_start ? ['公示期', `${day(a.publicity_start)} 至 ${day(a.publicity_end)}`] : null,
    a.reason ? [{ returned: '补正要求', rejected: '驳回理由' }[a.state] || '审核意见', a.reason] : null,
    a.note ? ['备注', a.note] : null,
    a.stage ? ['阶段', a.stage] : null,
    ['区域 / 行业', `${a.district || '—'} / ${a.industry || '—'}`],
    ['最近更新', when(a.updated_at)],
  ].filter(Boolean);
  return h('dl.facts', rows.map(([k, v]) => [h('dt', k), h('dd', v)]));
}

/* 申报 → 受理 → 审核 → 公示 → 兑付 → 归档, with the current step marked. */
export function progress(a) {
  const { steps, at } = stateSteps(a);
  return h('ol.progress', { 'aria-label': '办理进度' }, steps.map((s, i) => h('li', {
    class: i < at ? 'done' : i === at ? 'current' : null,
    'aria-current': i === at ? 'step' : null,
    dataset: { state: s },
  }, STATE_ZH[s])));
}

/* The payment and its split (payer → amount), or null before payment. */
export function paymentView(a) {
  const p = a.payment;
  if (!p) return null;
  return h('section.payment', { 'aria-label': '兑付信息' },
    h('h3', '兑付与资金分担'),
    h('p', `兑付时间 ${when(p.at)}${p.batch ? `，批次 ${p.batch}` : ''}，合计 `, h('strong.money', money(p.amount_fen))),
    table('资金分担（按现行财政体制）', ['承担方', '金额（元）'],
      p.splits.map((s) => [s.payer, fen(s.amount_fen)]), { numeric: [1], class: 'splits' }));
}

export function explanation(a) {
  if (!a.explanation) return null;
  return h('section', h('h3', '决策过程（测算说明）'), h('pre.explain', a.explanation));
}

/* Awards as a table: the columns every list shares (the number links to link(a)), then
 * the `extra` cells of each row under `extraHead`. */
export function awardTable(caption, awards, { link, extraHead = [], extra = () => [] }) {
  return table(caption,
    ['编号', '企业', '条款', '年度', '核定金额（元）', '状态', ...extraHead],
    awards.map((a) => [
      h('a', { href: link(a), 'aria-label': `奖补 #${a.id} 详情` }, '#' + a.id),
      a.name, h('span', { title: itemRef(a) }, itemName(a)), String(a.year), fen(a.amount_fen), stateBadge(a), ...extra(a),
    ]), { numeric: [4], class: 'awards' });
}

const ACTION_ZH = {
  push: '推送（免申即享）', apply: '申报', accept: '受理', approve: '审核通过', reject: '驳回',
  return: '退回补正', resubmit: '重新申报', material: '上传申报材料', pledge: '确认信用承诺与收款账户',
  publicize: '公示', 'close-publicity': '公示期满', pay: '兑付', archive: '归档',
};

/* Where the award has been: its steps from the audit log, who and when. */
export function historyView(a) {
  if (!a.history || !a.history.length) return null;
  return h('section', h('h3', '办理记录'),
    table('办理记录', ['时间', '操作', '操作人'],
      a.history.map((e) => [when(e.at), ACTION_ZH[e.action] || '其他操作', e.actor_zh]),
      { class: 'history' }));
}

/* Objections lodged during 公示, with their numbers (to resolve them) and outcome. */
export function objectionsView(a) {
  if (!a.objections || !a.objections.length) return null;
  const outcome = (o) => (o.resolution === 'upheld' ? '异议成立' : o.resolution === 'dismissed' ? '异议不成立' : '待处理');
  return h('section', h('h3', '公示异议'),
    table('公示异议', ['异议编号', '提出时间', '提出人', '内容', '处理结果', '处理说明'],
      a.objections.map((o) => ['#' + o.id, when(o.lodged_at), o.by_zh || '—', o.text, outcome(o), o.note || '—']),
      { class: 'objections' }));
}
