/**
 * Exact-value tests of the dense vector helpers and the symmetric /
 * tridiagonal eigensolvers, written against the mutants StrykerJS found
 * alive (`deno task mutation`): hand-computed spectra, reconstruction
 * A = Σ λ v vᵀ and orthonormality to 1e-12, and every refusal.
 */
import { axpy, dot, norm, normalized, scaled } from "../core/spectral/vector.ts";
import { symmetricEigen, tridiagonalEigen } from "../core/spectral/eigen.ts";
import { assertEquals, assertThrowsMsg } from "./assert.ts";

Deno.test("dot, norm, axpy, scaled, normalized: exact values and refusals", () => {
  const a = new Float64Array([1, 2, 3]), b = new Float64Array([4, -5, 6]);
  assertEquals(dot(a, b), 12);
  assertEquals(dot(new Float32Array([0.5]), new Float64Array([4])), 2);
  assertThrowsMsg(() => dot(a, new Float64Array(2)), /^dot: length mismatch 3 vs 2$/);
  assertEquals(norm(new Float64Array([3, 4])), 5);
  const y = new Float64Array([1, 1, 1]);
  const out = axpy(2, a, y);
  assertEquals([out === y, [...y]], [true, [3, 5, 7]]);
  assertThrowsMsg(() => axpy(1, a, new Float64Array(4)), /^axpy: length mismatch 3 vs 4$/);
  assertEquals([...scaled(-2, a)], [-2, -4, -6]);
  assertEquals([...a], [1, 2, 3]);
  assertEquals([...normalized(new Float64Array([2, -2, 2, 2]))], [0.5, -0.5, 0.5, 0.5]);
  assertThrowsMsg(
    () => normalized(new Float64Array([0, 0])),
    /cannot normalise a vector of norm 0/,
  );
  assertThrowsMsg(() => normalized(new Float64Array([Infinity])), /norm Infinity/);
  assertThrowsMsg(() => normalized(new Float64Array([NaN])), /norm NaN/);
});

/** max |A − Σ λ v vᵀ| and max |VᵀV − I|. */
function residuals(a: ArrayLike<number>, n: number, e: ReturnType<typeof symmetricEigen>) {
  let rec = 0, orth = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += e.values[k] * e.vectors[k][i] * e.vectors[k][j];
      rec = Math.max(rec, Math.abs(s - 0.5 * (a[i * n + j] + a[j * n + i])));
      orth = Math.max(orth, Math.abs(dot(e.vectors[i], e.vectors[j]) - (i === j ? 1 : 0)));
    }
  }
  return { rec, orth };
}

/** A seeded symmetric n×n matrix with entries in (−1, 1). */
function symmetric(n: number, seed: number): Float64Array {
  let s = seed;
  const next = () => {
    s = (s * 16807) % 2147483647;
    return 2 * (s / 2147483647) - 1;
  };
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = next();
  }
  return a;
}

Deno.test("symmetricEigen: 2×2 by hand, symmetrised input, descending order", () => {
  const e = symmetricEigen([2, 1, 1, 2], 2);
  assertEquals([...e.values].map((v) => Math.round(v * 1e12) / 1e12), [3, 1]);
  const r = Math.SQRT1_2;
  assertEquals(
    Math.abs(Math.abs(e.vectors[0][0]) - r) < 1e-15 && e.vectors[0][0] * e.vectors[0][1] > 0,
    true,
  );
  assertEquals(
    Math.abs(Math.abs(e.vectors[1][0]) - r) < 1e-15 && e.vectors[1][0] * e.vectors[1][1] < 0,
    true,
  );
  // [[2, 2], [0, 2]] is read as its symmetric part [[2, 1], [1, 2]]
  assertEquals(
    [...symmetricEigen([2, 2, 0, 2], 2).values].map((v) => Math.round(v * 1e12) / 1e12),
    [3, 1],
  );
  // a diagonal matrix: its diagonal, sorted, with unit vectors
  const d = symmetricEigen([1, 0, 0, 0, 5, 0, 0, 0, -2], 3);
  assertEquals([...d.values], [5, 1, -2]);
  assertEquals(d.vectors.map((v) => [...v]), [[0, 1, 0], [1, 0, 0], [0, 0, 1]]);
  assertEquals([...symmetricEigen([7], 1).values], [7]);
  assertEquals(symmetricEigen([], 0).values.length, 0);
});

