// One collection: config, payload schema and indexes, aliases, snapshots, and a points browser
// with Qdrant's filter JSON (the server's validation message is shown as it is).
import { get, post, put, del, session, enc } from '../api.js';
import { h, clear, table, bytes, num, card, json, errorBox, showError, writeOnly } from '../ui.js';
import { describeVectors, indexStatus, geometryLabel } from './collections.js';

export async function render(view, params) {
  const name = params.name;
  const base = `/collections/${enc(name)}`;
  const info = await get(base);
  const rf = info.roseforest || {};
  const vectors = describeVectors(info.config);
  view.append(
    h('h1', {}, 'Collection ', h('code', { id: 'collection-name' }, name)),
    h('p', {}, h('a', { href: `#/search?collection=${enc(name)}` }, 'Search it'), ' · ', h('a', { href: `#/map?collection=${enc(name)}` }, 'Map it'), ' · ', h('a', { href: '#/collections' }, 'All collections')),
    h('div', { class: 'cards' },
      card('points', num(info.points_count), { id: 'stat-points' }),
      card('geometry', geometryLabel(info)),
      card('dimension', vectors.dimension ?? '–'),
      card('on disk', bytes(rf.bytes_on_disk)),
      card('in memory', bytes(rf.bytes_in_memory)),
      card('status', h('span', { class: info.status === 'green' ? 'status-green' : 'status-red' }, info.status))),
  );
  if (rf.fault) view.append(h('p', { class: 'error', role: 'alert' }, `Faulted: ${rf.fault}`));

  const grid = h('div', { class: 'grid' });
  grid.append(h('section', { class: 'panel', 'aria-labelledby': 'config-title' },
    h('h2', { id: 'config-title' }, 'Configuration'),
    h('p', {}, `Index: ${indexStatus(info)}. Durability: ${rf.durability ?? '–'}. Last LSN: ${num(rf.last_lsn)}.`),
    vectors.named.length ? h('p', {}, 'Named vectors: ', vectors.named.map((v) => h('span', { class: 'pill' }, `${v.name} ${v.size}d ${v.distance}${v.embed ? ' · text: ' + v.embed.model : ''}`))) : null,
    h('pre', { id: 'config-json', tabindex: 0 }, json(info.config))));
  grid.append(indexesPanel(name, info.payload_schema || {}));
  view.append(grid);

  const side = h('div', { class: 'grid' });
  side.append(await aliasesPanel(name), await snapshotsPanel(name));
  view.append(side);
  view.append(await optimizerPanel(name));
  view.append(pointsBrowser(name));
}

function indexesPanel(name, schema) {
  const panel = h('section', { class: 'panel', 'aria-labelledby': 'schema-title' }, h('h2', { id: 'schema-title' }, 'Payload schema and indexes'));
  const entries = Object.entries(schema);
  if (entries.length === 0) panel.append(h('p', { class: 'muted' }, 'No payload indexes.'));
  else {
    panel.append(table([
      { title: 'field', value: ([f]) => h('code', {}, f) },
      { title: 'type', value: ([, s]) => s.data_type },
      { title: 'points', num: true, value: ([, s]) => num(s.points) },
      { title: '', value: ([f]) => writeOnly(h('button', { type: 'button', class: 'secondary', 'aria-label': `Delete index ${f}`, onclick: () => dropIndex(name, f) }, 'Delete'), session.canWrite) },
    ], entries, { caption: 'Payload indexes', id: 'indexes-table' }));
  }
  const error = errorBox('index-error');
  const field = h('input', { id: 'index-field', placeholder: 'e.g. category' });
  const type = h('select', { id: 'index-type' }, ['keyword', 'integer', 'float', 'bool', 'datetime', 'uuid', 'text', 'geo'].map((t) => h('option', {}, t)));
  const form = h('form', { id: 'index-form' },
    h('div', { class: 'row' },
      h('div', { class: 'field' }, h('label', { for: 'index-field' }, 'field'), field),
      h('div', { class: 'field' }, h('label', { for: 'index-type' }, 'type'), type),
      h('button', { type: 'submit' }, 'Create index')), error);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try { await put(`/collections/${enc(name)}/index?wait=true`, { field_name: field.value, field_schema: type.value }); location.reload(); } catch (e) { showError(error, e); }
  });
  panel.append(writeOnly(form, session.canWrite));
  return panel;
}

