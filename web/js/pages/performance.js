/*
 * 绩效评价: the 绩效评价表 of a data year as a finance bureau files it — for each link of
 * plans/performance.hqp (技改, 上云, 研发) the money committed and paid, the firms reached,
 * how the linked fact grew among the firms reached against all other firms (and the
 * difference in points), the plan indicators the items serve; then the link's rows per
 * item, per document and per district; the 兑现时效 of the year (60% by 30 June, all by
 * 31 December of the year after); and what the comparison does not prove (docs/performance.md).
 *
 * Everything shown is GET /api/reports/performance as the server computed it: money from
 * the integer 分 fields (format.js, no floating point), sums of the fact as the exact
 * decimal strings, growth and difference as the server's rounded strings. Nothing is
 * recomputed here.
 */
import { api } from '../api.js';
import { h, mount, select, notice, errorText, field } from '../dom.js';
import { money, fen } from '../format.js';

/* The plans an indicator reference (plan:id) names, by the name people use. */
const PLAN_ZH = { shisiwu: '十四五规划', zaixian: '在线新经济行动方案' };

const GROUPS = [['条款', '按政策条款'], ['文件', '按政策文件'], ['区域', '按区域']];

const dash = (v) => (v === null || v === undefined || v === '' ? '—' : String(v));

/* An exact decimal string ("98789036.15") with thousands separators, its digits untouched. */
export function grouped(s) {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(String(s ?? '').trim());
  if (!m) return dash(s);
  return m[1] + m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (m[3] || '');
}

/* The server's difference in points ("7.0", "-1.4") → "+7.0 个百分点". */
function points(d) {
  if (d === null || d === undefined || d === '') return '—';
  const s = String(d);
  return (/^-/.test(s) || /^0(\.0+)?$/.test(s) ? s : '+' + s) + ' 个百分点';
}

/* Tenths of a percent (an integer) → "60.0%", by integer arithmetic. */
function tenthsPct(t) {
  const n = Math.trunc(Number(t) || 0);
  const a = Math.abs(n);
  return `${n < 0 ? '-' : ''}${Math.trunc(a / 10)}.${a % 10}%`;
}

/* A plan indicator as people name it: 十四五规划 第5项「制造业增加值占 GDP 比重」. The name is the
 * plan's own wording (it may quote GDP, R&D): shown as written. */
function indicator(ind) {
  const [plan, id] = String(ind.ref || '').split(':');
  return h('li', { dataset: { ref: ind.ref } }, PLAN_ZH[plan] || '规划', id ? ` 第${id}项` : '', '「',
    h('span.ind-name', { 'data-verbatim': '' }, ind.name || ''), '」');
}

/* An item's row is named "13-12-61 500万元以上技改项目补助": the page shows the title only. */
function rowName(r, link) {
  if (r.group !== '条款') return r.name;
  const id = (link.items || []).find((i) => String(r.name).startsWith(i + ' '));
  return id ? String(r.name).slice(id.length + 1) : r.name;
}

export async function render(root, ctx) {
  const thisYear = new Date().getFullYear();
  const years = [];
  for (let y = Math.max(2022, thisYear - 1); y >= 2020; y--) years.push(String(y));
  const year = years.includes(ctx.query.get('year')) ? ctx.query.get('year') : '2021';
  const yearSel = select({ name: 'year' }, years.map((y) => [y, `${y}年度`]), year);
  yearSel.addEventListener('change', () => ctx.go('performance?year=' + yearSel.value));
  const downloads = h('span.downloads',
    h('a', { href: api.performanceUrl(year, 'csv'), download: '' }, '下载 CSV'), ' · ',
    h('a', { href: api.performanceUrl(year, 'xlsx'), download: '' }, '下载 Excel'));
  const body = h('div#perf-body', notice('info', '正在加载…'));
  mount(root, h('h1', '绩效评价'),
    h('p.lead', '政策资金绩效评价表：按政策关联的规划指标，列出该年度已核定、已兑付的现金奖补与惠及企业，并对比受惠企业与其他企业相关指标的增长；另列当年度奖补的兑现时效。'),
    h('div.report-head', h('div.inline', field('评价年度（数据年度）', yearSel)), downloads),
    body);

  let rep;
  try {
    rep = await api.performance(year);
  } catch (e) {
    if (!ctx.alive()) return;
    mount(body, notice('error', errorText(e)));
    return;
  }
  if (!ctx.alive()) return;
  const links = rep.links || [];
  const rows = rep.rows || [];
  mount(body,
    links.length ? links.map((l) => linkSection(l, rows.filter((r) => r.link === l.name), rep.year || Number(year)))
      : notice('info', '尚未配置政策与规划指标的关联。'),
    timeliness(rep.timeliness, rep.year || Number(year)),
    caveats());
}

