// The dashboard's shell: sign-in, which pages this server has, and the hash router.
import { session, get, answers, ApiError } from './api.js';
import { h, clear, showError } from './ui.js';
import * as collections from './pages/collections.js';
import * as collection from './pages/collection.js';
import * as search from './pages/search.js';
import * as map from './pages/map.js';
import * as agents from './pages/agents.js';
import * as knowledge from './pages/knowledge.js';
import * as federated from './pages/federated.js';
import * as cluster from './pages/cluster.js';

const pages = { collections, collection, search, map, agents, knowledge, federated, cluster };
const view = document.getElementById('view');
const capabilities = { models: false, knowledge: false, federated: false, cluster: false };
let current = null;

async function signIn() {
  try {
    const a = await get('/dashboard/access');
    session.access = a.access;
  } catch (e) {
    session.access = 'none';
    if (e instanceof ApiError && e.status === 401) return false;
    throw e;
  }
  const badge = document.getElementById('access-badge');
  badge.textContent = session.access === 'read-only' ? 'read-only key' : 'full access';
  document.body.dataset.access = session.access;
  return true;
}

async function probe() {
  const [models, know, fl, cl] = await Promise.all([answers('/models'), answers('/knowledge?limit=1'), answers('/fl/tasks'), answers('/cluster')]);
  Object.assign(capabilities, { models, knowledge: know, federated: fl, cluster: cl });
  for (const li of document.querySelectorAll('#nav li[data-needs]')) li.hidden = !capabilities[li.dataset.needs];
  document.getElementById('nav-cluster').textContent = cl ? 'Cluster' : 'Metrics';
}

function askForKey(message) {
  const dialog = document.getElementById('key-dialog');
  const error = document.getElementById('key-error');
  error.textContent = message || '';
  if (!dialog.open) dialog.showModal();
  document.getElementById('key-input').focus();
}

async function route() {
  if (session.access === 'none' || session.access === 'unknown') return;
  const hash = location.hash.replace(/^#\/?/, '') || 'collections';
  const [path, queryString] = hash.split('?');
  const parts = path.split('/').map(decodeURIComponent);
  let name = parts[0];
  const params = Object.fromEntries(new URLSearchParams(queryString || ''));
  if (name === 'collections' && parts[1]) { name = 'collection'; params.name = parts[1]; }
  const page = pages[name] || collections;
  for (const a of document.querySelectorAll('#nav a')) {
    const active = a.dataset.page === (name === 'collection' ? 'collections' : name);
    if (active) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  current?.dispose?.();
  current = page;
  clear(view);
  document.body.dataset.page = name;
  view.dataset.ready = 'false';
  try {
    await page.render(view, params, { capabilities });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) { session.access = 'none'; askForKey('The server refused the key.'); return; }
    const box = h('p', { class: 'error', role: 'alert' });
    showError(box, e);
    view.append(box);
  } finally {
    view.dataset.ready = 'true';
  }
}

async function start() {
  document.getElementById('key-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    session.key = document.getElementById('key-input').value.trim();
    if (await signIn()) {
      document.getElementById('key-dialog').close();
      await probe();
      await route();
    } else {
      askForKey('That key is not one of this server\'s keys.');
    }
  });
  document.getElementById('key-button').addEventListener('click', () => askForKey(''));
  window.addEventListener('hashchange', route);
  if (await signIn()) {
    await probe();
    await route();
  } else {
    askForKey(session.key ? 'The saved key no longer works.' : '');
  }
}

start().catch((e) => { view.append(h('p', { class: 'error', role: 'alert' }, e.message || String(e))); });
