/**
 * The shared analysis of the collapse family (SPEC §7, Qiu et al. 2025,
 * Eqs. 1–3): a ladder of model sizes p with seeds ω; normalised curves
 * ℓ(x, p, ω) = [L(x·c_final) − L̂] / [L(c_final) − L̂] on a common grid of
 * x = c/c_final; the collapse deviation Δ(x) = sd_{p,ω}[ℓ]/mean_{p,ω}[ℓ]
 * (pooled over all runs, ddof 1); the noise floor
 * σ(x, p) = sd_ω[L − L̂]/mean_ω[L − L̂] (raw L at x, per size) and σ̄(x) its
 * mean over sizes.
 *
 * Inputs per run: the `compute` column (option `compute`) as the x axis —
 * `step` when there is none, said in the notes — and the loss column (option
 * `loss`; default `test_loss` when measured, else `train_loss`). Size: option
 * `params` (a runs.csv key such as `model.width`; default `n_params`). Seed:
 * option `seed` (default `seed`). Grid: x = k/`gridPoints` (default 100),
 * k = 1..gridPoints, from the largest first-measured x of any run up to 1.
 * L̂: option `l0`, else the power-law fit {@linkcode fitPowerLawL0} on the
 * seed-averaged final (compute, loss) per size (needs ≥ 3 sizes; with fewer,
 * L̂ = 0 and the notes say so).
 *
 * Ratio convention: Δ/σ̄ is 0 when Δ = 0 (even if σ̄ = 0), +∞ when only
 * σ̄ = 0.
 *
 * @example
 * ```ts
 * import { collapseDeviation } from "./collapse.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(collapseDeviation([[1, 2], [1, 2]]), [0, 0]);
 * ```
 * @module
 */
import type { CheckOptions, RunData } from "./types.ts";
import { divergence, fmt, infoNumber, optionalNumber, series, stringOption } from "./common.ts";
import { fitLine, huber, interpolate, mean, nelderMead, sd } from "./stats.ts";
import { rngFor } from "../rng.ts";

/** One run of a ladder, ready for the collapse analysis. */
export interface LadderRun {
  /** Run id. */
  id: string;
  /** Model size (numeric value of the size key). */
  size: number;
  /** Seed label. */
  seed: string;
  /** Raw x-axis values (compute, or step), ascending. */
  c: number[];
  /** Normalised x = c/c_final. */
  x: number[];
  /** Loss at each point. */
  loss: number[];
  /** Final compute c_final (x = 1). */
  cFinal: number;
  /** Step at each point (when the run has a step column). */
  step: number[] | null;
  /** Learning rate at each point (when measured). */
  lr: number[] | null;
  /** τ = Σ η_t at each point (`tau` column, else integrated from lr). */
  tau: number[] | null;
  /** The run as given. */
  run: RunData;
}

/** A ladder of runs grouped by size and seed. */
export interface Ladder {
  /** Runs used. */
  runs: LadderRun[];
  /** Distinct sizes, ascending. */
  sizes: number[];
  /** The runs.csv key of the size. */
  sizeKey: string;
  /** The runs.csv key of the seed. */
  seedKey: string;
  /** The loss column used. */
  lossColumn: string;
  /** The x-axis column used (compute or step). */
  xColumn: string;
  /** Remarks (excluded runs, fallbacks). */
  notes: string[];
}

/**
 * Resolves the runs.csv key that holds the model size: option `params`, else
 * `n_params` when every run has a numeric value for it.
 *
 * @example
 * ```ts
 * import { sizeKeyOf } from "./collapse.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const runs = [{ id: "a", status: "ok" as const, info: { n_params: "100" }, metrics: null }];
 * assertEquals(sizeKeyOf(runs, {}), "n_params");
 * assertEquals(sizeKeyOf(runs, { params: "model.width" }), "model.width");
 * ```
 */
export function sizeKeyOf(
  runs: RunData[],
  options: CheckOptions,
): string | null {
  const given = stringOption(options, "params");
  if (given) return given;
  const ok = runs.filter((r) => r.status === "ok");
  return ok.length > 0 &&
      ok.every((r) => infoNumber(r.info, "n_params") !== null)
    ? "n_params"
    : null;
}

/**
 * τ = Σ_t η_t at each row: the `tau` column when present, else the lr column
 * integrated over steps (τ_i = τ_{i−1} + η_i·(s_i − s_{i−1}), τ_0 = η_0·s_0).
 *
 * @example
 * ```ts
 * import { integrateLr } from "./collapse.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(integrateLr([1, 2, 4], [0.5, 0.5, 0.25]), [0.5, 1, 1.5]);
 * ```
 */