function linkSection(link, rows, year) {
  const head = rows.find((r) => r.group === '关联') || { awards: 0, committed_fen: 0, paid_fen: 0, firms_reached: 0, reached: {}, others: {} };
  const reached = head.reached || {};
  const others = head.others || {};
  const sid = 'perf-' + encodeURIComponent(link.name).replace(/%/g, '');
  return h('section.card.perf-link', { dataset: { link: link.name }, 'aria-labelledby': sid },
    h('h2', { id: sid }, `${link.name}类政策`),
    h('dl.kpis.perf-kpis',
      h('div.kpi.total', { dataset: { k: 'committed' } }, h('dt', '已核定金额'), h('dd', money(head.committed_fen))),
      h('div.kpi', { dataset: { k: 'paid' } }, h('dt', '已兑付金额'), h('dd', money(head.paid_fen))),
      h('div.kpi', { dataset: { k: 'firms' } }, h('dt', '惠及企业'), h('dd', `${head.firms_reached ?? 0} 户`)),
      h('div.kpi', { dataset: { k: 'awards' } }, h('dt', '奖补笔数'), h('dd', `${head.awards ?? 0} 笔`)),
      h('div.kpi', { dataset: { k: 'reached-growth' } }, h('dt', '受惠企业增长'), h('dd', dash(reached.growth))),
      h('div.kpi', { dataset: { k: 'others-growth' } }, h('dt', '其他企业增长'), h('dd', dash(others.growth))),
      h('div.kpi', { dataset: { k: 'diff' } }, h('dt', '增长差'), h('dd', points(head.diff)))),
    h('p.perf-measure', h('strong', '度量：'), h('span', link.fact_label || ''),
      `，${year - 1}年至${year}年的增长；受惠企业 ${reached.firms ?? 0} 户、其他企业 ${others.firms ?? 0} 户为两年都有数据的企业。`),
    h('div.perf-indicators', h('strong', '服务的规划指标：'),
      (link.indicators || []).length ? h('ul.perf-ind-list', link.indicators.map(indicator)) : '未关联'),
    link.reason || link.source
      ? h('details.perf-why', h('summary', '关联依据'),
        link.reason ? h('p', { 'data-verbatim': '' }, link.reason) : null,
        link.source ? h('ul.why', String(link.source).split('\n').filter(Boolean).map((s) => h('li', { 'data-verbatim': '' }, s))) : null)
      : null,
    detailTable(link, rows, year));
}

function detailTable(link, rows, year) {
  const head = ['名称', '笔数', '已核定金额（元）', '已兑付金额（元）', '惠及企业（户）', '受惠企业（两年有数据，户）',
    `受惠企业${year - 1}年合计`, `受惠企业${year}年合计`, '受惠企业增长', '其他企业（户）', '其他企业增长', '增长差（百分点）'];
  const line = (r, cls) => h('tr', { class: cls, dataset: { group: r.group } },
    h(cls ? 'th' : 'td', cls ? { scope: 'row' } : null, rowName(r, link)),
    h('td.num', String(r.awards ?? 0)),
    h('td.num', fen(r.committed_fen)),
    h('td.num', fen(r.paid_fen)),
    h('td.num', String(r.firms_reached ?? 0)),
    h('td.num', String((r.reached || {}).firms ?? 0)),
    h('td.num', grouped((r.reached || {}).prev)),
    h('td.num', grouped((r.reached || {}).cur)),
    h('td.num', dash((r.reached || {}).growth)),
    h('td.num', String((r.others || {}).firms ?? 0)),
    h('td.num', dash((r.others || {}).growth)),
    h('td.num', r.diff === null || r.diff === undefined ? '—' : (/^-|^0(\.0+)?$/.test(r.diff) ? r.diff : '+' + r.diff)));
  const total = rows.find((r) => r.group === '关联');
  const bodies = GROUPS.map(([g, title]) => {
    const list = rows.filter((r) => r.group === g);
    return list.length ? h('tbody', { dataset: { group: g } },
      h('tr.perf-group', h('th', { scope: 'rowgroup', colspan: String(head.length) }, title)),
      list.map((r) => line(r, null))) : null;
  });
  const caption = `${link.name}类政策绩效评价表（${year}年度）`;
  return h('div.table-wrap', { tabindex: '0', role: 'region', 'aria-label': caption },
    h('table.perf-table',
      h('caption', caption),
      h('thead', h('tr', head.map((c, k) => h('th', { scope: 'col', class: k ? 'num' : null }, c)))),
      bodies,
      total ? h('tfoot', line({ ...total, name: `${link.name}类合计` }, 'perf-total')) : null));
}

