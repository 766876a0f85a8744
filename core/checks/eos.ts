/**
 * Edge of stability (SPEC §7, Cohen et al. 2021): under full-batch GD the
 * sharpness λ_max rises to the stability threshold θ = 2/η and hovers there
 * while the loss keeps falling (non-monotonically).
 *
 * Definition used (shared with {@linkcode adaptiveEosCheck}):
 * - θ at each measurement from the `two_over_lr` column if present, else 2/η
 *   from the `lr` column, else option `lr` or the runs.csv `lr`;
 * - onset t₀ = first measurement with λ_max/θ ≥ `onset` (0.95);
 * - settling window: the first `settle` (default 0.1) of the measured span
 *   after onset, i.e. only measurements with step ≥ t₀ + settle·(t_last − t₀)
 *   count; at least `minPoints` (3) of them are needed, else skip;
 * - statistic: median of λ_max/θ over those measurements, must lie in `band`
 *   ([0.90, 1.15]); and the final train loss must be below the train loss
 *   at t₀ (last measured at or before t₀).
 * Diverged runs fail; a missing sharpness column skips.
 *
 * @example
 * ```ts
 * import { eosCheck } from "./eos.ts";
 * eosCheck.name; // "eos"
 * ```
 * @module
 */
import type { Check, CheckOptions, CheckOutcome, RunData } from "./types.ts";
import {
  bandOption,
  divergence,
  fmt,
  fmtBand,
  guarded,
  hasValues,
  infoNumber,
  numberOption,
  optionalNumber,
  outcome,
  type OutcomeFrame,
  series,
  stringOption,
  valueNear,
} from "./common.ts";
import { median } from "./stats.ts";

/** How one flavour of the edge-of-stability check finds its threshold. */
export interface EdgeFlavour {
  /** Check name. */
  name: string;
  /** Default sharpness column. */
  sharpness: string;
  /** Column holding the threshold θ directly, when the runner wrote it. */
  thresholdColumn: string;
  /** Default band for the median of λ/θ. */
  band: [number, number];
  /** Statistic name. */
  statistic: string;
  /** θ from the learning rate η (and the run's info/options); also a formula for details. */
  thresholdOf(
    run: RunData,
    options: CheckOptions,
  ): { of: (lr: number) => number; note: string };
  /** Symbol for details, e.g. "λ_max·η/2". */
  symbol: string;
}

/** Threshold θ per measured row, or a reason why it is unknown. */
function thresholds(
  run: RunData,
  flavour: EdgeFlavour,
  options: CheckOptions,
  rows: number[],
): { theta: number[]; note: string } | { reason: string } {
  const t = run.metrics!;
  const fill = (col: string) => {
    const c = t.column(col);
    const out: number[] = [];
    for (const r of rows) {
      let v: number | null = null;
      for (let i = r; i >= 0 && v === null; i--) v = c[i];
      for (let i = r + 1; i < c.length && v === null; i++) v = c[i];
      out.push(v as number);
    }
    return out;
  };
  if (hasValues(t, flavour.thresholdColumn)) {
    return {
      theta: fill(flavour.thresholdColumn),
      note: `θ from ${flavour.thresholdColumn}`,
    };
  }
  const th = flavour.thresholdOf(run, options);
  if (hasValues(t, "lr")) {
    return { theta: fill("lr").map(th.of), note: th.note };
  }
  const lr = optionalNumber(options, "lr") ?? infoNumber(run.info, "lr");
  if (lr === null || !(lr > 0)) {
    return {
      reason:
        `no learning rate: need a ${flavour.thresholdColumn} or lr column, option lr, or lr in runs.csv`,
    };
  }
  return {
    theta: rows.map(() => th.of(lr)),
    note: `${th.note}, η = ${fmt(lr)}`,
  };
}

/**
 * The measured ratios λ/θ of a run, by step, or a reason they are unknown.
 *
 * @example
 * ```ts
 * import { edgeRatios, GD_EDGE } from "./eos.ts";
 * import { tableFromCsv } from "../results/table.ts";
 * const metrics = tableFromCsv("step,lr,lambda_max\n0,0.5,2\n1,0.5,4\n", "m.csv");
 * const r = edgeRatios({ id: "r", status: "ok", info: {}, metrics }, GD_EDGE, {}, "lambda_max");
 * // r.ratio = [0.5, 1]
 * ```
 */
export function edgeRatios(
  run: RunData,
  flavour: EdgeFlavour,
  options: CheckOptions,
  column: string,
): { x: number[]; lambda: number[]; ratio: number[]; note: string } | {
  reason: string;
} {
  const t = run.metrics;
  if (!t || !hasValues(t, column)) {
    return { reason: `no ${column} column: sharpness was not measured` };
  }
  if (!t.has("step")) return { reason: "no step column" };
  const steps = t.column("step"), lam = t.column(column);
  const rows: number[] = [];
  for (let i = 0; i < t.length; i++) {
    if (steps[i] !== null && lam[i] !== null) rows.push(i);
  }
  const th = thresholds(run, flavour, options, rows);
  if ("reason" in th) return th;
  const x = rows.map((r) => steps[r] as number);
  const lambda = rows.map((r) => lam[r] as number);
  const ratio = lambda.map((l, k) => l / th.theta[k]);
  return { x, lambda, ratio, note: th.note };
}

