import { assertClose, assertEquals, assertOk, assertThrowsMsg } from "./assert.ts";
import { rngFor } from "../core/rng.ts";
import { gramEdgeStats, UpdateGram } from "../core/spectral/gram_edge.ts";
import { randomOrthogonal } from "./reference/matrices.ts";

/**
 * A window X = U diag(σ) Vᵀ (W×P) with known singular values σ: U a random
 * W×W orthogonal matrix, V's columns random orthonormal P-vectors.
 * Returns the W rows (the updates, oldest first).
 */
function plantedWindow(
  sigmas: number[],
  p: number,
  seed: number,
): Float64Array[] {
  const w = sigmas.length;
  const u = randomOrthogonal(w, rngFor(seed, "gram", "u"));
  const v = randomOrthogonal(p, rngFor(seed, "gram", "v")).slice(0, w);
  return Array.from({ length: w }, (_, t) => {
    const row = new Float64Array(p);
    for (let j = 0; j < w; j++) {
      const c = u[j][t] * sigmas[j];
      for (let i = 0; i < p; i++) row[i] += c * v[j][i];
    }
    return row;
  });
}

function directGram(rows: ArrayLike<number>[]): Float64Array {
  const w = rows.length;
  const g = new Float64Array(w * w);
  for (let a = 0; a < w; a++) {
    for (let b = 0; b < w; b++) {
      let s = 0;
      for (let i = 0; i < rows[a].length; i++) s += rows[a][i] * rows[b][i];
      g[a * w + b] = s;
    }
  }
  return g;
}

Deno.test("UpdateGram finds a planted edge at k* = 3 with the planted gap ratio and g₂₃", () => {
  const sigmas = [10, 8, 6, 0.05, 0.045, 0.04, 0.035, 0.03, 0.025, 0.02];
  const gram = new UpdateGram({ window: 10 });
  const rows = plantedWindow(sigmas, 120, 0);
  for (const row of rows) {
    assertOk(gram.stats() === null, "no stats before the window is full");
    gram.push(row, 0.1, 1);
  }
  const s = gram.stats()!;
  sigmas.forEach((sigma, j) => assertClose(s.sigmas[j], sigma, 1e-6, `σ_${j + 1}`));
  assertEquals(s.kStar, 3);
  assertClose(s.gapRatio!, 6 / 0.05, 1e-6, "R");
  assertClose(s.g23!, 64 - 36, 1e-9, "g₂₃");
  assertEquals(s.rank, 10);
});

Deno.test("UpdateGram follows the plant: a gap after 5 directions gives k* = 5", () => {
  const sigmas = [9, 8, 7, 6, 5, 0.5, 0.45, 0.4, 0.35, 0.3];
  const gram = new UpdateGram({ window: 10 });
  for (const row of plantedWindow(sigmas, 80, 1)) {
    gram.push(Float32Array.from(row), 0.1, 1);
  }
  const s = gram.stats()!;
  assertEquals(s.kStar, 5);
  assertClose(s.gapRatio!, 10, 1e-5, "R (float32 updates)");
});

Deno.test("UpdateGram keeps only the last W updates and its incremental Gram equals the direct one", () => {
  const rng = rngFor(2, "gram", "data");
  const all = Array.from({ length: 17 }, () => rng.normals(50));
  const gram = new UpdateGram({ window: 6 });
  for (const d of all) gram.push(d, 0.05, 2);
  const want = directGram(all.slice(-6));
  const got = gram.gram();
  want.forEach((v, i) => assertClose(got[i], v, 1e-12, `entry ${i}`));
  assertEquals(gram.size, 6);
  const direct = gramEdgeStats(want, 6);
  assertEquals(gram.stats()!.kStar, direct.kStar);
});

Deno.test("UpdateGram adiabatic parameter is ‖G_t − G_{t−s}‖_F / (η‖∇L‖²) of time-ordered Grams", () => {
  const rng = rngFor(3, "gram", "data");
  const all = Array.from({ length: 12 }, () => rng.normals(30));
  const gram = new UpdateGram({ window: 5, lag: 3 });
  for (const [t, d] of all.entries()) {
    gram.push(d, 0.2, 4);
    const st = gram.stats();
    // windows complete at t = 4; G_{t−3} exists from t = 7
    if (t < 4) assertOk(st === null);
    else if (t < 7) assertOk(st!.adiabatic === null, `t=${t}`);
  }
  const now = directGram(all.slice(-5));
  const then = directGram(all.slice(-8, -3));
  let s = 0;
  for (let i = 0; i < now.length; i++) s += (now[i] - then[i]) ** 2;
  assertClose(gram.stats()!.adiabatic!, Math.sqrt(s) / (0.2 * 4), 1e-12);
});

Deno.test("UpdateGram ignores zero singular values: P < W and parallel updates", () => {
  // P = 2 < W = 4: σ_3 = σ_4 = 0 must not produce an infinite ratio
  const gram = new UpdateGram({ window: 4 });
  for (const d of [[3, 0], [0, 1], [3, 0.1], [-3, 0]]) {
    gram.push(Float64Array.from(d), 1, 1);
  }
  const s = gram.stats()!;
  assertEquals(s.rank, 2);
  assertEquals(s.kStar, 1);
  // XᵀX = [[27, 0.3], [0.3, 1.01]]: σ₁² and σ₂² are its eigenvalues
  const root = Math.sqrt((27 - 1.01) ** 2 + 4 * 0.3 ** 2);
  const [l1, l2] = [(28.01 + root) / 2, (28.01 - root) / 2];
  assertClose(s.sigmas[0], Math.sqrt(l1), 1e-10);
  assertClose(s.sigmas[1], Math.sqrt(l2), 1e-10);
  assertClose(s.gapRatio!, Math.sqrt(l1 / l2), 1e-10);
  assertClose(s.g23!, s.sigmas[1] ** 2, 1e-12);
  // all updates parallel: rank 1, no edge
  const flat = new UpdateGram({ window: 3 });
  for (const c of [1, 2, -1]) flat.push(Float64Array.from([c, 2 * c]), 1, 1);
  const f = flat.stats()!;
  assertEquals(f.rank, 1);
  assertEquals(f.kStar, null);
  assertEquals(f.gapRatio, null);
});

Deno.test("UpdateGram snapshot/restore continues with identical bits", () => {
  const rng = rngFor(5, "gram", "data");
  const all = Array.from(
    { length: 14 },
    () => Float32Array.from(rng.normals(40)),
  );
  const a = new UpdateGram({ window: 4, lag: 2 });
  for (const d of all.slice(0, 9)) a.push(d, 0.1, 3);
  const b = new UpdateGram({ window: 4, lag: 2 });
  b.restore(a.snapshot());
  for (const d of all.slice(9)) {
    a.push(d, 0.1, 3);
    b.push(d, 0.1, 3);
    assertEquals(b.stats(), a.stats());
  }
});

Deno.test("UpdateGram rejects bad options and mismatched updates", () => {
  assertThrowsMsg(
    () => new UpdateGram({ window: 1 }),
    /window must be an integer ≥ 2/,
  );
  assertThrowsMsg(
    () => new UpdateGram({ lag: 0 }),
    /lag must be an integer ≥ 1/,
  );
  const g = new UpdateGram({ window: 3 });
  g.push(new Float64Array(4), 1, 1);
  assertThrowsMsg(
    () => g.push(new Float64Array(5), 1, 1),
    /length 5, expected 4/,
  );
});
