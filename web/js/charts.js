/*
 * Bar charts in SVG, drawn here with no library. Bars are horizontal, one row per
 * category with its label on a line above the bar, so long Chinese labels fit a phone
 * screen; the chart is drawn at the width of its container and redrawn when that
 * changes. Values are integers (分); the caller formats them. The numbers themselves are
 * always also given in a table beside the chart, which is what screen readers use.
 */
import { h } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
export const PALETTE = ['#c62828', '#1565c0', '#2e7d32', '#ef6c00', '#6a1b9a', '#00838f', '#8d6e63'];

function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  for (const c of children) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/*
 * barChart(spec) → an element holding the chart and its legend.
 *   spec.title    accessible name of the chart
 *   spec.series   [{name, color?}] — the parts of each bar (stacked) or the bars of a row (grouped)
 *   spec.rows     [{label, values: [int per series]}]
 *   spec.mode     'stacked' (default) or 'grouped'
 *   spec.format   int → text, for the value written after each bar
 */
export function barChart(spec) {
  const fig = h('figure.chart');
  const holder = h('div.chart-svg');
  const legend = spec.series.length > 1
    ? h('ul.legend', spec.series.map((se, i) => h('li', h('span.swatch', { style: `background:${se.color || PALETTE[i % PALETTE.length]}` }), se.name)))
    : null;
  fig.append(holder, legend);
  let lastWidth = 0;
  const draw = () => {
    const width = Math.max(240, Math.floor(holder.clientWidth || 600));
    if (width === lastWidth) return;
    lastWidth = width;
    holder.replaceChildren(svgFor(spec, width));
  };
  if (typeof ResizeObserver === 'function') new ResizeObserver(draw).observe(holder);
  queueMicrotask(draw);
  return fig;
}

function svgFor(spec, width) {
  const grouped = spec.mode === 'grouped';
  const n = spec.series.length;
  const fmt = spec.format || String;
  const barH = grouped ? 12 : 18;
  const rowH = 18 + (grouped ? barH * n + 2 * (n - 1) : barH) + 12;
  const valueRoom = Math.min(130, Math.floor(width * 0.34));
  const plotW = width - valueRoom - 4;
  const totals = spec.rows.map((r) => (grouped ? Math.max(0, ...r.values) : r.values.reduce((a, v) => a + Math.max(0, v), 0)));
  const max = Math.max(1, ...totals);
  const height = Math.max(rowH, spec.rows.length * rowH) + 4;
  const svg = s('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': spec.title, class: 'bars' },
    s('title', {}, spec.title));
  spec.rows.forEach((r, i) => {
    const y0 = i * rowH + 2;
    const g = s('g', { class: 'row' });
    g.append(s('text', { x: 0, y: y0 + 13, class: 'label' }, r.label));
    let x = 0;
    r.values.forEach((v, k) => {
      const w = (Math.max(0, v) / max) * plotW;
      const color = spec.series[k].color || PALETTE[k % PALETTE.length];
      const y = grouped ? y0 + 18 + k * (barH + 2) : y0 + 18;
      if (w > 0) {
        g.append(s('rect', { x: grouped ? 0 : x, y, width: Math.max(1, w), height: barH, fill: color, rx: 2 },
          s('title', {}, `${r.label} · ${spec.series[k].name}：${fmt(v)}`)));
      }
      if (grouped) g.append(s('text', { x: w + 4, y: y + barH - 2, class: 'value' }, fmt(v)));
      else x += w;
    });
    if (!grouped) g.append(s('text', { x: x + 4, y: y0 + 18 + barH - 4, class: 'value' }, fmt(totals[i])));
    svg.append(g);
  });
  if (!spec.rows.length) svg.append(s('text', { x: 0, y: 16, class: 'label' }, '暂无数据'));
  return svg;
}

/*
 * lineChart(spec) → a small SVG line chart (an indicator's values over the years), at a
 * fixed size for a table cell: the figures are in the table beside it.
 *   spec.title   accessible name
 *   spec.x0, x1  the first and last year of the axis
 *   spec.lines   [{name, points: [{x, y, status?}], dashed?, cls}] — a point with a status is
 *                drawn as a dot of that status's colour (the status word is in the table)
 */
export function lineChart(spec, width = 132, height = 44) {
  const pad = 5;
  const all = spec.lines.flatMap((l) => l.points).filter((p) => Number.isFinite(p.y));
  let lo = Math.min(...all.map((p) => p.y)), hi = Math.max(...all.map((p) => p.y));
  if (!all.length) lo = 0, hi = 1;
  if (hi === lo) { hi += Math.abs(hi) * 0.05 || 1; lo -= Math.abs(lo) * 0.05 || 1; }
  const span = Math.max(1, spec.x1 - spec.x0);
  const X = (x) => pad + ((x - spec.x0) / span) * (width - 2 * pad);
  const Y = (y) => height - pad - ((y - lo) / (hi - lo)) * (height - 2 * pad);
  const svg = s('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': spec.title, class: 'spark' });
  svg.append(s('line', { x1: pad, x2: width - pad, y1: height - pad + 2, y2: height - pad + 2, class: 'axis' }));
  for (const l of spec.lines) {
    const pts = l.points.filter((p) => Number.isFinite(p.y));
    if (pts.length > 1) {
      svg.append(s('polyline', { points: pts.map((p) => `${X(p.x).toFixed(1)},${Y(p.y).toFixed(1)}`).join(' '),
        class: l.cls, fill: 'none', 'stroke-dasharray': l.dashed ? '3 2' : null }));
    }
    for (const p of pts) {
      if (l.dashed && pts.length > 1) continue;
      svg.append(s('circle', { cx: X(p.x).toFixed(1), cy: Y(p.y).toFixed(1), r: 2.5, class: `dot ${l.cls}`, 'data-status': p.status || null }));
    }
  }
  return svg;
}
