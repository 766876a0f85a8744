/**
 * Edge of stability (SPEC §7, Cohen et al. 2021): under full-batch GD the
 * sharpness λ_max rises from below to the stability threshold θ = 2/η and
 * hovers there while training still progresses (non-monotonically).
 *
 * Definition used (shared with {@linkcode adaptiveEosCheck}):
 * - θ at each measurement from the `two_over_lr` column if present, else 2/η
 *   from the `lr` column, else option `lr` or the runs.csv `lr`;
 * - rise from below: the first measurement must have λ/θ ≤ `start` (0.8).
 *   A run that starts above is reported as such (verdict `skip`, "not
 *   counted": the rise to the edge is not tested there);
 * - onset t₀ = first measurement with λ/θ ≥ `onset` (0.95);
 * - settling window: measurements with step ≥ t₀ + `settle`·(t_last − t₀)
 *   (`settle` = 0.1); at least `minPoints` (3), else skip;
 * - period-2 orbits: when the settled measurements fall on both even and odd
 *   steps (an odd cadence, or every step), the medians of λ/θ over even and
 *   over odd steps are compared. An orbit is recorded when they differ by at
 *   least `orbitGap` (0.05) and by at least `orbitContrast` (3) times the gap
 *   between the means of two parity-blind halves (measurements paired as
 *   k = 0,1 | 2,3 | …, alternate pairs; means, because on an orbit each half
 *   is bimodal and its median unstable): the EoS sawtooth, whose period is tens of steps,
 *   does not separate by parity; a period-2 orbit does. With an orbit the
 *   statistic is the orbit average (the mean of the two phase medians) and
 *   the detail gives both phases and the loss on each. When every settled
 *   measurement is on an even step, a period-2 orbit would be sampled at one
 *   phase: the detail says so;
 * - statistic: median of λ/θ over the settled window (orbit-averaged when an
 *   orbit is found); it must lie in `band` ([0.90, 1.15]);
 * - progress (training goes on at the edge instead of diverging, as the
 *   classical stability bound would predict): no divergence, and the median
 *   train loss over the last `window` (0.25) of the run is below the median
 *   over the rise (steps < t₀; the first `window` of the run when fewer than
 *   2 losses precede t₀). Windows, not two points: the loss at the edge is
 *   non-monotone. The post-onset trend (median loss over the first vs the
 *   last `window` of the post-onset span) is printed but not required:
 *   measured on the Chebyshev settings it *rises* 1.3–2× after onset on most
 *   seeds and on both backends (the run settles on an orbit whose loss is
 *   above the one at onset), so "the loss keeps falling after t₀" does not
 *   hold at this scale.
 * Diverged runs fail; a missing sharpness column skips.
 *
 * @example
 * ```ts
 * import { eosCheck } from "./eos.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(eosCheck.name, "eos");
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
} from "./common.ts";
import { mean, median } from "./stats.ts";
import { z } from "zod";

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
 * import { assertEquals } from "../../tests/assert.ts";
 * const r = edgeRatios({ id: "r", status: "ok", info: {}, metrics }, GD_EDGE, {}, "lambda_max");
 * if ("reason" in r) throw new Error(r.reason);
 * assertEquals(r.ratio, [0.5, 1]); // λ / (2/η) with 2/η = 4
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

/** Options shared by `eos` and `adaptive_eos` (strict: a misspelt key is an input error). */
export const EDGE_OPTION_SHAPE = {
  /** Band for the (orbit-averaged) median of λ/θ. */
  band: z.tuple([z.number(), z.number()]).optional(),
  /** Onset: first λ/θ ≥ onset (default 0.95). */
  onset: z.number().positive().optional(),
  /** Rise from below: λ₀/θ ≤ start (default 0.8). */
  start: z.number().positive().optional(),
  /** Settling: fraction of the post-onset span skipped (default 0.1). */
  settle: z.number().min(0).max(1).optional(),
  /** Fewest settled measurements (default 3). */
  minPoints: z.number().int().positive().optional(),
  /** Progress windows: fraction of the run at each end (default 0.25). */
  window: z.number().positive().max(0.5).optional(),
  /** Smallest parity gap of λ/θ recorded as a period-2 orbit (default 0.05). */
  orbitGap: z.number().positive().optional(),
  /** The parity gap must exceed this multiple of a parity-blind gap (default 3). */
  orbitContrast: z.number().positive().optional(),
  /** Sharpness column. */
  sharpness: z.string().min(1).optional(),
  /** Learning rate when the metrics have no lr column. */
  lr: z.number().positive().optional(),
};

