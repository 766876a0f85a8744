/**
 * The schedule noise model (SPEC §7; Qiu et al. 2025, Eq. 16):
 * L′(τ) ≈ L(τ) + α·δη(τ)·Tr Σ′(τ), with τ = Σ_t η_t, L the constant-LR
 * reference run at the same peak LR (same size, same seed when there is one)
 * aligned on τ, δη = η/η_peak − 1 of the scheduled run, and one α fitted once
 * per task and shared across schedules and sizes.
 *
 * Whose Tr Σ′: the scheduled run's own (primed, like L′) preconditioned
 * gradient-noise trace by default — the noise excess in the loss is set by the
 * noise on the trajectory being predicted; option `noiseFrom: "reference"`
 * uses the constant-LR run's instead (a pure prediction from the reference).
 * Column: option `noiseColumn`, else `precond_grad_noise_trace` when measured,
 * else `grad_noise_trace`.
 *
 * Procedure: every curve (loss of both runs, the noise trace) is
 * EMA-smoothed over steps with half-life `halfLife` (0.01) × the run's last
 * step; τ from the `tau` column or the integrated `lr`; the reference loss
 * and the noise trace are interpolated (linearly in τ) at the scheduled run's
 * measured τ; points with x = τ/τ_final ∈ `range` ([0.1, 1]) are used. α is
 * the least-squares solution of L′ − L = α·δη·TrΣ′ pooled over every run whose
 * runs.csv `schedule` equals option `fitOn` (default: the alphabetically first
 * non-constant schedule), across every size (≥ `minSizes` = 2 sizes, else
 * skip: "one α per task" is only tested across sizes). Statistic: the
 * largest, over the scheduled runs not used to fit α, of the median relative
 * error |L̂′ − L′|/L′; holds when ≤ `tolerance` (0.02) and, for every tested
 * run, ≤ `maxRatio` (0.5) × the error of the α = 0 model L̂′ = L(τ) (the
 * noise term must do the work, not the τ alignment). The detail gives α, the
 * sizes it was fitted on and each run's error against the α = 0 error.
 *
 * @example
 * ```ts
 * import { scheduleNoiseModelCheck } from "./schedule_noise_model.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(scheduleNoiseModelCheck.name, "schedule_noise_model");
 * ```
 * @module
 */
import { z } from "zod";
import type { Check, CheckInput, CheckOptions, CheckOutcome, RunData } from "./types.ts";
import { integrateLr, sizeKeyOf } from "./collapse.ts";
import {
  bandOption,
  divergence,
  fmt,
  fmtBand,
  guarded,
  hasValues,
  infoNumber,
  numberOption,
  OptionError,
  outcome,
  type OutcomeFrame,
  series,
  stringOption,
} from "./common.ts";
import { emaHalfLife, interpolate, median } from "./stats.ts";

interface Curves {
  tau: number[]; // at loss rows
  loss: number[]; // smoothed
  eta: number[]; // at loss rows
  noiseTau: number[]; // τ at noise rows
  noise: number[]; // smoothed
}

