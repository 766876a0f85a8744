/**
 * Known-answer checks of the measured columns of `createMeasurer(...).measure()`
 * that tests/spectral_measure_test.ts only checks for finiteness. Every
 * expected value is computed here independently in float64: the Hessian and
 * gradients from the reference network (tests/reference/mlp64.ts), the
 * measurement subsets, probes and batches from the same seeded streams the
 * measurer documents, and the update Gram from the fed updates by hand.
 */
import * as tf from "@tensorflow/tfjs";
import { assertClose, assertEquals, assertOk } from "./assert.ts";
import { rngFor } from "../core/rng.ts";
import { MeasureSchema } from "../core/config/measure_schema.ts";
import { lossFn } from "../core/nn/losses.ts";
import { symmetricEigen } from "../core/spectral/eigen.ts";
import { createMeasurer, type MeasureContext } from "../core/spectral/measure.ts";
import { type Problem, tinyProblem, toTensors } from "./reference/tf_mlp.ts";
import { useCpuBackend } from "./reference/tf_setup.ts";

await useCpuBackend();

const SIZES = [3, 8, 2]; // 50 parameters
const SEED = 7;
const RUN_ID = "spectral_test/exact";
const SUBSET = 24;
const PROBES = 4;
const BATCH = 8;
const BATCHES = 4;
const WINDOW = 3;
const LAG = 2;
const LR = 0.1;
const GRAD_NORM_SQ = 2;
/** Float64 vs float64 on the same float32 updates: only rounding differs. */
const GRAM_TOL = 1e-9;
const CFG = MeasureSchema.parse({
  every: 5,
  preconditionedSharpness: { iters: 50, subset: SUBSET, tol: 1e-8 },
  trace: { probes: PROBES, subset: SUBSET },
  gradNoise: { batchSize: BATCH, batches: BATCHES },
  updateGram: { window: WINDOW, lag: LAG },
});

function setup() {
  const p = tinyProblem(SIZES, "tanh", "xent", 40, 0);
  const t = toTensors(p);
  const ctx: MeasureContext = {
    model: p.model,
    loss: lossFn("xent"),
    seed: SEED,
    runId: RUN_ID,
    train: { x: t.x, y: t.y },
  };
  return { p, ...t, ctx };
}

/** The flat preconditioner diagonal P (not its inverse) passed to measure(). */
function pDiagOf(dim: number): Float64Array {
  return Float64Array.from({ length: dim }, (_, i) => 0.5 + (i % 7) / 7);
}

/** Rows `idx` of the problem's data, flat float64 (x, y). */
function rowsOf(p: Problem, idx: ArrayLike<number>) {
  const [d0, k] = [SIZES[0], SIZES[SIZES.length - 1]];
  const ids = Array.from(idx);
  return {
    xs: new Float64Array(ids.flatMap((i) => Array.from(p.x.subarray(i * d0, (i + 1) * d0)))),
    ys: new Float64Array(ids.flatMap((i) => Array.from(p.y.subarray(i * k, (i + 1) * k)))),
    n: ids.length,
  };
}

/** Float64 Hessian of the mean loss on the measurer's seeded subset (a sorted prefix of the "probe" permutation). */
function subsetHessian(p: Problem): Float64Array {
  const perm = rngFor(SEED, RUN_ID, "probe").permutation(p.n).subarray(0, SUBSET);
  const { xs, ys, n } = rowsOf(p, Array.from(perm).sort((a, b) => a - b));
  return p.ref.hessian(p.theta, xs, ys, n);
}

function quadForm(h: Float64Array, z: Float64Array): number {
  const d = z.length;
  let s = 0;
  for (let i = 0; i < d; i++) {
    let r = 0;
    for (let j = 0; j < d; j++) r += h[i * d + j] * z[j];
    s += z[i] * r;
  }
  return s;
}

