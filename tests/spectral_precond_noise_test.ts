import * as tf from "@tensorflow/tfjs";
import { assertClose, assertOk, assertRejectsMsg, assertThrowsMsg } from "./assert.ts";
import { rngFor } from "../core/rng.ts";
import { lossFn } from "../core/nn/losses.ts";
import { symmetricEigen } from "../core/spectral/eigen.ts";
import { gradientNoise, WelfordTrace } from "../core/spectral/grad_noise.ts";
import { makeHvp } from "../core/spectral/hvp.ts";
import { lanczos } from "../core/spectral/lanczos.ts";
import { preconditionedOperator, preconditionedSharpness } from "../core/spectral/precond.ts";
import { tinyProblem, toTensors } from "./reference/tf_mlp.ts";
import { useCpuBackend } from "./reference/tf_setup.ts";

await useCpuBackend();

const SIZES = [3, 12, 12, 2];

Deno.test("preconditionedSharpness() matches λ_max of the dense P^-1/2 H P^-1/2 of the float64 reference", async () => {
  const p = tinyProblem(SIZES, "tanh", "xent", 16, 1);
  const dim = p.ref.dim;
  const h = p.ref.hessian(p.theta, p.x, p.y, p.n);
  const rng = rngFor(1, "precond", "data");
  const pDiag = Float64Array.from(
    { length: dim },
    () => Math.fround(rng.uniform(0.05, 2)),
  );
  const dense = new Float64Array(dim * dim);
  for (let i = 0; i < dim; i++) {
    for (let j = 0; j < dim; j++) {
      dense[i * dim + j] = h[i * dim + j] / Math.sqrt(pDiag[i] * pDiag[j]);
    }
  }
  const want = symmetricEigen(dense, dim).values[0];
  const plain = symmetricEigen(h, dim).values[0];
  assertOk(
    Math.abs(want - plain) > 0.1 * plain,
    "test preconditioner too close to the identity",
  );
  const { params, x, y } = toTensors(p);
  const op = makeHvp({ model: p.model, params, loss: lossFn("xent"), x, y });
  const r = await preconditionedSharpness(op.hvp, pDiag, {
    tol: 1e-4,
    maxIter: 150,
    rng: rngFor(1, "precond", "probe"),
  });
  assertClose(r.values[0], want, 1e-3, "λ_max(P^-1/2 H P^-1/2)");
  tf.dispose([...params, x, y]);
});

Deno.test("preconditionedOperator() with P = I is the plain operator, and rejects P ≤ 0", async () => {
  const d = new Float64Array([2, -1, 4]);
  const a = (v: Float64Array) => v.map((x, i) => d[i] * x);
  const id = preconditionedOperator(a, [1, 1, 1]);
  const u = new Float64Array([1, 2, 3]);
  assertOk((await id(u)).every((v, i) => v === a(u)[i]));
  const r = await lanczos(preconditionedOperator(a, [4, 1, 16]), 3, {
    tol: 1e-12,
    rng: rngFor(0, "p", "probe"),
  });
  assertClose(r.values[0], 0.5, 1e-12, "max(2/4, −1/1, 4/16)");
  assertThrowsMsg(
    () => preconditionedOperator(a, [1, 0, 1]),
    /entry 1 must be positive/,
  );
});

/** Per-example gradients from the float64 reference, one by one. */
function perExampleGradients(
  p: ReturnType<typeof tinyProblem>,
): Float64Array[] {
  const d0 = p.ref.sizes[0];
  const k = p.ref.sizes[p.ref.sizes.length - 1];
  const out: Float64Array[] = [];
  for (let i = 0; i < p.n; i++) {
    out.push(
      p.ref.gradient(
        p.theta,
        p.x.subarray(i * d0, (i + 1) * d0),
        p.y.subarray(i * k, (i + 1) * k),
        1,
      ),
    );
  }
  return out;
}

