/**
 * Exact-value tests of the update-Gram edge statistics on hand-computed
 * spectra, written against the mutants StrykerJS found alive
 * (`deno task mutation`). Diagonal Grams have σᵢ = √Gᵢᵢ exactly.
 */
import { gramEdgeStats, UpdateGram } from "../core/spectral/gram_edge.ts";
import { assertEquals, assertThrowsMsg } from "./assert.ts";

/** A w×w diagonal Gram with the given diagonal. */
function diag(d: number[]): Float64Array {
  const w = d.length, g = new Float64Array(w * w);
  d.forEach((v, i) => g[i * w + i] = v);
  return g;
}

const plain = (s: ReturnType<typeof gramEdgeStats>) => ({ ...s, sigmas: [...s.sigmas] });

Deno.test("gramEdgeStats: σ, rank, the first largest gap, g₂₃, s₂₃ and g₂₃/trace of diag(16, 4, 1, 0)", () => {
  assertEquals(plain(gramEdgeStats(diag([16, 4, 1, 0]), 4)), {
    sigmas: [4, 2, 1, 0],
    rank: 3,
    // σ₁/σ₂ = σ₂/σ₃ = 2: the first gap is kept
    kStar: 1,
    gapRatio: 2,
    g23: 3,
    s23: 2,
    g23Rel: 3 / 21,
  });
  // s₂₃ is a ratio: σ = 4, 2, 0.5 → 4
  assertEquals(gramEdgeStats(diag([16, 4, 0.25]), 3).s23, 4);
  // a larger later gap wins
  const later = gramEdgeStats(diag([16, 9, 1]), 3);
  assertEquals([later.kStar, later.gapRatio, later.g23, later.s23, later.g23Rel], [
    2,
    3,
    8,
    3,
    8 / 26,
  ]);
});

Deno.test("gramEdgeStats: the rank floor is rankTol·σ₁ (strictly above counts)", () => {
  // σ₄ = 1e-6: below 1e-6·σ₁ = 4e-6, above 1e-8·σ₁
  assertEquals(gramEdgeStats(diag([16, 4, 1, 1e-12]), 4).rank, 3);
  assertEquals(gramEdgeStats(diag([16, 4, 1, 1e-12]), 4, 1e-8).rank, 4);
  // rankTol 0: a zero singular value is not above the floor 0
  assertEquals(gramEdgeStats(diag([16, 4, 1, 0]), 4, 0).rank, 3);
  assertEquals(gramEdgeStats(diag([16, 4, 1, 1]), 4, 0).rank, 4);
});

Deno.test("gramEdgeStats: W = 2 has no g₂₃; σ₃ = 0 has no s₂₃; a zero Gram has no rank, gap or g₂₃/trace", () => {
  assertEquals(plain(gramEdgeStats(diag([4, 1]), 2)), {
    sigmas: [2, 1],
    rank: 2,
    kStar: 1,
    gapRatio: 2,
    g23: null,
    s23: null,
    g23Rel: null,
  });
  const z3 = gramEdgeStats(diag([4, 1, 0]), 3);
  assertEquals([z3.g23, z3.s23, z3.g23Rel], [1, null, 0.2]);
  assertEquals(plain(gramEdgeStats(diag([0, 0, 0]), 3)), {
    sigmas: [0, 0, 0],
    rank: 0,
    kStar: null,
    gapRatio: null,
    g23: 0,
    s23: null,
    g23Rel: null,
  });
  // rank 1: no gap between two non-zero values
  const r1 = gramEdgeStats(diag([4, 0, 0]), 3);
  assertEquals([r1.rank, r1.kStar, r1.gapRatio], [1, null, null]);
});

