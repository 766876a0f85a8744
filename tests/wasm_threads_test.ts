/**
 * The threaded `wasm` build (core/backends/wasm_threads.ts) gives the
 * single-threaded build's results bit for bit on a MatMul-heavy step: the
 * EoS reference network (1000×3072 → 200 → 200 → 10, tanh, MSE), its loss,
 * gradient, one GD update and a Hessian-vector product through the
 * second-order-safe gradients. Each build runs in its own process (this file
 * with `--child`), picked with `PHASEBENCH_WASM_THREADS` as a user would.
 * Control: one ulp in one input changes the outputs, so the comparison can
 * see a difference.
 */
import * as tf from "@tensorflow/tfjs";
import { getThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { setupBackend } from "../core/backend.ts";
import { rngFor } from "../core/rng.ts";
import { assertEquals, assertOk } from "./assert.ts";

const N = 1000, D = 3072, H = 200, K = 10;

/** Loss, gradient, updated weights and an HVP of the EoS reference step, as one float32 array. */
function referenceStep(nudgeFirstInput: boolean): Float32Array {
  return tf.tidy(() => {
    const normals = (purpose: string, n: number, std: number) =>
      Float32Array.from(rngFor(1, "wasm_threads_test", purpose).normals(n, std));
    const xs = normals("x", N * D, 1);
    if (nudgeFirstInput) {
      const bits = new Uint32Array(xs.buffer);
      bits[0] += 1;
    }
    const x = tf.tensor2d(xs, [N, D]);
    const y = tf.tensor2d(normals("y", N * K, 1), [N, K]);
    const w = [
      tf.tensor2d(normals("w1", D * H, 1 / Math.sqrt(D)), [D, H]),
      tf.tensor2d(normals("w2", H * H, 1 / Math.sqrt(H)), [H, H]),
      tf.tensor2d(normals("w3", H * K, 1 / Math.sqrt(H)), [H, K]),
    ];
    const v = [
      tf.tensor2d(normals("v1", D * H, 1), [D, H]),
      tf.tensor2d(normals("v2", H * H, 1), [H, H]),
      tf.tensor2d(normals("v3", H * K, 1), [H, K]),
    ];
    const loss = (w1: tf.Tensor, w2: tf.Tensor, w3: tf.Tensor) => {
      const h1 = tf.tanh(tf.matMul(x, w1 as tf.Tensor2D));
      const h2 = tf.tanh(tf.matMul(h1, w2 as tf.Tensor2D));
      return tf.mean(tf.square(tf.sub(tf.matMul(h2, w3 as tf.Tensor2D), y))) as tf.Scalar;
    };
    const grad = tf.grads((w1, w2, w3) => loss(w1, w2, w3));
    const g = grad(w);
    const hvp = tf.grads((w1, w2, w3) => {
      const gi = grad([w1, w2, w3]);
      return tf.addN(gi.map((gij, i) => tf.sum(tf.mul(gij, v[i])))) as tf.Scalar;
    })(w);
    const updated = w.map((wi, i) => tf.sub(wi, tf.mul(0.4, g[i])));
    const parts = [
      loss(w[0], w[1], w[2]),
      ...g,
      ...updated,
      loss(updated[0], updated[1], updated[2]),
      ...hvp,
    ];
    return tf.concat(parts.map((p) => p.flatten()));
  }).dataSync() as Float32Array;
}

interface StepResult {
  reported: number;
  plain: Float32Array;
  nudged: Float32Array;
}

/**
 * The child's side (`deno run tests/wasm_threads_test.ts --child OUT`): sets
 * up `wasm` as `PHASEBENCH_WASM_THREADS` says, writes the thread count and
 * both steps' outputs under OUT.
 */
if (Deno.args[0] === "--child") {
  const out = Deno.args[1];
  await setupBackend("wasm");
  Deno.writeTextFileSync(`${out}/threads`, String(getThreadsCount()));
  Deno.writeFileSync(`${out}/plain`, new Uint8Array(referenceStep(false).buffer));
  Deno.writeFileSync(`${out}/nudged`, new Uint8Array(referenceStep(true).buffer));
}

/** Runs the step in a child process with `threads` wasm threads. */
async function stepInChild(threads: number): Promise<StepResult> {
  const out = Deno.makeTempDirSync({ prefix: "wasm_threads_test" });
  try {
    const child = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--no-check", new URL(import.meta.url).pathname, "--child", out],
      env: { PHASEBENCH_WASM_THREADS: String(threads) },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const err = new TextDecoder().decode(child.stderr);
    assertEquals(child.code, 0, err);
    const floats = (name: string) => new Float32Array(Deno.readFileSync(`${out}/${name}`).buffer);
    return {
      reported: Number(Deno.readTextFileSync(`${out}/threads`)),
      plain: floats("plain"),
      nudged: floats("nudged"),
    };
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
}

/** How many float32 elements of a and b differ in any bit. */
function differingBits(a: Float32Array, b: Float32Array): number {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  let n = 0;
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) n++;
  return n;
}

if (Deno.args[0] !== "--child") {
  Deno.test("the threaded wasm build (2 and 3 threads) gives the single-threaded build's bits on the EoS step and an HVP", async () => {
    const single = await stepInChild(1);
    assertEquals(single.reported, 1);
    const length = 1 + 2 * (D * H + H * H + H * K) + 1 + (D * H + H * H + H * K);
    assertEquals(single.plain.length, length);
    assertOk(single.plain.every(Number.isFinite), "finite outputs");
    // control: one ulp in one input moves the outputs
    assertOk(differingBits(single.plain, single.nudged) > 0, "the comparison sees a one-ulp nudge");
    for (const threads of [2, 3]) {
      const threaded = await stepInChild(threads);
      assertEquals(threaded.reported, threads);
      assertEquals(differingBits(threaded.plain, single.plain), 0, `${threads} threads`);
      assertEquals(differingBits(threaded.nudged, single.nudged), 0, `${threads} threads, nudged`);
    }
  });
}
