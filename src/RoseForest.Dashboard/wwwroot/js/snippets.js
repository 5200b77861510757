// The playground's query written three ways: curl against this server's REST API, Qdrant's
// .NET client (gRPC, Qdrant.Client) and Qdrant's JavaScript REST client (@qdrant/js-client-rest).

const q = (s) => JSON.stringify(s);

export function curl(origin, collection, body, withKey) {
  const key = withKey ? ` \\\n  -H "api-key: $ROSEFOREST_API_KEY"` : '';
  const data = JSON.stringify(body, null, 2).replace(/'/g, "'\\''");
  return `curl -X POST ${origin}/collections/${encodeURIComponent(collection)}/points/query${key} \\\n  -H "Content-Type: application/json" \\\n  -d '${data}'`;
}

export function javascript(origin, collection, body, withKey) {
  const url = new URL(origin);
  const opts = [`url: ${q(url.origin)}`];
  if (withKey) opts.push('apiKey: process.env.ROSEFOREST_API_KEY');
  const args = JSON.stringify(body, null, 2).replace(/\n/g, '\n');
  return `import { QdrantClient } from '@qdrant/js-client-rest';\n\nconst client = new QdrantClient({ ${opts.join(', ')} });\nconst result = await client.query(${q(collection)}, ${args});\nconsole.log(result.points);`;
}

// C#: Qdrant.Client speaks gRPC (RoseForest serves Qdrant's gRPC API on --grpc-port, 6334 by default).
export function csharp(origin, collection, body, withKey) {
  const host = new URL(origin).hostname;
  const lines = ['using Qdrant.Client;', 'using Qdrant.Client.Grpc;', 'using static Qdrant.Client.Grpc.Conditions;', ''];
  lines.push(`var client = new QdrantClient(${q(host)}, 6334${withKey ? ', apiKey: Environment.GetEnvironmentVariable("ROSEFOREST_API_KEY")' : ''}); // the server's --grpc-port`);
  const args = [q(collection)];
  const query = body.query;
  if (Array.isArray(query)) args.push(`query: new float[] { ${query.map((v) => csFloat(v)).join(', ')} }`);
  else if (typeof query === 'number') args.push(`query: ${query}ul`);
  else if (typeof query === 'string') args.push(`query: Guid.Parse(${q(query)})`);
  else if (query && typeof query.text === 'string') args.push(`query: new Document { Text = ${q(query.text)}${query.model ? `, Model = ${q(query.model)}` : ''} }`);
  if (body.using) args.push(`usingVector: ${q(body.using)}`);
  const comments = [];
  if (body.filter) {
    const f = csFilter(body.filter);
    if (f) args.push(`filter: ${f}`);
    else comments.push(`// filter (write it with the Conditions helpers): ${JSON.stringify(body.filter)}`);
  }
  if (body.score_threshold !== undefined) args.push(`scoreThreshold: ${csFloat(body.score_threshold)}`);
  if (body.params && Object.keys(body.params).length) {
    const p = [];
    if (body.params.hnsw_ef !== undefined) p.push(`HnswEf = ${body.params.hnsw_ef}`);
    if (body.params.exact !== undefined) p.push(`Exact = ${body.params.exact}`);
    args.push(`searchParams: new SearchParams { ${p.join(', ')} }`);
  }
  args.push(`limit: ${body.limit ?? 10}`);
  if (body.with_payload !== undefined) args.push(`payloadSelector: ${body.with_payload ? 'true' : 'false'}`);
  lines.push(...comments);
  lines.push(`var points = await client.QueryAsync(\n    ${args.join(',\n    ')});`);
  lines.push('foreach (var p in points) Console.WriteLine($"{p.Id} {p.Score}");');
  return lines.join('\n');
}

function csFloat(v) { const s = String(v); return (s.includes('.') || s.includes('e') ? s : s + '.0') + 'f'; }

// The common part of Qdrant's filter language as Qdrant.Client's operators: & (must), | (should), ! (must_not).
function csFilter(filter) {
  const parts = [];
  for (const [clause, join, wrap] of [['must', ' & ', (x) => x], ['should', ' | ', (x) => x], ['must_not', ' & ', (x) => `!(${x})`]]) {
    const list = filter[clause];
    if (list === undefined || list === null) continue;
    const conds = (Array.isArray(list) ? list : [list]).map(csCondition);
    if (conds.some((c) => c === null)) return null;
    if (conds.length) parts.push(`(${conds.map(wrap).join(join)})`);
  }
  for (const k of Object.keys(filter)) if (!['must', 'should', 'must_not'].includes(k)) return null;
  return parts.length ? parts.join(' & ') : null;
}

function csCondition(c) {
  if (c.has_id) return `HasId(new ulong[] { ${c.has_id.join(', ')} })`;
  if (c.must || c.should || c.must_not) { const f = csFilter(c); return f; }
  if (typeof c.key !== 'string') return null;
  const key = q(c.key);
  if (c.match) {
    const m = c.match;
    if (typeof m.value === 'string') return `MatchKeyword(${key}, ${q(m.value)})`;
    if (typeof m.value === 'number' && Number.isInteger(m.value)) return `Match(${key}, ${m.value})`;
    if (typeof m.value === 'boolean') return `Match(${key}, ${m.value})`;
    if (typeof m.text === 'string') return `MatchText(${key}, ${q(m.text)})`;
    if (Array.isArray(m.any) && m.any.every((x) => typeof x === 'string')) return `Match(${key}, new[] { ${m.any.map(q).join(', ')} })`;
    if (Array.isArray(m.any) && m.any.every((x) => Number.isInteger(x))) return `Match(${key}, new long[] { ${m.any.join(', ')} })`;
    return null;
  }
  if (c.range) {
    const r = ['gt', 'gte', 'lt', 'lte'].filter((k) => c.range[k] !== undefined).map((k) => `${k[0].toUpperCase()}${k.slice(1)} = ${Number(c.range[k])}`);
    return `Range(${key}, new Qdrant.Client.Grpc.Range { ${r.join(', ')} })`;
  }
  return null;
}
