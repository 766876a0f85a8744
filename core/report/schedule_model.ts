/**
 * The figure of the schedule noise model (Qiu et al. 2025, Eq. 16): for each
 * scheduled run, the measured excess over its constant-LR reference,
 * L′(τ)/L(τ) − 1, against the predicted α·δη(τ)·Tr Σ′(τ)/L(τ) with the one
 * fitted α, and the α = 0 model (0), vs x = τ/τ_final — what
 * `schedule_noise_model` compares.
 *
 * @example
 * ```ts
 * import { scheduleModelPlots } from "./schedule_model.ts";
 * import { loadSuite } from "../results/load.ts";
 * import { writeFakeSuite } from "../../tests/compare_fixture.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * // no figure unless the experiment declares schedule_noise_model (the fake suite does not)
 * const dir = await Deno.makeTempDir();
 * await writeFakeSuite(dir);
 * for (const e of (await loadSuite(dir)).experiments) assertEquals(scheduleModelPlots(e), []);
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
import type { LoadedExperiment } from "../results/load.ts";
import type { CheckSpec } from "../checks/types.ts";
import { matchesWhere } from "../checks/evaluate.ts";
import { fitScheduleModel } from "../checks/schedule_noise_model.ts";
import type { Plot } from "./render.ts";
import { PLOT_CONFIG } from "./render.ts";

/** The prediction figure of each `schedule_noise_model` entry of the experiment. */
export function scheduleModelPlots(exp: LoadedExperiment): Plot[] {
  const specs = ((exp.config as { checks?: CheckSpec[] })?.checks ?? [])
    .filter((c) => c?.name === "schedule_noise_model");
  const out: Plot[] = [];
  specs.forEach((spec, k) => {
    const runs = exp.runs.filter((r) => matchesWhere(r.info, spec.where));
    const fit = fitScheduleModel(runs, spec.options ?? {});
    if ("reason" in fit) return;
    const values: Record<string, string | number>[] = [];
    for (const p of fit.pairs) {
      const run = `${p.run.id.slice(exp.name.length + 1)}${
        p.schedule === fit.fitOn ? " (α fitted here)" : ""
      }`;
      // relative to the reference: the schedule's effect is about 1% of the loss
      p.x.forEach((x, i) => {
        const l = p.reference[i];
        values.push({ x, run, value: p.observed[i] / l - 1, series: "measured L′/L − 1" });
        values.push({ x, run, value: fit.alpha * p.u[i] / l, series: "predicted α·δη·TrΣ′/L" });
        values.push({ x, run, value: 0, series: "α = 0 model" });
      });
    }
    if (values.length === 0) return;
    const series = ["measured L′/L − 1", "predicted α·δη·TrΣ′/L", "α = 0 model"];
    out.push({
      name: `${exp.name}.schedule_model${k === 0 ? "" : `_${k + 1}`}`,
      title: `${exp.name}: schedule noise model`,
      caption:
        `Each scheduled run's loss relative to its constant-LR reference at the same τ, L′/L − 1 (black), against the prediction α·δη(τ)·Tr Σ′(τ)/L with α = ${
          Number(fit.alpha.toPrecision(3))
        } fitted once on ${fit.fitOn} (red, dashed) and the α = 0 model (grey, 0), vs x = τ/τ_final.`,
      spec: {
        $schema: "https://vega.github.io/schema/vega-lite/v6.json",
        title: {
          text: `${exp.name}: schedule noise model`,
          subtitle: `α = ${Number(fit.alpha.toPrecision(3))} (fitted on ${fit.fitOn})`,
        },
        config: PLOT_CONFIG,
        data: { values },
        facet: { field: "run", type: "nominal", title: null },
        columns: 2,
        spec: {
          width: 380,
          height: 220,
          mark: { type: "line", clip: true },
          encoding: {
            x: { field: "x", type: "quantitative", title: "x = τ/τ_final" },
            y: { field: "value", type: "quantitative", title: "L′/L − 1", scale: { zero: false } },
            color: {
              field: "series",
              type: "nominal",
              title: "curve",
              scale: { domain: series, range: ["#222222", "#d62728", "#7f7f7f"] },
            },
            strokeDash: {
              field: "series",
              type: "nominal",
              legend: null,
              scale: { domain: series, range: [[1, 0], [6, 3], [2, 2]] },
            },
          },
        },
        resolve: { scale: { y: "independent" } },
      },
    });
  });
  return out;
}