/** Tr of the sample covariance (ddof 1) of vectors, optionally weighted per coordinate. */
function covarianceTrace(
  vectors: Float64Array[],
  weights?: Float64Array,
): number {
  const m = vectors.length;
  const dim = vectors[0].length;
  let tr = 0;
  for (let j = 0; j < dim; j++) {
    let mean = 0;
    for (const v of vectors) mean += v[j] / m;
    let ss = 0;
    for (const v of vectors) ss += (v[j] - mean) ** 2;
    tr += (weights ? weights[j] : 1) * ss / (m - 1);
  }
  return tr;
}

Deno.test("gradientNoise() with B = 1 equals Tr Σ and Tr Σ′ of per-example gradients computed one by one", async () => {
  const p = tinyProblem(SIZES, "gelu", "mse", 16, 2);
  const grads = perExampleGradients(p);
  const rng = rngFor(2, "noise", "data");
  const pDiag = Float64Array.from(
    { length: p.ref.dim },
    () => Math.fround(rng.uniform(0.1, 3)),
  );
  const inv = pDiag.map((v) => 1 / v);
  const { params, x, y } = toTensors(p);
  const r = await gradientNoise({
    model: p.model,
    params,
    loss: lossFn("mse"),
    x,
    y,
    batchSize: 1,
    preconditioner: pDiag,
  });
  assertClose(r.trace, covarianceTrace(grads), 1e-4, "Tr Σ");
  assertClose(
    r.preconditionedTrace!,
    covarianceTrace(grads, inv),
    1e-4,
    "Tr Σ′",
  );
  assertOk(r.batches === 16 && r.batchSize === 1);
  tf.dispose([...params, x, y]);
});

Deno.test("gradientNoise() with B = 4 is B × the covariance trace of the batch-mean gradients", async () => {
  const p = tinyProblem(SIZES, "tanh", "xent", 16, 3);
  const grads = perExampleGradients(p);
  const means: Float64Array[] = [];
  for (let b = 0; b < 4; b++) {
    const m = new Float64Array(p.ref.dim);
    for (let i = 0; i < 4; i++) {
      grads[4 * b + i].forEach((v, j) => m[j] += v / 4);
    }
    means.push(m);
  }
  const { params, x, y } = toTensors(p);
  const r = await gradientNoise({
    model: p.model,
    params,
    loss: lossFn("xent"),
    x,
    y,
    batchSize: 4,
  });
  assertClose(
    r.minibatchTrace,
    covarianceTrace(means),
    1e-4,
    "minibatch covariance trace",
  );
  assertClose(r.trace, 4 * covarianceTrace(means), 1e-4, "Tr Σ");
  assertOk(r.preconditionedTrace === null);
  await assertRejectsMsg(
    () =>
      gradientNoise({
        model: p.model,
        params,
        loss: lossFn("xent"),
        x,
        y,
        batchSize: 5,
      }),
    /not a whole number of batches of 5/,
  );
  tf.dispose([...params, x, y]);
});

Deno.test("B·Tr Ĉ over disjoint random batches is unbiased for the per-example Tr Σ (and Tr Ĉ alone is not)", () => {
  const rng = rngFor(4, "noise", "data");
  const N = 48;
  const dim = 3;
  const population = Array.from(
    { length: N },
    () => rng.normals(dim).map((v, j) => v * (j + 1) + 0.5),
  );
  const truth = covarianceTrace(population);
  const B = 8;
  const m = 4; // batches of 8 out of 48: partial coverage
  let sum = 0;
  let sumMinibatch = 0;
  const trials = 20000;
  const perm = rngFor(4, "noise", "batch");
  for (let t = 0; t < trials; t++) {
    const order = perm.permutation(N);
    const acc = new WelfordTrace(dim);
    for (let b = 0; b < m; b++) {
      const mean = new Float64Array(dim);
      for (let i = 0; i < B; i++) {
        population[order[b * B + i]].forEach((v, j) => mean[j] += v / B);
      }
      acc.push(mean);
    }
    sum += B * acc.trace();
    sumMinibatch += acc.trace();
  }
  assertClose(sum / trials, truth, 0.02, "E[B·Tr Ĉ]");
  assertOk(
    Math.abs(sumMinibatch / trials - truth) > 0.5 * truth,
    "the minibatch trace alone must be off by ~B",
  );
});