export function integrateLr(
  step: readonly number[],
  lr: readonly number[],
): number[] {
  const out: number[] = [];
  let acc = 0;
  for (let i = 0; i < step.length; i++) {
    acc += lr[i] * (i === 0 ? step[0] : step[i] - step[i - 1]);
    out.push(acc);
  }
  return out;
}

/**
 * Builds a ladder from runs: reads columns, drops unusable runs (with notes),
 * checks sizes. Returns a reason instead when no ladder can be built.
 *
 * @example
 * ```ts
 * import { prepareLadder } from "./collapse.ts";
 * import { tableFromCsv } from "../results/table.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(prepareLadder([], {}), { reason: "no runs" });
 * const metrics = tableFromCsv("compute,train_loss\n50,2.5\n100,1.5\n", "m.csv");
 * const ladder = prepareLadder([{ id: "r", status: "ok", info: { n_params: "10" }, metrics }], {});
 * if ("reason" in ladder) throw new Error(ladder.reason);
 * assertEquals([ladder.sizes, ladder.xColumn, ladder.lossColumn], [[10], "compute", "train_loss"]);
 * assertEquals(ladder.runs[0].x, [0.5, 1]);
 * ```
 */
export function prepareLadder(
  runs: RunData[],
  options: CheckOptions,
): Ladder | { reason: string } {
  if (runs.length === 0) return { reason: "no runs" };
  const sizeKey = sizeKeyOf(runs, options);
  if (!sizeKey) {
    return {
      reason:
        "no model size: give option params (a runs.csv key such as model.width) or record n_params",
    };
  }
  const seedKey = stringOption(options, "seed", "seed")!;
  const computeCol = stringOption(options, "compute", "compute")!;
  const givenLoss = stringOption(options, "loss");
  const notes: string[] = [];
  const out: LadderRun[] = [];
  let lossColumn = givenLoss ?? "";
  let xColumn = "";
  for (const run of runs) {
    const t = run.metrics;
    if (run.status !== "ok" || !t) {
      notes.push(`excluded ${run.id} (status ${run.status})`);
      continue;
    }
    const size = infoNumber(run.info, sizeKey);
    if (size === null) {
      return {
        reason: `run ${run.id}: ${sizeKey} = "${run.info[sizeKey] ?? ""}" is not a number`,
      };
    }
    const lossCol = givenLoss ??
      (t.has("test_loss") && t.column("test_loss").some((v) => v !== null)
        ? "test_loss"
        : "train_loss");
    if (!t.has(lossCol)) {
      return { reason: `run ${run.id}: no ${lossCol} column` };
    }
    if (lossColumn === "") lossColumn = lossCol;
    const xc = t.has(computeCol) ? computeCol : "step";
    if (!t.has(xc)) {
      return { reason: `run ${run.id}: no ${computeCol} or step column` };
    }
    if (xColumn === "") xColumn = xc;
    const d = divergence(run, [lossCol]);
    if (d) {
      notes.push(`excluded ${run.id} (${d})`);
      continue;
    }
    const s = series(t, xc, lossCol);
    if (s.x.length < 2) {
      return {
        reason: `run ${run.id}: fewer than 2 measurements of ${lossCol}`,
      };
    }
    const cFinal = s.x[s.x.length - 1];
    if (!(cFinal > 0)) {
      return { reason: `run ${run.id}: final ${xc} is ${cFinal}, need > 0` };
    }
    let step: number[] | null = null,
      lr: number[] | null = null,
      tau: number[] | null = null;
    if (t.has("step")) {
      const st = t.column("step"),
        xcol = t.column(xc),
        lcol = t.column(lossCol);
      const lrCol = t.has("lr") ? t.column("lr") : null;
      const tauCol = t.has("tau") ? t.column("tau") : null;
      const rows: number[] = [];
      for (let i = 0; i < t.length; i++) {
        if (xcol[i] !== null && lcol[i] !== null && st[i] !== null) {
          rows.push(i);
        }
      }
      if (rows.length === s.x.length) {
        step = rows.map((i) => st[i] as number);
        if (lrCol && rows.every((i) => lrCol[i] !== null)) {
          lr = rows.map((i) => lrCol[i] as number);
        }
        if (tauCol && rows.every((i) => tauCol[i] !== null)) {
          tau = rows.map((i) => tauCol[i] as number);
        } else if (lr) {
          // integrate lr over every logged row, then pick the measured ones
          const all: number[] = [],
            allLr: number[] = [],
            at = new Map<number, number>();
          for (let i = 0; i < t.length; i++) {
            if (st[i] !== null && lrCol![i] !== null) {
              at.set(i, all.length);
              all.push(st[i] as number);
              allLr.push(lrCol![i] as number);
            }
          }
          const cum = integrateLr(all, allLr);
          tau = rows.map((i) => cum[at.get(i)!]);
        }
      }
    }
    out.push({
      id: run.id,
      size,
      seed: run.info[seedKey] ?? run.id,
      c: s.x,
      x: s.x.map((v) => v / cFinal),
      loss: s.y,
      cFinal,
      step,
      lr,
      tau,
      run,
    });
  }
  if (xColumn === "step") notes.push(`x axis = step (no ${computeCol} column)`);
  const sizes = [...new Set(out.map((r) => r.size))].sort((a, b) => a - b);
  if (out.length === 0) {
    return { reason: `no usable runs (${notes.join("; ")})` };
  }
  return { runs: out, sizes, sizeKey, seedKey, lossColumn, xColumn, notes };
}

