/**
 * An independent float64 edge-of-stability run (no TF.js): full-batch GD on
 * the Chebyshev T₃ task with a 1→W→1 tanh MLP ({@linkcode Mlp64}), logging
 * the train loss every step and λ_max of the exact (finite-difference)
 * Hessian every `every` steps, as long-format CSV rows — what a researcher's
 * PyTorch script would write for `curves --check eos`.
 *
 * @example
 * ```ts
 * import { gdEdgeCsv } from "./gd_edge64.ts";
 * const csv = gdEdgeCsv({ lrs: [0.4], steps: 200, every: 20, width: 16, seed: 1 });
 * import { assertEquals } from "../assert.ts";
 * const lines = csv.trim().split("\n");
 * assertEquals(lines[0], "run_lr,iteration,loss,sharpness");
 * assertEquals(lines.length, 1 + 201); // the loss at every iteration 0..200
 * assertEquals(lines.filter((l) => /,\d[^,]*$/.test(l)).length, 11); // λ_max every 20th
 * ```
 * @module
 */
import { Mlp64 } from "./mlp64.ts";
import { rngFor } from "../../core/rng.ts";

/** λ_max of a dense symmetric matrix by power iteration on H + cI (largest algebraic). */
export function topEigenvalue(h: Float64Array, d: number, iters = 500): number {
  let shift = 0;
  for (let i = 0; i < d * d; i++) shift += h[i] * h[i];
  shift = Math.sqrt(shift);
  let v = new Float64Array(d).map((_, i) => 1 / Math.sqrt(d) * (1 + 0.01 * i));
  let lambda = 0;
  for (let k = 0; k < iters; k++) {
    const w = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let s = shift * v[i];
      for (let j = 0; j < d; j++) s += h[i * d + j] * v[j];
      w[i] = s;
    }
    const norm = Math.sqrt(w.reduce((a, b) => a + b * b, 0));
    const next = w.map((x) => x / norm);
    const rq = norm - shift;
    v = next;
    if (Math.abs(rq - lambda) < 1e-10 * Math.max(1, Math.abs(rq))) return rq;
    lambda = rq;
  }
  return lambda;
}

/** GD runs at each η of `lrs`; returns the CSV text (columns run_lr, iteration, loss, sharpness). */
export function gdEdgeCsv(
  opts: { lrs: number[]; steps: number; every: number; width: number; seed: number },
): string {
  const n = 20;
  const x = Float64Array.from({ length: n }, (_, i) => -1 + (2 * i) / (n - 1));
  const y = x.map((t) => 4 * t ** 3 - 3 * t);
  const net = new Mlp64([1, opts.width, 1], "tanh", "mse");
  const lines = ["run_lr,iteration,loss,sharpness"];
  for (const lr of opts.lrs) {
    // Glorot-uniform weights (first layer with gain 1.9), zero biases
    const rng = rngFor(opts.seed, "gd-edge64", "init");
    const theta = new Float64Array(net.dim);
    const a0 = 1.9 * Math.sqrt(6 / (1 + opts.width));
    const a1 = Math.sqrt(6 / (opts.width + 1));
    for (let i = 0; i < opts.width; i++) theta[i] = rng.uniform(-a0, a0);
    for (let i = 0; i < opts.width; i++) theta[2 * opts.width + i] = rng.uniform(-a1, a1);
    for (let step = 0; step <= opts.steps; step++) {
      const loss = net.lossValue(theta, x, y, n);
      const sharp = step % opts.every === 0
        ? String(topEigenvalue(net.hessian(theta, x, y, n), net.dim))
        : "";
      lines.push(`${lr},${step},${loss},${sharp}`);
      if (!Number.isFinite(loss)) break;
      const g = net.gradient(theta, x, y, n);
      for (let i = 0; i < theta.length; i++) theta[i] -= lr * g[i];
    }
  }
  return lines.join("\n") + "\n";
}
