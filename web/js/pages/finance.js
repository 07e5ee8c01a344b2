/*
 * 财政兑付: awards ready for payment (公示期满, or 资格定补 just approved: 即申请即兑付),
 * payment with the split between 市财政 and the district shown from the payment record,
 * paid awards and archiving, and the yearly budgets with what is used and what remains.
 * Several awards can be chosen and paid as one batch, whose payment list (兑付清单) is
 * downloaded for the treasury.
 */
import { api } from '../api.js';
import { h, mount, field, select, notice, errorText, table } from '../dom.js';
import { confirmMoney, fen, itemName, money, moneyYuan, parseYuan } from '../format.js';
import { awardTable, paymentView } from '../award-view.js';

export async function render(root, ctx) {
  const batch = h('input', { name: 'batch', placeholder: '如 2022-03', value: '' });
  const payResult = h('div#pay-result', { 'aria-live': 'polite' });
  const due = h('div#pay-queue', notice('info', '正在加载…'));
  const paid = h('div#paid-list');
  const budgets = h('div#budgets');
  mount(root, h('h1', '财政兑付'),
    h('section.card', { 'aria-labelledby': 'due-title' }, h('h2#due-title', '待兑付'),
      h('div.inline', field('兑付批次（可选）', batch)), payResult, due),
    h('section.card', { 'aria-labelledby': 'paid-title' }, h('h2#paid-title', '已兑付'), paid),
    h('section.card', { 'aria-labelledby': 'budget-title' }, h('h2#budget-title', '年度预算执行'), budgets));
  const reload = () => render(root, ctx);
  try {
    /* What is payable now is the server's to say (GET /api/awards?payable=true: the workflow table). */
    const [payable, paidList] = await Promise.all([api.awards({ payable: 'true' }), api.awards({ state: 'paid' })]);
    if (!ctx.alive()) return;
    const ready = payable.awards;
    const chosen = new Set();
    const batchBar = h('div.batch-bar');
    const showChosen = () => mount(batchBar, batchButton(ready.filter((a) => chosen.has(a.id)), batch, payResult, reload));
    const pick = (a) => {
      const box = h('input', { type: 'checkbox', 'aria-label': `选择奖补 #${a.id}` });
      box.addEventListener('change', () => { if (box.checked) chosen.add(a.id); else chosen.delete(a.id); showChosen(); });
      return box;
    };
    showChosen();
    mount(due, ready.length ? [awardTable('待兑付奖补', ready, {
      link: (a) => '#/finance/' + a.id,
      extraHead: ['选择', '兑付'],
      extra: (a) => [pick(a), payButton(a, batch, payResult, reload)],
    }), batchBar] : notice('info', '暂无待兑付的奖补。'),
    h('p.hint', '数据核校类奖补须经公示期满后兑付；资格定补类审核通过即可兑付。'));
    mount(paid, paidList.awards.length ? awardTable('已兑付奖补', paidList.awards, {
      link: (a) => '#/finance/' + a.id,
      extraHead: ['资金分担', '归档'],
      extra: (a) => [splitToggle(a), (a.allowed_actions || []).includes('archive') ? archiveButton(a, reload) : h('span.muted', '—')],
    }) : notice('info', '暂无已兑付的奖补。'));
  } catch (e) {
    mount(due, notice('error', errorText(e)));
  }
  showBudgets(budgets, ctx);
  if (ctx.params[0]) showPaid(payResult, ctx.params[0]);
}

/* After payment: the amount and its split, read back from GET /api/awards/{id}. */
async function showPaid(box, id, message) {
  try {
    const a = await api.award(id);
    mount(box, h('div.card.paid', { dataset: { award: a.id } },
      message ? notice('ok', message) : null,
      h('p', `奖补 #${a.id} ${a.name} · ${itemName(a)} · `, h('span.badge.state', { dataset: { state: a.state } }, a.state_zh)),
      paymentView(a) || notice('info', '尚未兑付。')));
  } catch (e) {
    mount(box, notice('error', errorText(e)));
  }
}