/** Runs of a ladder grouped by size (ascending). */
export function bySize(ladder: Ladder): { size: number; runs: LadderRun[] }[] {
  return ladder.sizes.map((size) => ({
    size,
    runs: ladder.runs.filter((r) => r.size === size),
  }));
}

/**
 * The seed-averaged final (compute, loss) per size.
 *
 * @example
 * ```ts
 * import { finalPoints, prepareLadder } from "./collapse.ts";
 * import { tableFromCsv } from "../results/table.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * // sizes n = 10, 20, 40, two seeds each; loss L(c) = 0.5 + 100/c up to c = 10·n
 * const runs = [10, 20, 40].flatMap((n) => ["0", "1"].map((seed) => ({
 *   id: `n${n}s${seed}`, status: "ok" as const, info: { n_params: `${n}`, seed },
 *   metrics: tableFromCsv(`compute,train_loss\n${5 * n},${0.5 + 20 / n}\n${10 * n},${0.5 + 10 / n}`, "m.csv"),
 * })));
 * const ladder = prepareLadder(runs, {});
 * if ("reason" in ladder) throw new Error(ladder.reason);
 * assertEquals(finalPoints(ladder), [
 *   { size: 10, compute: 100, loss: 1.5 },
 *   { size: 20, compute: 200, loss: 1 },
 *   { size: 40, compute: 400, loss: 0.75 },
 * ]);
 * ```
 */
export function finalPoints(
  ladder: Ladder,
): { size: number; compute: number; loss: number }[] {
  return bySize(ladder).map(({ size, runs }) => ({
    size,
    compute: mean(runs.map((r) => r.cFinal)),
    loss: mean(runs.map((r) => r.loss[r.loss.length - 1])),
  }));
}

/** A fitted power law L = a·c^(−b) + L0. */
export interface PowerLawFit {
  /** Prefactor a ≥ 0. */
  a: number;
  /** Exponent b ≥ 0. */
  b: number;
  /** Irreducible loss L0 ≥ 0. */
  l0: number;
  /** Final Huber objective. */
  objective: number;
}

/**
 * Fits L = a·c^(−b) + L0 (a, b, L0 ≥ 0) by minimising the Huber loss
 * (δ = `delta`, default 1e-3) of the log residuals log(model) − log(L),
 * Nelder–Mead from several starts (L0 at 0, 50, 80, 90, 95, 99% of the smallest
 * loss, a and b from a log-log line at that L0), each polished twice.
 * Needs ≥ 3 points.
 *
 * @example
 * ```ts
 * import { fitPowerLawL0 } from "./collapse.ts";
 * const c = [1e3, 1e4, 1e5, 1e6];
 * import { assertClose } from "../../tests/assert.ts";
 * const fit = fitPowerLawL0(c, c.map((x) => 2 * x ** -0.3 + 0.5));
 * assertClose(fit.l0, 0.5, 1e-6);
 * assertClose(fit.b, 0.3, 1e-6);
 * ```
 */
