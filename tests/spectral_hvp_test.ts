/**
 * The harness's Hessian-vector products and λ_max against an independent
 * float64 reference (tests/reference/mlp64.ts) with the same weights and data.
 */
import * as tf from "@tensorflow/tfjs";
import { assertClose, assertOk, assertRejectsMsg, assertThrowsMsg } from "./assert.ts";
import { rngFor } from "../core/rng.ts";
import { lossFn } from "../core/nn/losses.ts";
import { symmetricEigen } from "../core/spectral/eigen.ts";
import { flatGradient, flatten, makeHvp, unflatten } from "../core/spectral/hvp.ts";
import { lanczos } from "../core/spectral/lanczos.ts";
import { matVec, relativeDifference } from "./reference/mlp64.ts";
import { type Problem, tfMlp, tinyProblem, toTensors } from "./reference/tf_mlp.ts";
import { useCpuBackend } from "./reference/tf_setup.ts";

await useCpuBackend();

const SIZES = [3, 12, 12, 2]; // 230 parameters
const PAIRS = [
  ["tanh", "mse"],
  ["tanh", "xent"],
  ["gelu", "mse"],
  ["gelu", "xent"],
] as const;

interface Reference {
  problem: Problem;
  hessian: Float64Array;
  lambdaMax: number;
  topVector: Float64Array;
}

const references = new Map<string, Reference>();
function reference(
  activation: "tanh" | "gelu",
  loss: "mse" | "xent",
): Reference {
  const key = `${activation}/${loss}`;
  let ref = references.get(key);
  if (!ref) {
    const problem = tinyProblem(SIZES, activation, loss, 16, 0);
    const hessian = problem.ref.hessian(
      problem.theta,
      problem.x,
      problem.y,
      problem.n,
    );
    const eig = symmetricEigen(hessian, problem.ref.dim);
    ref = {
      problem,
      hessian,
      lambdaMax: eig.values[0],
      topVector: eig.vectors[0],
    };
    references.set(key, ref);
  }
  return ref;
}

Deno.test("the float64 reference gradient matches central differences of the reference loss", () => {
  for (const [activation, loss] of PAIRS) {
    const p = tinyProblem(SIZES, activation, loss, 16, 0);
    const g = p.ref.gradient(p.theta, p.x, p.y, p.n);
    const fd = new Float64Array(p.ref.dim);
    const t = Float64Array.from(p.theta);
    const h = 1e-5;
    for (let i = 0; i < p.ref.dim; i++) {
      const orig = t[i];
      t[i] = orig + h;
      const lp = p.ref.lossValue(t, p.x, p.y, p.n);
      t[i] = orig - h;
      const lm = p.ref.lossValue(t, p.x, p.y, p.n);
      t[i] = orig;
      fd[i] = (lp - lm) / (2 * h);
    }
    const rel = relativeDifference(g, fd);
    assertOk(
      rel < 1e-8,
      `${activation}/${loss}: reference gradient off by ${rel}`,
    );
  }
});

Deno.test("flatGradient() equals the float64 reference gradient and loss", async () => {
  for (const [activation, loss] of PAIRS) {
    const p = tinyProblem(SIZES, activation, loss, 16, 0);
    const { params, x, y } = toTensors(p);
    const got = await flatGradient({
      model: p.model,
      params,
      loss: lossFn(loss),
      x,
      y,
      chunkSize: 5,
    });
    const rel = relativeDifference(
      got.gradient,
      p.ref.gradient(p.theta, p.x, p.y, p.n),
    );
    assertOk(rel < 1e-5, `${activation}/${loss}: gradient off by ${rel}`);
    assertClose(
      got.loss,
      p.ref.lossValue(p.theta, p.x, p.y, p.n),
      1e-6,
      `${activation}/${loss}: loss`,
    );
    tf.dispose([...params, x, y]);
  }
});

for (const method of ["exact", "fd"] as const) {
  for (const [activation, loss] of PAIRS) {
    Deno.test(`makeHvp(${method}) matches the float64 Hessian to 1e-3 for ${activation} × ${loss}`, async () => {
      const { problem: p, hessian, topVector } = reference(activation, loss);
      const { params, x, y } = toTensors(p);
      const before = tf.memory().numTensors;
      const op = makeHvp({
        model: p.model,
        params,
        loss: lossFn(loss),
        x,
        y,
        chunkSize: 5,
        method,
      });
      const rng = rngFor(0, `hvp/${activation}/${loss}`, "probe");
      const probes = [
        rng.normals(p.ref.dim),
        rng.normals(p.ref.dim),
        topVector,
      ];
      for (const [i, v] of probes.entries()) {
        const rel = relativeDifference(await op.hvp(v), matVec(hessian, v));
        assertOk(rel <= 1e-3, `probe ${i}: relative HVP error ${rel}`);
      }
      assertOk(op.count === probes.length);
      assertOk(tf.memory().numTensors === before, "HVPs leaked tensors");
      tf.dispose([...params, x, y]);
    });

    Deno.test(`lanczos() on makeHvp(${method}) gives λ_max to 1e-3 for ${activation} × ${loss}`, async () => {
      const { problem: p, lambdaMax } = reference(activation, loss);
      const { params, x, y } = toTensors(p);
      const op = makeHvp({
        model: p.model,
        params,
        loss: lossFn(loss),
        x,
        y,
        chunkSize: 16,
        method,
      });
      const r = await lanczos(op.hvp, op.dim, {
        tol: 1e-4,
        maxIter: 120,
        rng: rngFor(0, "lambda", "probe"),
      });
      assertClose(r.values[0], lambdaMax, 1e-3, "λ_max");
      assertOk(r.converged);
      tf.dispose([...params, x, y]);
    });
  }
}

