/**
 * Exact-value tests of the Lanczos recurrence, the Lanczos driver and power
 * iteration on diag(1, 2, 3, 4), written against the mutants StrykerJS found
 * alive (`deno task mutation`). The first coefficients are computed by hand.
 */
import { lanczos, lanczosTridiagonal } from "../core/spectral/lanczos.ts";
import { powerIteration } from "../core/spectral/power.ts";
import { rngFor } from "../core/rng.ts";
import { dot, normalized } from "../core/spectral/vector.ts";
import { assertEquals, assertRejectsMsg } from "./assert.ts";

const D4 = (v: Float64Array) => Float64Array.from(v, (x, i) => (i + 1) * x);
const HALF = new Float64Array([0.5, 0.5, 0.5, 0.5]);
const r12 = (v: number) => Math.round(v * 1e12) / 1e12;

Deno.test("lanczosTridiagonal: α₀ = qᵀAq, β₀ = ‖Aq − α₀q‖, and the Krylov space ends at dim", async () => {
  const two = await lanczosTridiagonal(D4, HALF, 2);
  // α₀ = (1 + 2 + 3 + 4)/4 = 2.5, β₀ = √(((1.5)² + (0.5)² + (0.5)² + (1.5)²)/4) = √1.25
  assertEquals([two.alpha[0], r12(two.beta[0]), two.alpha.length, two.beta.length], [
    2.5,
    r12(Math.sqrt(1.25)),
    2,
    1,
  ]);
  assertEquals([two.matvecs, two.invariant, two.basis.length], [2, false, 2]);
  assertEquals(two.betaNext > 0, true);
  assertEquals([...two.basis[0]], [...HALF]);
  const full = await lanczosTridiagonal(D4, HALF, 10);
  assertEquals([full.alpha.length, full.beta.length, full.matvecs, full.invariant], [
    4,
    3,
    4,
    true,
  ]);
  // the sum of the α's is the trace restricted to the Krylov space: here Tr A = 10
  assertEquals(r12(full.alpha.reduce((a, b) => a + b)), 10);
  // an eigenvector start is invariant after one product
  const e1 = await lanczosTridiagonal(D4, new Float64Array([1, 0, 0, 0]), 3);
  assertEquals([[...e1.alpha], e1.beta.length, e1.matvecs, e1.invariant, e1.betaNext], [
    [1],
    0,
    1,
    true,
    0,
  ]);
  // shouldStop stops after the step it returns true on
  const calls: number[] = [];
  const stopped = await lanczosTridiagonal(D4, HALF, 4, (a, b, bn) => {
    calls.push(a.length * 10 + b.length);
    return bn > 0 && a.length === 2;
  });
  assertEquals([calls, stopped.alpha.length, stopped.beta.length, stopped.invariant], [
    [10, 21],
    2,
    1,
    false,
  ]);
  await assertRejectsMsg(
    () => lanczosTridiagonal(() => new Float64Array(3), HALF, 2),
    /matvec returned length 3, expected 4/,
  );
  await assertRejectsMsg(
    () => lanczosTridiagonal(() => new Float64Array([NaN, 0, 0, 0]), HALF, 2),
    /matvec produced a non-finite value/,
  );
});

Deno.test("lanczos: the top-k Ritz pairs of diag(1..4) exactly, with residuals and the tridiagonal", async () => {
  const r = await lanczos(D4, 4, { k: 2, start: HALF });
  assertEquals(r.values.map(r12), [4, 3]);
  assertEquals([r.matvecs, r.converged, r.alpha.length, r.beta.length], [4, true, 4, 3]);
  assertEquals(r.residuals.every((x) => x < 1e-10), true);
  assertEquals(Math.abs(Math.abs(r.vectors[0][3]) - 1) < 1e-10, true);
  assertEquals(Math.abs(Math.abs(r.vectors[1][2]) - 1) < 1e-10, true);
  // k larger than the Krylov space: as many as there are
  const e4 = await lanczos(D4, 4, { k: 3, start: new Float64Array([0, 0, 0, 2]) });
  assertEquals([e4.values, e4.matvecs, e4.converged, e4.residuals], [[4], 1, true, [0]]);
  // maxIter 2: two Ritz values, not converged at tol 1e-12
  const short = await lanczos(D4, 4, { start: HALF, maxIter: 2, tol: 1e-12 });
  assertEquals([short.matvecs, short.converged, short.values.length], [2, false, 1]);
  // the residual of the returned pair is βₘ·|last component of its Ritz vector|
  const y = short.vectors[0], ay = D4(y);
  let res = 0;
  for (let i = 0; i < 4; i++) res += (ay[i] - short.values[0] * y[i]) ** 2;
  assertEquals(Math.abs(Math.sqrt(res) - short.residuals[0]) < 1e-12, true);
});

