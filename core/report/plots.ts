/**
 * The report's plots as Vega-Lite specs, built from a loaded experiment. Only
 * what the CSVs contain is drawn: a plot whose columns are absent is left out.
 *
 * - `loss`: train/test loss vs step (log y; log–log vs compute for collapse ladders);
 * - `accuracy`: train/test accuracy (grokking experiments: log x, t_fit/t_gen marked);
 * - `sharpness`: λ_max (and preconditioned λ_max) with the critical line
 *   (`two_over_lr` = 2/η, or `critical_sharpness` = (2+2β1)/((1−β1)η)), one panel per run;
 * - `spectrum`: top-k Hessian eigenvalues over time (`lambda_2`…), and the SLQ
 *   spectral density when a run wrote `density.csv`;
 * - `gram`: the update-Gram gap g₂₃ = σ₂² − σ₃² over time (log y);
 * - `collapse`: normalised curves ℓ(x) coloured by model size, with Δ(x) and
 *   σ̄(x) beneath (computed by `core/checks/collapse.ts`, the same analysis as the check).
 * - `phase`, `ratio`: the grokking phase diagram as heat maps (`./grokking_phase.ts`).
 *
 * @example
 * ```ts
 * import { experimentPlots } from "./plots.ts";
 * import { loadSuite } from "../results/load.ts";
 * import { writeFakeSuite } from "../../tests/compare_fixture.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFakeSuite(dir); // eos_toy measures lambda_max; grok_toy accuracies and gram_s2_s3
 * const plots = (await loadSuite(dir)).experiments.map((e) => experimentPlots(e).map((p) => p.name));
 * assertEquals(plots, [
 *   ["collapse_toy.loss", "collapse_toy.collapse"],
 *   ["eos_toy.loss", "eos_toy.sharpness"],
 *   ["grok_toy.loss", "grok_toy.accuracy", "grok_toy.gram"],
 * ]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
import type { LoadedExperiment, LoadedRun } from "../results/load.ts";
import type { CheckOptions, CheckSpec } from "../checks/types.ts";
import { matchesWhere as matchesWhereInfo } from "../checks/evaluate.ts";
import { grokTimes } from "../checks/grokking.ts";
import { edgeAnalysis, GD_EDGE } from "../checks/eos.ts";
import { ADAM_EDGE } from "../checks/adaptive_eos.ts";
import { analyseCollapse, describeL0 } from "../checks/collapse.ts";
import type { VlSpec } from "./render.ts";
import { grokkingPhasePlots } from "./grokking_phase.ts";
import { emergencePlots } from "./emergence.ts";
import { scheduleModelPlots } from "./schedule_model.ts";

export type { Plot } from "./render.ts";
import type { Plot } from "./render.ts";

/** Most points drawn per series (longer series are thinned evenly, keeping the last point). */
export const MAX_POINTS = 2000;

const WIDTH = 520, HEIGHT = 300;

export { PLOT_CONFIG } from "./render.ts";
import { PLOT_CONFIG } from "./render.ts";

const COLLAPSE_FAMILY = new Set([
  "collapse",
  "supercollapse",
  "fit_l0",
  "collapse_variance_scaling",
  "compute_optimal_horizon",
]);

type Row = Record<string, number | string>;

/** Evenly thins a series to at most `max` points, always keeping the last. */
export function thin<T>(xs: T[], max = MAX_POINTS): T[] {
  if (xs.length <= max) return xs;
  const stride = Math.ceil(xs.length / max);
  const out = xs.filter((_, i) => i % stride === 0);
  if ((xs.length - 1) % stride !== 0) out.push(xs[xs.length - 1]);
  return out;
}

/**
 * Orders sweep labels `k=v,k=v` by key, then value (numerically when both
 * values are numbers), so `width=8` comes before `width=16`.
 *
 * @example
 * ```ts
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(["w=16", "w=8"].sort(compareSweepLabels), ["w=8", "w=16"]);
 * assertEquals(["lr=0.2,seed=2", "lr=0.2,seed=10", "lr=0.1,seed=3"].sort(compareSweepLabels), [
 *   "lr=0.1,seed=3",
 *   "lr=0.2,seed=2",
 *   "lr=0.2,seed=10",
 * ]);
 * ```
 */
