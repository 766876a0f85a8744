/**
 * The `blas` backend (wasm with MatMul on OpenBLAS through Deno.dlopen):
 * matMul and its gradients agree with the pure-JS `cpu` backend on random
 * matrices with every transpose flag and with batched/broadcast products;
 * the same product gives the same bits twice; the manifest names the library
 * and thread count; exact HVPs through it match the float64 reference; and
 * without the library it falls back to wasm with one line on stderr. Negative control: the comparison rejects a product with a
 * wrong transpose flag.
 */
import * as tf from "@tensorflow/tfjs";
import { setupBackend } from "../core/backend.ts";
import { DEFAULT_BLAS_THREADS, loadOpenBlas } from "../core/blas/openblas.ts";
import { lossFn } from "../core/nn/losses.ts";
import { makeHvp } from "../core/spectral/hvp.ts";
import { rngFor } from "../core/rng.ts";
import { matVec, relativeDifference } from "./reference/mlp64.ts";
import { tinyProblem, toTensors } from "./reference/tf_mlp.ts";
import { assertEquals, assertMatch, assertOk } from "./assert.ts";

const blas = loadOpenBlas();
const missing = "error" in blas ? ` (skipped: ${blas.error.slice(0, 60)}…)` : "";
const ignore = "error" in blas;

const rng = rngFor(0, "perf-blas", "data");
const floats = (n: number) => Float32Array.from(rng.normals(n));

/** max |a − b| / max |b|: relative to the scale of the result. */
function maxRelative(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / den;
}

interface Product {
  name: string;
  aShape: number[];
  bShape: number[];
  tA: boolean;
  tB: boolean;
  a: Float32Array;
  b: Float32Array;
}
const products: Product[] = [];
for (const [aBatch, bBatch] of [[[], []], [[3], [3]], [[2], []], [[], [2]]]) {
  for (const tA of [false, true]) {
    for (const tB of [false, true]) {
      const [m, k, n] = [37, 53, 29];
      const aShape = [...aBatch, ...(tA ? [k, m] : [m, k])];
      const bShape = [...bBatch, ...(tB ? [n, k] : [k, n])];
      products.push({
        name: `A[${aShape}]${tA ? "ᵀ" : ""}·B[${bShape}]${tB ? "ᵀ" : ""}`,
        aShape,
        bShape,
        tA,
        tB,
        a: floats(aShape.reduce((x, y) => x * y, 1)),
        b: floats(bShape.reduce((x, y) => x * y, 1)),
      });
    }
  }
}

/**
 * op(A)·op(B), and the gradients of Σ tanh(op(A)·op(B)) ⊙ R on the current
 * backend where A and B have the same batch shape (TF.js's MatMul gradient
 * does not reduce over broadcast batch axes).
 */
