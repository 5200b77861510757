// Federated learning: tasks, rounds and their participants, accuracy/loss per round and the
// privacy budget (epsilon) spent, as charts.
import { get, enc } from '../api.js';
import { h, table, num, card } from '../ui.js';
import { lineChart, disposeAll } from '../charts.js';

export function dispose() { disposeAll(); }

export async function render(view, params) {
  view.append(h('h1', {}, 'Federated learning'));
  const tasks = await get('/fl/tasks');
  view.append(h('div', { class: 'cards' },
    card('tasks', num(tasks.length), { id: 'stat-tasks' }),
    card('running', num(tasks.filter((t) => t.status === 'running').length)),
    card('rounds completed', num(tasks.reduce((s, t) => s + t.rounds_completed, 0)))));
  if (!tasks.length) { view.append(h('p', { class: 'muted' }, 'No federated tasks.')); return; }
  view.append(table([
    { title: 'task', value: (t) => h('a', { href: `#/federated?task=${enc(t.task_id)}` }, t.task_id) },
    { title: 'status', value: (t) => t.status },
    { title: 'strategy', narrow: true, value: (t) => t.strategy },
    { title: 'rounds', num: true, value: (t) => `${t.rounds_completed} / ${t.rounds}` },
    { title: 'clients', num: true, value: (t) => num(t.clients) },
    { title: 'ε spent', num: true, value: (t) => (t.epsilon === null || t.epsilon === undefined ? '–' : Number(t.epsilon).toFixed(3)) },
  ], tasks, { caption: 'Federated tasks', id: 'tasks-table' }));

  const id = params.task && tasks.some((t) => t.task_id === params.task) ? params.task : tasks[0].task_id;
  const [task, history] = await Promise.all([get(`/fl/tasks/${enc(id)}`), get(`/fl/tasks/${enc(id)}/history`)]);
  const rounds = history.rounds || [];
  view.append(h('h2', {}, 'Task ', h('code', { id: 'task-id' }, id)));
  const grid = h('div', { class: 'grid' });
  const metrics = h('div', { class: 'chart panel', id: 'chart-metrics', role: 'img', 'aria-label': `Accuracy and loss over ${rounds.length} rounds` });
  const budget = h('div', { class: 'chart panel', id: 'chart-privacy', role: 'img', 'aria-label': 'Privacy budget spent per round' });
  grid.append(metrics, budget);
  view.append(grid);
  const x = rounds.map((r) => String(r.round));
  lineChart(metrics, { title: 'accuracy and loss per round', x, series: [{ name: 'accuracy', data: rounds.map((r) => r.accuracy) }, { name: 'loss', data: rounds.map((r) => r.loss) }] });
  if (rounds.some((r) => r.epsilon !== null && r.epsilon !== undefined)) lineChart(budget, { title: 'privacy budget ε spent', x, yName: 'ε', series: [{ name: 'ε', data: rounds.map((r) => r.epsilon) }] });
  else { budget.textContent = 'This task adds no differential-privacy noise: no privacy budget is spent.'; budget.removeAttribute('role'); }
  view.append(h('h2', {}, 'Rounds'));
  view.append(table([
    { title: 'round', num: true, value: (r) => r.round },
    { title: 'participants', value: (r) => (r.participants || []).join(', ') },
    { title: 'samples', num: true, value: (r) => num(r.sample_count) },
    { title: 'loss', num: true, value: (r) => Number(r.loss).toFixed(4) },
    { title: 'accuracy', num: true, value: (r) => Number(r.accuracy).toFixed(4) },
    { title: 'ε', num: true, value: (r) => (r.epsilon === null || r.epsilon === undefined ? '–' : Number(r.epsilon).toFixed(3)) },
  ], rounds, { caption: 'Rounds', id: 'rounds-table' }));
  view.append(h('details', { class: 'panel' }, h('summary', {}, 'Task definition'), h('pre', {}, JSON.stringify(task.spec, null, 2))));
}
