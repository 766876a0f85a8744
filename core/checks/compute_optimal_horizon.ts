/**
 * Compute-optimal horizon (SPEC §7; Qiu et al. 2025, App. C): from
 * constant-LR runs across sizes, the Pareto frontier of loss vs compute gives
 * the compute-optimal c*(p), fitted as c*(p) = κ·p^(1+γ).
 *
 * Horizon definition: per size, the seed-averaged curve L_p(c) (linear
 * interpolation in log c, over the compute range every seed covers). The
 * frontier is the lower envelope E(c) = min_p L_p(c) on the union of all
 * measured computes; size p is on it over an interval [c_in, c_out] whose ends
 * are crossings with its neighbours on the frontier (refined by bisection on
 * the interpolants). c*(p) = √(c_in·c_out), the geometric centre of that
 * interval. An interval cut off by the data (first/last frontier member, or a
 * curve that starts/ends while it is the minimum) has no c*. For
 * L = L0 + A t^−μ + B p^−ν with c = 6tp and sizes spaced evenly in log p the
 * family is self-similar (p → sp, c → s^(1+ν/μ)c), so the centres scale
 * exactly as p^(1+ν/μ): the fit recovers γ = ν/μ. The smallest and largest size
 * are always dropped (their intervals are one-sided); ≥ 2 sizes must remain.
 *
 * Statistic γ. Verdict: with option `expectedGamma`, pass when
 * |γ − expected| ≤ `tolerance` (0.01) × |expected|; without it, pass when the
 * log-log fit has R² ≥ `minR2` (0.95) (2 points fit exactly). The detail also
 * gives κ (compute units) and κ_steps with t*(p) = κ_steps·p^γ, read off the
 * runs' step axis, in the form `gamma=… kappa=… kappa_steps=…`.
 *
 * Runs whose runs.csv `schedule` is present and not `constant` are left out.
 * Without a compute column, compute = 6·p·step.
 *
 * @example
 * ```ts
 * import { computeOptimalHorizonCheck } from "./compute_optimal_horizon.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(computeOptimalHorizonCheck.name, "compute_optimal_horizon");
 * ```
 * @module
 */
import { z } from "zod";
import type { Check, CheckInput, CheckOptions, CheckOutcome, RunData } from "./types.ts";
import { bySize, type Ladder, prepareLadder } from "./collapse.ts";
import {
  fmt,
  guarded,
  numberOption,
  optionalNumber,
  outcome,
  type OutcomeFrame,
} from "./common.ts";
import { fitLine, interpolate, mean } from "./stats.ts";

/** One size's compute-optimal point. */
export interface HorizonPoint {
  /** Model size p. */
  size: number;
  /** Frontier interval [c_in, c_out] (null ends: cut off by the data). */
  interval: [number | null, number | null];
  /** c*(p) = √(c_in·c_out), or null. */
  cStar: number | null;
  /** Step at c* (interpolated on the first seed's step axis), or null. */
  tStar: number | null;
}

/** Result of {@linkcode computeOptimalHorizon}. */
export interface HorizonFit {
  /** Fitted γ. */
  gamma: number;
  /** κ in c*(p) = κ·p^(1+γ). */
  kappa: number;
  /** κ_steps in t*(p) = κ_steps·p^γ (NaN when steps are unknown). */
  kappaSteps: number;
  /** R² of the log-log fit. */
  r2: number;
  /** Every size's point. */
  points: HorizonPoint[];
  /** Sizes used in the fit. */
  fitted: number[];
  /** Remarks. */
  notes: string[];
}

interface SizeCurve {
  size: number;
  z: number[]; // log compute, ascending
  loss: number[];
  stepAt: (c: number) => number;
}

function sizeCurves(ladder: Ladder, sixP: boolean): SizeCurve[] {
  return bySize(ladder).map(({ size, runs }) => {
    const comp = (r: (typeof runs)[number]) => sixP ? r.step!.map((s) => 6 * size * s) : r.c;
    const zs = runs.map((r) => comp(r).map((c) => (c > 0 ? Math.log(c) : NaN)));
    const lo = Math.max(
      ...zs.map((z) => z.find((v) => Number.isFinite(v)) ?? Infinity),
    );
    const hi = Math.min(...zs.map((z) => z[z.length - 1]));
    const base = zs[0].map((v, i) => ({ v, i })).filter(({ v }) => v >= lo && v <= hi);
    const clean = runs.map((r, k) => {
      const keep = zs[k].map((_, i) => i).filter((i) => Number.isFinite(zs[k][i]));
      return { z: keep.map((i) => zs[k][i]), l: keep.map((i) => r.loss[i]) };
    });
    const z = base.map(({ v }) => v);
    const loss = z.map((v) => mean(clean.map((c) => interpolate(c.z, c.l, v))));
    const first = runs[0];
    const c0 = comp(first);
    return {
      size,
      z,
      loss,
      stepAt: (c: number) => first.step ? interpolate(c0, first.step, c) : NaN,
    };
  });
}

