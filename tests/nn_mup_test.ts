/**
 * μP coordinate check (Yang et al., Tensor Programs V, §D): train the
 * supercollapse residual MLP for a few Adam steps at widths 32 → 512 and
 * compare the RMS of every hidden activation and of the output across widths.
 * Under μP they stay within a factor 1.5; under SP (same init, all LR
 * multipliers 1) the output and the residual stream blow up with width.
 *
 * At init this model is the same under SP and μP (they differ only in the
 * per-tensor LRs; the readout starts at zero), so the init check passes for
 * both and does not discriminate — it only shows that the widths start
 * from the same coordinates.
 */
import * as tf from "@tensorflow/tfjs";
import { setupBackend } from "../core/backend.ts";
import { ModelSchema } from "../core/config/model_schema.ts";
import { buildModel, type ParametrizedModel } from "../core/nn/mod.ts";
import { makeOptimizer } from "../core/optim/mod.ts";
import { rngFor } from "../core/rng.ts";
import { assertEquals, assertOk } from "./assert.ts";

await setupBackend("cpu");

const WIDTHS = [32, 128, 512];
const STEPS = 3;
const LR = 0.01;

/** RMS of each probed activation after 0..STEPS Adam steps: rms[step][name]. */
function coordinates(
  parametrization: "sp" | "mup",
  width: number,
): Record<string, number>[] {
  const rng = rngFor(0, "coord", "data");
  const n = 64;
  const xs = new Float32Array(n * 8).map(() => rng.uniform(-0.5, 0.5));
  const ys = new Float32Array(n).map((_, i) =>
    Math.sin(2 * Math.PI * (xs[i * 8] + 2 * xs[i * 8 + 1]))
  );
  const model = buildModel(
    ModelSchema.parse({
      kind: "resmlp",
      width,
      blocks: 2,
      parametrization,
      baseWidth: 32,
    }),
    { inputDim: 8, outputDim: 1 },
  ) as ParametrizedModel;
  const x = tf.tensor2d(xs, [n, 8]);
  const y = tf.tensor2d(ys, [n, 1]);
  const vars = model.init(rngFor(0, `coord/width=${width}`, "init")).map((
    v,
    i,
  ) => tf.variable(tf.tensor(v, model.paramShapes[i])));
  const opt = makeOptimizer(
    { kind: "adam", lr: LR, beta1: 0.9, beta2: 0.95, eps: 1e-8 },
    model.lrMultipliers,
    model.paramShapes,
  );
  const rms: Record<string, number>[] = [];
  const record = () => {
    const row: Record<string, number> = {};
    for (const { name, value } of model.probe(vars, x)) {
      row[name] = tf.tidy(() => tf.sqrt(tf.mean(tf.square(value))).dataSync()[0]);
      value.dispose();
    }
    rms.push(row);
  };
  record();
  for (let s = 0; s < STEPS; s++) {
    tf.tidy(() => {
      const loss = (...ps: tf.Tensor[]) =>
        tf.mul(
          0.5,
          tf.mean(tf.sum(tf.square(tf.sub(model.apply(ps, x), y)), 1)),
        ) as tf.Scalar;
      opt.step(vars, tf.grads(loss)(vars), LR);
    });
    record();
  }
  opt.dispose();
  tf.dispose([x, y, ...vars]);
  return rms;
}

/** max/min over widths of each activation's RMS at each step. */
function spread(runs: Record<string, number>[][]): Record<string, number>[] {
  return runs[0].map((row, step) => {
    const out: Record<string, number> = {};
    for (const name of Object.keys(row)) {
      const vals = runs.map((r) => r[step][name]);
      out[name] = Math.max(...vals) / Math.min(...vals);
    }
    return out;
  });
}

const mupRuns = WIDTHS.map((w) => coordinates("mup", w));
const spRuns = WIDTHS.map((w) => coordinates("sp", w));
const mup = spread(mupRuns);
const sp = spread(spRuns);

Deno.test("μP coordinate check: every activation's RMS agrees within 1.5× across widths 32–512 after Adam steps", () => {
  for (let step = 1; step <= STEPS; step++) {
    for (const [name, ratio] of Object.entries(mup[step])) {
      assertOk(
        ratio <= 1.5,
        `μP step ${step} ${name}: max/min RMS over widths ${ratio.toFixed(3)} > 1.5`,
      );
    }
  }
});

Deno.test("SP negative control: the output and the residual stream drift with width under Adam", () => {
  // after one step only the zero-initialised readout has moved: its Adam update has entries ±lr,
  // so the output grows ∝ width under SP (16× from 32 to 512) but not under μP (LR ∝ 1/width)
  assertOk(
    sp[1].output > 4,
    `SP output spread after 1 step ${sp[1].output.toFixed(2)} should exceed 4`,
  );
  assertOk(
    sp[STEPS].block1 > 4,
    `SP residual-stream spread after ${STEPS} steps ${sp[STEPS].block1.toFixed(2)}`,
  );
  const drifting = Object.entries(sp[STEPS]).filter(([, r]) => r > 1.5).map((
    [n],
  ) => n);
  assertOk(
    drifting.length >= 2,
    `SP: expected several drifting activations, got ${drifting.join(", ")}`,
  );
});

Deno.test("coordinate check at init: hidden RMS agrees across widths for both (SP ≡ μP at init here)", () => {
  for (const s of [mup[0], sp[0]]) {
    for (const name of ["embed", "block0", "block1"]) {
      assertOk(s[name] <= 1.5, `init ${name}: spread ${s[name]}`);
    }
  }
  for (const run of [...mupRuns, ...spRuns]) {
    assertEquals(run[0].output, 0, "zero-initialised readout: f ≡ 0 at init");
  }
});
