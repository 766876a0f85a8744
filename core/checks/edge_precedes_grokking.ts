/**
 * The spectral edge collapses before grokking (SPEC §7 revised, Xu 2026),
 * measured with a scale-free statistic over one fixed window ending at t_gen
 * and compared with the memorisation plateau's own trend.
 *
 * Definition. t_fit, t_gen as in {@linkcode grokTimes}. The edge statistic
 * y(t) is a column that does not depend on the size of the updates: by
 * default `gram_s2_s3` = σ₂/σ₃ of the update Gram (`gram_g23_rel` =
 * g₂₃ / trace(G) = (σ₂² − σ₃²) / Σσ_j² is the other one recorded; sampled
 * every 10 steps its running median is noisier). It is
 * smoothed as S(t) = exp(median of ln y over the measurements with
 * |step − t| ≤ `smooth`/2), a running median over a fixed span of *steps*, so
 * the same curve sampled every step or every 10 steps gives nearly the same S.
 * With L = `window` steps (the same for every run):
 *
 * - fall before t_gen: F_gen = S(t_gen − L) / S(t_gen);
 * - baseline, the plateau's own trend over the window before it:
 *   F_base = S(t_gen − 2L) / S(t_gen − L);
 * - statistic: the excess collapse E = F_gen / F_base.
 *
 * Holds when the run groks, the memorisation plateau holds both windows
 * (t_gen − 2L ≥ t_fit: otherwise there is no plateau to collapse in, and the
 * run fails saying so) and E ≥ `factor` (2): the edge collapses at least twice
 * as fast into t_gen as it did during the plateau. A steady decline (the Adam
 * transient decaying through the plateau) gives E ≈ 1 whatever the length of
 * the plateau. A run that never groks fails; its E is computed over the same
 * two windows ending at `at` (default: its last measured step less half the
 * smoothing span, so that the last span is whole) and shown, so
 * a non-grokking run can be compared with a grokking one over matched steps.
 * `metric: "hessian"` uses `lambda_max` (the Hessian version, recorded as
 * report); `column` overrides the column. Fewer than `minPoints` (3)
 * measurements in a smoothing span skip.
 *
 * Measured (issue 19, experiments/grokking_mlp.ts): on the quadratic MLP
 * σ₂/σ₃ collapses from ≈10 to ≈1.3 some 100–250 steps after t_fit in every
 * run — grokking, without weight decay, and memorising runs that never
 * generalise — so E < 1 in the grokking runs and the check is `report` there.
 * The absolute g₂₃ of the first version fell through the whole plateau, and
 * its peak/trough measured the plateau's length.
 *
 * @example
 * ```ts
 * import { edgePrecedesGrokkingCheck } from "./edge_precedes_grokking.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(edgePrecedesGrokkingCheck.name, "edge_precedes_grokking");
 * ```
 * @module
 */
import { z } from "zod";
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
import { median } from "./stats.ts";

/** Strict options of `edge_precedes_grokking`. */
export const edgePrecedesGrokkingOptions = z.strictObject({
  metric: z.enum(["gram", "hessian"]).optional(),
  column: z.string().min(1).optional(),
  window: z.number().positive().optional(),
  smooth: z.number().positive().optional(),
  factor: z.number().positive().optional(),
  minPoints: z.number().int().min(1).optional(),
  at: z.number().nonnegative().optional(),
  trainAcc: z.number().min(0).max(1).optional(),
  testAcc: z.number().min(0).max(1).optional(),
});

/** Default window length L in steps. */
export const EDGE_WINDOW = 150;
/** Default smoothing span in steps. */
export const EDGE_SMOOTH = 100;
/** Default required excess collapse E. */
export const EDGE_FACTOR = 2;

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
    metric === "gram" ? "gram_s2_s3" : "lambda_max",
  )!;
}

function frameOf(options: CheckOptions) {
  const col = columnOf(options);
  const L = numberOption(options, "window", EDGE_WINDOW);
  return {
    statistic: `${col} excess collapse E = F[t_gen-L, t_gen] / F[t_gen-2L, t_gen-L]`,
    expected: `>= ${fmt(numberOption(options, "factor", EDGE_FACTOR))}`,
    tolerance: `L = ${fmt(L)} steps, running median over ${
      fmt(numberOption(options, "smooth", EDGE_SMOOTH))
    } steps, plateau t_gen-2L >= t_fit`,
  };
}

