// The search playground: a query by text (embedded by the server), by vector or by point id, with
// a filter and params; results with scores; the same query as curl, C# and JavaScript.
import { get, post, session, enc } from '../api.js';
import { h, clear, table, json, errorBox, showError } from '../ui.js';
import { describeVectors } from './collections.js';
import { curl, csharp, javascript } from '../snippets.js';

export function buildQuery(form) {
  const body = {};
  const mode = form.mode;
  if (mode === 'text') {
    if (!form.text.trim()) throw new Error('Type a text to search for.');
    body.query = { text: form.text.trim() };
    if (form.model) body.query.model = form.model;
  } else if (mode === 'vector') {
    let v;
    try { v = JSON.parse(form.vector); } catch (e) { throw new Error(`Vector is not JSON: ${e.message}`); }
    body.query = v;
  } else if (mode === 'id') {
    const id = form.id.trim();
    body.query = /^\d+$/.test(id) ? Number(id) : id;
  }
  if (form.using) body.using = form.using;
  if (form.filter.trim()) {
    try { body.filter = JSON.parse(form.filter); } catch (e) { throw new Error(`Filter is not JSON: ${e.message}`); }
  }
  body.limit = Number(form.limit) || 10;
  const params = {};
  if (form.ef) params.hnsw_ef = Number(form.ef);
  if (form.exact) params.exact = true;
  if (Object.keys(params).length) body.params = params;
  if (form.threshold !== '') body.score_threshold = Number(form.threshold);
  body.with_payload = true;
  return body;
}

