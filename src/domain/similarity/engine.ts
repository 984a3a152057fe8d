/**
 * The similarity engine: one weighted, scaled Euclidean distance for every model (DOMAIN.md, "Similarity models"),
 *
 *     d(a, b) = sqrt( Σ_k  w_k · ((a_k − b_k) / s_k)² )
 *
 * and nearest-n search with deterministic ties (distance, then URN). Pure: typed arrays in, typed arrays out.
 *
 * Speed: every school's family at national scale (22,000 × 22,000 pairs) is too slow by brute force in JavaScript,
 * so `allNearest` searches a k-d tree (`buildIndex`) and each distance stops accumulating as soon as it passes the
 * n-th best. Both are exact: the result equals `naiveNearest` (tested), only faster.
 */

export interface Population {
  /** URN of each school, in row order. Must be unique (see `dedupe`). */
  urns: Int32Array;
  /** Row-major input values: urns.length × k. No NaN: missing values are handled before (see `fillMissing`). */
  values: Float64Array;
  k: number;
}

export interface Metric {
  /** s_k: the scale of each input. 0 (a zero range, say) means the input contributes nothing. */
  scales: readonly number[];
  /** w_k: the weight of each input. */
  weights: readonly number[];
}

export interface Prepared {
  n: number;
  k: number;
  urns: Int32Array;
  /** Scaled coordinates c_k = x_k · √w_k / s_k, so that d = ‖c_a − c_b‖. */
  coords: Float64Array;
}

export function prepare(population: Population, metric: Metric): Prepared {
  const { urns, values, k } = population;
  const n = urns.length;
  if (values.length !== n * k) throw new Error(`expected ${n * k} values for ${n} schools × ${k} inputs, got ${values.length}`);
  if (metric.scales.length !== k || metric.weights.length !== k) throw new Error(`the metric must have ${k} scales and weights`);
  const factor = metric.scales.map((s, j) => {
    const w = metric.weights[j]!;
    if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`weight ${j} is not a non-negative number`);
    return s > 0 && Number.isFinite(s) ? Math.sqrt(w) / s : 0;
  });
  const coords = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const v = values[i * k + j]!;
      if (Number.isNaN(v)) throw new Error(`school ${urns[i]} has a missing value for input ${j}: fill or exclude it first`);
      coords[i * k + j] = v * factor[j]!;
    }
  }
  return { n, k, urns, coords };
}

/** The distance between rows a and b. */
export function distance(p: Prepared, a: number, b: number): number {
  let sum = 0;
  for (let j = 0; j < p.k; j++) {
    const d = p.coords[a * p.k + j]! - p.coords[b * p.k + j]!;
    sum += d * d;
  }
  return Math.sqrt(sum);
}

/**
 * Each input's share of the squared distance between rows a and b (sums to 1; all 0 when the distance is 0):
 * what makes two schools differ, for the "why similar" explanation.
 */
export function contributions(p: Prepared, a: number, b: number): number[] {
  const parts: number[] = [];
  let sum = 0;
  for (let j = 0; j < p.k; j++) {
    const d = p.coords[a * p.k + j]! - p.coords[b * p.k + j]!;
    parts.push(d * d);
    sum += d * d;
  }
  return parts.map((x) => (sum > 0 ? x / sum : 0));
}

