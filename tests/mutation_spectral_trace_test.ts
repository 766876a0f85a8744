/**
 * Exact-value tests of the Hutchinson trace and stochastic Lanczos
 * quadrature, written against the mutants StrykerJS found alive
 * (`deno task mutation`). The probes come from a stub stream with fixed
 * ±1 vectors, so every probe value is known by hand.
 */
import type { Rng } from "../core/rng.ts";
import { hutchinsonTrace } from "../core/spectral/hutchinson.ts";
import { broadenedDensity, slqDensity } from "../core/spectral/slq.ts";
import { assertEquals, assertRejectsMsg, assertThrowsMsg } from "./assert.ts";

/** A stream whose rademacher() returns the given vectors in turn. */
function probes(...zs: number[][]): Rng {
  let k = 0;
  return { rademacher: () => Float64Array.from(zs[k++ % zs.length]) } as unknown as Rng;
}

// A = [[2, 1], [1, 2]]: zᵀAz = 6 for z = (1, 1), 2 for z = (1, −1)
const A = (v: Float64Array) => new Float64Array([2 * v[0] + v[1], v[0] + 2 * v[1]]);

Deno.test("hutchinsonTrace: the mean of zᵀAz, its ddof-1 standard error, the samples and matvecs", async () => {
  const t = await hutchinsonTrace(A, 2, 2, probes([1, 1], [1, -1]));
  assertEquals([t.trace, t.standardError, [...t.samples], t.matvecs], [4, 2, [6, 2], 2]);
  // three probes 6, 2, 6: mean 14/3, ss = 16/9 + 64/9 + 16/9 = 96/9, se = √(ss/2/3) = 4/3
  const u = await hutchinsonTrace(A, 2, 3, probes([1, 1], [-1, 1], [-1, -1]));
  assertEquals([u.trace, Math.round(u.standardError * 1e12) / 1e12, u.matvecs], [
    14 / 3,
    Math.round(4 / 3 * 1e12) / 1e12,
    3,
  ]);
  const one = await hutchinsonTrace(A, 2, 1, probes([1, 1]));
  assertEquals([one.trace, one.standardError, one.matvecs], [6, NaN, 1]);
  await assertRejectsMsg(
    () => hutchinsonTrace(A, 2, 0, probes([1, 1])),
    /probes must be ≥ 1, got 0/,
  );
  await assertRejectsMsg(
    () => hutchinsonTrace(A, 2, 1.5, probes([1, 1])),
    /probes must be ≥ 1, got 1.5/,
  );
});

const D4 = (v: Float64Array) => Float64Array.from(v, (x, i) => (i + 1) * x);

Deno.test("slqDensity: full Krylov space on diag(1, 2, 3, 4) gives the eigenvalues with weights (vᵢ)²", async () => {
  const d = await slqDensity(D4, 4, { rng: probes([1, 1, 1, 1]) });
  // iters defaults to min(30, dim) = 4: nodes 4, 3, 2, 1 with weight 1/4 each
  assertEquals([...d.nodes].map((v) => Math.round(v * 1e10) / 1e10), [4, 3, 2, 1]);
  assertEquals([...d.weights].map((v) => Math.round(v * 1e10) / 1e10), [0.25, 0.25, 0.25, 0.25]);
  assertEquals(d.matvecs, 4);
  // two probes: weights halve, nodes are concatenated; a probe on e₁ ± e₂ sees only 1 and 2
  const two = await slqDensity(D4, 4, {
    rng: probes([1, 1, 1, 1], [1, -1, 1, -1]),
    probes: 2,
    iters: 4,
  });
  assertEquals(two.nodes.length, 8);
  assertEquals(Math.round([...two.weights].reduce((a, b) => a + b) * 1e12) / 1e12, 1);
  assertEquals(two.weights.every((w) => Math.abs(w - 0.125) < 1e-10), true);
  // iters 2 on the uniform probe: 2 nodes whose weights sum to 1 and whose mean is Tr A / 4 = 2.5
  const short = await slqDensity(D4, 4, { rng: probes([1, 1, 1, 1]), iters: 2 });
  assertEquals([short.nodes.length, short.matvecs], [2, 2]);
  const mean = short.nodes[0] * short.weights[0] + short.nodes[1] * short.weights[1];
  assertEquals(Math.abs(mean - 2.5) < 1e-12, true);
  // iters above dim is capped at dim
  assertEquals((await slqDensity(D4, 4, { rng: probes([1, 1, 1, 1]), iters: 50 })).nodes.length, 4);
  await assertRejectsMsg(
    () => slqDensity(D4, 4, { rng: probes([1]), iters: 0 }),
    /slqDensity: iters must be ≥ 1, got 0/,
  );
  await assertRejectsMsg(
    () => slqDensity(D4, 4, { rng: probes([1]), iters: 1.5 }),
    /iters must be ≥ 1, got 1.5/,
  );
  await assertRejectsMsg(
    () => slqDensity(D4, 4, { rng: probes([1]), probes: 0 }),
    /slqDensity: probes must be ≥ 1, got 0/,
  );
});

Deno.test("broadenedDensity: Gaussians of width σ at the nodes, weighted; refusals", () => {
  const c = 1 / Math.sqrt(2 * Math.PI);
  assertEquals([...broadenedDensity([0], [1], [0, 1, -2], 1)], [
    c,
    c * Math.exp(-0.5),
    c * Math.exp(-2),
  ]);
  const two = broadenedDensity([0, 2], [0.25, 0.75], [1], 0.5);
  const c2 = 1 / (0.5 * Math.sqrt(2 * Math.PI));
  assertEquals(Math.abs(two[0] - c2 * (0.25 + 0.75) * Math.exp(-2)) < 1e-15, true);
  assertEquals([...broadenedDensity([], [], [0], 1)], [0]);
  assertThrowsMsg(() => broadenedDensity([0], [1], [0], 0), /sigma must be positive, got 0/);
  assertThrowsMsg(() => broadenedDensity([0], [1], [0], NaN), /sigma must be positive, got NaN/);
  assertThrowsMsg(
    () => broadenedDensity([0, 1], [1], [0], 1),
    /nodes and weights differ in length/,
  );
});

Deno.test("hutchinsonTrace: one matrix-vector product and one probe vector per probe, no more", async () => {
  let calls = 0;
  let drawn = 0;
  const rng = {
    rademacher: (n: number) => (drawn++, new Float64Array(n).fill(1)),
  } as unknown as Rng;
  const t = await hutchinsonTrace((v) => (calls++, A(v)), 2, 3, rng);
  assertEquals([calls, drawn, t.matvecs, t.trace, t.standardError], [3, 3, 3, 6, 0]);
});