export function fitPowerLawL0(
  compute: readonly number[],
  loss: readonly number[],
  delta = 1e-3,
  start?: PowerLawFit,
): PowerLawFit {
  if (compute.length < 3) {
    throw new Error("power-law fit of L0 needs ≥ 3 points");
  }
  const lc = compute.map(Math.log);
  const ref = mean(lc);
  const u = lc.map((v) => v - ref);
  const ll = loss.map(Math.log);
  const minL = Math.min(...loss);
  // params: [log A, sqrt b, sqrt(L0/minL)], model A·exp(−b·u) + L0
  const unpack = (p: number[]) => ({
    A: Math.exp(p[0]),
    b: p[1] * p[1],
    l0: minL * p[2] * p[2],
  });
  const objective = (p: number[]) => {
    const { A, b, l0 } = unpack(p);
    let s = 0;
    for (let i = 0; i < u.length; i++) {
      s += huber(Math.log(A * Math.exp(-b * u[i]) + l0) - ll[i], delta);
    }
    return s;
  };
  let best: { x: number[]; value: number } | null = null;
  if (start) {
    // warm start (bootstrap refits): one run from the given fit, polished once
    const f0 = Math.min(start.l0 / minL, 0.999);
    let r = nelderMead(objective, [
      Math.log(Math.max(start.a, 1e-300)) - start.b * ref,
      Math.sqrt(start.b),
      Math.sqrt(Math.max(f0, 0)),
    ], { fTol: 1e-22, xTol: 1e-11, maxIter: 3000 });
    r = nelderMead(objective, r.x, { fTol: 1e-22, xTol: 1e-11, maxIter: 3000 });
    const { A, b, l0 } = unpack(r.x);
    return { a: A * Math.exp(b * ref), b, l0, objective: r.value };
  }
  for (const f of [0, 0.5, 0.8, 0.9, 0.95, 0.99]) {
    const l0 = f * minL;
    const line = fitLine(u, loss.map((v) => Math.log(v - l0)));
    const b = line.slope < 0 ? -line.slope : 0.5;
    let x = [line.intercept, Math.sqrt(b), Math.sqrt(f)];
    let r = nelderMead(objective, x, {
      fTol: 1e-22,
      xTol: 1e-11,
      maxIter: 3000,
    });
    for (let k = 0; k < 2; k++) {
      x = r.x;
      r = nelderMead(objective, x, { fTol: 1e-22, xTol: 1e-11, maxIter: 3000 });
    }
    if (best === null || r.value < best.value) best = r;
  }
  const { A, b, l0 } = unpack(best!.x);
  return { a: A * Math.exp(b * ref), b, l0, objective: best!.value };
}

/**
 * Collapse deviation per grid point: sd/mean (ddof 1) of the values in each
 * column of `values` (rows = runs, columns = grid points).
 *
 * @example
 * ```ts
 * import { collapseDeviation } from "./collapse.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * // column 2: sd(1, 3) / mean(1, 3) = √2 / 2
 * assertEquals(collapseDeviation([[1, 1], [1, 3]]), [0, Math.SQRT2 / 2]);
 * ```
 */
export function collapseDeviation(
  values: readonly (readonly number[])[],
): number[] {
  const n = values[0]?.length ?? 0;
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    const col = values.map((r) => r[k]);
    const s = sd(col, 1), m = mean(col);
    out.push(s === 0 ? 0 : s / m);
  }
  return out;
}

/**
 * Δ/σ̄ with the convention 0/0 = 0 (a perfect collapse) and Δ/0 = +∞.
 *
 * @example
 * ```ts
 * import { collapseRatio } from "./collapse.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(collapseRatio(0, 0), 0);
 * assertEquals(collapseRatio(0.1, 0.2), 0.5);
 * assertEquals(collapseRatio(0.1, 0), Infinity);
 * ```
 */
export function collapseRatio(delta: number, sigma: number): number {
  if (Number.isNaN(delta) || Number.isNaN(sigma)) return NaN;
  if (delta === 0) return 0;
  return sigma === 0 ? Infinity : delta / sigma;
}

/** The curves on the common grid. */
export interface CollapseCurves {
  /** L̂ used. */
  l0: number;
  /** Grid of x = c/c_final. */
  grid: number[];
  /** ℓ(x) per ladder run (same order as ladder.runs). */
  ell: number[][];
  /** Raw L(x) per ladder run. */
  lossAt: number[][];
  /** Δ(x). */
  delta: number[];
  /** σ(x, p) per size (NaN where a size has < 2 seeds). */
  sigmaBySize: { size: number; seeds: number; sigma: number[] }[];
  /** σ̄(x) = mean over sizes of σ(x, p) (NaN when any size has < 2 seeds). */
  sigma: number[];
  /** Δ/σ̄ per grid point ({@linkcode collapseRatio}). */
  ratio: number[];
}

/**
 * The grid of x = k/n (k = 1..n) from the largest first-measured x of any
 * run up to 1.
 *
 * @example
 * ```ts
 * import { collapseGrid } from "./collapse.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(collapseGrid(0.5, 4), [0.5, 0.75, 1]);
 * ```
 */
