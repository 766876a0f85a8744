/**
 * The training loop checks a step's loss up to READ_LAG steps late (so that a
 * webgpu read's wait overlaps later steps). Nothing observable may change: a
 * run that diverges between rows ends at the same step, with the same rows,
 * as one that measures every step.
 */
import * as tf from "@tensorflow/tfjs";
import { assertEquals, assertMatch, assertOk } from "./assert.ts";
import { setupBackend } from "../core/backend.ts";
import { ExperimentSchema } from "../core/config/schema.ts";
import { expandSweep } from "../core/config/sweep.ts";
import { READ_LAG, trainRun } from "../core/train/loop.ts";

async function divergingRun(every: number, updateGram: boolean) {
  const exp = ExperimentSchema.parse({
    name: "lag",
    task: { kind: "chebyshev" },
    model: { kind: "mlp", depth: 1, width: 16, activation: "tanh" },
    optimizer: { kind: "gd", lr: 60 },
    budget: { steps: 3 * READ_LAG },
    measure: { every, ...(updateGram ? { updateGram: { window: 3, every } } : {}) },
  });
  const [plan] = expandSweep(exp, "lag.json");
  const runDir = await Deno.makeTempDir();
  const summary = await trainRun(plan, { runDir, backend: await setupBackend("cpu") });
  const rows = (await Deno.readTextFile(`${runDir}/metrics.csv`)).trim().split("\n");
  await Deno.remove(runDir, { recursive: true });
  return { summary, header: rows[0].split(","), rows: rows.slice(1).map((r) => r.split(",")) };
}

Deno.test("a run that diverges between rows stops at the step a row-every-step run stops at", async () => {
  const everyStep = await divergingRun(1, false);
  const sparse = await divergingRun(1000, false);
  assertEquals(everyStep.summary.status, "diverged");
  const t = everyStep.summary.steps;
  // late enough that steps after it were already queued when it was checked
  assertOk(t >= 2 && t < 2 * READ_LAG, `diverges at step ${t}`);
  assertMatch(everyStep.summary.reason, new RegExp(`train loss .* at step ${t}$`));
  assertEquals(sparse.summary.status, "diverged");
  assertEquals(sparse.summary.steps, t);
  assertMatch(sparse.summary.reason, new RegExp(`^batch loss .* at step ${t}$`));
  // the rows: step 0 (the same as the every-step run's), then the diverged step and nothing after
  assertEquals(sparse.rows.map((r) => Number(r[0])), [0, t]);
  assertEquals(sparse.rows[0], everyStep.rows[0]);
  assertOk(!Number.isFinite(Number(sparse.rows[1][sparse.header.indexOf("train_loss")])));
  assertEquals(tf.memory().numTensors, 0, "the queued steps' tensors are released");
});

Deno.test("with the update-Gram edge, a diverging run stops at the same step too", async () => {
  const everyStep = await divergingRun(1, true);
  const sparse = await divergingRun(1000, true);
  assertEquals([sparse.summary.status, sparse.summary.steps], [
    "diverged",
    everyStep.summary.steps,
  ]);
  assertEquals(tf.memory().numTensors, 0);
});
