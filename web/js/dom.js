/*
 * Small DOM helpers. Pages build their markup with h(), never with innerHTML, so text
 * from the API (firm names, policy text, objections) is always text, never markup.
 */

/*
 * h('tag.class#id', {attr: value, onclick: fn, dataset: {…}}, ...children) → element.
 * Children may be strings, numbers, nodes, arrays or null/false (skipped).
 */
export function h(sel, attrs, ...children) {
  const m = /^([a-z0-9]+)?((?:[.#][\w-]+)*)$/i.exec(sel);
  const el = document.createElement((m && m[1]) || 'div');
  if (m && m[2]) {
    for (const part of m[2].match(/[.#][\w-]+/g)) {
      if (part[0] === '.') el.classList.add(part.slice(1));
      else el.id = part.slice(1);
    }
  }
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'class') el.className = v;
    else if (k === 'style') el.style.cssText = v; // through the CSSOM: the CSP forbids style attributes
    else if (k === 'value' || k === 'checked' || k === 'selected') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

/* Replace everything in `el` with `children`. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/* A status line: kind is 'info', 'ok', 'warn' or 'error'; errors are announced (role=alert). */
export function notice(kind, ...text) {
  return h('p.notice.' + kind, { role: kind === 'error' ? 'alert' : 'status' }, ...text);
}

/* The message of an error as shown to the user (ApiError carries the server's Chinese). */
export function errorText(e) {
  return (e && e.message) || '发生未知错误';
}

/* A labelled form control: the label is tied to the control by id. */
let uid = 0;
export function field(label, control, hint) {
  if (!control.id) control.id = 'f' + ++uid;
  const hintEl = hint ? h('small.hint', { id: control.id + '-hint' }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div.field', h('label', { for: control.id }, label), control, hintEl);
}

/* <select> from [value, text] pairs or plain strings; `value` is preselected. */
export function select(attrs, options, value) {
  const s = h('select', attrs);
  for (const o of options) {
    const [v, t] = Array.isArray(o) ? o : [o, o];
    s.append(h('option', { value: v, selected: String(v) === String(value ?? '') }, t));
  }
  return s;
}

/* A table wrapped so that it scrolls by itself on a narrow screen, never the page. */
export function table(caption, head, rows, opts = {}) {
  const t = h('table', { class: opts.class || null },
    caption ? h('caption', caption) : null,
    h('thead', h('tr', head.map((c, i) => h('th', { scope: 'col', class: opts.numeric && opts.numeric.includes(i) ? 'num' : null }, c)))),
    h('tbody', rows.map((r) => h('tr', r.map((c, i) => h('td', { class: opts.numeric && opts.numeric.includes(i) ? 'num' : null }, c))))),
    opts.foot ? h('tfoot', h('tr', opts.foot.map((c, i) => h('td', { class: opts.numeric && opts.numeric.includes(i) ? 'num' : null }, c)))) : null);
  return h('div.table-wrap', { tabindex: '0', role: 'region', 'aria-label': caption || head.join('、') }, t);
}