Deno.test("symmetricEigen: A = Σ λ v vᵀ and VᵀV = I to 1e-12 on seeded 3×3, 6×6 and 12×12 matrices", () => {
  for (const [n, seed] of [[3, 1], [6, 2], [12, 3]]) {
    const a = symmetric(n, seed);
    const e = symmetricEigen(a, n);
    const { rec, orth } = residuals(a, n, e);
    assertEquals([rec < 1e-12, orth < 1e-12], [true, true]);
    for (let k = 1; k < n; k++) assertEquals(e.values[k - 1] >= e.values[k], true);
    // the trace is the sum of the eigenvalues
    let tr = 0, sum = 0;
    for (let i = 0; i < n; i++) tr += a[i * n + i];
    for (const v of e.values) sum += v;
    assertEquals(Math.abs(tr - sum) < 1e-12, true);
  }
});

Deno.test("symmetricEigen refuses a wrong size and non-finite entries, naming them", () => {
  assertThrowsMsg(
    () => symmetricEigen([1, 2, 3], 2),
    /^symmetricEigen: expected 2×2 = 4 entries, got 3$/,
  );
  assertThrowsMsg(
    () => symmetricEigen([1, 0, NaN, 1], 2),
    /^symmetricEigen: non-finite entry at \(0, 1\)$/,
  );
  assertThrowsMsg(() => symmetricEigen([1, 0, 0, Infinity], 2), /non-finite entry at \(1, 1\)/);
});

Deno.test("tridiagonalEigen: by hand, against symmetricEigen to 1e-12, and its refusals", () => {
  assertEquals(tridiagonalEigen([], []), { values: new Float64Array(0), vectors: [] });
  assertEquals([...tridiagonalEigen([4], []).values], [4]);
  const two = tridiagonalEigen([2, 2], [1]);
  assertEquals([...two.values].map((v) => Math.round(v * 1e12) / 1e12), [3, 1]);
  // already diagonal (zero off-diagonal): the diagonal, sorted
  const diag = tridiagonalEigen([1, 3, 2], [0, 0]);
  assertEquals([...diag.values], [3, 2, 1]);
  assertEquals(diag.vectors.map((v) => [...v]), [[0, 1, 0], [0, 0, 1], [1, 0, 0]]);
  for (const n of [3, 5, 9]) {
    const a = symmetric(n, 10 + n);
    const d = Array.from({ length: n }, (_, i) => a[i * n + i]);
    const e = Array.from({ length: n - 1 }, (_, i) => a[i * n + i + 1]);
    const dense = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      dense[i * n + i] = d[i];
      if (i + 1 < n) dense[i * n + i + 1] = dense[(i + 1) * n + i] = e[i];
    }
    const t = tridiagonalEigen(d, e), s = symmetricEigen(dense, n);
    for (let k = 0; k < n; k++) assertEquals(Math.abs(t.values[k] - s.values[k]) < 1e-12, true);
    const { rec, orth } = residuals(dense, n, t);
    assertEquals([rec < 1e-12, orth < 1e-12], [true, true]);
  }
  // extra off-diagonal entries beyond n − 1 are ignored
  assertEquals(
    [...tridiagonalEigen([2, 2], [1, 99]).values].map((v) => Math.round(v * 1e12) / 1e12),
    [3, 1],
  );
  assertThrowsMsg(
    () => tridiagonalEigen([1, 2, 3], [1]),
    /^tridiagonalEigen: need 2 off-diagonal entries, got 1$/,
  );
  assertThrowsMsg(
    () => tridiagonalEigen([1, NaN], [1]),
    /^tridiagonalEigen: non-finite entry at 1$/,
  );
  assertThrowsMsg(
    () => tridiagonalEigen([1, 2], [Infinity]),
    /^tridiagonalEigen: non-finite entry at 0$/,
  );
});

Deno.test("symmetricEigen skips a zero off-diagonal pair even when its diagonal entries are equal (the rotation angle is 0/0 there)", () => {
  // [[2, 0, 1], [0, 2, 0], [1, 0, 3]]: e₂ with λ = 2, and [[2, 1], [1, 3]] on (e₁, e₃)
  // with λ = (5 ± √5)/2; the pair (0, 1) is zero with a₀₀ = a₁₁
  const { values, vectors } = symmetricEigen([2, 0, 1, 0, 2, 0, 1, 0, 3], 3);
  const expected = [(5 + Math.sqrt(5)) / 2, 2, (5 - Math.sqrt(5)) / 2];
  assertEquals(Array.from(values, (v, i) => Math.abs(v - expected[i]) < 1e-14), [true, true, true]);
  assertEquals(vectors[1].map(Math.abs), new Float64Array([0, 1, 0]));
});
