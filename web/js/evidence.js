/*
 * The evidence behind an award: the entity as the ledger holds it (GET /api/entities/{code})
 * — every fact with its Chinese name, value and the dataset it came from — so that a
 * reviewer can check the data the decision was computed on.
 */
import { h, table } from './dom.js';
import { day, yuan } from './format.js';

const IDENTITY = { district: '注册地', registered: '注册日期', entity_type: '主体类型', industry: '行业' };

function show(v) {
  if (v === true) return '是';
  if (v === false) return '否';
  if (v === null || v === undefined) return '未提供';
  if (typeof v === 'string' && /^\d+\.\d{2}$/.test(v)) return yuan(v) + ' 元';
  if (typeof v === 'string' && /^\d{4}-\d\d-\d\d$/.test(v)) return day(v);
  return String(v);
}

/* entity: the stored document; labels: Map fact → 中文名; year: the award's year (shown first). */
export function evidenceView(entity, labels, year) {
  const prov = entity.provenance || {};
  const src = (n) => (prov[n] ? `${prov[n].source_zh}（${day(prov[n].date)}）` : '—');
  const rows = [];
  for (const [n, zh] of Object.entries(IDENTITY)) if (n in entity) rows.push([zh, show(entity[n]), src(n)]);
  for (const [n, v] of Object.entries(entity.facts || {})) rows.push([labels.get(n) || n, show(v), src(n)]);
  const years = Object.keys(entity.years || {}).sort((a, b) => (a === String(year) ? -1 : b === String(year) ? 1 : b - a));
  for (const y of years) {
    for (const [n, v] of Object.entries(entity.years[y])) rows.push([`${labels.get(n) || n}（${y}年）`, show(v), src(n)]);
  }
  const recs = (entity.recognitions || []).map((r) => [r.name, [r.level, r.grade].filter(Boolean).join(' ') || '—', day(r.date)]);
  return h('section.evidence', { 'aria-label': '证据材料' },
    h('h3', '证据材料：台账中的企业数据'),
    table('企业数据与来源', ['数据项', '值', '来源（数据，导入日期）'], rows),
    recs.length ? table('认定与奖项', ['名称', '级别/等次', '认定日期'], recs) : h('p.muted', '无认定记录。'),
    h('p', '名单：', entity.lists && entity.lists.length ? entity.lists.join('、') : '未列入任何名单'));
}
