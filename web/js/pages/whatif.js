/*
 * 政策测算: price a rule change before making it. The overlay (a new cap for an item, or
 * one number of its rules replaced by another) is applied to every enterprise in the
 * ledger (POST /api/whatif); the page shows the cash awards before and after, and the
 * change by item and by district. Nothing is written.
 */
import { api } from '../api.js';
import { h, mount, field, select, notice, errorText, table } from '../dom.js';
import { change, fen, money } from '../format.js';
import { barChart } from '../charts.js';
import { resume, runJob } from '../jobs.js';

const EXAMPLE = [
  { item: '13-12-61', cap: '500万元' },
  { item: '13-12-62', replace: '15%', with: '12%' },
];

export async function render(root, ctx) {
  const year = h('input', { name: 'year', inputmode: 'numeric', value: ctx.query.get('year') || '2021', required: true });
  const rows = h('div.overlay-rows');
  const status = h('div', { 'aria-live': 'polite' });
  const out = h('section#whatif-result', { 'aria-live': 'polite', 'aria-label': '测算结果' });
  const add = (c) => rows.append(changeRow(c));
  for (const c of EXAMPLE) add(c);
  const btn = h('button.primary#run-whatif', { type: 'submit' }, '开始测算');
  const form = h('form.card#whatif-form', { novalidate: true },
    h('div.inline', field('测算年度', year)),
    h('fieldset', h('legend', '政策调整'), rows,
      h('button.secondary.small', { type: 'button', onclick: () => add({}) }, '增加一项调整')),
    h('p.hint', '数值按规则文件的写法填写，须带单位，如 500万元、12%。“调整上限”改变条款的奖励上限；“替换数值”把条款规则中所有等于原值的数改为新值。'),
    btn, status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    let overlay;
    try {
      overlay = [...rows.children].map(readRow).filter(Boolean);
    } catch (e) {
      return mount(status, notice('error', e.message));
    }
    if (!/^\d{4}$/.test(year.value.trim())) return mount(status, notice('error', '测算年度须为四位数字，如 2021'));
    if (!overlay.length) return mount(status, notice('error', '请至少填写一项政策调整'));
    btn.disabled = true;
    try {
      await runJob('whatif', '/api/whatif', { year: Number(year.value.trim()), overlay }, status, '户次', finished);
    } catch (e) {
      mount(status, notice('error', errorText(e)));
    }
    btn.disabled = false;
  });
  // Pricing runs in the background (every firm twice: current rules, then adjusted): the page
  // may be left; coming back shows the job still running, or its result.
  const finished = (r) => {
    mount(status);
    showResult(out, r);
  };
  resume('whatif', status, '户次', finished);
  mount(root, h('h1', '政策测算'),
    h('p.lead', '模拟调整政策参数，按台账全部企业测算奖补资金的变化（仅测算，不改变任何数据）。'), form, out);
}

function changeRow(c) {
  const item = h('input', { name: 'item', value: c.item || '', placeholder: '如 13-12-61' });
  const kind = select({ name: 'kind' }, [['cap', '调整上限'], ['replace', '替换数值']], c.replace ? 'replace' : 'cap');
  const cap = h('input', { name: 'cap', value: c.cap || '', placeholder: '如 500万元' });
  const from = h('input', { name: 'replace', value: c.replace || '', placeholder: '原值，如 15%' });
  const to = h('input', { name: 'with', value: c.with || '', placeholder: '新值，如 12%' });
  const capF = field('新上限', cap);
  const fromF = field('原值', from);
  const toF = field('新值', to);
  const sync = () => { capF.hidden = kind.value !== 'cap'; fromF.hidden = toF.hidden = kind.value !== 'replace'; };
  kind.addEventListener('change', sync);
  sync();
  const row = h('div.overlay-row', field('条款编号', item), field('调整方式', kind), capF, fromF, toF,
    h('button.link.danger', { type: 'button', onclick: () => row.remove() }, '删除'));
  return row;
}

/* One overlay change from a row, null if the row is blank; throws on a half-filled row. */
function readRow(row) {
  const v = (n) => row.querySelector(`[name="${n}"]`).value.trim();
  if (!v('item') && !v('cap') && !v('replace') && !v('with')) return null;
  if (!/^\d+-\d+-\d+$/.test(v('item'))) throw new Error(`条款编号「${v('item')}」格式不对，应如 13-12-61`);
  if (v('kind') === 'cap') {
    if (!v('cap')) throw new Error(`请填写 ${v('item')} 的新上限`);
    return { item: v('item'), cap: v('cap') };
  }
  if (!v('replace') || !v('with')) throw new Error(`请填写 ${v('item')} 的原值与新值`);
  return { item: v('item'), replace: v('replace'), with: v('with') };
}