export function compareSweepLabels(a: string, b: string): number {
  const pa = a.split(","), pb = b.split(",");
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const [ka, va = ""] = pa[i].split("="), [kb, vb = ""] = pb[i].split("=");
    if (ka !== kb) return ka < kb ? -1 : 1;
    const na = Number(va), nb = Number(vb);
    if (
      va !== "" && vb !== "" && Number.isFinite(na) && Number.isFinite(nb) &&
      na !== nb
    ) return na - nb;
    if (va !== vb) return va < vb ? -1 : 1;
  }
  return pa.length - pb.length || (a < b ? -1 : a > b ? 1 : 0);
}

function runOrder(values: Row[]): string[] {
  return [...new Set(values.map((v) => String(v.run)))].sort(
    compareSweepLabels,
  );
}

/**
 * Colour encoding by run, in sweep order: 10 colours up to 10 runs, 20 up to
 * 20; beyond that colour carries the model size when the runs have one
 * (a ladder), so no colour stands for two runs.
 */
function runColor(values: Row[]): Record<string, unknown> {
  const runs = runOrder(values);
  if (runs.length > 20 && values.every((v) => typeof v.size === "number")) {
    return {
      field: "size",
      type: "ordinal",
      title: "model size",
      scale: { scheme: "viridis" },
    };
  }
  return {
    field: "run",
    type: "nominal",
    title: "run",
    sort: runs,
    scale: { domain: runs, ...(runs.length > 10 ? { scheme: "tableau20" } : {}) },
  };
}

/** Dash encoding restricted to the values present. */
function dashes(
  values: Row[],
  field: string,
  title: string,
): Record<string, unknown> {
  const present = new Set(values.map((v) => String(v[field])));
  const domain: string[] = [], range: number[][] = [];
  DASHES.domain.forEach((d, i) => {
    if (present.has(d)) {
      domain.push(d);
      range.push(DASHES.range[i]);
    }
  });
  // long legend strokes, so that dash patterns can be told apart
  return { field, type: "nominal", title, scale: { domain, range }, legend: { symbolSize: 500 } };
}

/**
 * A run's label in legends and panel titles: the run id without the
 * experiment, numbers rounded to 5 significant digits ("params=3162.3", not
 * "params=3162.2776601683795").
 */
function runLabel(exp: string, id: string): string {
  const label = id.startsWith(`${exp}/`) ? id.slice(exp.length + 1) : id;
  return label.replace(/\d+\.\d{5,}(e[-+]?\d+)?/g, (m) => String(Number(Number(m).toPrecision(5))));
}

function has(run: LoadedRun, col: string): boolean {
  return !!run.metrics && run.metrics.has(col) &&
    run.metrics.column(col).some((v) => v !== null);
}

/** Rows (x, value) of one column, finite values only (positive when `positive`). */
function series(
  run: LoadedRun,
  x: string,
  y: string,
  positive: boolean,
): { x: number; y: number }[] {
  if (!run.metrics || !run.metrics.has(x) || !run.metrics.has(y)) return [];
  const p = run.metrics.pairs(x, y);
  const out: { x: number; y: number }[] = [];
  for (let i = 0; i < p.x.length; i++) {
    const a = p.x[i], b = p.y[i];
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    if (positive && !(b > 0)) continue;
    out.push({ x: a, y: b });
  }
  return thin(out);
}

function checkSpecs(config: unknown): CheckSpec[] {
  const c = (config as { checks?: unknown })?.checks;
  return Array.isArray(c)
    ? c.filter((s) => s && typeof s === "object" && typeof s.name === "string")
    : [];
}

function tagsOf(config: unknown): string[] {
  const t = (config as { tags?: unknown })?.tags;
  return Array.isArray(t) ? t.filter((x) => typeof x === "string") : [];
}

/** Whether a run matches a check's `where` (the checks' own rule, so plots show what was checked). */
export function matchesWhere(
  run: LoadedRun,
  where: CheckSpec["where"],
): boolean {
  return matchesWhereInfo(run.info, where);
}

function isGrokking(exp: LoadedExperiment): boolean {
  return tagsOf(exp.config).includes("grokking") ||
    checkSpecs(exp.config).some((s) =>
      s.name === "grokking" || s.name === "edge_precedes_grokking"
    );
}

