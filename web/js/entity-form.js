/*
 * The calculator's form: it asks only for the facts the rules need — the 附则 facts every
 * item checks (注册地, 亩均评价, 失信名单 …) and the facts of the items the user picked
 * (GET /api/facts?item=…) — and builds the entity JSON of docs/facts.md from the answers.
 * A field left empty is left out, which the evaluator reads as unknown (待补充数据).
 */
import { h, mount, field, select } from './dom.js';
import { parseYuan, validCreditCode } from './format.js';

/* Identity facts sit at the top level of the entity, not under "facts". */
const IDENTITY = ['district', 'registered', 'entity_type', 'industry'];
/* The facts of the 附则 that nearly every item checks: always asked. */
export const BASE_FACTS = [
  'district', 'entity_type', 'industry', 'registered', 'independent_legal_person', 'fiscal_revenue_in_city',
  'fiscal_revenue_in_prefecture', 'registration_moved', 'trading_company', 'mujun_rated', 'mujun_rating',
  'illegal_land_use', 'major_accident', 'local_contribution',
];

const BOOL = [['', '未填写'], ['true', '是'], ['false', '否']];

/* One control for a fact, by its type; read back with readFact(). */
function factControl(f, value) {
  const name = 'fact:' + f.name;
  if (f.type === 'bool') return select({ name }, BOOL, value === undefined ? '' : String(value));
  if (f.values) return select({ name }, [['', '未填写'], ...f.values], value);
  if (f.type === 'date') return h('input', { name, type: 'date', value: value || '' });
  const ph = { money: '元，如 5000000 或 500万', rate: '如 12.5%', count: f.unit ? '单位：' + f.unit : '数量' }[f.type] || '';
  return h('input', { name, type: 'text', inputmode: f.type === 'symbol' ? 'text' : 'decimal', placeholder: ph, value: value ?? '' });
}

/* The JSON value of a control, undefined when empty; throws Error (Chinese) when malformed. */
function readFact(f, el, label) {
  const v = el.value.trim();
  if (v === '') return undefined;
  switch (f.type) {
    case 'bool': return v === 'true';
    case 'money': {
      const m = parseYuan(v);
      if (m === null) throw new Error(`「${label}」须为金额（元），如 5000000 或 500万`);
      return m;
    }
    case 'count':
      if (!/^\d+(\.\d+)?$/.test(v)) throw new Error(`「${label}」须为非负数`);
      return /\./.test(v) ? v : Number(v);
    case 'rate':
      if (!/^\d+(\.\d+)?%?$/.test(v)) throw new Error(`「${label}」须为比例，如 12.5%`);
      return v.endsWith('%') ? v : v + '%';
    default: return v;
  }
}

/*
 * entityForm(meta, opts) → {el, setItemFacts(facts), read()}.
 * meta: the GET /api/facts answer (every fact, the recognitions and the lists).
 * read() returns {entity, year} or throws Error with a Chinese message.
 */
