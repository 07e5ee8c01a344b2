/*
 * 规划监测: the city's plan indicators (plans/*.hqp) against their observed values — for
 * each indicator the value due by the chosen date (序时进度值), how far along it is
 * (完成度), where the pace leads by the target year, and a status word; the 预警 ones
 * first, 约束性 before 预期性, because those are what a leader has to act on. For 在线新经济
 * also the areas: their ranking (六比竞赛) and a heat table of areas × indicators.
 *
 * Everything shown comes from GET /api/plans/status (one call per year: the charts need
 * every year from the base year to the chosen one, and the status of each year is what the
 * server computed, never recomputed here) and GET /api/plans (the tabs). Numbers arrive as
 * decimal strings and are shown as they are, except the derived 序时进度值 and 预计, rounded for
 * display (see precisionOf); the charts read them with Number(), which is
 * only drawing. Statuses are told by their word, never by colour alone.
 */
import { api } from '../api.js';
import { h, mount, select, notice, errorText, field } from '../dom.js';
import { lineChart } from '../charts.js';

/* Used when GET /api/plans does not say: the two plans of issue 14. */
const KNOWN = {
  shisiwu: { tab: '十四五规划指标', base_year: 2020, target_year: 2025 },
  zaixian: { tab: '在线新经济', base_year: 2020, target_year: 2022 },
};

const STATUS_ORDER = ['warning', 'lagging', 'on_path', 'reached', 'no_target'];
const STATUS_ZH = { warning: '预警', lagging: '滞后', on_path: '序时', reached: '达标', no_target: '无目标' };

const dash = (v) => (v === null || v === undefined || v === '' ? '—' : String(v));

/*
 * The values the server derives (序时进度值, 预计) are exact decimals of the path
 * ("7793.259975"); a figure shown with more decimals than the plan writes its base and
 * target claims a precision nobody measured, so the page rounds them for display to the
 * indicator's own precision: the most decimals of its base, target and observed value as
 * written (the observed value sits beside them in the row and is compared with them: 实际
 * 14.4 against a 序时进度值 of 14 would mislead), at least 1 for a % value, at most 2 —
 * unless the plan itself writes more, as 0.016 人/亿元, which rounding to 0.01 would erase.
 * The API keeps the exact values (and the downloads give them); the cell's title shows the
 * exact one. Rounding is half away from zero, done on the decimal string — no floating point.
 */
const decimalsOf = (text) => Math.max(0, ...[...String(text ?? '').matchAll(/\d+(?:\.(\d+))?/g)].map((m) => (m[1] || '').length));
const hasNumber = (text) => /\d/.test(String(text ?? ''));

export function precisionOf(ind) {
  const planned = Math.max(0, ...[ind.base, ind.target_text].filter(hasNumber).map(decimalsOf));
  let d = Math.max(planned, hasNumber(ind.actual) ? decimalsOf(ind.actual) : 0);
  const cap = Math.max(2, planned);
  if (/%/.test(ind.unit || '')) d = Math.max(d, 1);
  return Math.min(d, cap);
}

/* "7793.259975", 1 → "7793.3"; "-0.04", 1 → "0.0"; "6", 1 → "6.0"; not a plain decimal → as it is. */
export function roundDecimal(s, d) {
  const m = /^\s*([+-]?)(\d+)(?:\.(\d*))?\s*$/.exec(String(s ?? ''));
  if (!m) return s;
  const frac = (m[3] || '').padEnd(d + 1, '0');
  let digits = BigInt(m[2] + frac.slice(0, d));
  if (frac[d] >= '5') digits += 1n; // the magnitude: half away from zero
  const t = digits.toString().padStart(d + 1, '0');
  const out = d ? `${t.slice(0, -d)}.${t.slice(-d)}` : t;
  return (m[1] === '-' && digits !== 0n ? '-' : '') + out;
}

/* A derived value as displayed: rounded to the indicator's precision, '—' when absent. */
function shown(ind, v) {
  return v === null || v === undefined || v === '' ? '—' : roundDecimal(v, precisionOf(ind));
}
/* Its cell: the rounded value, and the exact one as the cell's title when rounding dropped digits. */
function shownCell(ind, v) {
  const r = shown(ind, v);
  return h('td.num', { title: r !== '—' && decimalsOf(v) > precisionOf(ind) ? `精确值：${v}` : null }, r);
}

/* "2022" → 2022年, "2022-06" → 2022年6月, "2022Q2" → 2022年第二季度. */
const QUARTER = ['一', '二', '三', '四'];
export function periodText(p) {
  if (!p) return '';
  let m = /^(\d{4})-(\d{1,2})$/.exec(p);
  if (m) return `${m[1]}年${Number(m[2])}月`;
  m = /^(\d{4})Q([1-4])$/i.exec(p);
  if (m) return `${m[1]}年第${QUARTER[m[2] - 1]}季度`;
  m = /^(\d{4})-(\d\d)-(\d\d)$/.exec(p);
  if (m) return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
  return /^\d{4}$/.test(p) ? `${p}年` : p;
}

