/**
 * Specifications of `createMeasurer()` that the known-answer tests
 * (tests/spectral_measure_exact_test.ts) do not reach, written against the
 * mutants StrykerJS found alive (`deno task mutation`): input validation,
 * the power method, warm starts and the Krylov floor, non-finite and other
 * failures of a measurement, blocks that are not configured, the measurement
 * subset's rows and order, and tensor ownership.
 *
 * The problems are linear least squares (tests/reference/linear_problem.ts):
 * f(x) = x·w at w = 0 under ½-MSE has the Hessian XᵀX/n, so with X a scaled
 * identity the Hessian is a known diagonal.
 */
import * as tf from "@tensorflow/tfjs";
import {
  assertClose,
  assertEquals,
  assertOk,
  assertRejectsMsg,
  assertThrowsMsg,
} from "./assert.ts";
import { rngFor } from "../core/rng.ts";
import { MeasureSchema } from "../core/config/measure_schema.ts";
import { lossFn } from "../core/nn/losses.ts";
import type { Model } from "../core/nn/types.ts";
import { makeHvp } from "../core/spectral/hvp.ts";
import { lanczos } from "../core/spectral/lanczos.ts";
import { createMeasurer, type MeasureContext } from "../core/spectral/measure.ts";
import { preconditionedSharpness } from "../core/spectral/precond.ts";
import { normalized } from "../core/spectral/vector.ts";
import { type LinearProblem, linearProblem } from "./reference/linear_problem.ts";
import { tinyProblem, toTensors } from "./reference/tf_mlp.ts";
import { useCpuBackend } from "./reference/tf_setup.ts";

await useCpuBackend();

const SEED = 3;
const RUN_ID = "mutation_measure/test";

/** The linear problem with Hessian diag(h): X = diag(√(n·h_i)), n = d rows. */
function diagonalProblem(h: number[]): LinearProblem {
  const d = h.length;
  return linearProblem(h.map((hi, i) => h.map((_, j) => (i === j ? Math.sqrt(d * hi) : 0))));
}

/** 30 distinct eigenvalues: a well-separated top 10, then 1.29, 1.28, …, 1. */
const SPECTRUM = [10, ...Array.from({ length: 29 }, (_, i) => 1 + (28 - i) / 100)];

function contextOf(p: LinearProblem, model: Model = p.model): MeasureContext {
  return { model, loss: p.loss, seed: SEED, runId: RUN_ID, train: { x: p.x, y: p.y } };
}

/** The linear model of `p`, except that apply() throws `thrown`. */
function throwingModel(p: LinearProblem, thrown: unknown): Model {
  return {
    ...p.model,
    apply: () => {
      throw thrown;
    },
  };
}

Deno.test("createMeasurer() rejects a training set whose x and y differ in length", () => {
  const p = linearProblem([[1, 0], [0, 1], [1, 1]]);
  const y = tf.ones([2, 1]);
  assertThrowsMsg(
    () => createMeasurer(MeasureSchema.parse({}), { ...contextOf(p), train: { x: p.x, y } }),
    /measure: train x has 3 examples but y has 2/,
  );
  y.dispose();
  p.dispose();
});

Deno.test("gradient-noise batches may use every training example (batches × batchSize = n): X = I₄, y = 1 gives B·Tr Cov = 1", async () => {
  // per-example gradients −e_i; two batches of two: batch means −(e_a + e_b)/2
  // and −(e_c + e_d)/2, so each coordinate takes the values −½ and 0 across
  // the batches (ddof-1 variance 1/8), Tr = 4/8, times B = 2 gives 1 whatever
  // the seeded split
  const p = linearProblem([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]);
  const m = createMeasurer(
    MeasureSchema.parse({ gradNoise: { batchSize: 2, batches: 2 } }),
    contextOf(p),
  );
  const out = await m.measure(0, p.params, null);
  assertClose(out.grad_noise_trace!, 1, 1e-6);
  assertEquals(out.precond_grad_noise_trace, null);
  m.dispose();
  p.dispose();
});

Deno.test("measure() rejects a negative or fractional step", async () => {
  const p = diagonalProblem([1, 2]);
  const m = createMeasurer(MeasureSchema.parse({ trace: { probes: 2 } }), contextOf(p));
  for (const step of [-1, -10, 1.5, NaN]) {
    await assertRejectsMsg(
      () => m.measure(step, p.params, null),
      /measure: step must be a non-negative integer/,
    );
  }
  m.dispose();
  p.dispose();
});

