/**
 * The grokking-time law (SPEC §7): under decoupled weight decay the time to
 * grok scales as (η·λ_wd)^-1 (Lyu et al. 2023, "Dichotomy of early and late
 * phase implicit biases can provably induce grokking"; Liu et al. 2022,
 * "Omnigrok"): the log–log slope of the grokking time against η·λ_wd is −1.
 *
 * Definition. Runs are grouped by seed (runs.csv `seed`); the sweep axis is
 * the runs.csv column `axis` (default `optimizer.weightDecay`), multiplied by
 * the run's peak learning rate (`lr`) when present. The grokking time is
 * t_gen − t_fit (`time: "delay"`, default) or t_gen (`time: "tgen"`), from
 * {@linkcode grokTimes}. For each seed with a grokking time at ≥ `minLevels`
 * (3) distinct axis values, the least-squares slope of ln t against
 * ln(η·λ); the statistic is the mean of these per-seed slopes with a
 * two-sided 95% Student-t confidence interval over seeds (≥ `minSeeds` = 3
 * seeds, else skip). Holds when the interval contains `slope` (−1) and its
 * half-width is ≤ `tolerance` (0.25), i.e. the sweep is precise enough to
 * tell −1 from −0.5 or −1.5. Runs that never grok within their budget are
 * censored (left out, and named in the detail): they bias the slope towards
 * 0 when they sit at the small-λ end.
 *
 * @example
 * ```ts
 * import { grokkingTimeScalingCheck } from "./grokking_time_scaling.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(grokkingTimeScalingCheck.name, "grokking_time_scaling");
 * ```
 * @module
 */
import { z } from "zod";
import type { Check, CheckOptions, CheckOutcome } from "./types.ts";
import { grokTimes } from "./grokking.ts";
import {
  divergence,
  fmt,
  guarded,
  infoNumber,
  numberOption,
  outcome,
  stringOption,
} from "./common.ts";
import { fitLine, mean, sd } from "./stats.ts";

/** Strict options of `grokking_time_scaling`. */
export const grokkingTimeScalingOptions = z.strictObject({
  axis: z.string().min(1).optional(),
  time: z.enum(["delay", "tgen"]).optional(),
  slope: z.number().optional(),
  tolerance: z.number().positive().optional(),
  minSeeds: z.number().int().min(2).optional(),
  minLevels: z.number().int().min(2).optional(),
  trainAcc: z.number().min(0).max(1).optional(),
  testAcc: z.number().min(0).max(1).optional(),
});

// two-sided 95% Student-t quantiles t_{0.975, df}, df = 1…30
const T975 = [
  12.706,
  4.303,
  3.182,
  2.776,
  2.571,
  2.447,
  2.365,
  2.306,
  2.262,
  2.228,
  2.201,
  2.179,
  2.16,
  2.145,
  2.131,
  2.12,
  2.11,
  2.101,
  2.093,
  2.086,
  2.08,
  2.074,
  2.069,
  2.064,
  2.06,
  2.056,
  2.052,
  2.048,
  2.045,
  2.042,
];

/**
 * The 0.975 quantile of Student's t with `df` degrees of freedom (table to
 * 30, then 1.96).
 *
 * @example
 * ```ts
 * import { t975 } from "./grokking_time_scaling.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(t975(2), 4.303);
 * ```
 */
export function t975(df: number): number {
  if (df < 1) return Infinity;
  return df <= 30 ? T975[df - 1] : 1.96;
}

function frameOf(options: CheckOptions) {
  const time = stringOption(options, "time", "delay");
  const axis = stringOption(options, "axis", "optimizer.weightDecay")!;
  return {
    statistic: `mean per-seed slope of ln(${
      time === "tgen" ? "t_gen" : "t_gen - t_fit"
    }) vs ln(lr*${axis})`,
    expected: `95% CI contains ${fmt(numberOption(options, "slope", -1))}`,
    tolerance: `CI half-width <= ${fmt(numberOption(options, "tolerance", 0.25))}`,
  };
}

