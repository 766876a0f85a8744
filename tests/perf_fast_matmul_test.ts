/**
 * The transpose-free MatMul gradient (core/nn/fast_matmul.ts) on wasm: it
 * never calls a flagged (transposed) matMul, it equals TF.js's own gradient
 * formulas to first and second order for every flag combination and for
 * batched products, and Hessian-vector products through it agree with the
 * float64 reference; on cpu it is TF.js's own gradient. Negative control: TF.js's formulas do call flagged
 * matMuls, and the spy sees them.
 */
import * as tf from "@tensorflow/tfjs";
import { setupBackend } from "../core/backend.ts";
import {
  fastMatMulGradientInstalled,
  installFastMatMulGradient,
  swapLastTwoAxes,
} from "../core/nn/fast_matmul.ts";
import { lossFn } from "../core/nn/losses.ts";
import { makeHvp } from "../core/spectral/hvp.ts";
import { rngFor } from "../core/rng.ts";
import { matVec, relativeDifference } from "./reference/mlp64.ts";
import { tinyProblem, toTensors } from "./reference/tf_mlp.ts";
import { assertEquals, assertOk, assertThrowsMsg } from "./assert.ts";

await setupBackend("wasm");

/** TF.js 4.22's own BatchMatMul gradient (tfjs-core gradients/BatchMatMul_grad), for comparison. */
const tfjsMatMulGrad: tf.GradConfig = {
  kernelName: tf.BatchMatMul,
  inputsToSave: ["a", "b"],
  gradFunc: (dy, saved, attrs) => {
    const [a, b] = saved;
    const g = dy as tf.Tensor;
    const { transposeA, transposeB } = attrs as unknown as {
      transposeA: boolean;
      transposeB: boolean;
    };
    if (!transposeA && !transposeB) {
      return { a: () => tf.matMul(g, b, false, true), b: () => tf.matMul(a, g, true, false) };
    }
    if (!transposeA && transposeB) {
      return { a: () => tf.matMul(g, b, false, false), b: () => tf.matMul(g, a, true, false) };
    }
    if (transposeA && !transposeB) {
      return { a: () => tf.matMul(b, g, false, true), b: () => tf.matMul(a, g, false, false) };
    }
    return { a: () => tf.matMul(b, g, true, true), b: () => tf.matMul(g, a, true, true) };
  },
};

/** Runs `fn` with TF.js's formulas registered, then puts the fast gradient back. */
function withTfjsGradient<T>(fn: () => T): T {
  tf.registerGradient(tfjsMatMulGrad);
  try {
    return fn();
  } finally {
    installFastMatMulGradient();
  }
}

/** The transpose flags of every wasm BatchMatMul run inside `fn`. */
function matMulFlags(fn: () => void): string[] {
  const original = tf.getKernel(tf.BatchMatMul, "wasm")!;
  const seen: string[] = [];
  tf.unregisterKernel(tf.BatchMatMul, "wasm");
  tf.registerKernel({
    ...original,
    kernelFunc: (args) => {
      const { transposeA, transposeB } = args.attrs as unknown as Record<string, boolean>;
      seen.push(`${transposeA ? "T" : "N"}${transposeB ? "T" : "N"}`);
      return original.kernelFunc(args);
    },
  });
  try {
    fn();
  } finally {
    tf.unregisterKernel(tf.BatchMatMul, "wasm");
    tf.registerKernel(original);
  }
  return seen;
}

const rng = rngFor(0, "fast-matmul", "data");
const rand = (shape: number[]) =>
  tf.tensor(Float32Array.from(rng.normals(shape.reduce((a, b) => a * b, 1))), shape);

interface Case {
  name: string;
  a: tf.Tensor;
  b: tf.Tensor;
  tA: boolean;
  tB: boolean;
  r: tf.Tensor;
  va: tf.Tensor;
  vb: tf.Tensor;
}
const cases: Case[] = [];
for (const batch of [[], [3]]) {
  for (const tA of [false, true]) {
    for (const tB of [false, true]) {
      const [m, k, n] = [4, 5, 6];
      const a = rand([...batch, ...(tA ? [k, m] : [m, k])]);
      const b = rand([...batch, ...(tB ? [n, k] : [k, n])]);
      cases.push({
        name: `rank ${batch.length + 2}, transposeA=${tA}, transposeB=${tB}`,
        a,
        b,
        tA,
        tB,
        r: rand([...batch, m, n]),
        va: rand(a.shape),
        vb: rand(b.shape),
      });
    }
  }
}

