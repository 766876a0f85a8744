/**
 * The collapse-family checks built on {@linkcode analyseCollapse}
 * (SPEC §7, revised; Qiu et al. 2025).
 *
 * L̂ and its interval. Unless option `l0` is given, L̂ is the power-law L0
 * fitted on the seed-averaged finals of the ladder under test, and its
 * interval is the central `level` (0.9) percentile interval over `resamples`
 * (200) bootstrap resamples of the seeds within each size
 * ({@linkcode l0Interval}). `collapse` and `supercollapse` are evaluated at
 * the interval's lower end, at L̂ and at its upper end: the verdict is pass
 * (or fail) only when it is the same at all three; otherwise it is `skip`,
 * "the verdict depends on L̂ within the L0 fit's interval".
 *
 * - `collapse`: median of Δ/σ̄ over grid x ∈ `range` ([0.25, 0.95]) ≤
 *   `threshold` (1.5). With option `control` (a runs.csv selector such as
 *   `{ "budget.computeOptimal.gamma": 1.248 }`), the runs it selects are the
 *   matched negative control and the other runs the ladder under test; both
 *   are evaluated at the ladder's L̂ (and interval), and the check has power
 *   only when the control's median Δ is ≥ `controlFactor` (2) × the ladder's
 *   at every L̂ of the interval (SPEC §7, paper Fig. 4). Without power the
 *   verdict is `skip` ("no power"). `subject: "control"` makes the verdict
 *   the control's: fail when it has power and its median Δ/σ̄ exceeds the
 *   threshold at every L̂, pass when it stays below at every L̂. Without
 *   `control` the verdict is the plain one and the detail says that power
 *   was not shown.
 * - `supercollapse`: Δ(x) < σ̄(x) at every grid x ∈ [1 − `delta`, `upper`]
 *   (δ = 0.25, upper 0.95); statistic max Δ/σ̄ there (at L̂). Meant for a
 *   schedule that decays to zero; its negative control is the constant-LR
 *   ladder.
 * - `fit_l0`: scans L̂ ∈ [0, L_final,min) for the sharpest collapse under a
 *   scale-free objective, the relative spread of the excess: the median over
 *   grid x ∈ `range` of sd/|mean| across runs of ℓ(x) − 1 =
 *   [L(x) − L_final]/[L_final − L̂] (a common factor on every run's excess
 *   cancels, so L̂ → 0 is not favoured as it is by the raw spread of ℓ).
 *   200 equally spaced candidates, then golden-section refinement. Not
 *   identifiable (`skip`) when the objective stays within `flatTolerance`
 *   (10%) of its minimum over ≥ `maxFlatFraction` (0.5) of the scanned
 *   interval. Otherwise it compares the scanned L̂ with the power-law L0:
 *   pass when 0 lies in the central `level` (0.95) bootstrap-over-seeds
 *   interval of (L̂_scan − L0_fit), widened by 1e-3 × the scanned interval
 *   (the resolution floor of noise-free curves).
 * - `collapse_variance_scaling` (report): after the LR peak (grid x past the
 *   step where η reaches its peak, η < η_peak, x ≤ `upper` = 0.95), the
 *   log–log slope of Δ(x) on the predictor √(η̂(x)·(1 − τ̂(x))) (paper: 1),
 *   with a `level` (0.9) bootstrap-over-seeds interval; and the same slope on
 *   an alternative decreasing shape (`alternative`: "eta" = √η̂ (default),
 *   "tau" = 1 − τ̂, "x" = 1 − x). Statistic: the slope on the paper's
 *   predictor. Pass when its interval meets `band` ([0.8, 1.25], the
 *   equivalence margin around 1) and the alternative's interval does not
 *   (the test tells the two shapes apart). Option `use: "sigma"` tests σ̄
 *   instead of Δ. Skips when Δ ≤ `floor` (1e-9) everywhere after the peak.
 *
 * @example
 * ```ts
 * import { collapseCheck } from "./collapse_checks.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(collapseCheck.name, "collapse");
 * ```
 * @module
 */
import { z } from "zod";
import type { Check, CheckInput, CheckOptions, CheckOutcome, RunData } from "./types.ts";
import {
  analyseCollapse,
  bootstrapSeeds,
  bySize,
  type CollapseCurves,
  collapseCurves,
  fitL0On,
  gridRange,
  l0Interval,
  type Ladder,
  prepareLadder,
  quantile,
  seedShortage,
} from "./collapse.ts";
import {
  bandOption,
  fmt,
  fmtBand,
  guarded,
  numberOption,
  optionalNumber,
  OptionError,
  outcome,
  type OutcomeFrame,
  stringOption,
} from "./common.ts";
import { fitLine, goldenSection, interpolate, mean, median, pearson } from "./stats.ts";

// ------------------------------------------------------------ option schemas

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
const Band = z.tuple([z.number(), z.number()]);