function curvesOf(
  run: RunData,
  options: CheckOptions,
  needNoise: boolean,
): Curves | string {
  const t = run.metrics;
  if (!t) return `run ${run.id}: no metrics`;
  if (!t.has("step")) return `run ${run.id}: no step column`;
  if (!hasValues(t, "lr")) return `run ${run.id}: no lr column`;
  const lossCol = stringOption(options, "loss") ??
    (hasValues(t, "test_loss") ? "test_loss" : "train_loss");
  if (!hasValues(t, lossCol)) return `run ${run.id}: no ${lossCol} column`;
  const lr = series(t, "step", "lr");
  const tauS = hasValues(t, "tau")
    ? series(t, "step", "tau")
    : { x: lr.x, y: integrateLr(lr.x, lr.y) };
  const lastStep = lr.x[lr.x.length - 1];
  const half = numberOption(options, "halfLife", 0.01) * lastStep;
  const l = series(t, "step", lossCol);
  const tauAt = (s: number) => interpolate(tauS.x, tauS.y, s);
  const curves: Curves = {
    tau: l.x.map(tauAt),
    loss: emaHalfLife(l.x, l.y, half),
    eta: l.x.map((s) => interpolate(lr.x, lr.y, s)),
    noiseTau: [],
    noise: [],
  };
  if (needNoise) {
    const given = stringOption(options, "noiseColumn");
    const col = given ??
      (hasValues(t, "precond_grad_noise_trace") ? "precond_grad_noise_trace" : "grad_noise_trace");
    if (!hasValues(t, col)) {
      return `run ${run.id}: no ${given ?? "precond_grad_noise_trace or grad_noise_trace"} column`;
    }
    const n = series(t, "step", col);
    curves.noiseTau = n.x.map(tauAt);
    curves.noise = emaHalfLife(n.x, n.y, half);
  }
  return curves;
}

/** A scheduled run aligned with its reference on x = τ/τ_final. */
export interface Pair {
  run: RunData;
  schedule: string;
  x: number[];
  observed: number[]; // L′
  reference: number[]; // L at τ′
  u: number[]; // δη·TrΣ′
}

function frameOf(options: CheckOptions): OutcomeFrame {
  return {
    statistic: "max median relative error of L'(tau) prediction",
    expected: `<= ${fmt(numberOption(options, "tolerance", 0.02))} and <= ${
      fmt(numberOption(options, "maxRatio", 0.5))
    }x the alpha = 0 error`,
    tolerance: `x = tau/tau_final in ${fmtBand(bandOption(options, "range", [0.1, 1]))}`,
  };
}

/** α fitted once, and every scheduled run paired with its constant-LR reference. */
export interface ScheduleFit {
  /** The fitted α. */
  alpha: number;
  /** The schedule α was fitted on. */
  fitOn: string;
  /** Each scheduled run with its aligned curves. */
  pairs: Pair[];
  /** Runs.csv key of the model size, or null. */
  sizeKey: string | null;
  /** Whose Tr Σ′: "schedule" or "reference". */
  noiseFrom: string;
}

/**
 * Pairs each scheduled run with its constant-LR reference on τ and fits α by
 * least squares on the `fitOn` schedule (see the module doc); or why not
 * (verdict "skip", or "fail" for a diverged run). The check and the report's
 * prediction figure both use it.
 */