async function dropIndex(name, field) {
  if (!confirm(`Delete the payload index on ${field}?`)) return;
  await del(`/collections/${enc(name)}/index/${enc(field)}?wait=true`);
  location.reload();
}

async function aliasesPanel(name) {
  const panel = h('section', { class: 'panel', 'aria-labelledby': 'aliases-title' }, h('h2', { id: 'aliases-title' }, 'Aliases'));
  try {
    const r = await get(`/collections/${enc(name)}/aliases`);
    const list = r.aliases || [];
    panel.append(list.length ? h('ul', {}, list.map((a) => h('li', {}, h('code', {}, a.alias_name)))) : h('p', { class: 'muted' }, 'No aliases.'));
  } catch (e) { panel.append(h('p', { class: 'error' }, e.message)); }
  return panel;
}

async function snapshotsPanel(name) {
  const panel = h('section', { class: 'panel', 'aria-labelledby': 'snapshots-title' }, h('h2', { id: 'snapshots-title' }, 'Snapshots'));
  const error = errorBox('snapshot-error');
  try {
    const list = await get(`/collections/${enc(name)}/snapshots`);
    panel.append(list.length ? table([
      { title: 'name', value: (s) => h('code', {}, s.name) },
      { title: 'size', num: true, value: (s) => bytes(s.size) },
      { title: 'created', narrow: true, value: (s) => s.creation_time ?? '–' },
    ], list, { caption: 'Snapshots', id: 'snapshots-table' }) : h('p', { class: 'muted', id: 'no-snapshots' }, 'No snapshots.'));
  } catch (e) { panel.append(h('p', { class: 'muted' }, e.message)); }
  const button = h('button', { type: 'button', id: 'create-snapshot', onclick: async () => {
    try { await post(`/collections/${enc(name)}/snapshots?wait=true`); location.reload(); } catch (e) { showError(error, e); }
  } }, 'Create snapshot');
  panel.append(writeOnly(h('div', {}, button), session.canWrite), error);
  return panel;
}

// The self-organizing index (issue 19): the controller's settings, the last telemetry, what the
// detectors found and the actions it took. A collection without an HNSW-indexed dense vector has
// none, and the server's message says so.
async function optimizerPanel(name) {
  const panel = h('section', { class: 'panel', 'aria-labelledby': 'optimizer-title' }, h('h2', { id: 'optimizer-title' }, 'Self-organizing index'));
  let r;
  try { r = await get(`/collections/${enc(name)}/optimizer`); } catch (e) {
    panel.append(h('p', { class: 'muted', id: 'optimizer-none' }, e.message));
    return panel;
  }
  const s = r.settings || {};
  const t = r.telemetry || {};
  const fixed = (v, d = 3) => (v === undefined || v === null ? '–' : Number(v).toFixed(d));
  const recall = t.recall ? `${fixed(t.recall.estimate)} (95%: ${fixed(t.recall.low)}–${fixed(t.recall.high)}, ${num(t.recall.samples)} samples)` : 'no samples yet';
  panel.append(
    h('p', { id: 'optimizer-status' }, `Controller ${s.enabled ? 'on' : 'off'}${s.target_recall ? `, target recall@10 ${s.target_recall}` : ''}. Passes: ${num(r.passes)}.`),
    h('div', { class: 'cards' },
      card('default ef', num(t.default_ef)),
      card('recall@10 estimate', recall, { id: 'optimizer-recall' }),
      card('latency p95', `${fixed(t.latency_p95_ms, 2)} ms`),
      card('unreachable nodes', num(t.unreachable), { id: 'optimizer-unreachable' }),
      card('tombstones', t.tombstone_fraction === undefined ? '–' : `${(100 * t.tombstone_fraction).toFixed(1)}%`)));
  const findings = r.findings || [];
  panel.append(findings.length
    ? h('ul', { id: 'optimizer-findings' }, findings.map((f) => h('li', {}, h('code', {}, f.detector), ` ${fixed(f.value)} (threshold ${fixed(f.threshold)}): ${f.detail}`)))
    : h('p', { class: 'muted', id: 'optimizer-findings' }, 'No detector fired at the last pass.'));
  const history = (r.history || []).slice().reverse();
  panel.append(history.length ? table([
    { title: 'time', narrow: true, value: (a) => a.time },
    { title: 'action', value: (a) => h('code', {}, a.action) },
    { title: 'reason', value: (a) => a.reason },
    { title: 'ms', num: true, value: (a) => fixed(a.duration_ms, 1) },
  ], history, { caption: 'Optimizer actions, newest first', id: 'optimizer-history' }) : h('p', { class: 'muted', id: 'optimizer-history-empty' }, 'No actions yet.'));
  const error = errorBox('optimizer-error');
  const run = h('button', { type: 'button', id: 'optimizer-run', class: 'secondary', onclick: async () => {
    try { await post(`/collections/${enc(name)}/optimizer/run`, {}); location.reload(); } catch (e) { showError(error, e); }
  } }, 'Run a controller pass now');
  panel.append(writeOnly(h('div', {}, run), session.canWrite), error);
  return panel;
}

