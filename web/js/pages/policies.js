/*
 * 政策库: the four documents and their items, searchable by keyword, document, department and
 * kind; each item with its official text (source), its 解读, 责任单位 and 类别, and on demand
 * its conditions, the facts it reads and the 附则 rules that apply to it. An item has a
 * permalink (#/policies?item=ID opens it) and, when computable, 在线测算 opens the calculator
 * with the item chosen.
 */
import { api } from '../api.js';
import { h, mount, field, select, notice, errorText } from '../dom.js';
import { day } from '../format.js';

const KINDS = ['资格定补', '数据核校', '遴选', '另行制定', '一事一议', '非奖补'];
const PAGE_SIZE = 40;

export async function render(root, ctx) {
  const q = ctx.query;
  const docsBox = h('div.doc-grid');
  const results = h('div#policy-results', { 'aria-live': 'polite' });
  const kw = h('input', { type: 'search', name: 'q', value: q.get('q') || '', placeholder: '如：技改、工业设计、市商务局' });
  const docSel = select({ name: 'document' }, [['', '全部文件']], q.get('document'));
  const kindSel = select({ name: 'kind' }, [['', '全部类别'], ...KINDS], q.get('kind'));
  const deptSel = select({ name: 'department' }, [['', '全部责任单位']], q.get('department'));
  const form = h('form.search-bar#policy-search', { role: 'search' },
    field('关键词', kw), field('政策文件', docSel), field('责任单位', deptSel), field('类别', kindSel),
    h('button.primary', { type: 'submit' }, '搜索'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    if (kw.value.trim()) p.set('q', kw.value.trim());
    if (docSel.value) p.set('document', docSel.value);
    if (kindSel.value) p.set('kind', kindSel.value);
    if (deptSel.value) p.set('department', deptSel.value);
    ctx.go('policies' + (p.toString() ? '?' + p : ''));
  });
  mount(root,
    h('h1', '政策库'),
    h('p.lead', '温州市产业政策奖励条款，逐条对应政策原文、责任单位与兑现方式。'),
    docsBox, form, results);

  try {
    const { documents } = await api.documents();
    for (const d of documents) docSel.append(h('option', { value: d.id, selected: d.id === q.get('document') }, d.number));
    mount(docsBox, documents.map((d) => h('a.doc-card', {
      href: '#/policies?document=' + encodeURIComponent(d.id), 'aria-current': d.id === q.get('document') ? 'true' : null,
    },
    h('strong', d.number), h('span.doc-title', d.title),
    h('span.muted', `${day(d.issued)}起施行，至${day(d.expires)}`),
    h('span.doc-stats', `${d.items} 个条款 · ${d.computable} 个可测算`))));
  } catch (e) {
    mount(docsBox, notice('error', errorText(e)));
  }

  mount(results, notice('info', '正在检索…'));
  try {
    if (q.get('item')) return await showOne(results, q.get('item'));
    const [{ items, count }, all] = await Promise.all([
      api.items({ q: q.get('q'), document: q.get('document'), kind: q.get('kind'), department: q.get('department') }), api.items({})]);
    if (!ctx.alive()) return;
    // 责任单位 as the items name them, the first of a shared duty, in the order they first appear
    const depts = [...new Set(all.items.map((i) => i.department.split(/[、,，(（]/)[0]))];
    for (const d of depts) deptSel.append(h('option', { value: d, selected: d === q.get('department') }, d));
    showItems(results, items, count);
  } catch (e) {
    mount(results, notice('error', errorText(e)));
  }
}

/* The permalink of one item: its card, opened. */
async function showOne(box, id) {
  const { items } = await api.items({});
  const it = items.find((i) => i.id === id);
  if (!it) return mount(box, notice('error', '没有这个条款。'), h('p', h('a', { href: '#/policies' }, '返回政策库')));
  const card = itemCard(it);
  mount(box, h('p', h('a', { href: '#/policies' }, '← 返回政策库')), h('ol.item-list', card));
  card.querySelector('details').open = true;
}

function showItems(box, items, count) {
  const list = h('ol.item-list');
  const more = h('button.secondary', { type: 'button' }, '显示更多');
  let shown = 0;
  const next = () => {
    for (const it of items.slice(shown, shown + PAGE_SIZE)) list.append(itemCard(it));
    shown = Math.min(items.length, shown + PAGE_SIZE);
    more.hidden = shown >= items.length;
    more.textContent = `显示更多（还有 ${items.length - shown} 条）`;
  };
  more.addEventListener('click', next);
  mount(box, h('p.result-count', count ? `共找到 ${count} 个条款` : '没有找到符合条件的条款，请换个关键词。'), list, more);
  next();
}

/* 申报指南: who takes the application, when (each policy's 附则2 says it alike: "各奖补项目
 * 组织申报时间以具体申报通知或指南为准 … 资格定补类项目随时受理，即申请即兑付。按年度投入或产出
 * 基数奖补的数据核校类项目可安排在次年组织申报"), the policy's validity, what to prepare (the
 * 解读's own 需准备/需提供 sentence) and whom to ask. The policies publish no dates or telephone
 * numbers of their own, so none are made up here. */
const WHEN = {
  资格定补: '资格定补类项目随时受理，即申请即兑付。',
  数据核校: '按年度投入或产出基数奖补的数据核校类项目可安排在次年组织申报（如2021年度数据于2022年申报）。',
};

function applyGuide(d, doc) {
  const prepare = /(需(?:准备|提供)[^。]*。)/.exec(d.guide || '');
  return [h('h4', '申报指南'), h('dl.apply-guide',
    h('dt', '受理部门'), h('dd', `${d.department}（责任类型：${[].concat(d.duty).join('、')}）`),
    h('dt', '申报时间'), h('dd', (WHEN[d.kind] || '') + '各奖补项目组织申报时间以具体申报通知或指南为准，原则上在温州市产业政策奖励兑现系统限时办理（附则）。'),
    doc ? [h('dt', '政策有效期'), h('dd', `${day(doc.issued)}至${day(doc.expires)}`)] : null,
    prepare ? [h('dt', '需准备材料'), h('dd', prepare[1])] : null,
    h('dt', '咨询'), h('dd', `${d.department}（联系方式以部门发布的申报通知为准）`))];
}

function itemCard(it) {
  const detail = h('div.item-detail');
  const more = h('details', h('summary', '适用条件与所需数据'), detail);
  more.addEventListener('toggle', async () => {
    if (!more.open || detail.dataset.loaded) return;
    detail.dataset.loaded = '1';
    mount(detail, notice('info', '正在加载…'));
    try {
      const [d, { documents }] = await Promise.all([api.item(it.id), api.documents()]);
      mount(detail,
        applyGuide(d, documents.find((x) => x.number === d.number)),
        d.guide ? [h('h4', '解读说明'), h('p.guide', d.guide)] : null,
        d.conditions.length ? [h('h4', '条款条件'), h('ul', d.conditions.map((c) => h('li', c)))] : null,
        d.fact_labels.length ? [h('h4', '测算所需数据'), h('p', d.fact_labels.map((f) => h('span.tag', f)))] : null,
        d.cost.length ? [h('h4', '资金承担'), h('p', d.cost.map((c) => `${c.payer} ${c.share}`).join('；'))] : null,
        d.document_rules.length ? [h('h4', '适用对象（附则）'), h('ul.compact', d.document_rules.map((r) => h('li', r)))] : null);
    } catch (e) {
      mount(detail, notice('error', errorText(e)));
    }
  });
  return h('li.card.item-card', { dataset: { item: it.id } },
    h('div.item-head',
      h('h3', h('a.permalink', { href: '#/policies?item=' + encodeURIComponent(it.id), title: '本条款的固定链接' }, it.title)),
      h('span.badge.kind', { dataset: { kind: it.kind } }, it.kind)),
    h('p.meta',
      h('span', `${it.number} 第${it.article}条 ` + (/^\d+$/.test(it.row) ? `第(${it.row})项` : it.row)),
      h('span', '责任单位：', h('strong', it.department)),
      h('span', '兑现形式：' + it.form),
      it.computable ? h('a.ok-text', { href: '#/calculator?item=' + encodeURIComponent(it.id) }, '在线测算')
        : h('span.muted', '需评审，不在线测算')),
    it.source ? h('blockquote.source', h('span.sr', '政策原文：'), it.source) : null,
    more);
}
