/**
 * The update-Gram spectral edge (Xu 2026, "The Spectral Edge Thesis"): over
 * the last W parameter updates δ_t = θ_t − θ_{t−1}, X = [δ_{t−W+1} … δ_t]
 * (W×P) and G = XXᵀ (W×W, rows oldest first). Its singular values
 * σ_1 ≥ … ≥ σ_W are √eig(G); the edge index k* = argmax_j σ_j/σ_{j+1}; the gap
 * ratio R = σ_{k*} / σ_{k*+1}; the gap g₂₃ = σ₂² − σ₃²; and the adiabatic parameter
 * 𝒜 = ‖G_t − G_{t−s}‖_F / (η‖∇L‖²), comparing the time-ordered Gram now
 * with the one s steps ago (η and ‖∇L‖² of the current step).
 *
 * Only the last W updates are kept and G is maintained incrementally: each
 * new update costs W dot products of length P.
 *
 * **Zero singular values.** Singular values ≤ `rankTol`·σ_1 (default 1e-6)
 * count as zero; with r the number of the others (the numerical rank), k* is
 * taken over j = 1 … r − 1 only, i.e. ratios between nonzero singular values
 * (a rank-deficient window — e.g. P < W, or exactly repeated updates — would
 * otherwise give an infinite ratio at j = r that says nothing about the
 * training dynamics). With r < 2, k* and R are null.
 *
 * @example
 * ```ts
 * import { UpdateGram } from "./gram_edge.ts";
 * import { assertClose, assertEquals } from "../../tests/assert.ts";
 * const gram = new UpdateGram({ window: 3, lag: 1 });
 * // after every optimizer step: the update δ, η and ‖∇L‖²
 * gram.push(new Float64Array([3, 0, 0]), 0.1, 1);
 * gram.push(new Float64Array([0, 2, 0]), 0.1, 1);
 * assertEquals(gram.stats(), null); // until W updates are in
 * gram.push(new Float64Array([0, 0, 0.1]), 0.1, 1);
 * const st = gram.stats()!;
 * assertEquals([st.kStar, st.rank, st.adiabatic], [2, 3, null]); // σ = [3, 2, 0.1]
 * assertClose(st.s23!, 20, 1e-12);
 * ```
 * @module
 */
import { symmetricEigen } from "./eigen.ts";
import { dot, type Vec } from "./vector.ts";

/** The statistics of one update-Gram window. */
export interface GramEdgeStats {
  /** Singular values σ_1 ≥ … ≥ σ_W of X. */
  sigmas: Float64Array;
  /** Numerical rank r (σ_j > rankTol·σ_1). */
  rank: number;
  /** Edge index k* (1-based), or null when r < 2. */
  kStar: number | null;
  /** Gap ratio R = σ_{k*} / σ_{k*+1}, or null when r < 2. */
  gapRatio: number | null;
  /** σ₂² − σ₃² (null when W < 3). */
  g23: number | null;
  /**
   * σ₂/σ₃: the second gap as a ratio, invariant to the size of the updates
   * (null when W < 3 or σ₃ = 0).
   */
  s23: number | null;
  /**
   * g₂₃ / trace(G) = (σ₂² − σ₃²) / Σ σ_j²: the gap as a fraction of the
   * window's total squared update, also scale-free (null when W < 3 or G = 0).
   */
  g23Rel: number | null;
}

/**
 * Edge statistics of a Gram matrix (W×W, row-major).
 *
 * @example
 * ```ts
 * import { assertClose, assertEquals } from "../../tests/assert.ts";
 * const st = gramEdgeStats(new Float64Array([9, 0, 0, 0, 4, 0, 0, 0, 0.01]), 3);
 * // σ = [3, 2, 0.1]: the largest ratio is σ₂/σ₃ = 20
 * assertEquals([st.kStar, st.rank], [2, 3]);
 * assertClose(st.gapRatio!, 20, 1e-12);
 * assertClose(st.g23!, 4 - 0.01, 1e-12);
 * assertClose(st.g23Rel!, 3.99 / 13.01, 1e-12);
 * ```
 */