/** A period-2 orbit found in the settled window. */
export interface EdgeOrbit {
  /** Median λ/θ over settled measurements at even steps. */
  even: number;
  /** Median λ/θ over settled measurements at odd steps. */
  odd: number;
  /** |even − odd|. */
  gap: number;
  /** The gap between the means of two parity-blind halves (alternate pairs). */
  blindGap: number;
  /** Median train loss at even / odd settled steps (null without losses). */
  lossEven: number | null;
  /** See lossEven. */
  lossOdd: number | null;
}

/** What the edge analysis of one run found (also drawn by the report). */
export interface EdgeAnalysis {
  /** Measured steps. */
  x: number[];
  /** λ/θ at those steps. */
  ratio: number[];
  /** λ₀/θ (first measurement). */
  r0: number;
  /** Whether the run started above `start`·θ. */
  startedAbove: boolean;
  /** Onset step t₀, null when never reached. */
  t0: number | null;
  /** First step of the settled window (null without onset). */
  settledFrom: number | null;
  /** Settled ratios. */
  settled: number[];
  /** Whether the settled steps include both parities (orbits detectable). */
  bothParities: boolean;
  /** The orbit, when one was detected. */
  orbit: EdgeOrbit | null;
  /** Median λ/θ over the settled window (orbit average with an orbit); NaN without. */
  statistic: number;
  /** How θ was found. */
  note: string;
}

function parityHalves(xs: number[], vs: number[]) {
  const even: number[] = [], odd: number[] = [], a: number[] = [], b: number[] = [];
  vs.forEach((v, k) => {
    (Math.abs(xs[k]) % 2 === 0 ? even : odd).push(v);
    // Stryker disable next-line EqualityOperator: swapping the two parity-blind halves leaves |mean(a) − mean(b)| unchanged
    ((k >> 1) % 2 === 0 ? a : b).push(v);
  });
  return { even, odd, a, b };
}

/**
 * Rise, onset, settling window and period-2 orbit of one run (no verdict).
 *
 * @example
 * ```ts
 * import { edgeAnalysis, GD_EDGE } from "./eos.ts";
 * import { tableFromCsv } from "../results/table.ts";
 * const rows = ["step,lr,lambda_max"];
 * for (let s = 0; s <= 60; s++) rows.push(`${s},0.2,${s < 20 ? 4 + s * 0.3 : s % 2 ? 9.5 : 10.5}`);
 * const a = edgeAnalysis({ id: "r", status: "ok", info: {}, metrics: tableFromCsv(rows.join("\n"), "m.csv") }, GD_EDGE, {});
 * import { assertClose } from "../../tests/assert.ts";
 * if ("reason" in a) throw new Error(a.reason);
 * assertClose(a.orbit!.gap, 0.1, 1e-9); // λ·η/2 = 1.05 at even steps, 0.95 at odd
 * ```
 */
