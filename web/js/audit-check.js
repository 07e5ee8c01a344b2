/*
 * 审计日志校验 as a card (GET /api/audit/verify): for 管理员 on the admin page and for 领导 on
 * the dashboard. The chain is recomputed by the server, awards and payments compared with it;
 * the card shows the verdict and every problem it names.
 */
import { get } from './api.js';
import { h, mount, notice, errorText, table } from './dom.js';

export function auditCheck() {
  const status = h('div#audit-result', { 'aria-live': 'polite' });
  const btn = h('button.primary', { type: 'button', id: 'audit-verify' }, '校验审计链');
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    try {
      const r = await get('/api/audit/verify');
      const keyless = r.keyed_from && !r.key
        ? [notice('info', `服务器未找到审计密钥文件：只校验了链的结构，${r.unchecked} 条记录的密钥签名未能校验。`)] : [];
      mount(status, r.ok ? [...keyless, notice('ok', `审计日志完整：共 ${r.rows} 条记录，哈希链校验通过；${r.awards} 项奖补、${r.payments} 笔兑付与审计日志一致。`)]
        : [...keyless, notice('error', `审计日志被改动：共 ${r.rows} 条记录，发现 ${r.problems.length} 处问题。`),
          table('问题', ['位置', '说明'], r.problems.map((p) => [p.where, p.message]))]);
    } catch (e) {
      mount(status, notice('error', errorText(e)));
    } finally {
      btn.disabled = false;
    }
  });
  return h('div', h('p.hint', '重新计算审计日志的哈希链，发现绕过系统对数据库的改动。'), btn, status);
}