function payButton(a, batch, result, reload) {
  const b = h('button.primary.small', { type: 'button', 'aria-label': `兑付奖补 #${a.id}` }, '兑付');
  b.addEventListener('click', async () => {
    if (!confirmMoney('兑付', a)) return;
    b.disabled = true;
    try {
      const body = batch.value.trim() ? { batch: batch.value.trim() } : {};
      const r = await api.act(a.id, 'pay', body);
      await reload();
      await showPaid(document.getElementById('pay-result'), a.id, r.message || `奖补 #${a.id} 已兑付 ${money(r.amount_fen)}`);
    } catch (e) {
      b.disabled = false;
      mount(result, notice('error', errorText(e)));
    }
  });
  return b;
}

/* 批量兑付: the chosen awards paid one after another under one batch name (each payment is
 * its own transaction and is made once); then the batch's list from the ledger, with its
 * total, what 市财政 and each district bear, and the XLSX for the treasury. */
function batchButton(awards, batch, result, reload) {
  const total = awards.reduce((s, a) => s + a.amount_fen, 0);
  const b = h('button.primary', { type: 'button', id: 'pay-batch', disabled: !awards.length },
    awards.length ? `批量兑付所选 ${awards.length} 项，共 ${money(total)}` : '批量兑付（请先选择）');
  b.addEventListener('click', async () => {
    const name = batch.value.trim();
    if (!name) return mount(result, notice('error', '批量兑付须填写兑付批次，以便导出兑付清单'));
    if (!window.confirm(`确认以批次「${name}」兑付所选 ${awards.length} 项奖补？\n合计金额：${money(total)}`)) return;
    b.disabled = true;
    const failed = [];
    for (const a of awards) {
      try {
        await api.act(a.id, 'pay', { batch: name });
      } catch (e) {
        failed.push(`奖补 #${a.id}：${errorText(e)}`);
      }
    }
    await reload();
    await showBatch(document.getElementById('pay-result'), name, failed);
  });
  return b;
}

async function showBatch(box, name, failed) {
  try {
    const list = await api.payments({ batch: name });
    mount(box, h('div.card.batch', { dataset: { batch: name } },
      notice(failed.length ? 'error' : 'ok', `批次「${name}」已兑付 ${list.count} 项，合计 ${money(list.amount_fen)}`),
      failed.length ? h('ul', failed.map((f) => h('li', f))) : null,
      table('资金分担（按承担方）', ['承担方', '金额（元）'], list.by_payer.map((p) => [p.payer, fen(p.amount_fen)]),
        { numeric: [1], class: 'batch-payers' }),
      h('p', h('a', { href: api.paymentsUrl({ batch: name, format: 'xlsx' }), download: '' }, '下载兑付清单（Excel）'))));
  } catch (e) {
    mount(box, notice('error', errorText(e)));
  }
}

function splitToggle(a) {
  const box = h('div');
  const d = h('details', h('summary', '查看'), box);
  d.addEventListener('toggle', async () => {
    if (!d.open || box.childElementCount) return;
    try {
      const full = await api.award(a.id);
      mount(box, full.payment ? h('ul.compact', full.payment.splits.map((s) => h('li', `${s.payer} ${fen(s.amount_fen)} 元`))) : '—');
    } catch (e) {
      mount(box, notice('error', errorText(e)));
    }
  });
  return d;
}

function archiveButton(a, reload) {
  const b = h('button.secondary.small', { type: 'button', 'aria-label': `归档奖补 #${a.id}` }, '归档');
  b.addEventListener('click', async () => {
    if (!confirmMoney('归档', a)) return;
    b.disabled = true;
    try {
      await api.act(a.id, 'archive');
      reload();
    } catch (e) {
      b.disabled = false;
      b.after(notice('error', errorText(e)));
    }
  });
  return b;
}

/* The table is redrawn after a change; the form is drawn once, so what the person chose (the
 * year, the document) stays chosen for the next budget. */
