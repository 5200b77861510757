// Knowledge packages with their trust score and votes; sync jobs with lag and conflicts.
import { get } from '../api.js';
import { h, table, num, card } from '../ui.js';

export async function render(view) {
  view.append(h('h1', {}, 'Knowledge and sync'));
  const [list, jobs, node] = await Promise.all([
    get('/knowledge?limit=200'),
    get('/sync/jobs').catch(() => ({ jobs: [] })),
    get('/sync/node').catch(() => null),
  ]);
  const packages = list.results || [];
  const conflicts = (jobs.jobs || []).reduce((s, j) => s + (j.conflict_count ?? 0), 0);
  view.append(h('div', { class: 'cards' },
    card('packages', num(packages.length), { id: 'stat-packages' }),
    card('sync jobs', num((jobs.jobs || []).length), { id: 'stat-jobs' }),
    card('conflicts (last runs)', num(conflicts)),
    card('node', node?.node_id ?? '–')));

  view.append(h('h2', {}, 'Knowledge packages'), h('p', { class: 'muted' }, 'Best trust score first.'));
  view.append(packages.length ? table([
    { title: 'id', value: (p) => h('code', {}, p.knowledge_id) },
    { title: 'text', value: (p) => (p.content?.text ?? '').slice(0, 140) },
    { title: 'domain', narrow: true, value: (p) => p.metadata?.domain ?? '–' },
    { title: 'author', narrow: true, value: (p) => p.content?.generated_by ?? '–' },
    { title: 'score', num: true, value: (p) => (p.trust?.score === undefined ? '–' : Number(p.trust.score).toFixed(3)) },
    { title: 'votes', num: true, value: (p) => `▲${p.trust?.votes?.upvotes ?? 0} ▼${p.trust?.votes?.downvotes ?? 0}` },
  ], packages, { caption: 'Knowledge packages', id: 'knowledge-table' }) : h('p', { class: 'muted' }, 'No knowledge packages.'));

  view.append(h('h2', {}, 'Sync jobs'));
  view.append((jobs.jobs || []).length ? table([
    { title: 'id', value: (j) => h('code', {}, j.id) },
    { title: 'remote', value: (j) => j.remote },
    { title: 'mode', narrow: true, value: (j) => `${j.mode}, ${j.direction}${j.continuous ? ', continuous' : ''}` },
    { title: 'state', value: (j) => j.state },
    { title: 'lag', num: true, value: (j) => num(j.lag) },
    { title: 'conflicts', num: true, value: (j) => num(j.conflict_count) },
    { title: 'runs', num: true, narrow: true, value: (j) => num(j.sync_version) },
    { title: 'last error', narrow: true, value: (j) => j.last_error ?? '–' },
  ], jobs.jobs, { caption: 'Sync jobs', id: 'jobs-table' }) : h('p', { class: 'muted' }, 'No sync jobs.'));
}
