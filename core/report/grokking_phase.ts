/**
 * The grokking phase diagram of the report: for an experiment that declares
 * the `grokking_phase` check and sweeps two axes besides the seed, two heat
 * maps over those axes — the phase of each cell (comprehension, grokking,
 * memorisation, confusion; Liu et al. 2022) and t_gen/t_fit — computed from
 * the CSVs with the check's own classifier. Cells with several seeds show the
 * most common phase and the median ratio. The cell whose values equal the
 * experiment's base configuration (for grokking_phase, the quick suite's own
 * setting) is outlined.
 *
 * @example
 * ```ts
 * import { grokkingPhasePlots } from "./grokking_phase.ts";
 * import { loadSuite } from "../results/load.ts";
 * import { writeFakeSuite } from "../../tests/compare_fixture.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * // two weight decays × one train fraction; the runs fit at step 100 and generalise at 900 or 150
 * const run = (wd: number, gen: number) => ({
 *   params: { "optimizer.weightDecay": wd, "task.trainFraction": 0.3 },
 *   header: ["step", "train_loss", "train_acc", "test_acc"],
 *   rows: [[0, 1, 0, 0], [100, 0.1, 1, 0.01], [gen, 0.1, 1, 1], [1000, 0.1, 1, 1]],
 * });
 * const dir = await Deno.makeTempDir();
 * await writeFakeSuite(dir, { checks: false }, [{
 *   name: "grok",
 *   config: {
 *     name: "grok",
 *     sweep: { "optimizer.weightDecay": [0.1, 1], "task.trainFraction": [0.3] },
 *     checks: [{ name: "grokking_phase", expect: "report" }],
 *   },
 *   runs: [run(0.1, 900), run(1, 150)],
 * }]);
 * const [experiment] = (await loadSuite(dir)).experiments;
 * assertEquals(grokkingPhasePlots(experiment).map((p) => p.name), ["grok.phase", "grok.ratio"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
import type { LoadedExperiment, LoadedRun } from "../results/load.ts";
import type { CheckOptions, CheckSpec } from "../checks/types.ts";
import { grokTimes } from "../checks/grokking.ts";
import { classifyGrokking, GROKKING_PHASES, type GrokkingPhase } from "../checks/grokking_phase.ts";
import { median } from "../checks/stats.ts";
import type { Plot } from "./render.ts";
import { FONT_FAMILY, type VlSpec } from "./render.ts";

/** One cell of the phase diagram. */
export interface PhaseCell {
  /** Value of the first swept axis (x). */
  x: string;
  /** Value of the second swept axis (y). */
  y: string;
  /** Most common phase over the cell's runs (ties: the earlier phase in GROKKING_PHASES). */
  phase: GrokkingPhase;
  /** Median t_gen/t_fit over the runs that have one, else null. */
  ratio: number | null;
  /** Runs in the cell. */
  n: number;
  /** Whether the cell is the experiment's base configuration. */
  base: boolean;
}

const COLORS: Record<GrokkingPhase, string> = {
  comprehension: "#4c9f70",
  grokking: "#3b6fb6",
  memorisation: "#e0a030",
  confusion: "#c44e52",
};

function checkSpecs(config: unknown): CheckSpec[] {
  const c = (config as { checks?: unknown })?.checks;
  return Array.isArray(c)
    ? c.filter((s) => s && typeof s === "object" && typeof s.name === "string")
    : [];
}

