/**
 * Spectral-edge-aware LR control (SPEC §7, §8): with the controller on, the
 * measured sharpness stays within ±10% of its target after settling.
 *
 * Definition: target from option `target`, else the `target_sharpness`
 * column (per measurement, last value carried forward), else skip. Settled
 * measurements: step ≥ t_first + `settle`·(t_last − t_first), `settle` = 0.25.
 * Statistic: the largest relative deviation max |λ/target − 1| over them
 * (at least `minPoints` = 3); holds when ≤ `tolerance` (0.10). Option
 * `sharpness` picks the column (default `lambda_max`). Diverged runs fail.
 *
 * @example
 * ```ts
 * import { spectralLrControlCheck } from "./spectral_lr_control.ts";
 * spectralLrControlCheck.name; // "spectral_lr_control"
 * ```
 * @module
 */
import type { Check, CheckOptions, CheckOutcome, RunData } from "./types.ts";
import {
  divergence,
  fmt,
  guarded,
  hasValues,
  numberOption,
  optionalNumber,
  outcome,
  stringOption,
} from "./common.ts";

function frameOf(options: CheckOptions) {
  const tol = numberOption(options, "tolerance", 0.1);
  return {
    statistic: "max |lambda_max/target - 1| after settling",
    expected: `<= ${fmt(tol)}`,
    tolerance: `settle ${fmt(numberOption(options, "settle", 0.25))} of the measured span`,
  };
}

function evaluateRun(run: RunData, options: CheckOptions): CheckOutcome {
  const frame = frameOf(options);
  const tol = numberOption(options, "tolerance", 0.1);
  const settle = numberOption(options, "settle", 0.25);
  const minPoints = numberOption(options, "minPoints", 3);
  const col = stringOption(options, "sharpness", "lambda_max")!;
  const fixed = optionalNumber(options, "target");
  const diverged = divergence(run, ["train_loss", "test_loss", col]);
  if (diverged) return outcome(run.id, frame, null, "fail", diverged);
  const t = run.metrics;
  if (!t || !hasValues(t, col)) {
    return outcome(
      run.id,
      frame,
      null,
      "skip",
      `no ${col} column: sharpness was not measured`,
    );
  }
  if (!t.has("step")) {
    return outcome(run.id, frame, null, "skip", "no step column");
  }
  if (fixed === undefined && !hasValues(t, "target_sharpness")) {
    return outcome(
      run.id,
      frame,
      null,
      "skip",
      "no target: give option target or write a target_sharpness column",
    );
  }
  const steps = t.column("step"), lam = t.column(col);
  const tgtCol = fixed === undefined ? t.column("target_sharpness") : null;
  const xs: number[] = [], dev: number[] = [];
  let target = NaN;
  for (let i = 0; i < t.length; i++) {
    if (tgtCol && tgtCol[i] !== null) target = tgtCol[i] as number;
    if (steps[i] === null || lam[i] === null) continue;
    const tg = fixed ?? target;
    if (!Number.isFinite(tg)) continue;
    xs.push(steps[i] as number);
    dev.push((lam[i] as number) / tg - 1);
  }
  if (xs.length === 0) {
    return outcome(
      run.id,
      frame,
      null,
      "skip",
      `no ${col} measurement with a known target`,
    );
  }
  const from = xs[0] + settle * (xs[xs.length - 1] - xs[0]);
  let worst = 0, worstStep = NaN, n = 0;
  xs.forEach((x, k) => {
    if (x < from) return;
    n++;
    if (Math.abs(dev[k]) >= Math.abs(worst)) {
      worst = dev[k];
      worstStep = x;
    }
  });
  if (n < minPoints) {
    return outcome(
      run.id,
      frame,
      null,
      "skip",
      `only ${n} measurements after settling (need ≥ ${minPoints})`,
    );
  }
  const value = Math.abs(worst);
  const detail = `max |${col}/target − 1| = ${fmt(value)} (${worst >= 0 ? "+" : ""}${
    fmt(100 * worst, 3)
  }% at step ${worstStep}) over steps ${fmt(from)}–${xs[xs.length - 1]} (n=${n}), tolerance ±${
    fmt(100 * tol)
  }%${fixed !== undefined ? `, target ${fmt(fixed)}` : ", target from target_sharpness"}`;
  return outcome(run.id, frame, value, value <= tol ? "pass" : "fail", detail);
}

/**
 * The `spectral_lr_control` check: one outcome per run.
 *
 * @example
 * ```ts
 * import { spectralLrControlCheck } from "./spectral_lr_control.ts";
 * import { tableFromCsv } from "../results/table.ts";
 * const rows = ["step,lambda_max"];
 * for (let s = 0; s < 40; s++) rows.push(`${s},${s < 5 ? 2 : 5.1}`);
 * const run = { id: "c", status: "ok" as const, info: {}, metrics: tableFromCsv(rows.join("\n"), "m.csv") };
 * spectralLrControlCheck.evaluate({ experiment: "c", runs: [run] }, { target: 5 })[0].verdict; // "pass"
 * ```
 */
export const spectralLrControlCheck: Check = {
  name: "spectral_lr_control",
  description:
    "with the spectral-edge-aware LR, λ_max stays within ±10% of its target after settling",
  evaluate: guarded(
    frameOf,
    (input, options) => input.runs.map((r) => evaluateRun(r, options)),
  ),
};
