/*
 * 确认申领: how a firm claims an award (申报, or 重新申报 after 退回补正) in one step. The button
 * opens a panel that shows, word for word, the 信用承诺 the firm makes (the server sends it
 * with the award), and the 收款账户 the money will be paid into; a firm without an account
 * on file records it there first. Nothing is sent until the firm ticks the pledge and
 * confirms; the server refuses a claim without either.
 */
import { api, ApiError } from './api.js';
import { h, mount, field, notice, errorText } from './dom.js';
import { money } from './format.js';

/* The firm's account, or null when it has none yet. */
async function account() {
  try {
    return await api.bankAccount();
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

/* A button labelled `label` that opens the claim panel for award `a`; `submit(body)` sends
 * the claim and resolves to the updated award, passed to `done`. */
export function claimButton(a, label, submit, done, attrs = {}) {
  const panel = h('div.claim', { hidden: true });
  const btn = h('button.primary', { type: 'button', ...attrs }, label);
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    panel.hidden = false;
    mount(panel, notice('info', '正在加载…'));
    try {
      showClaim(panel, a, await account(), submit, done);
    } catch (e) {
      mount(panel, notice('error', errorText(e)));
    }
    btn.disabled = false;
  });
  return h('span.claim-wrap', btn, panel);
}

function showClaim(panel, a, acct, submit, done) {
  if (!acct) return mount(panel, bankForm(a.name, (saved) => showClaim(panel, a, saved, submit, done)));
  const agree = h('input', { type: 'checkbox', name: 'pledge' });
  const go = h('button.primary', { type: 'button', disabled: true }, '确认申领');
  const status = h('div', { 'aria-live': 'polite' });
  agree.addEventListener('change', () => { go.disabled = !agree.checked; });
  go.addEventListener('click', async () => {
    go.disabled = true;
    try {
      done(await submit({ pledge: true }));
    } catch (e) {
      go.disabled = false;
      mount(status, notice('error', errorText(e)));
    }
  });
  mount(panel,
    h('h3', `确认申领：奖补 #${a.id}`),
    h('p', `金额 ${money(a.amount_fen)}，奖补资金将拨付至本企业收款账户：`,
      h('strong.account', `${acct.bank} ${acct.account}`), `（户名 ${acct.holder}）。`),
    h('h4', '信用承诺'),
    h('blockquote.pledge', a.pledge || ''),
    h('label.check', agree, ' 本企业已阅读并作出上述信用承诺'),
    h('div', go), status);
}

/* The firm's 收款账户, recorded before its first claim; the 户名 must be the firm's name. */
export function bankForm(firmName, saved) {
  const bank = h('input', { name: 'bank', required: true, placeholder: '如 中国工商银行温州分行' });
  const number = h('input', { name: 'account', inputmode: 'numeric', required: true, placeholder: '8至32位数字' });
  const holder = h('input', { name: 'holder', required: true, value: firmName || '' });
  const status = h('div', { 'aria-live': 'polite' });
  const btn = h('button.primary', { type: 'submit' }, '保存收款账户');
  const form = h('form.sub-form.bank-form', { novalidate: true },
    h('h3', '登记收款账户'),
    h('p', '申领奖补前须登记本企业的收款账户，奖补资金只拨付至企业本身的账户（户名须与企业名称一致）。'),
    h('div.grid', field('开户银行', bank), field('银行账号', number), field('户名', holder)), btn, status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    btn.disabled = true;
    try {
      saved(await api.setBankAccount({ bank: bank.value.trim(), account: number.value.trim(), holder: holder.value.trim() }));
    } catch (e) {
      btn.disabled = false;
      mount(status, notice('error', errorText(e)));
    }
  });
  return form;
}