Deno.test("lanczos: residual test with minIter, default tol 1e-3, and every refusal", async () => {
  // a loose tolerance stops at the first step whose residual test passes; minIter delays it
  const loose = await lanczos(D4, 4, { start: HALF, tol: 10 });
  assertEquals([loose.matvecs, loose.converged], [1, true]);
  const min3 = await lanczos(D4, 4, { start: HALF, tol: 10, minIter: 3 });
  assertEquals([min3.matvecs, min3.converged], [3, true]);
  const k2 = await lanczos(D4, 4, { start: HALF, tol: 10, k: 2 });
  assertEquals(k2.matvecs, 2);
  // warm start: noise off gives the normalised start exactly
  const warm = await lanczos(D4, 4, {
    start: new Float64Array([1, 1, 1, 1]),
    rng: rngFor(1, "t", "probe"),
    warmNoise: 0,
    maxIter: 1,
  });
  assertEquals(warm.alpha[0], 2.5);
  const noisy = await lanczos(D4, 4, {
    start: new Float64Array([1, 1, 1, 1]),
    rng: rngFor(1, "t", "probe"),
    maxIter: 1,
  });
  assertEquals(noisy.alpha[0] !== 2.5 && Math.abs(noisy.alpha[0] - 2.5) < 0.1, true);
  const cold = await lanczos(D4, 4, { rng: rngFor(1, "t", "probe"), k: 1 });
  assertEquals(r12(cold.values[0]), 4);
  await assertRejectsMsg(
    () => lanczos(D4, 4, { start: HALF, k: 0 }),
    /k must be an integer in \[1, 40\], got 0/,
  );
  await assertRejectsMsg(() => lanczos(D4, 4, { start: HALF, k: 41 }), /got 41/);
  await assertRejectsMsg(() => lanczos(D4, 4, { start: HALF, k: 1.5 }), /got 1.5/);
  assertEquals(
    (await lanczos(D4, 50, { rng: rngFor(1, "t", "probe"), k: 40, maxIter: 1 })).values.length,
    1,
  );
  await assertRejectsMsg(
    () => lanczos(D4, 4, { start: HALF, maxIter: 0 }),
    /maxIter must be ≥ 1, got 0/,
  );
  await assertRejectsMsg(
    () => lanczos(D4, 4, { start: HALF, tol: 0 }),
    /tol must be positive, got 0/,
  );
  await assertRejectsMsg(
    () => lanczos(D4, 4, { start: new Float64Array(3) }),
    /start vector has length 3, expected 4/,
  );
  await assertRejectsMsg(
    () => lanczos(D4, 4, {}),
    /give a start vector or an rng \(no hidden randomness\)/,
  );
});

Deno.test("powerIteration: the largest algebraic eigenvalue, its residual and matvec count", async () => {
  const p = await powerIteration(D4, 4, {
    start: new Float64Array([0, 0, 1, 1]),
    tol: 1e-14,
    maxIter: 500,
  });
  assertEquals([r12(p.value), r12(p.dominant), p.converged], [4, 4, true]);
  assertEquals(p.residual < 1e-6, true);
  // an eigenvector start converges at the second product (no change)
  const e = await powerIteration(D4, 4, { start: new Float64Array([0, 0, 0, 3]) });
  assertEquals([e.value, e.dominant, e.matvecs, e.converged, e.residual, [...e.vector]], [
    4,
    4,
    2,
    true,
    0,
    [0, 0, 0, 1],
  ]);
  // maxIter 1: one product, not converged
  const one = await powerIteration(D4, 4, { start: HALF, maxIter: 1 });
  assertEquals([one.value, one.matvecs, one.converged], [2.5, 1, false]);
  // the zero matrix: converged at once (‖Av‖ = 0)
  const zero = await powerIteration((v) => new Float64Array(v.length), 2, {
    start: new Float64Array([1, 0]),
  });
  assertEquals([zero.value, zero.matvecs, zero.converged], [0, 1, true]);
  // tol: relative change ≤ tol·|previous| stops
  const loose = await powerIteration(D4, 4, { start: HALF, tol: 1 });
  assertEquals(loose.matvecs, 2);
});

