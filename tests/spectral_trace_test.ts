import { assertClose, assertOk, assertRejectsMsg, assertThrowsMsg } from "./assert.ts";
import { rngFor } from "../core/rng.ts";
import { hutchinsonTrace } from "../core/spectral/hutchinson.ts";
import { broadenedDensity, slqDensity } from "../core/spectral/slq.ts";
import { knownSpectrum } from "./reference/matrices.ts";

function spectrum(n: number, seed: number): Float64Array {
  const rng = rngFor(seed, "trace-test", "data");
  const values = Float64Array.from({ length: n }, () => rng.uniform(0.5, 3));
  values[0] = 12;
  values[1] = -4;
  return values;
}

function moment(values: Float64Array, k: number): number {
  return values.reduce((s, v) => s + v ** k, 0) / values.length;
}

Deno.test("hutchinsonTrace() is within 3 standard errors of the exact trace, with an honest standard error", async () => {
  const values = spectrum(200, 0);
  const a = knownSpectrum(values, rngFor(0, "hutchinson", "data"));
  const exact = values.reduce((s, v) => s + v, 0);
  const r = await hutchinsonTrace(
    a.matvec,
    a.n,
    40,
    rngFor(0, "hutchinson", "probe"),
  );
  assertOk(
    Math.abs(r.trace - exact) <= 3 * r.standardError,
    `${r.trace} vs ${exact} ± ${r.standardError}`,
  );
  // Var(zᵀAz) = 2(‖A‖_F² − Σ A_ii²) for Rademacher z: the reported SE must match it
  const dense = a.dense();
  let off = 0;
  for (let i = 0; i < a.n; i++) {
    for (let j = 0; j < a.n; j++) if (i !== j) off += dense[i * a.n + j] ** 2;
  }
  const theorySe = Math.sqrt((2 * off) / 40);
  assertOk(
    r.standardError > theorySe / 1.5 && r.standardError < theorySe * 1.5,
    `SE ${r.standardError} vs ${theorySe}`,
  );
  assertOk(r.matvecs === 40);
});

Deno.test("hutchinsonTrace() standard error is the ddof-1 sample sd over √m, exactly", async () => {
  // A = [[0, 1], [1, 0]]: zᵀAz = 2·z₁z₂ = ±2 for every Rademacher probe
  const swap = (v: Float64Array) => Float64Array.from([v[1], v[0]]);
  const m = 7;
  const r = await hutchinsonTrace(swap, 2, m, rngFor(3, "hutchinson-se", "probe"));
  assertOk(r.samples.every((s) => s === 2 || s === -2), `${r.samples}`);
  const plus = r.samples.filter((s) => s === 2).length;
  assertOk(plus > 0 && plus < m, "both signs occur with this seed");
  const mean = r.samples.reduce((a, b) => a + b, 0) / m;
  const ss = r.samples.reduce((a, b) => a + (b - mean) ** 2, 0);
  assertClose(r.trace, mean, 1e-15);
  assertClose(r.standardError, Math.sqrt(ss / (m - 1) / m), 1e-12);
  // ddof 0 would give √(ss/m)/√m, which differs by √(m/(m−1)) ≈ 1.08
  assertOk(
    Math.abs(r.standardError / (Math.sqrt(ss / m) / Math.sqrt(m)) - Math.sqrt(m / (m - 1))) < 1e-12,
  );
});

Deno.test("hutchinsonTrace() reported standard error matches the theory √(2(‖A‖²_F − ΣA²ᵢᵢ)/m) within 10% over many probes", async () => {
  const values = spectrum(60, 2);
  const a = knownSpectrum(values, rngFor(2, "hutchinson", "data"));
  const dense = a.dense();
  let off = 0;
  for (let i = 0; i < a.n; i++) {
    for (let j = 0; j < a.n; j++) if (i !== j) off += dense[i * a.n + j] ** 2;
  }
  const m = 3000;
  const r = await hutchinsonTrace(a.matvec, a.n, m, rngFor(2, "hutchinson", "probe"));
  const theorySe = Math.sqrt((2 * off) / m);
  assertOk(Math.abs(r.standardError / theorySe - 1) < 0.1, `SE ${r.standardError} vs ${theorySe}`);
  const exact = values.reduce((s, v) => s + v, 0);
  assertOk(Math.abs(r.trace - exact) <= 3 * theorySe, `${r.trace} vs ${exact}`);
});