/** Evaluates one run against an edge-of-stability flavour. */
export function edgeOutcome(
  run: RunData,
  flavour: EdgeFlavour,
  options: CheckOptions,
): CheckOutcome {
  const band = bandOption(options, "band", flavour.band);
  const onsetFrac = numberOption(options, "onset", 0.95);
  const settle = numberOption(options, "settle", 0.1);
  const minPoints = numberOption(options, "minPoints", 3);
  const col = stringOption(options, "sharpness", flavour.sharpness)!;
  const frame: OutcomeFrame = {
    statistic: flavour.statistic,
    expected: fmtBand(band),
    tolerance: `onset ${fmt(onsetFrac)}θ, settle ${fmt(settle)} of post-onset span`,
  };
  const t = run.metrics;
  const diverged = divergence(run, ["train_loss", "test_loss", col]);
  if (diverged) return outcome(run.id, frame, null, "fail", diverged);
  if (!t || !hasValues(t, col)) {
    return outcome(
      run.id,
      frame,
      null,
      "skip",
      `no ${col} column: sharpness was not measured`,
    );
  }
  const er = edgeRatios(run, flavour, options, col);
  if ("reason" in er) return outcome(run.id, frame, null, "skip", er.reason);
  const { x, ratio, note } = er;
  const i0 = ratio.findIndex((r) => r >= onsetFrac);
  if (i0 < 0) {
    const k = ratio.indexOf(Math.max(...ratio));
    return outcome(
      run.id,
      frame,
      null,
      "fail",
      `${col} never reached ${fmt(onsetFrac)}θ (max ${flavour.symbol} = ${fmt(ratio[k])} at step ${
        x[k]
      }); ${note}`,
    );
  }
  const t0 = x[i0], tLast = x[x.length - 1];
  const from = t0 + settle * (tLast - t0);
  const after: number[] = [];
  let first = NaN;
  for (let k = i0; k < x.length; k++) {
    if (x[k] >= from) {
      if (after.length === 0) first = x[k];
      after.push(ratio[k]);
    }
  }
  if (after.length < minPoints) {
    return outcome(
      run.id,
      frame,
      null,
      "skip",
      `onset t₀ = ${t0} leaves ${after.length} measurements after settling (need ≥ ${minPoints})`,
    );
  }
  const med = median(after);
  const loss = series(t, "step", "train_loss");
  if (loss.x.length === 0) {
    return outcome(
      run.id,
      frame,
      med,
      "skip",
      "no train_loss column: cannot check progress",
    );
  }
  const lossAt0 = valueNear(loss, t0)!, lossEnd = loss.y[loss.y.length - 1];
  const inBand = med >= band[0] && med <= band[1];
  const progress = lossEnd < lossAt0;
  const detail = `median ${flavour.symbol} = ${
    fmt(med)
  } over steps ${first}–${tLast} (n=${after.length}), band ${
    fmtBand(band)
  }; onset t₀ = ${t0}; train_loss ${fmt(lossAt0)} at t₀ → ${fmt(lossEnd)} at end${
    progress ? "" : " (no progress)"
  }; ${note}`;
  return outcome(
    run.id,
    frame,
    med,
    inBand && progress ? "pass" : "fail",
    detail,
  );
}

/** GD flavour: θ = 2/η on λ_max. */
export const GD_EDGE: EdgeFlavour = {
  name: "eos",
  sharpness: "lambda_max",
  thresholdColumn: "two_over_lr",
  band: [0.9, 1.15],
  statistic: "median lambda_max/(2/lr)",
  symbol: "λ_max·η/2",
  thresholdOf: () => ({ of: (lr) => 2 / lr, note: "θ = 2/η" }),
};

/**
 * The `eos` check: one outcome per run.
 *
 * @example
 * ```ts
 * import { eosCheck } from "./eos.ts";
 * import { tableFromCsv } from "../results/table.ts";
 * const rows = ["step,lr,train_loss,lambda_max"];
 * for (let s = 0; s <= 100; s++) rows.push(`${s},0.2,${1 / (1 + s)},${s < 20 ? 5 + s * 0.25 : 10}`);
 * const metrics = tableFromCsv(rows.join("\n"), "m.csv");
 * const run = { id: "eos/a", status: "ok" as const, info: {}, metrics };
 * eosCheck.evaluate({ experiment: "eos", runs: [run] }, {})[0].verdict; // "pass"
 * ```
 */
export const eosCheck: Check = {
  name: "eos",
  description: "GD sharpness rises to 2/η and hovers in [0.90, 1.15]·2/η while the loss falls",
  evaluate: guarded(
    () => ({
      statistic: GD_EDGE.statistic,
      expected: fmtBand(GD_EDGE.band),
      tolerance: "",
    }),
    (input, options) => input.runs.map((r) => edgeOutcome(r, GD_EDGE, options)),
  ),
};