/** The smoothed edge statistic of a series at one step, or a reason. */
export function smoothedAt(
  s: { x: number[]; y: number[] },
  at: number,
  span: number,
  minPoints = 3,
): { value: number; n: number } | { reason: string } {
  const logs: number[] = [];
  for (let i = 0; i < s.x.length; i++) {
    if (Math.abs(s.x[i] - at) <= span / 2 && s.y[i] > 0 && Number.isFinite(s.y[i])) {
      logs.push(Math.log(s.y[i]));
    }
  }
  if (logs.length < minPoints) {
    // a series measured too sparsely can never give minPoints: say what cadence would
    // (one measurement has no cadence: the median of no steps is NaN, never sparse)
    const cadence = median(s.x.slice(1).map((x, i) => x - s.x[i]));
    const needed = span / (minPoints - 1);
    const sparse = cadence > needed
      ? `: measured every ${fmt(cadence)} steps, and ${minPoints} within ${
        fmt(span / 2)
      } steps of a step need one every ≤ ${fmt(needed)}`
      : "";
    return {
      reason: `only ${logs.length} positive measurements within ${fmt(span / 2)} steps of step ${
        fmt(at)
      } (need ≥ ${minPoints})${sparse}`,
    };
  }
  return { value: Math.exp(median(logs)), n: logs.length };
}

/** The three smoothed values and the falls of the edge statistic for windows ending at `end`. */
export interface EdgeFalls {
  /** S(end − 2L), S(end − L), S(end). */
  s0: number;
  s1: number;
  s2: number;
  /** F_base = s0/s1, F_gen = s1/s2, E = F_gen/F_base. */
  fallBase: number;
  fallGen: number;
  excess: number;
}

/**
 * The falls of the smoothed statistic over two adjacent windows of L steps
 * ending at `end`, or a reason when a smoothing span has too few measurements.
 *
 * @example
 * ```ts
 * import { edgeFalls } from "./edge_precedes_grokking.ts";
 * import { assertClose } from "../../tests/assert.ts";
 * const x = Array.from({ length: 401 }, (_, i) => i);
 * const y = x.map((t) => Math.exp(-t / 100)); // a steady decline: E = 1
 * // windows end at 350 so that every smoothing span (±25 steps) lies inside the data
 * const f = edgeFalls({ x, y }, 350, 150, 50);
 * if ("reason" in f) throw new Error(f.reason);
 * assertClose(f.fallGen, Math.exp(1.5), 1e-9); // e^(150/100) over each window
 * assertClose(f.excess, 1, 1e-9);
 * ```
 */
export function edgeFalls(
  s: { x: number[]; y: number[] },
  end: number,
  L: number,
  span: number,
  minPoints = 3,
): EdgeFalls | { reason: string } {
  const at = [end - 2 * L, end - L, end].map((t) => smoothedAt(s, t, span, minPoints));
  for (const a of at) if ("reason" in a) return a;
  const [s0, s1, s2] = at.map((a) => (a as { value: number }).value);
  const fallBase = s0 / s1, fallGen = s1 / s2;
  return { s0, s1, s2, fallBase, fallGen, excess: fallGen / fallBase };
}

function fallsText(col: string, f: EdgeFalls, end: number, L: number): string {
  return `${col} falls ${fmt(f.fallGen, 3)}x over [${fmt(end - L)}, ${fmt(end)}] (${
    fmt(f.s1, 3)
  } -> ${fmt(f.s2, 3)}) vs ${fmt(f.fallBase, 3)}x over [${fmt(end - 2 * L)}, ${fmt(end - L)}] (${
    fmt(f.s0, 3)
  } -> ${fmt(f.s1, 3)}): excess ${fmt(f.excess, 3)}`;
}