function evaluate(p: Product, r: Float32Array): Float32Array[] {
  return tf.tidy(() => {
    const a = tf.tensor(p.a, p.aShape), b = tf.tensor(p.b, p.bShape);
    const c = tf.matMul(a, b, p.tA, p.tB);
    if (p.aShape.length !== p.bShape.length) return [c.dataSync() as Float32Array];
    const rt = tf.tensor(r, c.shape);
    const f = (x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(tf.mul(tf.tanh(tf.matMul(x, y, p.tA, p.tB)), rt)) as tf.Scalar;
    const [ga, gb] = tf.grads(f)([a, b]);
    return [c, ga, gb].map((t) => t.dataSync() as Float32Array);
  });
}

function outSize(p: Product): number {
  const batch = Math.max(
    p.aShape.slice(0, -2).reduce((x, y) => x * y, 1),
    p.bShape.slice(0, -2).reduce((x, y) => x * y, 1),
  );
  return batch * 37 * 29;
}

Deno.test({
  name:
    `blas matMul and its gradients match cpu to 1e-5 relative (all flags, batched; broadcast batches forward only)${missing}`,
  ignore,
  fn: async () => {
    const rs = products.map((p) => floats(outSize(p)));
    await setupBackend("cpu");
    const onCpu = products.map((p, i) => evaluate(p, rs[i]));
    const info = await setupBackend("blas");
    assertEquals(info.name, "blas");
    assertEquals(tf.getBackend(), "blas");
    products.forEach((p, i) => {
      const got = evaluate(p, rs[i]);
      assertEquals(got.length, p.aShape.length === p.bShape.length ? 3 : 1);
      ["product", "dA", "dB"].slice(0, got.length).forEach((what, j) => {
        assertEquals(got[j].length, onCpu[i][j].length, `${p.name} ${what} size`);
        const rel = maxRelative(got[j], onCpu[i][j]);
        assertOk(rel <= 1e-5, `${p.name}: ${what} differs from cpu by ${rel}`);
      });
    });
  },
});

Deno.test({
  name: `exact HVPs on blas (double backprop through sgemm) match the float64 reference${missing}`,
  ignore,
  fn: async () => {
    await setupBackend("blas");
    for (const [activation, loss] of [["tanh", "mse"], ["gelu", "xent"]] as const) {
      const p = tinyProblem([3, 12, 12, 2], activation, loss, 16, 0);
      const v = rngFor(0, "perf-blas", "probe").normals(p.ref.dim);
      const { params, x, y } = toTensors(p);
      const hv = await makeHvp({ model: p.model, params, loss: lossFn(loss), x, y }).hvp(v);
      const rel = relativeDifference(hv, matVec(p.ref.hessian(p.theta, p.x, p.y, p.n), v));
      assertOk(rel < 1e-4, `${activation}/${loss}: ‖Hv − Hv₆₄‖/‖Hv₆₄‖ = ${rel}`);
      tf.dispose([...params, x, y]);
    }
  },
});

Deno.test({
  name: `negative control: the comparison rejects a product with a wrong transpose flag${missing}`,
  ignore,
  fn: async () => {
    const sq = { a: floats(40 * 40), b: floats(40 * 40) };
    await setupBackend("cpu");
    const right = tf.tidy(() =>
      tf.matMul(tf.tensor(sq.a, [40, 40]), tf.tensor(sq.b, [40, 40]), true, false).dataSync()
    );
    await setupBackend("blas");
    const wrong = tf.tidy(() =>
      tf.matMul(tf.tensor(sq.a, [40, 40]), tf.tensor(sq.b, [40, 40]), false, false).dataSync()
    );
    const rel = maxRelative(wrong, right);
    assertOk(rel > 1e-2, `a wrong flag went unnoticed: ${rel}`);
  },
});

Deno.test({
  name:
    `blas gives the same bits for the same product twice, and records library and threads${missing}`,
  ignore,
  fn: async () => {
    const info = await setupBackend("blas");
    assertMatch(info.device, /OpenBLAS/);
    assertMatch(info.device, /libopenblas/);
    const threads = Number(Deno.env.get("PHASEBENCH_BLAS_THREADS") || DEFAULT_BLAS_THREADS);
    assertMatch(info.device, new RegExp(`threads=${threads}(;|$)`));
    const a = floats(300 * 400), b = floats(400 * 200);
    const run = () =>
      tf.tidy(() => tf.matMul(tf.tensor(a, [300, 400]), tf.tensor(b, [400, 200])).dataSync());
    const first = run(), second = run();
    assertEquals(new Uint8Array(first.buffer), new Uint8Array(second.buffer));
  },
});

Deno.test({
  name:
    `blas Identity (the clone TF.js makes of every saved tensor) shares the buffer and outlives the original${missing}`,
  ignore,
  fn: async () => {
    await setupBackend("blas");
    const backend = tf.backend() as unknown as { getMemoryOffset(dataId: object): number };
    const values = floats(1000);
    const x = tf.tensor(values, [10, 100]);
    const before = tf.memory().numTensors;
    const y = tf.clone(x);
    assertEquals(tf.memory().numTensors, before + 1);
    assertEquals(backend.getMemoryOffset(y.dataId), backend.getMemoryOffset(x.dataId));
    x.dispose();
    assertEquals(Array.from(y.dataSync()), Array.from(values));
    y.dispose();
    assertEquals(tf.memory().numTensors, before - 1);
  },
});

Deno.test("without OpenBLAS, --backend blas falls back to wasm with one line on stderr", async () => {
  const script = `
    import { setupBackend } from ${
    JSON.stringify(new URL("../core/backend.ts", import.meta.url).href)
  };
    const info = await setupBackend("blas");
    console.log(JSON.stringify(info));`;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--config", new URL("../deno.json", import.meta.url).pathname, script],
    env: { PHASEBENCH_BLAS_LIB: "/nonexistent/libopenblas.so.0" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr).trim();
  assertOk(out.success, stderr);
  const info = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").pop()!);
  assertEquals(info.name, "wasm");
  assertMatch(info.device, /blas requested; fell back to wasm/);
  const lines = stderr.split("\n").filter((l) => l.trim() !== "");
  assertEquals(lines.length, 1, stderr);
  assertMatch(
    lines[0],
    /^backend blas: .*\/nonexistent\/libopenblas\.so\.0: not found.*falling back to wasm/,
  );
});