export function collapseGrid(lo: number, n: number): number[] {
  const g: number[] = [];
  for (let k = 1; k <= n; k++) if (k / n >= lo - 1e-12) g.push(k / n);
  return g;
}

/**
 * Normalised curves, Δ, σ and σ̄ for a ladder at a given L̂.
 *
 * @example
 * ```ts
 * import { collapseCurves, prepareLadder } from "./collapse.ts";
 * import { tableFromCsv } from "../results/table.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * // sizes n = 10, 20, 40, two seeds each; loss L(c) = 0.5 + 100/c up to c = 10·n
 * const runs = [10, 20, 40].flatMap((n) => ["0", "1"].map((seed) => ({
 *   id: `n${n}s${seed}`, status: "ok" as const, info: { n_params: `${n}`, seed },
 *   metrics: tableFromCsv(`compute,train_loss\n${5 * n},${0.5 + 20 / n}\n${10 * n},${0.5 + 10 / n}`, "m.csv"),
 * })));
 * const ladder = prepareLadder(runs, {});
 * if ("reason" in ladder) throw new Error(ladder.reason);
 * const curves = collapseCurves(ladder, 0.5, 2);
 * assertEquals(curves.grid, [0.5, 1]);
 * assertEquals(curves.ell[0], [2, 1]); // ℓ(x) = 1/x for every run at L̂ = L0
 * assertEquals(curves.delta, [0, 0]); // a perfect collapse
 * ```
 */
export function collapseCurves(
  ladder: Ladder,
  l0: number,
  gridPoints = 100,
): CollapseCurves {
  const lo = Math.max(...ladder.runs.map((r) => r.x[0]));
  const grid = collapseGrid(lo, gridPoints);
  const lossAt = ladder.runs.map((r) => grid.map((g) => interpolate(r.x, r.loss, g)));
  const ell = ladder.runs.map((r, i) => {
    const den = r.loss[r.loss.length - 1] - l0;
    return lossAt[i].map((v) => (v - l0) / den);
  });
  const delta = ladder.runs.length >= 2 ? collapseDeviation(ell) : grid.map(() => NaN);
  const sigmaBySize = bySize(ladder).map(({ size, runs }) => {
    const idx = runs.map((r) => ladder.runs.indexOf(r));
    const sigma = idx.length < 2
      ? grid.map(() => NaN)
      : collapseDeviation(idx.map((i) => lossAt[i].map((v) => v - l0)));
    return { size, seeds: idx.length, sigma };
  });
  const sigma = grid.map((_, k) => mean(sigmaBySize.map((s) => s.sigma[k])));
  const ratio = grid.map((_, k) => collapseRatio(delta[k], sigma[k]));
  return { l0, grid, ell, lossAt, delta, sigmaBySize, sigma, ratio };
}

/** L̂ and where it came from. */
export interface L0Choice {
  /** The value. */
  l0: number;
  /**
   * "given" (option l0), "fitted" (power law), "zero" (too few sizes to fit)
   * or "nocompute" (no compute column: the power law in compute cannot be fitted).
   */
  source: "given" | "fitted" | "zero" | "nocompute";
  /** The fit, when fitted. */
  fit?: PowerLawFit;
}

/**
 * Chooses L̂: option `l0`, else the power-law fit on the seed-averaged finals
 * (≥ 3 sizes, and a compute column: the law is in compute), else 0.
 *
 * @example
 * ```ts
 * import { chooseL0, prepareLadder } from "./collapse.ts";
 * import { tableFromCsv } from "../results/table.ts";
 * import { assertClose, assertEquals } from "../../tests/assert.ts";
 * // sizes n = 10, 20, 40, two seeds each; loss L(c) = 0.5 + 100/c up to c = 10·n
 * const runs = [10, 20, 40].flatMap((n) => ["0", "1"].map((seed) => ({
 *   id: `n${n}s${seed}`, status: "ok" as const, info: { n_params: `${n}`, seed },
 *   metrics: tableFromCsv(`compute,train_loss\n${5 * n},${0.5 + 20 / n}\n${10 * n},${0.5 + 10 / n}`, "m.csv"),
 * })));
 * const ladder = prepareLadder(runs, {});
 * if ("reason" in ladder) throw new Error(ladder.reason);
 * assertEquals(chooseL0(ladder, { l0: 0.3 }), { l0: 0.3, source: "given" });
 * const fitted = chooseL0(ladder, {});
 * assertEquals(fitted.source, "fitted");
 * assertClose(fitted.l0, 0.5, 1e-6);
 * ```
 */