function badge(status, text) {
  return h('span.badge.plan-status', { dataset: { status: status || 'no_target' } }, text || STATUS_ZH[status] || '无目标');
}

/* An indicator's name is the plan's own wording (it may quote GDP, R&D, PM2.5): shown as written. */
const named = (text) => h('span.ind-name', { 'data-verbatim': '' }, text);

async function planList() {
  try {
    const r = await api.plans();
    const list = Array.isArray(r) ? r : r.plans || [];
    return list.filter((p) => p && p.id);
  } catch {
    return []; // the tabs fall back to the plans this page knows
  }
}

export async function render(root, ctx) {
  const plans = await planList();
  if (!ctx.alive()) return;
  /* Plans with a target year (a statistics report has none and no status to show). */
  const listed = plans.filter((p) => KNOWN[p.id] || p.target_year).map((p) => p.id);
  const ids = listed.length ? listed : Object.keys(KNOWN);
  const planId = ids.includes(ctx.query.get('plan')) ? ctx.query.get('plan') : ids.includes('shisiwu') ? 'shisiwu' : ids[0];
  const info = { ...(KNOWN[planId] || {}), ...(plans.find((p) => p.id === planId) || {}) };
  const baseYear = Number(info.base_year) || 2020;
  const targetYear = Number(info.target_year) || baseYear + 5;
  const lastYear = Math.min(targetYear, new Date().getFullYear());
  const years = [];
  for (let y = baseYear; y <= lastYear; y++) years.push(y);

  const route = (p) => {
    const q = new URLSearchParams({ plan: p.plan ?? planId });
    if (p.year ?? ctx.query.get('year')) q.set('year', p.year ?? ctx.query.get('year'));
    if (p.month ?? ctx.query.get('month')) q.set('month', p.month ?? ctx.query.get('month'));
    return 'plans?' + q.toString();
  };

  const tabs = h('nav.tabs', { 'aria-label': '规划' }, ids.map((id) => {
    const p = plans.find((x) => x.id === id) || {};
    const label = (KNOWN[id] && KNOWN[id].tab) || p.short_title || p.title || '规划';
    return h('a.tab', { href: '#/plans?plan=' + encodeURIComponent(id), 'aria-current': id === planId ? 'page' : null, dataset: { plan: id } }, label);
  }));
  const body = h('div#plan-body', notice('info', '正在加载…'));
  mount(root, h('h1', '规划监测'),
    h('p.lead', '对照规划目标逐项监测指标：序时进度值是按规划路径到所选期末应达到的数值，完成度是自基数起已完成的比例，预计值按目前进度推算至目标年。预警指标列在最前，约束性指标优先。'),
    tabs, body);

  /* Every year's status, for the charts; the chosen year decides the table. A year the
   * server has nothing for is left out; only when no year answers is it an error. */
  let failure = null;
  const byYear = await Promise.all(years.map((y) => api.planStatus({ plan: planId, year: y }).catch((e) => {
    failure = failure && failure.status !== 404 ? failure : e;
    return null;
  })));
  if (!ctx.alive()) return;
  if (byYear.every((s) => !s)) {
    mount(body, notice('error', !failure || failure.status === 404 ? '规划监测数据尚未提供，请先导入规划指标观测数据。' : errorText(failure)));
    return;
  }
  const hasData = (s) => s && (s.indicators || []).some((i) => i.actual !== null && i.actual !== undefined);
  const latest = [...years].reverse().find((y, k) => hasData(byYear[years.length - 1 - k])) || lastYear;
  const year = years.includes(Number(ctx.query.get('year'))) ? Number(ctx.query.get('year')) : latest;
  const month = /^(?:[1-9]|1[0-2])$/.test(ctx.query.get('month') || '') ? Number(ctx.query.get('month')) : 0;

  let status = byYear[years.indexOf(year)];
  if (month) {
    try {
      status = await api.planStatus({ plan: planId, year, month });
    } catch (e) {
      if (!ctx.alive()) return;
      mount(body, notice('error', errorText(e)));
      return;
    }
  }
  if (!ctx.alive()) return;
  if (!status) {
    mount(body, notice('info', `${year}年暂无监测数据。`));
    return;
  }

  const yearSel = select({ name: 'year' }, years.map((y) => [String(y), `${y}年`]), String(year));
  const monthSel = select({ name: 'month' }, [['', '全年'], ...Array.from({ length: 12 }, (_, i) => [String(i + 1), `${i + 1}月`])], month ? String(month) : '');
  yearSel.addEventListener('change', () => ctx.go(route({ year: yearSel.value })));
  monthSel.addEventListener('change', () => ctx.go(route({ month: monthSel.value })));
  const q = { plan: planId, year, month: month || '' };
  const downloads = h('span.downloads',
    h('a', { href: api.planStatusUrl({ ...q, format: 'csv' }), download: '' }, '下载 CSV'), ' · ',
    h('a', { href: api.planStatusUrl({ ...q, format: 'xlsx' }), download: '' }, '下载 Excel'));

  const inds = status.indicators || [];
  const history = historyOf(years, byYear, year);
  const asOf = month ? `${year}年${month}月末` : `${year}年末`;
  mount(body,
    h('div.report-head',
      h('p.plan-title', h('strong', status.title || info.title || ''), ' · 监测时点：', asOf),
      downloads),
    h('div.inline.plan-filters', field('年度', yearSel), field('月份', monthSel)),
    summary(inds),
    warnings(inds, asOf),
    indicatorTable(inds, history, { baseYear, targetYear, asOf, year }),
    planId === 'zaixian' || (status.areas && status.areas.length) ? areaViews(status, asOf) : null,
    sources(inds));
}

