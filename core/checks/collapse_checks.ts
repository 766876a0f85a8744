/**
 * The collapse-family checks built on {@linkcode analyseCollapse}
 * (SPEC §7, Qiu et al. 2025):
 *
 * - `collapse`: median of Δ/σ̄ over grid x ∈ `range` ([0.25, 0.95]) ≤
 *   `threshold` (1.5). Needs ≥ 2 sizes and ≥ 2 seeds per size, else skip.
 * - `supercollapse`: Δ(x) < σ̄(x) at every grid x ∈ [1 − `delta`, `upper`]
 *   (δ = 0.25, upper 0.95); statistic max Δ/σ̄ there, holds when < 1. Meant
 *   for a schedule that decays to zero (the detail notes when the lr column
 *   shows otherwise).
 * - `fit_l0`: scans L̂ ∈ [0, L_min) (L_min = smallest loss any run reaches on
 *   the grid from `range[0]` to 1) for the smallest median Δ over `range`
 *   (400-point scan, then golden-section refinement) and compares with the
 *   power-law L0. Statistic: the scanned L̂. Holds when |L̂_scan − L0_fit| ≤
 *   `tolerance` (0.1) × (max − min of the seed-averaged final losses across
 *   sizes). Needs ≥ 3 sizes (for the fit) and ≥ 2 runs.
 * - `collapse_variance_scaling` (report): over the decay phase (grid x ≤
 *   `upper` = 0.95 with η(x) < η_peak), Pearson correlation between Δ(x) and
 *   the predictor √(η̂(x)·(1 − τ̂(x))), η̂ = η/η_peak and τ̂ = τ/τ_final
 *   averaged over runs; holds when ≥ `minCorrelation` (0.8). The log-log
 *   slope of Δ on the predictor (1 in the paper) is in the detail. Option
 *   `use: "sigma"` tests σ̄ instead of Δ. Skips when Δ ≤ `floor` (1e-9)
 *   everywhere in the decay phase (an exact collapse: nothing to scale).
 *
 * @example
 * ```ts
 * import { collapseCheck } from "./collapse_checks.ts";
 * collapseCheck.name; // "collapse"
 * ```
 * @module
 */
import type { Check, CheckInput, CheckOptions, CheckOutcome } from "./types.ts";
import {
  analyseCollapse,
  bySize,
  type CollapseAnalysis,
  collapseCurves,
  collapseDeviation,
  describeL0,
  finalPoints,
  fitPowerLawL0,
  gridRange,
  type Ladder,
  prepareLadder,
  seedShortage,
} from "./collapse.ts";
import {
  bandOption,
  fmt,
  fmtBand,
  guarded,
  numberOption,
  OptionError,
  outcome,
  type OutcomeFrame,
  stringOption,
} from "./common.ts";
import { fitLine, goldenSection, interpolate, mean, median, pearson } from "./stats.ts";

function ladderText(ladder: Ladder): string {
  const groups = bySize(ladder);
  const seeds = [...new Set(groups.map((g) => g.runs.length))];
  const perSize = seeds.length === 1
    ? `${seeds[0]}`
    : `${Math.min(...seeds)}–${Math.max(...seeds)}`;
  const notes = ladder.notes.length ? `; ${ladder.notes.join("; ")}` : "";
  return `${groups.length} sizes × ${perSize} seeds (${ladder.sizeKey} = ${
    ladder.sizes.map((s) => fmt(s)).join(", ")
  }), loss ${ladder.lossColumn}${notes}`;
}

function at(
  a: CollapseAnalysis,
  xs: number[],
  label: string,
  values: number[],
): string {
  return xs.map((x) => {
    const i = a.curves.grid.findIndex((g) => Math.abs(g - x) < 1e-9);
    return i < 0 ? "" : `${label}(${x}) = ${fmt(values[i], 3)}`;
  }).filter((s) => s).join(", ");
}

// ---------------------------------------------------------------- collapse

/**
 * The shared start of `collapse` and `supercollapse`: the collapse analysis,
 * then the grid indices inside `range`; or the `skip` outcome saying why not.
 */
function analyseOnRange(
  input: CheckInput,
  options: CheckOptions,
  frame: OutcomeFrame,
  range: [number, number],
): CheckOutcome[] | {
  a: Exclude<ReturnType<typeof analyseCollapse>, { reason: string }>;
  idx: number[];
} {
  const a = analyseCollapse(input.runs, options);
  if ("reason" in a) return [outcome("*", frame, null, "skip", a.reason)];
  const short = seedShortage(a.ladder);
  if (short) return [outcome("*", frame, null, "skip", short)];
  const idx = gridRange(a.curves.grid, range);
  if (idx.length === 0) {
    return [outcome("*", frame, null, "skip", `no grid point in x ∈ ${fmtBand(range)}`)];
  }
  return { a, idx };
}

