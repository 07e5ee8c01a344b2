/*
 * Scenarios a–d: one award's life through the web UI, each step as its user sees it.
 *   a. the enterprise evaluates its profile in the calculator, sees the eligible item with
 *      amount and explanation, and applies; the public calculator form asks for the facts
 *      of the items chosen and evaluates them;
 *   b. the department's reviewer finds it in the queue, accepts, approves (amount shown)
 *      and publicizes it;
 *   c. the 公示 page lists it; another enterprise lodges an objection (to the second award,
 *      whose publicity is open; the first one's is over and refuses it); the reviewer
 *      closes the publicity; 财政 pays and sees the 市财政/区 split; a budget shows use;
 *   d. 领导 sees the paid amount in the dashboard's document table, equal to `huiqi report`;
 *      and prices a what-if.
 * The tests run in order and share the ledger.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { E, T, openBrowser, open, login, shot, text, hq, viaApi, yuan, fenToYuan, zhDay, setClock } from './lib.mjs';

const AMOUNT = yuan(E.amount) + ' 元';

/* The state badge of the award shown in #award-detail, once it reads `zh`. */
async function waitState(page, zh) {
  await page.waitForFunction((want) => {
    const b = document.querySelector('#award-detail .badge.state');
    return b && b.textContent.trim() === want;
  }, zh);
}

async function clickButton(page, name) {
  await page.getByRole('button', { name, exact: true }).first().click();
}

test('政策库 and login: the documents, a search with the official text; a wrong password', { timeout: T }, async (t) => {
  const b = await openBrowser(t);
  const { page } = b;
  await open(page, 'policies');
  await page.locator('.doc-card').first().waitFor();
  assert.equal(await page.locator('.doc-card').count(), 4, 'the four documents');
  for (const n of ['12', '13', '14', '15']) assert.match(await text(page, '.doc-grid'), new RegExp(`温政发〔2020〕${n}号`));
  assert.match(await text(page, '#nav-links'), /政策库.*政策计算器.*公示/);
  assert.doesNotMatch(await text(page, '#nav-links'), /受理审核台|财政兑付|领导驾驶舱/, 'visitors see only the public pages');

  await page.fill('#policy-search input[name=q]', '技改');
  await page.selectOption('#policy-search select[name=document]', 'wzf-2020-13');
  await page.click('#policy-search button[type=submit]');
  await page.waitForFunction(() => location.hash.includes('q='));
  const item = page.locator('li.item-card[data-item="13-12-61"]');
  await item.waitFor();
  const it = (await item.innerText()).replace(/\s+/g, ' ');
  assert.match(it, /500万元以上技改项目补助/);
  assert.match(it, /责任单位： ?市经信局/);
  assert.match(it, /数据核校/);
  assert.match(it, /按投资额的20%给予不超过400万元的补助/, 'the official text');
  assert.match(await text(page, '.result-count'), /共找到 \d+ 个条款/);
  await item.locator('details summary').click();
  await item.locator('.item-detail h4').first().waitFor();
  assert.match(await item.locator('.item-detail').innerText(), /解读说明[\s\S]*条款条件[\s\S]*适用对象（附则）/);
  await shot(page, 'policies');
  // A permalink opens the item; 在线测算 opens the calculator with it chosen.
  await item.getByRole('link', { name: '500万元以上技改项目补助' }).click();
  await page.waitForFunction(() => location.hash.includes('item=13-12-61'));
  await page.locator('#policy-results .item-detail h4').first().waitFor();
  assert.equal(await page.locator('#policy-results li.item-card').count(), 1);
  // 申报指南: the department, when (附则: 数据核校 the year after), the validity, what to prepare.
  const guide = await text(page, '#policy-results dl.apply-guide');
  assert.match(guide, /受理部门\s*市经信局/);
  assert.match(guide, /数据核校类项目可安排在次年组织申报/);
  assert.match(guide, /政策有效期\s*2020年7月14日至2022年12月31日/);
  await page.getByRole('link', { name: '在线测算' }).click();
  await page.locator('.chips li', { hasText: '500万元以上技改项目补助' }).waitFor();
  await page.locator('.item-facts label', { hasText: '技改项目一年内生产性设备与信息化投入' }).waitFor();
  // 责任单位 filter
  await open(page, 'policies?department=' + encodeURIComponent('市商务局'));
  await page.locator('li.item-card').first().waitFor();
  assert.ok((await page.locator('li.item-card p.meta').allInnerTexts()).every((m) => m.includes('市商务局')));

  await open(page, 'login');
  await page.fill('#login-form input[name=username]', E.users.leader[0]);
  await page.fill('#login-form input[name=password]', 'not-the-password');
  await page.click('#login-form button[type=submit]');
  await page.locator('#login-form .notice.error', { hasText: '用户名或密码错误' }).waitFor();
  await shot(page, 'login');
  await b.close();
});