Deno.test("makeHvp() gives the same product whatever the chunk size", async () => {
  const { problem: p } = reference("gelu", "xent");
  const { params, x, y } = toTensors(p);
  const v = rngFor(1, "chunks", "probe").normals(p.ref.dim);
  const whole = await makeHvp({
    model: p.model,
    params,
    loss: lossFn("xent"),
    x,
    y,
    chunkSize: 1000,
  }).hvp(v);
  for (const chunkSize of [1, 3, 7]) {
    const chunked = await makeHvp({
      model: p.model,
      params,
      loss: lossFn("xent"),
      x,
      y,
      chunkSize,
    }).hvp(v);
    const rel = relativeDifference(chunked, whole);
    assertOk(rel < 1e-5, `chunk ${chunkSize}: ${rel}`);
  }
  tf.dispose([...params, x, y]);
});

Deno.test("linear regression: λ_max equals the top eigenvalue of X̃ᵀX̃/n (½ MSE, X̃ = [X, 1])", async () => {
  const n = 40;
  const d = 6;
  const rng = rngFor(2, "linreg", "data");
  const xs = new Float64Array(n * d).map((_, i) => Math.fround(rng.normal() * (1 + (i % d))));
  const ys = new Float64Array(n).map(() => Math.fround(rng.normal()));
  const model = tfMlp([d, 1], "linear");
  const params = [
    tf.tensor2d(Float32Array.from(rng.normals(d)), [d, 1]),
    tf.tensor1d([Math.fround(rng.normal())]),
  ];
  const x = tf.tensor2d(Float32Array.from(xs), [n, d]);
  const y = tf.tensor2d(Float32Array.from(ys), [n, 1]);
  // independent: dense X̃ᵀX̃/n in float64
  const m = d + 1;
  const gram = new Float64Array(m * m);
  for (let i = 0; i < n; i++) {
    const row = [...xs.subarray(i * d, (i + 1) * d), 1];
    for (let a = 0; a < m; a++) {
      for (let b = 0; b < m; b++) gram[a * m + b] += (row[a] * row[b]) / n;
    }
  }
  const top = symmetricEigen(gram, m).values[0];
  for (const method of ["exact", "fd"] as const) {
    const op = makeHvp({
      model,
      params,
      loss: lossFn("mse"),
      x,
      y,
      chunkSize: 7,
      method,
    });
    const r = await lanczos(op.hvp, op.dim, {
      tol: 1e-8,
      rng: rngFor(2, "linreg", "probe"),
    });
    assertClose(r.values[0], top, 1e-5, `${method} λ_max`);
  }
  tf.dispose([...params, x, y]);
});

Deno.test("flatten() and unflatten() are inverse in the model's parameter order", () => {
  const shapes = [[2, 3], [3], [1]];
  const flat = Float64Array.from({ length: 10 }, (_, i) => i + 0.5);
  const tensors = unflatten(flat, shapes);
  assertOk(tensors.map((t) => t.shape.join("x")).join(",") === "2x3,3,1");
  assertOk(flatten(tensors).every((v, i) => v === flat[i]));
  tf.dispose(tensors);
  assertThrowsMsg(
    () => unflatten(new Float64Array(3), shapes),
    /length 3, the shapes need 10/,
  );
});

Deno.test("makeHvp() rejects mismatched inputs with a clear message", async () => {
  const { problem: p } = reference("tanh", "mse");
  const { params, x, y } = toTensors(p);
  const op = makeHvp({ model: p.model, params, loss: lossFn("mse"), x, y });
  await assertRejectsMsg(() => op.hvp(new Float64Array(3)), /length 3, expected 230/);
  assertThrowsMsg(
    () =>
      makeHvp({
        model: p.model,
        params: params.slice(1),
        loss: lossFn("mse"),
        x,
        y,
      }),
    /expected 6 parameter tensors, got 5/,
  );
  assertThrowsMsg(
    () =>
      makeHvp({
        model: p.model,
        params,
        loss: lossFn("mse"),
        x,
        y,
        chunkSize: 0,
      }),
    /chunkSize must be a positive integer/,
  );
  tf.dispose([...params, x, y]);
});
