/**
 * Emergence (SPEC §6.5, §7; Michaud et al. 2023, Barak et al. 2022): on
 * multitask sparse parity, each subtask is learned abruptly after a plateau,
 * in order of frequency, and the mean loss falls as a sum of those steps.
 *
 * Definitions, per subtask i (columns `acc_task_<i>`; subtask i has the i-th
 * largest frequency, p_i ∝ i^-α):
 *
 * - final accuracy a_∞ = median of the last `tail` (5) measurements; the
 *   subtask is *learned* when a_∞ ≥ `learnedAcc` (0.95);
 * - the jump J = a_∞ − `chance` (0.5) and the levels L_q = chance + q·J for
 *   q = 0.1, 0.5, 0.9;
 * - t_90 = the first upward crossing of L_90; t_10 and t_50 (the *onset*) =
 *   the last upward crossings of L_10 and L_50 before t_90 (the start of the
 *   final rise: chance-level noise that pokes above L_10 during the plateau
 *   does not count). Crossing times are interpolated linearly between
 *   measurements, so they do not depend on the measurement cadence beyond
 *   the curve's own shape; a curve above L_10 from its first measurement
 *   gets t_10 = that measurement's step (no plateau to leave);
 * - width w = t_90 − t_10 and the relative width r = w / t_50.
 *
 * Criteria (`criteria`, default all three):
 * - `abrupt`: the median of r over learned subtasks ≤ `maxWidthRatio` (0.25);
 * - `learned`: at least `minLearned` (3) subtasks are learned;
 * - `order`: when at least `orderMinCount` (4) subtasks are learned, Spearman
 *   ρ(i, t_50,i) ≥ `minRho` (0.8) over them (onsets follow frequency).
 *
 * Statistic: the median relative width (ρ when `criteria` leaves out
 * `abrupt`). The detail also reports the fit of
 * the mean loss (`test_loss`, the equal-weight mean of the subtasks' held-out
 * losses) by a sum of steps, L̂(t) = (1/T) Σ_i [ℓ_i⁻ if t < t_50,i else ℓ_i⁺]
 * with ℓ_i⁻, ℓ_i⁺ the medians of `loss_task_<i>` before t_10 and after t_90
 * (a subtask never learned contributes its median loss): its R².
 *
 * A diverged run fails; a run without `acc_task_<i>` columns skips.
 *
 * @example
 * ```ts
 * import { emergenceCheck } from "./emergence.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(emergenceCheck.name, "emergence");
 * ```
 * @module
 */
import { z } from "zod";
import type { Check, CheckOptions, CheckOutcome, RunData } from "./types.ts";
import { divergence, fmt, guarded, numberOption, outcome, series } from "./common.ts";
import { median, spearman } from "./stats.ts";
import type { Table } from "../results/table.ts";

/** The criteria the check can require. */
export const EMERGENCE_CRITERIA = ["abrupt", "learned", "order"] as const;
/** One criterion. */
export type EmergenceCriterion = typeof EMERGENCE_CRITERIA[number];

/** The jump of one subtask's accuracy curve. */
export interface SubtaskJump {
  /** Subtask index i (1-based, frequency rank). */
  task: number;
  /** Final accuracy (median of the last `tail` measurements). */
  final: number;
  /** Whether final ≥ learnedAcc. */
  learned: boolean;
  /** Interpolated crossing of 10% of the jump (null when not learned). */
  t10: number | null;
  /** Interpolated onset: crossing of 50% of the jump. */
  t50: number | null;
  /** Interpolated crossing of 90% of the jump. */
  t90: number | null;
  /** t90 − t10. */
  width: number | null;
  /** width / t50. */
  ratio: number | null;
}

/** Settings of {@linkcode subtaskJump}. */
export interface JumpOptions {
  /** Chance accuracy (0.5 for binary parities). */
  chance: number;
  /** Final accuracy that counts as learned (0.95). */
  learnedAcc: number;
  /** Number of last measurements whose median is the final accuracy (5). */
  tail: number;
}

/** Linear interpolation of the step at which y reaches `level` between points i and i+1. */
function crossAt(x: number[], y: number[], i: number, level: number): number {
  const dy = y[i + 1] - y[i];
  if (dy <= 0) return x[i + 1];
  const f = Math.min(1, Math.max(0, (level - y[i]) / dy));
  return x[i] + f * (x[i + 1] - x[i]);
}

/**
 * The jump of one accuracy curve (steps `x` ascending, accuracies `y`).
 *
 * @example
 * ```ts
 * import { subtaskJump } from "./emergence.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const x = [0, 100, 200, 300, 400, 500, 600, 700];
 * const y = [0.5, 0.5, 0.5, 0.5, 1, 1, 1, 1];
 * const j = subtaskJump(1, x, y, { chance: 0.5, learnedAcc: 0.95, tail: 3 });
 * assertEquals([j.t10, j.t50, j.t90], [310, 350, 390]);
 * ```
 */