/* id → [{year, actual, expected, status}] from every year's status up to the chosen one. */
function historyOf(years, byYear, upTo) {
  const out = new Map();
  years.forEach((y, k) => {
    if (y > upTo || !byYear[k]) return;
    for (const i of byYear[k].indicators || []) {
      if (!out.has(i.id)) out.set(i.id, []);
      out.get(i.id).push({ year: y, actual: i.actual, expected: i.expected, status: i.status });
    }
  });
  return out;
}

function summary(inds) {
  const count = {};
  for (const i of inds) count[i.status] = (count[i.status] || 0) + 1;
  return h('dl.kpis.plan-kpis',
    h('div.kpi.total', h('dt', '监测指标'), h('dd', `${inds.length} 项`)),
    STATUS_ORDER.map((s) => h('div.kpi', { dataset: { status: s } }, h('dt', STATUS_ZH[s]), h('dd', `${count[s] || 0} 项`))));
}

const isBinding = (i) => i.attribute_zh === '约束性';

function warnings(inds, asOf) {
  const list = inds.filter((i) => i.status === 'warning').sort((a, b) => isBinding(b) - isBinding(a));
  return h('section.card.plan-warnings', { 'aria-labelledby': 'h-warn' },
    h('h2#h-warn', `预警指标（${list.length} 项）`),
    list.length
      ? h('ol.warn-list', list.map((i) => h('li', { dataset: { id: i.id } },
        isBinding(i) ? h('span.badge.binding', '约束性') : h('span.badge', '预期性'), ' ',
        h('strong', `${i.id} `, named(i.name)), '：',
        `实际${dash(i.actual)}${i.unit || ''}（${periodText(i.period) || asOf}），序时进度值${shown(i, i.expected)}${i.unit || ''}，完成度${dash(i.completion)}`,
        i.projected ? `，按此进度预计${shown(i, i.projected)}${i.unit || ''}` : '')))
      : notice('ok', `截至${asOf}，无预警指标。`));
}

function indicatorTable(inds, history, o) {
  const head = ['序号', '指标', '单位', '属性', '基数', '目标', '实际（期间）', '序时进度值', '完成度', `预计${o.targetYear}年`, '状态', '走势'];
  const numeric = [4, 6, 7, 8, 9];
  const rows = inds.map((i) => h('tr', { dataset: { id: i.id, status: i.status } },
    h('td.num', i.id),
    h('td', named(i.name)),
    h('td', i.unit || ''),
    h('td', isBinding(i) ? h('span.badge.binding', '约束性') : dash(i.attribute_zh)),
    h('td.num', dash(i.base)),
    h('td', dash(i.target_text)),
    h('td.num', i.actual === null || i.actual === undefined ? '—' : [dash(i.actual), h('small.period', `（${periodText(i.period) || o.asOf}）`)]),
    shownCell(i, i.expected),
    h('td.num', dash(i.completion)),
    shownCell(i, i.projected),
    h('td', badge(i.status, i.status_zh)),
    h('td.spark', sparkline(i, history.get(i.id) || [], o))));
  return h('section.card', { 'aria-labelledby': 'h-inds' },
    h('h2#h-inds', '指标完成情况'),
    h('div.table-wrap', { tabindex: '0', role: 'region', 'aria-label': '指标完成情况' },
      h('table.plan-table',
        h('thead', h('tr', head.map((c, k) => h('th', { scope: 'col', class: numeric.includes(k) ? 'num' : null }, c)))),
        h('tbody', rows))),
    h('p.note', '走势图：实线为各年实际值，虚线为规划路径（序时进度值），终点为目标年。'));
}