export function fitScheduleModel(
  runs: RunData[],
  options: CheckOptions,
): ScheduleFit | { reason: string; verdict: "skip" | "fail" } {
  const range = bandOption(options, "range", [0.1, 1]);
  const noiseFrom = stringOption(options, "noiseFrom", "schedule")!;
  if (noiseFrom !== "schedule" && noiseFrom !== "reference") {
    throw new OptionError(
      "noiseFrom",
      `expected "schedule" or "reference", got "${noiseFrom}"`,
    );
  }
  const skip = (why: string) => ({ reason: why, verdict: "skip" as const });
  const noSchedule = runs.find((r) => !r.info.schedule);
  if (noSchedule) return skip(`run ${noSchedule.id}: no schedule in runs.csv`);
  const sizeKey = sizeKeyOf(runs, options);
  const peak = (r: RunData): number | null => {
    const v = infoNumber(r.info, "lr");
    if (v !== null) return v;
    if (!hasValues(r.metrics, "lr")) return null;
    return Math.max(...series(r.metrics!, "step", "lr").y);
  };
  const refs = runs.filter((r) => r.info.schedule === "constant");
  const scheduled = runs.filter((r) => r.info.schedule !== "constant");
  if (refs.length === 0) {
    return skip("no constant-LR reference run (schedule = constant)");
  }
  if (scheduled.length === 0) return skip("no scheduled (non-constant) run");
  for (const r of runs) {
    const d = divergence(r);
    if (d) return { reason: `${r.id}: ${d}`, verdict: "fail" };
  }
  const names = [...new Set(scheduled.map((r) => r.info.schedule))].sort();
  const fitOn = stringOption(options, "fitOn", names[0])!;
  if (!names.includes(fitOn)) {
    return skip(
      `fitOn "${fitOn}" matches no scheduled run (schedules: ${names.join(", ")})`,
    );
  }
  if (names.length < 2) {
    return skip(
      `only one schedule (${fitOn}): none left to test after fitting α`,
    );
  }
  const pairs: Pair[] = [];
  for (const r of scheduled) {
    const pk = peak(r);
    if (pk === null || !(pk > 0)) return skip(`run ${r.id}: unknown peak lr`);
    const same = refs.filter((c) => {
      const cp = peak(c);
      return cp !== null && Math.abs(cp - pk) <= 1e-9 * pk &&
        (sizeKey === null || c.info[sizeKey] === r.info[sizeKey]);
    });
    const ref = same.find((c) => c.info.seed !== undefined && c.info.seed === r.info.seed) ??
      same[0];
    if (!ref) {
      return skip(
        `run ${r.id}: no constant-LR run with the same peak lr ${fmt(pk)}${
          sizeKey ? ` and ${sizeKey} = ${r.info[sizeKey]}` : ""
        }`,
      );
    }
    const cs = curvesOf(r, options, noiseFrom === "schedule");
    if (typeof cs === "string") {
      return skip(cs);
    }
    const cr = curvesOf(ref, options, noiseFrom === "reference");
    if (typeof cr === "string") {
      return skip(cr);
    }
    const noise = noiseFrom === "schedule" ? cs : cr;
    const tauFinal = cs.tau[cs.tau.length - 1];
    const pair: Pair = {
      run: r,
      schedule: r.info.schedule,
      x: [],
      observed: [],
      reference: [],
      u: [],
    };
    cs.tau.forEach((tau, i) => {
      const x = tau / tauFinal;
      if (!(x >= range[0] - 1e-12 && x <= range[1] + 1e-12)) {
        return;
      }
      const lRef = interpolate(cr.tau, cr.loss, tau);
      const n = interpolate(noise.noiseTau, noise.noise, tau);
      const u = (cs.eta[i] / pk - 1) * n;
      if (![lRef, u, cs.loss[i]].every(Number.isFinite)) {
        return;
      }
      pair.x.push(x);
      pair.observed.push(cs.loss[i]);
      pair.reference.push(lRef);
      pair.u.push(u);
    });
    if (pair.x.length === 0) {
      return skip(
        `run ${r.id}: no aligned points in x ∈ ${fmtBand(range)}`,
      );
    }
    pairs.push(pair);
  }
  let suy = 0, suu = 0;
  for (const p of pairs.filter((q) => q.schedule === fitOn)) {
    p.u.forEach((u, i) => {
      suy += u * (p.observed[i] - p.reference[i]);
      suu += u * u;
    });
  }
  if (!(suu > 0)) return skip(`δη·TrΣ′ is identically 0 on the fit schedule ${fitOn}`);
  return { alpha: suy / suu, fitOn, pairs, sizeKey, noiseFrom };
}