/**
 * Finds c*(p) for every size on the loss–compute frontier and fits
 * c*(p) = κ·p^(1+γ), dropping the smallest and largest size.
 *
 * @example
 * ```ts
 * import { computeOptimalHorizon } from "./compute_optimal_horizon.ts";
 * import { Table } from "../results/table.ts";
 * import { assertClose, assertEquals } from "../../tests/assert.ts";
 * // L(t, p) = 0.3 + t^−½ + p^−½: the best horizon is t*(p) ∝ p^γ with γ = ν/μ = 1
 * const runs = [0, 1, 2, 3, 4].map((k) => {
 *   const p = 1000 * 2 ** k;
 *   const step = Array.from({ length: 200 }, (_, i) => (30 * p) ** (i / 199));
 *   const cols = {
 *     step,
 *     compute: step.map((t) => 6 * t * p),
 *     train_loss: step.map((t) => 0.3 + t ** -0.5 + p ** -0.5),
 *   };
 *   const metrics = new Table("m.csv", Object.keys(cols), cols, step.length);
 *   return { id: `p=${p}`, status: "ok" as const, info: { n_params: `${p}` }, metrics };
 * });
 * const fit = computeOptimalHorizon(runs, {});
 * if ("reason" in fit) throw new Error(fit.reason);
 * assertEquals(fit.fitted, [2000, 4000, 8000]); // the smallest and largest size dropped
 * assertClose(fit.gamma, 1, 0.01);
 * ```
 */
export function computeOptimalHorizon(
  runs: RunData[],
  options: CheckOptions,
): HorizonFit | { reason: string } {
  const notes: string[] = [];
  const constant = runs.filter((r) => {
    const s = r.info.schedule;
    if (s !== undefined && s !== "" && s !== "constant") {
      notes.push(`excluded ${r.id} (schedule ${s})`);
      return false;
    }
    return true;
  });
  const ladder = prepareLadder(constant, options);
  if ("reason" in ladder) return ladder;
  notes.push(...ladder.notes.filter((n) => !n.startsWith("x axis")));
  const sixP = ladder.xColumn === "step";
  if (sixP) notes.push("compute = 6·p·step (no compute column)");
  if (ladder.sizes.length < 4) {
    return {
      reason: `needs ≥ 4 sizes (the smallest and largest are dropped), got ${ladder.sizes.length}`,
    };
  }
  const curves = sizeCurves(ladder, sixP).filter((s) => s.z.length >= 2);
  const f = (k: number, z: number) => interpolate(curves[k].z, curves[k].loss, z);
  const grid = [...new Set(curves.flatMap((s) => s.z))].sort((a, b) => a - b);
  const argmin = grid.map((z) => {
    let best = -1, bv = Infinity;
    curves.forEach((_, k) => {
      const v = f(k, z);
      if (v < bv) [best, bv] = [k, v];
    });
    return best;
  });
  const entry = new Map<number, number | null>(),
    exit = new Map<number, number | null>();
  const covers = (k: number, z: number) =>
    z >= curves[k].z[0] && z <= curves[k].z[curves[k].z.length - 1];
  for (let j = 0; j < grid.length; j++) {
    const b = argmin[j];
    if (b < 0) continue;
    const a = j > 0 ? argmin[j - 1] : -1;
    if (a === b) continue;
    if (!entry.has(b)) entry.set(b, null);
    if (a < 0) continue;
    if (
      covers(a, grid[j - 1]) && covers(a, grid[j]) && covers(b, grid[j - 1]) &&
      covers(b, grid[j])
    ) {
      let lo = grid[j - 1], hi = grid[j];
      for (
        let it = 0;
        it < 100 && hi - lo > 1e-15 * Math.max(1, Math.abs(hi));
        it++
      ) {
        const mid = (lo + hi) / 2;
        if (f(a, mid) <= f(b, mid)) lo = mid;
        else hi = mid;
      }
      const zc = (lo + hi) / 2;
      if (entry.get(b) === null && !exit.has(b)) entry.set(b, zc);
      exit.set(a, zc);
    } else {
      exit.set(a, null);
    }
  }
  const lastMin = argmin[argmin.length - 1];
  if (lastMin >= 0) exit.set(lastMin, null);
  const points: HorizonPoint[] = curves.map((s, k) => {
    const zin = entry.has(k) ? entry.get(k)! : null;
    const zout = exit.has(k) ? exit.get(k)! : null;
    const cStar = zin !== null && zout !== null ? Math.exp((zin + zout) / 2) : null;
    return {
      size: s.size,
      interval: [
        zin === null ? null : Math.exp(zin),
        zout === null ? null : Math.exp(zout),
      ],
      cStar,
      tStar: cStar === null ? null : s.stepAt(cStar),
    };
  });
  const smallest = ladder.sizes[0],
    largest = ladder.sizes[ladder.sizes.length - 1];
  const fittedPts = points.filter((p) =>
    p.cStar !== null && p.size !== smallest && p.size !== largest
  );
  const missing = points.filter((p) =>
    p.cStar === null && p.size !== smallest && p.size !== largest
  );
  if (missing.length) {
    notes.push(
      `no frontier interval for ${ladder.sizeKey} = ${missing.map((p) => fmt(p.size)).join(", ")}`,
    );
  }
  if (fittedPts.length < 2) {
    return {
      reason: `only ${fittedPts.length} interior sizes have a bounded frontier interval (need ≥ 2)${
        notes.length ? `; ${notes.join("; ")}` : ""
      }`,
    };
  }
  const lp = fittedPts.map((p) => Math.log(p.size));
  const line = fitLine(lp, fittedPts.map((p) => Math.log(p.cStar!)));
  const gamma = line.slope - 1;
  const ks = fittedPts.filter((p) => p.tStar !== null && p.tStar > 0);
  const kappaSteps = ks.length
    ? Math.exp(
      mean(ks.map((p) => Math.log(p.tStar!) - gamma * Math.log(p.size))),
    )
    : NaN;
  return {
    gamma,
    kappa: Math.exp(line.intercept),
    kappaSteps,
    r2: line.r2,
    points,
    fitted: fittedPts.map((p) => p.size),
    notes,
  };
}