function collapseFrame(options: CheckOptions): OutcomeFrame {
  const range = bandOption(options, "range", [0.25, 0.95]);
  return {
    statistic: "median delta/sigma",
    expected: `<= ${fmt(numberOption(options, "threshold", 1.5))}`,
    tolerance: `x in ${fmtBand(range)}`,
  };
}

function evaluateCollapse(
  input: CheckInput,
  options: CheckOptions,
): CheckOutcome[] {
  const frame = collapseFrame(options);
  const range = bandOption(options, "range", [0.25, 0.95]);
  const threshold = numberOption(options, "threshold", 1.5);
  const prepared = analyseOnRange(input, options, frame, range);
  if (Array.isArray(prepared)) return prepared;
  const { a, idx } = prepared;
  const ratios = idx.map((i) => a.curves.ratio[i]);
  const value = median(ratios);
  const detail = `median Δ/σ̄ = ${fmt(value)} over x ∈ ${
    fmtBand(range)
  } (${idx.length} grid points), need ≤ ${fmt(threshold)}; median Δ = ${
    fmt(median(idx.map((i) => a.curves.delta[i])))
  }, median σ̄ = ${fmt(median(idx.map((i) => a.curves.sigma[i])))}; ${
    at(a, [0.3, 0.5, 0.7, 0.9], "Δ/σ̄", a.curves.ratio)
  }; ${describeL0(a.l0)}; ${ladderText(a.ladder)}`;
  return [
    outcome(
      "*",
      frame,
      Number.isNaN(value) ? null : value,
      value <= threshold ? "pass" : "fail",
      detail,
    ),
  ];
}

/**
 * The `collapse` check (one outcome for the experiment).
 *
 * @example
 * ```ts
 * import { collapseCheck } from "./collapse_checks.ts";
 * collapseCheck.evaluate({ experiment: "e", runs: [] }, {})[0].verdict; // "skip"
 * ```
 */
export const collapseCheck: Check = {
  name: "collapse",
  description:
    "normalised loss curves across sizes collapse: median Δ/σ̄ over x ∈ [0.25, 0.95] ≤ 1.5",
  evaluate: guarded(collapseFrame, evaluateCollapse),
};

// ----------------------------------------------------------- supercollapse

function superFrame(options: CheckOptions): OutcomeFrame {
  const d = numberOption(options, "delta", 0.25);
  return {
    statistic: "max delta/sigma",
    expected: "< 1",
    tolerance: `x in ${fmtBand([1 - d, numberOption(options, "upper", 0.95)])}`,
  };
}

function evaluateSuper(
  input: CheckInput,
  options: CheckOptions,
): CheckOutcome[] {
  const frame = superFrame(options);
  const d = numberOption(options, "delta", 0.25);
  const upper = numberOption(options, "upper", 0.95);
  const range: [number, number] = [1 - d, upper];
  const prepared = analyseOnRange(input, options, frame, range);
  if (Array.isArray(prepared)) return prepared;
  const { a, idx } = prepared;
  let worst = idx[0];
  for (const i of idx) {
    if (!(a.curves.ratio[i] <= a.curves.ratio[worst])) worst = i;
  }
  const value = a.curves.ratio[worst];
  const above = idx.filter((i) =>
    !(a.curves.delta[i] < a.curves.sigma[i] || a.curves.ratio[i] === 0)
  );
  const decays = a.ladder.runs.every((r) =>
    !r.lr || r.lr[r.lr.length - 1] <= 0.05 * Math.max(...r.lr)
  );
  const detail = `max Δ/σ̄ = ${fmt(value)} at x = ${fmt(a.curves.grid[worst])} over x ∈ ${
    fmtBand(range)
  } (${idx.length} grid points); Δ ≥ σ̄ at ${above.length} of them; ${describeL0(a.l0)}; ${
    ladderText(a.ladder)
  }${decays ? "" : "; note: the lr column does not decay to ≤ 5% of its peak"}`;
  return [
    outcome(
      "*",
      frame,
      Number.isNaN(value) ? null : value,
      above.length === 0 ? "pass" : "fail",
      detail,
    ),
  ];
}

/**
 * The `supercollapse` check (one outcome for the experiment).
 *
 * @example
 * ```ts
 * import { supercollapseCheck } from "./collapse_checks.ts";
 * supercollapseCheck.name; // "supercollapse"
 * ```
 */
export const supercollapseCheck: Check = {
  name: "supercollapse",
  description: "Δ(x) < σ̄(x) for every grid x in [0.75, 0.95] (schedule decaying to zero)",
  evaluate: guarded(superFrame, evaluateSuper),
};

// ------------------------------------------------------------------ fit_l0

