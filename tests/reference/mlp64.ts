/**
 * An independent float64 reference in plain TypeScript (no TF.js): a small
 * fully connected network with tanh or GELU (tanh approximation) hidden
 * layers and a linear readout, the MSE (½ convention) and cross-entropy
 * losses, the analytic gradient by hand-written backprop, and the dense
 * Hessian by central differences of that analytic gradient.
 *
 * Parameter layout (shared with the TF.js test model): W0 [d0, d1] row-major,
 * b0 [d1], W1 [d1, d2], b1 [d2], …; a layer computes a = h·W + b.
 *
 * @example
 * ```ts
 * import { Mlp64 } from "./mlp64.ts";
 * import { assertEquals, assertOk } from "../assert.ts";
 * const net = new Mlp64([2, 3, 1], "tanh", "mse");
 * const theta = new Float64Array(net.dim).map((_, i) => Math.sin(i + 1)); // any fixed point
 * const [x, y, n] = [new Float64Array([1, -1, 0.5, 2]), new Float64Array([0.3, -0.2]), 2];
 * const h = net.hessian(theta, x, y, n); // Float64Array, dim×dim
 * assertEquals(h.length, net.dim * net.dim);
 * assertOk(h.every((v, k) => v === h[(k % net.dim) * net.dim + Math.floor(k / net.dim)])); // symmetrised
 * ```
 * @module
 */

/** Hidden-layer activation. */
export type Activation64 = "tanh" | "gelu";
/** Loss. */
export type Loss64 = "mse" | "xent";

const GELU_C = Math.sqrt(2 / Math.PI);

function act(kind: Activation64, a: number): number {
  if (kind === "tanh") return Math.tanh(a);
  return 0.5 * a * (1 + Math.tanh(GELU_C * (a + 0.044715 * a * a * a)));
}

function actDerivative(kind: Activation64, a: number): number {
  if (kind === "tanh") {
    const t = Math.tanh(a);
    return 1 - t * t;
  }
  const t = Math.tanh(GELU_C * (a + 0.044715 * a * a * a));
  return 0.5 * (1 + t) +
    0.5 * a * (1 - t * t) * GELU_C * (1 + 3 * 0.044715 * a * a);
}

/**
 * A float64 MLP with explicit parameters.
 *
 * @example
 * ```ts
 * const net = new Mlp64([2, 3, 1], "tanh", "mse");
 * import { assertEquals } from "../assert.ts";
 * assertEquals(net.dim, 2 * 3 + 3 + 3 * 1 + 1);
 * ```
 */
export class Mlp64 {
  /** Layer widths [d0, …, dL]. */
  readonly sizes: number[];
  /** Hidden activation. */
  readonly activation: Activation64;
  /** Loss. */
  readonly loss: Loss64;
  /** Parameter tensor shapes, in order W0, b0, W1, b1, …. */
  readonly shapes: number[][];
  /** Total parameter count. */
  readonly dim: number;