Deno.test("a measurer without update-Gram or gradient noise ignores updates, has no Gram state and measures the other blocks", async () => {
  const p = diagonalProblem([1, 2, 4]);
  const m = createMeasurer(
    MeasureSchema.parse({ every: 1, sharpness: { topK: 2 }, trace: { probes: 2 } }),
    contextOf(p),
  );
  assertEquals(m.wantsUpdates(), false);
  m.onUpdate(new Float64Array([0.1, 0, 0]), 0.1, 1); // a no-op
  // nothing measured yet: no warm starts
  assertEquals(m.getState(), { sharpnessStart: null, preconditionedStart: null, gram: null });
  const out = await m.measure(0, p.params, null);
  assertEquals(Object.keys(out).sort(), [
    "hessian_trace",
    "hessian_trace_se",
    "hvp_count",
    "lambda_2",
    "lambda_max",
    "ritz_residual",
  ]);
  assertClose(out.lambda_max!, 4, 1e-6);
  assertClose(out.lambda_2!, 2, 1e-6);
  // Rademacher probes of a diagonal matrix: zᵀHz = Tr H exactly, so se = 0
  assertClose(out.hessian_trace!, 7, 1e-6);
  assertOk(out.hessian_trace_se! < 1e-6);
  assertEquals(m.getState().gram, null);
  m.dispose();
  p.dispose();
});

Deno.test("setState() accepts null, a partial state and null fields, and ignores a Gram window when there is none", async () => {
  const p = diagonalProblem([1, 2, 4]);
  const cfg = MeasureSchema.parse({ sharpness: {} });
  const withGram = createMeasurer(MeasureSchema.parse({ updateGram: { window: 3 } }), contextOf(p));
  for (let s = 0; s < 3; s++) withGram.onUpdate(new Float64Array([s, 1, 0]), 0.1, 1);
  const gramState = withGram.getState();
  assertEquals(gramState.gram?.deltas.length, 3);

  const m = createMeasurer(cfg, contextOf(p));
  m.setState(null);
  m.setState({});
  m.setState({ sharpnessStart: null, preconditionedStart: null, gram: null });
  m.setState(gramState); // this measurer keeps no update-Gram
  assertEquals(m.getState(), { sharpnessStart: null, preconditionedStart: null, gram: null });
  // and a Gram measurer restored without a window keeps its own
  withGram.setState({ sharpnessStart: null, preconditionedStart: null, gram: null });
  assertEquals(withGram.getState().gram?.deltas.length, 3);
  // the restored warm start is used as given
  m.setState({ sharpnessStart: new Float64Array([0, 0, 1]) });
  assertEquals(Array.from(m.getState().sharpnessStart!), [0, 0, 1]);
  assertClose((await m.measure(0, p.params, null)).lambda_max!, 4, 1e-6);
  m.dispose();
  withGram.dispose();
  p.dispose();
});

Deno.test("power method: lambda_max of diag(1, 2, 4) with lambda_2 null, at most 2·iters HVPs, and a warm start at unchanged parameters needs fewer", async () => {
  const p = diagonalProblem([1, 2, 4]);
  const m = createMeasurer(
    MeasureSchema.parse({
      every: 1,
      sharpness: { method: "power", topK: 2, iters: 50, tol: 1e-6 },
    }),
    contextOf(p),
  );
  const cold = await m.measure(0, p.params, null);
  assertEquals(Object.keys(cold).sort(), ["hvp_count", "lambda_2", "lambda_max", "ritz_residual"]);
  assertClose(cold.lambda_max!, 4, 1e-5);
  assertEquals(cold.lambda_2, null); // the power method finds one eigenvalue
  assertOk(cold.ritz_residual! < 1e-2, `residual ${cold.ritz_residual}`);
  assertOk(cold.hvp_count! >= 2 && cold.hvp_count! <= 100, `cold ${cold.hvp_count}`);
  const warm = await m.measure(1, p.params, null);
  assertClose(warm.lambda_max!, 4, 1e-5);
  assertOk(warm.hvp_count! < cold.hvp_count!, `warm ${warm.hvp_count} vs cold ${cold.hvp_count}`);
  m.dispose();

  // iters bounds the work: 3 iterations per run, far from converged at tol 1e-12
  const short = createMeasurer(
    MeasureSchema.parse({ sharpness: { method: "power", iters: 3, tol: 1e-12 } }),
    contextOf(p),
  );
  const r = await short.measure(0, p.params, null);
  assertOk(r.hvp_count! <= 6, `hvp_count ${r.hvp_count} > 2·3`);
  assertOk(r.lambda_max! > 1 && r.lambda_max! <= 4 + 1e-5, `λ ${r.lambda_max}`);
  short.dispose();
  p.dispose();
});

