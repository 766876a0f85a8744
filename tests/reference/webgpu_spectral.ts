/**
 * The spectral toolkit on `webgpu` against the float64 reference (run as a
 * subprocess by `tests/webgpu_spectral_test.ts`: a TF.js backend is global to
 * a process). For a 3→12→12→2 MLP (230 parameters, 16 examples) with tanh ×
 * MSE and GELU × cross-entropy, prints one JSON line: the relative errors of
 * the gradient and of exact and finite-difference HVPs, of λ_max by Lanczos
 * and power iteration, of the Hutchinson trace (in standard errors), and of
 * the gradient-noise trace (B = 1) against per-example float64 gradients.
 * Every kernel runs on the device (`WEBGPU_CPU_FORWARD` off).
 *
 * @example
 * ```sh
 * deno run -A tests/reference/webgpu_spectral.ts   # {"adapter": …, "tanh/mse": {…}, …}
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { setupBackend } from "../../core/backend.ts";
import { lossFn } from "../../core/nn/losses.ts";
import { rngFor } from "../../core/rng.ts";
import { symmetricEigen } from "../../core/spectral/eigen.ts";
import { gradientNoise } from "../../core/spectral/grad_noise.ts";
import { hutchinsonTrace } from "../../core/spectral/hutchinson.ts";
import { flatGradient, makeHvp } from "../../core/spectral/hvp.ts";
import { lanczos } from "../../core/spectral/lanczos.ts";
import { powerIteration } from "../../core/spectral/power.ts";
import { matVec, relativeDifference } from "./mlp64.ts";
import { tinyProblem, toTensors } from "./tf_mlp.ts";

const info = await setupBackend("webgpu");
// run every kernel on the device: by default TF.js hands ops on small
// CPU-resident tensors (< 1000 entries) to its CPU kernels, which would be
// most of this small problem
tf.env().set("WEBGPU_CPU_FORWARD", false);
const result: Record<string, unknown> = { backend: tf.getBackend(), adapter: info.device };
for (const [activation, loss] of [["tanh", "mse"], ["gelu", "xent"]] as const) {
  const p = tinyProblem([3, 12, 12, 2], activation, loss, 16, 0);
  const { params, x, y } = toTensors(p);
  const setup = { model: p.model, params, loss: lossFn(loss), x, y, chunkSize: 8 };
  const hessian = p.ref.hessian(p.theta, p.x, p.y, p.n);
  const eig = symmetricEigen(hessian, p.ref.dim).values;
  let trace = 0;
  for (let i = 0; i < p.ref.dim; i++) trace += hessian[i * p.ref.dim + i];
  const v = rngFor(0, "webgpu-spectral", "probe").normals(p.ref.dim);
  const g = await flatGradient(setup);
  const exact = makeHvp({ ...setup, method: "exact" });
  const fd = makeHvp({ ...setup, method: "fd" });
  const lz = await lanczos(exact.hvp, exact.dim, {
    tol: 1e-4,
    maxIter: 120,
    rng: rngFor(0, "l", "probe"),
  });
  const pw = await powerIteration(exact.hvp, exact.dim, {
    tol: 1e-5,
    maxIter: 300,
    rng: rngFor(0, "p", "probe"),
  });
  const tr = await hutchinsonTrace(exact.hvp, exact.dim, 10, rngFor(0, "t", "probe"));
  // Tr Σ (B = 1) from per-example float64 gradients, ddof 1
  const per = Array.from({ length: p.n }, (_, i) => {
    const d0 = p.ref.sizes[0], k = p.ref.sizes[p.ref.sizes.length - 1];
    return p.ref.gradient(
      p.theta,
      p.x.subarray(i * d0, (i + 1) * d0),
      p.y.subarray(i * k, (i + 1) * k),
      1,
    );
  });
  let noise = 0;
  for (let j = 0; j < p.ref.dim; j++) {
    const mean = per.reduce((s, gi) => s + gi[j], 0) / p.n;
    noise += per.reduce((s, gi) => s + (gi[j] - mean) ** 2, 0) / (p.n - 1);
  }
  const gn = await gradientNoise({ ...setup, batchSize: 1 });
  result[`${activation}/${loss}`] = {
    gradient: relativeDifference(g.gradient, p.ref.gradient(p.theta, p.x, p.y, p.n)),
    loss: Math.abs(g.loss - p.ref.lossValue(p.theta, p.x, p.y, p.n)) /
      p.ref.lossValue(p.theta, p.x, p.y, p.n),
    hvpExact: relativeDifference(await exact.hvp(v), matVec(hessian, v)),
    hvpFd: relativeDifference(await fd.hvp(v), matVec(hessian, v)),
    lanczos: Math.abs(lz.values[0] - eig[0]) / eig[0],
    power: Math.abs(pw.value - eig[0]) / eig[0],
    traceSe: Math.abs(tr.trace - trace) / tr.standardError,
    gradNoise: Math.abs(gn.trace - noise) / noise,
    hvps: exact.count,
  };
  tf.dispose([...params, x, y]);
}
console.log(JSON.stringify(result));
