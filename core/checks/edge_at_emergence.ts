/**
 * The spectral edge changes abruptly at emergence (the seed's 谱边缘突变;
 * SPEC §7 `edge_at_emergence`): around each subtask's onset a normalised
 * update-Gram edge statistic changes more than it does around steps away
 * from onsets, judged by a permutation test over window positions.
 *
 * Definition. Onsets t_50,i of the learned subtasks as in
 * {@linkcode analyseEmergence} (same options). The edge statistic y(t) is a
 * column that does not depend on the size of the updates, by default
 * `gram_s2_s3` = σ₂/σ₃ of the update Gram (`gram_g23_rel`, `gram_gap_ratio`
 * are alternatives). With a half-window of h = `window` steps, the change
 * score at a step c is
 * D(c) = |median{ln y(t): c < t ≤ c + h} − median{ln y(t): c − h ≤ t < c}|,
 * a scale-free jump of the running level (windows with fewer than
 * `minPoints` (3) measurements on either side are not scored). The observed
 * statistic is the mean of D over the onsets; the null distribution is the
 * mean of D over as many window centres drawn at random (without
 * replacement, `permutations` (2000) draws from a stream seeded by the run id)
 * from the measured steps that can be scored and lie more than h from every
 * onset. p = (1 + #{null ≥ observed}) / (1 + permutations). Statistic: the
 * ratio observed / median(null); holds when p ≤ `alpha` (0.05).
 *
 * Fewer than 1 scoreable onset, or fewer candidate centres away from onsets
 * than onsets, skips (the run is too short to compare).
 *
 * @example
 * ```ts
 * import { edgeAtEmergenceCheck } from "./edge_at_emergence.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(edgeAtEmergenceCheck.name, "edge_at_emergence");
 * ```
 * @module
 */
import { z } from "zod";
import type { Check, CheckOptions, CheckOutcome, RunData } from "./types.ts";
import { divergence, fmt, guarded, hasValues, numberOption, outcome, series } from "./common.ts";
import { median } from "./stats.ts";
import { analyseEmergence } from "./emergence.ts";
import { rngFor } from "../rng.ts";

/** The result of {@linkcode edgeChangeTest}. */
export interface EdgeChangeTest {
  /** Mean change score at the onsets. */
  observed: number;
  /** Median of the null means. */
  nullMedian: number;
  /** Permutation p-value. */
  p: number;
  /** Onsets that could be scored. */
  onsets: number[];
  /** Number of candidate centres away from onsets. */
  candidates: number;
}

/**
 * The change score D(c) of a series at centre c with half-window h (null when
 * either side has fewer than `minPoints` measurements).
 *
 * @example
 * ```ts
 * import { changeScore } from "./edge_at_emergence.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const x = [0, 1, 2, 3, 4, 5], y = [1, 1, 1, Math.E, Math.E, Math.E];
 * assertEquals(changeScore(x, y, 2.5, 3, 3), 1);
 * ```
 */
export function changeScore(
  x: number[],
  y: number[],
  c: number,
  h: number,
  minPoints: number,
): number | null {
  const before: number[] = [], after: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (!(y[i] > 0)) continue;
    if (x[i] >= c - h && x[i] < c) before.push(Math.log(y[i]));
    else if (x[i] > c && x[i] <= c + h) after.push(Math.log(y[i]));
  }
  if (before.length < minPoints || after.length < minPoints) return null;
  return Math.abs(median(after) - median(before));
}

/**
 * Permutation test of the change score at `onsets` against window centres
 * away from them (see the module documentation); null when it cannot run.
 *
 * @example
 * ```ts
 * import { edgeChangeTest } from "./edge_at_emergence.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const x = Array.from({ length: 200 }, (_, i) => i);
 * const y = x.map((t) => (t < 100 ? 1 : 3));
 * assertEquals(edgeChangeTest(x, y, [100], { window: 10, minPoints: 3, permutations: 200, seedKey: "r" })!.p < 0.05, true);
 * ```
 */