Deno.test("hessian_trace equals the mean of zᵀHz over the seeded Rademacher probes (float64 H, 1e-5) and hessian_trace_se their standard error (1e-5); the exact trace lies within 3·se", async () => {
  const { p, params, x, y, ctx } = setup();
  const m = createMeasurer(CFG, ctx);
  const out = await m.measure(0, params, null);
  m.dispose();
  tf.dispose([...params, x, y]);

  const h = subsetHessian(p);
  const d = p.ref.dim;
  const rng = rngFor(SEED, RUN_ID, "probe:trace:0");
  const samples = Array.from({ length: PROBES }, () => quadForm(h, rng.rademacher(d)));
  const mean = samples.reduce((a, b) => a + b, 0) / PROBES;
  const se = Math.sqrt(
    samples.reduce((a, s) => a + (s - mean) ** 2, 0) / (PROBES - 1) / PROBES,
  );
  assertClose(out.hessian_trace!, mean, 1e-5, "hessian_trace");
  assertClose(out.hessian_trace_se!, se, 1e-5, "hessian_trace_se");
  assertOk(out.hessian_trace_se! > 0, "se > 0");
  let exact = 0;
  for (let i = 0; i < d; i++) exact += h[i * d + i];
  assertOk(
    Math.abs(out.hessian_trace! - exact) <= 3 * out.hessian_trace_se!,
    `|${out.hessian_trace} − Tr H = ${exact}| > 3·${out.hessian_trace_se}`,
  );
});

Deno.test("precond_lambda_max equals λ_max(P^-1/2 H P^-1/2) of the float64 subset Hessian with P the passed diagonal (1e-6)", async () => {
  const { p, params, x, y, ctx } = setup();
  const m = createMeasurer(CFG, ctx);
  const pDiag = pDiagOf(p.ref.dim);
  const out = await m.measure(0, params, pDiag);
  m.dispose();
  tf.dispose([...params, x, y]);

  const h = subsetHessian(p);
  const d = p.ref.dim;
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      a[i * d + j] = h[i * d + j] / Math.sqrt(pDiag[i] * pDiag[j]);
    }
  }
  const expected = symmetricEigen(a, d).values[0];
  assertClose(out.precond_lambda_max!, expected, 1e-6, "precond_lambda_max");
  // and it is not λ_max(P^1/2 H P^1/2) (the diagonal is P, not P⁻¹)
  const b = a.map((v, k) => v * pDiag[Math.floor(k / d)] * pDiag[k % d]);
  assertOk(Math.abs(symmetricEigen(b, d).values[0] - expected) > 1e-2 * expected);
});

Deno.test("grad_noise_trace and precond_grad_noise_trace equal B·Tr of the ddof-1 covariance of the float64 mean gradients of the seeded disjoint batches (1e-6)", async () => {
  const { p, params, x, y, ctx } = setup();
  const m = createMeasurer(CFG, ctx);
  const pDiag = pDiagOf(p.ref.dim);
  const out = await m.measure(0, params, pDiag);
  m.dispose();
  tf.dispose([...params, x, y]);

  const d = p.ref.dim;
  const perm = rngFor(SEED, RUN_ID, "probe:gradNoise").permutation(p.n);
  const grads: Float64Array[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const { xs, ys, n } = rowsOf(p, perm.subarray(b * BATCH, (b + 1) * BATCH));
    grads.push(p.ref.gradient(p.theta, xs, ys, n));
  }
  let plain = 0;
  let weighted = 0;
  for (let i = 0; i < d; i++) {
    const mean = grads.reduce((a, g) => a + g[i], 0) / BATCHES;
    const v = grads.reduce((a, g) => a + (g[i] - mean) ** 2, 0) / (BATCHES - 1);
    plain += v;
    weighted += v / pDiag[i];
  }
  assertClose(out.grad_noise_trace!, BATCH * plain, 1e-6, "grad_noise_trace");
  assertClose(
    out.precond_grad_noise_trace!,
    BATCH * weighted,
    1e-6,
    "precond_grad_noise_trace",
  );
});

