/*
 * The shell of the single-page UI: hash routes (#/policies, #/review/12 …), the navigation
 * that shows each role only the pages it may use, and the session. Every page is a module
 * in pages/ exporting render(root, ctx); ctx gives the signed-in user, the route's path
 * parameters and query, and go() to navigate.
 */
import { api, currentUser, loadSession, logout, onSessionChange } from './api.js';
import { money } from './format.js';
import { h, mount, notice, errorText } from './dom.js';

const ALL = ['anonymous', 'enterprise', 'reviewer', 'finance', 'leader', 'admin'];

/* name → title, who may open it (and see it in the navigation), and its module. */
const PAGES = {
  policies: { title: '政策库', roles: ALL, load: () => import('./pages/policies.js') },
  calculator: { title: '政策计算器', roles: ALL, load: () => import('./pages/calculator.js') },
  my: { title: '我的申报', roles: ['enterprise'], load: () => import('./pages/my-awards.js') },
  messages: { title: '消息', roles: ['enterprise'], load: () => import('./pages/messages.js') },
  review: { title: '受理审核台', roles: ['reviewer', 'admin'], load: () => import('./pages/review.js') },
  publicity: { title: '公示', roles: ALL, load: () => import('./pages/publicity.js') },
  finance: { title: '财政兑付', roles: ['finance', 'admin'], load: () => import('./pages/finance.js') },
  dashboard: { title: '领导驾驶舱', roles: ['leader', 'finance', 'admin'], load: () => import('./pages/dashboard.js') },
  plans: { title: '规划监测', roles: ['leader', 'finance', 'admin'], load: () => import('./pages/plans.js') },
  performance: { title: '绩效评价', roles: ['leader', 'finance', 'admin'], load: () => import('./pages/performance.js') },
  whatif: { title: '政策测算', roles: ['leader', 'finance', 'admin'], load: () => import('./pages/whatif.js') },
  admin: { title: '系统管理', roles: ['admin'], load: () => import('./pages/admin.js') },
  login: { title: '登录', roles: ALL, nav: false, load: () => import('./pages/login.js') },
};

/* Where each role starts. */
const HOME = {
  anonymous: 'policies', enterprise: 'calculator', reviewer: 'review', finance: 'finance', leader: 'dashboard', admin: 'dashboard',
};

const roleOf = (u) => (u ? u.role : 'anonymous');