function grokOptions(exp: LoadedExperiment): CheckOptions {
  return checkSpecs(exp.config).find((s) => s.name === "grokking")?.options ??
    {};
}

/** t_fit/t_gen per run as rule rows (only runs where they exist). */
/**
 * One label per marked step (runs that share a t_fit or t_gen share a label,
 * "t_fit ×2"), lowered when it would sit within 12% (in log step) of the
 * previous label, so labels do not overlap.
 */
export function ruleLabels(rules: Row[]): Row[] {
  const groups = new Map<string, Row[]>();
  for (const r of rules) {
    const k = `${r.series}\u0000${r.step}`;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(r);
  }
  const labels = [...groups.values()].map((g): Row => ({
    ...g[0],
    label: g.length > 1 ? `${g[0].series} ×${g.length}` : String(g[0].series),
  }));
  labels.sort((a, b) => (a.step as number) - (b.step as number));
  let previous = -Infinity, depth = 0;
  return labels.map((l) => {
    const at = Math.log(l.step as number);
    depth = at - previous < Math.log(1.12) ? depth + 1 : 0;
    previous = at;
    return { ...l, labelY: 0.98 - 0.16 * (depth % 4) };
  });
}

function grokRules(exp: LoadedExperiment, runs: LoadedRun[]): Row[] {
  const opts = grokOptions(exp);
  const rows: Row[] = [];
  for (const r of runs) {
    if (!has(r, "train_acc") || !has(r, "test_acc")) continue;
    const t = grokTimes(r, opts);
    if ("reason" in t) continue;
    const run = runLabel(exp.name, r.id);
    if (t.tFit !== null && t.tFit > 0) {
      rows.push({ run, step: t.tFit, series: "t_fit" });
    }
    if (t.tGen !== null && t.tGen > 0) {
      rows.push({ run, step: t.tGen, series: "t_gen" });
    }
  }
  return rows;
}

function base(title: string, subtitle?: string): VlSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: subtitle ? { text: title, subtitle } : title,
    config: PLOT_CONFIG,
  };
}

const DASHES = {
  domain: ["train", "test", "t_fit", "t_gen"],
  range: [[1, 0], [6, 3], [2, 2], [10, 3, 2, 3]],
};

function lossPlot(exp: LoadedExperiment): Plot | null {
  const collapse = collapseSpecs(exp).length > 0;
  const useCompute = collapse && exp.runs.some((r) => has(r, "compute"));
  const x = useCompute ? "compute" : "step";
  const values: Row[] = [];
  for (const r of exp.runs) {
    const run = runLabel(exp.name, r.id);
    const size = Number(r.info.n_params);
    for (
      const [col, split] of [["train_loss", "train"], ["test_loss", "test"]]
    ) {
      for (const p of series(r, x, col, true)) {
        if (useCompute && !(p.x > 0)) continue;
        values.push({
          [x]: p.x,
          loss: p.y,
          run,
          split,
          ...(size > 0 ? { size: Number(size.toPrecision(5)) } : {}),
        });
      }
    }
  }
  if (values.length === 0) return null;
  const splits = new Set(values.map((v) => v.split));
  const what = splits.has("test")
    ? (splits.has("train") ? "Train (solid) and test (dashed) loss" : "Test loss")
    : "Train loss";
  return {
    name: `${exp.name}.loss`,
    title: `${exp.name}: loss`,
    caption: `${what} vs ${x}, log scale${useCompute ? " on both axes" : ""}${
      runOrder(values).length > 20 && values.every((v) => typeof v.size === "number")
        ? "; coloured by model size"
        : ""
    }.`,
    spec: {
      ...base(
        `${exp.name}: loss`,
        useCompute ? "log–log: loss vs compute" : "log scale",
      ),
      width: WIDTH,
      height: HEIGHT,
      data: { values },
      mark: { type: "line", clip: true },
      encoding: {
        x: {
          field: x,
          type: "quantitative",
          title: useCompute ? `${x} (log scale)` : x,
          ...(useCompute ? { scale: { type: "log", nice: false } } : {}),
        },
        y: {
          field: "loss",
          type: "quantitative",
          title: "loss (log scale)",
          scale: { type: "log" },
        },
        color: runColor(values),
        strokeDash: dashes(values, "split", "split"),
        detail: [{ field: "run" }, { field: "split" }],
      },
    },
  };
}