/** Eigenvalues (descending) of a symmetric 3×3 matrix, closed form (trigonometric). */
function eig3(g: number[][]): number[] {
  const q = (g[0][0] + g[1][1] + g[2][2]) / 3;
  const p1 = g[0][1] ** 2 + g[0][2] ** 2 + g[1][2] ** 2;
  const p2 = (g[0][0] - q) ** 2 + (g[1][1] - q) ** 2 + (g[2][2] - q) ** 2 + 2 * p1;
  const p = Math.sqrt(p2 / 6);
  const b = g.map((row, i) => row.map((v, j) => (v - (i === j ? q : 0)) / p));
  const det = b[0][0] * (b[1][1] * b[2][2] - b[1][2] * b[2][1]) -
    b[0][1] * (b[1][0] * b[2][2] - b[1][2] * b[2][0]) +
    b[0][2] * (b[1][0] * b[2][1] - b[1][1] * b[2][0]);
  const phi = Math.acos(Math.min(1, Math.max(-1, det / 2))) / 3;
  const e1 = q + 2 * p * Math.cos(phi);
  const e3 = q + 2 * p * Math.cos(phi + (2 * Math.PI) / 3);
  return [e1, 3 * q - e1 - e3, e3];
}

Deno.test("gram_* and adiabatic equal the hand-computed singular values of the last W fed updates and ‖G_t − G_{t−s}‖_F/(η‖∇L‖²) (1e-9; k* exact)", async () => {
  const { p, params, x, y, ctx } = setup();
  const m = createMeasurer(CFG, ctx);
  const rng = rngFor(0, "measure-exact-test", "updates");
  // updates of varied size so that the window's spectrum has a clear edge
  const deltas: Float32Array[] = [];
  const grams: number[][][] = [];
  const steps = 9;
  for (let s = 1; s <= steps; s++) {
    const delta = Float32Array.from(rng.normals(p.ref.dim, 0.01 * (1 + (s % 3))));
    deltas.push(delta);
    m.onUpdate(delta, LR, GRAD_NORM_SQ);
    // a Gram-only step (not a multiple of `every`) unless s is 5
    const out = await m.measure(s, params, null);
    if (s < WINDOW) {
      assertEquals(out.gram_k_star, null, `step ${s}`);
      assertEquals(out.adiabatic, null, `step ${s}`);
      continue;
    }
    const win = deltas.slice(-WINDOW);
    const g = win.map((a) =>
      win.map((b) => {
        let v = 0;
        for (let i = 0; i < a.length; i++) v += a[i] * b[i];
        return v;
      })
    );
    grams.push(g);
    const sig = eig3(g).map((e) => Math.sqrt(Math.max(e, 0)));
    assertOk(sig[2] > 1e-6 * sig[0], "full-rank window");
    const ratios = [sig[0] / sig[1], sig[1] / sig[2]];
    const kStar = ratios[1] > ratios[0] ? 2 : 1;
    const at = `step ${s}`;
    assertEquals(out.gram_k_star, kStar, `gram_k_star ${at}`);
    assertClose(out.gram_gap_ratio!, ratios[kStar - 1], GRAM_TOL, `gram_gap_ratio ${at}`);
    assertClose(out.gram_g23!, sig[1] ** 2 - sig[2] ** 2, GRAM_TOL, `gram_g23 ${at}`);
    assertClose(out.gram_s2_s3!, sig[1] / sig[2], GRAM_TOL, `gram_s2_s3 ${at}`);
    const trace = g[0][0] + g[1][1] + g[2][2];
    assertClose(
      out.gram_g23_rel!,
      (sig[1] ** 2 - sig[2] ** 2) / trace,
      GRAM_TOL,
      `gram_g23_rel ${at}`,
    );
    if (grams.length <= LAG) {
      assertEquals(out.adiabatic, null, `adiabatic ${at}`);
    } else {
      const then = grams[grams.length - 1 - LAG];
      let ss = 0;
      for (let i = 0; i < WINDOW; i++) {
        for (let j = 0; j < WINDOW; j++) ss += (g[i][j] - then[i][j]) ** 2;
      }
      assertClose(out.adiabatic!, Math.sqrt(ss) / (LR * GRAD_NORM_SQ), GRAM_TOL, `adiabatic ${at}`);
    }
  }
  assertEquals(grams.length, steps - WINDOW + 1);
  m.dispose();
  tf.dispose([...params, x, y]);
});