/** A fixed-capacity max-heap of (squared distance, URN, row): the worst of the best kept at the top. */
class BoundedHeap {
  readonly d: Float64Array;
  readonly urn: Int32Array;
  readonly row: Int32Array;
  size = 0;
  constructor(readonly capacity: number) {
    this.d = new Float64Array(capacity);
    this.urn = new Int32Array(capacity);
    this.row = new Int32Array(capacity);
  }
  /** Is (d, urn) worse than (d2, urn2)? Larger distance, or equal distance and larger URN. */
  private worse(i: number, j: number): boolean {
    return this.d[i]! > this.d[j]! || (this.d[i] === this.d[j] && this.urn[i]! > this.urn[j]!);
  }
  private swap(i: number, j: number): void {
    const d = this.d[i]!;
    this.d[i] = this.d[j]!;
    this.d[j] = d;
    const u = this.urn[i]!;
    this.urn[i] = this.urn[j]!;
    this.urn[j] = u;
    const r = this.row[i]!;
    this.row[i] = this.row[j]!;
    this.row[j] = r;
  }
  get full(): boolean {
    return this.size === this.capacity;
  }
  /** The squared distance a candidate must beat (Infinity until full). */
  get bound(): number {
    return this.size === this.capacity ? this.d[0]! : Infinity;
  }
  /** Would (d, urn) enter the heap? */
  accepts(d: number, urn: number): boolean {
    if (this.size < this.capacity) return true;
    return d < this.d[0]! || (d === this.d[0] && urn < this.urn[0]!);
  }
  push(d: number, urn: number, row: number): void {
    if (this.size < this.capacity) {
      let i = this.size++;
      this.d[i] = d;
      this.urn[i] = urn;
      this.row[i] = row;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(i, parent)) break;
        this.swap(i, parent);
        i = parent;
      }
      return;
    }
    this.d[0] = d;
    this.urn[0] = urn;
    this.row[0] = row;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < this.size && this.worse(l, top)) top = l;
      if (r < this.size && this.worse(r, top)) top = r;
      if (top === i) break;
      this.swap(i, top);
      i = top;
    }
  }
  /** Rows in order: nearest first, ties by URN. */
  sorted(): { rows: number[]; distances: number[] } {
    const order = Array.from({ length: this.size }, (_, i) => i).sort((a, b) => this.d[a]! - this.d[b]! || this.urn[a]! - this.urn[b]!);
    return { rows: order.map((i) => this.row[i]!), distances: order.map((i) => Math.sqrt(this.d[i]!)) };
  }
}

export interface Neighbours {
  /** Row numbers of the nearest schools, nearest first (ties by URN); never the school itself. */
  rows: number[];
  distances: number[];
}

/** Brute force: every other school compared. The reference the fast search is tested against. */
export function naiveNearest(p: Prepared, target: number, count: number, include: (row: number) => boolean = () => true): Neighbours {
  const heap = new BoundedHeap(Math.max(1, Math.min(count, p.n)));
  const k = p.k;
  for (let j = 0; j < p.n; j++) {
    if (j === target || !include(j)) continue;
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const d = p.coords[target * k + c]! - p.coords[j * k + c]!;
      sum += d * d;
    }
    if (heap.accepts(sum, p.urns[j]!)) heap.push(sum, p.urns[j]!, j);
  }
  return count <= 0 ? { rows: [], distances: [] } : heap.sorted();
}

export interface SearchIndex {
  p: Prepared;
  /** Rows, permuted so that each tree node covers a contiguous range. */
  perm: Int32Array;
  /** Per node: range [start, end) of perm, children (−1 for a leaf), and bounding box (min, max per input). */
  start: Int32Array;
  end: Int32Array;
  left: Int32Array;
  right: Int32Array;
  splitDim: Int32Array;
  splitValue: Float64Array;
  box: Float64Array;
  nodes: number;
}

const LEAF_SIZE = 12;

/**
 * A k-d tree over the scaled coordinates: each node splits its schools at the median of its widest input. A search
 * visits the nearer side first and skips any node whose bounding box is already farther than the n-th best found
 * (an exact lower bound), so the answer is the brute-force answer, found without comparing most pairs.
 */
export function buildIndex(p: Prepared): SearchIndex {
  const { n, k, coords } = p;
  const maxNodes = Math.max(1, 2 * Math.ceil(n / LEAF_SIZE) * 2);
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  const start = new Int32Array(maxNodes);
  const end = new Int32Array(maxNodes);
  const left = new Int32Array(maxNodes).fill(-1);
  const right = new Int32Array(maxNodes).fill(-1);
  const splitDim = new Int32Array(maxNodes);
  const splitValue = new Float64Array(maxNodes);
  const box = new Float64Array(maxNodes * k * 2);
  let nodes = 0;
  const stack: number[] = [];
  const make = (from: number, to: number): number => {
    const id = nodes++;
    start[id] = from;
    end[id] = to;
    for (let j = 0; j < k; j++) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = from; i < to; i++) {
        const v = coords[perm[i]! * k + j]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      box[id * 2 * k + j] = lo;
      box[id * 2 * k + k + j] = hi;
    }
    return id;
  };
  stack.push(make(0, n));
  while (stack.length) {
    const id = stack.pop()!;
    const from = start[id]!;
    const to = end[id]!;
    if (to - from <= LEAF_SIZE) continue;
    let dim = 0;
    let widest = -1;
    for (let j = 0; j < k; j++) {
      const w = box[id * 2 * k + k + j]! - box[id * 2 * k + j]!;
      if (w > widest) {
        widest = w;
        dim = j;
      }
    }
    if (widest <= 0) continue; // all identical: a leaf, however large
    const slice = Array.from(perm.subarray(from, to)).sort((a, b) => coords[a * k + dim]! - coords[b * k + dim]! || a - b);
    perm.set(slice, from);
    const mid = from + ((to - from) >> 1);
    splitDim[id] = dim;
    splitValue[id] = coords[perm[mid]! * k + dim]!;
    left[id] = make(from, mid);
    right[id] = make(mid, to);
    stack.push(left[id]!, right[id]!);
  }
  return { p, perm, start, end, left, right, splitDim, splitValue, box, nodes };
}