function evaluateRun(run: RunData, options: CheckOptions): CheckOutcome {
  const frame = frameOf(options);
  const col = columnOf(options);
  const factor = numberOption(options, "factor", EDGE_FACTOR);
  const L = numberOption(options, "window", EDGE_WINDOW);
  const span = numberOption(options, "smooth", EDGE_SMOOTH);
  const minPoints = numberOption(options, "minPoints", 3);
  const diverged = divergence(run);
  if (diverged) return outcome(run.id, frame, null, "fail", diverged);
  const g = grokTimes(run, options);
  if ("reason" in g) return outcome(run.id, frame, null, "skip", g.reason);
  if (!hasValues(run.metrics, col)) {
    return outcome(run.id, frame, null, "skip", `no ${col} column: not measured`);
  }
  const s = series(run.metrics!, "step", col);
  const groks = g.tFit !== null && g.tGen !== null && g.tGen > g.tFit;
  if (!groks) {
    const why = g.tFit === null
      ? "train accuracy never reached the fit threshold"
      : g.tGen === null
      ? `test accuracy never reached the generalisation threshold (max ${fmt(g.maxTest?.value)})`
      : `t_gen = ${g.tGen} is not after t_fit = ${g.tFit}`;
    const end = options.at === undefined
      ? s.x[s.x.length - 1] - span / 2
      : numberOption(options, "at", 0);
    const f = edgeFalls(s, end, L, span, minPoints);
    const over = "reason" in f
      ? `statistic not computable over the windows ending at step ${fmt(end)}: ${f.reason}`
      : `over the same windows ending at step ${fmt(end)}: ${fallsText(col, f, end, L)}`;
    return outcome(
      run.id,
      frame,
      "reason" in f ? null : f.excess,
      "fail",
      `no grokking: ${why}; ${over}`,
    );
  }
  const tFit = g.tFit!, tGen = g.tGen!;
  const f = edgeFalls(s, tGen, L, span, minPoints);
  if ("reason" in f) {
    // without a plateau the windows may simply reach before the first measurement
    if (tGen - 2 * L < tFit) {
      return outcome(
        run.id,
        frame,
        null,
        "fail",
        `no memorisation plateau to collapse in: t_gen - t_fit = ${tGen - tFit} steps < 2L = ${
          fmt(2 * L)
        } (t_fit = ${tFit}, t_gen = ${tGen}); ${f.reason}`,
      );
    }
    return outcome(run.id, frame, null, "skip", f.reason);
  }
  const text = `${fallsText(col, f, tGen, L)}; t_fit = ${tFit}, t_gen = ${tGen}`;
  if (tGen - 2 * L < tFit) {
    return outcome(
      run.id,
      frame,
      f.excess,
      "fail",
      `no memorisation plateau to collapse in: t_gen - t_fit = ${tGen - tFit} steps < 2L = ${
        fmt(2 * L)
      } (the baseline window starts before t_fit); ${text}`,
    );
  }
  return outcome(
    run.id,
    frame,
    f.excess,
    f.excess >= factor ? "pass" : "fail",
    `${text}; need excess ≥ ${fmt(factor)}`,
  );
}

/**
 * The `edge_precedes_grokking` check: one outcome per run.
 *
 * @example
 * ```ts
 * import { edgePrecedesGrokkingCheck } from "./edge_precedes_grokking.ts";
 * import { Table } from "../results/table.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const step: number[] = [], tr: number[] = [], te: number[] = [], g: number[] = [];
 * for (let t = 0; t <= 800; t += 10) {
 *   step.push(t); tr.push(t >= 100 ? 1 : 0); te.push(t >= 600 ? 1 : 0);
 *   g.push(t < 450 ? 0.01 : 0.01 * Math.exp(-(t - 450) / 30)); // flat plateau, then collapse
 * }
 * const cols = { step, train_acc: tr, test_acc: te, gram_s2_s3: g };
 * const run = { id: "g", status: "ok" as const, info: {}, metrics: new Table("m.csv", Object.keys(cols), cols, step.length) };
 * assertEquals(edgePrecedesGrokkingCheck.evaluate({ experiment: "g", runs: [run] }, {})[0].verdict, "pass");
 * ```
 */
export const edgePrecedesGrokkingCheck: Check = {
  name: "edge_precedes_grokking",
  description:
    "scale-free update-Gram edge (σ₂/σ₃) collapses into t_gen ≥ 2× faster than over the plateau window before",
  optionsSchema: edgePrecedesGrokkingOptions,
  evaluate: guarded(
    frameOf,
    (input, options) => input.runs.map((r) => evaluateRun(r, options)),
  ),
};
