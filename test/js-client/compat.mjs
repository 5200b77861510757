// Runs Qdrant's official JavaScript client (@qdrant/js-client-rest 1.19) against a RoseForest
// server: collections, upserts with payloads, queries with and without filters, scroll, count,
// payload edits, payload indexes, deletes and snapshots. Usage: node compat.mjs URL [API_KEY]
import assert from 'node:assert/strict';
import { QdrantClient } from '@qdrant/js-client-rest';

const [url, apiKey] = process.argv.slice(2);
const warnings = [];
const originalWarn = console.warn;
console.warn = (...args) => { warnings.push(args.join(' ')); };

const client = new QdrantClient({ url, apiKey, https: false, checkCompatibility: true });
const name = 'js_compat';

const version = await client.versionInfo();
assert.match(version.version, /^1\.19\./);

assert.equal(await client.createCollection(name, { vectors: { size: 4, distance: 'Cosine' }, hnsw_config: { m: 8, ef_construct: 64 } }), true);
assert.deepEqual(await client.collectionExists(name), { exists: true });
const info = await client.getCollection(name);
assert.equal(info.config.params.vectors.size, 4);
assert.equal(info.config.params.vectors.distance, 'Cosine');
assert.ok((await client.getCollections()).collections.some(c => c.name === name));

const upsert = await client.upsert(name, {
  points: [
    { id: 1, vector: [0.9, 0.1, 0, 0], payload: { city: 'London', price: 10, tags: ['a', 'b'] } },
    { id: 2, vector: [0.1, 0.9, 0, 0], payload: { city: 'Berlin', price: 20 } },
    { id: 3, vector: [0, 0, 1, 0], payload: { city: 'London', price: 30 } },
  ],
});
assert.equal(upsert.status, 'completed');
await client.upsert(name, { batch: { ids: ['5c56c793-69f3-4fbf-87e6-c4bf54c28c26', 5], vectors: [[0, 0, 0, 1], [0.5, 0.5, 0, 0]], payloads: [{ city: 'Paris' }, null] } });

const nearest = await client.query(name, { query: [1, 0, 0, 0], limit: 3, with_payload: true });
assert.equal(nearest.points.length, 3);
assert.equal(nearest.points[0].id, 1);
assert.equal(nearest.points[0].payload.city, 'London');
assert.ok(nearest.points[0].score > nearest.points[1].score);

const filtered = await client.query(name, {
  query: [1, 0, 0, 0], limit: 10, with_payload: true,
  filter: { must: [{ key: 'city', match: { value: 'London' } }, { key: 'price', range: { gte: 20 } }] },
});
assert.deepEqual(filtered.points.map(p => p.id), [3]);

const byId = await client.query(name, { query: 1, limit: 2 });
assert.ok(!byId.points.some(p => p.id === 1));

const batch = await client.queryBatch(name, { searches: [{ query: [0, 1, 0, 0], limit: 1 }, { query: [0, 0, 1, 0], limit: 1 }] });
assert.deepEqual(batch.map(r => r.points[0].id), [2, 3]);

const page = await client.scroll(name, { limit: 2, with_payload: true });
assert.equal(page.points.length, 2);
assert.equal(page.next_page_offset, 3);
const rest = await client.scroll(name, { limit: 10, offset: page.next_page_offset });
assert.equal(rest.points.length, 3);
assert.equal(rest.next_page_offset, null);

assert.deepEqual(await client.count(name, {}), { count: 5 });
assert.deepEqual(await client.count(name, { filter: { must: [{ key: 'city', match: { any: ['London', 'Paris'] } }] } }), { count: 3 });

// Payload indexes: several types, the payload_schema Qdrant reports, filters through them, deletion.
const created = await client.createPayloadIndex(name, { field_name: 'city', field_schema: 'keyword', wait: true, ordering: 'weak' });
assert.equal(created.status, 'completed');
await client.createPayloadIndex(name, { field_name: 'price', field_schema: { type: 'integer', lookup: false, range: true }, wait: true });
await client.createPayloadIndex(name, { field_name: 'tags', field_schema: { type: 'keyword', is_tenant: true } });
await client.createPayloadIndex(name, { field_name: 'notes', field_schema: { type: 'text', tokenizer: 'word', lowercase: true } });
await client.createPayloadIndex(name, { field_name: 'location', field_schema: 'geo' });
const schema = (await client.getCollection(name)).payload_schema;
assert.deepEqual(schema.city, { data_type: 'keyword', points: 4 });
assert.deepEqual(schema.price, { data_type: 'integer', params: { type: 'integer', lookup: false, range: true, is_principal: null }, points: 3 });
assert.deepEqual(schema.tags, { data_type: 'keyword', params: { type: 'keyword', is_tenant: true }, points: 1 });
assert.deepEqual(schema.notes, { data_type: 'text', params: { type: 'text', tokenizer: 'word', lowercase: true }, points: 0 });
assert.deepEqual(schema.location, { data_type: 'geo', points: 0 });
assert.deepEqual(await client.count(name, { filter: { must: [{ key: 'city', match: { value: 'London' } }, { key: 'price', range: { gt: 15 } }] } }), { count: 1 });
assert.equal((await client.deletePayloadIndex(name, 'location')).status, 'completed');
await client.deletePayloadIndex(name, 'notes', { wait: false });
assert.deepEqual(Object.keys((await client.getCollection(name)).payload_schema).sort(), ['city', 'price', 'tags']);
await assert.rejects(client.createPayloadIndex(name, { field_name: 'price', field_schema: { type: 'integer', lookup: false, range: false } }), e => e.status === 400);

await client.setPayload(name, { payload: { vip: true }, points: [1] });
await client.overwritePayload(name, { payload: { city: 'Rome' }, points: [2] });
await client.deletePayload(name, { keys: ['tags'], points: [1] });
await client.clearPayload(name, { points: [3] });
const records = await client.retrieve(name, { ids: [1, 2, 3], with_vector: true });
const byKey = Object.fromEntries(records.map(r => [r.id, r]));
assert.deepEqual(byKey[1].payload, { city: 'London', price: 10, vip: true });
assert.deepEqual(byKey[2].payload, { city: 'Rome' });
assert.deepEqual(byKey[3].payload, {});
assert.equal(byKey[1].vector.length, 4);

await client.delete(name, { points: [5], wait: true });
await client.delete(name, { filter: { must: [{ key: 'city', match: { value: 'Rome' } }] }, wait: true });
assert.deepEqual(await client.count(name, {}), { count: 3 });

const snapshot = await client.createSnapshot(name);
assert.ok(snapshot.name.endsWith('.snapshot'));
assert.ok(snapshot.size > 0);
const snapshots = await client.listSnapshots(name);
assert.ok(snapshots.some(s => s.name === snapshot.name));
await client.delete(name, { points: [1], wait: true });
assert.equal(await client.recoverSnapshot(name, { location: snapshot.name }), true);
assert.deepEqual(await client.count(name, {}), { count: 3 });
assert.equal(await client.deleteSnapshot(name, snapshot.name), true);

// Errors come back as the client's ApiError with the server's status.
await assert.rejects(client.getCollection('does_not_exist'), e => e.status === 404);
await assert.rejects(client.upsert(name, { points: [{ id: 9, vector: [1, 2] }] }), e => e.status === 400);

assert.equal(await client.deleteCollection(name), true);
assert.deepEqual(await client.collectionExists(name), { exists: false });

console.warn = originalWarn;
assert.deepEqual(warnings.filter(w => /incompatible|Failed to obtain/.test(w)), [], 'the client warned about the server');
console.log('js-client compat: all checks passed');