function accuracyPlot(exp: LoadedExperiment): Plot | null {
  const grok = isGrokking(exp);
  const values: Row[] = [];
  for (const r of exp.runs) {
    const run = runLabel(exp.name, r.id);
    for (const [col, split] of [["train_acc", "train"], ["test_acc", "test"]]) {
      for (const p of series(r, "step", col, false)) {
        if (grok && !(p.x > 0)) continue;
        values.push({ step: p.x, accuracy: p.y, run, series: split });
      }
    }
  }
  if (values.length === 0) return null;
  const rules = grok ? grokRules(exp, exp.runs) : [];
  const x = {
    field: "step",
    type: "quantitative",
    title: grok ? "step (log scale)" : "step",
    ...(grok ? { scale: { type: "log", nice: false } } : {}),
  };
  const color = runColor(values);
  const dash = dashes([...values, ...rules], "series", "line");
  const layer: VlSpec[] = [{
    data: { values },
    mark: { type: "line", clip: true },
    encoding: {
      x,
      y: {
        field: "accuracy",
        type: "quantitative",
        title: "accuracy",
        scale: { domain: [0, 1] },
      },
      color,
      strokeDash: dash,
      detail: [{ field: "run" }, { field: "series" }],
    },
  }];
  if (rules.length > 0) {
    layer.push({
      data: { values: rules },
      mark: { type: "rule", strokeWidth: 1.2, opacity: 0.9 },
      encoding: { x, color, strokeDash: dash },
    });
    layer.push({
      data: { values: ruleLabels(rules) },
      mark: {
        type: "text",
        angle: 270,
        align: "right",
        baseline: "bottom",
        dy: -3,
        fontSize: 11,
      },
      encoding: {
        x,
        y: { field: "labelY", type: "quantitative" },
        text: { field: "label" },
        color,
      },
    });
  }
  return {
    name: `${exp.name}.accuracy`,
    title: grok ? `${exp.name}: grokking curves` : `${exp.name}: accuracy`,
    caption: grok
      ? "Train (solid) and test (dashed) accuracy vs step on a log axis; vertical lines mark t_fit (train acc ≥ 0.99) and t_gen (test acc ≥ 0.95)."
      : "Train (solid) and test (dashed) accuracy vs step.",
    spec: {
      ...base(
        grok ? `${exp.name}: grokking` : `${exp.name}: accuracy`,
        grok ? "t_fit / t_gen marked" : undefined,
      ),
      width: WIDTH,
      height: HEIGHT,
      layer,
    },
  };
}