async function showBudgets(box, ctx) {
  try {
    const [{ budgets }, { documents }] = await Promise.all([api.budgets(), api.documents()]);
    const list = h('div.budget-list');
    const redraw = async () => mount(list, budgetTable((await api.budgets()).budgets, documents));
    mount(list, budgetTable(budgets, documents));
    mount(box, list, ['finance', 'admin'].includes(ctx.role) ? budgetForm(documents, redraw) : null);
  } catch (e) {
    mount(box, notice('error', errorText(e)));
  }
}

function budgetTable(budgets, documents) {
  const docName = new Map(documents.map((d) => [d.id, d.number]));
  return budgets.length ? table('年度预算（元）', ['年度', '范围', '条款/文件', '预算', '硬上限', '已核定', '剩余'],
    budgets.map((b) => [String(b.year), b.scope === 'item' ? '条款' : '文件', docName.get(b.key) || b.key,
      fen(b.amount_fen), b.hard_fen ? fen(b.hard_fen) : '—', fen(b.used_fen),
      h('span', { class: b.remaining_fen < 0 ? 'over' : null }, fen(b.remaining_fen))]),
    { numeric: [3, 4, 5, 6], class: 'budgets' }) : notice('info', '尚未设置预算。');
}

function budgetForm(documents, done) {
  const year = h('input', { name: 'year', inputmode: 'numeric', value: '2021', required: true });
  const scope = select({ name: 'scope' }, [['document', '政策文件'], ['item', '单个条款']], 'document');
  const doc = select({ name: 'document' }, documents.map((d) => [d.id, d.number]));
  const item = h('input', { name: 'item', placeholder: '如 12-7-12' });
  const amount = h('input', { name: 'amount', inputmode: 'decimal', placeholder: '元，如 5000000 或 500万', required: true });
  const hard = h('input', { name: 'hard', inputmode: 'decimal', placeholder: '可不填' });
  const docField = field('政策文件', doc);
  const itemField = field('条款编号', item);
  itemField.hidden = true;
  scope.addEventListener('change', () => { docField.hidden = scope.value !== 'document'; itemField.hidden = scope.value !== 'item'; });
  const status = h('div', { 'aria-live': 'polite' });
  const btn = h('button.primary', { type: 'submit' }, '保存预算');
  const form = h('form.sub-form#budget-form', { novalidate: true }, h('h3', '设置预算'),
    h('div.grid', field('年度', year), field('范围', scope), docField, itemField,
      field('预算金额（元）', amount), field('硬上限（元）', hard, '审核通过超出硬上限时拒绝')), btn, status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const a = parseYuan(amount.value);
    const hd = hard.value.trim() ? parseYuan(hard.value) : undefined;
    if (!/^\d{4}$/.test(year.value.trim())) return mount(status, notice('error', '年度须为四位数字，如 2021'));
    if (a === null) return mount(status, notice('error', '预算金额须为以元计的金额，如 5000000 或 500万'));
    if (hd === null) return mount(status, notice('error', '硬上限须为以元计的金额'));
    const body = { year: Number(year.value.trim()), amount: a };
    if (hd) body.hard = hd;
    if (scope.value === 'item') body.item = item.value.trim();
    else body.document = doc.value;
    const what = scope.value === 'item' ? `条款 ${body.item}` : doc.selectedOptions[0].textContent;
    if (!window.confirm(`确认将 ${body.year} 年度 ${what} 的预算设为 ${moneyYuan(a)}${hd ? `（硬上限 ${moneyYuan(hd)}）` : ''}？`)) return;
    btn.disabled = true;
    try {
      const r = await api.setBudget(body);
      await done();
      mount(status, r.warning ? notice('warn', r.warning) : notice('ok', `已保存：${body.year} 年度 ${what} 预算 ${moneyYuan(a)}。`));
    } catch (e) {
      mount(status, notice('error', errorText(e)));
    }
    btn.disabled = false;
  });
  return form;
}