test('a. enterprise: calculator on its profile shows the eligible item, amount and explanation; applies', { timeout: T }, async (t) => {
  const b = await openBrowser(t);
  const { page } = b;
  await login(page, 'enterprise');
  assert.match(page.url(), /#\/calculator$/, 'an enterprise starts on the calculator');
  const nav = await text(page, '#nav-links');
  assert.match(nav, /政策计算器/);
  assert.match(nav, /我的申报/);
  assert.doesNotMatch(nav, /受理审核台|财政兑付|领导驾驶舱|政策测算/, 'the nav shows only what an enterprise may use');
  // 免申即享: on signing in the firm is told what it can claim, and the total.
  await page.locator('#inbox a').first().waitFor();
  assert.match(await text(page, '#inbox'), /待办：您有 [1-9]\d* 项可申领奖补，共 [\d,]+\.\d\d 元/);

  await page.click('#load-profile');
  const card = page.locator(`#calc-results li.result[data-item="${E.item}"]`);
  await card.waitFor();
  const summary = await text(page, '#calc-results .summary');
  assert.match(summary, new RegExp(`${E.firmName} · 2021年度测算结果`));
  assert.match(summary, /可享受奖励合计/);
  const c = await card.innerText();
  assert.match(c, /符合/);
  assert.ok(c.includes(AMOUNT), `the card shows the amount ${AMOUNT}: ${c}`);
  assert.match(c, /依据：「/, 'the policy text is quoted');
  await card.locator('details.explain summary').click();
  const expl = await card.locator('pre.explain').innerText();
  assert.match(expl, new RegExp(`【${E.item}】`));
  assert.match(expl, /结论：符合，金额 /);
  assert.ok(expl.includes(yuan(E.amount) + '元'), 'the explanation states the amount');
  assert.match(await card.locator('.ledger').innerText(), /待申报/);
  await shot(page, 'a-calculator-profile');

  // 确认申领: the first claim asks for the 收款账户 (the 户名 is the firm's name), then shows
  // the 信用承诺 word for word; nothing is sent before the firm ticks it.
  await card.getByRole('button', { name: '申请', exact: true }).click();
  const bank = card.locator('form.bank-form');
  await bank.waitFor();
  assert.equal(await bank.locator('input[name=holder]').inputValue(), E.firmName, 'the 户名 is prefilled with the firm name');
  await bank.locator('input[name=bank]').fill('中国工商银行温州分行');
  await bank.locator('input[name=account]').fill('1203-2000-0900-1234');
  await bank.getByRole('button', { name: '保存收款账户' }).click();
  const claim = card.locator('.claim');
  await claim.locator('blockquote.pledge').waitFor();
  assert.match(await claim.locator('blockquote.pledge').innerText(), /^本企业承诺：申报所依据的数据和材料真实、准确、完整/);
  assert.match(await claim.innerText(), /中国工商银行温州分行 120320000900 ?1234/);
  const confirm = claim.getByRole('button', { name: '确认申领' });
  assert.ok(await confirm.isDisabled(), 'no claim before the pledge is ticked');
  await shot(page, 'a-claim-pledge');
  await claim.getByLabel('本企业已阅读并作出上述信用承诺').check();
  await confirm.click();
  await card.locator('.notice.ok').waitFor();
  assert.match(await card.locator('.notice.ok').innerText(), new RegExp(`奖补 #${E.award} 已申报`));
  assert.match(await card.locator('.ledger').innerText(), /已申报/);

  await open(page, 'my');
  await page.locator('#my-awards table').waitFor();
  const row = page.locator('#my-awards tr', { has: page.locator(`a[href="#/my/${E.award}"]`) });
  assert.match(await row.innerText(), /已申报/);
  if (E.second) {
    await page.getByRole('button', { name: `申请奖补 #${E.second}` }).click();
    const claim2 = page.locator('#my-awards .claim');
    await claim2.getByLabel('本企业已阅读并作出上述信用承诺').check();
    await claim2.getByRole('button', { name: '确认申领' }).click();
    await page.locator('#my-awards tr', { has: page.locator(`a[href="#/my/${E.second}"]`) }).filter({ hasText: '已申报' }).waitFor();
  }
  assert.match(await text(page, '#bank-account'), /中国工商银行温州分行 1203200009001234（户名 /);
  assert.doesNotMatch(await text(page, 'main'), /\d{4}-\d\d-\d\d/, 'dates read as people write them');
  if (E.second) await page.locator('#inbox', { hasText: '可申领奖补' }).waitFor({ state: 'hidden' }); // the 待办 bar follows the claims
  await shot(page, 'a-my-awards');

  await open(page, 'my/' + E.award);
  await page.locator('#award-detail .progress').waitFor();
  assert.equal((await text(page, '#award-detail .progress li.current')).trim(), '已申报');
  assert.match(await text(page, '#award-detail'), /决策过程/);
  // 申报材料: a PDF under its Chinese name; the list shows it with its SHA-256.
  const pdf = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'huiqi-e2e-')), '认定文件.pdf');
  fs.writeFileSync(pdf, '%PDF-1.4\n% e2e material\n');
  await page.setInputFiles('.material-form input[type=file]', pdf);
  await page.click('.material-form button[type=submit]');
  await page.locator('.material-form .notice.ok').waitFor();
  await page.locator('.materials table a', { hasText: '认定文件.pdf' }).waitFor();
  assert.ok(!(await text(page, '.materials table')).includes(createHash('sha256').update(fs.readFileSync(pdf)).digest('hex')),
    'the firm is shown no hash');
  await shot(page, 'a-award-detail');
  await b.close();
});