export function chooseL0(ladder: Ladder, options: CheckOptions): L0Choice {
  const given = optionalNumber(options, "l0");
  if (given !== undefined) return { l0: given, source: "given" };
  const pts = finalPoints(ladder);
  if (pts.length < 3) return { l0: 0, source: "zero" };
  if (ladder.xColumn === "step") return { l0: 0, source: "nocompute" };
  const fit = fitPowerLawL0(pts.map((p) => p.compute), pts.map((p) => p.loss));
  return { l0: fit.l0, source: "fitted", fit };
}

/**
 * Describes L̂ for a detail line.
 *
 * @example
 * ```ts
 * import { describeL0 } from "./collapse.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(describeL0({ l0: 0.5, source: "given" }), "L̂ = 0.5 (given)");
 * ```
 */
export function describeL0(c: L0Choice): string {
  if (c.source === "given") return `L̂ = ${fmt(c.l0)} (given)`;
  if (c.source === "zero") return `L̂ = 0 (fewer than 3 sizes to fit L0)`;
  if (c.source === "nocompute") {
    return `L̂ = 0 (no compute column: L0 cannot be fitted; give l0)`;
  }
  return `L̂ = ${fmt(c.l0)} (fitted L = a·c^-b + L0, b = ${fmt(c.fit!.b)})`;
}

/** A full collapse analysis: ladder, L̂ and curves. */
export interface CollapseAnalysis {
  /** The ladder. */
  ladder: Ladder;
  /** L̂. */
  l0: L0Choice;
  /** Curves on the grid. */
  curves: CollapseCurves;
}

/**
 * Ladder + L̂ + curves in one call, or a reason why not.
 *
 * @example
 * ```ts
 * import { analyseCollapse } from "./collapse.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(analyseCollapse([], {}), { reason: "no runs" });
 * ```
 */
export function analyseCollapse(
  runs: RunData[],
  options: CheckOptions,
): CollapseAnalysis | { reason: string } {
  const ladder = prepareLadder(runs, options);
  if ("reason" in ladder) return ladder;
  const gp = options.gridPoints;
  if (
    gp !== undefined &&
    !(typeof gp === "number" && Number.isInteger(gp) && gp >= 2)
  ) {
    return {
      reason: `option gridPoints: expected an integer ≥ 2, got ${JSON.stringify(gp)}`,
    };
  }
  const l0 = chooseL0(ladder, options);
  return {
    ladder,
    l0,
    curves: collapseCurves(ladder, l0.l0, (gp as number | undefined) ?? 100),
  };
}

/**
 * Why a ladder cannot give a noise floor (a size with fewer than 2 seeds, or
 * fewer than 2 sizes), or null.
 *
 * @example
 * ```ts
 * import { prepareLadder, seedShortage } from "./collapse.ts";
 * import { tableFromCsv } from "../results/table.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * // sizes n = 10, 20, 40, two seeds each; loss L(c) = 0.5 + 100/c up to c = 10·n
 * const runs = [10, 20, 40].flatMap((n) => ["0", "1"].map((seed) => ({
 *   id: `n${n}s${seed}`, status: "ok" as const, info: { n_params: `${n}`, seed },
 *   metrics: tableFromCsv(`compute,train_loss\n${5 * n},${0.5 + 20 / n}\n${10 * n},${0.5 + 10 / n}`, "m.csv"),
 * })));
 * const ladder = prepareLadder(runs, {});
 * const short = prepareLadder(runs.slice(1), {}); // n = 10 keeps one seed
 * if ("reason" in ladder || "reason" in short) throw new Error("no ladder");
 * assertEquals(seedShortage(ladder), null);
 * assertEquals(
 *   seedShortage(short),
 *   "size n_params=10 has 1 seed (n10s1): the noise floor σ needs ≥ 2 seeds per size",
 * );
 * ```
 */
export function seedShortage(ladder: Ladder): string | null {
  if (ladder.sizes.length < 2) {
    return `only ${ladder.sizes.length} size (${ladder.sizeKey} = ${
      ladder.sizes.join(", ")
    }): collapse needs ≥ 2 sizes`;
  }
  for (const { size, runs } of bySize(ladder)) {
    const seeds = new Set(runs.map((r) => r.seed));
    if (seeds.size < 2) {
      return `size ${ladder.sizeKey}=${size} has ${seeds.size} seed (${
        runs.map((r) => r.id).join(", ")
      }): the noise floor σ needs ≥ 2 seeds per size`;
    }
  }
  return null;
}

