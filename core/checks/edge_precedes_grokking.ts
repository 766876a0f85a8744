/**
 * The spectral edge collapses before grokking (SPEC §7, Xu 2026): the
 * update-Gram gap g₂₃ = σ₂² − σ₃² falls by ≥ 8× from its peak in
 * [t_fit, t_gen] before t_gen.
 *
 * Definition: t_fit, t_gen as in {@linkcode grokkingCheck} (both must exist
 * with t_gen > t_fit, else fail "no grokking"; the delay ratio is not
 * required here). Peak = largest measured g in [t_fit, t_gen] at step s;
 * trough = smallest measured g in (s, t_gen]. Statistic: fall = peak/trough
 * (∞ when the trough is ≤ 0). Holds when fall ≥ `factor` (8). Option
 * `metric: "hessian"` uses `lambda_max` instead (the Hessian version, recorded
 * as report); `column` overrides the column. Fewer than 2 measurements in the
 * window skip.
 *
 * @example
 * ```ts
 * import { edgePrecedesGrokkingCheck } from "./edge_precedes_grokking.ts";
 * edgePrecedesGrokkingCheck.name; // "edge_precedes_grokking"
 * ```
 * @module
 */
import type { Check, CheckOptions, CheckOutcome, RunData } from "./types.ts";
import { grokTimes } from "./grokking.ts";
import {
  divergence,
  fmt,
  guarded,
  hasValues,
  numberOption,
  OptionError,
  outcome,
  series,
  stringOption,
} from "./common.ts";

function columnOf(options: CheckOptions): string {
  const metric = stringOption(options, "metric", "gram")!;
  if (metric !== "gram" && metric !== "hessian") {
    throw new OptionError(
      "metric",
      `expected "gram" or "hessian", got "${metric}"`,
    );
  }
  return stringOption(
    options,
    "column",
    metric === "gram" ? "gram_g23" : "lambda_max",
  )!;
}

function frameOf(options: CheckOptions) {
  const col = columnOf(options);
  return {
    statistic: `${col} peak/trough in [t_fit, t_gen]`,
    expected: `>= ${fmt(numberOption(options, "factor", 8))}`,
    tolerance: "trough after the peak, at or before t_gen",
  };
}

function evaluateRun(run: RunData, options: CheckOptions): CheckOutcome {
  const frame = frameOf(options);
  const col = columnOf(options);
  const factor = numberOption(options, "factor", 8);
  const diverged = divergence(run);
  if (diverged) return outcome(run.id, frame, null, "fail", diverged);
  const g = grokTimes(run, options);
  if ("reason" in g) return outcome(run.id, frame, null, "skip", g.reason);
  if (g.tFit === null || g.tGen === null || !(g.tGen > g.tFit)) {
    const why = g.tFit === null
      ? "train accuracy never reached the fit threshold"
      : g.tGen === null
      ? `test accuracy never reached the generalisation threshold (max ${fmt(g.maxTest?.value)})`
      : `t_gen = ${g.tGen} is not after t_fit = ${g.tFit}`;
    return outcome(run.id, frame, null, "fail", `no grokking: ${why}`);
  }
  if (!hasValues(run.metrics, col)) {
    return outcome(
      run.id,
      frame,
      null,
      "skip",
      `no ${col} column: not measured`,
    );
  }
  const s = series(run.metrics!, "step", col);
  const inWin = s.x.map((_, i) => i).filter((i) => s.x[i] >= g.tFit! && s.x[i] <= g.tGen!);
  if (inWin.length < 2) {
    return outcome(
      run.id,
      frame,
      null,
      "skip",
      `only ${inWin.length} measurements of ${col} in [t_fit, t_gen] = [${g.tFit}, ${g.tGen}] (need ≥ 2)`,
    );
  }
  let iPeak = inWin[0];
  for (const i of inWin) if (s.y[i] > s.y[iPeak]) iPeak = i;
  const after = inWin.filter((i) => i > iPeak);
  const peak = s.y[iPeak];
  if (after.length === 0 || !(peak > 0)) {
    return outcome(
      run.id,
      frame,
      1,
      "fail",
      `${col} peaks at ${fmt(peak)} at step ${s.x[iPeak]}${
        after.length === 0 ? ", the last measurement before t_gen: no fall" : " (not positive)"
      }; t_fit = ${g.tFit}, t_gen = ${g.tGen}`,
    );
  }
  let iLow = after[0];
  for (const i of after) if (s.y[i] < s.y[iLow]) iLow = i;
  const low = s.y[iLow];
  const fall = low > 0 ? peak / low : Infinity;
  const detail = `${col} falls ${fmt(fall)}x from ${fmt(peak)} (step ${s.x[iPeak]}) to ${
    fmt(low)
  } (step ${s.x[iLow]}), need ≥ ${fmt(factor)}x; t_fit = ${g.tFit}, t_gen = ${g.tGen}`;
  return outcome(run.id, frame, fall, fall >= factor ? "pass" : "fail", detail);
}

/**
 * The `edge_precedes_grokking` check: one outcome per run.
 *
 * @example
 * ```ts
 * import { edgePrecedesGrokkingCheck } from "./edge_precedes_grokking.ts";
 * import { tableFromCsv } from "../results/table.ts";
 * const text = "step,train_acc,test_acc,gram_g23\n0,0,0,1\n10,1,0,10\n20,1,0.2,0.5\n40,1,1,0.4\n";
 * const run = { id: "g", status: "ok" as const, info: {}, metrics: tableFromCsv(text, "m.csv") };
 * edgePrecedesGrokkingCheck.evaluate({ experiment: "g", runs: [run] }, {})[0].verdict; // "pass"
 * ```
 */
export const edgePrecedesGrokkingCheck: Check = {
  name: "edge_precedes_grokking",
  description: "update-Gram gap g23 falls ≥ 8× from its peak in [t_fit, t_gen] before t_gen",
  evaluate: guarded(
    frameOf,
    (input, options) => input.runs.map((r) => evaluateRun(r, options)),
  ),
};
