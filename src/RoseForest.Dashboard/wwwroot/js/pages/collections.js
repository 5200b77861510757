// Collections: counts, geometry, size, index status; create one (full key only).
import { get, put, session, enc } from '../api.js';
import { h, table, bytes, num, card, errorBox, showError, writeOnly } from '../ui.js';

export function describeVectors(config) {
  const v = config?.params?.vectors;
  if (!v) return { dimension: undefined, distance: undefined, named: [] };
  if (typeof v.size === 'number') return { dimension: v.size, distance: v.distance, named: [] };
  const named = Object.entries(v).map(([name, p]) => ({ name, size: p.size, distance: p.distance, embed: p.embed }));
  return { dimension: named[0]?.size, distance: named[0]?.distance, named };
}

export function indexStatus(info) {
  const m = info.config?.hnsw_config?.m;
  if (m === 0) return 'exact scan (no graph)';
  const indexed = info.indexed_vectors_count ?? 0;
  const points = info.points_count ?? 0;
  const q = info.config?.quantization_config ? ', int8' : '';
  return `HNSW m=${m ?? '?'}${q}, ${num(indexed)} indexed` + (points > 0 && indexed < points ? ` (${Math.round((100 * indexed) / points)}%)` : '');
}

export async function loadAll() {
  const list = await get('/collections');
  const names = list.collections.map((c) => c.name).sort();
  const infos = await Promise.all(names.map(async (name) => {
    try { return { name, info: await get(`/collections/${enc(name)}`) }; } catch (e) { return { name, error: e.message }; }
  }));
  return infos;
}

export async function render(view) {
  const showInternal = new URLSearchParams(location.hash.split('?')[1] || '').get('internal') === '1';
  const all = await loadAll();
  const rows = all.filter((c) => showInternal || !c.name.startsWith('_'));
  const totalPoints = rows.reduce((s, c) => s + (c.info?.points_count ?? 0), 0);
  const disk = rows.reduce((s, c) => s + (c.info?.roseforest?.bytes_on_disk ?? 0), 0);
  const memory = rows.reduce((s, c) => s + (c.info?.roseforest?.bytes_in_memory ?? 0), 0);
  const hidden = all.length - rows.length;

  view.append(
    h('h1', {}, 'Collections'),
    h('div', { class: 'cards' },
      card('collections', num(rows.length), { id: 'stat-collections' }),
      card('points', num(totalPoints), { id: 'stat-points' }),
      card('on disk', bytes(disk)),
      card('in memory', bytes(memory))),
  );
  const toggle = h('label', { class: 'inline' }, h('input', { type: 'checkbox', id: 'show-internal', checked: showInternal || undefined, onchange: (e) => { location.hash = e.target.checked ? '#/collections?internal=1' : '#/collections'; } }), `show internal collections (${showInternal ? 'shown' : hidden + ' hidden'}: registries, mailboxes, knowledge index)`);
  view.append(h('p', {}, toggle));
  view.append(table([
    { title: 'name', value: (c) => h('a', { href: `#/collections/${enc(c.name)}` }, c.name) },
    { title: 'points', num: true, value: (c) => num(c.info?.points_count) },
    { title: 'geometry', value: (c) => geometryLabel(c.info) },
    { title: 'dim', num: true, value: (c) => describeVectors(c.info?.config).dimension },
    { title: 'on disk', num: true, narrow: true, value: (c) => bytes(c.info?.roseforest?.bytes_on_disk) },
    { title: 'in memory', num: true, narrow: true, value: (c) => bytes(c.info?.roseforest?.bytes_in_memory) },
    { title: 'index', narrow: true, value: (c) => (c.info ? indexStatus(c.info) : '–') },
    { title: 'status', value: (c) => (c.error ? h('span', { class: 'status-red' }, c.error) : h('span', { class: c.info.status === 'green' ? 'status-green' : 'status-red' }, c.info.status)) },
  ], rows, { caption: 'Collections', id: 'collections-table' }));

  view.append(createForm());
}

export function geometryLabel(info) {
  if (!info) return '–';
  const rf = info.roseforest || {};
  const g = rf.geometry || describeVectors(info.config).distance || '?';
  return (g === 'poincare' || g === 'lorentz') && rf.curvature && rf.curvature !== 1 ? `${g} (c=${rf.curvature})` : g;
}

function createForm() {
  const error = errorBox('create-error');
  const name = h('input', { id: 'new-name', required: true, pattern: '[A-Za-z0-9_.-]+' });
  const dim = h('input', { id: 'new-dim', type: 'number', min: 1, value: 4, required: true });
  const distance = h('select', { id: 'new-distance' }, ['Cosine', 'Euclid', 'Dot', 'Manhattan', 'Poincare', 'Lorentz'].map((d) => h('option', {}, d)));
  const form = h('form', { class: 'panel', id: 'create-collection', 'aria-labelledby': 'create-title' },
    h('h2', { id: 'create-title' }, 'Create a collection'),
    h('div', { class: 'row' },
      h('div', { class: 'field' }, h('label', { for: 'new-name' }, 'name'), name),
      h('div', { class: 'field' }, h('label', { for: 'new-dim' }, 'dimension'), dim),
      h('div', { class: 'field' }, h('label', { for: 'new-distance' }, 'distance'), distance),
      h('button', { type: 'submit' }, 'Create')),
    error);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    showError(error, null);
    try {
      await put(`/collections/${enc(name.value)}`, { vectors: { size: Number(dim.value), distance: distance.value } });
      location.hash = `#/collections/${enc(name.value)}`;
    } catch (e) { showError(error, e); }
  });
  return writeOnly(form, session.canWrite);
}
