/**
 * Weight initialisation: standard deviations of the usual schemes and seeded
 * draws into `Float32Array`s (never TF.js random ops).
 *
 * | scheme   | std of a weight W [fan_in, fan_out]  | distribution            |
 * | -------- | ------------------------------------ | ----------------------- |
 * | `xavier` | gain·√(2/(fan_in + fan_out))         | uniform ±√3·std, or N   |
 * | `he`     | gain·√(2/fan_in)                     | uniform ±√3·std, or N   |
 * | `custom` | gain/√fan_in                         | uniform ±√3·std, or N   |
 * | `torch`  | gain/√(3·fan_in) (bound gain/√fan_in)| uniform (PyTorch nn.Linear default, also its bias) |
 *
 * @example
 * ```ts
 * import { rngFor } from "../rng.ts";
 * import { draw, schemeStd } from "./init.ts";
 * const std = schemeStd("xavier", 1, 100, 1.9); // EoS Chebyshev first layer
 * import { assertClose, assertOk } from "../../tests/assert.ts";
 * const w = draw(rngFor(0, "run", "init"), 100, { kind: "random", std, distribution: "uniform" });
 * assertClose(std, 1.9 * Math.sqrt(2 / 101), 1e-12); // gain·√(2/(fan_in + fan_out))
 * assertOk(w.every((v) => Math.abs(v) <= Math.sqrt(3) * std)); // uniform on ±√3·std
 * ```
 * @module
 */
import type { Rng } from "../rng.ts";

/** An init scheme name. */
export type InitScheme = "xavier" | "he" | "custom" | "torch";

/** How one tensor is initialised. */
export type TensorInit =
  | { kind: "zeros" }
  | { kind: "ones" }
  | { kind: "random"; std: number; distribution: "uniform" | "normal" };

/**
 * The standard deviation of a weight under `scheme` (see the module table).
 *
 * @example
 * ```ts
 * import { assertClose } from "../../tests/assert.ts";
 * assertClose(schemeStd("he", 50, 10), 0.2, 1e-12); // √(2/50)
 * ```
 */
export function schemeStd(
  scheme: InitScheme,
  fanIn: number,
  fanOut: number,
  gain = 1,
): number {
  switch (scheme) {
    case "xavier":
      return gain * Math.sqrt(2 / (fanIn + fanOut));
    case "he":
      return gain * Math.sqrt(2 / fanIn);
    case "custom":
      return gain / Math.sqrt(fanIn);
    case "torch":
      return gain / Math.sqrt(3 * fanIn);
  }
}

/**
 * Draws `n` values for `init` from `rng` as float32. Uniform draws are on
 * [−√3·std, √3·std) so that the standard deviation is `std`.
 *
 * @example
 * ```ts
 * import { rngFor } from "../rng.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const rng = rngFor(0, "run", "init");
 * assertEquals(draw(rng, 4, { kind: "zeros" }), new Float32Array([0, 0, 0, 0]));
 * assertEquals(draw(rng, 2, { kind: "ones" }), new Float32Array([1, 1]));
 * ```
 */
export function draw(rng: Rng, n: number, init: TensorInit): Float32Array {
  const out = new Float32Array(n);
  if (init.kind === "zeros") return out;
  if (init.kind === "ones") return out.fill(1);
  const { std, distribution } = init;
  if (!(std >= 0) || !Number.isFinite(std)) {
    throw new Error(`init: std must be finite and ≥ 0, got ${std}`);
  }
  if (std === 0) return out;
  if (distribution === "uniform") {
    const bound = Math.sqrt(3) * std;
    for (let i = 0; i < n; i++) out[i] = rng.uniform(-bound, bound);
  } else {
    for (let i = 0; i < n; i++) out[i] = std * rng.normal();
  }
  return out;
}
