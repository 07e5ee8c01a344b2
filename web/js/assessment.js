/*
 * One assessment (POST /api/evaluate or /api/entities/{code}/evaluate) on the page: the
 * totals, then every item as 符合 / 待补充数据 / 不符合 with its amount, the reason in
 * plain Chinese (failed / missing arrive as sentences and the facts' Chinese labels) and
 * the full explanation.
 * Eligible items that the ledger holds as an award of this enterprise get an 申请 button.
 */
import { h, mount, notice } from './dom.js';
import { fen, money, moneyYuan, STATUS_ZH } from './format.js';
import { claimButton } from './claim.js';

/*
 * renderAssessment(box, a, opts)
 *   a:    the API answer
 *   opts: labels  Map fact name → Chinese label (kept for callers; the API now sends labels)
 *         awards  Map item id → the enterprise's award of that year (GET /api/awards), or null
 *         apply   async (award) → the updated award; the button calls it
 */
export function renderAssessment(box, a, opts = {}) {
  const labels = opts.labels || new Map();
  const groups = { eligible: [], needs_data: [], error: [], ineligible: [] };
  for (const r of a.results) (groups[r.status] || groups.error).push(r);
  const adjusted = a.final_total_fen !== a.total_fen;
  const summary = h('section.summary.card', { 'aria-label': '测算结果汇总' },
    h('h2', `${a.name || a.credit_code} · ${a.year}年度测算结果`),
    h('dl.kpis',
      kpi('符合条款', `${a.counts.eligible} 项`),
      kpi('可享受奖励合计', money(a.final_total_fen), 'total'),
      adjusted ? kpi('按条款测算合计', money(a.total_fen)) : null,
      a.voucher_final_fen ? kpi('其中服务券', money(a.voucher_final_fen)) : null,
      kpi('待补充数据', `${a.counts.needs_data} 项`),
      kpi('不符合', `${a.counts.ineligible} 项`)),
    adjusted ? h('p.note', '合计已按附则3（同一项目就高、不重复享受、年度上限）调整。', a.stacking_log ? h('pre.explain', a.stacking_log) : null) : null);

  const section = (status, title, open) => {
    const rows = groups[status];
    if (!rows.length) return null;
    const list = h('ol.result-list');
    const fill = () => { if (!list.childElementCount) for (const r of rows) list.append(resultCard(r, labels, opts)); };
    if (open) fill();
    const d = h('details.result-group', { open, dataset: { status } }, h('summary', h('h3', `${title}（${rows.length} 项）`)), list);
    d.addEventListener('toggle', fill);
    return d;
  };
  mount(box, summary,
    section('eligible', '符合', true),
    section('needs_data', '待补充数据', !groups.eligible.length && groups.needs_data.length <= 10),
    section('error', '测算出错', true),
    section('ineligible', '不符合', false),
    a.results.length ? null : notice('info', '没有可显示的条款。'));
}

function kpi(label, value, cls) {
  return h('div.kpi', { class: cls ? 'kpi ' + cls : 'kpi' }, h('dt', label), h('dd', value));
}

function resultCard(r, labels, opts) {
  const reason = r.status === 'ineligible' && r.failed
    ? h('p.reason', h('strong', '未满足：'), r.failed)
    : r.status === 'needs_data' && r.missing
      ? h('p.reason', h('strong', '需补充：'), r.missing)
      : null;
  const amount = r.status === 'eligible'
    ? h('p.amount', h('span.label', r.form === '服务券' ? '服务券金额' : '奖励金额'), ' ',
      h('strong.money', moneyYuan(r.final ?? r.amount)),
      r.final !== undefined && r.final !== r.amount ? h('span.muted', `（按条款测算 ${moneyYuan(r.amount)}，经附则3调整）`) : null)
    : null;
  const why = keyLines(r.explanation);
  const actions = h('div.actions');
  const award = r.status === 'eligible' && opts.awards ? opts.awards.get(r.item) : null;
  if (award) showAward(actions, award, opts);
  return h('li.card.result', { dataset: { item: r.item, status: r.status } },
    h('div.item-head',
      h('span.item-id', r.item), h('h4', r.title),
      h('span.badge.status', { dataset: { status: r.status } }, r.status_zh || STATUS_ZH[r.status])),
    h('p.meta', h('span', r.document), h('span', '责任单位：' + r.department), h('span', '类别：' + r.kind)),
    amount, r.stacking ? h('p.note', r.stacking) : null, reason,
    why.length ? h('ul.why', why.map((l) => whyLine(l, labels))) : null,
    r.explanation ? h('details.explain', h('summary', '测算说明（引用政策原文与计算过程）'), h('pre.explain', r.explanation)) : null,
    actions);
}

/* What a reader needs first from an explanation: the policy text relied on (依据), each part
 * with its label and its own status (分项「…」：符合，金额 … / 不符合——未满足：… / 待补充数据——
 * 缺少：…) and the arithmetic under it, and how the parts add up (合计方式). An item without
 * parts gives its arithmetic alone. The full text stays behind the details toggle. */
export function keyLines(expl) {
  if (!expl) return [];
  const out = [];
  let part = null;
  for (const line of expl.split('\n').map((l) => l.trim())) {
    const m = /^分项「(.+?)」：(.*)$/.exec(line);
    if (m) {
      part = { label: m[1], status: m[2], steps: [] };
      out.push(part);
    } else if (/^(依据|合计方式)：/.test(line)) {
      part = null;
      out.push(line);
    } else if (/^(计算|金额)：|^\(\d+\) |^不计算金额/.test(line)) {
      if (part) part.steps.push(line);
      else out.push(line);
    }
  }
  return out;
}

/* A part's missing data is named by the facts' Chinese labels, as the 需补充 line does. */
function whyLine(l, labels) {
  if (typeof l === 'string') return h('li', l);
  const status = l.status.replace(/缺少：([^（]*)/, (_, names) => '缺少：' + names.trim().split(/\s+/).map((n) => labels.get(n) || n).join('、'));
  return h('li.part', { dataset: { part: l.label } }, h('strong', `分项「${l.label}」`), `：${status}`,
    l.steps.length ? h('ul.steps', l.steps.map((s) => h('li', s))) : null);
}

/* The ledger state of the award and, while it may still be applied for, the 申请 button,
 * which opens the 确认申领 panel (信用承诺, 收款账户). */
function showAward(box, award, opts) {
  const canApply = (award.allowed_actions || []).includes('apply') && opts.apply;
  const claim = canApply ? claimButton(award, '申请', (body) => opts.apply(award, body), (updated) => {
    showAward(box, updated, opts);
    box.append(notice('ok', updated.message || '已提交申请'));
  }) : null;
  mount(box, h('span.ledger', `台账奖补 #${award.id}：`, h('span.badge.state', { dataset: { state: award.state } }, award.state_zh),
    ` ${fen(award.amount_fen)} 元`), claim);
}