export function subtaskJump(
  task: number,
  x: number[],
  y: number[],
  o: JumpOptions,
): SubtaskJump {
  const none = { t10: null, t50: null, t90: null, width: null, ratio: null };
  if (x.length === 0) return { task, final: NaN, learned: false, ...none };
  const final = median(y.slice(-Math.max(1, o.tail)));
  const learned = final >= o.learnedAcc;
  if (!learned) return { task, final, learned, ...none };
  const jump = final - o.chance;
  const level = (q: number) => o.chance + q * jump;
  const iHi = y.findIndex((v) => v >= level(0.9));
  // iHi exists: the tail's median is ≥ L_90
  const t90 = iHi === 0 ? x[0] : crossAt(x, y, iHi - 1, level(0.9));
  const lastBelow = (q: number): number | null => {
    for (let j = iHi - 1; j >= 0; j--) if (y[j] <= level(q)) return crossAt(x, y, j, level(q));
    return null;
  };
  const t10 = lastBelow(0.1) ?? x[0];
  const t50 = lastBelow(0.5) ?? x[0];
  const width = t90 - t10;
  return { task, final, learned, t10, t50, t90, width, ratio: t50 > 0 ? width / t50 : Infinity };
}

/** The subtask indices present as `<prefix><i>` columns, ascending. */
export function subtaskIndices(table: Table, prefix: string): number[] {
  const re = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(\\d+)$`);
  return table.columns.map((c) => re.exec(c)).filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1])).sort((a, b) => a - b);
}

/** Everything the check measures on one run. */
export interface EmergenceAnalysis {
  /** One jump per subtask, by index. */
  jumps: SubtaskJump[];
  /** Learned subtasks. */
  learned: SubtaskJump[];
  /** Median relative width over learned subtasks (null when none). */
  medianRatio: number | null;
  /** Spearman ρ(index, onset) over learned subtasks (null when fewer than 2). */
  rho: number | null;
  /** R² of the sum-of-steps fit of the mean loss (null without loss columns). */
  lossFitR2: number | null;
}

/**
 * Reads a run's `acc_task_<i>` (and `loss_task_<i>`, `test_loss`) columns and
 * measures every subtask's jump; null when there are no such columns.
 *
 * @example
 * ```ts
 * import { analyseEmergence } from "./emergence.ts";
 * import { tableFromCsv } from "../results/table.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * // final accuracy: the median of the last 5 measurements (option tail)
 * const t = tableFromCsv("step,acc_task_1\n0,0.5\n10,0.5\n20,1\n30,1\n40,1\n50,1\n60,1\n", "m.csv");
 * const a = analyseEmergence(t, {})!;
 * assertEquals(a.learned.map((j) => [j.task, j.t50]), [[1, 15]]);
 * ```
 */
export function analyseEmergence(table: Table, options: CheckOptions): EmergenceAnalysis | null {
  const accPrefix = (options.accPrefix as string | undefined) ?? "acc_task_";
  const lossPrefix = (options.lossPrefix as string | undefined) ?? "loss_task_";
  const o: JumpOptions = {
    chance: numberOption(options, "chance", 0.5),
    learnedAcc: numberOption(options, "learnedAcc", 0.95),
    tail: numberOption(options, "tail", 5),
  };
  const idx = subtaskIndices(table, accPrefix);
  if (idx.length === 0) return null;
  const jumps = idx.map((i) => {
    const s = series(table, "step", `${accPrefix}${i}`);
    return subtaskJump(i, s.x, s.y, o);
  });
  const learned = jumps.filter((j) => j.learned);
  const medianRatio = learned.length ? median(learned.map((j) => j.ratio!)) : null;
  const rho = learned.length >= 2
    ? spearman(learned.map((j) => j.task), learned.map((j) => j.t50!))
    : null;
  return { jumps, learned, medianRatio, rho, lossFitR2: lossFit(table, jumps, lossPrefix) };
}

/** R² of the sum-of-steps model of `test_loss` (see the module documentation). */
function lossFit(table: Table, jumps: SubtaskJump[], prefix: string): number | null {
  const mean = series(table, "step", "test_loss");
  if (mean.x.length < 3) return null;
  const parts: ((t: number) => number)[] = [];
  for (const j of jumps) {
    const s = series(table, "step", `${prefix}${j.task}`);
    if (s.x.length === 0) return null;
    if (!j.learned) {
      const m = median(s.y);
      parts.push(() => m);
      continue;
    }
    const before = s.y.filter((_, q) => s.x[q] <= j.t10!);
    const after = s.y.filter((_, q) => s.x[q] >= j.t90!);
    const lo = before.length ? median(before) : s.y[0];
    const hi = after.length ? median(after) : s.y[s.y.length - 1];
    parts.push((t) => (t < j.t50! ? lo : hi));
  }
  const fit = mean.x.map((t) => parts.reduce((a, f) => a + f(t), 0) / parts.length);
  const avg = mean.y.reduce((a, b) => a + b, 0) / mean.y.length;
  let ssRes = 0, ssTot = 0;
  mean.y.forEach((v, q) => {
    ssRes += (v - fit[q]) ** 2;
    ssTot += (v - avg) ** 2;
  });
  return ssTot > 0 ? 1 - ssRes / ssTot : null;
}

function criteriaOf(options: CheckOptions): EmergenceCriterion[] {
  return (options.criteria as EmergenceCriterion[] | undefined) ?? [...EMERGENCE_CRITERIA];
}

function frameOf(options: CheckOptions) {
  const c = criteriaOf(options);
  const abrupt = c.includes("abrupt");
  return {
    statistic: abrupt
      ? "median (t90-t10)/t50 over learned subtasks"
      : "Spearman rho(frequency rank, onset t50) over learned subtasks",
    expected: abrupt
      ? `<= ${fmt(numberOption(options, "maxWidthRatio", 0.25))}`
      : `>= ${fmt(numberOption(options, "minRho", 0.8))}`,
    tolerance: [
      `learned: final acc >= ${fmt(numberOption(options, "learnedAcc", 0.95))}`,
      c.includes("learned") ? `>= ${fmt(numberOption(options, "minLearned", 3))} learned` : "",
      c.includes("order")
        ? `Spearman rho(rank, onset) >= ${fmt(numberOption(options, "minRho", 0.8))} when >= ${
          fmt(numberOption(options, "orderMinCount", 4))
        } learned`
        : "",
      `criteria: ${c.join("+")}`,
    ].filter((s) => s !== "").join("; "),
  };
}

function evaluateRun(run: RunData, options: CheckOptions): CheckOutcome {
  const frame = frameOf(options);
  const crit = criteriaOf(options);
  const diverged = divergence(run);
  if (diverged) return outcome(run.id, frame, null, "fail", diverged);
  const a = run.metrics ? analyseEmergence(run.metrics, options) : null;
  if (!a) {
    return outcome(run.id, frame, null, "skip", "no acc_task_<i> columns: not a multitask run");
  }
  const maxRatio = numberOption(options, "maxWidthRatio", 0.25);
  const minLearned = numberOption(options, "minLearned", 3);
  const minRho = numberOption(options, "minRho", 0.8);
  const orderMin = numberOption(options, "orderMinCount", 4);
  const why: string[] = [];
  if (crit.includes("abrupt")) {
    if (a.medianRatio === null) why.push("no subtask learned, so no jump to measure");
    else if (!(a.medianRatio <= maxRatio)) {
      why.push(`median relative width ${fmt(a.medianRatio)} > ${fmt(maxRatio)} (gradual)`);
    }
  }
  if (crit.includes("learned") && a.learned.length < minLearned) {
    why.push(`${a.learned.length} learned < ${minLearned}`);
  }
  if (crit.includes("order") && a.learned.length >= orderMin && !(a.rho! >= minRho)) {
    why.push(`rho(rank, onset) ${fmt(a.rho)} < ${fmt(minRho)}`);
  }
  const per = a.jumps.map((j) =>
    j.learned
      ? `${j.task}: t50 ${fmt(j.t50, 3)} w ${fmt(j.width, 3)} r ${fmt(j.ratio, 2)}`
      : `${j.task}: not learned (${fmt(j.final, 2)})`
  ).join(", ");
  const detail = `${a.learned.length}/${a.jumps.length} learned; median r = ${
    fmt(a.medianRatio)
  }; rho = ${fmt(a.rho)}; loss sum-of-steps R2 = ${fmt(a.lossFitR2, 3)}; [${per}]${
    why.length ? ` (${why.join("; ")})` : ""
  }`;
  const value = crit.includes("abrupt") ? a.medianRatio : a.rho;
  return outcome(run.id, frame, value, why.length ? "fail" : "pass", detail);
}

/**
 * The `emergence` check: one outcome per run.
 *
 * @example
 * ```ts
 * import { emergenceCheck } from "./emergence.ts";
 * import { tableFromCsv } from "../results/table.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const rows = ["step,acc_task_1"];
 * for (let s = 0; s <= 1000; s += 50) rows.push(`${s},${s < 500 ? 0.5 : 1}`);
 * const run = { id: "r", status: "ok" as const, info: {}, metrics: tableFromCsv(rows.join("\n"), "m.csv") };
 * assertEquals(emergenceCheck.evaluate({ experiment: "e", runs: [run] }, { minLearned: 1 })[0].verdict, "pass");
 * ```
 */
export const emergenceCheck: Check = {
  name: "emergence",
  optionsSchema: z.strictObject({
    chance: z.number().min(0).max(1).optional(),
    learnedAcc: z.number().min(0).max(1).optional(),
    tail: z.int().min(1).optional(),
    maxWidthRatio: z.number().positive().optional(),
    minLearned: z.int().min(1).optional(),
    minRho: z.number().min(-1).max(1).optional(),
    orderMinCount: z.int().min(2).optional(),
    criteria: z.array(z.enum(EMERGENCE_CRITERIA)).min(1).optional(),
    accPrefix: z.string().min(1).optional(),
    lossPrefix: z.string().min(1).optional(),
  }),
  description:
    "each learned subtask jumps from chance to >= 0.95 with (t90-t10)/t50 <= 0.25 (median), >= 3 learned, onsets in frequency order (rho >= 0.8)",
  evaluate: guarded(frameOf, (input, options) => input.runs.map((r) => evaluateRun(r, options))),
};
