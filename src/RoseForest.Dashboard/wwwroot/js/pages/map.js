// The map: a collection drawn in the Poincaré disk (Lorentz mapped into it, flat geometries by PCA),
// with zoom, pan that recentres by a Möbius transformation, hierarchy edges, labels at a readable
// density, and a query with its results highlighted.
import { get, post, enc } from '../api.js';
import { h, clear, errorBox, showError, num } from '../ui.js';
import { describeVectors } from './collections.js';
import { toDisk, mobius, mobiusInverse, centreFor, hierarchyEdges, geodesicPath, abs2, clampToDisk } from '../hyperbolic.js';

const SVG = 'http://www.w3.org/2000/svg';
const svgEl = (tag, attrs = {}) => { const e = document.createElementNS(SVG, tag); for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); return e; };

let disposeMap = null;
export function dispose() { disposeMap?.(); disposeMap = null; }

async function loadPoints(collection, using, max) {
  const points = [];
  let offset;
  while (points.length < max) {
    const body = { limit: Math.min(1000, max - points.length), with_payload: true, with_vector: using ? [using] : true };
    if (offset !== undefined) body.offset = offset;
    const r = await post(`/collections/${enc(collection)}/points/scroll`, body);
    for (const p of r.points) {
      const v = using ? p.vector?.[using] : p.vector;
      if (Array.isArray(v) && typeof v[0] === 'number') points.push({ id: p.id, payload: p.payload, vector: v });
    }
    if (r.next_page_offset === null || r.next_page_offset === undefined) break;
    offset = r.next_page_offset;
  }
  return points;
}

export function labelOf(p) {
  const pl = p.payload || {};
  for (const k of ['name', 'title', 'label', 'text', 'memory']) if (typeof pl[k] === 'string') return pl[k].length > 28 ? pl[k].slice(0, 27) + '…' : pl[k];
  return String(p.id);
}

export async function render(view, params) {
  const list = await get('/collections');
  const all = list.collections.map((c) => c.name);
  // Internal collections (a shared space's, say) are drawn when a link names them.
  const names = all.filter((n) => !n.startsWith('_') || n === params.collection).sort();
  view.append(h('h1', {}, 'Map'));
  if (!names.length) { view.append(h('p', {}, 'No collections yet.')); return; }
  const collection = names.includes(params.collection) ? params.collection : names[0];
  const select = h('select', { id: 'map-collection', onchange: (e) => { location.hash = `#/map?collection=${enc(e.target.value)}`; } }, names.map((n) => h('option', { value: n, selected: n === collection || undefined }, n)));
  const info = await get(`/collections/${enc(collection)}`);
  const vectors = describeVectors(info.config);
  const using = vectors.named.length ? (params.using || vectors.named[0].name) : '';
  const geometry = info.roseforest?.geometry || (vectors.distance || '').toLowerCase();
  const max = Math.min(Number(params.max) || 2000, 5000);
  const status = h('p', { class: 'muted', id: 'map-status', role: 'status' }, 'Loading points…');
  const error = errorBox('map-error');
  const queryInput = h('input', { id: 'map-query', placeholder: vectors.named.some((n) => n.embed) ? 'text or point id' : 'point id', size: 28 });
  const queryForm = h('form', { class: 'row', id: 'map-query-form', 'aria-label': 'Highlight a query' },
    h('div', { class: 'field' }, h('label', { for: 'map-collection' }, 'collection'), select),
    h('div', { class: 'field' }, h('label', { for: 'map-query' }, 'query (highlights the results)'), queryInput),
    h('button', { type: 'submit' }, 'Query'),
    h('span', { class: 'row', role: 'toolbar', 'aria-label': 'Map controls' },
      h('button', { type: 'button', class: 'secondary', id: 'zoom-in', 'aria-label': 'Zoom in' }, '+'),
      h('button', { type: 'button', class: 'secondary', id: 'zoom-out', 'aria-label': 'Zoom out' }, '−'),
      h('button', { type: 'button', class: 'secondary', id: 'map-reset' }, 'Recentre')));
  const buttons = queryForm;
  const help = h('p', { class: 'muted small', id: 'map-help' }, 'Drag to bring any region to the centre (a Möbius transformation); click a point to centre it; wheel or +/− to zoom. Keyboard: focus the map, arrows pan, + and − zoom, 0 resets, Enter centres the next result.');
  const wrap = h('div', { class: 'map-wrap' });
  const legend = h('div', { class: 'map-legend' },
    h('span', {}, h('span', { class: 'dot', style: 'background:#3c5aa6' }), 'point'),
    h('span', {}, h('span', { class: 'dot', style: 'background:#d2335f' }), 'result'),
    h('span', {}, h('span', { class: 'dot', style: 'background:#0d7a55' }), 'query'));
  view.append(h('section', { class: 'panel' }, queryForm, error, help), wrap, legend, status);

  const points = await loadPoints(collection, using, max);
  const { points: disk, method } = toDisk(points.map((p) => p.vector), geometry, info.roseforest?.curvature);
  const { field, edges } = hierarchyEdges(points);
  status.textContent = `${num(points.length)} of ${num(info.points_count)} points drawn (${method})` + (field ? `; ${num(edges.length)} hierarchy edges from payload field "${field}".` : '; no hierarchy field (parent, parent_id, parents, hypernym) in the payloads.');

  const map = createMap(wrap, points, disk, edges);
  disposeMap = map.dispose;
  buttons.querySelector('#zoom-in').addEventListener('click', () => map.zoomBy(1.25));
  buttons.querySelector('#zoom-out').addEventListener('click', () => map.zoomBy(0.8));
  buttons.querySelector('#map-reset').addEventListener('click', () => map.recentre([0, 0]));

  async function runQuery(body) {
    showError(error, null);
    try {
      const r = await post(`/collections/${enc(collection)}/points/query`, body);
      const hits = (r.points || []).map((p) => String(p.id));
      const queryId = typeof body.query === 'number' || typeof body.query === 'string' ? String(body.query) : null;
      map.highlight(hits, queryId);
    } catch (e) { showError(error, e); }
  }
  queryForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const t = queryInput.value.trim();
    if (!t) { map.highlight([], null); return; }
    const body = { limit: 10, with_payload: false };
    if (/^\d+$/.test(t)) body.query = Number(t);
    else if (/^[0-9a-f-]{36}$/i.test(t)) body.query = t;
    else {
      const embed = vectors.named.find((n) => n.embed);
      if (!embed) { showError(error, 'This collection takes no text: give a point id.'); return; }
      body.query = { text: t };
      body.using = embed.name;
    }
    if (using && !body.using) body.using = using;
    runQuery(body);
  });
  if (params.query) {
    try { const body = JSON.parse(params.query); body.with_payload = false; await runQuery(body); } catch (e) { showError(error, e); }
  }
}

