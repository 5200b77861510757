// Runs Qdrant's official JavaScript client (@qdrant/js-client-rest 1.19) against a RoseForest
// server on Qdrant's data model and query API: named, sparse and multi vectors, prefetch + fusion,
// recommend, context, groups, facet, the search matrix, aliases, scroll by a payload value and
// batch updates. Expected answers follow from the data by construction (see each comment).
// Usage: node datamodel.mjs URL [API_KEY]
import assert from 'node:assert/strict';
import { QdrantClient } from '@qdrant/js-client-rest';

const [url, apiKey] = process.argv.slice(2);
const client = new QdrantClient({ url, apiKey, https: false, checkCompatibility: false });
const name = 'js_model';

assert.equal(await client.createCollection(name, {
  vectors: {
    text: { size: 3, distance: 'Cosine' },
    image: { size: 2, distance: 'Euclid' },
    late: { size: 2, distance: 'Dot', multivector_config: { comparator: 'max_sim' } },
  },
  sparse_vectors: { kw: {} },
}), true);
const params = (await client.getCollection(name)).config.params;
assert.deepEqual(Object.keys(params.vectors).sort(), ['image', 'late', 'text']);
assert.equal(params.vectors.late.multivector_config.comparator, 'max_sim');
assert.ok(params.sparse_vectors.kw);

await client.upsert(name, {
  wait: true,
  points: [
    { id: 1, vector: { text: [1, 0, 0], image: [0, 0], kw: { indices: [1, 5], values: [1, 0.5] }, late: [[1, 0], [0, 1]] }, payload: { color: 'red', n: 1 } },
    { id: 2, vector: { text: [0, 1, 0], image: [1, 1], kw: { indices: [5], values: [2] }, late: [[1, 1]] }, payload: { color: 'blue', n: 2 } },
    { id: 3, vector: { text: [0, 0, 1], image: [3, 3], late: [[0, 1]] }, payload: { color: 'red', n: 3 } },
    { id: 4, vector: { text: [0.9, 0.1, 0], image: [0, 1], kw: { indices: [1], values: [3] } }, payload: { color: 'green', n: 4 } },
  ],
});

// The bulk-load recipe: indexing off while loading, on again after (accepted; RoseForest indexes as it writes).
assert.equal(await client.updateCollection(name, { optimizers_config: { indexing_threshold: 0 } }), true);
assert.equal(await client.updateCollection(name, { optimizers_config: { indexing_threshold: 20000 } }), true);

const ids = r => r.points.map(p => p.id);

// Dense named vectors: cosine to [1,0,0] ranks 1 then 4; Euclid to [0,0] ranks 1 (0) then 4 (1).
assert.deepEqual(ids(await client.query(name, { query: [1, 0, 0], using: 'text', limit: 2 })), [1, 4]);
assert.deepEqual(ids(await client.query(name, { query: [0, 0], using: 'image', limit: 2 })), [1, 4]);

// Sparse dot products with {1: 1}: point 4 scores 3, point 1 scores 1, the others share no index.
const sparse = await client.query(name, { query: { indices: [1], values: [1] }, using: 'kw', limit: 10 });
assert.deepEqual(ids(sparse), [4, 1]);
assert.deepEqual(sparse.points.map(p => p.score), [3, 1]);

// Multivector max_sim with [[0,1]]: point 1 (1), point 2 (1), point 3 (1); point 4 has none.
const late = await client.query(name, { query: [[0, 1]], using: 'late', limit: 10 });
assert.deepEqual(ids(late).sort(), [1, 2, 3]);
assert.ok(late.points.every(p => p.score === 1));

// Prefetch + RRF: point 1 is first in the text list and second in the kw list, so it wins.
const fused = await client.query(name, {
  prefetch: [
    { query: [1, 0, 0], using: 'text', limit: 3 },
    { query: { indices: [5], values: [1] }, using: 'kw', limit: 3 },
  ],
  query: { fusion: 'rrf' },
  limit: 3,
});
assert.equal(fused.points[0].id, 1);

// Recommend (average_vector) from +1 -2: the examples are left out; point 4 points the same way.
const rec = await client.query(name, { query: { recommend: { positive: [1], negative: [2] } }, using: 'text', limit: 2 });
assert.deepEqual(ids(rec), [4, 3]);
const best = await client.query(name, { query: { recommend: { positive: [1], negative: [2], strategy: 'best_score' } }, using: 'text', limit: 2 });
assert.equal(best.points[0].id, 4);

// Context (+1, -2): every point but 2 is at least as close to 1 as to 2, so 2 comes last if present.
const ctx = await client.query(name, { query: { context: [{ positive: 1, negative: 2 }] }, using: 'text', limit: 4 });
assert.ok(ctx.points.length > 0);
if (ids(ctx).includes(2)) assert.equal(ids(ctx).at(-1), 2);

// Groups by color: red holds the best hit (1) and 3; green holds 4.
const groups = await client.queryGroups(name, { query: [1, 0, 0], using: 'text', group_by: 'color', group_size: 2, limit: 2 });
assert.deepEqual(groups.groups.map(g => [g.id, g.hits.map(h => h.id)]), [['red', [1, 3]], ['green', [4]]]);

// Facet counts of color: red 2, then blue and green 1 each.
const facet = await client.facet(name, { key: 'color' });
assert.deepEqual(facet.hits.map(h => [h.value, h.count]), [['red', 2], ['blue', 1], ['green', 1]]);

// The search matrix: every sampled point paired with its nearest other point.
const matrix = await client.searchMatrixPairs(name, { using: 'text', sample: 4, limit: 1 });
assert.equal(matrix.pairs.length, 4);
assert.ok(matrix.pairs.every(p => p.a !== p.b));

