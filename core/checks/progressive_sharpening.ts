/**
 * Progressive sharpening (SPEC §7, Cohen et al. 2021): while the run is far
 * from the edge, the sharpness rises steadily.
 *
 * Definition used: the segment is every measurement before the first one with
 * λ/θ ≥ `upTo` (0.5; θ = 2/η as in {@linkcode eosCheck}), or the whole run
 * when θ is unknown or λ never reaches `upTo`·θ. Holds when Spearman
 * ρ(step, λ_max) ≥ `rho` (0.8) and the growth G ≥ `growth` (1.5), where
 * G = median(last k measurements) / median(first k), k = max(1,
 * round(`window`·n)), `window` = 0.1. Needs `minPoints` (5) measurements.
 *
 * Why the cut at `upTo`·θ and not at the onset: a run that reaches the cut
 * from λ₀ ≤ (`upTo`/`growth`)·θ has grown by the required factor by
 * construction, so the verdict would say nothing about sharpening. Such a run
 * is skipped as uninformative (said in the detail); the informative runs are
 * those that never reach the cut, or start close enough to it that the
 * growth is not implied. The negative control is a model whose Hessian cannot
 * change: linear regression (H = XᵀX/n, constant), where G = 1.
 *
 * Option `adaptive: true` uses the Adam flavour (preconditioned sharpness).
 * A diverged run is evaluated on its finite measurements before divergence.
 *
 * @example
 * ```ts
 * import { progressiveSharpeningCheck } from "./progressive_sharpening.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(progressiveSharpeningCheck.name, "progressive_sharpening");
 * ```
 * @module
 */
import type { Check, CheckOptions, CheckOutcome, RunData } from "./types.ts";
import { edgeRatios, GD_EDGE } from "./eos.ts";
import { ADAM_EDGE } from "./adaptive_eos.ts";
import { fmt, guarded, hasValues, numberOption, outcome, series, stringOption } from "./common.ts";
import { median, spearman } from "./stats.ts";
import { z } from "zod";

const STATISTIC = "spearman rho(step, lambda_max) below 0.5 theta";

function frameOf(options: CheckOptions) {
  const rho = numberOption(options, "rho", 0.8),
    growth = numberOption(options, "growth", 1.5);
  return {
    statistic: STATISTIC,
    expected: `rho >= ${fmt(rho)} and growth >= ${fmt(growth)}x`,
    tolerance: `segment: λ < ${fmt(numberOption(options, "upTo", 0.5))}θ; growth = median(last ${
      fmt(numberOption(options, "window", 0.1))
    }) / median(first)`,
  };
}

function evaluateRun(run: RunData, options: CheckOptions): CheckOutcome {
  const frame = frameOf(options);
  const rhoMin = numberOption(options, "rho", 0.8);
  const growthMin = numberOption(options, "growth", 1.5);
  const upTo = numberOption(options, "upTo", 0.5);
  const window = numberOption(options, "window", 0.1);
  const minPoints = numberOption(options, "minPoints", 5);
  const adaptive = options.adaptive === true;
  const flavour = adaptive ? ADAM_EDGE : GD_EDGE;
  const col = stringOption(options, "sharpness", flavour.sharpness)!;
  const t = run.metrics;
  if (!t || !hasValues(t, col)) {
    return outcome(run.id, frame, null, "skip", `no ${col} column: sharpness was not measured`);
  }
  let x: number[], lam: number[], where: string;
  // Stryker disable next-line BooleanLiteral: read only together with r0, which stays NaN where this initial value survives
  let cutReached = false, r0 = NaN;
  const er = edgeRatios(run, flavour, options, col);
  if ("reason" in er) {
    ({ x, y: lam } = series(t, "step", col));
    where = `whole run (${er.reason})`;
  } else {
    const i1 = er.ratio.findIndex((r) => r >= upTo);
    r0 = er.ratio[0];
    cutReached = i1 >= 0;
    const end = i1 < 0 ? er.x.length : i1;
    x = er.x.slice(0, end);
    lam = er.lambda.slice(0, end);
    const maxR = Math.max(...er.ratio.filter(Number.isFinite));
    where = i1 < 0
      ? `whole run (max λ/θ = ${fmt(maxR)} < ${fmt(upTo)})`
      : `steps < ${er.x[i1]} (first λ/θ ≥ ${fmt(upTo)})`;
  }
  const finiteEnd = lam.findIndex((v) => !Number.isFinite(v));
  if (finiteEnd >= 0) {
    x = x.slice(0, finiteEnd);
    lam = lam.slice(0, finiteEnd);
    where += ", finite measurements before divergence";
  }
  if (cutReached && r0 * growthMin <= upTo) {
    return outcome(
      run.id,
      frame,
      null,
      "skip",
      `uninformative: λ/θ reached ${fmt(upTo)} from λ₀/θ = ${fmt(r0)} ≤ ${fmt(upTo)}/${
        fmt(growthMin)
      }, so ${fmt(growthMin)}x growth is implied by the cut (${where})`,
    );
  }
  const n = x.length;
  if (n < minPoints) {
    return outcome(
      run.id,
      frame,
      null,
      "skip",
      `only ${n} measurements of ${col} in ${where} (need ≥ ${minPoints})`,
    );
  }
  const rho = spearman(x, lam);
  const k = Math.max(1, Math.round(window * n));
  const start = median(lam.slice(0, k)), end = median(lam.slice(n - k));
  const growth = start > 0 ? end / start : NaN;
  const ok = rho >= rhoMin && growth >= growthMin;
  const growthText = start > 0
    ? `growth ${fmt(start)} → ${fmt(end)} = ${fmt(growth)}x`
    : `growth undefined (initial ${col} ${fmt(start)} ≤ 0)`;
  const detail = `ρ = ${fmt(rho)} (need ≥ ${fmt(rhoMin)}), ${growthText} (need ≥ ${
    fmt(growthMin)
  }x) over ${where}, n = ${n}, k = ${k}`;
  return outcome(run.id, frame, Number.isNaN(rho) ? null : rho, ok ? "pass" : "fail", detail);
}

/**
 * The `progressive_sharpening` check: one outcome per run.
 *
 * @example
 * ```ts
 * import { progressiveSharpeningCheck } from "./progressive_sharpening.ts";
 * import { tableFromCsv } from "../results/table.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const rows = ["step,lambda_max"];
 * for (let s = 0; s < 50; s++) rows.push(`${s},${1 + 0.1 * s}`);
 * const run = { id: "r", status: "ok" as const, info: {}, metrics: tableFromCsv(rows.join("\n"), "m.csv") };
 * assertEquals(progressiveSharpeningCheck.evaluate({ experiment: "e", runs: [run] }, {})[0].verdict, "pass");
 * ```
 */
export const progressiveSharpeningCheck: Check = {
  name: "progressive_sharpening",
  description:
    "far from the edge (λ < 0.5·2/η), λ_max rises: Spearman ρ(step, λ_max) ≥ 0.8 and ≥ 1.5× growth",
  optionsSchema: z.strictObject({
    rho: z.number().optional(),
    growth: z.number().positive().optional(),
    upTo: z.number().positive().optional(),
    window: z.number().positive().max(0.5).optional(),
    minPoints: z.number().int().positive().optional(),
    adaptive: z.boolean().optional(),
    sharpness: z.string().min(1).optional(),
    lr: z.number().positive().optional(),
    beta1: z.number().min(0).max(1).optional(),
  }),
  evaluate: guarded(
    frameOf,
    (input, options) => input.runs.map((r) => evaluateRun(r, options)),
  ),
};
