/**
 * Exact-value tests of core/checks/stats.ts, written against the mutants
 * StrykerJS found alive (`deno task mutation`): edge cases (empty, ties,
 * ends of ranges) and hand-computed answers.
 */
import {
  emaHalfLife,
  fitLine,
  goldenSection,
  huber,
  interpolate,
  interpolateOnGrid,
  leastSquares,
  mean,
  median,
  nelderMead,
  pearson,
  ranks,
  sd,
  spearman,
} from "../core/checks/stats.ts";
import { assertEquals, assertThrowsMsg } from "./assert.ts";

Deno.test("median/mean: unsorted input, odd and even lengths, empty is NaN", () => {
  assertEquals(median([5, 1, 3]), 3);
  assertEquals(median([4, 1, 3, 2]), 2.5);
  assertEquals(median([10, -1]), 4.5);
  assertEquals(median([7]), 7);
  assertEquals(median([]), NaN);
  const xs = [3, 1, 2];
  median(xs);
  assertEquals(xs, [3, 1, 2]); // the input is not sorted in place
  assertEquals(mean([1, 2, 6]), 3);
  assertEquals(mean([]), NaN);
});

Deno.test("sd: ddof 1 by default, NaN when n ≤ ddof", () => {
  assertEquals(sd([1, 3]), Math.SQRT2);
  assertEquals(sd([1, 3], 0), 1);
  assertEquals(sd([2, 4, 4, 4, 5, 5, 7, 9], 0), 2);
  assertEquals(sd([5]), NaN);
  assertEquals(sd([5], 0), 0);
  assertEquals(sd([]), NaN);
  assertEquals(sd([1, 2], 2), NaN);
});

Deno.test("ranks: ties share the mean rank, wherever they are; spearman of tied data", () => {
  assertEquals(ranks([10, 20, 30]), [1, 2, 3]);
  assertEquals(ranks([30, 10, 20]), [3, 1, 2]);
  assertEquals(ranks([2, 2, 2]), [2, 2, 2]);
  assertEquals(ranks([1, 5, 5, 9]), [1, 2.5, 2.5, 4]);
  assertEquals(ranks([9, 1, 9]), [2.5, 1, 2.5]);
  assertEquals(ranks([3, 3, 1, 1, 2]), [4.5, 4.5, 1.5, 1.5, 3]);
  assertEquals(ranks([]), []);
  assertEquals(spearman([1, 2, 3, 4], [1, 4, 9, 16]), 1);
  assertEquals(spearman([1, 2, 3], [3, 2, 1]), -1);
});

Deno.test("pearson: exact values, NaN for n < 2, unequal lengths or a constant side", () => {
  assertEquals(pearson([1, 2, 3], [2, 4, 6]), 1);
  assertEquals(pearson([1, 2, 3], [6, 4, 2]), -1);
  // x = −1, 0, 1; y = 1, 0, 2 → sxy = 1, sxx = 2, syy = 2 → 0.5
  assertEquals(pearson([-1, 0, 1], [1, 0, 2]), 0.5);
  assertEquals(pearson([1], [1]), NaN);
  assertEquals(pearson([1, 2], [1, 2, 3]), NaN);
  assertEquals(pearson([1, 1, 1], [1, 2, 3]), NaN);
  assertEquals(pearson([1, 2, 3], [4, 4, 4]), NaN);
  assertEquals(pearson([0, 1], [0, 1]), 1);
});