test('a. calculator form: asks for the facts of the chosen item and evaluates them (no login)', { timeout: T }, async (t) => {
  const b = await openBrowser(t);
  const { page } = b;
  await open(page, 'calculator');
  await page.fill('input[name=item_q]', '技改');
  await page.getByRole('button', { name: '查找', exact: true }).click();
  await page.locator('.pick-list input[value="13-12-61"]').check();
  const field = page.locator('.item-facts label', { hasText: '技改项目一年内生产性设备与信息化投入' });
  await field.waitFor();
  const input = page.locator('#' + (await field.getAttribute('for')));
  await input.fill('1000万');
  await page.fill('input[name=credit_code]', E.firm);
  await page.selectOption('select[name="fact:district"]', '鹿城区');
  await page.selectOption('select[name="fact:industry"]', '制造业');
  await page.getByRole('button', { name: '按一般企业情况填写' }).click();
  await page.fill('input[name="fact:local_contribution"]', '5000万');
  await page.click('#run-calc');
  const card = page.locator('#calc-results li.result[data-item="13-12-61"]');
  await card.waitFor();
  const c = await card.innerText();
  assert.match(c, /符合/);
  assert.ok(c.includes('2,000,000.00 元'), `1000万 × 20% = 2,000,000.00 元: ${c}`);
  assert.match(await text(page, '#calc-results .summary'), /2,000,000\.00 元/);
  // 关注的条款 narrows the result to the chosen item, named by its title.
  assert.equal(await page.locator('#calc-results li.result').count(), 1, 'only the chosen item is listed');
  assert.doesNotMatch(await text(page, '.chips'), /13-12-61/, 'the chosen item is named by its title, not its number');
  // The arithmetic under the card: one step an operation, the cap as what it does (取较小者).
  const steps = await card.locator('ul.why').innerText();
  assert.match(steps, /\(1\) 技改项目一年内生产性设备与信息化投入\(投资额\)\[10,000,000\.00元\] × 20% = 2,000,000\.00元/);
  assert.match(steps, /\(2\) 取 第\(1\)步 2,000,000\.00元 与 上限 400万元 的较小者 = 2,000,000\.00元/);
  assert.doesNotMatch(steps, /≤/);
  await shot(page, 'a-calculator-form');

  // An item of two parts (13-20-110, the example): in the year of 核实确认 the rent
  // part is not yet due and shows no arithmetic; the contribution part is cut to its cap.
  await page.locator('.chip button[aria-label="移除 500万元以上技改项目补助"]').click();
  await page.fill('input[name=item_q]', '创投');
  await page.getByRole('button', { name: '查找', exact: true }).click();
  await page.locator('.pick-list input[value="13-20-110"]').check();
  await page.locator('[name="fact:vc_investment_3y"]').waitFor();
  await page.selectOption('select[name="fact:in_kechuang_corridor"]', 'true');
  await page.fill('input[name="fact:vc_investment_3y"]', '600万');
  await page.fill('input[name="fact:vc_confirmed"]', '2021-04-01');
  await page.fill('input[name="fact:vc_base_contribution"]', '100万');
  await page.fill('input[name="fact:local_contribution"]', '15829365.74');
  await page.getByRole('button', { name: '添加一项认定' }).click();
  await page.selectOption('select[name=rec_name]', '科技型中小企业');
  await page.selectOption('select[name=rec_level]', '省');
  await page.fill('input[name=rec_date]', '2019-05-01');
  await page.click('#run-calc');
  const vc = page.locator('#calc-results li.result[data-item="13-20-110"]');
  await vc.waitFor();
  const rent = await vc.locator('li.part[data-part="房租补贴"]').innerText();
  assert.match(rent, /^分项「房租补贴」：不符合——未满足：/);
  assert.match(rent, /不计算金额/);
  assert.doesNotMatch(rent, /计算：|上限|=/, `a failed part shows no arithmetic: ${rent}`);
  const award = await vc.locator('li.part[data-part="新增地方综合贡献度奖励"]').innerText();
  assert.match(award, /分项「新增地方综合贡献度奖励」：符合，金额 1,000,000\.00元/);
  assert.match(award, /= 14,829,365\.74元/);
  assert.match(award, /取 第\(1\)步 14,829,365\.74元 与 上限 100万元 的较小者 = 1,000,000\.00元/);
  await shot(page, 'a-calculator-form-parts');

  await page.fill('input[name=credit_code]', '91330302MA285XT301');
  await page.click('#run-calc');
  await page.locator('.calc-form .notice.error').waitFor();
  assert.match(await text(page, '.calc-form .notice.error'), /统一社会信用代码不正确/);
  await b.close();
});