Deno.test("hutchinsonTrace() is exact on a diagonal matrix (zᵢ² = 1)", async () => {
  const d = new Float64Array([1, -2, 3.5]);
  const r = await hutchinsonTrace(
    (v) => v.map((x, i) => d[i] * x),
    3,
    5,
    rngFor(1, "hutchinson", "probe"),
  );
  assertOk(r.trace === 2.5 && r.standardError === 0);
  assertOk(
    Number.isNaN(
      (await hutchinsonTrace((v) => v, 3, 1, rngFor(1, "h", "probe"))).standardError,
    ),
  );
  await assertRejectsMsg(
    () => hutchinsonTrace((v) => v, 3, 0, rngFor(1, "h", "probe")),
    /probes must be ≥ 1/,
  );
});

Deno.test("slqDensity() per probe: weights sum to 1 and Σ wθᵏ = vᵀAᵏv exactly for k ≤ 3", async () => {
  const values = spectrum(100, 2);
  const a = knownSpectrum(values, rngFor(2, "slq", "data"));
  const d = await slqDensity(a.matvec, a.n, {
    iters: 10,
    probes: 1,
    rng: rngFor(2, "slq", "probe"),
  });
  // the same probe, drawn again from the same stream
  const v = rngFor(2, "slq", "probe").rademacher(a.n).map((x) => x / Math.sqrt(a.n));
  let akv: Float64Array = v;
  for (let k = 0; k <= 3; k++) {
    const exact = akv.reduce((s, x, i) => s + x * v[i], 0);
    const quad = d.nodes.reduce(
      (s, node, i) => s + d.weights[i] * node ** k,
      0,
    );
    assertClose(quad, exact, 1e-9, `k = ${k}`);
    akv = a.matvec(akv);
  }
});

Deno.test("slqDensity() reproduces the first three normalised moments (1/n)Tr Aᵏ within 5%", async () => {
  const n = 500;
  const rng = rngFor(1, "slq", "spectrum");
  const values = Float64Array.from({ length: n }, () => rng.uniform(1, 3));
  values[0] = 6;
  values[1] = -2;
  const a = knownSpectrum(values, rngFor(1, "slq", "data"));
  const d = await slqDensity(a.matvec, a.n, {
    iters: 12,
    probes: 30,
    rng: rngFor(1, "slq", "probe"),
  });
  assertClose(d.weights.reduce((s, w) => s + w, 0), 1, 1e-12, "weight sum");
  assertOk(d.nodes.length === 360 && d.matvecs === 360);
  for (let k = 1; k <= 3; k++) {
    const est = d.nodes.reduce((s, node, i) => s + d.weights[i] * node ** k, 0);
    assertClose(est, moment(values, k), 0.05, `moment ${k}`);
  }
  // the extremes of the spectrum are resolved by the Ritz values
  assertClose(Math.max(...d.nodes), 6, 1e-6, "largest node");
  assertClose(Math.min(...d.nodes), -2, 1e-6, "smallest node");
});

Deno.test("slqDensity() negative control: one Lanczos step cannot reproduce the second moment", async () => {
  const n = 500;
  const rng = rngFor(1, "slq", "spectrum");
  const values = Float64Array.from({ length: n }, () => rng.uniform(1, 3));
  const a = knownSpectrum(values, rngFor(1, "slq", "data"));
  const d = await slqDensity(a.matvec, a.n, {
    iters: 1,
    probes: 30,
    rng: rngFor(1, "slq", "probe"),
  });
  const est = d.nodes.reduce((s, node, i) => s + d.weights[i] * node ** 2, 0);
  const rel = Math.abs(est - moment(values, 2)) / moment(values, 2);
  assertOk(rel > 0.05, `second moment unexpectedly within 5%: ${rel}`);
});

Deno.test("broadenedDensity() integrates to 1 and keeps the mean", () => {
  const nodes = [-1, 0.5, 2];
  const weights = [0.2, 0.5, 0.3];
  const grid = Float64Array.from({ length: 2001 }, (_, i) => -6 + i * 0.006);
  const rho = broadenedDensity(nodes, weights, grid, 0.2);
  let mass = 0;
  let mean = 0;
  for (let i = 0; i + 1 < grid.length; i++) {
    const dx = grid[i + 1] - grid[i];
    mass += 0.5 * (rho[i] + rho[i + 1]) * dx;
    mean += 0.5 * (rho[i] * grid[i] + rho[i + 1] * grid[i + 1]) * dx;
  }
  assertClose(mass, 1, 1e-6, "mass");
  assertClose(mean, 0.2 * -1 + 0.5 * 0.5 + 0.3 * 2, 1e-6, "mean");
  assertThrowsMsg(
    () => broadenedDensity(nodes, weights, grid, 0),
    /sigma must be positive/,
  );
});