/**
 * Indices of grid points inside [lo, hi] (inclusive, 1e-9 slack).
 *
 * @example
 * ```ts
 * import { gridRange } from "./collapse.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(gridRange([0.2, 0.3, 0.9, 1], [0.25, 0.95]), [1, 2]);
 * ```
 */
export function gridRange(
  grid: readonly number[],
  [lo, hi]: readonly [number, number],
): number[] {
  const out: number[] = [];
  grid.forEach((x, i) => {
    if (x >= lo - 1e-9 && x <= hi + 1e-9) out.push(i);
  });
  return out;
}

// ------------------------------------------------- bootstrap over seeds

/**
 * Bootstrap resamples of a ladder over seeds: each resample draws, for every
 * size, as many runs as that size has, with replacement, from that size's
 * runs. Returns run-index lists into `ladder.runs`. Deterministic: the stream
 * is {@linkcode rngFor}(1, `purpose`, "bootstrap").
 *
 * @example
 * ```ts
 * import { bootstrapSeeds, prepareLadder } from "./collapse.ts";
 * import { tableFromCsv } from "../results/table.ts";
 * import { assertEquals, assertOk } from "../../tests/assert.ts";
 * // sizes n = 10, 20, 40, two seeds each: ladder.runs 0–1, 2–3, 4–5
 * const runs = [10, 20, 40].flatMap((n) => ["0", "1"].map((seed) => ({
 *   id: `n${n}s${seed}`, status: "ok" as const, info: { n_params: `${n}`, seed },
 *   metrics: tableFromCsv(`compute,train_loss\n${5 * n},${0.5 + 20 / n}\n${10 * n},${0.5 + 10 / n}`, "m.csv"),
 * })));
 * const ladder = prepareLadder(runs, {});
 * if ("reason" in ladder) throw new Error(ladder.reason);
 * const resamples = bootstrapSeeds(ladder, 3, "demo");
 * assertEquals(resamples.length, 3);
 * for (const pick of resamples) {
 *   assertEquals(pick.length, 6); // two draws per size, each from that size's runs
 *   assertOk(pick.every((i, k) => Math.floor(i / 2) === Math.floor(k / 2)));
 * }
 * assertEquals(bootstrapSeeds(ladder, 3, "demo"), resamples); // deterministic
 * ```
 */
export function bootstrapSeeds(
  ladder: Ladder,
  resamples: number,
  purpose: string,
): number[][] {
  const rng = rngFor(1, purpose, "bootstrap");
  const groups = bySize(ladder).map(({ runs }) => runs.map((r) => ladder.runs.indexOf(r)));
  const out: number[][] = [];
  for (let b = 0; b < resamples; b++) {
    const pick: number[] = [];
    for (const g of groups) {
      for (let k = 0; k < g.length; k++) pick.push(g[rng.int(g.length)]);
    }
    out.push(pick);
  }
  return out;
}

/** The power-law fit of L0 with its bootstrap-over-seeds interval. */
export interface L0Interval {
  /** The fit on the ladder as given. */
  l0: number;
  /** Lower end of the central `level` bootstrap interval. */
  lo: number;
  /** Upper end. */
  hi: number;
  /** Bootstrap standard deviation of the fitted L0. */
  sd: number;
  /** The fitted L0 of every resample (same order as the resamples). */
  samples: number[];
  /** Number of resamples. */
  resamples: number;
  /** Central coverage of [lo, hi] (e.g. 0.9). */
  level: number;
}

/**
 * Quantile q ∈ [0, 1] of a sample (linear interpolation between order
 * statistics, as numpy's default).
 *
 * @example
 * ```ts
 * import { quantile } from "./collapse.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(quantile([1, 2, 3, 4], 0.5), 2.5);
 * assertEquals(quantile([1, 2, 3, 4], 1), 4);
 * ```
 */
export function quantile(xs: readonly number[], q: number): number {
  const s = xs.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const h = (s.length - 1) * q, i = Math.floor(h);
  return i + 1 < s.length ? s[i] + (h - i) * (s[i + 1] - s[i]) : s[i];
}