function frameOf(options: CheckOptions): OutcomeFrame {
  const e = optionalNumber(options, "expectedGamma");
  const tol = numberOption(options, "tolerance", 0.01);
  return {
    statistic: "gamma in c*(p) = kappa p^(1+gamma)",
    expected: e === undefined ? `R2 >= ${fmt(numberOption(options, "minR2", 0.95))}` : fmt(e),
    tolerance: e === undefined ? "" : `${fmt(tol)} relative`,
  };
}

function evaluate(input: CheckInput, options: CheckOptions): CheckOutcome[] {
  const frame = frameOf(options);
  const expected = optionalNumber(options, "expectedGamma");
  const tol = numberOption(options, "tolerance", 0.01);
  const minR2 = numberOption(options, "minR2", 0.95);
  const h = computeOptimalHorizon(input.runs, options);
  if ("reason" in h) return [outcome("*", frame, null, "skip", h.reason)];
  let ok: boolean, why: string;
  if (expected !== undefined) {
    const rel = Math.abs(h.gamma - expected) / Math.abs(expected);
    ok = rel <= tol;
    why = `expected ${fmt(expected)}: relative error ${fmt(rel)} (allowed ${fmt(tol)})`;
  } else {
    ok = h.r2 >= minR2;
    why = `no expectedGamma: log-log R² = ${fmt(h.r2)} (need ≥ ${fmt(minR2)})`;
  }
  const pts = h.points.filter((p) => h.fitted.includes(p.size))
    .map((p) => `${fmt(p.size)}: c* = ${fmt(p.cStar)}`).join(", ");
  const detail = `gamma=${fmt(h.gamma, 6)} kappa=${fmt(h.kappa, 6)} kappa_steps=${
    fmt(h.kappaSteps, 6)
  }; ${why}; fitted sizes ${pts} (R² = ${fmt(h.r2)})${
    h.notes.length ? `; ${h.notes.join("; ")}` : ""
  }`;
  return [outcome("*", frame, h.gamma, ok ? "pass" : "fail", detail)];
}

/**
 * The `compute_optimal_horizon` check (one outcome for the experiment).
 *
 * @example
 * ```ts
 * import { computeOptimalHorizonCheck } from "./compute_optimal_horizon.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(computeOptimalHorizonCheck.evaluate({ experiment: "e", runs: [] }, {})[0].verdict, "skip");
 * ```
 */
export const computeOptimalHorizonCheck: Check = {
  name: "compute_optimal_horizon",
  description: "Pareto frontier of loss vs compute gives c*(p) = κ·p^(1+γ)",
  optionsSchema: z.strictObject({
    expectedGamma: z.number().optional().describe("γ the fit must recover (relative tolerance)"),
    tolerance: z.number().positive().optional().describe("relative tolerance on γ (0.01)"),
    minR2: z.number().optional().describe("without expectedGamma: R² of the log-log fit (0.95)"),
    params: z.string().min(1).optional().describe("runs.csv key of the model size (n_params)"),
    seed: z.string().min(1).optional().describe("runs.csv key of the seed (seed)"),
    compute: z.string().min(1).optional().describe(
      "compute column (default compute, else 6·p·step)",
    ),
    loss: z.string().min(1).optional().describe("loss column (test_loss, else train_loss)"),
  }),
  evaluate: guarded(frameOf, evaluate),
};