/** The `count` nearest rows to `target` (exact; same answer as naiveNearest), optionally only rows passing `include`. */
export function nearest(index: SearchIndex, target: number, count: number, include: (row: number) => boolean = () => true): Neighbours {
  const { p, perm, start, end, left, right, splitDim, splitValue, box } = index;
  if (count <= 0 || p.n <= 1) return { rows: [], distances: [] };
  const heap = new BoundedHeap(Math.min(count, p.n - 1));
  const k = p.k;
  const coords = p.coords;
  const base = target * k;
  const stack: number[] = [0];
  while (stack.length) {
    const id = stack.pop()!;
    const bound = heap.bound;
    // Squared distance from the target to the node's bounding box: no school inside can be nearer.
    let gap = 0;
    const b = id * 2 * k;
    for (let j = 0; j < k && gap <= bound; j++) {
      const q = coords[base + j]!;
      const lo = box[b + j]!;
      const hi = box[b + k + j]!;
      const d = q < lo ? lo - q : q > hi ? q - hi : 0;
      gap += d * d;
    }
    // Strictly greater: a box exactly at the bound may still hold a tie that wins on URN.
    if (gap > bound) continue;
    if (left[id] === -1) {
      for (let i = start[id]!; i < end[id]!; i++) {
        const row = perm[i]!;
        if (row === target || !include(row)) continue;
        const limit = heap.bound;
        const other = row * k;
        let sum = 0;
        for (let j = 0; j < k; j++) {
          const d = coords[base + j]! - coords[other + j]!;
          sum += d * d;
          if (sum > limit) break;
        }
        if (sum <= limit && heap.accepts(sum, p.urns[row]!)) heap.push(sum, p.urns[row]!, row);
      }
      continue;
    }
    // Visit the side the target is on first (pushed last), so the bound tightens early.
    if (coords[base + splitDim[id]!]! < splitValue[id]!) stack.push(right[id]!, left[id]!);
    else stack.push(left[id]!, right[id]!);
  }
  return heap.sorted();
}

/** Every school's nearest `count`, as flat arrays (row i's neighbours at [i·count, (i+1)·count)). */
export function allNearest(
  p: Prepared,
  count: number,
  onProgress?: (done: number, total: number) => void,
): { rows: Int32Array; distances: Float64Array; counts: Int32Array } {
  const index = buildIndex(p);
  const width = Math.min(count, Math.max(0, p.n - 1));
  const rows = new Int32Array(p.n * width);
  const distances = new Float64Array(p.n * width);
  const counts = new Int32Array(p.n);
  for (let i = 0; i < p.n; i++) {
    const found = nearest(index, i, width);
    counts[i] = found.rows.length;
    rows.set(found.rows, i * width);
    distances.set(found.distances, i * width);
    if (onProgress && (i % 1000 === 999 || i === p.n - 1)) onProgress(i + 1, p.n);
  }
  return { rows, distances, counts };
}

/** Keeps the first row of each URN: a school must never appear twice. Returns the rows kept and the URNs dropped. */
export function dedupe(urns: ArrayLike<number>): { keep: number[]; duplicates: number[] } {
  const seen = new Set<number>();
  const keep: number[] = [];
  const duplicates: number[] = [];
  for (let i = 0; i < urns.length; i++) {
    const u = urns[i]!;
    if (seen.has(u)) duplicates.push(u);
    else {
      seen.add(u);
      keep.push(i);
    }
  }
  return { keep, duplicates };
}
