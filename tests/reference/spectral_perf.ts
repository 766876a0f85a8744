/**
 * Performance probe of the spectral toolkit (not a test):
 *
 * 1. cost of one HVP (exact and fd) relative to one gradient;
 * 2. HVPs per λ_max measurement (Lanczos, tol 1e-3) cold and warm along a
 *    short GD trajectory of a moderately sized MLP (64→128→128→10 tanh, MSE,
 *    1,000 examples, 26,122 parameters);
 * 3. time and peak memory of a λ_max measurement on a 5,000-example subset of
 *    3,072-dim inputs with the EoS reference MLP (3072→200→200→10 tanh, MSE,
 *    656,810 parameters), chunk 1,000.
 *
 * @example
 * ```sh
 * deno run -A tests/reference/spectral_perf.ts [--backend wasm|cpu] [--eos-iters 3]
 *   [--fast-matmul] [--skip-moderate] [--skip-eos]
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { parseArgs } from "node:util";
import { type BackendName, setupBackend } from "../../core/backend.ts";
import { lossFn } from "../../core/nn/losses.ts";
import { installTransposeFreeMatMulGradient } from "../../core/nn/safe_ops.ts";
import { rngFor } from "../../core/rng.ts";
import { flatGradient, makeHvp } from "../../core/spectral/hvp.ts";
import { lanczos } from "../../core/spectral/lanczos.ts";
import { tfMlp } from "./tf_mlp.ts";

const { values: args } = parseArgs({
  options: {
    backend: { type: "string", default: "wasm" },
    "eos-iters": { type: "string", default: "3" },
    "skip-eos": { type: "boolean", default: false },
    "skip-moderate": { type: "boolean", default: false },
    "fast-matmul": { type: "boolean", default: false },
  },
});
await setupBackend(args.backend as BackendName);
if (args["fast-matmul"]) installTransposeFreeMatMulGradient();
const loss = lossFn("mse");
const mib = (b: number) => (b / 2 ** 20).toFixed(0) + " MiB";

function problem(sizes: number[], n: number, seed: number) {
  const model = tfMlp(sizes, "tanh");
  const params = model.init(rngFor(seed, "perf", "init")).map((v, i) =>
    tf.tensor(v, model.paramShapes[i])
  );
  const rng = rngFor(seed, "perf", "data");
  const d = sizes[0];
  const k = sizes[sizes.length - 1];
  const xs = new Float32Array(n * d);
  for (let i = 0; i < xs.length; i++) xs[i] = rng.normal();
  const ys = new Float32Array(n * k);
  for (let i = 0; i < n; i++) ys[i * k + rng.int(k)] = 1;
  return { model, params, x: tf.tensor2d(xs, [n, d]), y: tf.tensor2d(ys, [n, k]) };
}

async function time<T>(f: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await f();
  return { ms: performance.now() - t0, value };
}

/** Median time of `reps` calls, one after another. */
async function medianTime(reps: number, f: () => unknown): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) ms.push((await time(f)).ms);
  return median(ms);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

