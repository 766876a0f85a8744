import { assertClose, assertEquals, assertOk, assertRejectsMsg } from "./assert.ts";
import { rngFor } from "../core/rng.ts";
import { symmetricEigen, tridiagonalEigen } from "../core/spectral/eigen.ts";
import { lanczos } from "../core/spectral/lanczos.ts";
import { powerIteration } from "../core/spectral/power.ts";
import { knownSpectrum } from "./reference/matrices.ts";

function sortedDesc(values: Float64Array): Float64Array {
  return Float64Array.from(values).sort().reverse();
}

/** A Hessian-like spectrum: a few outliers above a bulk, plus a large negative eigenvalue. */
function outlierSpectrum(n: number, seed: number): Float64Array {
  const rng = rngFor(seed, "lanczos-test", "data");
  const values = new Float64Array(n);
  values.set([20, 12, 8, 5, 4, -30]);
  for (let i = 6; i < n; i++) values[i] = rng.uniform(-1, 3);
  return values;
}

Deno.test("symmetricEigen() recovers the spectrum and eigenvectors of Q diag(λ) Qᵀ", () => {
  const values = Float64Array.from(
    { length: 40 },
    (_, i) => (i - 20) * 0.37 + (i % 3) * 0.01,
  );
  const a = knownSpectrum(values, rngFor(0, "eigen", "data"));
  const { values: got, vectors } = symmetricEigen(a.dense(), a.n);
  const want = sortedDesc(values);
  for (let i = 0; i < a.n; i++) {
    assertClose(got[i], want[i], 1e-10, `eigenvalue ${i}`);
  }
  const av = a.matvec(vectors[0]);
  let res = 0;
  for (let i = 0; i < a.n; i++) {
    res = Math.max(res, Math.abs(av[i] - got[0] * vectors[0][i]));
  }
  assertOk(res < 1e-10, `eigenvector residual ${res}`);
});

Deno.test("tridiagonalEigen() agrees with symmetricEigen() on a random tridiagonal matrix", () => {
  const rng = rngFor(1, "eigen", "data");
  const m = 30;
  const d = rng.normals(m);
  const e = rng.normals(m - 1);
  const dense = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    dense[i * m + i] = d[i];
    if (i + 1 < m) dense[i * m + i + 1] = dense[(i + 1) * m + i] = e[i];
  }
  const a = tridiagonalEigen(d, e).values;
  const b = symmetricEigen(dense, m).values;
  for (let i = 0; i < m; i++) assertClose(a[i], b[i], 1e-10, `eigenvalue ${i}`);
});

Deno.test("lanczos() finds the top-5 algebraic eigenvalues of a known spectrum to 1e-6", async () => {
  const values = outlierSpectrum(300, 0);
  const a = knownSpectrum(values, rngFor(0, "lanczos", "data"));
  const r = await lanczos(a.matvec, a.n, {
    k: 5,
    tol: 1e-8,
    maxIter: 300,
    rng: rngFor(0, "lanczos", "probe"),
  });
  const want = sortedDesc(values);
  assertEquals(r.values.length, 5);
  for (let i = 0; i < 5; i++) {
    assertClose(r.values[i], want[i], 1e-6, `λ_${i + 1}`);
  }
  // the −30 eigenvalue is larger in magnitude but not algebraically
  assertOk(r.values[0] === Math.max(...r.values));
  assertOk(r.converged);
  // reported Ritz residuals are the true residuals ‖Ay − θy‖
  for (let i = 0; i < 5; i++) {
    const ay = a.matvec(r.vectors[i]);
    let s = 0;
    for (let t = 0; t < a.n; t++) {
      s += (ay[t] - r.values[i] * r.vectors[i][t]) ** 2;
    }
    assertOk(
      Math.abs(Math.sqrt(s) - r.residuals[i]) <= 1e-9 + 1e-3 * r.residuals[i],
      `residual ${i}`,
    );
  }
  assertOk(r.matvecs < 300, `used ${r.matvecs} matvecs`);
});

Deno.test("lanczos() negative control: too few iterations miss the 1e-6 accuracy", async () => {
  const values = outlierSpectrum(300, 0);
  const a = knownSpectrum(values, rngFor(0, "lanczos", "data"));
  const r = await lanczos(a.matvec, a.n, {
    k: 5,
    tol: 1e-8,
    maxIter: 6,
    rng: rngFor(0, "lanczos", "probe"),
  });
  const want = sortedDesc(values);
  assertOk(!r.converged);
  const worst = Math.max(
    ...r.values.map((v, i) => Math.abs(v - want[i]) / Math.abs(want[i])),
  );
  assertOk(worst > 1e-6, `worst relative error ${worst}`);
});