Deno.test("Lanczos sharpness runs at least 10 iterations (the warm-start floor) and stops there once converged, cold and warm; iters below 10 caps it", async () => {
  const p = diagonalProblem(SPECTRUM);
  const m = createMeasurer(
    MeasureSchema.parse({ every: 1, sharpness: { iters: 50, tol: 1e-3 } }),
    contextOf(p),
  );
  for (const step of [0, 1, 2]) {
    const out = await m.measure(step, p.params, null);
    assertClose(out.lambda_max!, 10, 1e-5, `step ${step}`);
    assertEquals(out.hvp_count, 10, `step ${step}`);
  }
  m.dispose();
  const capped = createMeasurer(
    MeasureSchema.parse({ sharpness: { iters: 4, tol: 1e-3 } }),
    contextOf(p),
  );
  assertEquals((await capped.measure(0, p.params, null)).hvp_count, 4);
  capped.dispose();
  p.dispose();
});

Deno.test("warm starts: sharpness starts from the normalised sum of the previous top-k Ritz vectors, the preconditioned sharpness from its top Ritz vector (bit-identical to lanczos() with the documented options)", async () => {
  const p = diagonalProblem(SPECTRUM);
  const pDiag = Float64Array.from(SPECTRUM, (_, i) => 1 + (i % 4) / 4);
  const cfg = MeasureSchema.parse({
    every: 1,
    sharpness: { topK: 2, iters: 40, tol: 1e-4 },
    preconditionedSharpness: { iters: 40, tol: 1e-4 },
  });
  const m = createMeasurer(cfg, contextOf(p));
  const op = makeHvp({ model: p.model, params: p.params, loss: p.loss, x: p.x, y: p.y });
  // the measurer's options: warm noise 0.3, at least min(iters, 10) iterations
  const options = (what: string, step: number, start?: Float64Array) => ({
    maxIter: 40,
    tol: 1e-4,
    start,
    rng: rngFor(SEED, RUN_ID, `probe:${what}:${step}`),
    warmNoise: 0.3,
    minIter: 10,
  });
  let sharpStart: Float64Array | undefined;
  let precStart: Float64Array | undefined;
  for (const step of [0, 1]) {
    const out = await m.measure(step, p.params, pDiag);
    const sharp = await lanczos(op.hvp, op.dim, {
      k: 2,
      ...options("sharpness", step, sharpStart),
    });
    const prec = await preconditionedSharpness(op.hvp, pDiag, {
      k: 1,
      ...options("preconditioned", step, precStart),
    });
    assertEquals(
      [out.lambda_max, out.lambda_2, out.ritz_residual, out.hvp_count, out.precond_lambda_max],
      [sharp.values[0], sharp.values[1], sharp.residuals[0], sharp.matvecs, prec.values[0]],
      `step ${step}`,
    );
    sharpStart = normalized(sharp.vectors[0].map((v, i) => v + sharp.vectors[1][i]));
    precStart = Float64Array.from(prec.vectors[0]);
    const state = m.getState();
    assertEquals(state.sharpnessStart, sharpStart, `sharpnessStart after step ${step}`);
    assertEquals(state.preconditionedStart, precStart, `preconditionedStart after step ${step}`);
  }
  m.dispose();
  p.dispose();
});

