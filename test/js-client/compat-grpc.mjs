// Runs Qdrant's official JavaScript gRPC client (@qdrant/js-client-grpc 1.19) against RoseForest's
// gRPC API: collections, upserts with payloads, queries with and without filters, scroll, count,
// payload edits, deletes and snapshots; a bad request must answer InvalidArgument.
// Usage: node compat-grpc.mjs GRPC_URL [API_KEY]
import assert from 'node:assert/strict';
import { QdrantClient, Distance, ConnectError, ConnectErrorCode } from '@qdrant/js-client-grpc';

const [url, apiKey] = process.argv.slice(2);
const warnings = [];
console.warn = (...args) => { warnings.push(args.join(' ')); };

const client = new QdrantClient({ url, apiKey, https: false, checkCompatibility: true });
const collections = client.api('collections');
const points = client.api('points');
const snapshots = client.api('snapshots');
const name = 'js_grpc_compat';

const health = await client.api('service').healthCheck({});
assert.match(health.version, /^1\.19\./);

const num = (n) => ({ pointIdOptions: { case: 'num', value: BigInt(n) } });
const dense = (data) => ({ vectorsOptions: { case: 'vector', value: { vector: { case: 'dense', value: { data } } } } });
const str = (s) => ({ kind: { case: 'stringValue', value: s } });
const int = (n) => ({ kind: { case: 'integerValue', value: BigInt(n) } });
const keyword = (key, value) => ({ conditionOneOf: { case: 'field', value: { key, match: { matchValue: { case: 'keyword', value } } } } });
const nearest = (data) => ({ variant: { case: 'nearest', value: { variant: { case: 'dense', value: { data } } } } });

assert.equal((await collections.create({
  collectionName: name,
  vectorsConfig: { config: { case: 'params', value: { size: 4n, distance: Distance.Cosine } } },
  hnswConfig: { m: 8n, efConstruct: 64n },
})).result, true);
assert.equal((await collections.collectionExists({ collectionName: name })).result.exists, true);
const info = await collections.get({ collectionName: name });
assert.equal(info.result.config.params.vectorsConfig.config.value.size, 4n);
assert.equal(info.result.config.params.vectorsConfig.config.value.distance, Distance.Cosine);
assert.ok((await collections.list({})).collections.some(c => c.name === name));

const upsert = await points.upsert({
  collectionName: name, wait: true,
  points: [
    { id: num(1), vectors: dense([0.9, 0.1, 0, 0]), payload: { city: str('London'), price: int(10) } },
    { id: num(2), vectors: dense([0.1, 0.9, 0, 0]), payload: { city: str('Berlin'), price: int(20) } },
    { id: num(3), vectors: dense([0, 0, 1, 0]), payload: { city: str('London'), price: int(30) } },
    { id: { pointIdOptions: { case: 'uuid', value: '5c56c793-69f3-4fbf-87e6-c4bf54c28c26' } }, vectors: dense([0, 0, 0, 1]), payload: { city: str('Paris') } },
    { id: num(5), vectors: dense([0.5, 0.5, 0, 0]) },
  ],
});
assert.ok(upsert.result.status >= 1);

const top = await points.query({ collectionName: name, query: nearest([1, 0, 0, 0]), limit: 3n, withPayload: { selectorOptions: { case: 'enable', value: true } } });
assert.equal(top.result.length, 3);
assert.equal(top.result[0].id.pointIdOptions.value, 1n);
assert.equal(top.result[0].payload.city.kind.value, 'London');
assert.ok(top.result[0].score > top.result[1].score);

const filtered = await points.query({
  collectionName: name, query: nearest([1, 0, 0, 0]), limit: 10n,
  filter: { must: [keyword('city', 'London'), { conditionOneOf: { case: 'field', value: { key: 'price', range: { gte: 20 } } } }] },
});
assert.deepEqual(filtered.result.map(p => p.id.pointIdOptions.value), [3n]);

const page = await points.scroll({ collectionName: name, limit: 2, withPayload: { selectorOptions: { case: 'enable', value: true } } });
assert.equal(page.result.length, 2);
assert.equal(page.nextPageOffset.pointIdOptions.value, 3n);
assert.equal((await points.count({ collectionName: name, exact: true })).result.count, 5n);
assert.equal((await points.count({ collectionName: name, filter: { must: [keyword('city', 'London')] } })).result.count, 2n);

await points.setPayload({ collectionName: name, wait: true, payload: { tag: str('new') }, pointsSelector: { pointsSelectorOneOf: { case: 'points', value: { ids: [num(1)] } } } });
const got = await points.get({ collectionName: name, ids: [num(1)], withPayload: { selectorOptions: { case: 'enable', value: true } } });
assert.equal(got.result[0].payload.tag.kind.value, 'new');
assert.equal(got.result[0].payload.city.kind.value, 'London');
await points.deletePayload({ collectionName: name, wait: true, keys: ['tag'], pointsSelector: { pointsSelectorOneOf: { case: 'points', value: { ids: [num(1)] } } } });

await points.delete({ collectionName: name, wait: true, points: { pointsSelectorOneOf: { case: 'filter', value: { must: [keyword('city', 'Berlin')] } } } });
assert.equal((await points.count({ collectionName: name })).result.count, 4n);

try {
  await points.upsert({ collectionName: name, wait: true, points: [{ id: num(9), vectors: dense([1, 2]) }] });
  assert.fail('a 2-d vector in a 4-d collection must be refused');
} catch (e) {
  assert.ok(e instanceof ConnectError, String(e));
  assert.equal(e.code, ConnectErrorCode.InvalidArgument);
}
assert.equal((await points.count({ collectionName: name })).result.count, 4n);

const snapshot = await snapshots.create({ collectionName: name });
assert.ok((await snapshots.list({ collectionName: name })).snapshotDescriptions.some(s => s.name === snapshot.snapshotDescription.name));
await snapshots.delete({ collectionName: name, snapshotName: snapshot.snapshotDescription.name });

assert.equal((await collections.delete({ collectionName: name })).result, true);
assert.equal((await collections.collectionExists({ collectionName: name })).result.exists, false);
await new Promise(r => setTimeout(r, 100));
// The client warns that a key travels over plaintext (the test server has no TLS); any other warning (a version mismatch) fails.
assert.deepEqual(warnings.filter(w => !w.includes('unsecure connection')), []);
console.log('all checks passed');