Deno.test("interpolate: exact at the knots and ends, linear between, NaN outside or empty", () => {
  const xs = [0, 1, 2, 4, 8, 16], ys = [0, 10, 20, 40, 80, 160];
  for (let i = 0; i < xs.length; i++) assertEquals(interpolate(xs, ys, xs[i]), ys[i]);
  assertEquals(interpolate(xs, ys, 3), 30);
  assertEquals(interpolate(xs, ys, 12), 120);
  assertEquals(interpolate(xs, ys, 0.5), 5);
  assertEquals(interpolate(xs, ys, 15), 150);
  assertEquals(interpolate(xs, ys, -0.001), NaN);
  assertEquals(interpolate(xs, ys, 16.001), NaN);
  assertEquals(interpolate(xs, ys, NaN), NaN);
  assertEquals(interpolate([], [], 0), NaN);
  assertEquals(interpolate([2], [7], 2), 7);
  // a repeated x: the later value at it, the earlier before it
  assertEquals(interpolate([0, 1, 1, 2], [0, 1, 5, 6], 1), 5);
  assertEquals(interpolate([0, 1, 1, 2], [0, 1, 5, 6], 0.5), 0.5);
  assertEquals(interpolate([0, 1, 1, 2], [0, 1, 5, 6], 1.5), 5.5);
  assertEquals(interpolate([0, 2], [4, 0], 1.5), 1);
  assertEquals(interpolateOnGrid(xs, ys, [1, 3, 20]), [10, 30, NaN]);
});

Deno.test("emaHalfLife: weight 2^(−Δt/h) on the past, raw values for h ≤ 0, empty input", () => {
  assertEquals(emaHalfLife([0, 1, 2], [0, 8, 8], 1), [0, 4, 6]);
  assertEquals(emaHalfLife([0, 2], [0, 8], 1), [0, 6]);
  assertEquals(emaHalfLife([0, 1, 3], [8, 0, 0], 2), [8, 8 * Math.SQRT1_2, 4 * Math.SQRT1_2]);
  assertEquals(emaHalfLife([0, 1, 2], [1, 2, 3], 0), [1, 2, 3]);
  assertEquals(emaHalfLife([0, 1], [1, 2], -1), [1, 2]);
  assertEquals(emaHalfLife([], [], 1), []);
  assertEquals(emaHalfLife([5], [3], 1), [3]);
});

Deno.test("fitLine: slope, intercept, r² exact; vertical data has no slope, constant y has r² 1", () => {
  assertEquals(fitLine([0, 1, 2], [1, 3, 5]), { slope: 2, intercept: 1, r2: 1 });
  // y = 0, 2, 1: slope 0.5, intercept 0.5, r² = 0.25
  assertEquals(fitLine([0, 1, 2], [0, 2, 1]), { slope: 0.5, intercept: 0.5, r2: 0.25 });
  assertEquals(fitLine([1, 2, 3], [4, 4, 4]), { slope: 0, intercept: 4, r2: 1 });
  const v = fitLine([2, 2], [1, 3]);
  assertEquals([v.slope, v.intercept, v.r2], [NaN, NaN, NaN]);
  assertEquals(fitLine([-1, 1], [0, -4]), { slope: -2, intercept: -2, r2: 1 });
});

Deno.test("leastSquares: exact solutions, with pivoting; singular systems throw", () => {
  // y = 1 + 2a − 3b
  const rows = [[1, 0, 0], [1, 1, 0], [1, 0, 1], [1, 1, 1], [1, 2, 3]];
  const y = rows.map(([c, a, b]) => c + 2 * a - 3 * b);
  const beta = leastSquares(rows, y);
  assertEquals(beta.map((v) => Math.round(v * 1e12) / 1e12), [1, 2, -3]);
  // a zero first pivot: the rows must be swapped
  assertEquals(leastSquares([[0, 1], [1, 0]], [3, 5]), [5, 3]);
  assertEquals(leastSquares([[0, 2], [1, 1]], [4, 3]), [1, 2]);
  assertEquals(leastSquares([[2]], [6]), [3]);
  assertEquals(leastSquares([[1, -1], [-3, 1]], [1, -5]).map((v) => Math.round(v * 1e9) / 1e9), [
    2,
    1,
  ]);
  assertThrowsMsg(() => leastSquares([[1, 1], [2, 2]], [1, 2]), /singular normal equations/);
  assertEquals(leastSquares([], []), []);
});

