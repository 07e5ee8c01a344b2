/* 登录: username and password; on success, back to the page that asked, or the role's home. */
import { login } from '../api.js';
import { h, mount, field, notice, errorText } from '../dom.js';

export async function render(root, ctx) {
  const user = h('input', { name: 'username', autocomplete: 'username', required: true });
  const pass = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const status = h('div.status', { 'aria-live': 'polite' });
  const submit = h('button.primary', { type: 'submit' }, '登录');
  const form = h('form.card.narrow#login-form', { novalidate: true },
    field('用户名', user),
    field('密码', pass),
    submit, status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!user.value.trim() || !pass.value) {
      mount(status, notice('error', '请输入用户名和密码'));
      (user.value.trim() ? pass : user).focus();
      return;
    }
    submit.disabled = true;
    mount(status, notice('info', '正在登录…'));
    try {
      const me = await login(user.value.trim(), pass.value);
      const next = ctx.query.get('next');
      ctx.go(next && !next.startsWith('login') ? next : ctx.home(me));
    } catch (e) {
      mount(status, notice('error', errorText(e)));
      pass.select();
      submit.disabled = false;
    }
  });
  mount(root,
    h('h1', '登录'),
    ctx.user ? notice('info', `您已登录为 ${ctx.user.display_name}（${ctx.user.role_zh}）。可用其他账户重新登录。`) : null,
    form,
    h('p.muted', '企业、审核员、财政、领导与管理员账户由管理员开通。政策库、政策计算器与公示无需登录。'));
  user.focus();
}
