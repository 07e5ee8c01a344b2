/*
 * Scenario g: what users read is Chinese. Every page each role can open — and the JSON the
 * API gives them — is crawled for ASCII words: rule syntax (`not service_sector`), fact
 * identifiers (`tech_investment`), English sentences, hashes. Only what the official text
 * itself uses may appear (ISO, CMMI, PCT, 5A …), plus a few names people do read (CSV,
 * Excel). Credit codes (统一社会信用代码) are identifiers people use and are allowed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { E, T, openBrowser, open, login } from './lib.mjs';

/* Words people read that are not Chinese: file formats (downloads, 申报材料) and official names
 * the items' 原文 do not quote themselves — the 附则's video platforms (PPTV), the national
 * grades of A级 scenic areas and logistics firms (AAA…AAAAA), the standards bodies of the
 * 国际标准 counted by 13-13-75, the SHA-256 a reviewer checks. Everything else allowed is a term of the official text itself
 * (CMMI, IDEA奖 …), collected from the items' 原文 by officialWords(). */
const NAMES = ['CSV', 'JSON', 'Excel', 'PDF', 'PNG', 'JPEG', 'MB', 'PPTV', 'AAA', 'AAAA', 'AAAAA', 'ISO', 'IEC', 'ITU', 'SHA'];
let ALLOWED = new Set(NAMES);

/* Every ASCII word of the policies' own text (GET /api/items/{id} source), once. */
async function officialWords() {
  if (ALLOWED.size > NAMES.length) return;
  const get = async (p) => (await fetch(E.base + p)).json();
  const { items } = await get('/api/items');
  for (const { id } of items) {
    const it = await get(`/api/items/${encodeURIComponent(id)}`);
    for (const m of String(it.source || '').matchAll(/[A-Za-z][A-Za-z0-9]*/g)) ALLOWED.add(m[0]);
  }
}

const CREDIT_CODE = /\b[0-9A-HJ-NPQRTUWXY]{18}\b/g;

/* The ASCII words of `text` that are not allowed, with a little context each. */
function foreignWords(text) {
  const t = text.replace(CREDIT_CODE, ' ');
  const out = [];
  for (const m of t.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
    // A single capital is a grade or class of the text (A类, 亩均 C/D类).
    if (ALLOWED.has(m[0]) || /^[A-Z]$/.test(m[0])) continue;
    out.push(`${m[0]} «${t.slice(Math.max(0, m.index - 20), m.index + m[0].length + 20).replace(/\s+/g, ' ')}»`);
  }
  // Dates are written as people write them (2022年3月1日), not as the API sends them.
  for (const m of t.matchAll(/\b\d{4}-\d\d-\d\d\b/g)) out.push(`${m[0]} «${t.slice(Math.max(0, m.index - 20), m.index + 30).replace(/\s+/g, ' ')}»`);
  return out;
}

/* Open `route`, wait until nothing is loading, and return the page's words that are not allowed. */
async function crawl(page, route) {
  await open(page, route);
  await page.waitForFunction(() => !document.querySelector('.notice.info')?.textContent.includes('正在加载'), null, { timeout: 15000 })
    .catch(() => {});
  await page.waitForTimeout(300);
  // What a person typed or uploaded (a file's name) and the integrity value a reviewer checks
  // are marked data-verbatim: shown as they are, not words of ours.
  const text = await page.evaluate(() => {
    const main = document.querySelector('main').cloneNode(true);
    for (const el of main.querySelectorAll('[data-verbatim]')) el.remove();
    document.body.append(main);
    const t = main.innerText;
    main.remove();
    return t;
  });
  return foreignWords(text).map((w) => `#/${route}: ${w}`);
}

const ROUTES = {
  anonymous: ['policies', 'calculator', 'publicity', 'login'],
  enterprise: ['policies', 'calculator', 'my', `my/${E.award}`, 'publicity', 'messages'],
  reviewer: ['review', `review/${E.award}`, 'review?state=', 'publicity', 'policies'],
  finance: ['finance', 'dashboard', 'whatif', 'plans', 'performance'],
  leader: ['dashboard', 'whatif', 'plans?plan=shisiwu', 'plans?plan=zaixian', 'performance?year=2021', 'performance?year=2022'],
  admin: ['admin', 'review', 'finance'],
};

for (const [role, routes] of Object.entries(ROUTES)) {
  test(`g. language: every page of ${role === 'anonymous' ? '访客' : role} reads Chinese`, { timeout: T }, async (t) => {
    await officialWords();
    const b = await openBrowser(t);
    if (role !== 'anonymous') await login(b.page, role);
    const found = [];
    for (const r of routes) found.push(...(await crawl(b.page, r)));
    assert.deepEqual(found, [], `ASCII words users would read:\n${found.join('\n')}`);
    await b.close();
  });
}

test('g. language: the policy library shows every item in Chinese', { timeout: T }, async () => {
  await officialWords();
  const get = async (p) => (await fetch(E.base + p)).json();
  const { items } = await get('/api/items');
  const found = [];
  for (const { id } of items) {
    const it = await get(`/api/items/${encodeURIComponent(id)}`);
    const shown = [it.title, it.guide, ...(it.conditions || []), ...(it.parts || []).map((p) => p.label)]
      .filter((s) => typeof s === 'string').join('\n');
    found.push(...foreignWords(shown).map((w) => `${id}: ${w}`));
  }
  assert.deepEqual(found, [], `ASCII words in what the policy library shows:\n${found.slice(0, 80).join('\n')}`);
});
