/*
 * Scenario e: access. The enterprise asks, through the UI's own API module, for another
 * firm's entity and award; the reviewer for an award of another department. Each is
 * refused with 403 and a Chinese message the page shows, and each attempt is in the audit
 * log (`huiqi audit log`). The navigation and the page guard keep roles to their pages.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { E, T, openBrowser, open, login, shot, text, hq, viaApi } from './lib.mjs';

/* The audit rows of `actor` with action "denied" on `object` (`huiqi audit log` lines). */
function denied(log, actor, object) {
  return log.split('\n').filter((l) => {
    const f = l.trim().split(/\s+/);
    return f.includes(`user:${actor}`) && f.includes('denied') && f.includes(String(object));
  });
}

test('e. enterprise: another firm\'s entity and award are refused (403) and audited', { timeout: T }, async (t) => {
  const b = await openBrowser(t);
  const { page } = b;
  await login(page, 'enterprise');

  const entity = await viaApi(page, 'GET', '/api/entities/' + E.otherFirm);
  assert.equal(entity.ok, false);
  assert.equal(entity.status, 403);
  assert.equal(entity.code, 'forbidden');
  assert.match(entity.message, /企业用户只能查看本企业/);

  const award = await viaApi(page, 'GET', '/api/awards/' + E.otherAward);
  assert.equal(award.status, 403);
  assert.equal(award.message, `无权查看奖补 #${E.otherAward}`);

  const list = await viaApi(page, 'GET', '/api/awards?entity=' + E.otherFirm);
  assert.equal(list.status, 403);

  const evaluate = await page.evaluate(async (code) => {
    const { api } = await import('/js/api.js');
    return api.evaluateEntity(code, { year: 2021 }).then(() => 'allowed', (e) => `${e.status} ${e.message}`);
  }, E.otherFirm);
  assert.match(evaluate, /^403 企业用户只能查看本企业/);

  await open(page, 'my/' + E.otherAward);
  await page.locator('#award-detail .notice.error').waitFor();
  assert.equal(await text(page, '#award-detail .notice.error'), `无权查看奖补 #${E.otherAward}`);
  await shot(page, 'e-enterprise-refused');

  await open(page, 'finance');
  assert.match(await text(page, '[data-page="finance"]'), /您的角色（企业）无权使用「财政兑付」/);
  await b.close();

  const log = hq('audit', 'log', '--limit', '1000');
  assert.ok(denied(log, 'e2e-qiye', E.otherFirm).length >= 2, `denied entity reads in the audit log:\n${log}`);
  assert.ok(denied(log, 'e2e-qiye', E.otherAward).length >= 2, 'denied award reads in the audit log');
});

test('e. reviewer: an award of another department is refused (403) and audited', { timeout: T }, async (t) => {
  const b = await openBrowser(t);
  const { page } = b;
  await login(page, 'reviewer');
  const nav = await text(page, '#nav-links');
  assert.match(nav, /受理审核台/);
  assert.doesNotMatch(nav, /我的申报|财政兑付|政策测算/);

  const award = await viaApi(page, 'GET', '/api/awards/' + E.otherDeptAward);
  assert.equal(award.status, 403);
  assert.equal(award.message, `无权查看奖补 #${E.otherDeptAward}`);

  const accept = await page.evaluate(async (id) => {
    const { api } = await import('/js/api.js');
    return api.act(id, 'accept').then(() => 'allowed', (e) => `${e.status} ${e.message}`);
  }, E.otherDeptAward);
  assert.equal(accept, `403 无权查看奖补 #${E.otherDeptAward}`);

  const queue = await viaApi(page, 'GET', '/api/awards');
  assert.ok(queue.ok);
  assert.ok(queue.data.awards.every((a) => a.department.includes(E.dept)), 'the queue holds only the department\'s awards');

  await open(page, 'review/' + E.otherDeptAward);
  await page.locator('#award-detail .notice.error').waitFor();
  assert.equal(await text(page, '#award-detail .notice.error'), `无权查看奖补 #${E.otherDeptAward}`);
  await shot(page, 'e-reviewer-refused');
  await b.close();

  const log = hq('audit', 'log', '--limit', '1000');
  assert.ok(denied(log, 'e2e-shenhe', E.otherDeptAward).length >= 3, `denied reviewer attempts in the audit log:\n${log}`);
});

test('e. without a session: state changes need a login and a CSRF token', { timeout: T }, async (t) => {
  const b = await openBrowser(t);
  const { page } = b;
  await open(page, 'publicity');
  const r = await viaApi(page, 'POST', `/api/awards/${E.award}/apply`);
  assert.equal(r.status, 401);
  assert.equal(r.message, '请先登录');
  await login(page, 'enterprise');
  const forged = await page.evaluate(async (id) => {
    const res = await fetch(`/api/awards/${id}/objections`, { method: 'POST', body: '{"text":"x"}' });
    return [res.status, (await res.json()).error.code];
  }, E.award);
  assert.deepEqual(forged, [403, 'csrf'], 'a POST without X-CSRF-Token is refused');
  await b.close();
});
