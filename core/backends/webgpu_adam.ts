/**
 * The Adam update ({@linkcode ADAM_UPDATE}) on webgpu in three dispatches a
 * tensor, not fourteen.
 *
 * A small model's step on webgpu is bound by the host encoding its
 * dispatches: on an NVIDIA H200 the Nanda transformer's AdamW step made 289
 * of them (20.5 ms of a 29.7 ms step), of which the 11 parameter tensors'
 * Adam updates made about 150. Here m', v' and θ' are one elementwise shader
 * each, with the op sequence's arithmetic in its order (each scalar rounded
 * to float32 as TF.js rounds it); the shader compiler may contract a product
 * and a sum into one fused multiply-add, so the last bit can differ from the
 * separate ops. It is registered only when the webgpu backend is set up.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { assertEquals } from "../../tests/assert.ts";
 * registerWebgpuAdamUpdate();
 * assertEquals(tf.getKernel("PhasebenchAdamUpdate", "webgpu")?.backendName, "webgpu");
 * tf.unregisterKernel("PhasebenchAdamUpdate", "webgpu");
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { WebGPUBackend, WebGPUProgram } from "@tensorflow/tfjs-backend-webgpu";
import { ADAM_UPDATE, type AdamUpdateAttrs } from "../optim/adam_update.ts";

/** Threads per workgroup (TF.js's own elementwise programs use 64–128). */
const WORKGROUP = 64;

/** The three shaders: m', v' (from m, v, g) and θ' (from θ, m', v'). */
const SHADERS = {
  m: { inputs: ["M", "G"], body: "M[index] * uniforms.beta1 + G[index] * uniforms.oneMinusBeta1" },
  v: {
    inputs: ["V", "G"],
    body: "V[index] * uniforms.beta2 + (G[index] * G[index]) * uniforms.oneMinusBeta2",
  },
  theta: {
    inputs: ["P", "M", "V"],
    // θ·decay − (m / (√v/√(1−β2^t) + ε))·stepSize; decay = 1 leaves θ exact
    body:
      "P[index] * uniforms.decay - (M[index] / (sqrt(V[index]) / uniforms.sqrtBc2 + uniforms.eps)) * uniforms.stepSize",
  },
} as const;

/** The uniforms every shader declares, in this order. */
const UNIFORMS: (keyof AdamUpdateAttrs)[] = [
  "beta1",
  "oneMinusBeta1",
  "beta2",
  "oneMinusBeta2",
  "sqrtBc2",
  "eps",
  "stepSize",
  "decay",
];

/** One elementwise program over `size` entries. */
function program(part: keyof typeof SHADERS, size: number): WebGPUProgram {
  const { inputs, body } = SHADERS[part];
  return {
    outputShape: [size],
    shaderKey: `phasebench_adam_${part}`,
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(size / WORKGROUP), 1, 1],
    variableNames: [...inputs],
    uniforms: UNIFORMS.map((u) => `${u} : f32,`).join(" "),
    workgroupSize: [WORKGROUP, 1, 1],
    size: true,
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          setOutputAtIndex(index, ${body});
        }
      }`,
  };
}

/**
 * Registers the {@linkcode ADAM_UPDATE} kernel for the webgpu backend (the
 * other backends keep the op sequence).
 */
export function registerWebgpuAdamUpdate(): void {
  tf.registerKernel({
    kernelName: ADAM_UPDATE,
    backendName: "webgpu",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { theta, g, m, v } = inputs as Record<"theta" | "g" | "m" | "v", tf.TensorInfo>;
      const a = attrs as unknown as AdamUpdateAttrs;
      const gpu = backend as unknown as WebGPUBackend;
      const size = theta.shape.reduce((n, d) => n * d, 1);
      const uniforms = UNIFORMS.map((u) => ({ type: "float32" as const, data: [a[u]] }));
      const flat = (t: tf.TensorInfo) => ({ ...t, shape: [size] });
      const run = (part: keyof typeof SHADERS, ins: tf.TensorInfo[]) =>
        gpu.runWebGPUProgram(program(part, size), ins.map(flat), "float32", uniforms);
      const m1 = run("m", [m, g]);
      const v1 = run("v", [v, g]);
      const theta1 = run("theta", [theta, m1, v1]);
      return [m1, v1, theta1].map((t) => ({ ...t, shape: theta.shape }));
    },
  });
}