/** Options every ladder-reading check accepts (columns, L̂, grid). */
const LADDER_OPTIONS = {
  params: z.string().min(1).optional().describe(
    "runs.csv key of the model size (default n_params)",
  ),
  seed: z.string().min(1).optional().describe("runs.csv key of the seed (default seed)"),
  compute: z.string().min(1).optional().describe("metrics column of the x axis (default compute)"),
  loss: z.string().min(1).optional().describe("loss column (default test_loss, else train_loss)"),
  gridPoints: z.int().min(2).optional().describe("grid x = k/n, k = 1..n (default 100)"),
};
const L0_OPTIONS = {
  l0: z.number().optional().describe("L̂ (default: power-law fit on the finals)"),
  resamples: z.int().min(0).optional().describe("bootstrap resamples over seeds (default 200)"),
  level: z.number().gt(0).lt(1).optional().describe("coverage of the L0 interval (default 0.9)"),
};

// ------------------------------------------------------------------ helpers

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
  curves: CollapseCurves,
  xs: number[],
  label: string,
  values: number[],
): string {
  return xs.map((x) => {
    const i = curves.grid.findIndex((g) => Math.abs(g - x) < 1e-9);
    return i < 0 ? "" : `${label}(${x}) = ${fmt(values[i], 3)}`;
  }).filter((s) => s).join(", ");
}

function gridPointsOf(options: CheckOptions): number {
  const gp = options.gridPoints;
  if (gp === undefined) return 100;
  if (!(typeof gp === "number" && Number.isInteger(gp) && gp >= 2)) {
    throw new OptionError("gridPoints", `expected an integer ≥ 2, got ${JSON.stringify(gp)}`);
  }
  return gp;
}

/** Whether a run's runs.csv values match a selector (numbers numerically). */
function selects(
  info: Record<string, string>,
  sel: Record<string, string | number | boolean>,
): boolean {
  return Object.entries(sel).every(([k, v]) => {
    const cell = info[k];
    if (cell === undefined) return false;
    return typeof v === "number" ? cell.trim() !== "" && Number(cell) === v : cell === String(v);
  });
}

function selectorOption(
  options: CheckOptions,
  key: string,
): Record<string, string | number | boolean> | undefined {
  const v = options[key];
  if (v === undefined) return undefined;
  const r = z.record(z.string(), Scalar).safeParse(v);
  if (!r.success || Object.keys(r.data).length === 0) {
    throw new OptionError(
      key,
      `expected a non-empty runs.csv selector such as { "model.parametrization": "sp" }, got ${
        JSON.stringify(v)
      }`,
    );
  }
  return r.data;
}

/** L̂ with the interval the verdicts are evaluated across. */
interface L0Span {
  l0: number;
  lo: number;
  hi: number;
  text: string;
}

function l0Span(ladder: Ladder, options: CheckOptions): L0Span {
  const given = optionalNumber(options, "l0");
  if (given !== undefined) {
    return { l0: given, lo: given, hi: given, text: `L̂ = ${fmt(given)} (given)` };
  }
  if (ladder.sizes.length < 3) {
    return { l0: 0, lo: 0, hi: 0, text: "L̂ = 0 (fewer than 3 sizes to fit L0)" };
  }
  if (ladder.xColumn === "step") {
    return {
      l0: 0,
      lo: 0,
      hi: 0,
      text: "L̂ = 0 (no compute column: L0 cannot be fitted; give l0)",
    };
  }
  const resamples = numberOption(options, "resamples", 200);
  if (!(Number.isInteger(resamples) && resamples >= 0)) {
    throw new OptionError("resamples", `expected a whole number ≥ 0, got ${resamples}`);
  }
  const level = numberOption(options, "level", 0.9);
  if (!(level > 0 && level <= 1)) {
    throw new OptionError("level", `expected a coverage in (0, 1], got ${level}`);
  }
  const iv = l0Interval(ladder, resamples, level);
  return {
    l0: iv.l0,
    lo: iv.lo,
    hi: iv.hi,
    text: `L̂ = ${fmt(iv.l0)} (fitted L = a·c^-b + L0; ${fmt(100 * level, 3)}% bootstrap interval ${
      resamples > 0
        ? `[${fmt(iv.lo)}, ${fmt(iv.hi)}] over ${resamples} resamples of seeds`
        : "not computed"
    })`,
  };
}

function span3(s: L0Span): number[] {
  return [...new Set([s.lo, s.l0, s.hi])].sort((a, b) => a - b);
}

function minFinal(ladder: Ladder): number {
  return Math.min(...ladder.runs.map((r) => r.loss[r.loss.length - 1]));
}

interface RangeStats {
  l0: number;
  curves: CollapseCurves;
  idx: number[];
  ratio: number;
  delta: number;
  sigma: number;
}

function rangeStats(
  ladder: Ladder,
  l0: number,
  range: [number, number],
  gp: number,
): RangeStats | null {
  const curves = collapseCurves(ladder, l0, gp);
  const idx = gridRange(curves.grid, range);
  if (idx.length === 0) return null;
  return {
    l0,
    curves,
    idx,
    ratio: median(idx.map((i) => curves.ratio[i])),
    delta: median(idx.map((i) => curves.delta[i])),
    sigma: median(idx.map((i) => curves.sigma[i])),
  };
}

