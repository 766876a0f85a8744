/**
 * The analytic "runs" of a `powerlaw-curve` task: no model and no training;
 * the curve L(t, p) = L0 + A t^-μ + B p^-ν (with its optional seeded noise) is
 * written as the run's metrics, so the collapse checks meet curves whose
 * answer is known.
 *
 * @example
 * ```ts
 * import { curveRun } from "./curve_run.ts";
 * import { setupBackend } from "../backend.ts";
 * import { ExperimentSchema } from "../config/schema.ts";
 * import { expandSweep } from "../config/sweep.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * // the exact curve L(t) = L0 + A·t^−μ + B·p^−ν at t = 1, 10, 100
 * const exp = ExperimentSchema.parse({
 *   name: "curve",
 *   task: { kind: "powerlaw-curve", L0: 0.5, A: 1, mu: 1, B: 1, nu: 1, params: 100, points: 3, spacing: "log" },
 *   budget: { steps: 100 },
 * });
 * const [plan] = expandSweep(exp, "curve.json");
 * const runDir = await Deno.makeTempDir();
 * const summary = await curveRun(plan, { runDir, backend: await setupBackend("cpu") }, 100);
 * assertEquals([summary.status, summary.steps, summary.nParams], ["ok", 100, 100]);
 * assertEquals(
 *   await Deno.readTextFile(`${runDir}/metrics.csv`),
 *   "step,compute,train_loss\n1,600,1.51\n10,6000,0.61\n100,60000,0.52\n", // compute c = 6·t·p
 * );
 * await Deno.remove(runDir, { recursive: true });
 * ```
 * @module
 */
import type { RunPlan } from "../config/sweep.ts";
import { powerlawCurve } from "../../data/powerlaw.ts";
import { MetricsLog } from "./metrics_log.ts";
import { writeRunOutputs } from "./outputs.ts";
import type { RunContext, RunSummary } from "./types.ts";

/** Writes the curve of a `powerlaw-curve` plan over `steps` steps as its metrics. */
export async function curveRun(
  plan: RunPlan,
  ctx: RunContext,
  steps: number,
): Promise<RunSummary> {
  const started = performance.now();
  const cfg = plan.config;
  if (cfg.task.kind !== "powerlaw-curve") throw new Error("not a curve task");
  const curve = powerlawCurve(cfg.task, {
    steps,
    seed: cfg.seed,
    runId: plan.streamId ?? plan.runId,
  });
  const metrics = new MetricsLog(["step", "compute", "train_loss"]);
  curve.step.forEach((step, i) =>
    metrics.push({ step, compute: curve.compute[i], train_loss: curve.loss[i] })
  );
  const last = curve.loss[curve.loss.length - 1];
  const summary: RunSummary = {
    runId: plan.runId,
    status: Number.isFinite(last) ? "ok" : "diverged",
    reason: "",
    steps,
    nParams: cfg.task.params,
    final: { train_loss: last, test_loss: null, train_acc: null, test_acc: null },
    wall: { total: (performance.now() - started) / 1000 },
    resumed: false,
  };
  await writeRunOutputs(plan, ctx, metrics, [], summary);
  return summary;
}