Deno.test("a non-finite loss (a NaN training row) gives null cells, no error, and leaves the density and warm starts unset", async () => {
  // H = XᵀX/4 has NaN entries, so every Hessian-vector product does
  const p = linearProblem([[NaN, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]);
  const pDiag = new Float64Array([1, 1, 1, 1]);
  for (const method of ["lanczos", "power"]) {
    const m = createMeasurer(
      MeasureSchema.parse({
        sharpness: { method, topK: 2 },
        preconditionedSharpness: {},
        trace: { probes: 2 },
        density: { iters: 3 },
        gradNoise: { batchSize: 2, batches: 2 }, // every row, the NaN one too
      }),
      contextOf(p),
    );
    assertEquals(await m.measure(0, p.params, pDiag), {
      lambda_max: null,
      lambda_2: null,
      ritz_residual: null,
      hvp_count: null,
      precond_lambda_max: null,
      hessian_trace: null,
      hessian_trace_se: null,
      grad_noise_trace: null,
      precond_grad_noise_trace: null,
    }, method);
    assertEquals(m.lastDensity(), null, method);
    assertEquals(m.getState(), { sharpnessStart: null, preconditionedStart: null, gram: null });
    m.dispose();
  }
  p.dispose();
});

Deno.test("an Error saying non-finite, raised while measuring, nulls that block's cells; any other failure propagates from each block", async () => {
  const p = diagonalProblem([1, 2]);
  const pDiag = new Float64Array([1, 1]);
  const blocks: Record<string, unknown> = {
    sharpness: { topK: 2 },
    preconditionedSharpness: {},
    trace: { probes: 2 },
    density: { iters: 3 },
  };
  const nonFinite = createMeasurer(
    MeasureSchema.parse(blocks),
    contextOf(p, throwingModel(p, new Error("model: non-finite activations"))),
  );
  assertEquals(await nonFinite.measure(0, p.params, pDiag), {
    lambda_max: null,
    lambda_2: null,
    ritz_residual: null,
    hvp_count: null,
    precond_lambda_max: null,
    hessian_trace: null,
    hessian_trace_se: null,
  });
  assertEquals(nonFinite.lastDensity(), null);
  nonFinite.dispose();
  for (const [name, block] of Object.entries(blocks)) {
    const boom = createMeasurer(
      MeasureSchema.parse({ [name]: block }),
      contextOf(p, throwingModel(p, new Error("model: boom"))),
    );
    await assertRejectsMsg(() => boom.measure(0, p.params, pDiag), /model: boom/);
    boom.dispose();
  }
  // only an Error counts: a thrown plain object propagates whatever it says
  const notAnError = createMeasurer(
    MeasureSchema.parse({ sharpness: {} }),
    contextOf(p, throwingModel(p, { message: "non-finite" })),
  );
  await assertRejectsMsg(() => notAnError.measure(0, p.params, pDiag), /^non-finite$/);
  notAnError.dispose();
  p.dispose();
});

Deno.test("the measurement subset is the seeded subset's rows in index order: a measurer on exactly those rows gives the same bits", async () => {
  // HVPs in chunks of 3 examples: each chunk's product is rounded to float32
  // before the chunks are summed, so the bits depend on which rows share a
  // chunk (within a chunk the CPU backend sums in float64: order-free)
  const n = 16;
  const p = tinyProblem([3, 6, 2], "tanh", "xent", n, 0);
  const { params, x, y } = toTensors(p);
  const size = 7;
  const idx = Array.from(rngFor(SEED, RUN_ID, "probe").permutation(n).subarray(0, size))
    .sort((a, b) => a - b);
  const rowsOf = (flat: Float64Array, width: number) =>
    tf.tensor2d(idx.flatMap((i) => Array.from(flat.subarray(i * width, (i + 1) * width))), [
      size,
      width,
    ]);
  const subX = rowsOf(p.x, 3);
  const subY = rowsOf(p.y, 2);
  const ctx = (train: { x: tf.Tensor; y: tf.Tensor }): MeasureContext => ({
    model: p.model,
    loss: lossFn("xent"),
    seed: SEED,
    runId: RUN_ID,
    train,
  });
  const cfg = (subset?: number) =>
    MeasureSchema.parse({
      sharpness: { topK: 2, iters: 8, subset, chunk: 3 },
      trace: { probes: 3, subset, chunk: 3 },
    });
  const a = createMeasurer(cfg(size), ctx({ x, y }));
  const b = createMeasurer(cfg(), ctx({ x: subX, y: subY }));
  const outA = await a.measure(0, params, null);
  assertEquals(outA, await b.measure(0, params, null));
  // and not the bits of all 16 rows
  const c = createMeasurer(cfg(), ctx({ x, y }));
  assertOk(outA.lambda_max !== (await c.measure(0, params, null)).lambda_max);
  for (const m of [a, b, c]) m.dispose();
  tf.dispose([...params, x, y, subX, subY]);
});

Deno.test("tensors: a subset is gathered once and reused, the full set (or a subset ≥ n) is not copied, and dispose() frees every copy", async () => {
  const p = diagonalProblem([1, 2, 4, 8]);
  const before = tf.memory().numTensors;
  const m = createMeasurer(
    MeasureSchema.parse({
      every: 1,
      sharpness: { subset: 2, iters: 3 },
      trace: { probes: 2 }, // all examples
      density: { iters: 3, subset: 10 }, // clamped to the 4 examples
    }),
    contextOf(p),
  );
  assertEquals(tf.memory().numTensors, before, "subsets are gathered lazily");
  await m.measure(0, p.params, null);
  assertEquals(tf.memory().numTensors, before + 2, "one subset (x, y)");
  await m.measure(1, p.params, null);
  assertEquals(tf.memory().numTensors, before + 2, "reused at the next step");
  m.dispose();
  assertEquals(tf.memory().numTensors, before, "dispose() frees it");

  const g = createMeasurer(
    MeasureSchema.parse({ gradNoise: { batchSize: 1, batches: 2 } }),
    contextOf(p),
  );
  assertEquals(tf.memory().numTensors, before + 2, "the gradient-noise batches (x, y)");
  g.dispose();
  assertEquals(tf.memory().numTensors, before);
  p.dispose();
});