export async function render(view, params) {
  const list = await get('/collections');
  const names = list.collections.map((c) => c.name).filter((n) => !n.startsWith('_')).sort();
  view.append(h('h1', {}, 'Search playground'));
  if (names.length === 0) { view.append(h('p', {}, 'No collections yet.')); return; }

  const el = {
    collection: h('select', { id: 'q-collection' }, names.map((n) => h('option', { value: n, selected: n === params.collection || undefined }, n))),
    mode: h('select', { id: 'q-mode' }, [['text', 'text (embedded by the server)'], ['vector', 'vector'], ['id', 'point id']].map(([v, t]) => h('option', { value: v }, t))),
    text: h('input', { id: 'q-text', placeholder: 'what to look for', size: 40 }),
    vector: h('input', { id: 'q-vector', placeholder: '[0.1, 0.2, 0.3, 0.4]', size: 40 }),
    id: h('input', { id: 'q-id', placeholder: '42 or a UUID', size: 20 }),
    using: h('select', { id: 'q-using' }),
    filter: h('textarea', { id: 'q-filter', class: 'code', rows: 4, spellcheck: 'false', placeholder: '{"must": [{"key": "category", "match": {"value": "a"}}]}' }),
    limit: h('input', { id: 'q-limit', type: 'number', min: 1, max: 10000, value: 10 }),
    ef: h('input', { id: 'q-ef', type: 'number', min: 1, placeholder: 'default' }),
    threshold: h('input', { id: 'q-threshold', type: 'number', step: 'any', placeholder: 'none' }),
    exact: h('input', { id: 'q-exact', type: 'checkbox' }),
  };
  const error = errorBox('query-error');
  const results = h('div', { id: 'query-results', 'aria-live': 'polite' });
  const code = h('pre', { id: 'query-code', tabindex: 0, hidden: true });
  const info = h('p', { class: 'muted', id: 'q-info' });

  const fieldFor = { text: h('div', { class: 'field' }, h('label', { for: 'q-text' }, 'text'), el.text), vector: h('div', { class: 'field' }, h('label', { for: 'q-vector' }, 'vector (JSON array)'), el.vector), id: h('div', { class: 'field' }, h('label', { for: 'q-id' }, 'point id'), el.id) };
  const modeFields = h('div', { class: 'row' }, Object.values(fieldFor));
  function showMode() { for (const [m, f] of Object.entries(fieldFor)) f.hidden = m !== el.mode.value; }
  el.mode.addEventListener('change', showMode);

  async function describe() {
    const c = await get(`/collections/${enc(el.collection.value)}`);
    const v = describeVectors(c.config);
    clear(el.using);
    if (v.named.length) for (const n of v.named) el.using.append(h('option', { value: n.name }, `${n.name} (${n.size}d${n.embed ? ', text' : ''})`));
    else el.using.append(h('option', { value: '' }, '(the unnamed vector)'));
    const embeds = v.named.filter((n) => n.embed);
    info.textContent = `${c.roseforest?.geometry ?? v.distance}, ${v.dimension} dimensions. ` + (embeds.length ? `Text search through ${embeds.map((n) => `${n.name} → ${n.embed.model}`).join(', ')}.` : 'No vector takes text here: search by vector or point id.');
    el.mode.value = params.mode || (embeds.length ? 'text' : 'id');
    if (embeds.length) el.using.value = embeds[0].name;
    showMode();
  }
  el.collection.addEventListener('change', describe);
  await describe();
  if (params.text) el.text.value = params.text;

  function formValues() {
    return { mode: el.mode.value, text: el.text.value, vector: el.vector.value, id: el.id.value, using: el.using.value, filter: el.filter.value, limit: el.limit.value, ef: el.ef.value, exact: el.exact.checked, threshold: el.threshold.value };
  }

  let lastBody = null;
  async function run() {
    showError(error, null);
    clear(results);
    let body;
    try { body = buildQuery(formValues()); } catch (e) { showError(error, e); return; }
    lastBody = body;
    try {
      const r = await post(`/collections/${enc(el.collection.value)}/points/query`, body);
      const points = r.points || [];
      results.append(h('p', { role: 'status', id: 'query-count' }, `${points.length} result${points.length === 1 ? '' : 's'}`));
      results.append(table([
        { title: '#', num: true, value: (p) => String(points.indexOf(p) + 1) },
        { title: 'id', value: (p) => h('code', {}, String(p.id)) },
        { title: 'score', num: true, value: (p) => (p.score === undefined ? '–' : p.score.toFixed(4)) },
        { title: 'payload', value: (p) => h('pre', {}, json(p.payload ?? {})) },
      ], points, { caption: 'Results', id: 'results-table' }));
      results.append(h('p', {}, h('a', { href: `#/map?collection=${enc(el.collection.value)}&query=${enc(JSON.stringify(body))}` }, 'Show the query and its results on the map')));
    } catch (e) { showError(error, e); }
  }

  function show(kind) {
    let body;
    try { body = lastBody ?? buildQuery(formValues()); } catch (e) { showError(error, e); return; }
    const origin = location.origin;
    const withKey = !!session.key;
    code.textContent = kind === 'curl' ? curl(origin, el.collection.value, body, withKey) : kind === 'cs' ? csharp(origin, el.collection.value, body, withKey) : javascript(origin, el.collection.value, body, withKey);
    code.hidden = false;
    code.dataset.kind = kind;
    for (const b of codeButtons) b.setAttribute('aria-pressed', String(b.dataset.kind === kind));
  }
  const codeButtons = [['curl', 'curl'], ['cs', 'C# (Qdrant.Client)'], ['js', 'JavaScript (@qdrant/js-client-rest)']].map(([k, t]) => h('button', { type: 'button', class: 'secondary', id: `code-${k}`, dataset: { kind: k }, 'aria-pressed': 'false', onclick: () => { lastBody = null; show(k); } }, t));

  const form = h('form', { class: 'panel', id: 'query-form', 'aria-label': 'Query' },
    h('div', { class: 'row' },
      h('div', { class: 'field' }, h('label', { for: 'q-collection' }, 'collection'), el.collection),
      h('div', { class: 'field' }, h('label', { for: 'q-mode' }, 'query by'), el.mode),
      h('div', { class: 'field' }, h('label', { for: 'q-using' }, 'vector'), el.using)),
    info, modeFields,
    h('label', { for: 'q-filter' }, 'filter (Qdrant filter JSON, optional)'), el.filter,
    h('div', { class: 'row' },
      h('div', { class: 'field' }, h('label', { for: 'q-limit' }, 'limit'), el.limit),
      h('div', { class: 'field' }, h('label', { for: 'q-ef' }, 'hnsw_ef'), el.ef),
      h('div', { class: 'field' }, h('label', { for: 'q-threshold' }, 'score threshold'), el.threshold),
      h('label', { class: 'inline' }, el.exact, 'exact'),
      h('button', { type: 'submit', id: 'q-run' }, 'Search')),
    error);
  form.addEventListener('submit', (ev) => { ev.preventDefault(); run(); });
  view.append(form, results, h('section', { class: 'panel', 'aria-labelledby': 'code-title' }, h('h2', { id: 'code-title' }, 'The same query in code'), h('div', { class: 'row' }, codeButtons), h('div', { style: 'margin-top:.5rem' }, code)));
}
