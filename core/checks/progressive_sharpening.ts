/**
 * Progressive sharpening (SPEC §7): before the edge-of-stability onset t₀ the
 * sharpness rises steadily.
 *
 * Definition used: the segment is every measurement with step ≤ t₀ (t₀ as in
 * {@linkcode eosCheck}: first λ/θ ≥ `onset`), or the whole run when θ is
 * unknown or never reached. Holds when Spearman ρ(step, λ_max) ≥ `rho` (0.8)
 * and the growth G ≥ `growth` (1.5), where
 * G = median(last k measurements) / median(first k measurements),
 * k = max(1, round(`window`·n)), `window` = 0.1 (robust to the oscillation
 * of single measurements). Needs `minPoints` (5) measurements, else skip.
 * Option `adaptive: true` uses the Adam flavour (preconditioned sharpness).
 * A diverged run is evaluated on its finite measurements before divergence.
 *
 * @example
 * ```ts
 * import { progressiveSharpeningCheck } from "./progressive_sharpening.ts";
 * progressiveSharpeningCheck.name; // "progressive_sharpening"
 * ```
 * @module
 */
import type { Check, CheckOptions, CheckOutcome, RunData } from "./types.ts";
import { edgeRatios, GD_EDGE } from "./eos.ts";
import { ADAM_EDGE } from "./adaptive_eos.ts";
import { fmt, guarded, hasValues, numberOption, outcome, series, stringOption } from "./common.ts";
import { median, spearman } from "./stats.ts";

const STATISTIC = "spearman rho(step, lambda_max) before onset";

function frameOf(options: CheckOptions) {
  const rho = numberOption(options, "rho", 0.8),
    growth = numberOption(options, "growth", 1.5);
  return {
    statistic: STATISTIC,
    expected: `rho >= ${fmt(rho)} and growth >= ${fmt(growth)}x`,
    tolerance: `growth = median(last ${fmt(numberOption(options, "window", 0.1))}) / median(first)`,
  };
}

function evaluateRun(run: RunData, options: CheckOptions): CheckOutcome {
  const frame = frameOf(options);
  const rhoMin = numberOption(options, "rho", 0.8);
  const growthMin = numberOption(options, "growth", 1.5);
  const onsetFrac = numberOption(options, "onset", 0.95);
  const window = numberOption(options, "window", 0.1);
  const minPoints = numberOption(options, "minPoints", 5);
  const adaptive = options.adaptive === true;
  const flavour = adaptive ? ADAM_EDGE : GD_EDGE;
  const col = stringOption(options, "sharpness", flavour.sharpness)!;
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
  let x: number[], lam: number[], where: string;
  const er = edgeRatios(run, flavour, options, col);
  if ("reason" in er) {
    ({ x, y: lam } = series(t, "step", col));
    where = `whole run (${er.reason})`;
  } else {
    const i0 = er.ratio.findIndex((r) => r >= onsetFrac);
    const end = i0 < 0 ? er.x.length : i0 + 1;
    x = er.x.slice(0, end);
    lam = er.lambda.slice(0, end);
    where = i0 < 0 ? "whole run (never reached onset)" : `steps ≤ onset t₀ = ${er.x[i0]}`;
  }
  const finiteEnd = lam.findIndex((v) => !Number.isFinite(v));
  if (finiteEnd >= 0) {
    x = x.slice(0, finiteEnd);
    lam = lam.slice(0, finiteEnd);
    where += ", finite measurements before divergence";
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
  return outcome(
    run.id,
    frame,
    Number.isNaN(rho) ? null : rho,
    ok ? "pass" : "fail",
    detail,
  );
}

/**
 * The `progressive_sharpening` check: one outcome per run.
 *
 * @example
 * ```ts
 * import { progressiveSharpeningCheck } from "./progressive_sharpening.ts";
 * import { tableFromCsv } from "../results/table.ts";
 * const rows = ["step,lambda_max"];
 * for (let s = 0; s < 50; s++) rows.push(`${s},${1 + 0.1 * s}`);
 * const run = { id: "r", status: "ok" as const, info: {}, metrics: tableFromCsv(rows.join("\n"), "m.csv") };
 * progressiveSharpeningCheck.evaluate({ experiment: "e", runs: [run] }, {})[0].verdict; // "pass"
 * ```
 */
export const progressiveSharpeningCheck: Check = {
  name: "progressive_sharpening",
  description: "before the EoS onset, λ_max rises: Spearman ρ(step, λ_max) ≥ 0.8 and ≥ 1.5× growth",
  evaluate: guarded(
    frameOf,
    (input, options) => input.runs.map((r) => evaluateRun(r, options)),
  ),
};
