/**
 * Exact-value tests of the preconditioned operator and of the Welford
 * gradient-noise trace, written against the mutants StrykerJS found alive
 * (`deno task mutation`).
 */
import * as tf from "@tensorflow/tfjs";
import { preconditionedOperator, preconditionedSharpness } from "../core/spectral/precond.ts";
import {
  gradientNoise,
  type GradientNoiseOptions,
  WelfordTrace,
} from "../core/spectral/grad_noise.ts";
import { assertEquals, assertRejectsMsg, assertThrowsMsg } from "./assert.ts";
import { linearProblem } from "./reference/linear_problem.ts";
import { useCpuBackend } from "./reference/tf_setup.ts";

const diagOp = (d: number[]) => (v: Float64Array) => Float64Array.from(v, (x, i) => d[i] * x);

Deno.test("preconditionedOperator: P^-1/2 H P^-1/2 exactly, and its refusals", async () => {
  // H = diag(8, 2, 32), P = diag(4, 1, 16): P^-1/2 H P^-1/2 = 2·I
  const op = preconditionedOperator(diagOp([8, 2, 32]), [4, 1, 16]);
  assertEquals([...(await op(new Float64Array([1, 2, 3])))], [2, 4, 6]);
  // a non-diagonal H: [[2, 1], [1, 2]] with P = diag(4, 1) → [[0.5, 0.5], [0.5, 2]]
  const h = (v: Float64Array) => new Float64Array([2 * v[0] + v[1], v[0] + 2 * v[1]]);
  const q = preconditionedOperator(h, [4, 1]);
  assertEquals([...(await q(new Float64Array([1, 0])))], [0.5, 0.5]);
  assertEquals([...(await q(new Float64Array([0, 1])))], [0.5, 2]);
  await assertRejectsMsg(async () => await op(new Float64Array(2)), /vector length 2, expected 3/);
  for (const [bad, text] of [[0, "0"], [-1, "-1"], [NaN, "NaN"], [Infinity, "Infinity"]] as const) {
    assertThrowsMsg(
      () => preconditionedOperator(diagOp([1, 1]), [1, bad]),
      new RegExp(`preconditioner entry 1 must be positive and finite, got ${text}`),
    );
  }
  // the sharpness of diag(1, 2, 3, 4) preconditioned by diag(1, 1, 1, 4) is 3
  const s = await preconditionedSharpness(diagOp([1, 2, 3, 4]), [1, 1, 1, 4], {
    start: new Float64Array([1, 1, 1, 1]),
    k: 2,
  });
  assertEquals(s.values.map((v) => Math.round(v * 1e12) / 1e12), [3, 2]);
});

Deno.test("WelfordTrace: Σ per-coordinate variance (ddof 1), weighted, NaN below two vectors", () => {
  const w = new WelfordTrace(2);
  assertEquals(w.trace(), NaN);
  w.push([1, 2]);
  assertEquals([w.count, w.trace()], [1, NaN]);
  w.push([3, 6]);
  w.push([5, 4]);
  // coordinates 1, 3, 5 and 2, 6, 4: means 3 and 4, Σ(x − mean)² = 8 each
  assertEquals([w.count, [...w.mean], [...w.m2]], [3, [3, 4], [8, 8]]);
  assertEquals(w.trace(), 8);
  assertEquals(w.trace([1, 0.5]), 6);
  assertThrowsMsg(() => w.push([1]), /WelfordTrace: length 1, expected 2/);
});

Deno.test("gradientNoise refuses bad batch sizes, too few batches and bad preconditioners before any gradient", async () => {
  const base = {
    model: null,
    params: [{ size: 2 }, { size: 1 }],
    loss: "mse",
    x: { shape: [6, 1] },
    y: { shape: [6, 1] },
  } as unknown as GradientNoiseOptions;
  const run = (o: Partial<GradientNoiseOptions>) => gradientNoise({ ...base, batchSize: 2, ...o });
  await assertRejectsMsg(
    () => run({ batchSize: 0 }),
    /batchSize must be a positive integer, got 0/,
  );
  await assertRejectsMsg(
    () => run({ batchSize: 1.5 }),
    /batchSize must be a positive integer, got 1.5/,
  );
  await assertRejectsMsg(
    () => run({ batchSize: 4 }),
    /6 rows are not a whole number of batches of 4/,
  );
  await assertRejectsMsg(() => run({ batchSize: 6 }), /need at least 2 batches, got 1/);
  await assertRejectsMsg(
    () => run({ preconditioner: [1, 1] }),
    /preconditioner has length 2, expected 3/,
  );
  await assertRejectsMsg(
    () => run({ preconditioner: [1, 0, 1] }),
    /preconditioner entry 1 must be positive, got 0/,
  );
  await assertRejectsMsg(
    () => run({ preconditioner: [1, 1, Infinity] }),
    /preconditioner entry 2 must be positive, got Infinity/,
  );
  await assertRejectsMsg(
    () => run({ preconditioner: [NaN, 1, 1] }),
    /preconditioner entry 0 must be positive, got NaN/,
  );
});

Deno.test("WelfordTrace and gradientNoise at exactly two vectors / batches, and gradientNoise frees its batch slices", async () => {
  const w = new WelfordTrace(2);
  w.push([1, 2]);
  w.push([3, 6]);
  // variances (ddof 1): (1 − 3)²/2 = 2 and (2 − 6)²/2 = 8
  assertEquals(w.trace(), 10);
  // X = I₂, y = 1 at w = 0: per-example gradients −e₁ and −e₂ in two batches of
  // one, so the batch gradients differ by (1, −1): Tr Σ = 1 × (½ + ½)
  await useCpuBackend();
  const p = linearProblem([[1, 0], [0, 1]]);
  const before = tf.memory().numTensors;
  const r = await gradientNoise({ ...p, batchSize: 1 });
  assertEquals([r.batches, r.trace, r.minibatchTrace], [2, 1, 1]);
  assertEquals(tf.memory().numTensors, before);
  p.dispose();
});