/** pass / fail when all agree, else null (the verdict depends on L̂). */
function agree(oks: boolean[]): "pass" | "fail" | null {
  if (oks.every((o) => o)) return "pass";
  if (oks.every((o) => !o)) return "fail";
  return null;
}

function buildLadder(
  runs: RunData[],
  options: CheckOptions,
  what: string,
): Ladder | string {
  const l = prepareLadder(runs, options);
  if ("reason" in l) return `${what}: ${l.reason}`;
  const short = seedShortage(l);
  return short ? `${what}: ${short}` : l;
}

// ---------------------------------------------------------------- collapse

const CollapseOptions = z.strictObject({
  ...LADDER_OPTIONS,
  ...L0_OPTIONS,
  range: Band.optional().describe("x range of the median (default [0.25, 0.95])"),
  threshold: z.number().positive().optional().describe("holds when median Δ/σ̄ ≤ this (1.5)"),
  control: z.record(z.string(), Scalar).optional().describe(
    "runs.csv selector of the matched negative control's runs (the rest is the ladder)",
  ),
  controlFactor: z.number().positive().optional().describe(
    "power: control median Δ ≥ this × the ladder's (2)",
  ),
  subject: z.enum(["ladder", "control"]).optional().describe(
    "whose verdict: the ladder's (default) or the matched control's",
  ),
});

function collapseFrame(options: CheckOptions): OutcomeFrame {
  const range = bandOption(options, "range", [0.25, 0.95]);
  const ctl = options.control !== undefined;
  return {
    statistic: options.subject === "control"
      ? "control median delta/sigma at ladder L0"
      : "median delta/sigma",
    expected: `<= ${fmt(numberOption(options, "threshold", 1.5))}`,
    tolerance: `x in ${fmtBand(range)}${
      ctl ? `; control delta >= ${fmt(numberOption(options, "controlFactor", 2))}x` : ""
    }; across the L0 interval`,
  };
}

function evaluateCollapse(
  input: CheckInput,
  options: CheckOptions,
): CheckOutcome[] {
  const frame = collapseFrame(options);
  const range = bandOption(options, "range", [0.25, 0.95]);
  const threshold = numberOption(options, "threshold", 1.5);
  const factor = numberOption(options, "controlFactor", 2);
  const subject = stringOption(options, "subject", "ladder")!;
  if (subject !== "ladder" && subject !== "control") {
    throw new OptionError("subject", `expected "ladder" or "control", got "${subject}"`);
  }
  const sel = selectorOption(options, "control");
  if (subject === "control" && !sel) {
    throw new OptionError("subject", `"control" needs option control (a runs.csv selector)`);
  }
  const gp = gridPointsOf(options);
  const skip = (why: string) => [outcome("*", frame, null, "skip", why)];
  const goodRuns = sel ? input.runs.filter((r) => !selects(r.info, sel)) : input.runs;
  const ctlRuns = sel ? input.runs.filter((r) => selects(r.info, sel)) : [];
  if (sel && ctlRuns.length === 0) {
    return skip(`no run matches control ${JSON.stringify(sel)} (of ${input.runs.length} runs)`);
  }
  const good = buildLadder(goodRuns, options, sel ? "ladder" : "runs");
  if (typeof good === "string") return skip(good);
  const ctl = sel ? buildLadder(ctlRuns, options, "control") : null;
  if (typeof ctl === "string") return skip(ctl);
  const span = l0Span(good, options);
  const cap = Math.min(minFinal(good), ctl ? minFinal(ctl) : Infinity);
  const l0s = span3(span).filter((v) => v < cap);
  if (!l0s.includes(span.l0)) {
    return skip(`L̂ = ${fmt(span.l0)} is not below every final loss (${fmt(cap)})`);
  }
  const gs = l0s.map((l0) => rangeStats(good, l0, range, gp));
  if (gs.some((g) => g === null)) return skip(`no grid point in x ∈ ${fmtBand(range)}`);
  const G = gs as RangeStats[];
  const C = ctl ? l0s.map((l0) => rangeStats(ctl, l0, range, gp)) : null;
  if (C && C.some((c) => c === null)) {
    return skip(`control: no grid point in x ∈ ${fmtBand(range)}`);
  }
  const mid = l0s.indexOf(span.l0);
  const g0 = G[mid];
  const perL0 = l0s.map((l0, k) =>
    `L̂ = ${fmt(l0)}: Δ/σ̄ ${fmt(G[k].ratio)}${
      C ? ` vs control ${fmt(C[k]!.ratio)}, Δ ratio ${fmt(C[k]!.delta / G[k].delta, 3)}×` : ""
    }`
  ).join("; ");
  const ladderLine = `ladder: ${ladderText(good)}${ctl ? `; control: ${ladderText(ctl)}` : ""}`;
  const clipped = l0s.length < span3(span).length
    ? ` (interval clipped below the smallest final loss ${fmt(cap)})`
    : "";
  const base = `over x ∈ ${fmtBand(range)} (${g0.idx.length} grid points), threshold ${
    fmt(threshold)
  }; ${span.text}${clipped}; ${perL0}; at L̂: median Δ = ${fmt(g0.delta)}, median σ̄ = ${
    fmt(g0.sigma)
  }, ${at(g0.curves, [0.3, 0.5, 0.7, 0.9], "Δ/σ̄", g0.curves.ratio)}; ${ladderLine}`;
  const power = C ? l0s.every((_, k) => C[k]!.delta >= factor * G[k].delta) : null;
  const powerText = C
    ? `control median Δ ${fmt(C[mid]!.delta)} = ${fmt(C[mid]!.delta / g0.delta, 3)}× the ladder's ${
      fmt(g0.delta)
    } at L̂ (need ≥ ${fmt(factor)}× at every L̂ of the interval)`
    : "no matched control (option control): power not shown";
  if (subject === "control") {
    const c0 = C![mid]!;
    const value = Number.isNaN(c0.ratio) ? null : c0.ratio;
    const v = agree(C!.map((c) => c!.ratio <= threshold));
    if (v === "fail" && !power) {
      return [outcome(
        "*",
        frame,
        value,
        "skip",
        `control exceeds the threshold but is not clearly worse than the ladder (no power): ${powerText}; ${base}`,
      )];
    }
    if (v === null) {
      return [outcome(
        "*",
        frame,
        value,
        "skip",
        `the control's verdict depends on L̂ within the L0 interval; ${powerText}; ${base}`,
      )];
    }
    return [outcome(
      "*",
      frame,
      value,
      v,
      `control median Δ/σ̄ = ${fmt(c0.ratio)} at the ladder's L̂; ${powerText}; ${base}`,
    )];
  }
  const value = Number.isNaN(g0.ratio) ? null : g0.ratio;
  if (power === false) {
    return [outcome(
      "*",
      frame,
      value,
      "skip",
      `no power: ${powerText}; median Δ/σ̄ = ${fmt(g0.ratio)}; ${base}`,
    )];
  }
  const v = agree(G.map((g) => g.ratio <= threshold));
  if (v === null) {
    return [outcome(
      "*",
      frame,
      value,
      "skip",
      `the verdict depends on L̂ within the L0 interval; ${powerText}; ${base}`,
    )];
  }
  return [outcome(
    "*",
    frame,
    value,
    v,
    `median Δ/σ̄ = ${fmt(g0.ratio)}, need ≤ ${fmt(threshold)}; ${powerText}; ${base}`,
  )];
}

