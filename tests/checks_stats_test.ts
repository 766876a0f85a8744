import {
  emaHalfLife,
  fitLine,
  goldenSection,
  huber,
  interpolate,
  leastSquares,
  mean,
  median,
  nelderMead,
  pearson,
  ranks,
  sd,
  spearman,
} from "../core/checks/stats.ts";
import { assertClose, assertEquals, assertOk } from "./assert.ts";

Deno.test("median() takes the middle value, averaging the two middles for even length", () => {
  assertEquals(median([3, 1, 2]), 2);
  assertEquals(median([4, 1, 3, 2]), 2.5);
  assertOk(Number.isNaN(median([])));
});

Deno.test("sd() uses ddof 1 by default and ddof 0 on request", () => {
  assertClose(sd([1, 3]), Math.SQRT2, 1e-15);
  assertEquals(sd([1, 3], 0), 1);
  assertOk(Number.isNaN(sd([1])));
  assertEquals(mean([1, 2, 6]), 3);
});

Deno.test("ranks() gives ties the mean of their ranks; spearman() uses them", () => {
  assertEquals(ranks([10, 20, 10, 5]), [2.5, 4, 2.5, 1]);
  assertEquals(spearman([1, 2, 3, 4], [1, 4, 9, 16]), 1);
  assertEquals(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  // with ties: ranks x = [1,2,3,4], y = [1.5,1.5,3,4] → Pearson of ranks
  assertClose(
    spearman([1, 2, 3, 4], [7, 7, 8, 9]),
    pearson([1, 2, 3, 4], [1.5, 1.5, 3, 4]),
    1e-15,
  );
  assertOk(
    Number.isNaN(pearson([1, 1, 1], [1, 2, 3])),
    "constant series has no correlation",
  );
});

Deno.test("interpolate() is linear inside the range and NaN outside", () => {
  assertEquals(interpolate([0, 1, 2], [0, 10, 30], 1.5), 20);
  assertEquals(interpolate([0, 1, 2], [0, 10, 30], 2), 30);
  assertEquals(interpolate([0, 1, 2], [0, 10, 30], 0), 0);
  assertOk(Number.isNaN(interpolate([0, 1], [0, 1], 1.5)));
  assertOk(Number.isNaN(interpolate([0, 1], [0, 1], -0.1)));
});

Deno.test("emaHalfLife() closes a step change as 1 − 2^(−t/halfLife)", () => {
  const t = [0, 1, 2, 3, 4], y = [0, 1, 1, 1, 1];
  const s = emaHalfLife(t, y, 2);
  // the value 1 arrives at t = 1 and pulls with weight 1 − 2^(−Δt/h) per interval
  assertClose(s[3], 1 - Math.pow(2, -3 / 2), 1e-15);
  assertClose(s[2], 1 - Math.pow(2, -2 / 2), 1e-15);
  assertEquals(emaHalfLife(t, y, 0), y);
});

Deno.test("fitLine() and leastSquares() recover exact coefficients", () => {
  const f = fitLine([0, 1, 2, 3], [1, 3, 5, 7]);
  assertClose(f.slope, 2, 1e-15);
  assertClose(f.intercept, 1, 1e-15);
  assertClose(f.r2, 1, 1e-15);
  const b = leastSquares([[1, 0, 0], [1, 1, 1], [1, 2, 4], [1, 3, 9]], [
    1,
    6,
    17,
    34,
  ]);
  assertClose(b[0], 1, 1e-12);
  assertClose(b[1], 2, 1e-12);
  assertClose(b[2], 3, 1e-12);
});

Deno.test("nelderMead() finds the minimum of the Rosenbrock function", () => {
  const r = nelderMead(([a, b]) => (1 - a) ** 2 + 100 * (b - a * a) ** 2, [
    -1.2,
    1,
  ], {
    fTol: 1e-24,
    xTol: 1e-12,
    maxIter: 10000,
  });
  assertClose(r.x[0], 1, 1e-6);
  assertClose(r.x[1], 1, 1e-6);
});

Deno.test("goldenSection() and huber() behave as defined", () => {
  assertClose(goldenSection((x) => (x - 0.3) ** 2, 0, 1), 0.3, 1e-8);
  assertEquals(huber(0.5, 1), 0.125);
  assertEquals(huber(-3, 1), 2.5);
});
