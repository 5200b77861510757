// RoseForest's own hyperbolic drawing maths: points of a collection to the Poincaré disk, the
// Möbius transformation that recentres it, and geodesic arcs. Complex numbers are [re, im].

export const add = (a, b) => [a[0] + b[0], a[1] + b[1]];
export const sub = (a, b) => [a[0] - b[0], a[1] - b[1]];
export const mul = (a, b) => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
export const conj = (a) => [a[0], -a[1]];
export const abs2 = (a) => a[0] * a[0] + a[1] * a[1];
export function div(a, b) { const d = abs2(b); return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d]; }

/** The disk automorphism that moves a to the centre: z -> (z - a) / (1 - conj(a) z). */
export const mobius = (z, a) => div(sub(z, a), sub([1, 0], mul(conj(a), z)));

/** Its inverse: w -> (w + a) / (1 + conj(a) w). */
export const mobiusInverse = (w, a) => div(add(w, a), add([1, 0], mul(conj(a), w)));

/**
 * The centre a for which the point z is drawn at w (mobius(z, a) = w): dragging z to w.
 * From z - a = w - w z conj(a): a (1 - |wz|^2) = (z - w) + wz conj(z - w).
 */
export function centreFor(z, w) {
  const c = mul(w, z);
  const d = sub(z, w);
  const k = 1 - abs2(c);
  if (k <= 1e-12) return null;
  const a = add(d, mul(c, conj(d)));
  return clampToDisk([a[0] / k, a[1] / k], 0.9999);
}

export function clampToDisk(z, max = 0.999) {
  const r = Math.sqrt(abs2(z));
  return r > max ? [(z[0] / r) * max, (z[1] / r) * max] : z;
}

/** Hyperbolic distance in the unit disk (curvature -1). */
export function distance(z, w) {
  const d = abs2(sub(z, w));
  return Math.acosh(1 + (2 * d) / ((1 - abs2(z)) * (1 - abs2(w))));
}

/** Top principal directions of the rows (centred or not), by power iteration with deflation; deterministic. */
export function principalAxes(rows, count, centre) {
  const n = rows.length;
  const dim = rows[0]?.length ?? 0;
  const mean = new Float64Array(dim);
  if (centre) { for (const r of rows) for (let j = 0; j < dim; j++) mean[j] += r[j] / n; }
  const axes = [];
  for (let c = 0; c < Math.min(count, dim); c++) {
    let v = new Float64Array(dim).map((_, j) => 1 / Math.sqrt(dim) * (1 + ((j * 7 + c * 3) % 5) / 10));
    for (let it = 0; it < 60; it++) {
      const next = new Float64Array(dim);
      for (const r of rows) {
        let s = 0;
        for (let j = 0; j < dim; j++) s += (r[j] - mean[j]) * v[j];
        for (let j = 0; j < dim; j++) next[j] += s * (r[j] - mean[j]);
      }
      for (const a of axes) { let s = 0; for (let j = 0; j < dim; j++) s += next[j] * a[j]; for (let j = 0; j < dim; j++) next[j] -= s * a[j]; }
      let norm = 0; for (let j = 0; j < dim; j++) norm += next[j] * next[j];
      norm = Math.sqrt(norm);
      if (norm < 1e-12) break;
      v = next.map((x) => x / norm);
    }
    axes.push(v);
  }
  return { axes, mean };
}

function project(rows, axes, mean) {
  return rows.map((r) => axes.map((a) => { let s = 0; for (let j = 0; j < r.length; j++) s += (r[j] - mean[j]) * a[j]; return s; }));
}

/**
 * Each row as a point of the unit disk.
 * - poincare: the ball of radius 1/sqrt(c) scaled to the unit ball; above two dimensions, the
 *   orthogonal projection onto the plane through the origin spanned by the top two (uncentred)
 *   principal directions (a point of the ball lands in the disk; distances within that plane are kept).
 * - lorentz: y = sqrt(c) x on the unit hyperboloid, then y_i / (1 + y_0) (the Poincaré ball), as above.
 * - flat geometries: a 2-D PCA of the centred rows, scaled so the farthest point sits at radius 0.9;
 *   the disk is then only a focus-and-context (fish-eye) view, not a geometry.
 */