  constructor(sizes: number[], activation: Activation64, loss: Loss64) {
    this.sizes = sizes;
    this.activation = activation;
    this.loss = loss;
    this.shapes = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      this.shapes.push([sizes[l], sizes[l + 1]], [sizes[l + 1]]);
    }
    this.dim = this.shapes.reduce(
      (s, sh) => s + sh.reduce((a, b) => a * b, 1),
      0,
    );
  }

  /** Offsets of W_l and b_l in the flat vector. */
  #offsets(): { w: number; b: number }[] {
    const out: { w: number; b: number }[] = [];
    let o = 0;
    for (let l = 0; l + 1 < this.sizes.length; l++) {
      const w = o;
      o += this.sizes[l] * this.sizes[l + 1];
      const b = o;
      o += this.sizes[l + 1];
      out.push({ w, b });
    }
    return out;
  }

  /** Forward pass: pre-activations and activations per layer (n rows each). */
  #forward(
    theta: Float64Array,
    x: Float64Array,
    n: number,
  ): { pre: Float64Array[]; post: Float64Array[] } {
    const offs = this.#offsets();
    const L = this.sizes.length - 1;
    const post: Float64Array[] = [x];
    const pre: Float64Array[] = [x];
    for (let l = 0; l < L; l++) {
      const din = this.sizes[l];
      const dout = this.sizes[l + 1];
      const h = post[l];
      const a = new Float64Array(n * dout);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < dout; j++) {
          let s = theta[offs[l].b + j];
          for (let k = 0; k < din; k++) {
            s += h[i * din + k] * theta[offs[l].w + k * dout + j];
          }
          a[i * dout + j] = s;
        }
      }
      pre.push(a);
      post.push(l === L - 1 ? a : a.map((v) => act(this.activation, v)));
    }
    return { pre, post };
  }

  /** Network outputs (n × d_L). */
  output(theta: Float64Array, x: Float64Array, n: number): Float64Array {
    const { post } = this.#forward(theta, x, n);
    return post[post.length - 1];
  }

  /** Mean loss and dL/d(output) (n × d_L). */
  #lossAndOutputGrad(
    out: Float64Array,
    y: Float64Array,
    n: number,
  ): { loss: number; dout: Float64Array } {
    const k = this.sizes[this.sizes.length - 1];
    const dout = new Float64Array(n * k);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      if (this.loss === "mse") {
        for (let j = 0; j < k; j++) {
          const r = out[i * k + j] - y[i * k + j];
          loss += 0.5 * r * r;
          dout[i * k + j] = r / n;
        }
      } else {
        let m = -Infinity;
        for (let j = 0; j < k; j++) m = Math.max(m, out[i * k + j]);
        let s = 0;
        for (let j = 0; j < k; j++) s += Math.exp(out[i * k + j] - m);
        const lse = m + Math.log(s);
        for (let j = 0; j < k; j++) {
          loss += -out[i * k + j] * y[i * k + j];
          dout[i * k + j] = (Math.exp(out[i * k + j] - lse) - y[i * k + j]) / n;
        }
        loss += lse;
      }
    }
    return { loss: loss / n, dout };
  }

  /** Mean loss. */
  lossValue(
    theta: Float64Array,
    x: Float64Array,
    y: Float64Array,
    n: number,
  ): number {
    return this.#lossAndOutputGrad(this.output(theta, x, n), y, n).loss;
  }

  /** Analytic gradient of the mean loss (backprop in float64). */
  gradient(
    theta: Float64Array,
    x: Float64Array,
    y: Float64Array,
    n: number,
  ): Float64Array {
    const offs = this.#offsets();
    const L = this.sizes.length - 1;
    const { pre, post } = this.#forward(theta, x, n);
    let delta = this.#lossAndOutputGrad(post[L], y, n).dout; // dL/da_L
    const grad = new Float64Array(this.dim);
    for (let l = L - 1; l >= 0; l--) {
      const din = this.sizes[l];
      const dout = this.sizes[l + 1];
      const h = post[l];
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < dout; j++) {
          const d = delta[i * dout + j];
          grad[offs[l].b + j] += d;
          for (let k = 0; k < din; k++) {
            grad[offs[l].w + k * dout + j] += h[i * din + k] * d;
          }
        }
      }
      if (l > 0) {
        const next = new Float64Array(n * din);
        for (let i = 0; i < n; i++) {
          for (let k = 0; k < din; k++) {
            let s = 0;
            for (let j = 0; j < dout; j++) {
              s += theta[offs[l].w + k * dout + j] * delta[i * dout + j];
            }
            next[i * din + k] = s *
              actDerivative(this.activation, pre[l][i * din + k]);
          }
        }
        delta = next;
      }
    }
    return grad;
  }

  /**
   * Dense Hessian (dim × dim, row-major) by central differences of the
   * analytic gradient with step h, symmetrised. Error O(h²) + O(1e-16/h).
   */
  hessian(
    theta: Float64Array,
    x: Float64Array,
    y: Float64Array,
    n: number,
    h = 1e-5,
  ): Float64Array {
    const d = this.dim;
    const hess = new Float64Array(d * d);
    const t = Float64Array.from(theta);
    for (let i = 0; i < d; i++) {
      const orig = t[i];
      t[i] = orig + h;
      const gp = this.gradient(t, x, y, n);
      t[i] = orig - h;
      const gm = this.gradient(t, x, y, n);
      t[i] = orig;
      for (let j = 0; j < d; j++) hess[j * d + i] = (gp[j] - gm[j]) / (2 * h);
    }
    for (let i = 0; i < d; i++) {
      for (let j = i + 1; j < d; j++) {
        const s = 0.5 * (hess[i * d + j] + hess[j * d + i]);
        hess[i * d + j] = s;
        hess[j * d + i] = s;
      }
    }
    return hess;
  }
}

/**
 * Dense matrix-vector product (row-major n×n).
 *
 * @example
 * ```ts
 * import { assertEquals } from "../assert.ts";
 * assertEquals(matVec(new Float64Array([1, 0, 0, 2]), new Float64Array([1, 1])), new Float64Array([1, 2]));
 * ```
 */
export function matVec(a: Float64Array, v: Float64Array): Float64Array {
  const n = v.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a[i * n + j] * v[j];
    out[i] = s;
  }
  return out;
}

/**
 * Relative difference ‖a − b‖/‖b‖.
 *
 * @example
 * ```ts
 * import { assertClose } from "../assert.ts";
 * assertClose(relativeDifference(new Float64Array([1.001]), new Float64Array([1])), 1e-3, 1e-9);
 * ```
 */
export function relativeDifference(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / den);
}
