/*
 * Shared by the end-to-end tests: the scenario's parameters (set by run.sh in the
 * environment), a fresh headless chromium per user, signing in through the login page,
 * screenshots, and running the huiqi CLI against the test database.
 */
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';

const need = (k) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is not set: run the tests through tests/e2e/run.sh`);
  return v;
};

/* What run.sh prepared: the server, the accounts, and the awards the scenarios use. */
export const E = {
  base: need('E2E_BASE'),
  db: need('E2E_DB'),
  hq: need('E2E_HQ'),
  shots: process.env.E2E_SHOTS || 'build/e2e-shots',
  chromium: process.env.CHROMIUM || '/usr/bin/chromium',
  firm: need('E2E_FIRM'),               // the enterprise's credit code
  firmName: need('E2E_FIRM_NAME'),
  award: need('E2E_AWARD'),             // its 资格定补 award: applied, approved, publicized, paid
  item: need('E2E_ITEM'),
  itemTitle: need('E2E_ITEM_TITLE'),  // what pages show instead of the item's identifier
  amount: need('E2E_AMOUNT'),           // "1000000.00"
  second: process.env.E2E_SECOND || '', // another award of the same firm and department (objection), optional
  dept: need('E2E_DEPT'),
  otherFirm: need('E2E_OTHER_FIRM'),    // a firm the enterprise must not see
  otherAward: need('E2E_OTHER_AWARD'),  // an award of that firm
  otherDeptAward: need('E2E_OTHER_DEPT_AWARD'), // an award of another department
  pubStart: need('E2E_PUB_START'),      // the award's publicity: from today …
  pubEnd: need('E2E_PUB_END'),
  afterPub: need('E2E_AFTER_PUB'),      // … over on this day (the test moves the clock there)
  openStart: need('E2E_OPEN_START'),    // the second award's publicity, still open then
  openEnd: need('E2E_OPEN_END'),
  clock: need('E2E_CLOCK'),             // the server's clock (HUIQI_NOW=@FILE)
  users: {
    enterprise: ['e2e-qiye', need('E2E_PASSWORD')],
    other: ['e2e-qiye2', need('E2E_PASSWORD')],
    reviewer: ['e2e-shenhe', need('E2E_PASSWORD')],
    finance: ['e2e-caizheng', need('E2E_PASSWORD')],
    leader: ['e2e-lingdao', need('E2E_PASSWORD')],
    admin: ['e2e-admin', need('E2E_PASSWORD')],
  },
};

/* The time limit of one test, in ms. */
export const T = Number(process.env.E2E_TEST_TIMEOUT || 120000);

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/* "1000000.00" → "1,000,000.00", as the UI writes money. */
/* "2022-03-01" → "2022年3月1日", as the pages write dates (written here again, not imported,
 * so that a wrong format in web/js/format.js fails the test). */
export function zhDay(d) {
  const [y, m, dd] = d.split('-');
  return `${y}年${Number(m)}月${Number(dd)}日`;
}

export function yuan(s) {
  const [i, f = '00'] = String(s).split('.');
  return i.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + '.' + f.padEnd(2, '0');
}
export const fenToYuan = (fen) => yuan(`${Math.trunc(fen / 100)}.${String(Math.abs(fen) % 100).padStart(2, '0')}`);

/*
 * A browser of its own (fresh profile) with one page, for test `t`: closed when the test
 * ends whatever happens. Every uncaught error of the page is recorded; close() asserts
 * there was none.
 */
export async function openBrowser(t, viewport = { width: 1280, height: 900 }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huiqi-e2e-chrome-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: E.chromium, headless: true, args: ARGS, viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai',
  });
  ctx.setDefaultTimeout(15000);
  const page = ctx.pages()[0] || (await ctx.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Money actions ask for confirmation (window.confirm) stating the amount: the tests accept
  // and keep each message, so that a scenario can check what the person was asked.
  const dialogs = [];
  page.on('dialog', async (d) => {
    dialogs.push(d.message());
    await d.accept();
  });
  let open = true;
  const dispose = async () => {
    if (!open) return;
    open = false;
    await ctx.close().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  };
  t.after(dispose);
  return {
    ctx, page, errors, dialogs,
    async close() {
      await dispose();
      assert.deepEqual(errors, [], 'uncaught errors in the page');
    },
  };
}

/* Open a route of the UI (#/…) and wait for its page to be mounted. */
export async function open(page, route) {
  await page.goto(E.base + '/#/' + route);
  const name = route.split(/[/?]/)[0];
  await page.waitForSelector(`[data-page="${name}"]`);
}

/* Sign in through the login page as one of E.users; lands on the role's home page. */
export async function login(page, who) {
  const [u, p] = E.users[who];
  await open(page, 'login');
  await page.fill('#login-form input[name=username]', u);
  await page.fill('#login-form input[name=password]', p);
  await page.click('#login-form button[type=submit]');
  await page.waitForFunction(() => !location.hash.startsWith('#/login'));
  await page.waitForSelector('#logout', { state: 'attached' });
}

export async function shot(page, name) {
  fs.mkdirSync(E.shots, { recursive: true });
  await page.screenshot({ path: path.join(E.shots, name + '.png'), fullPage: true });
}

/* Visible text of an element, whitespace collapsed. */
export async function text(page, selector) {
  return (await page.locator(selector).first().innerText()).replace(/\s+/g, ' ');
}

/* huiqi ARGS… on the test database; its standard output. */
export function hq(...args) {
  return execFileSync(E.hq, [...args, '--db', E.db], { encoding: 'utf8', env: process.env });
}

/* Call the UI's own API module from inside the page, as a script of the page would. */
export async function viaApi(page, method, path) {
  return page.evaluate(async ([m, p]) => {
    const { request } = await import('/js/api.js');
    try {
      return { ok: true, data: await request(m, p) };
    } catch (e) {
      return { ok: false, status: e.status, code: e.code, message: e.message };
    }
  }, [method, path]);
}

/* Moves the server's clock to 09:30 of `day` ("2022-03-08"): time passing, for a 公示 period. */
export function setClock(day) {
  fs.writeFileSync(E.clock, `${day}T09:30:00+08:00\n`);
}
