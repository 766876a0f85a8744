/**
 * Run-to-run bits of one MatMul on `webgpu` (run as a subprocess by
 * `tests/webgpu_determinism_test.ts`): a 200×4000 · 4000×10 product (7
 * output tiles of 32×32, inner dimension 4000) is TF.js's split-K case, whose
 * partial sums are added with atomics. Prints one JSON line: how many distinct
 * results 20 repetitions give with TF.js's own kernel choice and with the
 * tiled kernel phasebench pins (`setupBackend("webgpu")`), and the adapter.
 *
 * @example
 * ```sh
 * deno run -A tests/reference/webgpu_matmul_order.ts   # {"tfjsChoice": 20, "pinned": 1, …}
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { setupBackend } from "../../core/backend.ts";
import { rngFor } from "../../core/rng.ts";

const info = await setupBackend("webgpu");
const pinned = tf.env().get("WEBGPU_MATMUL_PROGRAM_TYPE");
const rng = rngFor(1, "webgpu-matmul", "data");
const a = tf.tensor2d(Float32Array.from(rng.normals(200 * 4000)), [200, 4000]);
const b = tf.tensor2d(Float32Array.from(rng.normals(4000 * 10)), [4000, 10]);

async function distinctResults(programType: number): Promise<number> {
  tf.env().set("WEBGPU_MATMUL_PROGRAM_TYPE", programType);
  const seen = new Set<string>();
  for (let i = 0; i < 20; i++) {
    const c = tf.matMul(a, b);
    const bits = new Uint32Array((await c.data() as Float32Array).buffer);
    seen.add(bits.join(","));
    c.dispose();
  }
  return seen.size;
}

console.log(JSON.stringify({
  adapter: info.device,
  pinnedType: pinned,
  tfjsChoice: await distinctResults(-1),
  pinned: await distinctResults(pinned as number),
}));