/** Result of {@linkcode scanL0}. */
export interface L0Scan {
  /** L̂ with the smallest median Δ over the range. */
  l0: number;
  /** That median Δ. */
  medianDelta: number;
  /** Upper end of the scanned interval. */
  cap: number;
}

/**
 * Scans L̂ ∈ [0, cap) for the sharpest collapse (smallest median Δ over the
 * grid points in `range`): 400 equally spaced candidates, then golden-section
 * refinement between the best one's neighbours.
 *
 * @example
 * ```ts
 * import { scanL0 } from "./collapse_checks.ts";
 * // scanL0(ladder, [0.25, 0.95]).l0 → the L̂ of the sharpest collapse
 * ```
 */
export function scanL0(
  ladder: Ladder,
  range: [number, number],
  gridPoints = 100,
): L0Scan {
  const base = collapseCurves(ladder, 0, gridPoints);
  const idx = gridRange(base.grid, range);
  const capIdx = gridRange(base.grid, [range[0], 1]);
  let cap = Infinity;
  for (const row of base.lossAt) {
    for (const i of capIdx) cap = Math.min(cap, row[i]);
  }
  for (const r of ladder.runs) cap = Math.min(cap, r.loss[r.loss.length - 1]);
  const finals = ladder.runs.map((r) => r.loss[r.loss.length - 1]);
  const objective = (l0: number) => {
    const ell = base.lossAt.map((row, r) => idx.map((i) => (row[i] - l0) / (finals[r] - l0)));
    return median(collapseDeviation(ell));
  };
  const top = cap > 0 ? cap * (1 - 1e-9) : 0;
  const n = 400;
  let bestJ = 0, bestV = Infinity;
  for (let j = 0; j < n; j++) {
    const v = objective((top * j) / n);
    if (v < bestV) [bestJ, bestV] = [j, v];
  }
  const lo = (top * Math.max(0, bestJ - 1)) / n,
    hi = Math.min(top, (top * (bestJ + 1)) / n);
  const refined = goldenSection(objective, lo, hi, 100);
  const rv = objective(refined);
  return rv <= bestV
    ? { l0: refined, medianDelta: rv, cap }
    : { l0: (top * bestJ) / n, medianDelta: bestV, cap };
}

function fitL0Frame(options: CheckOptions): OutcomeFrame {
  return {
    statistic: "scanned L0 (sharpest collapse)",
    expected: "power-law fitted L0",
    tolerance: `${fmt(numberOption(options, "tolerance", 0.1))} x range of final losses`,
  };
}

function evaluateFitL0(
  input: CheckInput,
  options: CheckOptions,
): CheckOutcome[] {
  const frame = fitL0Frame(options);
  const tol = numberOption(options, "tolerance", 0.1);
  const range = bandOption(options, "range", [0.25, 0.95]);
  const ladder = prepareLadder(input.runs, options);
  if ("reason" in ladder) {
    return [outcome("*", frame, null, "skip", ladder.reason)];
  }
  if (ladder.runs.length < 2) {
    return [outcome("*", frame, null, "skip", "fewer than 2 usable runs")];
  }
  const pts = finalPoints(ladder);
  if (pts.length < 3) {
    return [
      outcome(
        "*",
        frame,
        null,
        "skip",
        `power-law fit of L0 needs ≥ 3 sizes, got ${pts.length}`,
      ),
    ];
  }
  const fit = fitPowerLawL0(pts.map((p) => p.compute), pts.map((p) => p.loss));
  const scan = scanL0(ladder, range);
  const spread = Math.max(...pts.map((p) => p.loss)) -
    Math.min(...pts.map((p) => p.loss));
  const allowed = tol * spread;
  const diff = scan.l0 - fit.l0;
  const ok = Math.abs(diff) <= allowed;
  const f = { ...frame, expected: `${fmt(fit.l0)} ± ${fmt(allowed)}` };
  const detail = `scanned L̂ = ${fmt(scan.l0)} (median Δ = ${fmt(scan.medianDelta)} over x ∈ ${
    fmtBand(range)
  }, scanned [0, ${fmt(scan.cap)})) vs power-law L0 = ${fmt(fit.l0)} (L = a·c^-b + L0, b = ${
    fmt(fit.b)
  }); difference ${fmt(diff)}, allowed ${fmt(allowed)} = ${fmt(tol)} × final-loss range ${
    fmt(spread)
  }; ${ladderText(ladder)}`;
  return [outcome("*", f, scan.l0, ok ? "pass" : "fail", detail)];
}

/**
 * The `fit_l0` check (one outcome for the experiment).
 *
 * @example
 * ```ts
 * import { fitL0Check } from "./collapse_checks.ts";
 * fitL0Check.name; // "fit_l0"
 * ```
 */
export const fitL0Check: Check = {
  name: "fit_l0",
  description: "the L̂ of the sharpest collapse agrees with the power-law fitted L0",
  evaluate: guarded(fitL0Frame, evaluateFitL0),
};

