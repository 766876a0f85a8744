/**
 * Grokking (SPEC §7): the network fits the training set long before it
 * generalises.
 *
 * Definition: t_fit = first evaluation with train_acc ≥ `trainAcc` (0.99);
 * t_gen = first evaluation with test_acc ≥ `testAcc` (0.95). Holds when both
 * exist, the test accuracy at t_fit (last measured at or before t_fit) is
 * ≤ `maxTestAtFit` (0.5), and t_gen/t_fit ≥ `ratio` (3). Statistic t_gen/t_fit
 * (∞ when t_fit = 0). A diverged run fails; missing accuracy columns skip.
 *
 * @example
 * ```ts
 * import { grokkingCheck } from "./grokking.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(grokkingCheck.name, "grokking");
 * ```
 * @module
 */
import { z } from "zod";
import type { Check, CheckOptions, CheckOutcome, RunData } from "./types.ts";
import {
  divergence,
  fmt,
  guarded,
  hasValues,
  numberOption,
  outcome,
  series,
  valueNear,
} from "./common.ts";

/** The grokking times of a run. */
export interface GrokTimes {
  /** First step with train accuracy ≥ threshold, or null. */
  tFit: number | null;
  /** First step with test accuracy ≥ threshold, or null. */
  tGen: number | null;
  /** Test accuracy at t_fit (last measured at or before it), or null. */
  testAtFit: number | null;
  /** Largest test accuracy measured, and its step. */
  maxTest: { value: number; step: number } | null;
  /** Largest train accuracy measured. */
  maxTrain: number | null;
  /** Last measured step. */
  lastStep: number | null;
}

/**
 * Finds t_fit and t_gen (thresholds from options `trainAcc`, `testAcc`), or a
 * reason when the accuracy columns are missing.
 *
 * @example
 * ```ts
 * import { grokTimes } from "./grokking.ts";
 * import { tableFromCsv } from "../results/table.ts";
 * const metrics = tableFromCsv("step,train_acc,test_acc\n0,0.1,0\n10,1,0.1\n40,1,1\n", "m.csv");
 * import { assertEquals } from "../../tests/assert.ts";
 * const t = grokTimes({ id: "r", status: "ok", info: {}, metrics }, {});
 * if ("reason" in t) throw new Error(t.reason);
 * assertEquals([t.tFit, t.tGen, t.testAtFit], [10, 40, 0.1]);
 * ```
 */
export function grokTimes(
  run: RunData,
  options: CheckOptions,
): GrokTimes | { reason: string } {
  const trainThr = numberOption(options, "trainAcc", 0.99);
  const testThr = numberOption(options, "testAcc", 0.95);
  const t = run.metrics;
  for (const c of ["train_acc", "test_acc"]) {
    if (!t || !hasValues(t, c)) {
      return { reason: `no ${c} column: accuracy was not measured` };
    }
  }
  const tr = series(t!, "step", "train_acc"),
    te = series(t!, "step", "test_acc");
  const iFit = tr.y.findIndex((a) => a >= trainThr);
  const iGen = te.y.findIndex((a) => a >= testThr);
  const tFit = iFit < 0 ? null : tr.x[iFit];
  let maxTest: GrokTimes["maxTest"] = null;
  te.y.forEach((v, i) => {
    if (maxTest === null || v > maxTest.value) {
      maxTest = { value: v, step: te.x[i] };
    }
  });
  return {
    tFit,
    tGen: iGen < 0 ? null : te.x[iGen],
    testAtFit: tFit === null ? null : valueNear(te, tFit),
    maxTest,
    maxTrain: Math.max(...tr.y),
    lastStep: Math.max(tr.x[tr.x.length - 1], te.x[te.x.length - 1]),
  };
}

function frameOf(options: CheckOptions) {
  return {
    statistic: "t_gen/t_fit",
    expected: `>= ${fmt(numberOption(options, "ratio", 3))}`,
    tolerance: `train_acc >= ${fmt(numberOption(options, "trainAcc", 0.99))}, test_acc >= ${
      fmt(numberOption(options, "testAcc", 0.95))
    }, test_acc at t_fit <= ${fmt(numberOption(options, "maxTestAtFit", 0.5))}`,
  };
}

function evaluateRun(run: RunData, options: CheckOptions): CheckOutcome {
  const frame = frameOf(options);
  const ratioMin = numberOption(options, "ratio", 3);
  const maxTestAtFit = numberOption(options, "maxTestAtFit", 0.5);
  const diverged = divergence(run);
  if (diverged) return outcome(run.id, frame, null, "fail", diverged);
  const g = grokTimes(run, options);
  if ("reason" in g) return outcome(run.id, frame, null, "skip", g.reason);
  if (g.tFit === null) {
    return outcome(
      run.id,
      frame,
      null,
      "fail",
      `train accuracy never reached ${fmt(numberOption(options, "trainAcc", 0.99))} (max ${
        fmt(g.maxTrain)
      }) within ${g.lastStep} steps`,
    );
  }
  if (g.tGen === null) {
    const m = g.maxTest!;
    return outcome(
      run.id,
      frame,
      null,
      "fail",
      `no grokking: test accuracy never reached ${
        fmt(numberOption(options, "testAcc", 0.95))
      } (max ${fmt(m.value)} at step ${m.step}) within ${g.lastStep} steps; t_fit = ${g.tFit}`,
    );
  }
  const ratio = g.tFit === 0 ? Infinity : g.tGen / g.tFit;
  const delayed = ratio >= ratioMin;
  const memorised = (g.testAtFit ?? 0) <= maxTestAtFit;
  const why = [
    delayed ? "" : `t_gen/t_fit ${fmt(ratio)} < ${fmt(ratioMin)}`,
    memorised ? "" : `test acc at t_fit ${fmt(g.testAtFit)} > ${fmt(maxTestAtFit)}`,
  ].filter((s) => s !== "").join("; ");
  const detail = `t_fit = ${g.tFit}, t_gen = ${g.tGen}, t_gen/t_fit = ${
    fmt(ratio)
  }, test acc at t_fit = ${fmt(g.testAtFit)}${why ? ` (${why})` : ""}`;
  return outcome(
    run.id,
    frame,
    ratio,
    delayed && memorised ? "pass" : "fail",
    detail,
  );
}

/**
 * The `grokking` check: one outcome per run.
 *
 * @example
 * ```ts
 * import { grokkingCheck } from "./grokking.ts";
 * import { tableFromCsv } from "../results/table.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const metrics = tableFromCsv("step,train_acc,test_acc\n0,0.1,0\n10,1,0.1\n40,1,1\n", "m.csv");
 * const run = { id: "g", status: "ok" as const, info: {}, metrics };
 * assertEquals(grokkingCheck.evaluate({ experiment: "g", runs: [run] }, {})[0].verdict, "pass");
 * ```
 */
export const grokkingCheck: Check = {
  name: "grokking",
  optionsSchema: z.strictObject({
    trainAcc: z.number().min(0).max(1).optional(),
    testAcc: z.number().min(0).max(1).optional(),
    maxTestAtFit: z.number().min(0).max(1).optional(),
    ratio: z.number().positive().optional(),
  }),
  description:
    "train acc ≥ 0.99 at t_fit, test acc ≥ 0.95 at t_gen ≥ 3·t_fit, test acc ≤ 0.5 at t_fit",
  evaluate: guarded(
    frameOf,
    (input, options) => input.runs.map((r) => evaluateRun(r, options)),
  ),
};
