/*
 * Scenario f: at phone width (375×812) the calculator and the 公示 page render without
 * horizontal scrolling, and the navigation collapses behind its menu button.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { E, T, openBrowser, open, login, shot } from './lib.mjs';

const PHONE = { width: 375, height: 812 };

/* Nothing on the page is wider than the screen (scrolling tables scroll inside their box). */
async function assertNoHorizontalScroll(page, what) {
  const m = await page.evaluate(() => {
    const d = document.documentElement;
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > d.clientWidth + 1 && !el.closest('.table-wrap'))
      .slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
    return { scroll: d.scrollWidth, client: d.clientWidth, body: document.body.scrollWidth, wide };
  });
  assert.ok(m.scroll <= m.client && m.body <= m.client,
    `${what}: page is ${m.scroll}px wide on a ${m.client}px screen; too wide: ${m.wide.join(', ')}`);
}

test('f. phone width: calculator and 公示 fit the screen; the nav collapses', { timeout: T }, async (t) => {
  const b = await openBrowser(t, PHONE);
  const { page } = b;
  await open(page, 'calculator');
  await page.locator('.calc-form').waitFor();
  const menu = page.getByRole('button', { name: '菜单' });
  assert.ok(await menu.isVisible(), 'the menu button shows on a phone');
  assert.equal(await page.locator('#site-nav').isVisible(), false, 'the nav is collapsed');
  await menu.click();
  assert.equal(await menu.getAttribute('aria-expanded'), 'true');
  await page.getByRole('link', { name: '公示', exact: true }).waitFor();
  await menu.click();
  await assertNoHorizontalScroll(page, 'calculator (form)');
  await shot(page, 'f-calculator-375');

  await open(page, 'publicity');
  await page.locator('#publicity-list p, #publicity-list .notice').first().waitFor();
  if (E.second) await page.locator(`li.pub[data-award="${E.second}"]`).waitFor();
  await assertNoHorizontalScroll(page, '公示');
  await shot(page, 'f-publicity-375');
  await b.close();
});

test('f. phone width: the enterprise\'s calculator results fit the screen', { timeout: T }, async (t) => {
  const b = await openBrowser(t, PHONE);
  const { page } = b;
  await login(page, 'enterprise');
  await page.click('#load-profile');
  const card = page.locator(`#calc-results li.result[data-item="${E.item}"]`);
  await card.waitFor();
  await card.locator('details.explain summary').click();
  await card.locator('pre.explain').waitFor();
  await assertNoHorizontalScroll(page, 'calculator (results)');
  await shot(page, 'f-calculator-results-375');

  await open(page, 'my');
  await page.locator('#my-awards table').waitFor();
  await assertNoHorizontalScroll(page, '我的申报');
  await b.close();
});