/**
 * The `collapse` check (one outcome for the experiment).
 *
 * @example
 * ```ts
 * import { collapseCheck } from "./collapse_checks.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(collapseCheck.evaluate({ experiment: "e", runs: [] }, {})[0].verdict, "skip");
 * ```
 */
export const collapseCheck: Check = {
  name: "collapse",
  description: "normalised loss curves across sizes collapse: median Δ/σ̄ over x ∈ [0.25, 0.95] " +
    "≤ 1.5, with a matched control ≥ 2× worse, across the L0 interval",
  optionsSchema: CollapseOptions,
  evaluate: guarded(collapseFrame, evaluateCollapse),
};

// ----------------------------------------------------------- supercollapse

const SuperOptions = z.strictObject({
  ...LADDER_OPTIONS,
  ...L0_OPTIONS,
  delta: z.number().gt(0).lt(1).optional().describe("window [1 − delta, upper] (0.25)"),
  upper: z.number().gt(0).max(1).optional().describe("upper end of the window (0.95)"),
});

function superFrame(options: CheckOptions): OutcomeFrame {
  const d = numberOption(options, "delta", 0.25);
  return {
    statistic: "max delta/sigma",
    expected: "< 1",
    tolerance: `x in ${
      fmtBand([1 - d, numberOption(options, "upper", 0.95)])
    }; across the L0 interval`,
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
  const gp = gridPointsOf(options);
  const ladder = buildLadder(input.runs, options, "runs");
  if (typeof ladder === "string") return [outcome("*", frame, null, "skip", ladder)];
  const span = l0Span(ladder, options);
  const cap = minFinal(ladder);
  const l0s = span3(span).filter((v) => v < cap);
  const stats = l0s.map((l0) => {
    const curves = collapseCurves(ladder, l0, gp);
    const idx = gridRange(curves.grid, range);
    let worst = idx[0];
    for (const i of idx) if (!(curves.ratio[i] <= curves.ratio[worst])) worst = i;
    const above = idx.filter((i) => !(curves.delta[i] < curves.sigma[i] || curves.ratio[i] === 0));
    return { l0, curves, idx, worst, above };
  });
  const mid = stats.find((s) => s.l0 === span.l0);
  if (!mid) return [outcome("*", frame, null, "skip", `L̂ = ${fmt(span.l0)} ≥ a final loss`)];
  if (mid.idx.length === 0) {
    return [outcome("*", frame, null, "skip", `no grid point in x ∈ ${fmtBand(range)}`)];
  }
  const value = mid.curves.ratio[mid.worst];
  const decays = ladder.runs.every((r) =>
    !r.lr || r.lr[r.lr.length - 1] <= 0.05 * Math.max(...r.lr)
  );
  const per = stats.map((s) =>
    `L̂ = ${fmt(s.l0)}: max Δ/σ̄ ${fmt(s.curves.ratio[s.worst])}, Δ ≥ σ̄ at ${s.above.length}`
  ).join("; ");
  const detail = `max Δ/σ̄ = ${fmt(value)} at x = ${fmt(mid.curves.grid[mid.worst])} over x ∈ ${
    fmtBand(range)
  } (${mid.idx.length} grid points); Δ ≥ σ̄ at ${mid.above.length} of them; ${span.text}; ${per}; ${
    ladderText(ladder)
  }${decays ? "" : "; the lr column does not decay to ≤ 5% of its peak"}`;
  const v = agree(stats.map((s) => s.above.length === 0));
  return [outcome(
    "*",
    frame,
    Number.isNaN(value) ? null : value,
    v ?? "skip",
    v === null ? `the verdict depends on L̂ within the L0 interval; ${detail}` : detail,
  )];
}

/**
 * The `supercollapse` check (one outcome for the experiment).
 *
 * @example
 * ```ts
 * import { supercollapseCheck } from "./collapse_checks.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(supercollapseCheck.name, "supercollapse");
 * ```
 */
export const supercollapseCheck: Check = {
  name: "supercollapse",
  description: "Δ(x) < σ̄(x) for every grid x in [0.75, 0.95] (schedule decaying to zero)",
  optionsSchema: SuperOptions,
  evaluate: guarded(superFrame, evaluateSuper),
};

// ------------------------------------------------------------------ fit_l0

/** Result of {@linkcode scanL0}. */
export interface L0Scan {
  /** L̂ with the smallest objective. */
  l0: number;
  /** The objective there (median relative spread of ℓ − 1). */
  objective: number;
  /** Upper end of the scanned interval [0, cap). */
  cap: number;
  /** The scanned candidates. */
  candidates: number[];
  /** The objective at each candidate. */
  values: number[];
}

/**
 * The fit_l0 objective at L̂: the median over the grid columns `idx` of
 * sd/|mean| (ddof 1) across the runs `rows` of the excess
 * (L(x) − L_final)/(L_final − L̂).
 *
 * @example
 * ```ts
 * import { excessSpread } from "./collapse_checks.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * // excess (L − Lf)/(Lf − 0) of two runs: [1, 1] and [1, 1]: no spread
 * assertEquals(excessSpread([[2, 2], [4, 4]], [1, 2], [0, 1], [0, 1], 0), 0);
 * // at L̂ = 0.5 the second run's excess is 2/1.5 against the first's 1/0.5
 * assertEquals(excessSpread([[2, 2], [4, 4]], [1, 2], [0], [0, 1], 0.5) > 0, true);
 * ```
 */
export function excessSpread(
  lossAt: readonly (readonly number[])[],
  finals: readonly number[],
  idx: readonly number[],
  rows: readonly number[],
  l0: number,
): number {
  const n = rows.length;
  const vals: number[] = [];
  const e = new Float64Array(n);
  for (const k of idx) {
    let m = 0;
    for (let j = 0; j < n; j++) {
      const r = rows[j];
      e[j] = (lossAt[r][k] - finals[r]) / (finals[r] - l0);
      m += e[j];
    }
    m /= n;
    let s = 0;
    for (let j = 0; j < n; j++) s += (e[j] - m) ** 2;
    const sdv = n > 1 ? Math.sqrt(s / (n - 1)) : 0;
    vals.push(sdv === 0 ? 0 : sdv / Math.abs(m));
  }
  return median(vals);
}

/**
 * Scans L̂ ∈ [0, cap) (cap = the smallest final loss of the runs `rows`,
 * default all) for the smallest {@linkcode excessSpread} over the grid
 * points in `range`: `n` (200) equally spaced candidates, then golden-section
 * refinement between the best one's neighbours.
 *
 * @example
 * ```ts
 * import { scanL0 } from "./collapse_checks.ts";
 * import { prepareLadder } from "./collapse.ts";
 * import { tableFromCsv } from "../results/table.ts";
 * import { assertClose } from "../../tests/assert.ts";
 * // sizes n = 10, 20, 40, two seeds each; loss L(c) = 0.5 + 100/c up to c = 10·n
 * const runs = [10, 20, 40].flatMap((n) => ["0", "1"].map((seed) => ({
 *   id: `n${n}s${seed}`, status: "ok" as const, info: { n_params: `${n}`, seed },
 *   metrics: tableFromCsv(`compute,train_loss\n${5 * n},${0.5 + 20 / n}\n${10 * n},${0.5 + 10 / n}`, "m.csv"),
 * })));
 * const ladder = prepareLadder(runs, {});
 * if ("reason" in ladder) throw new Error(ladder.reason);
 * const scan = scanL0(ladder, [0.25, 0.95], 2);
 * assertClose(scan.l0, 0.5, 1e-6); // the curves collapse exactly at L̂ = L0
 * assertClose(scan.cap, 0.75, 0); // the smallest final loss
 * ```
 */
export function scanL0(
  ladder: Ladder,
  range: [number, number],
  gridPoints = 100,
  rows?: readonly number[],
  base?: CollapseCurves,
  n = 200,
): L0Scan {
  const b = base ?? collapseCurves(ladder, 0, gridPoints);
  const idx = gridRange(b.grid, range);
  const use = rows ?? ladder.runs.map((_, i) => i);
  const finals = ladder.runs.map((r) => r.loss[r.loss.length - 1]);
  const cap = Math.min(...use.map((r) => finals[r]));
  const objective = (l0: number) => excessSpread(b.lossAt, finals, idx, use, l0);
  const top = cap > 0 ? cap * (1 - 1e-6) : 0;
  const candidates: number[] = [], values: number[] = [];
  let bestJ = 0, bestV = Infinity;
  for (let j = 0; j < n; j++) {
    const l0 = (top * j) / n;
    const v = objective(l0);
    candidates.push(l0);
    values.push(v);
    if (v < bestV) [bestJ, bestV] = [j, v];
  }
  const lo = (top * Math.max(0, bestJ - 1)) / n,
    hi = Math.min(top, (top * (bestJ + 1)) / n);
  const refined = goldenSection(objective, lo, hi, 40);
  const rv = objective(refined);
  return rv <= bestV
    ? { l0: refined, objective: rv, cap, candidates, values }
    : { l0: candidates[bestJ], objective: bestV, cap, candidates, values };
}

const FitL0Options = z.strictObject({
  ...LADDER_OPTIONS,
  range: Band.optional().describe("x range of the objective (default [0.25, 0.95])"),
  resamples: z.int().min(0).optional().describe("bootstrap resamples over seeds (default 200)"),
  level: z.number().gt(0).lt(1).optional().describe("coverage of the difference interval (0.95)"),
  flatTolerance: z.number().positive().optional().describe(
    "objective within this fraction of its minimum counts as flat (0.1)",
  ),
  maxFlatFraction: z.number().gt(0).max(1).optional().describe(
    "not identifiable when that flat set covers ≥ this share of the scan (0.5)",
  ),
});

function fitL0Frame(options: CheckOptions): OutcomeFrame {
  return {
    statistic: "scanned L0 (sharpest collapse of the excess)",
    expected: "power-law fitted L0",
    tolerance: `${
      fmt(100 * numberOption(options, "level", 0.95), 3)
    }% bootstrap interval over seeds`,
  };
}

function evaluateFitL0(
  input: CheckInput,
  options: CheckOptions,
): CheckOutcome[] {
  const frame = fitL0Frame(options);
  const range = bandOption(options, "range", [0.25, 0.95]);
  const resamples = numberOption(options, "resamples", 200);
  const level = numberOption(options, "level", 0.95);
  const flatTol = numberOption(options, "flatTolerance", 0.1);
  const maxFlat = numberOption(options, "maxFlatFraction", 0.5);
  const gp = gridPointsOf(options);
  const skip = (why: string) => [outcome("*", frame, null, "skip", why)];
  const ladder = prepareLadder(input.runs, options);
  if ("reason" in ladder) return skip(ladder.reason);
  if (ladder.runs.length < 2) return skip("fewer than 2 usable runs");
  if (ladder.sizes.length < 3) {
    return skip(`power-law fit of L0 needs ≥ 3 sizes, got ${ladder.sizes.length}`);
  }
  if (ladder.xColumn === "step") {
    return skip(
      "no compute column: the power law L = a·c^-b + L0 cannot be fitted against steps",
    );
  }
  const base = collapseCurves(ladder, 0, gp);
  if (gridRange(base.grid, range).length === 0) {
    return skip(`no grid point in x ∈ ${fmtBand(range)}`);
  }
  const all = ladder.runs.map((_, i) => i);
  const scan = scanL0(ladder, range, gp, all, base);
  const fit = fitL0On(ladder, all);
  const flatLimit = (1 + flatTol) * scan.objective;
  const flat = scan.values.filter((v) => v <= flatLimit).length / scan.values.length;
  const depth = scan.values[0] > 0 ? 1 - scan.objective / scan.values[0] : 0;
  const scanText = `scanned L̂ = ${fmt(scan.l0)} (median sd/|mean| of ℓ − 1 = ${
    fmt(scan.objective)
  } over x ∈ ${fmtBand(range)}; ${fmt(depth, 3)} below its value at L̂ = 0; within ${
    fmt(100 * flatTol, 3)
  }% of the minimum over ${fmt(100 * flat, 3)}% of [0, ${fmt(scan.cap)}))`;
  const fitText = `power-law L0 = ${fmt(fit.l0)} (L = a·c^-b + L0, b = ${fmt(fit.b)})`;
  if (flat >= maxFlat) {
    return [outcome(
      "*",
      frame,
      scan.l0,
      "skip",
      `L0 not identifiable on this ladder: the objective is flat (within ${
        fmt(100 * flatTol, 3)
      }% of its minimum over ${fmt(100 * flat, 3)}% ≥ ${
        fmt(100 * maxFlat, 3)
      }% of the scanned L̂); ${scanText}; ${fitText}; ${ladderText(ladder)}`,
    )];
  }
  const diffs = bootstrapSeeds(ladder, resamples, "fit_l0").map((rows) =>
    scanL0(ladder, range, gp, rows, base, 100).l0 - fitL0On(ladder, rows, fit).l0
  );
  const a = (1 - level) / 2;
  const floor = 1e-3 * scan.cap;
  const d = scan.l0 - fit.l0;
  // without resamples the interval is the difference itself (± the resolution), never [0, 0]
  const qlo = diffs.length ? quantile(diffs, a) : d,
    qhi = diffs.length ? quantile(diffs, 1 - a) : d;
  const lo = Math.min(qlo, d) - floor, hi = Math.max(qhi, d) + floor;
  const ok = lo <= 0 && 0 <= hi;
  const f = {
    ...frame,
    expected: `${fmt(fit.l0)}; difference interval [${fmt(lo)}, ${fmt(hi)}] must contain 0`,
  };
  const detail = `${scanText} vs ${fitText}; difference ${fmt(d)}, ${
    fmt(100 * level, 3)
  }% bootstrap interval [${fmt(qlo)}, ${fmt(qhi)}] over ${resamples} resamples of seeds (± ${
    fmt(floor)
  } resolution) ${ok ? "contains" : "excludes"} 0; ${ladderText(ladder)}`;
  return [outcome("*", f, scan.l0, ok ? "pass" : "fail", detail)];
}

/**
 * The `fit_l0` check (one outcome for the experiment).
 *
 * @example
 * ```ts
 * import { fitL0Check } from "./collapse_checks.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(fitL0Check.name, "fit_l0");
 * ```
 */
export const fitL0Check: Check = {
  name: "fit_l0",
  description:
    "the L̂ of the sharpest collapse (scale-free objective) agrees with the power-law L0 within its bootstrap interval",
  optionsSchema: FitL0Options,
  evaluate: guarded(fitL0Frame, evaluateFitL0),
};

// ------------------------------------------------ collapse_variance_scaling

const CvsOptions = z.strictObject({
  ...LADDER_OPTIONS,
  ...L0_OPTIONS,
  upper: z.number().gt(0).max(1).optional().describe("largest grid x used (0.95)"),
  minPoints: z.int().min(2).optional().describe("fewest post-peak grid points (5)"),
  use: z.enum(["delta", "sigma"]).optional().describe("test Δ (default) or σ̄"),
  floor: z.number().min(0).optional().describe("Δ at or below this everywhere: skip (1e-9)"),
  band: Band.optional().describe(
    "slopes within this band count as 1 (equivalence margin, default [0.8, 1.25])",
  ),
  alternative: z.enum(["eta", "tau", "x"]).optional().describe(
    "alternative decreasing shape: √η̂ (default), 1 − τ̂, or 1 − x",
  ),
});

function cvsFrame(options: CheckOptions): OutcomeFrame {
  return {
    statistic: "log-log slope of delta on sqrt(eta*(1-tau))",
    expected: `interval meets ${
      fmtBand(bandOption(options, "band", [0.8, 1.25]))
    }; the alternative shape's misses it`,
    tolerance: `${
      fmt(100 * numberOption(options, "level", 0.9), 3)
    }% bootstrap over seeds; after the LR peak, x <= ${fmt(numberOption(options, "upper", 0.95))}`,
  };
}

function logSlope(obs: number[], pred: number[]): number {
  const pos = obs.map((_, k) => k).filter((k) => obs[k] > 0 && pred[k] > 0);
  if (pos.length < 2) return NaN;
  return fitLine(pos.map((k) => Math.log(pred[k])), pos.map((k) => Math.log(obs[k]))).slope;
}

function evaluateCvs(input: CheckInput, options: CheckOptions): CheckOutcome[] {
  const frame = cvsFrame(options);
  const upper = numberOption(options, "upper", 0.95);
  const minPoints = numberOption(options, "minPoints", 5);
  const level = numberOption(options, "level", 0.9);
  const resamples = numberOption(options, "resamples", 200);
  const use = stringOption(options, "use", "delta")!;
  if (use !== "delta" && use !== "sigma") {
    throw new OptionError("use", `expected "delta" or "sigma", got "${use}"`);
  }
  const alt = stringOption(options, "alternative", "eta")!;
  if (!["eta", "tau", "x"].includes(alt)) {
    throw new OptionError("alternative", `expected "eta", "tau" or "x", got "${alt}"`);
  }
  const skip = (why: string) => [outcome("*", frame, null, "skip", why)];
  const a = analyseCollapse(input.runs, options);
  if ("reason" in a) return skip(a.reason);
  if (a.ladder.runs.length < 2) return skip("fewer than 2 usable runs");
  if (use === "sigma") {
    const short = seedShortage(a.ladder);
    if (short) return skip(short);
  }
  const noLr = a.ladder.runs.find((r) => !r.lr || !r.tau);
  if (noLr) return skip(`run ${noLr.id}: no lr column (needed for η(x) and τ(x))`);
  const { grid } = a.curves;
  const runs = a.ladder.runs;
  const eta = grid.map((g) =>
    mean(runs.map((r) => interpolate(r.x, r.lr!, g) / Math.max(...r.lr!)))
  );
  const tauHat = grid.map((g) =>
    mean(runs.map((r) => interpolate(r.x, r.tau!, g) / r.tau![r.tau!.length - 1]))
  );
  // the LR peak: the largest x at which any run's lr is at its maximum
  const xPeak = Math.max(...runs.map((r) => {
    const m = Math.max(...r.lr!);
    let last = 0;
    r.lr!.forEach((v, i) => {
      if (v >= m * (1 - 1e-9)) last = r.x[i];
    });
    return last;
  }));
  const target = use === "delta" ? a.curves.delta : a.curves.sigma;
  const idx = grid.map((_, i) => i).filter((i) =>
    grid[i] > xPeak + 1e-12 && grid[i] <= upper + 1e-9 && eta[i] < 1 - 1e-9 &&
    Number.isFinite(target[i])
  );
  if (idx.length < minPoints) {
    return skip(
      `only ${idx.length} grid points after the LR peak (x > ${fmt(xPeak)}, η < η_peak, x ≤ ${
        fmt(upper)
      }); need ≥ ${minPoints}`,
    );
  }
  const floor = numberOption(options, "floor", 1e-9);
  if (Math.max(...idx.map((i) => target[i])) <= floor) {
    return skip(
      `${use === "delta" ? "Δ" : "σ̄"} ≤ ${
        fmt(floor)
      } after the LR peak: the curves coincide to round-off, nothing to scale`,
    );
  }
  const pred = idx.map((i) => Math.sqrt(Math.max(0, eta[i] * (1 - tauHat[i]))));
  const altPred = idx.map((i) =>
    alt === "eta" ? Math.sqrt(Math.max(0, eta[i])) : alt === "tau" ? 1 - tauHat[i] : 1 - grid[i]
  );
  const obs = idx.map((i) => target[i]);
  const slope = logSlope(obs, pred), altSlope = logSlope(obs, altPred);
  const r = pearson(obs, pred);
  // bootstrap over seeds: recompute Δ (or σ̄) on resampled ladders
  const gp = a.curves.grid.length;
  const slopes: number[] = [], altSlopes: number[] = [];
  for (const rows of bootstrapSeeds(a.ladder, resamples, "collapse_variance_scaling")) {
    const sub: Ladder = { ...a.ladder, runs: rows.map((i) => a.ladder.runs[i]) };
    // duplicated runs carry the same seed label, so σ̄ over seeds stays defined only for Δ
    const c = collapseCurves(sub, a.l0.l0, gridPointsOf(options));
    if (c.grid.length !== gp) continue;
    const t = use === "delta" ? c.delta : c.sigma;
    const o = idx.map((i) => t[i]);
    slopes.push(logSlope(o, pred));
    altSlopes.push(logSlope(o, altPred));
  }
  const q = (1 - level) / 2;
  const ci = slopes.length ? [quantile(slopes, q), quantile(slopes, 1 - q)] : [slope, slope];
  const aci = altSlopes.length
    ? [quantile(altSlopes, q), quantile(altSlopes, 1 - q)]
    : [altSlope, altSlope];
  const band = bandOption(options, "band", [0.8, 1.25]);
  const contains = (c: number[]) => c[0] <= band[1] && band[0] <= c[1];
  const ok = contains(ci) && !contains(aci);
  const altName = alt === "eta" ? "√η̂" : alt === "tau" ? "1 − τ̂" : "1 − x";
  const label = use === "delta" ? "Δ" : "σ̄";
  const detail = `log-log slope of ${label} on √(η̂(1−τ̂)) = ${fmt(slope)}, ${
    fmt(100 * level, 3)
  }% interval [${fmt(ci[0])}, ${fmt(ci[1])}] (${contains(ci) ? "meets" : "misses"} the band ${
    fmtBand(band)
  } around 1); on ${altName}: ${fmt(altSlope)} [${fmt(aci[0])}, ${fmt(aci[1])}] (${
    contains(aci) ? "meets" : "misses"
  } it); ${idx.length} grid points after the LR peak x ∈ [${fmt(grid[idx[0]])}, ${
    fmt(grid[idx[idx.length - 1]])
  }]; Pearson r = ${fmt(r)}; ${slopes.length} resamples; L̂ = ${fmt(a.l0.l0)} (${a.l0.source}); ${
    ladderText(a.ladder)
  }`;
  return [outcome("*", frame, Number.isNaN(slope) ? null : slope, ok ? "pass" : "fail", detail)];
}

/**
 * The `collapse_variance_scaling` check (report; one outcome).
 *
 * @example
 * ```ts
 * import { collapseVarianceScalingCheck } from "./collapse_checks.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(collapseVarianceScalingCheck.name, "collapse_variance_scaling");
 * ```
 */
export const collapseVarianceScalingCheck: Check = {
  name: "collapse_variance_scaling",
  description:
    "after the LR peak Δ ∝ √(η(τ̂)(1 − τ̂)): log-log slope 1 within its interval, an alternative shape's not",
  optionsSchema: CvsOptions,
  evaluate: guarded(cvsFrame, evaluateCvs),
};
