/*
 * 领导驾驶舱: award amounts by document, department, district, industry and payment month,
 * each as a bar chart (charts.js) with the table of its figures under it. The figures are
 * GET /api/reports, the same report `huiqi report` prints, so the two always agree.
 */
import { api } from '../api.js';
import { h, mount, select, notice, errorText, table, field } from '../dom.js';
import { fen, money } from '../format.js';
import { barChart } from '../charts.js';
import { auditCheck } from '../audit-check.js';

const VIEWS = [
  ['document', '按政策文件'], ['department', '按责任单位'], ['district', '按区域'], ['industry', '按行业'], ['month', '按兑付月份'],
];

export async function render(root, ctx) {
  const year = ctx.query.get('year') || '';
  const yearSel = select({ name: 'year' }, [['', '全部年度'], '2022', '2021', '2020'], year);
  yearSel.addEventListener('change', () => ctx.go('dashboard' + (yearSel.value ? '?year=' + yearSel.value : '')));
  const kpis = h('div#dash-kpis');
  const sections = VIEWS.map(([by, title]) => h('section.card.report', { id: 'report-' + by, 'aria-labelledby': 'h-' + by },
    h('div.report-head', h('h2', { id: 'h-' + by }, title),
      h('span.downloads', h('a', { href: api.reportUrl(by, year, 'csv'), download: '' }, '下载 CSV'), ' · ',
        h('a', { href: api.reportUrl(by, year, 'xlsx'), download: '' }, '下载 Excel'))),
    h('div.report-body', notice('info', '正在加载…'))));
  mount(root, h('h1', '领导驾驶舱'),
    h('p.lead', '奖补兑现情况统计，与统计报表口径一致。已核定合计只计审核通过及以后的现金奖补；待申报（免申即享测算、企业尚未申领）、办理中与服务券单列，不计入合计。'),
    h('div.inline', field('统计年度', yearSel)), kpis, ...sections,
    ['leader', 'admin'].includes(ctx.role) ? h('section.card#dash-audit', h('h2', '审计日志校验'), auditCheck()) : null);
  await Promise.all(VIEWS.map(async ([by], i) => {
    const body = sections[i].querySelector('.report-body');
    try {
      const rep = await api.report(by, year);
      if (!ctx.alive()) return;
      mount(body, reportView(rep));
      if (by === 'document') mount(kpis, summary(rep));
    } catch (e) {
      mount(body, notice('error', errorText(e)));
    }
  }));
}

function summary(rep) {
  const col = (name) => rep.columns.findIndex((c) => c.includes(name));
  const at = (i) => (i >= 0 ? rep.total.fen[i] : 0);
  return h('dl.kpis',
    h('div.kpi.total', h('dt', '已核定资金（现金）'), h('dd', money(rep.total.total_fen))),
    h('div.kpi', h('dt', '已兑付'), h('dd', money(at(col('已兑付'))))),
    h('div.kpi', h('dt', '已核定待兑付'), h('dd', money(at(col('已核定'))))),
    h('div.kpi', h('dt', '办理中（未核定）'), h('dd', money(at(col('办理中'))))),
    h('div.kpi', h('dt', '待申报（免申即享，未申领）'), h('dd', money(at(col('待申报'))))),
    h('div.kpi', h('dt', '服务券'), h('dd', money(at(col('服务券'))))),
    h('div.kpi', h('dt', '奖补笔数'), h('dd', `${rep.total.count} 笔`)),
    ...timeliness(rep.summary));
}

/* 兑现时效: how much of what is due (approved and on, cash) has been paid, 惠及企业户数, the
 * average days from application to payment; measured against the city's targets for a data
 * year's awards, paid in the year after it: at least 60% by 30 June, all by 31 December. */
function timeliness(sum) {
  if (!sum) return [];
  const pct = (sum.paid_permille / 10).toFixed(1);
  const tiles = [
    h('div.kpi', h('dt', '惠及企业'), h('dd', `${sum.firms_paid} 户`)),
    h('div.kpi', h('dt', '平均兑付用时（申报至兑付）'), h('dd', sum.avg_days_to_pay === null ? '—' : `${sum.avg_days_to_pay} 天`)),
    h('div.kpi', h('dt', '兑付进度（按金额）'), h('dd', `${pct}%`)),
  ];
  if (sum.year) {
    const today = new Date().toISOString().slice(0, 10);
    const pay = sum.year + 1;
    let warn = null;
    if (today > `${pay}-12-31` && sum.paid_permille < 1000) warn = `${sum.year}年度奖补未在${pay}年底前全部兑付（已兑付 ${pct}%）`;
    else if (today > `${pay}-06-30` && sum.paid_permille < 600) warn = `${sum.year}年度奖补兑付进度 ${pct}%，低于年中60%的兑现时效要求`;
    if (warn) tiles.push(h('p.notice.error.timeliness', { role: 'alert' }, warn));
  }
  return tiles;
}

function reportView(rep) {
  const charted = rep.columns.map((c, i) => [c, i]).filter(([c]) => !c.includes('驳回') && !c.includes('服务券'));
  const chart = barChart({
    title: `奖补金额${rep.by_zh ? '按' + rep.by_zh : ''}分布（元）`,
    series: charted.map(([c]) => ({ name: c })),
    rows: rep.rows.map((r) => ({ label: r.label, values: charted.map(([, i]) => r.fen[i]) })),
    format: (v) => fen(v),
  });
  const numeric = rep.columns.map((_, i) => i + 2).concat([rep.columns.length + 2, 1]);
  return [
    rep.rows.length ? chart : notice('info', '暂无数据。'),
    table(`按${rep.by_zh}统计（元）`, [rep.by_zh, '笔数', ...rep.columns, rep.total_zh],
      rep.rows.map((r) => [r.label, String(r.count), ...r.fen.map(fen), fen(r.total_fen)]),
      { numeric, class: 'report-table', foot: ['合计', String(rep.total.count), ...rep.total.fen.map(fen), fen(rep.total.total_fen)] }),
  ];
}
