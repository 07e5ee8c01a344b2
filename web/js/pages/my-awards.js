/*
 * 我的申报: the enterprise's awards (GET /api/awards answers only its own), each with its
 * state and progress; an award still 待申报/已推送 can be applied for here.
 */
import { api } from '../api.js';
import { h, mount, notice, errorText } from '../dom.js';
import { day, fen } from '../format.js';
import { bankForm, claimButton } from '../claim.js';
import { materialsView } from '../materials.js';
import { awardFacts, awardTable, explanation, historyView, objectionsView, paymentView, progress, stateBadge } from '../award-view.js';

/* May the firm apply for it now? The server says so in allowed_actions (the workflow table). */
const mayApply = (a) => (a.allowed_actions || []).includes('apply');

export async function render(root, ctx) {
  if (ctx.params[0]) return detail(root, ctx, ctx.params[0]);
  mount(root, h('h1', '我的申报'), h('p.lead', '本企业经“免申即享”匹配或申报的奖补，及其办理进度。'));
  const bank = h('section.card#bank-account', { 'aria-labelledby': 'bank-title' }, h('h2#bank-title', '收款账户'));
  const box = h('div#my-awards', { 'aria-live': 'polite' }, notice('info', '正在加载…'));
  root.append(bank, box);
  try {
    const { awards } = await api.awards();
    if (!ctx.alive()) return;
    showBank(bank, awards.length ? awards[0].name : '');
    if (!awards.length) return mount(box, notice('info', '暂无奖补记录。可先用政策计算器测算本企业可享受的奖励。'));
    const total = awards.filter((a) => a.state !== 'rejected').reduce((s, a) => s + a.amount_fen, 0);
    mount(box,
      h('p', `共 ${awards.length} 笔，核定金额合计 `, h('strong.money', fen(total) + ' 元'), '（不含已驳回）。'),
      awardTable('本企业奖补', awards, {
        link: (a) => '#/my/' + a.id,
        extraHead: ['办理'],
        extra: (a) => [mayApply(a) ? applyButton(a, () => render(root, ctx)) : h('span.muted', day(a.updated_at.slice(0, 10)))],
      }));
  } catch (e) {
    mount(box, notice('error', errorText(e)));
  }
}

function applyButton(a, done) {
  return claimButton(a, '申请', (body) => api.act(a.id, 'apply', body), done, { 'aria-label': `申请奖补 #${a.id}` });
}

/* The account awards are paid into, with a form to record or change it. */
async function showBank(card, firmName) {
  const head = card.querySelector('h2');
  let acct = null;
  try {
    acct = await api.bankAccount();
  } catch (e) {
    if (e.status !== 404) return mount(card, head, notice('error', errorText(e)));
  }
  const form = bankForm(acct ? acct.holder : firmName, () => showBank(card, firmName));
  if (!acct) return mount(card, head, form);
  const change = h('details', h('summary', '变更收款账户'), form);
  mount(card, head, h('p.account', `${acct.bank} ${acct.account}（户名 ${acct.holder}）`), change);
}

async function detail(root, ctx, id) {
  mount(root, h('p', h('a', { href: '#/my' }, '← 返回我的申报')), h('h1', `奖补 #${id}`));
  const box = h('div#award-detail', { 'aria-live': 'polite' }, notice('info', '正在加载…'));
  root.append(box);
  let a;
  try {
    a = await api.award(id);
  } catch (e) {
    return mount(box, notice('error', errorText(e)));
  }
  const status = h('div', { 'aria-live': 'polite' });
  const actions = h('div.actions');
  const after = (fallback) => async (r) => {
    await detail(root, ctx, id);
    root.querySelector('#award-detail').prepend(notice('ok', r.message || fallback));
  };
  if (mayApply(a)) actions.append(claimButton(a, '申请', (body) => api.act(a.id, 'apply', body), after('已提交申请')));
  if ((a.allowed_actions || []).includes('resubmit')) {
    // 退回补正: the firm has corrected what the department asked for (shown as 补正要求 above).
    actions.append(h('p', '责任单位已退回补正，请按补正要求准备材料后重新申报。'),
      claimButton(a, '已补正，重新申报', (body) => api.act(a.id, 'resubmit', body), after('已重新申报')));
  }
  mount(box,
    h('section.card', h('h2', a.name, ' ', stateBadge(a)), progress(a), awardFacts(a), actions, status),
    materialsView(a, { canUpload: true }),
    paymentView(a) && h('div.card', paymentView(a)),
    (historyView(a) || objectionsView(a)) && h('div.card', historyView(a), objectionsView(a)),
    h('div.card', explanation(a) || notice('info', '暂无测算说明。')));
}