function sharpnessPlot(exp: LoadedExperiment): Plot | null {
  const measured: [string, string][] = [
    ["lambda_max", "λ_max (Hessian)"],
    ["precond_lambda_max", "λ_max(P⁻¹H) (preconditioned)"],
  ];
  const critical: [string, string][] = [
    ["two_over_lr", "2/η"],
    ["critical_sharpness", "(2+2β₁)/((1−β₁)η)"],
    ["target_sharpness", "controller target"],
  ];
  const values: Row[] = [];
  let runs = 0;
  for (const r of exp.runs) {
    if (!measured.some(([c]) => has(r, c))) continue;
    runs++;
    const run = runLabel(exp.name, r.id);
    for (const [col, label] of measured) {
      for (const p of series(r, "step", col, false)) {
        values.push({
          step: p.x,
          value: p.y,
          run,
          series: label,
          kind: "measured",
        });
      }
    }
    let drawn = 0;
    for (const [col, label] of critical) {
      for (const p of series(r, "step", col, false)) {
        values.push({
          step: p.x,
          value: p.y,
          run,
          series: label,
          kind: "critical",
        });
        drawn++;
      }
    }
    // curves logged elsewhere often carry only η: draw 2/η from the lr column
    if (drawn === 0 && has(r, "lambda_max")) {
      const lrs = series(r, "step", "lr", true);
      const steps = series(r, "step", "lambda_max", false).map((p) => p.x);
      const lr = Number(r.info.lr);
      // the lr column, or the run's constant lr over the measured steps
      const points = lrs.length > 0
        ? lrs
        : lr > 0 && steps.length > 0
        ? [{ x: steps[0], y: lr }, { x: steps[steps.length - 1], y: lr }]
        : [];
      for (const p of points) {
        values.push({ step: p.x, value: 2 / p.y, run, series: "2/η", kind: "critical" });
      }
    }
    values.push(...edgeCriterionRows(r, run));
    // the spectral-LR controller's criterion: median |λ/target − 1| ≤ 5%
    for (const p of series(r, "step", "target_sharpness", true)) {
      for (const [f, label] of [[0.95, "target −5%"], [1.05, "target +5%"]] as const) {
        values.push({ step: p.x, value: f * p.y, run, series: label, kind: "criterion" });
      }
    }
  }
  if (values.length === 0) return null;
  // plain and preconditioned λ_max of one Adam run differ by orders of
  // magnitude, and so do a plain λ_max and Adam's critical value (a bound on
  // the preconditioned one): a log axis keeps every line readable in one panel
  const yLog = exp.runs.some((r) => has(r, "lambda_max") && has(r, "precond_lambda_max")) ||
    spansDecades(values.map((v) => v.value as number), 2);
  return {
    name: `${exp.name}.sharpness`,
    title: `${exp.name}: sharpness and the edge of stability`,
    caption:
      "Top Hessian eigenvalue λ_max (and λ_max of the preconditioned Hessian for Adam) vs step, with the critical value (dashed): 2/η for GD/SGD, (2+2β₁)/((1−β₁)η) for Adam. The eos/adaptive_eos criterion (dotted, from the onset t₀ on): the tolerance band [0.90, 1.15]·θ ([0.85, 1.15] for Adam) and, when a period-2 orbit was detected, its two phases. One panel per run; a log axis where the lines span more than two decades.",
    spec: facetedLines(`${exp.name}: sharpness vs critical value`, values, runs, "sharpness", {
      color: { field: "series", type: "nominal", title: "series" },
      strokeDash: {
        field: "kind",
        type: "nominal",
        title: "line",
        scale: {
          domain: ["measured", "critical", "criterion"],
          range: [[1, 0], [6, 4], [2, 2]],
        },
      },
    }, yLog),
  };
}

/**
 * Whether the values are all positive and their largest is more than
 * 10^decades times their smallest (non-finite values are ignored), so that a
 * linear axis would flatten the small ones against the axis.
 *
 * @example
 * ```ts
 * spansDecades([0.5, 20, 38000], 2); // true
 * spansDecades([3, 5, 10], 2); // false
 * spansDecades([-0.1, 5, 3000], 2); // false: a log axis cannot show -0.1
 * ```
 */
export function spansDecades(values: readonly number[], decades: number): boolean {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v <= 0) return false;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return hi > 10 ** decades * lo;
}

/**
 * The eos (GD) or adaptive_eos (Adam) criterion of one run as line rows from
 * the onset t₀ to the last step: the band edges and, with an orbit, its two
 * phases (θ at each step from the run's own threshold). Empty without onset.
 */
function edgeCriterionRows(r: LoadedRun, run: string): Row[] {
  const adam = has(r, "precond_lambda_max");
  const flavour = adam ? ADAM_EDGE : GD_EDGE;
  let found;
  try {
    found = edgeAnalysis(r, flavour, {});
  } catch {
    return [];
  }
  if ("reason" in found || found.t0 === null || found.startedAbove) return [];
  const a = found, t0 = found.t0;
  const out: Row[] = [];
  const lines: [string, number][] = [
    [`band ${flavour.band[0].toFixed(2)}θ (from onset t₀)`, flavour.band[0]],
    [`band ${flavour.band[1].toFixed(2)}θ`, flavour.band[1]],
  ];
  if (a.orbit) {
    lines.push(["period-2 orbit: even steps", a.orbit.even]);
    lines.push(["period-2 orbit: odd steps", a.orbit.odd]);
  }
  // θ at each measured step = λ / (λ/θ)
  const ratioAt = new Map<number, number>(a.x.map((step, k) => [step, a.ratio[k]]));
  const theta: [number, number][] = [];
  for (const p of series(r, "step", flavour.sharpness, false)) {
    const q = ratioAt.get(p.x);
    if (q !== undefined && q !== 0 && p.x >= t0) theta.push([p.x, p.y / q]);
  }
  for (const [label, f] of lines) {
    for (const [step, th] of theta) {
      if (Number.isFinite(th)) {
        out.push({ step, value: f * th, run, series: label, kind: "criterion" });
      }
    }
  }
  return out;
}