function valueAt(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const k of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function sameValue(cell: string, v: unknown): boolean {
  if (typeof v === "number") return Number(cell) === v;
  return v !== undefined && cell === String(v);
}

/**
 * The cells of the phase diagram (null when the experiment has no
 * `grokking_phase` check or does not sweep exactly two non-seed axes).
 *
 * @example
 * ```ts
 * import { phaseCells } from "./grokking_phase.ts";
 * import { loadSuite } from "../results/load.ts";
 * import { writeFakeSuite } from "../../tests/compare_fixture.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * // fit at step 100; generalise at 900 (t_gen/t_fit = 9: grokking) or 150 (1.5: comprehension)
 * const run = (wd: number, gen: number) => ({
 *   params: { "optimizer.weightDecay": wd, "task.trainFraction": 0.3 },
 *   header: ["step", "train_loss", "train_acc", "test_acc"],
 *   rows: [[0, 1, 0, 0], [100, 0.1, 1, 0.01], [gen, 0.1, 1, 1], [1000, 0.1, 1, 1]],
 * });
 * const dir = await Deno.makeTempDir();
 * await writeFakeSuite(dir, { checks: false }, [{
 *   name: "grok",
 *   config: {
 *     name: "grok",
 *     sweep: { "optimizer.weightDecay": [0.1, 1], "task.trainFraction": [0.3] },
 *     checks: [{ name: "grokking_phase", expect: "report" }],
 *   },
 *   runs: [run(0.1, 900), run(1, 150)],
 * }]);
 * const cells = phaseCells((await loadSuite(dir)).experiments[0])!;
 * assertEquals(cells.axes, ["optimizer.weightDecay", "task.trainFraction"]);
 * assertEquals(cells.cells.map((c) => [c.x, c.phase, c.ratio]), [["0.1", "grokking", 9], ["1", "comprehension", 1.5]]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function phaseCells(
  exp: LoadedExperiment,
): { axes: [string, string]; cells: PhaseCell[] } | null {
  const spec = checkSpecs(exp.config).find((s) => s.name === "grokking_phase");
  if (!spec) return null;
  const sweep = (exp.config as { sweep?: Record<string, unknown> })?.sweep ?? {};
  const axes = Object.keys(sweep).filter((k) => k !== "seed");
  if (axes.length !== 2) return null;
  const [ax, ay] = axes;
  const opts: CheckOptions = spec.options ?? {};
  const groups = new Map<string, LoadedRun[]>();
  for (const r of exp.runs) {
    const x = r.info[ax], y = r.info[ay];
    if (x === undefined || y === undefined || !r.metrics) continue;
    const key = JSON.stringify([x, y]);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(r);
  }
  const cells: PhaseCell[] = [];
  for (const [key, runs] of groups) {
    const [x, y] = JSON.parse(key) as [string, string];
    const counts = new Map<GrokkingPhase, number>();
    const ratios: number[] = [];
    for (const r of runs) {
      const g = grokTimes(r, opts);
      if ("reason" in g) continue;
      const p = classifyGrokking(g, opts);
      counts.set(p.phase, (counts.get(p.phase) ?? 0) + 1);
      if (p.ratio !== null && Number.isFinite(p.ratio)) ratios.push(p.ratio);
    }
    if (counts.size === 0) continue;
    let phase: GrokkingPhase = GROKKING_PHASES[0];
    let best = -1;
    for (const ph of GROKKING_PHASES) {
      const c = counts.get(ph) ?? 0;
      if (c > best) {
        best = c;
        phase = ph;
      }
    }
    cells.push({
      x,
      y,
      phase,
      ratio: ratios.length ? median(ratios) : null,
      n: runs.length,
      base: sameValue(x, valueAt(exp.config, ax)) && sameValue(y, valueAt(exp.config, ay)),
    });
  }
  const num = (a: string, b: string) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0);
  cells.sort((a, b) => num(a.x, b.x) || num(a.y, b.y));
  return { axes: [ax, ay], cells };
}

function heat(
  exp: LoadedExperiment,
  axes: [string, string],
  cells: PhaseCell[],
  which: "phase" | "ratio",
): VlSpec {
  const num = (a: string, b: string) => Number(a) - Number(b);
  const xs = [...new Set(cells.map((c) => c.x))].sort(num);
  const ys = [...new Set(cells.map((c) => c.y))].sort(num);
  const values = cells.map((c) => ({
    x: c.x,
    y: c.y,
    phase: c.phase,
    ratio: c.ratio,
    label: `${c.phase.slice(0, 4)}${c.ratio === null ? "" : ` ${c.ratio.toFixed(1)}`}`,
    base: c.base ? "quick setting" : "",
  }));
  const x = { field: "x", type: "ordinal", title: axes[0], scale: { domain: xs } };
  const y = {
    field: "y",
    type: "ordinal",
    title: axes[1],
    scale: { domain: ys.slice().reverse() },
  };
  const color = which === "phase"
    ? {
      field: "phase",
      type: "nominal",
      title: "phase",
      scale: {
        domain: [...GROKKING_PHASES],
        range: GROKKING_PHASES.map((p) => COLORS[p]),
      },
    }
    : {
      field: "ratio",
      type: "quantitative",
      title: "t_gen/t_fit",
      scale: { type: "log", scheme: "oranges" },
    };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: `${exp.name}: ${which === "phase" ? "phase" : "t_gen/t_fit"}`,
      subtitle: "outlined: the experiment's base setting",
    },
    config: {
      font: FONT_FAMILY,
      background: "white",
      axis: { labelFontSize: 11, titleFontSize: 12 },
      legend: { labelFontSize: 11, titleFontSize: 12 },
      title: { fontSize: 14, anchor: "start", subtitleFontSize: 11, subtitleColor: "#555" },
    },
    width: Math.max(160, 60 * xs.length),
    height: Math.max(120, 40 * ys.length),
    data: { values },
    layer: [
      {
        ...(which === "ratio" ? { transform: [{ filter: "datum.ratio !== null" }] } : {}),
        mark: { type: "rect" },
        encoding: { x, y, color },
      },
      {
        transform: [{ filter: "datum.base !== ''" }],
        mark: { type: "rect", fillOpacity: 0, stroke: "black", strokeWidth: 3 },
        encoding: { x, y },
      },
      {
        mark: { type: "text", fontSize: 10, color: which === "phase" ? "white" : "black" },
        encoding: { x, y, text: { field: "label", type: "nominal" } },
      },
    ],
  };
}

/**
 * The two heat maps (phase, t_gen/t_fit), or none when the experiment is not a
 * phase-diagram sweep.
 *
 * @example
 * ```ts
 * import { grokkingPhasePlots } from "./grokking_phase.ts";
 * import { loadSuite } from "../results/load.ts";
 * import { writeFakeSuite } from "../../tests/compare_fixture.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFakeSuite(dir); // its grokking experiment has no grokking_phase check and no sweep
 * const grok = (await loadSuite(dir)).experiments.find((e) => e.name === "grok_toy")!;
 * assertEquals(grokkingPhasePlots(grok), []);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function grokkingPhasePlots(exp: LoadedExperiment): Plot[] {
  const d = phaseCells(exp);
  if (!d || d.cells.length === 0) return [];
  const caption =
    `Each cell: the most common phase over its runs (comprehension, grokking, memorisation, confusion; ` +
    `Liu et al. 2022) and the median t_gen/t_fit, over ${d.axes[0]} × ${d.axes[1]}; ` +
    `the outlined cell is the experiment's base setting.`;
  return [
    {
      name: `${exp.name}.phase`,
      title: `${exp.name}: grokking phase diagram`,
      caption,
      spec: heat(exp, d.axes, d.cells, "phase"),
    },
    {
      name: `${exp.name}.ratio`,
      title: `${exp.name}: t_gen/t_fit`,
      caption:
        "t_gen/t_fit per cell (log colour scale); cells without t_gen (memorisation, confusion) are blank.",
      spec: heat(exp, d.axes, d.cells, "ratio"),
    },
  ];
}