export function edgeAnalysis(
  run: RunData,
  flavour: EdgeFlavour,
  options: CheckOptions,
): EdgeAnalysis | { reason: string } {
  const onsetFrac = numberOption(options, "onset", 0.95);
  const startFrac = numberOption(options, "start", 0.8);
  const settle = numberOption(options, "settle", 0.1);
  const orbitGap = numberOption(options, "orbitGap", 0.05);
  const orbitContrast = numberOption(options, "orbitContrast", 3);
  const col = stringOption(options, "sharpness", flavour.sharpness)!;
  const er = edgeRatios(run, flavour, options, col);
  if ("reason" in er) return er;
  const { x, ratio, note } = er;
  if (x.length === 0) return { reason: `no ${col} measurement` };
  const r0 = ratio[0];
  const i0 = ratio.findIndex((r) => r >= onsetFrac);
  const base = {
    x,
    ratio,
    r0,
    startedAbove: r0 > startFrac,
    t0: null, // set below when there is an onset
    settledFrom: null,
    settled: [],
    bothParities: false,
    orbit: null,
    statistic: NaN,
    note,
  };
  if (i0 < 0) return base;
  const t0 = x[i0], tLast = x[x.length - 1];
  const from = t0 + settle * (tLast - t0);
  const sx: number[] = [], settled: number[] = [];
  for (let k = i0; k < x.length; k++) {
    if (x[k] >= from) {
      sx.push(x[k]);
      settled.push(ratio[k]);
    }
  }
  // Stryker disable next-line ObjectLiteral: unreachable (settle ≤ 1 puts tLast in the window); a guard only
  if (settled.length === 0) return { ...base, settledFrom: from };
  const h = parityHalves(sx, settled);
  const bothParities = h.even.length >= 2 && h.odd.length >= 2;
  let orbit: EdgeOrbit | null = null;
  // (bothParities means ≥ 4 settled points, so both parity-blind halves are non-empty)
  if (bothParities) {
    const even = median(h.even), odd = median(h.odd);
    const gap = Math.abs(even - odd), blindGap = Math.abs(mean(h.a) - mean(h.b));
    if (gap >= orbitGap && gap >= orbitContrast * blindGap) {
      let lossEven: number | null = null, lossOdd: number | null = null;
      const t = run.metrics!;
      const loss = series(t, "step", "train_loss");
      const lx: number[] = [], ly: number[] = [];
      loss.x.forEach((s, k) => {
        if (s >= sx[0] && Number.isFinite(loss.y[k])) {
          lx.push(s);
          ly.push(loss.y[k]);
        }
      });
      const lh = parityHalves(lx, ly);
      if (lh.even.length > 0 && lh.odd.length > 0) {
        lossEven = median(lh.even);
        lossOdd = median(lh.odd);
      }
      orbit = { even, odd, gap, blindGap, lossEven, lossOdd };
    }
  }
  const statistic = orbit ? (orbit.even + orbit.odd) / 2 : median(settled);
  return {
    ...base,
    t0,
    settledFrom: sx[0],
    settled,
    bothParities,
    orbit,
    statistic,
  };
}

/** Median train loss over the first and last `window` of the span of steps ≥ `from`. */
function windowedLoss(
  run: RunData,
  from: number,
  window: number,
): { first: number; last: number; n1: number; n2: number } | null {
  const loss = series(run.metrics!, "step", "train_loss");
  const after = loss.x.map((s, k) => [s, loss.y[k]]).filter(([s]) => s >= from);
  if (after.length === 0) return null;
  const t0 = after[0][0], tLast = after[after.length - 1][0];
  const span = tLast - t0;
  const w1 = after.filter(([s]) => s <= t0 + window * span).map(([, v]) => v);
  const w2 = after.filter(([s]) => s >= tLast - window * span).map(([, v]) => v);
  return { first: median(w1), last: median(w2), n1: w1.length, n2: w2.length };
}