/**
 * One line panel per run (value vs step, independent y scales, two columns
 * when there are several runs), with extra encodings for colour/dash.
 */
function facetedLines(
  title: string,
  values: Row[],
  runs: number,
  yTitle: string,
  encodings: Record<string, unknown>,
  yLog = false,
): Record<string, unknown> {
  const cols = runs > 1 ? 2 : 1;
  return {
    ...base(title),
    data: { values },
    facet: { field: "run", type: "nominal", title: null, sort: runOrder(values) },
    columns: cols,
    spec: {
      width: cols > 1 ? 380 : WIDTH,
      height: cols > 1 ? 220 : HEIGHT,
      mark: { type: "line", clip: true },
      encoding: {
        x: { field: "step", type: "quantitative", title: "step" },
        y: {
          field: "value",
          type: "quantitative",
          title: yLog ? `${yTitle} (log scale)` : yTitle,
          scale: yLog ? { type: "log" } : { zero: false },
        },
        ...encodings,
      },
    },
    resolve: { scale: { y: "independent" } },
  };
}

function spectrumPlots(exp: LoadedExperiment): Plot[] {
  const out: Plot[] = [];
  const values: Row[] = [];
  let runs = 0;
  for (const r of exp.runs) {
    if (!r.metrics) continue;
    const ks = r.metrics.columns
      .map((c) => /^lambda_(\d+)$/.exec(c))
      .filter((m): m is RegExpExecArray => m !== null && has(r, m[0]))
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    if (ks.length === 0) continue;
    runs++;
    const run = runLabel(exp.name, r.id);
    for (const p of series(r, "step", "lambda_max", false)) {
      values.push({ step: p.x, value: p.y, run, k: 1 });
    }
    for (const k of ks) {
      for (const p of series(r, "step", `lambda_${k}`, false)) {
        values.push({ step: p.x, value: p.y, run, k });
      }
    }
  }
  if (values.length > 0) {
    out.push({
      name: `${exp.name}.spectrum`,
      title: `${exp.name}: top Hessian eigenvalues`,
      caption:
        "The top-k Hessian eigenvalues (Lanczos Ritz values) vs step; λ₁ = λ_max. One panel per run.",
      spec: facetedLines(`${exp.name}: top-k Hessian eigenvalues`, values, runs, "eigenvalue", {
        color: { field: "k", type: "ordinal", title: "k (λ_k)", scale: { scheme: "viridis" } },
      }),
    });
  }
  const dens: Row[] = [];
  let xName = "", yName = "";
  for (const r of exp.runs) {
    const t = r.density;
    if (!t) continue;
    const xc = ["lambda", "eigenvalue", "x"].find((c) => t.has(c));
    const yc = ["density", "weight"].find((c) => t.has(c));
    if (!xc || !yc) continue;
    xName ||= xc;
    yName ||= yc;
    const run = runLabel(exp.name, r.id);
    const xs = t.column(xc), ys = t.column(yc);
    const steps = t.has("step") ? t.column("step") : null;
    const pts: Row[] = [];
    for (let i = 0; i < t.length; i++) {
      const a = xs[i], b = ys[i];
      if (
        a === null || b === null || !Number.isFinite(a) || !(b > 0) ||
        !Number.isFinite(b)
      ) continue;
      pts.push({ eigenvalue: a, density: b, run, step: steps?.[i] ?? 0 });
    }
    dens.push(...thin(pts, 4 * MAX_POINTS));
  }
  if (dens.length > 0) {
    out.push({
      name: `${exp.name}.density`,
      title: `${exp.name}: Hessian spectral density`,
      caption:
        `Spectral density from stochastic Lanczos quadrature (density.csv: ${xName}, ${yName}), log y; colour = step of the measurement.`,
      spec: {
        ...base(`${exp.name}: Hessian spectral density (SLQ)`),
        data: { values: dens },
        facet: {
          field: "run",
          type: "nominal",
          title: null,
          sort: runOrder(dens),
        },
        columns: 2,
        spec: {
          width: 380,
          height: 220,
          mark: { type: "line", clip: true },
          encoding: {
            x: {
              field: "eigenvalue",
              type: "quantitative",
              title: "eigenvalue",
            },
            y: {
              field: "density",
              type: "quantitative",
              title: `${yName} (log scale)`,
              scale: { type: "log" },
            },
            color: {
              field: "step",
              type: "ordinal",
              title: "step",
              scale: { scheme: "viridis" },
            },
          },
        },
      },
    });
  }
  return out;
}