export function entityForm(meta, opts = {}) {
  const byName = new Map(meta.facts.map((f) => [f.name, f]));
  const yearSel = select({ name: 'year' }, ['2022', '2021', '2020'], String(opts.year || 2021));
  const code = h('input', { name: 'credit_code', autocomplete: 'off', maxlength: 18, required: true, value: opts.creditCode || '', spellcheck: 'false' });
  const name = h('input', { name: 'name', value: opts.name || '' });
  const baseBox = h('div.grid');
  const itemBox = h('div.grid');
  const itemSection = h('fieldset.item-facts', { hidden: true }, h('legend', '所选条款需要的数据'), itemBox);
  const prevContribution = h('input', { name: 'prev_local_contribution', inputmode: 'decimal', placeholder: '元，用于年度奖励上限' });
  const recRows = h('div.rec-rows');
  const lists = meta.lists.map((l) => h('label.check', h('input', { type: 'checkbox', name: 'list', value: l.name }), ' 列入' + l.label));
  let itemFacts = [];

  const controls = new Map(); // fact name → control
  const addFact = (box, f) => {
    const c = factControl(f, opts.values && opts.values[f.name]);
    controls.set(f.name, c);
    const label = (f.label || f.name) + (f.yearly ? '（测算年度）' : '');
    box.append(field(label, c, f.from ? '数据来源：' + f.from : null));
  };
  for (const n of BASE_FACTS) if (byName.has(n)) addFact(baseBox, byName.get(n));
  baseBox.append(field('上年度地方综合贡献度', prevContribution, '奖励总额以上年度地方综合贡献度为限（附则3）'));

  const addRec = () => {
    const nameSel = select({ name: 'rec_name' }, [['', '请选择'], ...meta.recognitions.map((r) => [r.name, r.name])]);
    const level = select({ name: 'rec_level' }, [['', '—']]);
    const grade = h('input', { name: 'rec_grade', placeholder: '如 一等奖（可不填）' });
    const date = h('input', { name: 'rec_date', type: 'date' });
    nameSel.addEventListener('change', () => {
      const r = meta.recognitions.find((x) => x.name === nameSel.value);
      mount(level, ...[['', '—'], ...((r && r.levels) || []).map((v) => [v, v])].map(([v, t]) => h('option', { value: v }, t)));
      nameSel.title = r ? r.label : '';
    });
    const row = h('div.rec-row', field('认定/奖项', nameSel), field('级别', level), field('等次', grade), field('认定日期', date),
      h('button.link.danger', { type: 'button', onclick: () => row.remove() }, '删除'));
    recRows.append(row);
    nameSel.focus();
  };

  const el = h('div.entity-form',
    h('fieldset', h('legend', '企业与测算年度'),
      h('div.grid',
        field('统一社会信用代码', code, '18位，用于校验，不会保存'),
        field('企业名称', name),
        field('测算年度', yearSel))),
    h('fieldset', h('legend', '基本情况（各条款通用的适用对象条件）'), baseBox),
    itemSection,
    h('fieldset', h('legend', '获得的认定与奖项'),
      h('p.hint', '填写测算年度内新获得的认定，如“工业设计中心 · 国家级”。不填则视为未提供。'),
      recRows,
      h('button.secondary.small', { type: 'button', onclick: addRec }, '添加一项认定')),
    h('fieldset', h('legend', '名单'), h('div.checks', lists),
      h('p.hint', '未勾选即表示未列入。')));

  return {
    el,
    /* Show the facts the chosen items read that the base set does not already ask. */
    setItemFacts(facts) {
      itemFacts = facts.filter((f) => !BASE_FACTS.includes(f.name));
      for (const f of [...controls.keys()]) if (!BASE_FACTS.includes(f)) controls.delete(f);
      itemBox.replaceChildren();
      for (const f of itemFacts) addFact(itemBox, f);
      itemSection.hidden = itemFacts.length === 0;
    },
    read() {
      const cc = code.value.trim().toUpperCase();
      if (!validCreditCode(cc)) {
        code.focus();
        throw new Error('统一社会信用代码不正确：须为18位，且校验位符合 GB 32100-2015');
      }
      const year = Number(yearSel.value);
      const entity = { credit_code: cc, facts: {}, years: { [year]: {} }, lists: [], recognitions: [] };
      if (name.value.trim()) entity.name = name.value.trim();
      for (const [n, c] of controls) {
        const f = byName.get(n) || itemFacts.find((x) => x.name === n);
        let v;
        try {
          v = readFact(f, c, f.label || n);
        } catch (e) {
          c.focus();
          throw e;
        }
        if (v === undefined) continue;
        if (IDENTITY.includes(n)) entity[n] = v;
        else if (f.yearly) entity.years[year][n] = v;
        else entity.facts[n] = v;
      }
      if (prevContribution.value.trim()) {
        const m = parseYuan(prevContribution.value);
        if (m === null) {
          prevContribution.focus();
          throw new Error('「上年度地方综合贡献度」须为金额（元）');
        }
        entity.years[year - 1] = { local_contribution: m };
      }
      for (const row of recRows.children) {
        const get = (n) => row.querySelector(`[name=${n}]`).value.trim();
        if (!get('rec_name')) continue;
        if (!get('rec_date')) throw new Error(`请填写「${get('rec_name')}」的认定日期`);
        const r = { name: get('rec_name'), date: get('rec_date') };
        if (get('rec_level')) r.level = get('rec_level');
        if (get('rec_grade')) r.grade = get('rec_grade');
        entity.recognitions.push(r);
      }
      for (const l of lists) if (l.querySelector('input').checked) entity.lists.push(l.querySelector('input').value);
      return { entity, year };
    },
  };
}