Deno.test("nelderMead: converges on a quadratic bowl; standard coefficients fix its path", () => {
  const bowl = (x: number[]) => (x[0] - 1) ** 2 + 4 * (x[1] + 2) ** 2;
  const r = nelderMead(bowl, [0, 0]);
  assertEquals(Math.abs(r.x[0] - 1) < 1e-6 && Math.abs(r.x[1] + 2) < 1e-6, true);
  assertEquals(r.value < 1e-12, true);
  assertEquals(r.iterations, NM_ITERATIONS.bowl);
  // a 1-D parabola from 10 with a unit step
  const p = nelderMead((x) => (x[0] - 3) ** 2, [10], { step: [1] });
  assertEquals(Math.abs(p.x[0] - 3) < 1e-6, true);
  assertEquals(p.iterations, NM_ITERATIONS.parabola);
  // maxIter 0 returns the best vertex of the initial simplex (x0 + 0.1·max(|x0|, 1))
  const z = nelderMead((x) => (x[0] - 100) ** 2, [10], { maxIter: 0 });
  assertEquals([z.x, z.value, z.iterations], [[11], 89 ** 2, 0]);
  // a non-finite objective is treated as +∞
  const nan = nelderMead((x) => x[0] < 0 ? NaN : (x[0] - 1) ** 2, [0.5], { step: [1] });
  assertEquals(Math.abs(nan.x[0] - 1) < 1e-6, true);
  // loose tolerances stop early
  const loose = nelderMead(bowl, [0, 0], { fTol: 1, xTol: 10 });
  assertEquals(loose.iterations < NM_ITERATIONS.bowl, true);
  assertEquals(loose.iterations, NM_ITERATIONS.loose);
});

/** Iteration counts of the runs above (reflection 1, expansion 2, contraction ½, shrink ½). */
const NM_ITERATIONS = { bowl: 118, parabola: 44, loose: 7 };

Deno.test("goldenSection: the minimum of a unimodal function; iterations shrink the bracket by 0.618", () => {
  const x = goldenSection((t) => (t - 0.3) ** 2, 0, 1);
  assertEquals(Math.abs(x - 0.3) < 1e-9, true);
  assertEquals(Math.abs(goldenSection((t) => Math.abs(t + 2), -5, 5) + 2) < 1e-9, true);
  const g = (Math.sqrt(5) - 1) / 2;
  // zero iterations: the better of the two interior points
  assertEquals(goldenSection((t) => t, 0, 1, 0), 1 - g);
  assertEquals(goldenSection((t) => -t, 0, 1, 0), g);
  // one iteration on f(t) = t: c = 1 − g, d = g → b = g, new c = g − g·g
  assertEquals(goldenSection((t) => t, 0, 1, 1), g - g * g);
  assertEquals(goldenSection((t) => -t, 0, 1, 1), (1 - g) + g * g);
  // ties go left
  assertEquals(goldenSection(() => 0, 0, 1, 0), 1 - g);
});

Deno.test("huber: quadratic up to δ (inclusive), linear beyond", () => {
  assertEquals(huber(0.5, 1), 0.125);
  assertEquals(huber(-0.5, 1), 0.125);
  assertEquals(huber(1, 1), 0.5);
  assertEquals(huber(3, 1), 2.5);
  assertEquals(huber(-3, 1), 2.5);
  assertEquals(huber(2, 2), 2);
  assertEquals(huber(4, 2), 6);
});

Deno.test("stats edge cases: exact knots with extreme values, repeated times without smoothing, golden-section ties", () => {
  // at a knot the knot's value, not ys[lo] + 1·(ys[hi] − ys[lo]) (which rounds to 2 here)
  assertEquals(interpolate([0, 1], [1e16, 1], 1), 1);
  // at the first knot its value, even next to an infinite one
  assertEquals(interpolate([0, 1], [2, Infinity], 0), 2);
  // halfLife 0 returns the raw values even where two rows share a time
  assertEquals(emaHalfLife([0, 0, 1], [1, 2, 3], 0), [1, 2, 3]);
  // a constant function: a tie keeps the left part, so one step shrinks the bracket to [0, g]
  const g = (Math.sqrt(5) - 1) / 2;
  assertEquals(goldenSection(() => 0, 0, 1, 1), g - g * g);
});