function gramPlot(exp: LoadedExperiment): Plot | null {
  const values: Row[] = [];
  for (const r of exp.runs) {
    const run = runLabel(exp.name, r.id);
    for (const p of series(r, "step", "gram_g23", true)) {
      values.push({ step: p.x, value: p.y, run, series: "g₂₃" });
    }
  }
  if (values.length === 0) return null;
  const rules = isGrokking(exp) ? grokRules(exp, exp.runs) : [];
  const x = { field: "step", type: "quantitative", title: "step" };
  const color = runColor(values);
  const layer: VlSpec[] = [{
    data: { values },
    mark: { type: "line", clip: true },
    encoding: {
      x,
      y: {
        field: "value",
        type: "quantitative",
        title: "g₂₃ = σ₂² − σ₃² (log scale)",
        scale: { type: "log" },
      },
      color,
    },
  }];
  if (rules.length > 0) {
    layer.push({
      data: { values: rules },
      mark: { type: "rule", strokeWidth: 1.2 },
      encoding: {
        x,
        color,
        strokeDash: dashes(rules, "series", "line"),
      },
    });
  }
  return {
    name: `${exp.name}.gram`,
    title: `${exp.name}: update-Gram spectral gap`,
    caption:
      "Gap g₂₃ = σ₂² − σ₃² of the Gram matrix of the last W parameter updates vs step (log y)" +
      (rules.length ? "; vertical lines mark t_fit and t_gen." : "."),
    spec: {
      ...base(`${exp.name}: update-Gram gap g₂₃`),
      width: WIDTH,
      height: HEIGHT,
      layer,
    },
  };
}