function parseHash() {
  const raw = decodeURIComponent(location.hash.replace(/^#\/?/, ''));
  const [path, query = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean);
  return { name: parts[0] || '', params: parts.slice(1), query: new URLSearchParams(query) };
}

export function go(route) {
  const target = '#/' + route.replace(/^#?\/?/, '');
  if (location.hash === target) render();
  else location.hash = target;
}

function renderNav(route) {
  const user = currentUser();
  const role = roleOf(user);
  const links = document.getElementById('nav-links');
  mount(links, Object.entries(PAGES)
    .filter(([, p]) => p.nav !== false && p.roles.includes(role))
    .map(([name, p]) => h('li', h('a', { href: '#/' + name, 'aria-current': route.name === name ? 'page' : null }, p.title))));
  const box = document.getElementById('nav-user');
  if (user) {
    mount(box,
      h('span.who', { title: user.username }, user.display_name || user.username,
        h('span.role-badge', user.role_zh), user.department ? h('small', user.department) : null),
      h('button.link', { type: 'button', id: 'logout', onclick: async () => { await logout().catch(() => {}); go('login'); } }, '退出'));
  } else {
    mount(box, h('a.button.small', { href: '#/login' + (route.name && route.name !== 'login' ? '?next=' + encodeURIComponent(location.hash.slice(2)) : '') }, '登录'));
  }
}

/* 待办: what the signed-in person can act on now (GET /api/inbox, from the workflow table),
 * each as a sentence linking to where it is done. Verbs that only repeat another (驳回 and
 * 退回补正 beside 受理) are not listed. */
const TODO = {
  apply: (t) => [`您有 ${t.count} 项可申领奖补，共 ${money(t.amount_fen)}`, 'my'],
  resubmit: (t) => [`${t.count} 项申报被退回，请补正后重新申报`, 'my'],
  push: (t) => [`待推送（免申即享）${t.count} 项`, 'review?state=candidate'],
  accept: (t) => [`待受理 ${t.count} 项`, 'review?state=applied'],
  approve: (t) => [`待审核 ${t.count} 项`, 'review?state=accepted'],
  publicize: (t) => [`待公示 ${t.count} 项`, 'review?state=approved'],
  close: (t) => [`公示中 ${t.count} 项`, 'review?state=publicizing'],
  pay: (t) => [`待兑付 ${t.count} 项，共 ${money(t.amount_fen)}`, 'finance'],
  archive: (t) => [`待归档 ${t.count} 项`, 'finance'],
};

async function showInbox(box, role) {
  try {
    const [{ todo }, messages] = await Promise.all([api.inbox(), role === 'enterprise' ? api.messages() : null]);
    const lines = todo.filter((t) => TODO[t.verb]).map((t) => TODO[t.verb](t))
      .filter(([, route]) => PAGES[route.split('?')[0]].roles.includes(role));
    if (messages && messages.unread) lines.push([`${messages.unread} 条未读消息`, 'messages']);
    mount(box, lines.length ? h('p', h('strong', '待办：'),
      lines.map(([text, route], i) => [i ? '；' : '', h('a', { href: '#/' + route }, text)])) : null);
    box.hidden = !lines.length;
  } catch {
    box.hidden = true; // the page itself says what went wrong
  }
}

let generation = 0;

window.addEventListener('huiqi:changed', () => {
  const box = document.getElementById('inbox');
  const user = currentUser();
  if (box && user) showInbox(box, roleOf(user));
});

async function render() {
  const route = parseHash();
  const user = currentUser();
  const role = roleOf(user);
  if (!route.name || !PAGES[route.name]) {
    history.replaceState(null, '', '#/' + HOME[role]);
    return render();
  }
  const page = PAGES[route.name];
  const gen = ++generation;
  renderNav(route);
  closeMenu();
  document.title = `${page.title} · 惠企政策直通车`;
  const main = document.getElementById('main');
  const root = h('div.page', { dataset: { page: route.name } });
  const inbox = h('div#inbox.inbox', { hidden: true, 'aria-label': '待办事项' });
  mount(main, inbox, root);
  if (user) showInbox(inbox, role);
  if (!page.roles.includes(role)) {
    mount(root, h('h1', page.title), user
      ? notice('error', `您的角色（${user.role_zh}）无权使用「${page.title}」。`)
      : notice('info', '请先登录后使用本页面。 ', h('a', { href: '#/login?next=' + encodeURIComponent(location.hash.slice(2)) }, '去登录')));
    return;
  }
  try {
    const mod = await page.load();
    if (gen !== generation) return;
    await mod.render(root, { user, role, params: route.params, query: route.query, go, home: (u) => HOME[roleOf(u)], alive: () => gen === generation });
  } catch (e) {
    if (gen !== generation) return;
    console.error(e);
    root.append(notice('error', '页面加载失败：' + errorText(e)));
  }
  if (gen === generation && document.activeElement === document.body) main.focus({ preventScroll: true });
}

function closeMenu() {
  document.getElementById('site-nav').classList.remove('open');
  document.querySelector('.nav-toggle').setAttribute('aria-expanded', 'false');
}

function setupMenu() {
  const btn = document.querySelector('.nav-toggle');
  btn.addEventListener('click', () => {
    const open = document.getElementById('site-nav').classList.toggle('open');
    btn.setAttribute('aria-expanded', String(open));
  });
}

async function start() {
  setupMenu();
  try {
    await loadSession();
  } catch (e) {
    mount(document.getElementById('main'), notice('error', errorText(e)));
  }
  let last = roleOf(currentUser());
  onSessionChange((s) => {
    /* A session that ended mid-use (expired, signed out elsewhere): the navigation shows
     * 登录 again, and the page's next request says 请先登录. */
    const now = roleOf(s);
    if (now !== last) {
      last = now;
      renderNav(parseHash());
    }
  });
  window.addEventListener('hashchange', render);
  await render();
  document.body.dataset.ready = '1';
}

start();
