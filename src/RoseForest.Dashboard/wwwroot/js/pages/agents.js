// Model communication: registered models and their contracts, namespaces with grants, mailbox
// depths, shared spaces with their contributions and consensus point drawn in the disk.
import { get, post, session, enc } from '../api.js';
import { h, table, json, num, card } from '../ui.js';
import { toDisk } from '../hyperbolic.js';
import { createMap } from './map.js';

const maps = [];
export function dispose() { for (const m of maps.splice(0)) m.dispose(); }

export async function render(view) {
  view.append(h('h1', {}, 'Agents and messages'));
  const models = await get('/models');
  const mailboxes = await Promise.all(models.map(async (m) => { try { return (await get(`/mailboxes/${enc(m.id)}`)).pending; } catch { return null; } }));
  const namespaces = [...new Set(models.map((m) => m.namespace))].sort();
  const nsInfo = await Promise.all(namespaces.map(async (ns) => { try { return await get(`/namespaces/${enc(ns)}`); } catch (e) { return { name: ns, error: e.message }; } }));
  const collections = (await get('/collections')).collections.map((c) => c.name);
  const spaces = collections.filter((c) => c.startsWith('_hvs_space__')).map((c) => { const [, ns, space] = c.split('__'); return { ns, space, collection: c }; });
  const pendingTotal = mailboxes.reduce((s, x) => s + (x ?? 0), 0);

  view.append(h('div', { class: 'cards' },
    card('models', num(models.length), { id: 'stat-models' }),
    card('namespaces', num(namespaces.length)),
    card('messages waiting', num(pendingTotal), { id: 'stat-pending' }),
    card('shared spaces', num(spaces.length))));

  view.append(h('h2', {}, 'Models'));
  view.append(table([
    { title: 'id', value: (m) => h('code', {}, m.id) },
    { title: 'name', value: (m) => m.name },
    { title: 'type', narrow: true, value: (m) => m.type },
    { title: 'namespace', value: (m) => m.namespace },
    { title: 'geometry', narrow: true, value: (m) => `${m.geometry} ${m.dimension}d` },
    { title: 'capabilities', narrow: true, value: (m) => (m.capabilities || []).join(', ') },
    { title: 'contract', num: true, value: (m) => `v${m.version}` },
    { title: 'mailbox', num: true, value: (m) => num(mailboxes[models.indexOf(m)]) },
  ], models, { caption: 'Registered models', id: 'models-table' }));
  const contracts = h('details', {}, h('summary', {}, 'Contracts (JSON)'));
  for (const m of models) {
    try { const full = await get(`/models/${enc(m.id)}`); contracts.append(h('h3', {}, m.id), h('pre', {}, json(full.contract))); } catch { /* not visible to this key */ }
  }
  view.append(h('div', { class: 'panel' }, contracts));

  view.append(h('h2', {}, 'Namespaces and grants'));
  view.append(table([
    { title: 'namespace', value: (n) => h('code', {}, n.name) },
    { title: 'owner', value: (n) => n.owner ?? '–' },
    { title: 'visibility', value: (n) => n.visibility ?? n.error },
    { title: 'policy', value: (n) => n.policy ?? '–' },
    { title: 'grants', value: (n) => Object.entries(n.grants || {}).map(([model, rights]) => `${model}: ${rights.join('/')}`).join('; ') || '–' },
  ], nsInfo, { caption: 'Namespaces', id: 'namespaces-table' }));
  view.append(h('p', { class: 'muted' }, 'Messages themselves are not listed: reading a mailbox leases its messages, so the dashboard shows only how many wait.'));

  view.append(h('h2', {}, 'Shared spaces'));
  if (!spaces.length) view.append(h('p', { class: 'muted' }, 'No shared spaces.'));
  for (const s of spaces) view.append(await spacePanel(s));
}

async function spacePanel({ ns, space, collection }) {
  const panel = h('section', { class: 'panel', 'aria-label': `Space ${ns}/${space}` }, h('h3', {}, `${ns} / ${space}`));
  let def;
  try { def = await get(`/namespaces/${enc(ns)}/spaces/${enc(space)}`); } catch (e) { panel.append(h('p', { class: 'error' }, e.message)); return panel; }
  panel.append(h('p', {}, `${def.geometry}, ${def.dimension} dimensions, weighting ${def.weighting}; members: ${Object.keys(def.members || {}).join(', ') || 'none'}. `, h('a', { href: `#/map?collection=${enc(collection)}` }, 'Open on the map')));
  const scroll = await post(`/collections/${enc(collection)}/points/scroll`, { limit: 500, with_payload: true, with_vector: true });
  const points = scroll.points.filter((p) => Array.isArray(p.vector)).map((p) => ({ id: String(p.id), payload: { name: p.payload?.key ?? p.payload?.model ?? String(p.id) }, vector: p.vector }));
  let consensus = null;
  if (session.canWrite) {
    try { consensus = await post(`/namespaces/${enc(ns)}/spaces/${enc(space)}/consensus`, {}); } catch (e) { panel.append(h('p', { class: 'muted' }, `Consensus: ${e.message}`)); }
  } else panel.append(h('p', { class: 'muted' }, 'The consensus point is computed by a POST route the read-only key may not call.'));
  if (consensus?.mean?.length) {
    points.push({ id: 'consensus', payload: { name: 'consensus' }, vector: consensus.mean });
    panel.append(h('p', {}, `Consensus of ${consensus.contributors} contributors: dispersion ${Number(consensus.dispersion).toFixed(4)}, ${consensus.converged ? 'converged' : 'not converged'}.`));
  }
  if (points.length) {
    const wrap = h('div', { class: 'map-wrap' });
    panel.append(wrap);
    const { points: disk } = toDisk(points.map((p) => p.vector), def.geometry, def.curvature);
    const map = createMap(wrap, points, disk, [], `space-${ns}-${space}`);
    maps.push(map);
    if (consensus?.mean?.length) map.highlight([], 'consensus');
  }
  return panel;
}
