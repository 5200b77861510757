// Small DOM helpers shared by the pages.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); return el; }

export function bytes(n) {
  if (n === undefined || n === null) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0; let v = Number(n);
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

export const num = (n) => (n === undefined || n === null ? '–' : Number(n).toLocaleString('en-US'));

export function json(value) { return JSON.stringify(value, null, 2); }

export function table(columns, rows, { caption, id } = {}) {
  const t = h('table', { id });
  if (caption) t.append(h('caption', { class: 'sr-only' }, caption));
  t.append(h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : c.narrow ? 'hide-narrow' : undefined }, c.title)))));
  const body = h('tbody');
  for (const r of rows) {
    body.append(h('tr', {}, columns.map((c) => {
      const v = c.value(r);
      return h('td', { class: c.num ? 'num' : c.narrow ? 'hide-narrow' : undefined }, v instanceof Node ? v : String(v ?? '–'));
    })));
  }
  t.append(body);
  return h('div', { class: 'table-wrap' }, t);
}

export function card(label, value, attrs = {}) {
  return h('div', { class: 'card', ...attrs }, h('div', { class: 'v' }, value), h('div', { class: 'k' }, label));
}

export function errorBox(id) { return h('p', { class: 'error', role: 'alert', id }); }

export function showError(el, e) { el.textContent = e ? (e.message || String(e)) : ''; }

// A write control: hidden entirely for the read-only key (the server refuses anyway).
export function writeOnly(el, canWrite) {
  if (!canWrite) { el.hidden = true; el.setAttribute('aria-hidden', 'true'); el.querySelectorAll?.('button,input,select,textarea').forEach((c) => { c.disabled = true; }); if (el.matches?.('button')) el.disabled = true; }
  el.dataset.write = 'true';
  return el;
}

export function loading(view, text = 'Loading…') { clear(view).append(h('p', { class: 'muted' }, text)); }