/** ∇ and H·v of f(A, B) = Σ tanh(op(A)·op(B)) ⊙ R, as flat arrays [dA, dB, (Hv)_A, (Hv)_B]. */
function derivatives(c: Case): Float32Array[] {
  return tf.tidy(() => {
    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.tanh(tf.matMul(a, b, c.tA, c.tB)), c.r)) as tf.Scalar;
    const g = tf.grads(f)([c.a, c.b]);
    const hv = tf.grads((a: tf.Tensor, b: tf.Tensor) => {
      const [ga, gb] = tf.grads(f)([a, b]);
      return tf.add(tf.sum(tf.mul(ga, c.va)), tf.sum(tf.mul(gb, c.vb))) as tf.Scalar;
    })([c.a, c.b]);
    return [...g, ...hv].map((t) => t.dataSync() as Float32Array);
  });
}

Deno.test("setupBackend() installs the transpose-free MatMul gradient", () => {
  assertOk(fastMatMulGradientInstalled());
});

Deno.test("swapLastTwoAxes() transposes the last two axes and refuses vectors", () => {
  const x = tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 2, 3]);
  const t = swapLastTwoAxes(x);
  assertEquals(t.shape, [2, 3, 2]);
  assertEquals(Array.from(t.dataSync()), [1, 4, 2, 5, 3, 6, 7, 10, 8, 11, 9, 12]);
  assertThrowsMsg(() => swapLastTwoAxes(tf.tensor1d([1, 2])), /rank ≥ 2, got rank 1/);
});

Deno.test("on wasm the MatMul gradient (first and second order) calls no transposed matMul", () => {
  for (const c of cases) {
    const flags = matMulFlags(() => derivatives(c));
    // the forward products carry the case's own flags; everything else is plain
    const forward = `${c.tA ? "T" : "N"}${c.tB ? "T" : "N"}`;
    const other = flags.filter((f) => f !== "NN" && f !== forward);
    assertEquals(other, [], `${c.name}: flagged products ${other.join(",")}`);
    if (forward === "NN") assertOk(flags.every((f) => f === "NN"), c.name);
  }
});

Deno.test("negative control: TF.js's own MatMul gradient does call transposed matMuls on wasm", () => {
  const c = cases[0]; // A·B, no flags in the forward
  const flags = withTfjsGradient(() => matMulFlags(() => derivatives(c)));
  assertOk(flags.includes("NT") && flags.includes("TN"), `saw only ${flags.join(",")}`);
});

Deno.test("the transpose-free gradient equals TF.js's gradient to first and second order (all flags, rank 2 and 3)", () => {
  for (const c of cases) {
    const fast = derivatives(c);
    const reference = withTfjsGradient(() => derivatives(c));
    const labels = ["dA", "dB", "(Hv)_A", "(Hv)_B"];
    fast.forEach((d, j) => {
      const rel = relativeDifference(d, reference[j]);
      assertOk(rel <= 1e-6, `${c.name}: ${labels[j]} differs by ${rel}`);
    });
  }
});

Deno.test("on cpu the installed gradient is TF.js's own: the same bits to first and second order", async () => {
  await setupBackend("cpu");
  try {
    for (const c of cases) {
      const ours = derivatives(c);
      const reference = withTfjsGradient(() => derivatives(c));
      ours.forEach((d, j) => assertEquals(Array.from(d), Array.from(reference[j]), c.name));
    }
  } finally {
    await setupBackend("wasm");
  }
});

Deno.test("exact HVPs through the transpose-free gradient match the float64 reference on wasm", async () => {
  for (const [activation, loss] of [["tanh", "mse"], ["gelu", "xent"]] as const) {
    const p = tinyProblem([3, 12, 12, 2], activation, loss, 16, 0);
    const v = rngFor(0, "fast-matmul", "probe").normals(p.ref.dim);
    const { params, x, y } = toTensors(p);
    const hv = await makeHvp({ model: p.model, params, loss: lossFn(loss), x, y }).hvp(v);
    const truth = matVec(p.ref.hessian(p.theta, p.x, p.y, p.n), v);
    const rel = relativeDifference(hv, truth);
    assertOk(rel < 1e-4, `${activation}/${loss}: ‖Hv − Hv₆₄‖/‖Hv₆₄‖ = ${rel}`);
    tf.dispose([...params, x, y]);
  }
});