/* Where the change went: what the adjusted rules compute differs from what reaches firms by
 * what 附则3 (不重复享受, the annual cap by 地方综合贡献度) takes or gives back, which also moves
 * items nobody changed. Only true arithmetic: 条款计算变化 + 附则3影响 = 变化. */
function absorption(r) {
  if (r.absorbed_fen === 0) return h('p#whatif-absorbed', `调整后奖补合计的变化全部来自所调整条款本身：${change(r.change_fen)}。`);
  const why = '附则3（同一项目不重复享受、按地方综合贡献度的年度奖补上限等）';
  return h('p#whatif-absorbed',
    `所调整条款按新规则计算的奖补变化 ${change(r.rule_change_fen)}，实际变化 ${change(r.change_fen)}：`,
    r.absorbed_fen > 0
      ? `其中 ${money(r.absorbed_fen)} 受${why}约束未能兑现，或由同一企业的其他条款让出。`
      : `${why}使实际变化多出 ${money(-r.absorbed_fen)}。`,
    '各条款的变化见下表。');
}

/* The baseline beside the dashboard's own figure: the same awards (not yet decided), there as
 * the ledger holds them since the last match, here evaluated afresh on today's data. */
function reconcile(r) {
  if (r.ledger_open_fen === undefined) return null;
  const gap = r.before_fen - r.ledger_open_fen;
  return h('p#whatif-baseline', `对照驾驶舱：本年度「待申报」与「办理中」的现金奖补合计 ${money(r.ledger_open_fen)}（按上次匹配时的数据）；`,
    gap === 0 ? '与调整前奖补合计一致。'
      : `调整前奖补合计按当前台账数据重新测算，两者相差 ${change(gap)}（此后导入的数据、已核定奖补对附则3的影响；重新运行匹配后一致）。`);
}

function showResult(box, r) {
  const dir = r.change_fen > 0 ? 'up' : r.change_fen < 0 ? 'down' : 'same';
  mount(box,
    h('div.card',
      h('h2', `${r.year}年度测算结果`),
      h('dl.kpis',
        h('div.kpi', h('dt', '调整前奖补合计'), h('dd#whatif-before', money(r.before_fen))),
        h('div.kpi', h('dt', '调整后奖补合计'), h('dd#whatif-after', money(r.after_fen))),
        h('div.kpi.total', { dataset: { dir } }, h('dt', '变化'), h('dd#whatif-change', change(r.change_fen))),
        h('div.kpi', h('dt', '测算企业'), h('dd', `${r.entities} 户`))),
      h('h3', '已应用的调整'),
      h('ul', r.overlay_changes.map((c) => h('li', c))),
      absorption(r),
      reconcile(r),
      h('p.note', '测算对象为台账中尚未核定的奖补（免申即享匹配结果）；已核定、已兑付的奖补作为既往奖补参与附则3复核，不重新定价。仅现金奖补，不含服务券。')),
    h('div.card',
      h('h2', '按条款的变化'),
      r.by_item.length
        ? table('按条款（元）', ['条款', '调整前', '调整后', '变化', '其中：条款计算变化', '其中：附则3影响'],
          r.by_item.map((x) => [x.title || '', fen(x.before_fen), fen(x.after_fen), change(x.change_fen),
            change(x.rule_change_fen), change(x.change_fen - x.rule_change_fen)]),
          { numeric: [1, 2, 3, 4, 5], class: 'whatif-items' })
        : notice('info', '所调整的条款对台账中企业的奖补金额没有影响。')),
    h('div.card',
      h('h2', '按区域的变化'),
      barChart({
        title: '各区域调整前后奖补金额（元）', mode: 'grouped',
        series: [{ name: '调整前', color: '#90a4ae' }, { name: '调整后', color: '#c62828' }],
        rows: r.by_district.map((d) => ({ label: d.key, values: [d.before_fen, d.after_fen] })),
        format: fen,
      }),
      table('按区域（元）', ['区域', '调整前', '调整后', '变化'],
        r.by_district.map((d) => [d.key, fen(d.before_fen), fen(d.after_fen), change(d.change_fen)]),
        { numeric: [1, 2, 3], class: 'whatif-districts' })));
}
