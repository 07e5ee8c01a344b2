/*
 * 公示: the awards now in public notice (GET /api/publicity, no login needed), and for a
 * signed-in user a form to lodge an objection to one (POST /api/awards/{id}/objections).
 */
import { api } from '../api.js';
import { h, mount, field, notice, errorText } from '../dom.js';
import { day, itemName, itemRef, moneyYuan } from '../format.js';

export async function render(root, ctx) {
  const box = h('div#publicity-list', { 'aria-live': 'polite' }, notice('info', '正在加载…'));
  mount(root, h('h1', '奖补公示'),
    h('p.lead', '以下奖补正在公示。对公示内容有异议的，可在公示期内实名提出，由责任单位核查处理。'), box);
  try {
    const { awards } = await api.publicity();
    if (!ctx.alive()) return;
    if (!awards.length) return mount(box, notice('info', '目前没有正在公示的奖补。'));
    mount(box, h('p', `共 ${awards.length} 笔奖补正在公示。`), h('ol.pub-list', awards.map((a) => card(a, ctx))));
  } catch (e) {
    mount(box, notice('error', errorText(e)));
  }
}

function card(a, ctx) {
  const slot = h('div.objection-slot');
  let action;
  if (ctx.user) {
    action = h('button.secondary.small', { type: 'button', 'aria-expanded': 'false', 'aria-label': `对奖补 #${a.id} 提出异议` }, '提出异议');
    action.addEventListener('click', () => {
      const open = action.getAttribute('aria-expanded') === 'true';
      action.setAttribute('aria-expanded', String(!open));
      if (open) mount(slot);
      else mount(slot, objectionForm(a));
    });
  } else {
    action = h('a.small', { href: '#/login?next=publicity' }, '登录后可提出异议');
  }
  return h('li.card.pub', { dataset: { award: a.id } },
    h('div.item-head', h('h3', a.name), h('strong.money', moneyYuan(a.amount))),
    h('p.meta', h('span', '统一社会信用代码 ', h('code', a.credit_code)), h('span', `奖补 #${a.id}`)),
    h('p', itemName(a), ' ', h('span.item-ref', itemRef(a))),
    h('p.meta', h('span', `${a.year}年度`),
      h('span', `公示期：${day(a.publicity_start)} 至 ${day(a.publicity_end)}`)),
    h('div.actions', action), slot);
}

function objectionForm(a) {
  const text = h('textarea', { name: 'text', rows: 3, maxlength: 330, required: true });
  const status = h('div', { 'aria-live': 'polite' });
  const btn = h('button.primary', { type: 'submit' }, '提交异议');
  const form = h('form.sub-form.objection', { novalidate: true },
    field('异议内容', text, '请说明事实与理由，不超过330字。'), btn, status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!text.value.trim()) {
      text.focus();
      return mount(status, notice('error', '请填写异议内容'));
    }
    btn.disabled = true;
    mount(status, notice('info', '正在提交…'));
    try {
      const r = await api.object(a.id, text.value.trim());
      mount(form, notice('ok', r.message || `已登记异议 #${r.objection}`));
    } catch (e) {
      btn.disabled = false;
      mount(status, notice('error', errorText(e)));
    }
  });
  setTimeout(() => text.focus());
  return form;
}
