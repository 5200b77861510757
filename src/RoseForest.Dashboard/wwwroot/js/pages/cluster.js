// Cluster mode: nodes, shards and replica states. On every server: live metrics from /metrics
// (requests per second, latency percentiles, WAL and snapshot activity), sampled every 2 s.
import { get, enc } from '../api.js';
import { h, table, num, card, bytes, clear } from '../ui.js';
import { lineChart, disposeAll } from '../charts.js';
import { parse, total, buckets, quantile } from '../metrics.js';

let timer = null;
export function dispose() { if (timer) clearInterval(timer); timer = null; disposeAll(); }

export async function render(view, params, { capabilities }) {
  if (capabilities.cluster) await clusterSection(view);
  else view.append(h('h1', {}, 'Live metrics'), h('p', { class: 'muted' }, 'A single node (not started with --cluster): its metrics, read from /metrics every 2 seconds.'));
  await metricsSection(view);
}

async function clusterSection(view) {
  const c = await get('/cluster');
  const nodes = c.roseforest?.nodes || [];
  view.append(h('h1', {}, 'Cluster'));
  view.append(h('div', { class: 'cards' },
    card('nodes', num(nodes.length || (c.peers ? Object.keys(c.peers).length : 0)), { id: 'stat-nodes' }),
    card('this peer', String(c.peer_id ?? '–')),
    card('controller', String(c.raft_info?.leader ?? '–'))));
  view.append(h('h2', {}, 'Nodes'));
  view.append(table([
    { title: 'node', value: (n) => h('code', {}, String(n.id ?? n.node_id ?? n.peer_id ?? '?')) },
    { title: 'url', narrow: true, value: (n) => n.url ?? n.uri ?? '–' },
    { title: 'up', value: (n) => (n.up ? 'up' : 'down') },
    { title: 'heartbeat age', num: true, value: (n) => (n.heartbeat_age_ms !== undefined ? `${num(n.heartbeat_age_ms)} ms` : n.heartbeat_age ?? '–') },
    { title: 'breaker', value: (n) => n.circuit ?? n.circuit_state ?? '–' },
  ], nodes, { caption: 'Nodes', id: 'nodes-table' }));
  const names = (await get('/collections')).collections.map((x) => x.name).sort();
  view.append(h('h2', {}, 'Shards and replicas'));
  const rows = [];
  for (const name of names) {
    try {
      const s = await get(`/collections/${enc(name)}/cluster`);
      for (const r of s.local_shards || []) rows.push({ name, where: 'local', ...r });
      for (const r of s.remote_shards || []) rows.push({ name, where: `peer ${r.peer_id}`, ...r });
    } catch { /* not a cluster collection */ }
  }
  view.append(table([
    { title: 'collection', value: (r) => r.name },
    { title: 'shard', num: true, value: (r) => r.shard_id },
    { title: 'replica', value: (r) => r.where },
    { title: 'state', value: (r) => r.state },
    { title: 'applied', num: true, value: (r) => num(r.roseforest_applied_seq) },
    { title: 'lag', num: true, value: (r) => (r.roseforest_last_seq !== undefined && r.roseforest_applied_seq !== undefined ? num(r.roseforest_last_seq - r.roseforest_applied_seq) : '–') },
  ], rows, { caption: 'Shard replicas', id: 'shards-table' }));
  view.append(h('h2', {}, 'This node\'s metrics'));
}

async function metricsSection(view) {
  const cards = h('div', { class: 'cards', id: 'metric-cards' });
  const grid = h('div', { class: 'grid' });
  const qpsEl = h('div', { class: 'chart panel', id: 'chart-qps', role: 'img', 'aria-label': 'Requests per second' });
  const latEl = h('div', { class: 'chart panel', id: 'chart-latency', role: 'img', 'aria-label': 'Request latency percentiles' });
  const walEl = h('div', { class: 'chart panel', id: 'chart-wal', role: 'img', 'aria-label': 'WAL bytes written per second' });
  grid.append(qpsEl, latEl, walEl);
  view.append(cards, grid);
  const history = { t: [], qps: [], p50: [], p95: [], p99: [], wal: [], writes: [] };
  let last = null;
  const charts = {};

  async function sample() {
    const text = await get('/metrics', { raw: true });
    const s = parse(text);
    const now = performance.now() / 1000;
    const current = {
      now,
      requests: total(s, 'roseforest_http_requests_total'),
      latency: buckets(s, 'roseforest_http_request_duration_seconds'),
      wal: total(s, 'roseforest_wal_bytes_written_total'),
      writes: total(s, 'roseforest_writes_total'),
      snapshots: total(s, 'roseforest_snapshot_duration_seconds_count'),
      points: total(s, 'roseforest_collection_points'),
      disk: total(s, 'roseforest_collection_bytes_on_disk'),
      faulted: total(s, 'roseforest_collection_faulted'),
    };
    clear(cards).append(
      card('requests served', num(current.requests), { id: 'stat-requests' }),
      card('writes applied', num(current.writes)),
      card('WAL written', bytes(current.wal)),
      card('snapshots taken', num(current.snapshots)),
      card('points', num(current.points)),
      card('faulted collections', num(current.faulted)));
    if (last) {
      const dt = Math.max(1e-3, now - last.now);
      history.t.push(new Date().toLocaleTimeString('en-GB'));
      history.qps.push(+((current.requests - last.requests) / dt).toFixed(2));
      const ms = (q) => { const v = quantile(q, last.latency, current.latency); return v === null ? null : +(v * 1000).toFixed(3); };
      history.p50.push(ms(0.5)); history.p95.push(ms(0.95)); history.p99.push(ms(0.99));
      history.wal.push(Math.round((current.wal - last.wal) / dt));
      for (const k of Object.keys(history)) if (history[k].length > 60) history[k].shift();
      charts.qps = lineChart(qpsEl, { title: 'requests per second', xName: 'time', x: history.t, series: [{ name: 'req/s', data: history.qps }] });
      charts.lat = lineChart(latEl, { title: 'latency percentiles (ms)', xName: 'time', x: history.t, yName: 'ms', series: [{ name: 'p50', data: history.p50 }, { name: 'p95', data: history.p95 }, { name: 'p99', data: history.p99 }] });
      charts.wal = lineChart(walEl, { title: 'WAL bytes written per second', xName: 'time', x: history.t, series: [{ name: 'bytes/s', data: history.wal }] });
      qpsEl.dataset.samples = String(history.t.length);
    } else {
      qpsEl.textContent = latEl.textContent = walEl.textContent = 'Collecting a second sample…';
    }
    last = current;
  }
  await sample();
  timer = setInterval(() => { sample().catch(() => {}); }, 2000);
}