/** Evaluates one run against an edge-of-stability flavour. */
export function edgeOutcome(
  run: RunData,
  flavour: EdgeFlavour,
  options: CheckOptions,
): CheckOutcome {
  const band = bandOption(options, "band", flavour.band);
  const onsetFrac = numberOption(options, "onset", 0.95);
  const startFrac = numberOption(options, "start", 0.8);
  const settle = numberOption(options, "settle", 0.1);
  const minPoints = numberOption(options, "minPoints", 3);
  const window = numberOption(options, "window", 0.25);
  const col = stringOption(options, "sharpness", flavour.sharpness)!;
  const frame: OutcomeFrame = {
    statistic: flavour.statistic,
    expected: fmtBand(band),
    tolerance: `start ≤ ${fmt(startFrac)}θ, onset ${fmt(onsetFrac)}θ, settle ${
      fmt(settle)
    } of post-onset span, progress: median loss of the last ${fmt(window)} below that before t₀`,
  };
  const diverged = divergence(run, ["train_loss", "test_loss", col]);
  if (diverged) return outcome(run.id, frame, null, "fail", diverged);
  // (no metrics or no sharpness column: edgeAnalysis gives the reason)
  const a = edgeAnalysis(run, flavour, options);
  if ("reason" in a) return outcome(run.id, frame, null, "skip", a.reason);
  const t = run.metrics!;
  const { x, ratio, note } = a;
  if (a.startedAbove) {
    return outcome(
      run.id,
      frame,
      null,
      "skip",
      `starts above the edge: ${flavour.symbol} = ${fmt(a.r0)} at step ${x[0]} > ${
        fmt(startFrac)
      } (the rise to the edge is not tested; not counted); ${note}`,
    );
  }
  if (a.t0 === null) {
    const k = ratio.indexOf(Math.max(...ratio));
    return outcome(
      run.id,
      frame,
      null,
      "fail",
      `${col} never reached ${fmt(onsetFrac)}θ (start ${fmt(a.r0)}, max ${flavour.symbol} = ${
        fmt(ratio[k])
      } at step ${x[k]}); ${note}`,
    );
  }
  const t0 = a.t0, tLast = x[x.length - 1];
  if (a.settled.length < minPoints) {
    return outcome(
      run.id,
      frame,
      null,
      "skip",
      `onset t₀ = ${t0} leaves ${a.settled.length} measurements after settling (need ≥ ${minPoints})`,
    );
  }
  const med = a.statistic;
  if (!t.has("train_loss") || series(t, "step", "train_loss").x.length === 0) {
    return outcome(run.id, frame, med, "skip", "no train_loss column: cannot check progress");
  }
  const lossS = series(t, "step", "train_loss");
  const preLoss = lossS.y.filter((_, k) => lossS.x[k] < t0 && Number.isFinite(lossS.y[k]));
  const whole = windowedLoss(run, -Infinity, window);
  const post = windowedLoss(run, t0, window);
  let progress = true, progressText = "no divergence (too few losses for windows)";
  if (whole && whole.n2 >= 2 && (preLoss.length >= 2 || whole.n1 >= 2)) {
    const ref = preLoss.length >= 2 ? median(preLoss) : whole.first;
    const refText = preLoss.length >= 2
      ? `before t₀, n=${preLoss.length}`
      : `first ${fmt(window)} of the run`;
    progress = whole.last < ref;
    progressText = `median train_loss ${fmt(ref)} (${refText}) → ${fmt(whole.last)} (last ${
      fmt(window)
    })${progress ? "" : " (no progress)"}`;
  }
  if (post && post.n1 >= 2 && post.n2 >= 2) {
    progressText += `, after t₀ ${fmt(post.first)} → ${fmt(post.last)} (×${
      fmt(post.last / post.first, 3)
    }, not required)`;
  }
  const orbitText = a.orbit
    ? `period-2 orbit: ${flavour.symbol} ${fmt(a.orbit.even)} at even steps, ${
      fmt(a.orbit.odd)
    } at odd (parity-blind gap ${fmt(a.orbit.blindGap)})${
      a.orbit.lossEven !== null
        ? `, train_loss ${fmt(a.orbit.lossEven)} / ${fmt(a.orbit.lossOdd)}`
        : ""
    }; statistic is the orbit average`
    : a.bothParities
    ? "no period-2 orbit"
    : "orbit check n/a (all settled measurements on even steps: a period-2 orbit would be sampled at one phase)";
  const inBand = med >= band[0] && med <= band[1];
  const detail = `${a.orbit ? "orbit-averaged" : "median"} ${flavour.symbol} = ${
    fmt(med)
  } over steps ${a.settledFrom}–${tLast} (n=${a.settled.length}), band ${fmtBand(band)}; start ${
    fmt(a.r0)
  }, onset t₀ = ${t0}; ${progressText}; ${orbitText}; ${note}`;
  return outcome(run.id, frame, med, inBand && progress ? "pass" : "fail", detail);
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
 * import { assertEquals } from "../../tests/assert.ts";
 * const rows = ["step,lr,train_loss,lambda_max"];
 * for (let s = 0; s <= 100; s++) rows.push(`${s},0.2,${1 / (1 + s)},${s < 20 ? 5 + s * 0.25 : 10}`);
 * const metrics = tableFromCsv(rows.join("\n"), "m.csv");
 * const run = { id: "eos/a", status: "ok" as const, info: {}, metrics };
 * assertEquals(eosCheck.evaluate({ experiment: "eos", runs: [run] }, {})[0].verdict, "pass");
 * ```
 */
export const eosCheck: Check = {
  name: "eos",
  description:
    "GD sharpness rises from below to 2/η and hovers in [0.90, 1.15]·2/η while the loss falls",
  optionsSchema: z.strictObject(EDGE_OPTION_SHAPE),
  evaluate: guarded(
    () => ({
      statistic: GD_EDGE.statistic,
      expected: fmtBand(GD_EDGE.band),
      tolerance: "",
    }),
    (input, options) => input.runs.map((r) => edgeOutcome(r, GD_EDGE, options)),
  ),
};
