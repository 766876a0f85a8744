/**
 * Reference script for tests/webgpu_step_kernels_test.ts, run in its own process (the
 * webgpu backend is global to one): the fused Adam update against the op
 * sequence on the same device, tensor by tensor and over 30 AdamW steps of a
 * small MLP, with the dispatches of one step counted. Prints one JSON object.
 */
import * as tf from "@tensorflow/tfjs";
import { webgpuWithDispatchCount } from "./webgpu_dispatches.ts";
import { rngFor } from "../../core/rng.ts";
import { Adam } from "../../core/optim/adam.ts";
import {
  ADAM_UPDATE,
  adamUpdate,
  adamUpdateAttrs,
  adamUpdateOps,
} from "../../core/optim/adam_update.ts";

const dispatches = await webgpuWithDispatchCount();

const rng = rngFor(1, "webgpu-adam", "data");
const randn = (shape: number[], scale = 1) =>
  tf.tensor(
    Float32Array.from(rng.normals(shape.reduce((n, d) => n * d, 1)), (x) => x * scale),
    shape,
  );
/**
 * Largest |a − b| over the entries, relative to the largest |b|. A GPU may fuse
 * a multiply and an add (one rounding, not two), which moves a result by up to
 * an ulp of its terms, not of the result: where the terms cancel (m′ = β1·m +
 * (1 − β1)·g ≈ 0) that is a large error relative to the entry itself (3.8e-3 at
 * m′ ≈ 1.6e-6 on an H200) and 1e-7 of the tensor's scale.
 */
const relErr = async (a: tf.Tensor, b: tf.Tensor) => {
  const [x, y] = await Promise.all([a.data(), b.data()]);
  let worst = 0, scale = 0;
  for (let i = 0; i < y.length; i++) {
    worst = Math.max(worst, Math.abs(x[i] - y[i]));
    scale = Math.max(scale, Math.abs(y[i]));
  }
  return worst / scale;
};

// one update, tensor by tensor: shapes that are not multiples of the workgroup, Adam and AdamW,
// early and late steps; v is a positive second moment
const betas = { beta1: 0.9, beta2: 0.98, eps: 1e-8 };
let updateMaxRelError = 0;
for (const shape of [[1], [7], [65], [128, 33], [3, 5, 7]]) {
  for (const [t, lr, mult, wd] of [[1, 1e-3, 1, 1], [50, 0.01, 2, 0], [2000, 3e-3, 0.5, 0.1]]) {
    const args = [
      randn(shape),
      randn(shape),
      randn(shape, 0.1),
      tf.square(randn(shape, 0.3)),
    ] as const;
    const attrs = adamUpdateAttrs(betas, t, lr, mult, wd);
    const fused = adamUpdate(...args, attrs), ops = adamUpdateOps(...args, attrs);
    for (let i = 0; i < 3; i++) {
      if (fused[i].shape.join() !== shape.join()) {
        throw new Error(`output ${i} has shape ${fused[i].shape}`);
      }
      updateMaxRelError = Math.max(updateMaxRelError, await relErr(fused[i], ops[i]));
    }
  }
}
// a tensor of more than 65,535 workgroups of 64 (the dispatch is folded into 2-D by TF.js)
const big = 64 * 65535 + 1;
{
  // its own stream, so the draws below are unchanged
  const r = rngFor(1, "webgpu-adam", "big");
  const draw = (scale: number) => tf.tensor1d(Float32Array.from(r.normals(big), (x) => x * scale));
  const args = [draw(1), draw(1), draw(0.1), tf.square(draw(0.3))] as const;
  const attrs = adamUpdateAttrs(betas, 3, 1e-3, 1, 0.1);
  const fused = adamUpdate(...args, attrs), ops = adamUpdateOps(...args, attrs);
  for (let i = 0; i < 3; i++) {
    updateMaxRelError = Math.max(updateMaxRelError, await relErr(fused[i], ops[i]));
  }
  tf.dispose([...args, ...fused, ...ops]);
}
// the negative control: β1 and β2 swapped in the fused kernel's attributes
const args = [randn([100]), randn([100]), randn([100], 0.1), tf.square(randn([100], 0.3))] as const;
const attrs = adamUpdateAttrs(betas, 10, 0.01, 1, 0.1);
const swapped = { ...attrs, beta1: attrs.beta2, beta2: attrs.beta1 };
const controlRelError = await relErr(
  adamUpdate(...args, swapped)[0],
  adamUpdateOps(...args, attrs)[0],
);

// 30 AdamW steps of a 2-layer tanh MLP with and without the fused kernel, same data and init
const x = randn([64, 10]), y = randn([64, 3]);
const init = [randn([10, 32], 0.3), randn([32]), randn([32, 3], 0.2), randn([3])];
let leaked = 0;
async function train(): Promise<{ loss: number[]; theta: tf.Tensor[]; dispatchesPerStep: number }> {
  const params = init.map((t) => tf.variable(t.clone()));
  const opt = new Adam(
    { ...betas, weightDecay: 0.5 },
    [1, 1, 1, 1],
    init.map((t) => t.shape),
    true,
  );
  const loss: number[] = [];
  let perStep = 0, tensorsAfterFirst = 0;
  for (let s = 0; s < 30; s++) {
    const { value, grads } = tf.variableGrads(
      () =>
        tf.mean(
          tf.square(
            tf.sub(
              tf.add(
                tf.matMul(tf.tanh(tf.add(tf.matMul(x, params[0]), params[1])), params[2]),
                params[3],
              ),
              y,
            ),
          ),
        ),
      params,
    );
    const before = dispatches.count;
    opt.step(params, params.map((p) => grads[p.name]), 3e-3);
    perStep = dispatches.count - before;
    loss.push((await value.data())[0]);
    tf.dispose([value, ...Object.values(grads)]);
    if (s === 0) tensorsAfterFirst = tf.memory().numTensors;
  }
  leaked = Math.max(leaked, tf.memory().numTensors - tensorsAfterFirst);
  return { loss, theta: params, dispatchesPerStep: perStep };
}
const fusedRun = await train();
const kernel = tf.getKernel(ADAM_UPDATE, "webgpu")!;
tf.unregisterKernel(ADAM_UPDATE, "webgpu");
const opsRun = await train();
tf.registerKernel(kernel);
let thetaMaxRelError = 0;
for (let i = 0; i < 4; i++) {
  thetaMaxRelError = Math.max(
    thetaMaxRelError,
    await relErr(fusedRun.theta[i], opsRun.theta[i]),
  );
}
const lossMaxRelError = Math.max(
  ...fusedRun.loss.map((l, i) => Math.abs(l - opsRun.loss[i]) / opsRun.loss[i]),
);
console.log(JSON.stringify({
  updateMaxRelError,
  controlRelError,
  thetaMaxRelError,
  lossMaxRelError,
  lossDrop: opsRun.loss[29] / opsRun.loss[0],
  leaked,
  dispatchesPerStep: { fused: fusedRun.dispatchesPerStep, ops: opsRun.dispatchesPerStep },
}));
