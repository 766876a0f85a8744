/**
 * The Chebyshev regression task for edge of stability (SPEC §6.4, the numpy
 * reference setting): n points evenly spaced on [−1, 1] (numpy
 * `linspace(-1, 1, n)`, endpoints included), target T_d(x).
 *
 * @example
 * ```ts
 * import { chebyshevTask } from "./chebyshev.ts";
 * const data = chebyshevTask({ kind: "chebyshev", degree: 3, n: 20, testN: 101 });
 * import { assertEquals } from "../tests/assert.ts";
 * assertEquals(data.train.y[0], -1); // T3(−1) = −1
 * ```
 * @module
 */
import type { ChebyshevTask } from "../core/config/task_schema.ts";
import type { Split, TaskData } from "./types.ts";

/**
 * The Chebyshev polynomial T_d(x) by the recurrence
 * T₀ = 1, T₁ = x, T_{k+1} = 2x T_k − T_{k−1}.
 *
 * @example
 * ```ts
 * import { chebyshevT } from "./chebyshev.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * assertEquals(chebyshevT(3, 0.5), -1); // 4·0.125 − 3·0.5
 * ```
 */
export function chebyshevT(degree: number, x: number): number {
  if (!Number.isInteger(degree) || degree < 0) {
    throw new RangeError(`task.degree: expected an integer ≥ 0, got ${degree}`);
  }
  if (degree === 0) return 1;
  let prev = 1;
  let cur = x;
  for (let k = 1; k < degree; k++) [prev, cur] = [cur, 2 * x * cur - prev];
  return cur;
}

/**
 * n evenly spaced points on [lo, hi], endpoints included (numpy `linspace`:
 * x_i = lo + i·(hi − lo)/(n − 1), the last point set to hi exactly).
 *
 * @example
 * ```ts
 * import { linspace } from "./chebyshev.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * assertEquals(linspace(-1, 1, 3), new Float64Array([-1, 0, 1]));
 * ```
 */
export function linspace(lo: number, hi: number, n: number): Float64Array {
  const out = new Float64Array(n);
  const step = (hi - lo) / (n - 1);
  for (let i = 0; i < n; i++) out[i] = lo + i * step;
  if (n > 1) out[n - 1] = hi;
  return out;
}

function grid(degree: number, n: number): Split {
  const xs = linspace(-1, 1, n);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = xs[i];
    y[i] = chebyshevT(degree, xs[i]);
  }
  return { x, y, n, xShape: [1], yShape: [1] };
}

/**
 * The task: train on `n` evenly spaced points, test on `testN` evenly spaced
 * points, both on [−1, 1]; targets computed in float64 from the float64 grid,
 * then stored as float32.
 *
 * @example
 * ```ts
 * import { chebyshevTask } from "./chebyshev.ts";
 * import { assertEquals } from "../tests/assert.ts";
 * assertEquals(chebyshevTask({ kind: "chebyshev", degree: 3, n: 20, testN: 101 }).train.n, 20);
 * ```
 */
export function chebyshevTask(cfg: ChebyshevTask): TaskData {
  if (!Number.isInteger(cfg.n) || cfg.n < 2) {
    throw new RangeError(`task.n: expected an integer ≥ 2, got ${cfg.n}`);
  }
  return {
    kind: "chebyshev",
    inputDim: 1,
    outputDim: 1,
    classification: false,
    train: grid(cfg.degree, cfg.n),
    test: grid(cfg.degree, cfg.testN),
  };
}