function pointsBrowser(name) {
  const pageSize = 20;
  const offsets = [null];
  let page = 0;
  const error = errorBox('filter-error');
  const filter = h('textarea', { id: 'points-filter', class: 'code', rows: 4, spellcheck: 'false', placeholder: '{"must": [{"key": "category", "match": {"value": "a"}}]}' });
  const results = h('div', { id: 'points-results' });
  const pager = h('p', { class: 'row' });
  const status = h('p', { class: 'muted', id: 'points-status', role: 'status' });

  async function load() {
    showError(error, null);
    const body = { limit: pageSize, with_payload: true, with_vector: false };
    if (offsets[page] !== null) body.offset = offsets[page];
    const text = filter.value.trim();
    if (text) {
      try { body.filter = JSON.parse(text); } catch (e) { showError(error, `Filter is not JSON: ${e.message}`); return; }
    }
    try {
      const r = await post(`/collections/${enc(name)}/points/scroll`, body);
      offsets[page + 1] = r.next_page_offset ?? undefined;
      clear(results).append(table([
        { title: 'id', value: (p) => h('code', {}, String(p.id)) },
        { title: 'payload', value: (p) => h('pre', {}, json(p.payload ?? {})) },
      ], r.points, { caption: 'Points', id: 'points-table' }));
      status.textContent = `Page ${page + 1}: ${r.points.length} point${r.points.length === 1 ? '' : 's'}${r.next_page_offset !== null && r.next_page_offset !== undefined ? ', more after' : ''}.`;
      prev.disabled = page === 0;
      next.disabled = r.next_page_offset === null || r.next_page_offset === undefined;
    } catch (e) { clear(results); status.textContent = ''; showError(error, e); }
  }
  const prev = h('button', { type: 'button', class: 'secondary', id: 'points-prev', onclick: () => { page--; load(); } }, 'Previous page');
  const next = h('button', { type: 'button', class: 'secondary', id: 'points-next', onclick: () => { page++; load(); } }, 'Next page');
  pager.append(prev, next);
  const form = h('form', { id: 'points-form' },
    h('label', { for: 'points-filter' }, 'Filter (Qdrant filter JSON; empty for all points)'), filter,
    h('div', { class: 'row' }, h('button', { type: 'submit', id: 'points-apply' }, 'Apply filter')), error);
  form.addEventListener('submit', (ev) => { ev.preventDefault(); page = 0; offsets.length = 1; load(); });
  const section = h('section', { class: 'panel', 'aria-labelledby': 'points-title' }, h('h2', { id: 'points-title' }, 'Points'), form, status, results, pager);
  load();
  return section;
}
