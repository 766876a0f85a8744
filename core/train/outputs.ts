/**
 * Writes a run's files: metrics.csv, events.csv, timing.csv and manifest.json,
 * each atomically. Wall-clock figures go to timing.csv and the manifest only.
 * @module
 */
import type { RunPlan } from "../config/sweep.ts";
import type { RunContext, RunSummary } from "./types.ts";
import type { EventRow } from "../results/events.ts";
import { toCsv } from "../results/csv.ts";
import type { MetricsLog } from "./metrics_log.ts";
import { writeTextAtomic } from "../results/atomic.ts";
import { deriveSeed } from "../rng.ts";

export type { EventRow } from "../results/events.ts";

/**
 * Writes all outputs of a finished (or skipped/diverged) run; `metrics` is
 * null for a run that measured nothing (skipped: no metrics.csv).
 */
export async function writeRunOutputs(
  plan: RunPlan,
  ctx: RunContext,
  metrics: MetricsLog | null,
  events: EventRow[],
  summary: RunSummary,
): Promise<void> {
  const dir = ctx.runDir;
  if (metrics) await writeTextAtomic(`${dir}/metrics.csv`, metrics.toCsv());
  if (events.length > 0) {
    await writeTextAtomic(
      `${dir}/events.csv`,
      toCsv(
        ["step", "event", "label", "detail"],
        events.map((e) => [e.step, e.event, e.label, e.detail]),
      ),
    );
  }
  await writeTextAtomic(
    `${dir}/timing.csv`,
    toCsv(
      ["phase", "seconds"],
      Object.entries(summary.wall).map(([k, v]) => [k, Math.round(v * 1000) / 1000]),
    ),
  );
  const seed = plan.config.seed;
  const manifest = {
    run: plan.runId,
    experiment: plan.experiment,
    dir: plan.dirName,
    status: summary.status,
    reason: summary.reason,
    steps: summary.steps,
    n_params: summary.nParams,
    config_hash: plan.hash,
    point: plan.point,
    seeds: {
      root: seed,
      init: deriveSeed(seed, plan.runId, "init"),
      data: deriveSeed(seed, plan.runId, "data"),
      split: deriveSeed(seed, plan.runId, "split"),
      probe: deriveSeed(seed, plan.runId, "probe"),
    },
    backend: ctx.backend,
    git: ctx.git ?? null,
    resumed: summary.resumed,
    ended: new Date().toISOString(),
    wall_seconds: summary.wall,
    config: plan.config,
  };
  await writeTextAtomic(`${dir}/manifest.json`, JSON.stringify(manifest, null, 2) + "\n");
}
