/**
 * The analytic "runs" of a `powerlaw-curve` task: no model and no training;
 * the curve L(t, p) = L0 + A t^-μ + B p^-ν (with its optional seeded noise) is
 * written as the run's metrics, so the collapse checks meet curves whose
 * answer is known.
 *
 * @example
 * ```ts
 * import { curveRun } from "./curve_run.ts";
 * // const summary = await curveRun(plan, { runDir: "results/x/run", backend }, 1000);
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