function evaluate(input: CheckInput, options: CheckOptions): CheckOutcome[] {
  const frame = frameOf(options);
  const tol = numberOption(options, "tolerance", 0.02);
  const maxRatio = numberOption(options, "maxRatio", 0.5);
  const minSizes = numberOption(options, "minSizes", 2);
  const fit = fitScheduleModel(input.runs, options);
  if ("reason" in fit) return [outcome("*", frame, null, fit.verdict, fit.reason)];
  const { alpha, fitOn, pairs, sizeKey, noiseFrom } = fit;
  const fitPairs = pairs.filter((p) => p.schedule === fitOn);
  const fitSizes = [...new Set(fitPairs.map((p) => sizeKey ? p.run.info[sizeKey] : ""))];
  const errOf = (p: Pair, a: number) =>
    median(p.x.map((_, i) => {
      const pred = p.reference[i] + a * p.u[i];
      return Math.abs(pred - p.observed[i]) / Math.abs(p.observed[i]);
    }));
  const errs = pairs.filter((p) => p.schedule !== fitOn).map((p) => ({
    p,
    err: errOf(p, alpha),
    err0: errOf(p, 0),
  }));
  const worst = Math.max(...errs.map((e) => e.err));
  // a run whose median α = 0 error is 0 (e.g. WSD: the median x is still at the peak LR)
  // has no schedule effect at the median to explain: left out of the ratio
  const ratioOf = (e: { err: number; err0: number }) =>
    e.err0 > 1e-12 ? e.err / e.err0 : e.err > 1e-12 ? Infinity : 0;
  const worstRatio = Math.max(...errs.map(ratioOf));
  const per = errs.map((e) =>
    `${e.p.run.id} (${e.p.schedule}): ${fmt(100 * e.err, 3)}% vs α = 0 ${fmt(100 * e.err0, 3)}% (${
      fmt(ratioOf(e), 3)
    }×)`
  ).join(", ");
  const detail = `α = ${fmt(alpha)} fitted once on ${fitOn} (${fitPairs.length} run${
    fitPairs.length === 1 ? "" : "s"
  }, ${fitSizes.length} size${fitSizes.length === 1 ? "" : "s"}${
    sizeKey ? ` ${sizeKey} = ${fitSizes.join(", ")}` : ""
  }); median relative error ${per}; worst ${fmt(100 * worst, 3)}% (need ≤ ${
    fmt(100 * tol)
  }%), worst ratio to the α = 0 model ${fmt(worstRatio, 3)} (need ≤ ${
    fmt(maxRatio)
  }); Tr Σ′ from the ${noiseFrom === "schedule" ? "scheduled" : "reference"} run`;
  if (fitSizes.length < minSizes) {
    return [outcome(
      "*",
      frame,
      worst,
      "skip",
      `α must be shared across ≥ ${minSizes} sizes, the fit schedule has ${fitSizes.length}; ${detail}`,
    )];
  }
  const ok = worst <= tol && worstRatio <= maxRatio;
  return [outcome("*", frame, worst, ok ? "pass" : "fail", detail)];
}

/**
 * The `schedule_noise_model` check (one outcome for the experiment).
 *
 * @example
 * ```ts
 * import { scheduleNoiseModelCheck } from "./schedule_noise_model.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(scheduleNoiseModelCheck.evaluate({ experiment: "e", runs: [] }, {})[0].verdict, "skip");
 * ```
 */
export const scheduleNoiseModelCheck: Check = {
  name: "schedule_noise_model",
  description: "L′(τ) ≈ L(τ) + α·δη(τ)·TrΣ′(τ) with one α shared across sizes " +
    "(median rel. error ≤ 2% and ≤ 0.5× the α = 0 model's)",
  optionsSchema: z.strictObject({
    tolerance: z.number().positive().optional().describe("median relative error bound (0.02)"),
    maxRatio: z.number().positive().optional().describe(
      "error ≤ this × the α = 0 model's error, per tested run (0.5)",
    ),
    minSizes: z.int().min(1).optional().describe("sizes α must be fitted across (2)"),
    range: z.tuple([z.number(), z.number()]).optional().describe("x = τ/τ_final range ([0.1, 1])"),
    noiseFrom: z.enum(["schedule", "reference"]).optional().describe("whose Tr Σ′ (schedule)"),
    noiseColumn: z.string().min(1).optional().describe("noise column"),
    fitOn: z.string().min(1).optional().describe("schedule α is fitted on"),
    halfLife: z.number().positive().optional().describe("EMA half-life as a share of steps (0.01)"),
    loss: z.string().min(1).optional().describe("loss column"),
    params: z.string().min(1).optional().describe("runs.csv key of the model size"),
  }),
  evaluate: guarded(frameOf, evaluate),
};