Deno.test("lanczos() warm start needs at most half the matvecs of a cold start on a drifting matrix", async () => {
  const n = 300;
  const a = knownSpectrum(outlierSpectrum(n, 1), rngFor(1, "drift", "data"));
  const e = knownSpectrum(
    rngFor(2, "drift", "data").normals(n),
    rngFor(2, "drift", "data"),
  );
  let cold = 0;
  let warm = 0;
  let start: Float64Array | undefined;
  for (let t = 0; t < 8; t++) {
    const matvec = (v: Float64Array) => {
      const out = a.matvec(v);
      const ev = e.matvec(v);
      for (let i = 0; i < n; i++) out[i] += 0.03 * t * ev[i];
      return out;
    };
    const c = await lanczos(matvec, n, {
      tol: 1e-3,
      rng: rngFor(1, "cold", `probe:${t}`),
    });
    const w = await lanczos(matvec, n, {
      tol: 1e-3,
      start,
      rng: rngFor(1, "warm", `probe:${t}`),
    });
    const exact = (await lanczos(matvec, n, { tol: 1e-12, rng: rngFor(1, "exact", "probe") }))
      .values[0];
    assertClose(c.values[0], exact, 1e-3, `cold λ_max at t=${t}`);
    assertClose(w.values[0], exact, 1e-3, `warm λ_max at t=${t}`);
    if (t > 0) {
      cold += c.matvecs;
      warm += w.matvecs;
    }
    start = w.vectors[0];
  }
  assertOk(warm * 2 <= cold, `warm ${warm} vs cold ${cold} matvecs`);
});

Deno.test("lanczos() returns what it has when the Krylov space is invariant", async () => {
  const d = new Float64Array([3, 2, 1, 0.5]);
  const start = new Float64Array([1, 1, 0, 0]); // spans an invariant 2-dim subspace
  const r = await lanczos((v) => v.map((x, i) => d[i] * x), 4, {
    k: 3,
    start,
    tol: 1e-10,
  });
  assertEquals(r.values.length, 2);
  assertClose(r.values[0], 3, 1e-12);
  assertClose(r.values[1], 2, 1e-12);
  assertOk(r.converged);
});

Deno.test("lanczos() refuses hidden randomness and bad arguments", async () => {
  const id = (v: Float64Array) => v.slice();
  await assertRejectsMsg(() => lanczos(id, 3), /start vector or an rng/);
  await assertRejectsMsg(
    () => lanczos(id, 3, { k: 41, rng: rngFor(0, "x", "probe") }),
    /k must be/,
  );
  await assertRejectsMsg(
    () => lanczos(id, 3, { start: new Float64Array(2) }),
    /length 2, expected 3/,
  );
  await assertRejectsMsg(
    () =>
      lanczos(() => new Float64Array([NaN, 0, 0]), 3, {
        rng: rngFor(0, "x", "probe"),
      }),
    /non-finite/,
  );
});

Deno.test("powerIteration() reports the largest algebraic eigenvalue even when a negative one dominates", async () => {
  const values = outlierSpectrum(200, 2); // contains −30 (dominant) and 20 (largest algebraic)
  const a = knownSpectrum(values, rngFor(3, "power", "data"));
  const r = await powerIteration(a.matvec, a.n, {
    tol: 1e-8,
    maxIter: 1000,
    rng: rngFor(3, "power", "probe"),
  });
  assertClose(r.dominant, -30, 1e-6, "dominant");
  assertClose(r.value, 20, 1e-4, "largest algebraic");
  assertOk(r.converged);
  const ay = a.matvec(r.vector);
  let s = 0;
  for (let i = 0; i < a.n; i++) s += (ay[i] - r.value * r.vector[i]) ** 2;
  assertClose(r.residual, Math.sqrt(s), 1e-6, "reported residual");
});

Deno.test("powerIteration() with PyHessian defaults (tol 1e-3, ≤100 its) is within 1e-3 on a gapped spectrum", async () => {
  const values = Float64Array.from(
    { length: 100 },
    (_, i) => i === 0 ? 10 : 4 * (1 - i / 100),
  );
  const a = knownSpectrum(values, rngFor(4, "power", "data"));
  const r = await powerIteration(a.matvec, a.n, { rng: rngFor(4, "power", "probe") });
  assertClose(r.value, 10, 1e-3);
  assertOk(r.matvecs <= 100);
});

Deno.test("lanczos() with a warm start and minIter finds an eigenvalue that overtook the previous top", async () => {
  // diagonal spectrum; the previous top direction e0 (λ = 7.5) was overtaken by e1 (λ = 8.2)
  const dim = 300;
  const diag = new Float64Array(dim);
  for (let i = 0; i < dim; i++) diag[i] = 6 * (i + 1) / dim - 1; // bulk in (-1, 5]
  diag[0] = 7.5;
  diag[1] = 8.2;
  const matvec = (v: Float64Array) => v.map((x, i) => diag[i] * x);
  const start = new Float64Array(dim);
  start[0] = 1; // warm start exactly on the old top direction
  const naive = await lanczos(matvec, dim, {
    start,
    rng: rngFor(1, "t", "p"),
    warmNoise: 0.01,
    tol: 1e-3,
  });
  const floored = await lanczos(matvec, dim, {
    start,
    rng: rngFor(1, "t", "p"),
    warmNoise: 0.3,
    minIter: 10,
    tol: 1e-3,
  });
  // the naive warm start stops on the old direction; the floored one finds the true top
  assertOk(naive.values[0] < 8.0, `naive warm start reported ${naive.values[0]}`);
  assertClose(floored.values[0], 8.2, 1e-3);
  assertOk(floored.matvecs <= 12, `floored used ${floored.matvecs} matvecs`);
});