// ------------------------------------------------ collapse_variance_scaling

function cvsFrame(options: CheckOptions): OutcomeFrame {
  return {
    statistic: "pearson r(delta, sqrt(eta*(1-tau)))",
    expected: `>= ${fmt(numberOption(options, "minCorrelation", 0.8))}`,
    tolerance: `decay phase, x <= ${fmt(numberOption(options, "upper", 0.95))}`,
  };
}

function evaluateCvs(input: CheckInput, options: CheckOptions): CheckOutcome[] {
  const frame = cvsFrame(options);
  const minR = numberOption(options, "minCorrelation", 0.8);
  const upper = numberOption(options, "upper", 0.95);
  const minPoints = numberOption(options, "minPoints", 5);
  const use = stringOption(options, "use", "delta")!;
  if (use !== "delta" && use !== "sigma") {
    throw new OptionError("use", `expected "delta" or "sigma", got "${use}"`);
  }
  const a = analyseCollapse(input.runs, options);
  if ("reason" in a) return [outcome("*", frame, null, "skip", a.reason)];
  if (a.ladder.runs.length < 2) {
    return [outcome("*", frame, null, "skip", "fewer than 2 usable runs")];
  }
  if (use === "sigma") {
    const short = seedShortage(a.ladder);
    if (short) return [outcome("*", frame, null, "skip", short)];
  }
  const noLr = a.ladder.runs.find((r) => !r.lr || !r.tau);
  if (noLr) {
    return [
      outcome(
        "*",
        frame,
        null,
        "skip",
        `run ${noLr.id}: no lr column (needed for η(x) and τ(x))`,
      ),
    ];
  }
  const { grid } = a.curves;
  const eta = grid.map((g) =>
    mean(
      a.ladder.runs.map((r) => interpolate(r.x, r.lr!, g) / Math.max(...r.lr!)),
    )
  );
  const tauHat = grid.map((g) =>
    mean(
      a.ladder.runs.map((r) => interpolate(r.x, r.tau!, g) / r.tau![r.tau!.length - 1]),
    )
  );
  const target = use === "delta" ? a.curves.delta : a.curves.sigma;
  const idx = grid.map((_, i) => i).filter((i) =>
    grid[i] <= upper + 1e-9 && eta[i] < 1 - 1e-9 && Number.isFinite(target[i])
  );
  if (idx.length < minPoints) {
    return [outcome(
      "*",
      frame,
      null,
      "skip",
      `only ${idx.length} grid points in the decay phase (η < η_peak, x ≤ ${
        fmt(upper)
      }); need ≥ ${minPoints}`,
    )];
  }
  const floor = numberOption(options, "floor", 1e-9);
  if (Math.max(...idx.map((i) => target[i])) <= floor) {
    return [outcome(
      "*",
      frame,
      null,
      "skip",
      `${use === "delta" ? "Δ" : "σ̄"} ≤ ${
        fmt(floor)
      } over the decay phase: the curves coincide to round-off, nothing to scale`,
    )];
  }
  const pred = idx.map((i) => Math.sqrt(Math.max(0, eta[i] * (1 - tauHat[i]))));
  const obs = idx.map((i) => target[i]);
  const r = pearson(obs, pred);
  const pos = idx.map((_, k) => k).filter((k) => obs[k] > 0 && pred[k] > 0);
  const slope = pos.length >= 2
    ? fitLine(
      pos.map((k) => Math.log(pred[k])),
      pos.map((k) => Math.log(obs[k])),
    ).slope
    : NaN;
  const detail = `r(${use === "delta" ? "Δ" : "σ̄"}, √(η̂(1−τ̂))) = ${
    fmt(r)
  } over ${idx.length} decay-phase grid points x ∈ [${fmt(grid[idx[0]])}, ${
    fmt(grid[idx[idx.length - 1]])
  }], need ≥ ${fmt(minR)}; log-log slope ${fmt(slope)} (1 expected); ${describeL0(a.l0)}; ${
    ladderText(a.ladder)
  }`;
  return [
    outcome(
      "*",
      frame,
      Number.isNaN(r) ? null : r,
      r >= minR ? "pass" : "fail",
      detail,
    ),
  ];
}

/**
 * The `collapse_variance_scaling` check (report; one outcome).
 *
 * @example
 * ```ts
 * import { collapseVarianceScalingCheck } from "./collapse_checks.ts";
 * collapseVarianceScalingCheck.name; // "collapse_variance_scaling"
 * ```
 */
export const collapseVarianceScalingCheck: Check = {
  name: "collapse_variance_scaling",
  description: "in the decay phase Δ(τ̂) ∝ √(η(τ̂)(1 − τ̂)) (Pearson r ≥ 0.8)",
  evaluate: guarded(cvsFrame, evaluateCvs),
};