export function createMap(wrap, points, disk, edges, svgId = 'map-svg') {
  const svg = svgEl('svg', { role: 'application', tabindex: '0', 'aria-label': `Map of ${points.length} points`, 'aria-describedby': 'map-help', id: svgId });
  wrap.append(svg);
  const desc = h('p', { class: 'sr-only', 'aria-live': 'polite' });
  wrap.append(desc);
  let a = [0, 0];
  let zoom = 1;
  let hits = new Set();
  let queryId = null;
  let focus = -1;
  let width = 800;
  let height = 600;
  const ids = points.map((p) => String(p.id));
  const labels = points.map(labelOf);

  const toScreen = (w) => { const R = Math.min(width, height) / 2 * 0.94 * zoom; return [width / 2 + w[0] * R, height / 2 - w[1] * R]; };
  const fromScreen = (x, y) => { const R = Math.min(width, height) / 2 * 0.94 * zoom; return [(x - width / 2) / R, -(y - height / 2) / R]; };

  function draw() {
    const rect = svg.getBoundingClientRect();
    width = Math.max(200, rect.width || 800);
    height = Math.max(200, rect.height || 600);
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const R = Math.min(width, height) / 2 * 0.94 * zoom;
    svg.append(svgEl('circle', { class: 'disk', cx: width / 2, cy: height / 2, r: R }));
    const w = disk.map((z) => mobius(z, a));
    const gEdges = svgEl('g', { 'aria-hidden': 'true' });
    for (const [i, j] of edges) gEdges.append(svgEl('path', { class: 'edge', d: geodesicPath(w[i], w[j], toScreen) }));
    svg.append(gEdges);
    const gNodes = svgEl('g');
    const order = [...w.keys()].sort((i, j) => rank(j) - rank(i) || abs2(w[j]) - abs2(w[i]));
    for (const i of order) {
      const [x, y] = toScreen(w[i]);
      const size = Math.max(1.2, 6 * (1 - abs2(w[i]))) * Math.sqrt(zoom);
      const cls = ['node'];
      if (hits.has(ids[i])) cls.push('hit');
      if (queryId === ids[i]) cls.push('query');
      if (focus === i) cls.push('focus');
      const c = svgEl('circle', { class: cls.join(' '), cx: x.toFixed(1), cy: y.toFixed(1), r: (hits.has(ids[i]) || queryId === ids[i] ? size + 2 : size).toFixed(2), 'data-id': ids[i], 'data-index': i });
      const t = svgEl('title'); t.textContent = `${labels[i]} (id ${ids[i]})`; c.append(t);
      gNodes.append(c);
    }
    svg.append(gNodes);
    // Labels: highlighted points first, then from the centre outwards; a label is drawn only where it overlaps none already drawn.
    const taken = [];
    const gLabels = svgEl('g', { 'aria-hidden': 'true' });
    const budget = Math.round((width * height) / 9000);
    const byPriority = [...w.keys()].sort((i, j) => rank(j) - rank(i) || abs2(w[i]) - abs2(w[j]));
    let placed = 0;
    for (const i of byPriority) {
      if (placed >= budget) break;
      const [x, y] = toScreen(w[i]);
      if (x < 0 || y < 0 || x > width || y > height) continue;
      if (rank(i) === 0 && 1 - abs2(w[i]) < 0.03 / zoom) continue; // points this close to the rim are too small to name
      const box = [x + 5, y - 12, x + 7 + labels[i].length * 6.3, y + 2];
      if (taken.some((b) => !(box[2] < b[0] || box[0] > b[2] || box[3] < b[1] || box[1] > b[3]))) continue;
      taken.push(box);
      const text = svgEl('text', { x: (x + 6).toFixed(1), y: (y - 2).toFixed(1) });
      text.textContent = labels[i];
      gLabels.append(text);
      placed++;
    }
    svg.append(gLabels);
    svg.dataset.nodes = String(points.length);
    svg.dataset.edges = String(edges.length);
    svg.dataset.labels = String(placed);
    svg.dataset.center = `${a[0].toFixed(4)},${a[1].toFixed(4)}`;
    svg.dataset.zoom = zoom.toFixed(3);
    svg.dataset.hits = String(hits.size);
  }
  const rank = (i) => (queryId === ids[i] ? 2 : hits.has(ids[i]) ? 1 : 0);

  function recentre(z, animate = true) {
    const start = a;
    const target = clampToDisk(z, 0.9999);
    if (!animate || matchMedia('(prefers-reduced-motion: reduce)').matches) { a = target; draw(); return; }
    const w0 = mobius(target, start);
    let step = 0;
    const steps = 12;
    const tick = () => {
      step++;
      const t = step / steps;
      const nextA = centreFor(target, [w0[0] * (1 - t), w0[1] * (1 - t)]);
      if (nextA) a = nextA;
      if (step >= steps) a = target;
      draw();
      if (step < steps) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }

  function pointer(ev) { const r = svg.getBoundingClientRect(); return fromScreen((ev.clientX - r.left) * (width / r.width), (ev.clientY - r.top) * (height / r.height)); }
  let drag = null;
  svg.addEventListener('pointerdown', (ev) => {
    const w = pointer(ev);
    if (abs2(w) >= 0.98) return;
    drag = { z: mobiusInverse(w, a), moved: false, x: ev.clientX, y: ev.clientY, target: ev.target };
    try { svg.setPointerCapture(ev.pointerId); } catch { /* a synthetic pointer: nothing to capture */ }
  });
  svg.addEventListener('pointermove', (ev) => {
    if (!drag) return;
    if (Math.hypot(ev.clientX - drag.x, ev.clientY - drag.y) > 3) drag.moved = true;
    if (!drag.moved) return;
    const w = clampToDisk(pointer(ev), 0.97);
    const next = centreFor(drag.z, w);
    if (next) { a = next; draw(); }
  });
  svg.addEventListener('pointerup', () => {
    if (drag && !drag.moved && drag.target?.dataset?.index !== undefined) {
      const i = Number(drag.target.dataset.index);
      focus = i;
      desc.textContent = `Centred on ${labels[i]} (id ${ids[i]}).`;
      recentre(disk[i]);
    }
    drag = null;
  });
  svg.addEventListener('wheel', (ev) => { ev.preventDefault(); zoomBy(ev.deltaY < 0 ? 1.15 : 1 / 1.15); }, { passive: false });
  svg.addEventListener('keydown', (ev) => {
    const step = 0.15;
    // An arrow brings the region that way to the centre: the point drawn at d becomes the new centre.
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (moves[ev.key]) {
      ev.preventDefault();
      a = clampToDisk(mobiusInverse(moves[ev.key], a), 0.9999);
      draw();
    } else if (ev.key === '+' || ev.key === '=') { zoomBy(1.25); ev.preventDefault(); }
    else if (ev.key === '-' || ev.key === '_') { zoomBy(0.8); ev.preventDefault(); }
    else if (ev.key === '0') { zoom = 1; recentre([0, 0], false); ev.preventDefault(); }
    else if (ev.key === 'Enter') {
      const list = [...hits].map((id) => ids.indexOf(id)).filter((i) => i >= 0);
      if (list.length) { const k = (list.indexOf(focus) + 1) % list.length; focus = list[k]; desc.textContent = `Result ${k + 1}: ${labels[focus]} (id ${ids[focus]}).`; recentre(disk[focus], false); }
      ev.preventDefault();
    }
  });
  function zoomBy(f) { zoom = Math.min(8, Math.max(0.5, zoom * f)); draw(); }
  const resize = new ResizeObserver(() => draw());
  resize.observe(svg);
  draw();

  return {
    zoomBy,
    recentre: (z) => recentre(z),
    highlight(hitIds, qid) {
      hits = new Set(hitIds);
      queryId = qid;
      const first = qid !== null && ids.includes(qid) ? ids.indexOf(qid) : hitIds.length ? ids.indexOf(hitIds[0]) : -1;
      if (first >= 0) { focus = first; recentre(disk[first], false); } else draw();
      desc.textContent = hitIds.length ? `${hitIds.length} results highlighted.` : '';
    },
    dispose() { resize.disconnect(); },
  };
}
