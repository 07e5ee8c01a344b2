/*
 * Scenario h: 系统管理. The administrator imports a bad file and reads every error by line
 * (nothing is written), runs matching as a background job (leaving the page and coming back
 * to its result), verifies the audit chain, and disables an enterprise account: that
 * firm's open session ends at once and it cannot sign in again until re-enabled. The leader
 * verifies the audit chain from the dashboard.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { E, T, openBrowser, open, login, shot, text, viaApi } from './lib.mjs';

test('h. 管理员: imports with their errors, audit verification, disabling an account ends its sessions', { timeout: T }, async (t) => {
  const firm = await openBrowser(t);
  await login(firm.page, 'other');
  const admin = await openBrowser(t);
  const { page } = admin;
  await login(page, 'admin');
  assert.match(await text(page, '#nav-links'), /系统管理/);
  await open(page, 'admin');

  // A tax file with a wrong credit code and a negative amount: refused, every error listed.
  const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'huiqi-e2e-')), 'tax.csv');
  fs.writeFileSync(bad, 'credit_code,year,local_contribution\n91330302MA285XT30X,2021,100\n91330302MA285XT30K,2021,-5\n');
  await page.selectOption('#import-form select[name=kind]', 'tax');
  await page.setInputFiles('#import-form input[type=file]', bad);
  await page.click('#import-form button[type=submit]');
  await page.locator('#import-form table.import-errors').waitFor();
  const errors = await text(page, '#import-form table.import-errors');
  assert.match(errors, /tax\.csv:2/);
  assert.match(errors, /tax\.csv:3/);
  assert.match(await text(page, '#import-form .notice.error'), /./);

  // 免申即享匹配 runs as a background job: its progress shows while it runs (a small ledger is
  // matched in milliseconds, so the progress may be gone before it can be seen), then the
  // result; the job stays listed under 后台任务 when the page is left and opened again.
  await page.fill('#match-form input[name=year]', '2021');
  await page.click('#match-form button[type=submit]');
  await page.locator('#match-form .job-progress, #match-form .notice.ok').first().waitFor();
  const progress = await page.locator('#match-form .job-progress').textContent({ timeout: 500 }).catch(() => null);
  if (progress !== null) assert.match(progress, /免申即享匹配：[\d.]+%/);
  await page.locator('#match-form .notice.ok').waitFor();
  assert.match(await text(page, '#match-form .notice.ok'), /2021年度：测算企业 [1-9]\d* 户，待申报奖补 \d+ 项/);
  await open(page, 'policies');
  await open(page, 'admin');
  await page.locator('#admin-jobs table.jobs').waitFor();
  assert.match(await text(page, '#admin-jobs'), /免申即享匹配\s+已完成\s+100\.0%/);

  await page.click('#admin-audit #audit-verify');
  await page.locator('#admin-audit .notice.ok').waitFor();
  assert.match(await text(page, '#admin-audit'), /哈希链校验通过/);
  await shot(page, 'h-admin');

  // Disable the other firm's account: its open session is refused at once.
  const [user] = E.users.other;
  const row = page.locator('#admin-users tr', { hasText: user });
  await row.getByRole('button', { name: '停用' }).click();
  await page.locator('#admin-users tr', { hasText: user }).getByRole('button', { name: '启用' }).waitFor();
  assert.ok(admin.dialogs.some((m) => m.includes(`确认停用用户 ${user}`)), admin.dialogs.join('\n'));
  assert.match(await text(page, `#admin-users tr:has-text("${user}")`), /已停用/);
  const me = await viaApi(firm.page, 'GET', '/api/me');
  assert.equal(me.status, 401, 'the disabled firm\'s session has ended');
  await firm.close();
  await page.locator('#admin-users tr', { hasText: user }).getByRole('button', { name: '启用' }).click();
  await page.locator('#admin-users tr', { hasText: user }).getByRole('button', { name: '停用' }).waitFor();
  await admin.close();

  const leader = await openBrowser(t);
  await login(leader.page, 'leader');
  await leader.page.click('#dash-audit #audit-verify');
  await leader.page.locator('#dash-audit .notice.ok').waitFor();
  assert.doesNotMatch(await text(leader.page, '#nav-links'), /系统管理/);
  await leader.close();
});