/* A small chart of the actual values against the path. The path is the expected values the
 * server gave for each year, continued to the target where the target is a plain number. */
function sparkline(ind, hist, o) {
  const pts = hist.filter((p) => p.actual !== null && p.actual !== undefined && p.actual !== '');
  if (!pts.length) return '—';
  const path = hist.filter((p) => p.expected !== null && p.expected !== undefined && p.expected !== '')
    .map((p) => ({ x: p.year, y: Number(p.expected) }));
  const goal = /^\s*(?:力争\s*)?(-?\d+(?:\.\d+)?)\s*(?:左右|以上|以下)?\s*$/.exec(ind.target_text || '');
  if (goal && path.length) path.push({ x: o.targetYear, y: Number(goal[1]) });
  return lineChart({
    title: `${ind.name}：实际值与规划路径`,
    x0: o.baseYear, x1: o.targetYear,
    lines: [
      { name: '规划路径', points: path, dashed: true, cls: 'path' },
      { name: '实际', points: pts.map((p) => ({ x: p.year, y: Number(p.actual), status: p.status })), cls: 'actual' },
    ],
  });
}

/* ---- 在线新经济: the areas ------------------------------------------------------------ */

function areaViews(status, asOf) {
  const inds = status.indicators || [];
  const areas = (status.areas || []).filter((a) => a.area !== '温州市');
  const ranked = [...areas].sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99));
  const rankTable = h('div.table-wrap', { tabindex: '0', role: 'region', 'aria-label': '各地排名' },
    h('table.rank-table',
      h('thead', h('tr', ['排名', '地区', '达到序时进度的指标', '有目标的指标', '序时达标率'].map((c, k) => h('th', { scope: 'col', class: k !== 1 ? 'num' : null }, c)))),
      h('tbody', ranked.map((a) => h('tr', { dataset: { area: a.area } },
        h('td.num', a.rank === null || a.rank === undefined ? '—' : `第${a.rank}名`),
        h('td', a.area),
        h('td.num', `${a.on_track ?? 0} 项`),
        h('td.num', `${a.targeted ?? 0} 项`),
        h('td.num', a.targeted ? `${((100 * (a.on_track || 0)) / a.targeted).toFixed(1)}%` : '—'))))));

  /* The heat table: one row per indicator, 温州市 (the plan-wide row) then each area. */
  const cols = [{ area: '温州市', cells: new Map(inds.map((i) => [i.id, i])) },
    ...areas.map((a) => ({ area: a.area, cells: new Map((a.indicators || []).map((i) => [i.id, i])) }))];
  const cell = (c) => (c && c.status && (c.actual !== null && c.actual !== undefined || c.status !== 'no_target')
    ? h('td.heat', { dataset: { status: c.status } },
      h('span.heat-value', dash(c.actual)), h('span.heat-word', `${c.status_zh || STATUS_ZH[c.status]}${c.completion ? ' ' + c.completion : ''}`))
    : h('td.heat', { dataset: { status: 'none' } }, h('span.heat-word', '无目标')));
  const heat = h('div.table-wrap', { tabindex: '0', role: 'region', 'aria-label': '各地指标热力表' },
    h('table.heat-table',
      h('thead', h('tr', h('th', { scope: 'col' }, '指标'), cols.map((c) => h('th', { scope: 'col', dataset: { area: c.area } }, c.area)))),
      h('tbody', inds.map((i) => h('tr', { dataset: { id: i.id } },
        h('th', { scope: 'row' }, named(i.name), i.unit ? h('small', `（${i.unit}）`) : null),
        cols.map((c) => cell(c.cells.get(i.id))))))));
  return [
    h('section.card.plan-ranking', { 'aria-labelledby': 'h-rank' },
      h('h2#h-rank', '六比竞赛 · 各地排名'),
      h('p.note', `按${asOf}达到序时进度的指标占有目标指标的比例排名。`),
      rankTable),
    h('section.card.plan-heat', { 'aria-labelledby': 'h-heat' },
      h('h2#h-heat', '各地指标完成情况'),
      h('p.note', '每格为实际值与状态（完成度）；颜色同状态：达标、序时为绿，滞后为橙，预警为红，无目标为灰。'),
      heat),
  ];
}

function sources(inds) {
  const seen = new Map();
  for (const i of inds) if (i.source) seen.set(`${i.source}|${i.published || ''}`, i);
  if (!seen.size) return null;
  return h('p.note.plan-sources', '数据来源：',
    [...seen.values()].map((i, k) => [k ? '；' : '', i.source, i.published ? `（${periodText(i.published)}发布）` : '']));
}