export function gramEdgeStats(
  gram: ArrayLike<number>,
  w: number,
  rankTol = 1e-6,
): GramEdgeStats {
  const { values } = symmetricEigen(gram, w);
  const sigmas = values.map((v) => Math.sqrt(Math.max(v, 0)));
  const floor = rankTol * sigmas[0];
  let rank = 0;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: true and rank <= w only add the test sigmas[w] > floor, which is false (undefined)
  while (rank < w && sigmas[rank] > floor) rank++;
  let kStar: number | null = null;
  let gapRatio: number | null = null;
  for (let j = 0; j + 1 < rank; j++) {
    const ratio = sigmas[j] / sigmas[j + 1];
    // Stryker disable next-line ConditionalExpression: false compares the first ratio with null, i.e. ratio > 0, true since σ_j ≥ σ_{j+1} > 0 here
    if (gapRatio === null || ratio > gapRatio) {
      gapRatio = ratio;
      kStar = j + 1;
    }
  }
  const g23 = w >= 3 ? sigmas[1] ** 2 - sigmas[2] ** 2 : null;
  let trace = 0;
  for (const s of sigmas) trace += s * s;
  // Stryker disable next-line ConditionalExpression: true for w >= 3 leaves sigmas[2] > 0, false (undefined) when w = 2
  const s23 = w >= 3 && sigmas[2] > 0 ? sigmas[1] / sigmas[2] : null;
  const g23Rel = g23 !== null && trace > 0 ? g23 / trace : null;
  return { sigmas, rank, kStar, gapRatio, g23, s23, g23Rel };
}

/** Options of {@linkcode UpdateGram}. */
export interface UpdateGramOptions {
  /** Window W (≥ 2); default 10. */
  window?: number;
  /** Lag s of the adiabatic parameter (≥ 1); default W. */
  lag?: number;
  /** Relative threshold below which singular values count as zero; default 1e-6. */
  rankTol?: number;
}

/** Serializable state of an {@linkcode UpdateGram} (for checkpoints). */
export interface UpdateGramSnapshot {
  /** The kept updates, oldest first. */
  deltas: (Float32Array | Float64Array)[];
  /** Time-ordered Grams of the last s + 1 full windows, oldest first. */
  history: Float64Array[];
  /** η and ‖∇L‖² of the last update. */
  lr: number;
  gradNormSq: number;
}

/**
 * Rolling window of updates with an incrementally maintained Gram matrix.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * const gram = new UpdateGram({ window: 3 });
 * for (const d of [[1, 0], [0, 1], [1, 1]]) gram.push(Float64Array.from(d), 0.1, 1);
 * // G = [[1, 0, 1], [0, 1, 1], [1, 1, 2]]: σ² = 3, 1, 0, numerical rank 2
 * assertEquals([gram.stats()?.kStar, gram.stats()?.rank], [1, 2]);
 * ```
 */
export class UpdateGram {
  /** Window W. */
  readonly window: number;
  /** Lag s. */
  readonly lag: number;
  readonly #rankTol: number;
  #slots: (Vec | null)[];
  #head = 0; // slot of the oldest update once full
  #size = 0;
  #g: Float64Array; // slot-indexed W×W
  #history: Float64Array[] = [];
  #lr = NaN;
  #gradNormSq = NaN;

  constructor(options: UpdateGramOptions = {}) {
    const w = options.window ?? 10;
    if (!Number.isInteger(w) || w < 2) {
      throw new Error(`UpdateGram: window must be an integer ≥ 2, got ${w}`);
    }
    const lag = options.lag ?? w;
    if (!Number.isInteger(lag) || lag < 1) {
      throw new Error(`UpdateGram: lag must be an integer ≥ 1, got ${lag}`);
    }
    this.window = w;
    this.lag = lag;
    this.#rankTol = options.rankTol ?? 1e-6;
    // Stryker disable next-line ArrayDeclaration: slots are assigned by index and read as missing (undefined) or an update, so the initial length does not matter
    this.#slots = new Array(w).fill(null);
    this.#g = new Float64Array(w * w);
  }

  /** Number of updates currently in the window (≤ W). */
  get size(): number {
    return this.#size;
  }