/* 兑现时效: the year's awards due (approved and on, cash, every item) and the part paid by
 * 30 June and by 31 December of the year after; 达标 is the server's, decided on exact integers. */
function timeliness(t, year) {
  if (!t) return null;
  const pay = (t.year || year) + 1;
  const row = (cls, label, rule, count, paidFen, tenths, met) => h('tr', { class: cls, dataset: { met: met ? 'yes' : 'no' } },
    h('th', { scope: 'row' }, label),
    h('td', rule),
    h('td.num', `${t.due ?? 0} 笔`),
    h('td.num', fen(t.due_fen)),
    h('td.num', `${count ?? 0} 笔`),
    h('td.num', fen(paidFen)),
    h('td.num', tenthsPct(tenths)),
    h('td', h('span.badge.perf-met', { dataset: { met: met ? 'yes' : 'no' } }, met ? '达标' : '未达标')));
  return h('section.card.perf-timeliness', { 'aria-labelledby': 'h-timely' },
    h('h2#h-timely', '兑现时效'),
    h('p', `${t.year || year}年度应兑付的现金奖补（审核通过及以后，全部条款）：${t.due ?? 0} 笔，${money(t.due_fen)}。`,
      `要求${pay}年6月30日前兑付不低于60%，12月31日前全部兑付（按金额）。`),
    h('dl.kpis.perf-timely-kpis',
      [[`${pay}年6月30日前（不低于60%）`, t.midyear_tenths, t.midyear_met, 'mid'], [`${pay}年12月31日前（全部兑付）`, t.yearend_tenths, t.yearend_met, 'end']]
        .map(([label, tenths, met, k]) => h('div.kpi', { dataset: { k, met: met ? 'yes' : 'no' } }, h('dt', label),
          h('dd', `已兑付 ${tenthsPct(tenths)} `, h('span.badge.perf-met', { dataset: { met: met ? 'yes' : 'no' } }, met ? '达标' : '未达标'))))),
    h('div.table-wrap', { tabindex: '0', role: 'region', 'aria-label': '兑现时效' },
      h('table.perf-timely-table',
        h('thead', h('tr', ['时点', '要求', '应兑付笔数', '应兑付金额（元）', '已兑付笔数', '已兑付金额（元）', '兑付比例', '结论']
          .map((c, k) => h('th', { scope: 'col', class: k >= 2 && k <= 6 ? 'num' : null }, c)))),
        h('tbody',
          row('perf-mid', `${pay}年6月30日`, '不低于60%', t.paid_by_midyear, t.paid_by_midyear_fen, t.midyear_tenths, t.midyear_met),
          row('perf-end', `${pay}年12月31日`, '全部兑付', t.paid_by_yearend, t.paid_by_yearend_fen, t.yearend_tenths, t.yearend_met)))),
    h('p.note', '期限未到时，本表为截至目前的兑付进度；是否达标按精确金额比较，不按四舍五入后的比例。'));
}

/* What the comparison does not prove (docs/performance.md). */
function caveats() {
  return h('section.card.perf-caveats', { 'aria-labelledby': 'h-caveats' },
    h('h2#h-caveats', '本表不能说明什么'),
    h('p', '本表是描述，不是对资金效果的测算。受惠企业与其他企业的增长差，不等于奖补带来的增长。'),
    h('ul.why',
      h('li', h('strong', '受惠企业不是随机的：'), '企业因符合条款条件而获奖补（如技改补助给当年设备投入达到门槛的企业，研发补助给有研发投入的企业），这些企业本来就可能增长更快，没有奖补也会显出差异。'),
      h('li', h('strong', '时间：'), '某年度的奖补依据企业当年的行为，次年兑付；上年到当年的变化与受补助的活动同期，并非其后果。后续年度的数据到位后，应再看后续年度。'),
      h('li', h('strong', '规模：'), '合计由最大的企业主导，少数大企业即可决定一组的增长。'),
      h('li', h('strong', '度量是替代指标：'), '营业收入不是增加值；企业数据相加也不等于全市口径的规划指标。关联只说明条款服务于哪项指标，不说明贡献多少。'),
      h('li', h('strong', '样本小：'), '只惠及一两户企业的行，只是个例。')),
    h('p.note', '增长按两年都有数据的企业计算，(当年合计 − 上年合计) ÷ 上年合计；增长与增长差由精确数值计算，最后四舍五入到0.1；上年合计不大于零或无企业有数据时不计增长（—）。要测算因果效果，需要专门构建对照组（如申报而未达门槛的企业，或按规模、行业、既往增长匹配的企业），本表没有这样做。'));
}