Deno.test("powerIteration: a dominant negative eigenvalue is shifted away; refusals", async () => {
  // diag(−10, 1, 2): the first run finds −10, the shifted run (A + 10I) finds 12 → 2
  const A = (v: Float64Array) => new Float64Array([-10 * v[0], v[1], 2 * v[2]]);
  const p = await powerIteration(A, 3, {
    start: new Float64Array([1, 0.1, 0.1]),
    tol: 1e-12,
    maxIter: 1000,
  });
  assertEquals([r12(p.dominant), Math.round(p.value * 1e6) / 1e6], [-10, 2]);
  assertEquals(p.residual < 1e-4, true);
  const e = await powerIteration(A, 3, { start: new Float64Array([1, 0, 0]) });
  // first run −10 (2 products); the shifted run from the same start: (A + 10I)e₁ = 0 → 1 product
  assertEquals([e.dominant, e.value, e.matvecs, e.converged], [-10, -10, 3, true]);
  const r = await powerIteration(A, 3, { rng: rngFor(2, "t", "probe"), tol: 1e-12, maxIter: 2000 });
  assertEquals(Math.round(r.value * 1e6) / 1e6, 2);
  await assertRejectsMsg(
    () => powerIteration(D4, 4, { start: HALF, tol: 0 }),
    /tol must be positive, got 0/,
  );
  await assertRejectsMsg(
    () => powerIteration(D4, 4, { start: HALF, maxIter: 0 }),
    /maxIter must be ≥ 1, got 0/,
  );
  await assertRejectsMsg(() => powerIteration(D4, 4, { start: HALF, maxIter: 1.5 }), /got 1.5/);
  await assertRejectsMsg(
    () => powerIteration(D4, 4, { start: new Float64Array(2) }),
    /start has length 2, expected 4/,
  );
  await assertRejectsMsg(() => powerIteration(D4, 4, {}), /give a start vector or an rng/);
  await assertRejectsMsg(
    () => powerIteration(() => new Float64Array([NaN, 0]), 2, { start: new Float64Array([1, 0]) }),
    /powerIteration: matvec produced a non-finite value/,
  );
});

Deno.test("lanczos: the warm start adds warmNoise·r̂ to the normalised start, only for warmNoise > 0", async () => {
  const start = new Float64Array([1, 1, 1, 1]);
  const r = normalized(rngFor(1, "t", "probe").normals(4));
  const q = normalized(Float64Array.from(HALF, (v, i) => v + 0.01 * r[i]));
  const warm = await lanczos(D4, 4, { start, rng: rngFor(1, "t", "probe"), maxIter: 1 });
  assertEquals(warm.alpha[0], dot(q, D4(q)));
  const negative = await lanczos(D4, 4, {
    start,
    rng: rngFor(1, "t", "probe"),
    warmNoise: -0.01,
    maxIter: 1,
  });
  assertEquals(negative.alpha[0], 2.5);
});

Deno.test("lanczos: a zero operator is invariant at once; a tiny one (1e-13·A) is not cut short", async () => {
  const zero = await lanczos((v) => new Float64Array(v.length), 4, { start: HALF });
  assertEquals([zero.values, zero.matvecs, zero.converged], [[0], 1, true]);
  const tiny = await lanczos((v) => D4(v).map((x) => 1e-13 * x), 4, { start: HALF, tol: 1e-9 });
  assertEquals(Math.abs(tiny.values[0] / 4e-13 - 1) < 1e-9, true);
  assertEquals(tiny.matvecs > 1, true);
});

Deno.test("powerIteration: converged only when both runs converged", async () => {
  // diag(−10, 1, 2): the first run meets tol 1e-6 quickly; the shifted run (ratio 11/12) does not in 20
  const A = (v: Float64Array) => new Float64Array([-10 * v[0], v[1], 2 * v[2]]);
  const p = await powerIteration(A, 3, {
    start: new Float64Array([1, 0.1, 0.1]),
    tol: 1e-6,
    maxIter: 20,
  });
  assertEquals([Math.round(p.dominant), p.converged], [-10, false]);
});