// Aliases: create, list, query through the alias, switch, delete.
assert.equal(await client.updateCollectionAliases({ actions: [{ create_alias: { collection_name: name, alias_name: 'js_live' } }] }), true);
assert.deepEqual((await client.getAliases()).aliases, [{ alias_name: 'js_live', collection_name: name }]);
assert.deepEqual((await client.getCollectionAliases(name)).aliases, [{ alias_name: 'js_live', collection_name: name }]);
assert.deepEqual(ids(await client.query('js_live', { query: [1, 0, 0], using: 'text', limit: 1 })), [1]);
await client.updateCollectionAliases({ actions: [{ rename_alias: { old_alias_name: 'js_live', new_alias_name: 'js_prod' } }] });
assert.deepEqual((await client.getAliases()).aliases.map(a => a.alias_name), ['js_prod']);
await assert.rejects(client.updateCollectionAliases({ actions: [{ create_alias: { collection_name: 'missing', alias_name: 'x' } }] }), e => e.status === 404);
await client.updateCollectionAliases({ actions: [{ delete_alias: { alias_name: 'js_prod' } }] });
assert.deepEqual((await client.getAliases()).aliases, []);

// Scroll ordered by a payload value, descending: n = 4, 3.
const ordered = await client.scroll(name, { limit: 2, order_by: { key: 'n', direction: 'desc' }, with_payload: false });
assert.deepEqual(ordered.points.map(p => [p.id, p.order_value]), [[4, 4], [3, 3]]);
assert.equal(ordered.next_page_offset ?? null, null);

// Batch update: new vectors for 3, delete the image vector of 2, a payload change.
await client.batchUpdate(name, {
  wait: true,
  operations: [
    { update_vectors: { points: [{ id: 3, vector: { text: [1, 0, 0] } }] } },
    { delete_vectors: { points: [2], vector: ['image'] } },
    { set_payload: { payload: { seen: true }, points: [1] } },
  ],
});
const after = await client.retrieve(name, { ids: [1, 2, 3], with_vector: ['text', 'image'], with_payload: true });
const byId = Object.fromEntries(after.map(r => [r.id, r]));
assert.deepEqual(byId[3].vector.text, [1, 0, 0]);
assert.equal(byId[2].vector.image, undefined);
assert.equal(byId[1].payload.seen, true);

// Bad input: an unknown vector name and a sparse vector with duplicate indices are 400s.
await assert.rejects(client.query(name, { query: [1, 0, 0], using: 'nope' }), e => e.status === 400);
await assert.rejects(client.upsert(name, { points: [{ id: 9, vector: { kw: { indices: [1, 1], values: [1, 2] } } }] }), e => e.status === 400);

// Changing the collection: HNSW, per-vector and sparse settings, strict mode and metadata (PATCH).
assert.equal(await client.updateCollection(name, {
  hnsw_config: { m: 12, ef_construct: 80 },
  vectors: { image: { hnsw_config: { m: 0 }, on_disk: true } },
  sparse_vectors: { kw: { modifier: 'idf' } },
  strict_mode_config: { enabled: true, max_query_limit: 100 },
  metadata: { owner: 'js', drop: 1 },
}), true);
assert.equal(await client.updateCollection(name, { metadata: { drop: null } }), true);
const changed = (await client.getCollection(name)).config;
assert.equal(changed.hnsw_config.m, 12);
assert.equal(changed.hnsw_config.ef_construct, 80);
assert.equal(changed.params.vectors.image.hnsw_config.m, 0);
assert.equal(changed.params.vectors.image.on_disk, true);
assert.equal(changed.params.sparse_vectors.kw.modifier, 'idf');
assert.equal(changed.strict_mode_config.max_query_limit, 100);
assert.deepEqual(changed.metadata, { owner: 'js' });
await assert.rejects(client.updateCollection(name, { vectors: { nope: { on_disk: true } } }), e => e.status === 400);
assert.deepEqual(ids(await client.query(name, { query: [1, 0, 0], using: 'text', limit: 1 })), [1]);

// A named vector added to the collection and removed again (create_vector_name, delete_vector_name).
const created = await client.createVectorName(name, 'extra', { dense: { size: 2, distance: 'Dot' } }, { wait: true });
assert.equal(created.status, 'completed');
assert.equal((await client.getCollection(name)).config.params.vectors.extra.size, 2);
await client.updateVectors(name, { wait: true, points: [{ id: 2, vector: { extra: [1, 2] } }, { id: 4, vector: { extra: [3, 1] } }] });
assert.deepEqual(ids(await client.query(name, { query: [0, 1], using: 'extra', limit: 5 })), [2, 4]);
await assert.rejects(client.createVectorName(name, 'extra', { dense: { size: 3, distance: 'Dot' } }), e => e.status === 400);
await assert.rejects(client.createVectorName(name, 'kw', { dense: { size: 3, distance: 'Dot' } }), e => e.status === 400);
await client.createVectorName(name, 'terms', { sparse: { modifier: 'idf' } }, { wait: true });
assert.equal((await client.getCollection(name)).config.params.sparse_vectors.terms.modifier, 'idf');
await client.deleteVectorName(name, 'extra', { wait: true });
await client.deleteVectorName(name, 'terms', { wait: true });
const shape = (await client.getCollection(name)).config.params;
assert.equal(shape.vectors.extra, undefined);
assert.equal(shape.sparse_vectors.terms, undefined);
await assert.rejects(client.query(name, { query: [0, 1], using: 'extra' }), e => e.status === 400);

assert.equal(await client.deleteCollection(name), true);
console.log('js-client data model: all checks passed');
