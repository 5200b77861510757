// Reading the server's Prometheus text (GET /metrics): totals of counters, histogram buckets, and
// rates and percentiles between two scrapes.

export function parse(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels = {};
    if (m[2]) for (const l of m[2].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

export function total(samples, name, where = () => true) {
  return samples.filter((s) => s.name === name && where(s.labels)).reduce((a, s) => a + s.value, 0);
}

/** Cumulative bucket counts by upper bound, summed over every label set. */
export function buckets(samples, name) {
  const map = new Map();
  for (const s of samples) {
    if (s.name !== `${name}_bucket`) continue;
    const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    map.set(le, (map.get(le) ?? 0) + s.value);
  }
  return [...map.entries()].sort((a, b) => a[0] - b[0]);
}

/** The q-quantile of the observations between two scrapes (linear within a bucket, as Prometheus does). */
export function quantile(q, before, after) {
  const diff = after.map(([le, c], i) => [le, c - (before[i]?.[1] ?? 0)]);
  const count = diff.length ? diff[diff.length - 1][1] : 0;
  if (count <= 0) return null;
  const rank = q * count;
  let prevLe = 0;
  let prevC = 0;
  for (const [le, c] of diff) {
    if (c >= rank) {
      if (le === Infinity) return prevLe;
      return prevLe + (le - prevLe) * ((rank - prevC) / Math.max(1e-12, c - prevC));
    }
    prevLe = le;
    prevC = c;
  }
  return prevLe;
}