function evaluate(
  input: { runs: import("./types.ts").RunData[] },
  options: CheckOptions,
): CheckOutcome[] {
  const frame = frameOf(options);
  const axis = stringOption(options, "axis", "optimizer.weightDecay")!;
  const time = stringOption(options, "time", "delay");
  const want = numberOption(options, "slope", -1);
  const tol = numberOption(options, "tolerance", 0.25);
  const minSeeds = numberOption(options, "minSeeds", 3);
  const minLevels = numberOption(options, "minLevels", 3);
  const bySeed = new Map<string, { x: number; t: number }[]>();
  const censored: string[] = [];
  const levels = new Map<number, number[]>();
  for (const r of input.runs) {
    const lam = infoNumber(r.info, axis);
    if (lam === null || !(lam > 0)) continue; // λ = 0 has no place on a log axis
    const lr = infoNumber(r.info, "lr") ?? 1;
    const seed = r.info.seed ?? r.id;
    const label = `${axis}=${fmt(lam)},seed=${seed}`;
    if (divergence(r)) {
      censored.push(`${label} (diverged)`);
      continue;
    }
    const g = grokTimes(r, options);
    if ("reason" in g || g.tFit === null || g.tGen === null || !(g.tGen > g.tFit)) {
      censored.push(label);
      continue;
    }
    const t = time === "tgen" ? g.tGen : g.tGen - g.tFit;
    if (!bySeed.has(seed)) bySeed.set(seed, []);
    bySeed.get(seed)!.push({ x: lr * lam, t });
    if (!levels.has(lam)) levels.set(lam, []);
    levels.get(lam)!.push(t);
  }
  const slopes: number[] = [];
  const per: string[] = [];
  const pooledX: number[] = [], pooledY: number[] = [];
  for (
    const [seed, pts] of [...bySeed].sort((a, b) =>
      a[0].localeCompare(b[0], "en", { numeric: true })
    )
  ) {
    const xs = new Set(pts.map((p) => p.x));
    if (xs.size < minLevels) continue;
    const fit = fitLine(pts.map((p) => Math.log(p.x)), pts.map((p) => Math.log(p.t)));
    slopes.push(fit.slope);
    per.push(`seed ${seed}: ${fmt(fit.slope, 3)}`);
    for (const p of pts) {
      pooledX.push(Math.log(p.x));
      pooledY.push(Math.log(p.t));
    }
  }
  const lv = [...levels].sort((a, b) => a[0] - b[0]).map(([l, ts]) =>
    `${fmt(l)}: ${ts.map((t) => fmt(t)).join("/")}`
  ).join("; ");
  const cens = censored.length ? `; no grokking (censored): ${censored.join(", ")}` : "";
  if (slopes.length < minSeeds) {
    return [outcome(
      "*",
      frame,
      null,
      "skip",
      `${slopes.length} seeds grok at ≥ ${minLevels} levels of ${axis} (need ≥ ${minSeeds}); times by level ${lv}${cens}`,
    )];
  }
  const m = mean(slopes);
  const half = t975(slopes.length - 1) * sd(slopes) / Math.sqrt(slopes.length);
  const lo = m - half, hi = m + half;
  const pooled = fitLine(pooledX, pooledY).slope;
  const contains = lo <= want && want <= hi;
  const precise = half <= tol;
  const why = [
    contains ? "" : `CI excludes ${fmt(want)}`,
    precise ? "" : `CI half-width ${fmt(half, 3)} > ${fmt(tol)}`,
  ].filter((s) => s).join("; ");
  return [outcome(
    "*",
    frame,
    m,
    contains && precise ? "pass" : "fail",
    `slope ${fmt(m, 3)}, 95% CI [${fmt(lo, 3)}, ${fmt(hi, 3)}] over ${slopes.length} seeds (${
      per.join(", ")
    }; pooled ${fmt(pooled, 3)})${why ? ` (${why})` : ""}; ${
      time === "tgen" ? "t_gen" : "t_gen - t_fit"
    } by ${axis}: ${lv}${cens}`,
  )];
}

/**
 * The `grokking_time_scaling` check: one outcome for the experiment.
 *
 * @example
 * ```ts
 * import { grokkingTimeScalingCheck } from "./grokking_time_scaling.ts";
 * import { tableFromCsv } from "../results/table.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const runs = [];
 * for (const seed of [1, 2, 3]) {
 *   for (const wd of [0.3, 1, 3]) {
 *     const gen = 100 + Math.round(300 / wd) + 10 * seed;
 *     const metrics = tableFromCsv(`step,train_acc,test_acc\n0,0,0\n100,1,0\n${gen},1,1\n`, "m.csv");
 *     runs.push({ id: `s${seed}w${wd}`, status: "ok" as const, info: { seed: String(seed), "optimizer.weightDecay": String(wd) }, metrics });
 *   }
 * }
 * assertEquals(grokkingTimeScalingCheck.evaluate({ experiment: "g", runs }, {})[0].verdict, "pass");
 * ```
 */
export const grokkingTimeScalingCheck: Check = {
  name: "grokking_time_scaling",
  description: "log–log slope of the grokking time against η·λ_wd is −1 (95% CI over seeds)",
  optionsSchema: grokkingTimeScalingOptions,
  evaluate: guarded(frameOf, evaluate),
};