function collapseSpecs(exp: LoadedExperiment): CheckSpec[] {
  const specs = checkSpecs(exp.config).filter((s) =>
    COLLAPSE_FAMILY.has(s.name) && s.name !== "compute_optimal_horizon"
  );
  const seen = new Set<string>();
  const out: CheckSpec[] = [];
  for (const s of specs) {
    const key = JSON.stringify([s.where ?? null, s.options ?? null]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(s);
  }
  if (
    out.length === 0 &&
    tagsOf(exp.config).some((t) => t === "collapse" || t === "supercollapse")
  ) {
    out.push({ name: "collapse", expect: "report" });
  }
  return out;
}

function collapsePlots(exp: LoadedExperiment): Plot[] {
  const out: Plot[] = [];
  collapseSpecs(exp).forEach((spec, i) => {
    const runs = exp.runs.filter((r) => matchesWhere(r, spec.where));
    const a = analyseCollapse(runs, spec.options ?? {});
    if ("reason" in a) return;
    const { ladder, curves } = a;
    const top: Row[] = [];
    ladder.runs.forEach((r, j) => {
      curves.grid.forEach((x, k) => {
        const v = curves.ell[j][k];
        if (Number.isFinite(v) && v > 0) {
          top.push({
            x,
            ell: v,
            size: Number(r.size.toPrecision(5)),
            run: runLabel(exp.name, r.id),
          });
        }
      });
    });
    const bottom: Row[] = [];
    curves.grid.forEach((x, k) => {
      const d = curves.delta[k], s = curves.sigma[k];
      if (Number.isFinite(d) && d > 0) {
        bottom.push({ x, value: d, series: "Δ(x) collapse deviation" });
      }
      if (Number.isFinite(s) && s > 0) {
        bottom.push({ x, value: s, series: "σ̄(x) seed noise floor" });
        bottom.push({ x, value: 1.5 * s, series: "1.5·σ̄(x): collapse holds below" });
      }
    });
    const ells = top.map((t) => t.ell as number);
    const ellDomain = [Math.min(...ells) / 1.05, Math.max(...ells) * 1.05];
    if (top.length === 0) return;
    const where = spec.where
      ? ` where ${Object.entries(spec.where).map(([k, v]) => `${k}=${v}`).join(",")}`
      : "";
    const xTitle = `x = ${ladder.xColumn} / final ${ladder.xColumn}`;
    const panels: VlSpec[] = [{
      width: WIDTH,
      height: HEIGHT,
      data: { values: top },
      mark: { type: "line", clip: true, strokeWidth: 1.4 },
      encoding: {
        x: {
          field: "x",
          type: "quantitative",
          title: xTitle,
          scale: { domain: [0, 1] },
        },
        y: {
          field: "ell",
          type: "quantitative",
          title: "ℓ(x) = (L − L̂)/(L_final − L̂) (log scale)",
          scale: { type: "log", domain: ellDomain, nice: false },
        },
        color: {
          field: "size",
          type: "ordinal",
          title: `size (${ladder.sizeKey})`,
          scale: { scheme: "viridis" },
        },
        detail: { field: "run" },
      },
    }];
    if (bottom.length > 0) {
      panels.push({
        width: WIDTH,
        height: 170,
        data: { values: bottom },
        mark: { type: "line", clip: true, point: { size: 12 } },
        encoding: {
          x: {
            field: "x",
            type: "quantitative",
            title: xTitle,
            scale: { domain: [0, 1] },
          },
          y: {
            field: "value",
            type: "quantitative",
            title: "Δ, σ̄ (log scale)",
            scale: { type: "log" },
          },
          color: {
            field: "series",
            type: "nominal",
            title: "statistic",
            scale: {
              domain: [
                "Δ(x) collapse deviation",
                "σ̄(x) seed noise floor",
                "1.5·σ̄(x): collapse holds below",
              ],
              range: ["#d62728", "#7f7f7f", "#7f7f7f"],
            },
          },
          strokeDash: {
            field: "series",
            type: "nominal",
            legend: null,
            scale: {
              domain: [
                "Δ(x) collapse deviation",
                "σ̄(x) seed noise floor",
                "1.5·σ̄(x): collapse holds below",
              ],
              range: [[1, 0], [1, 0], [6, 4]],
            },
          },
        },
      });
    }
    const suffix = i === 0 ? "" : `_${i + 1}`;
    out.push({
      name: `${exp.name}.collapse${suffix}`,
      title: `${exp.name}: scaling collapse${where}`,
      caption:
        `Normalised loss curves ℓ(x) of the ${ladder.lossColumn} coloured by model size (${ladder.runs.length} runs, ` +
        `${ladder.sizes.length} size${ladder.sizes.length === 1 ? "" : "s"}), ${
          describeL0(a.l0)
        }; beneath: collapse deviation Δ(x), the seed noise floor σ̄(x) and the criterion 1.5·σ̄(x) (dashed): the collapse check asks for the median of Δ/σ̄ over x ∈ [0.25, 0.95] to be ≤ 1.5.`,
      spec: {
        ...base(`${exp.name}: scaling collapse${where}`, describeL0(a.l0)),
        vconcat: panels,
        resolve: { scale: { color: "independent" } },
      },
    });
  });
  return out;
}

/**
 * Every plot the experiment's CSVs support, in a fixed order: loss, accuracy
 * (grokking), sharpness, spectrum/density, update-Gram gap, collapse.
 */
export function experimentPlots(exp: LoadedExperiment): Plot[] {
  const out: Plot[] = [];
  for (const p of [lossPlot(exp), accuracyPlot(exp), sharpnessPlot(exp)]) {
    if (p) out.push(p);
  }
  out.push(...spectrumPlots(exp));
  const g = gramPlot(exp);
  if (g) out.push(g);
  out.push(...collapsePlots(exp));
  out.push(...grokkingPhasePlots(exp));
  out.push(...emergencePlots(exp));
  out.push(...scheduleModelPlots(exp));
  return out;
}
