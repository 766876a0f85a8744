/**
 * Seeded random streams. Every random number in phasebench comes from here:
 * a stream is keyed by (root seed, run id, purpose), so adding a run to a sweep
 * never changes the numbers another run sees.
 *
 * @example
 * ```ts
 * import { rngFor } from "./rng.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * const w = rngFor(1, "eos/lr=0.2", "init").normals(10); // N(0, 1) draws
 * assertEquals(w.length, 10);
 * // the same (seed, run, purpose) gives the same stream; another purpose another one
 * assertEquals(rngFor(1, "eos/lr=0.2", "init").normals(10), w);
 * assertEquals(rngFor(1, "eos/lr=0.2", "data").normals(10)[0] === w[0], false);
 * ```
 * @module
 */
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";

/**
 * What a stream is used for; each purpose gets an independent stream. The
 * runner uses `init`, `data`, `split`, `batch:<...>`, `probe`/`probe:<step>`
 * and `noise`; any other name is allowed.
 */
export type Purpose = string;

/** FNV-1a 32-bit hash of a string (stable across platforms). */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Derives a 32-bit stream seed from (root seed, run id, purpose).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../tests/assert.ts";
 * assertEquals(deriveSeed(0, "run", "init") === deriveSeed(0, "run", "init"), true);
 * ```
 */
export function deriveSeed(seed: number, runId: string, purpose: Purpose): number {
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  return hash32(`${seed}\u0000${runId}\u0000${purpose}`);
}

/** A seeded random stream (xoroshiro128+ from pure-rand). */
export class Rng {
  #gen: ReturnType<typeof xoroshiro128plus>;
  #spare: number | null = null;

  /** Creates a stream from a 32-bit seed; prefer {@linkcode rngFor}. */
  constructor(seed32: number) {
    this.#gen = xoroshiro128plus(seed32 | 0);
    // discard a few outputs: xoroshiro's first outputs are weakly mixed
    for (let i = 0; i < 16; i++) this.#gen.next();
  }

  /** Uniform float in [0, 1). */
  float(): number {
    return uniformFloat64(this.#gen);
  }

  /** Uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.float();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Standard normal draw (Box–Muller, deterministic). */
  normal(): number {
    if (this.#spare !== null) {
      const s = this.#spare;
      this.#spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.float();
    const v = this.float();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** n standard normal draws scaled by `std`. */
  normals(n: number, std = 1): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = std * this.normal();
    return out;
  }

  /** n Rademacher (±1) draws. */
  rademacher(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.float() < 0.5 ? -1 : 1;
    return out;
  }

  /** A seeded permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** Serialisable state, for checkpoints. */
  state(): number[] {
    return [...this.#gen.getState(), this.#spare ?? NaN];
  }
}

/**
 * The stream for (root seed, run id, purpose).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../tests/assert.ts";
 * const a = rngFor(3, "grok/seed=3", "split").float();
 * const b = rngFor(3, "grok/seed=3", "split").float();
 * assertEquals(a === b, true);
 * ```
 */
export function rngFor(seed: number, runId: string, purpose: Purpose): Rng {
  return new Rng(deriveSeed(seed, runId, purpose));
}