  /**
   * Adds the update δ_t of one optimizer step with its learning rate η_t and
   * squared gradient norm ‖∇L‖² (used by the adiabatic parameter). The update
   * is copied.
   */
  push(delta: Vec, lr: number, gradNormSq: number): void {
    const w = this.window;
    // Stryker disable next-line ConditionalExpression: slots fill from index 0, so the first slot is the first non-null one (or nothing is stored)
    const first = this.#slots.find((s) => s !== null);
    if (first && first.length !== delta.length) {
      throw new Error(
        `UpdateGram: update has length ${delta.length}, expected ${first.length}`,
      );
    }
    // Stryker disable next-line ConditionalExpression,EqualityOperator: with size = w, (head + size) % w is head
    const slot = this.#size < w ? (this.#head + this.#size) % w : this.#head;
    const copy = delta instanceof Float32Array
      ? Float32Array.from(delta)
      : Float64Array.from(delta);
    this.#slots[slot] = copy;
    if (this.#size < w) this.#size++;
    else this.#head = (this.#head + 1) % w;
    for (let j = 0; j < w; j++) {
      const other = this.#slots[j];
      const v = other ? dot(copy, other) : 0;
      this.#g[slot * w + j] = v;
      this.#g[j * w + slot] = v;
    }
    this.#lr = lr;
    this.#gradNormSq = gradNormSq;
    if (this.#size === w) {
      this.#history.push(this.gram());
      if (this.#history.length > this.lag + 1) this.#history.shift();
    }
  }

  /** The current Gram matrix, time-ordered (row 0 = oldest update), W'×W' with W' = size. */
  gram(): Float64Array {
    const w = this.window;
    const n = this.#size;
    const out = new Float64Array(n * n);
    // Stryker disable next-line EqualityOperator: a <= n only writes out[n·n + b], past the end of the typed array (dropped)
    for (let a = 0; a < n; a++) {
      const sa = (this.#head + a) % w;
      // Stryker disable next-line EqualityOperator: b <= n writes out[(a + 1)·n], which the next row overwrites, or past the end (dropped)
      for (let b = 0; b < n; b++) {
        out[a * n + b] = this.#g[sa * w + ((this.#head + b) % w)];
      }
    }
    return out;
  }

  /**
   * Edge statistics of the current window plus the adiabatic parameter, or
   * null until W updates have been pushed. `adiabatic` is null until the
   * Gram of s steps ago exists, or when η‖∇L‖² is not positive.
   */
  stats(): (GramEdgeStats & { adiabatic: number | null }) | null {
    if (this.#size < this.window) return null;
    const stats = gramEdgeStats(this.gram(), this.window, this.#rankTol);
    let adiabatic: number | null = null;
    const denom = this.#lr * this.#gradNormSq;
    if (
      this.#history.length === this.lag + 1 && denom > 0 &&
      Number.isFinite(denom)
    ) {
      const now = this.#history[this.lag];
      const then = this.#history[0];
      let s = 0;
      for (let i = 0; i < now.length; i++) s += (now[i] - then[i]) ** 2;
      adiabatic = Math.sqrt(s) / denom;
    }
    return { ...stats, adiabatic };
  }

  /** The state to checkpoint. */
  snapshot(): UpdateGramSnapshot {
    const deltas: (Float32Array | Float64Array)[] = [];
    for (let a = 0; a < this.#size; a++) {
      const d = this.#slots[(this.#head + a) % this.window];
      // Stryker disable next-line ConditionalExpression: the slots of the first size updates are never null
      if (d) {
        deltas.push(
          d instanceof Float32Array ? Float32Array.from(d) : Float64Array.from(d),
        );
      }
    }
    return {
      deltas,
      history: this.#history.map((g) => Float64Array.from(g)),
      lr: this.#lr,
      gradNormSq: this.#gradNormSq,
    };
  }

  /** Restores a state from {@linkcode snapshot} (replacing the current one). */
  restore(snapshot: UpdateGramSnapshot): void {
    const w = this.window;
    if (snapshot.deltas.length > w) {
      throw new Error(
        `UpdateGram.restore: ${snapshot.deltas.length} updates exceed window ${w}`,
      );
    }
    // Stryker disable next-line ArrayDeclaration: slots are assigned by index and read as missing (undefined) or an update, so the initial length does not matter
    this.#slots = new Array(w).fill(null);
    this.#g = new Float64Array(w * w);
    this.#head = 0;
    this.#size = 0;
    // Stryker disable next-line ArrayDeclaration: replaced below before it is read
    this.#history = [];
    for (const d of snapshot.deltas) {
      const slot = this.#size;
      this.#slots[slot] = d instanceof Float32Array ? Float32Array.from(d) : Float64Array.from(d);
      this.#size++;
    }
    for (let a = 0; a < this.#size; a++) {
      for (let b = 0; b < this.#size; b++) {
        // same dot(new, old) orientation as push(): the later update first
        const later = Math.max(a, b);
        const earlier = Math.min(a, b);
        this.#g[a * w + b] = dot(this.#slots[later]!, this.#slots[earlier]!);
      }
    }
    this.#history = snapshot.history.slice(-(this.lag + 1)).map((g) => Float64Array.from(g));
    this.#lr = snapshot.lr;
    this.#gradNormSq = snapshot.gradNormSq;
  }
}