// ---- 1 + 2: moderate MLP ---------------------------------------------------
console.log(
  `backend ${tf.getBackend()}, MatMul gradient: ${
    args["fast-matmul"] ? "transpose-free" : "TF.js default"
  }`,
);
if (!args["skip-moderate"]) {
  const sizes = [64, 128, 128, 10];
  const { model, params, x, y } = problem(sizes, 1000, 0);
  const setup = { model, params, loss, x, y, chunkSize: 1000 };
  const dim = model.nParams;
  const v = rngFor(0, "perf", "probe").normals(dim);
  await flatGradient(setup); // warm-up
  const g = await medianTime(5, () => flatGradient(setup));
  const exact = makeHvp({ ...setup, method: "exact" });
  const fd = makeHvp({ ...setup, method: "fd" });
  await exact.hvp(v);
  const he = await medianTime(5, () => exact.hvp(v));
  const hf = await medianTime(5, () => fd.hvp(v));
  console.log(
    `moderate MLP ${sizes.join("→")} tanh, n=1000, P=${dim}: gradient ${g.toFixed(1)} ms, ` +
      `exact HVP ${he.toFixed(1)} ms (${(he / g).toFixed(2)}× gradient), fd HVP ${
        hf.toFixed(1)
      } ms (${(hf / g).toFixed(2)}×)`,
  );

  // GD trajectory, λ_max every 10 steps, cold vs warm
  let cur = params;
  let start: Float64Array | undefined;
  const cold: number[] = [];
  const warm: number[] = [];
  const lambdas: string[] = [];
  const lr = 0.5;
  for (let step = 0; step <= 60; step++) {
    if (step % 10 === 0) {
      const op = makeHvp({ model, params: cur, loss, x, y, chunkSize: 1000 });
      const c = await lanczos(op.hvp, dim, {
        tol: 1e-3,
        rng: rngFor(0, "perf", `probe:cold:${step}`),
      });
      const w = await lanczos(op.hvp, dim, {
        tol: 1e-3,
        start,
        rng: rngFor(0, "perf", `probe:warm:${step}`),
      });
      const ref = await lanczos(op.hvp, dim, {
        tol: 1e-7,
        maxIter: 150,
        rng: rngFor(0, "perf", "probe:ref"),
      });
      cold.push(c.matvecs);
      warm.push(w.matvecs);
      lambdas.push(
        `${step}: λ=${ref.values[0].toFixed(4)} cold ${c.matvecs} (err ${
          (Math.abs(c.values[0] - ref.values[0]) / ref.values[0]).toExponential(1)
        }) warm ${w.matvecs} (err ${
          (Math.abs(w.values[0] - ref.values[0]) / ref.values[0]).toExponential(1)
        })`,
      );
      start = w.vectors[0];
    }
    const { gradient } = await flatGradient({ model, params: cur, loss, x, y });
    let o = 0;
    const next = cur.map((p) => {
      const upd = tf.tensor(Float32Array.from(gradient.subarray(o, o + p.size)), p.shape);
      o += p.size;
      const q = tf.sub(p, tf.mul(upd, lr));
      upd.dispose();
      return q;
    });
    if (cur !== params) tf.dispose(cur);
    cur = next;
  }
  console.log(
    `λ_max along GD (lr ${lr}), HVPs per measurement at tol 1e-3:\n  ${lambdas.join("\n  ")}`,
  );
  const avg = (xs: number[]) => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1);
  console.log(`  mean HVPs: cold ${avg(cold)}, warm after the first ${avg(warm.slice(1))}`);
  tf.dispose([...params, ...cur, x, y]);
}

// ---- 3: EoS reference MLP on 5,000 × 3,072 ----------------------------------
if (!args["skip-eos"]) {
  const sizes = [3072, 200, 200, 10];
  const rss0 = Deno.memoryUsage().rss;
  const { model, params, x, y } = problem(sizes, 5000, 1);
  const rss1 = Deno.memoryUsage().rss;
  const setup = { model, params, loss, x, y, chunkSize: 1000 };
  let peak = rss1;
  const sample = () => peak = Math.max(peak, Deno.memoryUsage().rss);
  const g = await time(() => flatGradient(setup));
  sample();
  const op = makeHvp({ ...setup, method: "exact" });
  const iters = Number(args["eos-iters"]);
  const times: number[] = [];
  const matvec = async (v: Float64Array) => {
    const t = await time(() => op.hvp(v));
    times.push(t.ms);
    sample();
    return t.value;
  };
  const r = await time(() =>
    lanczos(matvec, model.nParams, { maxIter: iters, tol: 1e-3, rng: rngFor(1, "perf", "probe") })
  );
  const fd = makeHvp({ ...setup, method: "fd" });
  const tf0 = await time(() => fd.hvp(r.value.vectors[0]));
  sample();
  console.log(
    `EoS MLP ${sizes.join("→")} tanh, n=5000, chunk 1000, P=${model.nParams}: gradient ${
      (g.ms / 1000).toFixed(2)
    } s, ` +
      `exact HVP ${(median(times) / 1000).toFixed(2)} s (${
        (median(times) / g.ms).toFixed(2)
      }× gradient), ` +
      `fd HVP ${(tf0.ms / 1000).toFixed(2)} s; Lanczos ${r.value.matvecs} its in ${
        (r.ms / 1000).toFixed(1)
      } s ` +
      `(λ≈${r.value.values[0].toFixed(3)}, residual/λ ${
        (r.value.residuals[0] / r.value.values[0]).toExponential(1)
      })`,
  );
  console.log(
    `  memory: data+params ${mib(rss1 - rss0)} over a ${
      mib(rss0)
    } baseline; peak RSS during the measurement ${mib(peak)} (${
      mib(peak - rss1)
    } above data+params); TF.js tensors held ${mib(tf.memory().numBytes)}`,
  );
  tf.dispose([...params, x, y]);
}