export function edgeChangeTest(
  x: number[],
  y: number[],
  onsets: number[],
  o: { window: number; minPoints: number; permutations: number; seedKey: string },
): EdgeChangeTest | null {
  const scored = onsets.map((c) => ({ c, d: changeScore(x, y, c, o.window, o.minPoints) }))
    .filter((s): s is { c: number; d: number } => s.d !== null);
  if (scored.length === 0) return null;
  const pool: number[] = [];
  for (const c of x) {
    if (onsets.some((t) => Math.abs(c - t) <= o.window)) continue;
    const d = changeScore(x, y, c, o.window, o.minPoints);
    if (d !== null) pool.push(d);
  }
  const m = scored.length;
  if (pool.length < m) return null;
  const observed = scored.reduce((a, s) => a + s.d, 0) / m;
  const rng = rngFor(0, o.seedKey, "edge_at_emergence");
  const nulls: number[] = [];
  let atLeast = 0;
  const idx = Array.from(pool.keys());
  for (let r = 0; r < o.permutations; r++) {
    // partial Fisher–Yates: m centres without replacement
    let sum = 0;
    for (let j = 0; j < m; j++) {
      const q = j + rng.int(idx.length - j);
      [idx[j], idx[q]] = [idx[q], idx[j]];
      sum += pool[idx[j]];
    }
    const v = sum / m;
    nulls.push(v);
    if (v >= observed) atLeast++;
  }
  return {
    observed,
    nullMedian: median(nulls),
    p: (1 + atLeast) / (1 + o.permutations),
    onsets: scored.map((s) => s.c),
    candidates: pool.length,
  };
}

function frameOf(options: CheckOptions) {
  const column = (options.column as string | undefined) ?? "gram_s2_s3";
  return {
    statistic: `mean |Δ median ln ${column}| at onsets / null median`,
    expected: `permutation p <= ${fmt(numberOption(options, "alpha", 0.05))}`,
    tolerance: `half-window ${fmt(numberOption(options, "window", 50))} steps, ${
      fmt(numberOption(options, "permutations", 2000))
    } permutations`,
  };
}

function evaluateRun(run: RunData, options: CheckOptions): CheckOutcome {
  const frame = frameOf(options);
  const column = (options.column as string | undefined) ?? "gram_s2_s3";
  const diverged = divergence(run);
  if (diverged) return outcome(run.id, frame, null, "fail", diverged);
  const t = run.metrics;
  if (!t || !hasValues(t, column)) {
    return outcome(run.id, frame, null, "skip", `no ${column} column: measure.updateGram is off`);
  }
  const a = analyseEmergence(t, options);
  if (!a) return outcome(run.id, frame, null, "skip", "no acc_task_<i> columns");
  if (a.learned.length === 0) {
    return outcome(run.id, frame, null, "skip", "no subtask learned: no onset to test");
  }
  const s = series(t, "step", column);
  const test = edgeChangeTest(s.x, s.y, a.learned.map((j) => j.t50!), {
    window: numberOption(options, "window", 50),
    minPoints: numberOption(options, "minPoints", 3),
    permutations: numberOption(options, "permutations", 2000),
    seedKey: run.id,
  });
  if (!test) {
    return outcome(
      run.id,
      frame,
      null,
      "skip",
      "too few measurements around the onsets or away from them to compare",
    );
  }
  const alpha = numberOption(options, "alpha", 0.05);
  const ratio = test.nullMedian > 0 ? test.observed / test.nullMedian : Infinity;
  const detail = `onsets [${test.onsets.map((c) => fmt(c, 3)).join(", ")}]: mean change ${
    fmt(test.observed, 3)
  } vs null median ${fmt(test.nullMedian, 3)} (${test.candidates} centres away from onsets), p = ${
    fmt(test.p, 3)
  }`;
  return outcome(run.id, frame, ratio, test.p <= alpha ? "pass" : "fail", detail);
}

/**
 * The `edge_at_emergence` check: one outcome per run.
 *
 * @example
 * ```ts
 * import { edgeAtEmergenceCheck } from "./edge_at_emergence.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(edgeAtEmergenceCheck.evaluate({ experiment: "e", runs: [] }, {}).length, 0);
 * ```
 */
export const edgeAtEmergenceCheck: Check = {
  name: "edge_at_emergence",
  optionsSchema: z.strictObject({
    column: z.string().min(1).optional(),
    window: z.number().positive().optional(),
    minPoints: z.int().min(1).optional(),
    permutations: z.int().min(1).optional(),
    alpha: z.number().gt(0).lt(1).optional(),
    chance: z.number().min(0).max(1).optional(),
    learnedAcc: z.number().min(0).max(1).optional(),
    tail: z.int().min(1).optional(),
    accPrefix: z.string().min(1).optional(),
    lossPrefix: z.string().min(1).optional(),
  }),
  description:
    "a normalised update-Gram edge statistic changes more around subtask onsets than away from them (permutation test)",
  evaluate: guarded(frameOf, (input, options) => input.runs.map((r) => evaluateRun(r, options))),
};