test('b. reviewer: queue of the department, accept, approve with the amount shown, publicize', { timeout: T }, async (t) => {
  const b = await openBrowser(t);
  const { page } = b;
  await login(page, 'reviewer');
  assert.match(page.url(), /#\/review$/);
  await page.locator('#review-queue table').waitFor();
  await page.locator('#inbox a').first().waitFor();
  assert.match(await text(page, '#inbox'), /待受理 [1-9]\d* 项/, 'the reviewer sees its pending count on signing in');
  const row = page.locator('#review-queue tr', { has: page.locator(`a[href="#/review/${E.award}"]`) });
  const r = await row.innerText();
  assert.ok(r.includes(E.firmName) && r.includes(E.itemTitle) && r.includes(yuan(E.amount)) && r.includes('已申报'), r);
  assert.ok(!r.includes(E.item), `the queue names the item by its identifier: ${r}`);
  assert.match(await text(page, '.tabs'), /待受理（[1-9]/);
  await shot(page, 'b-review-queue');

  await row.getByRole('link', { name: `办理奖补 #${E.award}` }).click();
  await page.locator('#award-detail .evidence').waitFor();
  await page.locator('#award-detail .materials table a', { hasText: '认定文件.pdf' }).waitFor(); // the firm's material
  assert.match(await text(page, '#award-detail .materials table'), /[0-9a-f]{64}/, 'the reviewer sees its SHA-256');
  assert.match(await text(page, '#award-detail .evidence'), /来源/);
  assert.match(await text(page, '#award-detail pre.explain'), /结论：符合/);

  await clickButton(page, '驳回');
  assert.match(await text(page, '.actions-card .notice.error'), /请填写驳回理由/);

  await clickButton(page, '受理');
  await waitState(page, '已受理');
  assert.match(await text(page, '#action-status'), new RegExp(`奖补 #${E.award} 已受理`));
  assert.ok((await text(page, '.actions-card')).includes(AMOUNT), 'the amount to approve is shown');
  await shot(page, 'b-review-accepted');

  // 审核意见: required on approval (the decision on the money), and the firm reads it.
  await clickButton(page, '审核通过');
  assert.match(await text(page, '.actions-card form[data-verb=approve] .notice.error'), /请填写审核意见/);
  await page.fill('form[data-verb=approve] textarea[name=opinion]', '认定文件真实有效，同意按政策核定。');
  await clickButton(page, '审核通过');
  await waitState(page, '审核通过');
  assert.ok(b.dialogs.some((m) => m.includes('确认审核通过') && m.includes(AMOUNT)), `approve asked with the amount: ${b.dialogs}`);
  assert.ok((await text(page, '#action-status')).includes(`核定金额 ${yuan(E.amount)}元`));
  assert.ok((await text(page, '#award-detail dl.facts')).includes(AMOUNT));
  assert.match(await text(page, '#award-detail dl.facts'), /审核意见\s*认定文件真实有效，同意按政策核定。/);

  await page.fill('input[name=start]', E.pubStart);
  await page.fill('input[name=end]', E.pubEnd);
  await clickButton(page, '发布公示');
  await waitState(page, '公示中');
  assert.ok((await text(page, '#award-detail dl.facts')).includes(`${zhDay(E.pubStart)} 至 ${zhDay(E.pubEnd)}`));
  await shot(page, 'b-review-publicized');

  if (E.second) {
    await open(page, 'review/' + E.second);
    await page.locator('#award-detail .evidence').waitFor();
    await clickButton(page, '受理');
    await waitState(page, '已受理');
    await page.fill('form[data-verb=approve] textarea[name=opinion]', '同意。');
    await clickButton(page, '审核通过');
    await waitState(page, '审核通过');
    await page.fill('input[name=start]', E.openStart);
    await page.fill('input[name=end]', E.openEnd);
    await clickButton(page, '发布公示');
    await waitState(page, '公示中');
  }
  await b.close();
});

test('c. 公示 lists it; objections; close publicity; 财政 pays and sees the split; budget use', { timeout: T }, async (t) => {
  const anon = await openBrowser(t);
  await open(anon.page, 'publicity');
  const pub = anon.page.locator(`li.pub[data-award="${E.award}"]`);
  await pub.waitFor();
  const p = await pub.innerText();
  assert.ok(p.includes(E.firmName) && p.includes(E.itemTitle) && p.includes(AMOUNT), p);
  assert.ok(p.includes(`公示期：${zhDay(E.pubStart)} 至 ${zhDay(E.pubEnd)}`), p);
  assert.match(p, /登录后可提出异议/);
  await shot(anon.page, 'c-publicity');
  await anon.close();

  const other = await openBrowser(t);
  let objection = null;
  await login(other.page, 'other');
  await open(other.page, 'publicity');
  if (E.second) {
    const card = other.page.locator(`li.pub[data-award="${E.second}"]`);
    await card.getByRole('button', { name: `对奖补 #${E.second} 提出异议` }).click();
    await card.getByLabel('异议内容').fill('该企业技改投入的发票与合同金额不一致，请核查。');
    await card.getByRole('button', { name: '提交异议' }).click();
    const ok = await card.locator('.notice.ok').innerText();
    const m = /异议 #(\d+)/.exec(ok);
    assert.ok(m, ok);
    objection = m[1];
  }
  // A week later the award's 公示 is over (it began the day it was published: no back-dating).
  setClock(E.afterPub);
  await open(other.page, 'publicity');
  const late = other.page.locator(`li.pub[data-award="${E.award}"]`);
  await late.getByRole('button', { name: `对奖补 #${E.award} 提出异议` }).click();
  await late.getByRole('button', { name: '提交异议' }).click();
  assert.match(await late.locator('.notice.error').innerText(), /请填写异议内容/);
  await late.getByLabel('异议内容').fill('迟到的异议');
  await late.getByRole('button', { name: '提交异议' }).click();
  await late.locator('.notice.error', { hasText: `公示期已于 ${E.pubEnd} 结束，不再受理异议` }).waitFor();
  await shot(other.page, 'c-publicity-objection');
  await other.close();

  const rev = await openBrowser(t);
  await login(rev.page, 'reviewer');
  await open(rev.page, 'review/' + E.award);
  await rev.page.locator('#award-detail .evidence').waitFor();
  await clickButton(rev.page, '结束公示');
  await waitState(rev.page, '公示期满');
  assert.match(await text(rev.page, '#action-status'), /公示期满无异议，可兑付/);
  if (E.second) {
    await open(rev.page, 'review/' + E.second);
    await rev.page.locator('#award-detail .evidence').waitFor();
    await clickButton(rev.page, '结束公示');
    assert.match(await text(rev.page, '#action-status .notice.error'), /尚未届满/);
    await rev.page.getByLabel('异议编号').fill(objection);
    await rev.page.getByLabel('处理理由（必填）').fill('经核查发票与合同一致，异议不成立。');
    await clickButton(rev.page, '处理异议');
    await rev.page.locator('#action-status .notice.ok').waitFor();
    assert.match(await text(rev.page, '#action-status'), new RegExp(`异议 #${objection} 不成立`));
    await waitState(rev.page, '公示中');
  }
  await rev.close();

  const fin = await openBrowser(t);
  const { page } = fin;
  await login(page, 'finance');
  assert.match(page.url(), /#\/finance$/);
  const row = page.locator('#pay-queue tr', { has: page.locator(`a[href="#/finance/${E.award}"]`) });
  assert.match(await row.innerText(), /公示期满/);
  await page.fill('input[name=batch]', '2022-03');
  // 批量兑付: choose the award, pay the chosen ones as batch 2022-03 (confirmed with the total).
  await row.getByRole('checkbox', { name: `选择奖补 #${E.award}` }).check();
  assert.ok((await text(page, '#pay-batch')).includes(`批量兑付所选 1 项，共 ${AMOUNT}`), await text(page, '#pay-batch'));
  await page.click('#pay-batch');
  const batchCard = page.locator('#pay-result .batch[data-batch="2022-03"]');
  await batchCard.waitFor();
  assert.ok(fin.dialogs.some((m) => m.includes('批次「2022-03」') && m.includes(AMOUNT)), `the batch asked with its total: ${fin.dialogs}`);
  const bt = (await batchCard.innerText()).replace(/\s+/g, ' ');
  assert.ok(bt.includes(`批次「2022-03」已兑付 1 项，合计 ${AMOUNT}`), bt);
  assert.equal(await batchCard.getByRole('link', { name: '下载兑付清单（Excel）' }).getAttribute('href'),
    '/api/payments?batch=2022-03&format=xlsx');
  await shot(page, 'c-finance-batch');
  await open(page, 'finance/' + E.award);
  const paid = page.locator(`#pay-result .paid[data-award="${E.award}"]`);
  await paid.waitFor();
  const shown = (await paid.innerText()).replace(/\s+/g, ' ');
  assert.match(shown, /已兑付/);
  assert.ok(shown.includes(AMOUNT), shown);
  const api = await viaApi(page, 'GET', '/api/awards/' + E.award);
  assert.ok(api.ok && api.data.payment, 'the award has a payment');
  const { splits, amount_fen: total } = api.data.payment;
  assert.equal(fenToYuan(total), yuan(E.amount));
  assert.equal(splits.reduce((s, x) => s + x.amount_fen, 0), total, 'the split adds up to the payment');
  assert.ok(splits.some((s) => s.payer === '市财政'), 'the city pays a part');
  for (const s of splits) assert.ok(shown.includes(`${s.payer} ${fenToYuan(s.amount_fen)}`), `split ${s.payer} shown: ${shown}`);
  for (const s of splits) assert.ok(bt.includes(`${s.payer} ${fenToYuan(s.amount_fen)}`), `the batch's payer ${s.payer}: ${bt}`);
  assert.match(shown, /批次 2022-03/);
  await shot(page, 'c-finance-paid');

  await page.selectOption('#budget-form select[name=scope]', 'item');
  await page.fill('#budget-form input[name=item]', E.item);
  await page.fill('#budget-form input[name=amount]', '500万');
  await page.getByRole('button', { name: '保存预算' }).click();
  const brow = page.locator('#budgets tr', { hasText: E.item });
  await brow.waitFor();
  const cells = await brow.locator('td').allInnerTexts();
  assert.equal(cells[3], '5,000,000.00');
  assert.equal(cells[5], yuan(E.amount), 'used = the approved and paid amount');
  assert.equal(cells[6], fenToYuan(500000000 - total));
  assert.ok(fin.dialogs.some((m) => m.includes('预算设为 5,000,000.00 元')), `the budget was confirmed with its amount: ${fin.dialogs}`);
  await shot(page, 'c-finance-budget');
  // Below what is committed: saved, but said so; the form keeps what was chosen.
  await page.fill('#budget-form input[name=amount]', '1');
  await page.getByRole('button', { name: '保存预算' }).click();
  const warn = page.locator('#budget-form .notice.warn');
  await warn.waitFor();
  assert.match(await warn.innerText(), new RegExp(`新预算 1\\.00元 低于该范围已核定的 ${yuan(E.amount).replace(/\./g, '\\.')}元`));
  assert.equal(await page.inputValue('#budget-form select[name=scope]'), 'item');
  assert.equal(await page.inputValue('#budget-form input[name=item]'), E.item);
  await fin.close();

  const ent = await openBrowser(t);
  await login(ent.page, 'enterprise');
  await open(ent.page, 'my/' + E.award);
  await ent.page.locator('#award-detail .payment').waitFor();
  assert.equal((await text(ent.page, '#award-detail .progress li.current')).trim(), '已兑付');
  assert.match(await text(ent.page, '#award-detail .payment'), /市财政/);
  await shot(ent.page, 'c-enterprise-paid');
  // 站内信: the payment is among the firm's unread messages; reading them clears the count.
  await ent.page.locator('#inbox a', { hasText: '条未读消息' }).click();
  await ent.page.locator('#messages ol.messages').waitFor();
  assert.ok((await text(ent.page, '#messages')).includes(`已兑付 ${yuan(E.amount)}元`), await text(ent.page, '#messages'));
  await ent.page.click('#messages-read');
  await ent.page.locator('#messages', { hasText: '没有未读消息' }).waitFor();
  await shot(ent.page, 'c-enterprise-messages');
  await ent.close();
});

test('d. 领导: the dashboard shows the paid amount, the same as `huiqi report`; what-if pricing', { timeout: T }, async (t) => {
  const b = await openBrowser(t);
  const { page } = b;
  await login(page, 'leader');
  assert.match(page.url(), /#\/dashboard$/);
  const award = (await viaApi(page, 'GET', '/api/awards/' + E.award)).data;
  const table = page.locator('#report-document table');
  await table.waitFor();
  for (const by of ['document', 'department', 'district', 'industry', 'month']) {
    await page.locator(`#report-${by} svg.bars, #report-${by} .notice`).first().waitFor();
    assert.equal(await page.locator(`#report-${by} .notice.error`).count(), 0, `report by ${by} loads`);
  }
  const head = await table.locator('thead th').allInnerTexts();
  const col = head.indexOf('已兑付');
  assert.ok(col > 0, head.join(','));
  const cells = await table.locator('tbody tr', { hasText: award.document }).locator('td').allInnerTexts();
  assert.equal(cells[col], yuan(E.amount), `${award.document} 已兑付`);

  const csv = hq('report', '--by', 'document', '--format', 'csv').replace(/^\uFEFF/, '').trim().split(/\r?\n/).map((l) => l.split(','));
  const cliCol = csv[0].indexOf('已兑付');
  const cliRow = csv.find((r) => r[0] === award.document);
  assert.equal(cliRow[cliCol], E.amount, 'huiqi report agrees');
  const uiRows = await table.locator('tbody tr').count();
  assert.equal(uiRows, csv.length - 2, 'the same rows as huiqi report');
  for (let i = 1; i < csv.length - 1; i++) {
    const ui = await table.locator('tbody tr').nth(i - 1).locator('td').allInnerTexts();
    assert.deepEqual(ui.map((v) => v.replace(/,/g, '')), csv[i], `row ${csv[i][0]}`);
  }
  assert.match(await text(page, '#dash-kpis'), new RegExp(`已兑付 ${yuan(E.amount).replace(/\./g, '\\.')} 元`));
  assert.match(await text(page, '#dash-kpis'), /惠及企业 [1-9]\d* 户/);
  assert.match(await text(page, '#dash-kpis'), /兑付进度（按金额） \d+\.\d%/);
  assert.match(await text(page, '#dash-kpis'), /待申报（免申即享，未申领）/);
  await shot(page, 'd-dashboard');

  await open(page, 'whatif');
  await page.click('#run-whatif');
  await page.locator('#whatif-change').waitFor();
  const before = await text(page, '#whatif-before');
  const after = await text(page, '#whatif-after');
  assert.match(before, /^[\d,]+\.\d\d 元$/);
  assert.match(after, /^[\d,]+\.\d\d 元$/);
  assert.match(await text(page, '#whatif-result'), /13-12-61 上限/);
  assert.match(await text(page, '#whatif-result'), /按区域的变化/);
  // Where the change went: 条款计算变化 + 附则3影响 = 变化, in every row.
  assert.match(await text(page, '#whatif-absorbed'), /所调整条款按新规则计算的奖补变化|全部来自所调整条款本身/);
  const toFen = (t) => Math.round(Number(t.replace(/[,\s元+]/g, '')) * 100);
  for (const row of await page.locator('table.whatif-items tbody tr').all()) {
    const c = await row.locator('td').allInnerTexts();
    assert.equal(toFen(c[4]) + toFen(c[5]), toFen(c[3]), `row ${c.join(' | ')}`);
  }
  await shot(page, 'd-whatif');
  await b.close();
});
