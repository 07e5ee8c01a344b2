/*
 * 消息 (站内信): what happened to the firm's awards — pushes, acceptance, returns and
 * rejections with their reasons, approval, 公示, payment — newest first, the unread ones
 * marked; 全部标为已读 records that they were read (GET /api/messages, POST /api/messages/read).
 */
import { api, post } from '../api.js';
import { h, mount, notice, errorText } from '../dom.js';
import { when } from '../format.js';

export async function render(root, ctx) {
  const box = h('div#messages', { 'aria-live': 'polite' }, notice('info', '正在加载…'));
  mount(root, h('h1', '消息'), h('p.lead', '本企业奖补的推送、受理、退回、审核、公示与兑付消息。'), box);
  try {
    const m = await api.messages();
    if (!ctx.alive()) return;
    const read = h('button.secondary', { type: 'button', id: 'messages-read', disabled: !m.unread }, '全部标为已读');
    read.addEventListener('click', async () => {
      read.disabled = true;
      try {
        await post('/api/messages/read');
        ctx.go('messages');
      } catch (e) {
        read.disabled = false;
        box.append(notice('error', errorText(e)));
      }
    });
    mount(box, h('p', m.unread ? `${m.unread} 条未读消息 ` : '没有未读消息 ', read),
      m.messages.length ? h('ol.messages', m.messages.map((x) => h('li', { class: x.unread ? 'unread' : null },
        h('time', when(x.at)), ' ', h('a', { href: '#/my/' + x.award }, x.text)))) : notice('info', '暂无消息。'));
  } catch (e) {
    mount(box, notice('error', errorText(e)));
  }
}