Deno.test("UpdateGram: window ≥ 2 and lag ≥ 1 (integers); the default rankTol is 1e-6", () => {
  assertEquals(new UpdateGram({ window: 2, lag: 1 }).window, 2);
  assertThrowsMsg(() => new UpdateGram({ window: 1 }), /window must be an integer ≥ 2, got 1/);
  assertThrowsMsg(() => new UpdateGram({ window: 2.5 }), /window must be an integer ≥ 2, got 2.5/);
  assertThrowsMsg(() => new UpdateGram({ window: 3, lag: 0 }), /lag must be an integer ≥ 1, got 0/);
  assertThrowsMsg(
    () => new UpdateGram({ window: 3, lag: 1.5 }),
    /lag must be an integer ≥ 1, got 1.5/,
  );
  assertEquals(new UpdateGram({ window: 3 }).lag, 3);
  const g = new UpdateGram({ window: 3, lag: 1 });
  g.push(new Float64Array([4, 0, 0, 0]), 1, 1);
  g.push(new Float64Array([0, 2, 0, 0]), 1, 1);
  g.push(new Float64Array([0, 0, 1e-6, 0]), 1, 1);
  // σ = 4, 2, 1e-6: 1e-6 is below 1e-6·4, so the rank is 2
  assertEquals(g.stats()!.rank, 2);
  // a given rankTol is used: 1e-7·4 is below σ₃ = 1e-6
  const fine = new UpdateGram({ window: 3, lag: 1, rankTol: 1e-7 });
  fine.push(new Float64Array([4, 0, 0, 0]), 1, 1);
  fine.push(new Float64Array([0, 2, 0, 0]), 1, 1);
  fine.push(new Float64Array([0, 0, 1e-6, 0]), 1, 1);
  assertEquals(fine.stats()!.rank, 3);
  assertThrowsMsg(() => g.push(new Float64Array([1, 2]), 1, 1), /update has length 2, expected 4/);
});

Deno.test("UpdateGram: the adiabatic parameter needs η·‖∇L‖² > 0 and finite", () => {
  const make = (lr: number, g2: number) => {
    const g = new UpdateGram({ window: 2, lag: 1 });
    g.push(new Float64Array([1, 0]), lr, g2);
    g.push(new Float64Array([0, 1]), lr, g2);
    g.push(new Float64Array([2, 0]), lr, g2);
    return g.stats()!.adiabatic;
  };
  // Grams [[1,0],[0,1]] then [[1,0],[0,4]]: ‖ΔG‖ = 3, over η·‖∇L‖² = 0.5·2
  assertEquals(make(0.5, 2), 3);
  assertEquals([make(0, 2), make(0.5, 0), make(Infinity, 1), make(-1, 1)], [
    null,
    null,
    null,
    null,
  ]);
});

Deno.test("UpdateGram.restore: refuses more updates than the window; keeps only the last lag + 1 Grams", () => {
  const g = new UpdateGram({ window: 2, lag: 1 });
  assertThrowsMsg(
    () =>
      g.restore({
        deltas: [new Float64Array([1]), new Float64Array([2]), new Float64Array([3])],
        history: [],
        lr: 1,
        gradNormSq: 1,
      }),
    /3 updates exceed window 2/,
  );
  // a snapshot of a lag-2 run holds 3 Grams; restored at lag 1 only the last 2 are kept
  const src = new UpdateGram({ window: 2, lag: 2 });
  for (const d of [[1, 0], [0, 1], [2, 0], [0, 3]]) src.push(new Float64Array(d), 1, 1);
  const snap = src.snapshot();
  assertEquals(snap.history.length, 3);
  g.restore(snap);
  const twin = new UpdateGram({ window: 2, lag: 1 });
  for (const d of [[1, 0], [0, 1], [2, 0], [0, 3]]) twin.push(new Float64Array(d), 1, 1);
  assertEquals(g.stats()!.adiabatic, twin.stats()!.adiabatic);
  g.push(new Float64Array([5, 0]), 1, 1);
  twin.push(new Float64Array([5, 0]), 1, 1);
  assertEquals(g.stats()!.adiabatic, twin.stats()!.adiabatic);
  assertEquals(g.stats()!.adiabatic !== null, true);
  assertEquals([...g.gram()], [...twin.gram()]);
});