export function toDisk(rows, geometry, curvature = 1) {
  if (rows.length === 0) return { points: [], method: 'none' };
  const s = Math.sqrt(curvature || 1);
  let ball;
  if (geometry === 'poincare') ball = rows.map((r) => r.map((x) => x * s));
  else if (geometry === 'lorentz') ball = rows.map((r) => { const y0 = r[0] * s; return r.slice(1).map((x) => (x * s) / (1 + y0)); });
  if (ball) {
    let pts;
    let method = geometry === 'lorentz' ? 'Lorentz → Poincaré disk' : 'Poincaré disk';
    if (ball[0].length === 2) pts = ball.map((b) => [b[0], b[1]]);
    else if (ball[0].length === 1) pts = ball.map((b) => [b[0], 0]);
    else {
      const { axes, mean } = principalAxes(ball, 2, false);
      pts = project(ball, axes, mean);
      method += `, projected from ${ball[0].length} dimensions onto its top two principal directions`;
    }
    return { points: pts.map((p) => clampToDisk(p, 0.9995)), method };
  }
  const { axes, mean } = principalAxes(rows, 2, true);
  const flat = project(rows, axes, mean).map((p) => [p[0], p[1] ?? 0]);
  const max = Math.max(1e-12, ...flat.map((p) => Math.sqrt(abs2(p))));
  return { points: flat.map((p) => [(p[0] / max) * 0.9, (p[1] / max) * 0.9]), method: `PCA of ${rows[0].length} dimensions (a fish-eye view: the disk is not this space's geometry)` };
}

/**
 * The geodesic between two disk points as an SVG path in screen space (toScreen maps disk to
 * screen): a circular arc orthogonal to the unit circle, or a segment through the centre.
 */
export function geodesicPath(p, q, toScreen) {
  const [x1, y1] = toScreen(p);
  const [x2, y2] = toScreen(q);
  const cross = p[0] * q[1] - p[1] * q[0];
  if (Math.abs(cross) < 1e-6) return `M${x1.toFixed(1)},${y1.toFixed(1)}L${x2.toFixed(1)},${y2.toFixed(1)}`;
  // Centre c of the circle through p and q orthogonal to the unit circle: p·c = (|p|²+1)/2, q·c = (|q|²+1)/2.
  const bp = (abs2(p) + 1) / 2;
  const bq = (abs2(q) + 1) / 2;
  const c = [(bp * q[1] - bq * p[1]) / cross, (p[0] * bq - q[0] * bp) / cross];
  const r = Math.sqrt(Math.max(0, abs2(c) - 1));
  const [cx, cy] = toScreen(c);
  const rs = Math.hypot(x1 - cx, y1 - cy);
  if (!Number.isFinite(rs) || rs > 1e5 || r > 1e4) return `M${x1.toFixed(1)},${y1.toFixed(1)}L${x2.toFixed(1)},${y2.toFixed(1)}`;
  const z = (x1 - cx) * (y2 - cy) - (y1 - cy) * (x2 - cx);
  return `M${x1.toFixed(1)},${y1.toFixed(1)}A${rs.toFixed(1)},${rs.toFixed(1)} 0 0 ${z > 0 ? 1 : 0} ${x2.toFixed(1)},${y2.toFixed(1)}`;
}

/** Payload fields that name a point's parent in a hierarchy (an id, a name, or a list of them). */
export const parentFields = ['parent', 'parent_id', 'parents', 'hypernym', 'hypernyms'];

/** Edges child -> parent among the loaded points, by a parent field matching a point id or a payload name. */
export function hierarchyEdges(points) {
  const byKey = new Map();
  for (let i = 0; i < points.length; i++) {
    byKey.set(`id:${points[i].id}`, i);
    const name = points[i].payload?.name;
    if (typeof name === 'string' && !byKey.has(`name:${name}`)) byKey.set(`name:${name}`, i);
  }
  const field = parentFields.find((f) => points.some((p) => p.payload && p.payload[f] !== undefined && p.payload[f] !== null));
  const edges = [];
  if (!field) return { field: null, edges };
  for (let i = 0; i < points.length; i++) {
    let v = points[i].payload?.[field];
    if (v === undefined || v === null) continue;
    for (const parent of Array.isArray(v) ? v : [v]) {
      const j = byKey.get(`id:${parent}`) ?? (typeof parent === 'string' ? byKey.get(`name:${parent}`) : undefined);
      if (j !== undefined && j !== i) edges.push([i, j]);
    }
  }
  return { field, edges };
}
