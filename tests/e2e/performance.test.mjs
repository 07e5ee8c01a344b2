/*
 * Scenario j: 绩效评价 for 领导. The page shows the three links of plans/performance.hqp
 * (技改, 上云, 研发) with the firms reached and the committed and paid money equal to what
 * GET /api/reports/performance gives, the plan indicators each serves, the rows per item,
 * document and district, the 兑现时效 block with 达标/未达标, what the comparison does not
 * prove, and the CSV and Excel downloads; in Chinese, and at phone width without sideways
 * scrolling. An enterprise does not see the page in its navigation and is told 无权 on
 * its route.
 *
 * Run alone, the ledger of run.sh has no committed award of a linked item (the workflow
 * scenario pays one award, which may or may not be linked), so the test first takes one
 * linked award of a firm no other scenario uses to 审核通过 through the CLI. It does not
 * pay it: the workflow scenario checks that the dashboard's 已兑付 is its own award's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { E, T, openBrowser, open, login, shot, text, viaApi, hq, fenToYuan } from './lib.mjs';

const YEAR = 2021;
const LINKS = ['技改', '上云', '研发'];

/* One linked award carried to 审核通过 when the year has none committed yet. */
function commitOneLinkedAward(report) {
  const items = new Set(report.links.flatMap((l) => l.items));
  const { awards } = JSON.parse(hq('award', 'list', '--json', '--year', String(YEAR)));
  const busy = new Set([E.award, E.second, E.otherAward, E.otherDeptAward].filter(Boolean).map(String));
  const a = awards.find((x) => x.state === 'candidate' && !x.voucher && items.has(x.item) && !busy.has(String(x.id))
    && x.credit_code !== E.firm && x.credit_code !== E.otherFirm);
  if (!a) return false;
  const dept = a.department.split(/[、,，]/)[0].replace(/[(（].*$/, '');
  hq('award', 'apply', String(a.id));
  hq('award', 'accept', String(a.id), '--department', dept);
  hq('award', 'approve', String(a.id), '--department', dept);
  return true;
}

/* The words of the page a person reads that are not Chinese (quoted text marked data-verbatim aside). */
async function foreignWords(page) {
  const t = await page.evaluate(() => {
    const main = document.querySelector('main').cloneNode(true);
    for (const el of main.querySelectorAll('[data-verbatim]')) el.remove();
    document.body.append(main);
    const s = main.innerText;
    main.remove();
    return s;
  });
  const out = [];
  for (const m of t.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) if (!['CSV', 'Excel'].includes(m[0]) && !/^[A-Z]$/.test(m[0])) out.push(m[0]);
  for (const m of t.matchAll(/\b\d{4}-\d\d(-\d\d)?\b/g)) out.push(m[0]);
  for (const m of t.matchAll(/\b\d+-\d+-\d+\b/g)) out.push(m[0]); // an item's identifier (13-12-61)
  return out;
}

test('j. 绩效评价: the three links, 兑现时效 and downloads for 领导; refused to an enterprise', { timeout: T }, async (t) => {
  const b = await openBrowser(t);
  const { page } = b;
  await login(page, 'leader');
  const url = `/api/reports/performance?year=${YEAR}`;
  let api = await viaApi(page, 'GET', url);
  assert.ok(api.ok, `GET ${url}: ${api.status} ${api.message}`);
  const linkRow = (rep, name) => rep.rows.find((r) => r.group === '关联' && r.link === name);
  if (!LINKS.some((n) => linkRow(api.data, n)?.awards > 0)) {
    assert.ok(commitOneLinkedAward(api.data), 'the data has no linked award to commit');
    api = await viaApi(page, 'GET', url);
    assert.ok(api.ok);
  }
  const rep = api.data;
  assert.deepEqual(rep.links.map((l) => l.name), LINKS);
  assert.ok(LINKS.some((n) => linkRow(rep, n).awards > 0), 'a committed award of a linked item');

  assert.match(await text(page, '#nav-links'), /绩效评价/);
  await open(page, `performance?year=${YEAR}`);
  await page.locator('section.perf-link').first().waitFor();
  assert.deepEqual(await page.$$eval('section.perf-link', (s) => s.map((x) => x.dataset.link)), LINKS);
  for (const l of rep.links) {
    const r = linkRow(rep, l.name);
    const sec = `section.perf-link[data-link="${l.name}"]`;
    assert.equal(await text(page, `${sec} [data-k=committed] dd`), `${fenToYuan(r.committed_fen)} 元`, `${l.name} 已核定`);
    assert.equal(await text(page, `${sec} [data-k=paid] dd`), `${fenToYuan(r.paid_fen)} 元`, `${l.name} 已兑付`);
    assert.equal(await text(page, `${sec} [data-k=firms] dd`), `${r.firms_reached} 户`, `${l.name} 惠及企业`);
    assert.equal(await text(page, `${sec} [data-k=reached-growth] dd`), r.reached.growth ?? '—');
    assert.equal(await text(page, `${sec} [data-k=others-growth] dd`), r.others.growth ?? '—');
    assert.match(await text(page, `${sec} [data-k=diff] dd`), r.diff === null ? /^—$/ : /个百分点$/);
    // the plan indicators named, each with its plan
    const inds = await page.$$eval(`${sec} .perf-ind-list li`, (li) => li.map((x) => x.textContent));
    assert.equal(inds.length, l.indicators.length);
    l.indicators.forEach((ind, k) => {
      assert.ok(inds[k].includes(ind.name), inds[k]);
      assert.match(inds[k], /^(十四五规划|在线新经济行动方案) 第\d+项「/);
    });
    // rows per item, document, district; the total row repeats the link's money
    const groups = await page.$$eval(`${sec} table.perf-table tbody`, (tb) => tb.map((x) => x.dataset.group));
    assert.deepEqual(groups, ['条款', '文件', '区域'].filter((g) => rep.rows.some((x) => x.link === l.name && x.group === g)));
    const items = await page.$$eval(`${sec} tbody[data-group="条款"] tr[data-group]`, (tr) => tr.length);
    assert.equal(items, l.items.length, `${l.name}: a row per item, an item with no award at zero`);
    const foot = await page.$$eval(`${sec} tfoot td`, (td) => td.map((x) => x.textContent));
    assert.equal(foot[1], fenToYuan(r.committed_fen));
    assert.equal(foot[2], fenToYuan(r.paid_fen));
  }

  // 兑现时效
  const tl = rep.timeliness;
  const timely = page.locator('section.perf-timeliness');
  await timely.waitFor();
  assert.match(await text(page, 'section.perf-timeliness h2'), /兑现时效/);
  const rows = await page.$$eval('.perf-timely-table tbody tr', (tr) => tr.map((r) => [...r.cells].map((c) => c.textContent.trim())));
  assert.equal(rows.length, 2);
  assert.match(rows[0][0], new RegExp(`^${YEAR + 1}年6月30日$`));
  assert.match(rows[1][0], new RegExp(`^${YEAR + 1}年12月31日$`));
  assert.equal(rows[0][3], fenToYuan(tl.due_fen));
  assert.equal(rows[0][5], fenToYuan(tl.paid_by_midyear_fen));
  assert.equal(rows[1][5], fenToYuan(tl.paid_by_yearend_fen));
  assert.equal(rows[0][7], tl.midyear_met ? '达标' : '未达标');
  assert.equal(rows[1][7], tl.yearend_met ? '达标' : '未达标');
  assert.match(await text(page, 'section.perf-timeliness'), /60%/);
  assert.equal(await text(page, '.perf-timely-kpis [data-k=mid] .badge'), tl.midyear_met ? '达标' : '未达标');
  assert.equal(await text(page, '.perf-timely-kpis [data-k=end] .badge'), tl.yearend_met ? '达标' : '未达标');

  // what the comparison does not prove
  assert.match(await text(page, 'section.perf-caveats'), /不是随机/);

  // downloads: the API's CSV and XLSX of the same year
  const csv = await page.getAttribute('a:has-text("下载 CSV")', 'href');
  const xlsx = await page.getAttribute('a:has-text("下载 Excel")', 'href');
  assert.equal(csv, `/api/reports/performance?year=${YEAR}&format=csv`);
  assert.equal(xlsx, `/api/reports/performance?year=${YEAR}&format=xlsx`);
  const got = await page.evaluate(async (hrefs) => Promise.all(hrefs.map(async (u) => {
    const r = await fetch(u, { credentials: 'same-origin' });
    return [r.status, r.headers.get('content-type') || ''];
  })), [csv, xlsx]);
  assert.equal(got[0][0], 200);
  assert.match(got[0][1], /csv/);
  assert.equal(got[1][0], 200);
  assert.match(got[1][1], /spreadsheet|xlsx|octet/);

  assert.deepEqual(await foreignWords(page), [], 'ASCII words on 绩效评价');
  await shot(page, 'j-performance');
  await b.close();

  // At phone width the wide tables scroll inside their box, never the page.
  const p = await openBrowser(t, { width: 375, height: 812 });
  await login(p.page, 'leader');
  await open(p.page, `performance?year=${YEAR}`);
  await p.page.locator('section.perf-timeliness').waitFor();
  const m = await p.page.evaluate(() => {
    const d = document.documentElement;
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > d.clientWidth + 1 && !el.closest('.table-wrap'))
      .slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
    return { scroll: d.scrollWidth, client: d.clientWidth, wide };
  });
  assert.ok(m.scroll <= m.client, `${m.scroll}px on ${m.client}px; too wide: ${m.wide.join(', ')}`);
  await shot(p.page, 'j-performance-375');
  await p.close();

  // An enterprise: no navigation entry, and 无权 on the route.
  const ent = await openBrowser(t);
  await login(ent.page, 'enterprise');
  assert.doesNotMatch(await text(ent.page, '#nav-links'), /绩效评价/);
  await open(ent.page, `performance?year=${YEAR}`);
  assert.match(await text(ent.page, '[data-page="performance"]'), /无权使用「绩效评价」/);
  assert.equal(await ent.page.locator('section.perf-link').count(), 0);
  const denied = await viaApi(ent.page, 'GET', url);
  assert.equal(denied.status, 403);
  await ent.close();
});
