/*
 * How numbers, money and states are written on the page. Money arrives from the API as
 * whole 分 (amount_fen) or as 元 strings with two decimals ("1000000.00"); both are
 * shown as 元 with thousands separators and never pass through floating point.
 */

function group(digits) {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/* 100000000 → "1,000,000.00" (分 → 元); negative amounts keep their sign. */
export function fen(f) {
  const n = typeof f === 'bigint' ? f : BigInt(Math.trunc(Number(f) || 0));
  const neg = n < 0n;
  const a = neg ? -n : n;
  return (neg ? '-' : '') + group((a / 100n).toString()) + '.' + (a % 100n).toString().padStart(2, '0');
}

/* "1000000.00" → "1,000,000.00" */
export function yuan(s) {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(s ?? '').trim());
  if (!m) return String(s ?? '');
  return m[1] + group(m[2]) + '.' + (m[3] || '').padEnd(2, '0').slice(0, 2);
}

export const money = (f) => fen(f) + ' 元';
export const moneyYuan = (s) => yuan(s) + ' 元';

/* A change, signed: "+1,000.00 元", "-90,000.00 元", "0.00 元". */
export function change(f) {
  return (Number(f) > 0 ? '+' : '') + money(f);
}

/* The award states in workflow order (ledger/workflow.h). */
export const STATES = [
  ['candidate', '待申报'], ['pushed', '已推送'], ['applied', '已申报'], ['returned', '退回补正'], ['accepted', '已受理'],
  ['approved', '审核通过'], ['publicizing', '公示中'], ['publicized', '公示期满'], ['paid', '已兑付'],
  ['archived', '已归档'], ['rejected', '已驳回'],
];
export const STATE_ZH = Object.fromEntries(STATES);

/* The steps an award goes through, for the progress line of one award. */
export function stateSteps(award) {
  const order = ['candidate', 'applied', 'accepted', 'approved', 'publicizing', 'publicized', 'paid', 'archived'];
  if (award.state === 'pushed') order.splice(1, 0, 'pushed');
  const skipPublicity = award.kind === '资格定补' && !award.publicity_start && ['paid', 'archived'].includes(award.state);
  const steps = skipPublicity ? order.filter((s) => s !== 'publicizing' && s !== 'publicized') : order;
  // A rejection or a return is shown where it happened: after 已受理 only if the award's
  // history has an acceptance, otherwise straight after 已申报.
  if (award.state === 'rejected' || award.state === 'returned') {
    const accepted = (award.history || []).some((e) => e.action === 'accept');
    const upto = steps.indexOf(accepted ? 'accepted' : 'applied') + 1;
    return { steps: [...steps.slice(0, upto), award.state], at: upto };
  }
  return { steps, at: steps.indexOf(award.state) };
}

export const STATUS_ZH = { eligible: '符合', ineligible: '不符合', needs_data: '待补充数据', error: '测算出错' };

/* "2022-03-01" → "2022年3月1日", as people write dates; anything else is shown as it is. */
export function day(d) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(d || '');
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : (d || '');
}

/* "2022-03-01T09:00:00+08:00" → "2022年3月1日 09:00" */
export function when(ts) {
  if (!ts) return '';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(ts);
  return m ? `${day(m[1])} ${m[2]}` : ts;
}

/* An award's item by its title, never by its identifier: "国家级工业设计中心奖励（服务券）". */
export function itemName(a) {
  return (a.title || '') + (a.voucher ? '（服务券）' : '');
}

/* Where the item sits in its document: "温政发〔2020〕12号 第7条第(12)项". */
export function itemRef(a) {
  return a.article ? `${a.document} 第${a.article}条第(${a.row})项` : (a.document || '');
}

/* Amounts typed by a person: "1,000,000" / "100万" → "1000000.00", or null if not money. */
export function parseYuan(text) {
  let s = String(text ?? '').trim().replace(/[,，\s]/g, '').replace(/元$/, '');
  let scale = 1n;
  if (/万$/.test(s)) { s = s.slice(0, -1); scale = 10000n; }
  else if (/亿$/.test(s)) { s = s.slice(0, -1); scale = 100000000n; }
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const f = (BigInt(m[1]) * 100n + BigInt((m[2] || '').padEnd(2, '0'))) * scale;
  return fen(f).replace(/,/g, '');
}

/* The check character of a 统一社会信用代码 (GB 32100-2015): true if `code` is well formed. */
export function validCreditCode(code) {
  const A = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false;
  let s = 0;
  for (let i = 0; i < 17; i++) s += A.indexOf(code[i]) * W[i];
  return A[(31 - (s % 31)) % 31] === code[17];
}

/* Money actions are confirmed with the amount they move: true if the person confirms. */
export function confirmMoney(verb, a) {
  return window.confirm(`确认${verb}奖补 #${a.id}（${a.name}）？\n金额：${money(a.amount_fen)}`);
}