/**
 * The power-law fit on the seed-averaged finals of `picks` (run indices
 * into `ladder.runs`; sizes with no pick are left out), warm-started from
 * `start` when given.
 *
 * @example
 * ```ts
 * import { fitL0On, prepareLadder } from "./collapse.ts";
 * import { tableFromCsv } from "../results/table.ts";
 * import { assertClose } from "../../tests/assert.ts";
 * // sizes n = 10, 20, 40, two seeds each; loss L(c) = 0.5 + 100/c up to c = 10·n
 * const runs = [10, 20, 40].flatMap((n) => ["0", "1"].map((seed) => ({
 *   id: `n${n}s${seed}`, status: "ok" as const, info: { n_params: `${n}`, seed },
 *   metrics: tableFromCsv(`compute,train_loss\n${5 * n},${0.5 + 20 / n}\n${10 * n},${0.5 + 10 / n}`, "m.csv"),
 * })));
 * const ladder = prepareLadder(runs, {});
 * if ("reason" in ladder) throw new Error(ladder.reason);
 * const fit = fitL0On(ladder, [0, 2, 4]); // one seed per size
 * assertClose(fit.l0, 0.5, 1e-6);
 * assertClose(fit.a, 100, 1e-6);
 * assertClose(fit.b, 1, 1e-6);
 * ```
 */
export function fitL0On(
  ladder: Ladder,
  picks: readonly number[],
  start?: PowerLawFit,
): PowerLawFit {
  const bySz = new Map<number, number[]>();
  for (const i of picks) {
    const r = ladder.runs[i];
    if (!bySz.has(r.size)) bySz.set(r.size, []);
    bySz.get(r.size)!.push(i);
  }
  const sizes = [...bySz.keys()].sort((a, b) => a - b);
  const c = sizes.map((s) => mean(bySz.get(s)!.map((i) => ladder.runs[i].cFinal)));
  const l = sizes.map((s) =>
    mean(bySz.get(s)!.map((i) => ladder.runs[i].loss[ladder.runs[i].loss.length - 1]))
  );
  return fitPowerLawL0(c, l, 1e-3, start);
}

/**
 * The power-law L0 of a ladder (≥ 3 sizes) and its bootstrap-over-seeds
 * interval: `resamples` resamples ({@linkcode bootstrapSeeds}), the central
 * `level` percentile interval of the refitted L0.
 *
 * @example
 * ```ts
 * import { l0Interval, prepareLadder } from "./collapse.ts";
 * import { tableFromCsv } from "../results/table.ts";
 * import { assertClose, assertEquals } from "../../tests/assert.ts";
 * // sizes n = 10, 20, 40, two identical seeds each; loss L(c) = 0.5 + 100/c up to c = 10·n
 * const runs = [10, 20, 40].flatMap((n) => ["0", "1"].map((seed) => ({
 *   id: `n${n}s${seed}`, status: "ok" as const, info: { n_params: `${n}`, seed },
 *   metrics: tableFromCsv(`compute,train_loss\n${5 * n},${0.5 + 20 / n}\n${10 * n},${0.5 + 10 / n}`, "m.csv"),
 * })));
 * const ladder = prepareLadder(runs, {});
 * if ("reason" in ladder) throw new Error(ladder.reason);
 * const iv = l0Interval(ladder, 20, 0.9);
 * assertClose(iv.l0, 0.5, 1e-6);
 * assertEquals([iv.samples.length, iv.sd], [20, 0]); // seeds agree: no spread
 * assertEquals([iv.lo, iv.hi], [iv.l0, iv.l0]);
 * // no resamples: the interval is the point estimate
 * const none = l0Interval(ladder, 0);
 * assertEquals([none.lo, none.hi, none.sd, none.samples.length], [none.l0, none.l0, 0, 0]);
 * ```
 */
export function l0Interval(
  ladder: Ladder,
  resamples = 200,
  level = 0.9,
): L0Interval {
  if (!(Number.isInteger(resamples) && resamples >= 0)) {
    throw new RangeError(`l0Interval: resamples must be a whole number ≥ 0, got ${resamples}`);
  }
  if (!(level > 0 && level <= 1)) {
    throw new RangeError(`l0Interval: level must be in (0, 1], got ${level}`);
  }
  const all = ladder.runs.map((_, i) => i);
  const full = fitL0On(ladder, all);
  const l0 = full.l0;
  const samples = bootstrapSeeds(ladder, resamples, "l0_interval").map((p) =>
    fitL0On(ladder, p, full).l0
  );
  const a = (1 - level) / 2;
  // no resamples: the interval is the point estimate alone (not NaN)
  return {
    l0,
    lo: samples.length ? Math.min(l0, quantile(samples, a)) : l0,
    hi: samples.length ? Math.max(l0, quantile(samples, 1 - a)) : l0,
    sd: samples.length > 1 ? sd(samples, 1) : 0,
    samples,
    resamples,
    level,
  };
}
