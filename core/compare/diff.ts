/**
 * Two result sets → a structured comparison: byte identity, check verdicts
 * A → B, metric drift per run and column, and the gate (exit code).
 *
 * @example
 * ```ts
 * import { loadSuite } from "../results/load.ts";
 * import { compareSuites, exitCodeOf } from "./diff.ts";
 * import { setMetric, writeFakeSuite } from "../../tests/compare_fixture.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFakeSuite(`${dir}/a`);
 * await writeFakeSuite(`${dir}/b`);
 * assertEquals(exitCodeOf(compareSuites(await loadSuite(`${dir}/a`), await loadSuite(`${dir}/b`))), 0);
 * // one loss value drifts in B, on the same backend: the comparison gates
 * await setMetric(`${dir}/b`, "eos_toy", { lr: 0.2, seed: 1 }, 0, "train_loss", (v) => v * 1.01);
 * assertEquals(exitCodeOf(compareSuites(await loadSuite(`${dir}/a`), await loadSuite(`${dir}/b`))), 1);
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
import { type CheckRow, failsGate } from "../checks/types.ts";
import type { Table } from "../results/table.ts";
import { type LoadedRun, type Suite } from "../results/load.ts";
import { backendOf } from "../backends/identity.ts";

/** Options of {@linkcode compareSuites}. */
export interface CompareOptions {
  /**
   * Relative tolerance for metric drift between results of the same backend
   * (|a − b| / max(|a|, |b|)); default 1e-9. Drift beyond it gates (exit 1).
   */
  rtol?: number;
}

/** Default relative tolerance for same-backend drift. */
export const DEFAULT_RTOL = 1e-9;

/** One side of a check row. */
export interface CheckSide {
  /** Statistic name. */
  statistic: string;
  /** Statistic value (null when not computable). */
  value: number | null;
  /** Expected band. */
  expected: string;
  /** Tolerance. */
  tolerance: string;
  /** pass | fail | skip. */
  verdict: CheckRow["verdict"];
  /** met | not met | report | skipped. */
  outcome: CheckRow["outcome"];
  /** One-line reason. */
  detail: string;
}

/** A check row compared A → B. */
export interface CheckDiff {
  /** Experiment name. */
  experiment: string;
  /** Check name. */
  check: string;
  /** Run id or "*". */
  run: string;
  /** Expectation in B (else A). */
  expect: CheckRow["expect"];
  /** A's row, absent when the check is new in B. */
  a?: CheckSide;
  /** B's row, absent when the check was removed. */
  b?: CheckSide;
  /** What changed. */
  change: "same" | "value" | "verdict" | "added" | "removed";
  /** Why this row gates (exit 1), when it does. */
  gate?: string;
}

/** One metrics column compared within a run. */
export interface ColumnDiff {
  /** Column name. */
  column: string;
  /** Present only in A or only in B (then no numbers). */
  onlyIn?: "A" | "B";
  /** Rows (matched by step) whose values differ at all. */
  rowsDiffering: number;
  /** Largest |a − b| over rows where both are finite numbers (0 if none). */
  maxAbs: number;
  /** Largest |a − b| / max(|a|, |b|) over those rows (0 if none). */
  maxRel: number;
  /** First step (or row index when there is no step column) where the values differ. */
  firstStep: number | null;
  /** Rows where one side is empty/NaN/±Inf and the other is not the same. */
  mismatchedCells: number;
  /** Beyond tolerance (rel > rtol, or mismatched cells). */
  beyondTolerance: boolean;
}

/** One run compared. */
export interface RunDiff {
  /** Run id. */
  id: string;
  /** Backend of A's run and B's run (manifest `backend.name`, or "unknown"). */
  backend: { a: string; b: string };
  /** Both runs ran on the same backend (so drift gates). */
  sameBackend: boolean;
  /** Status A → B when it changed. */
  status?: { a: string; b: string };
  /** Run directory A → B when it changed (config hash changed). */
  dir?: { a: string; b: string };
  /** Steps present in only one side's metrics.csv. */
  stepsOnlyInA: number;
  /** Steps present only in B. */
  stepsOnlyInB: number;
  /** Metrics columns that changed (unchanged columns are not listed). */
  columns: ColumnDiff[];
  /** runs.csv cells that changed, column → [a, b]. */
  runsCsv: Record<string, [string, string]>;
  /** events.csv differs. */
  eventsChanged: boolean;
  /** Why this run gates (exit 1), when it does. */
  gate?: string;
}

/** One experiment compared. */
export interface ExperimentDiff {
  /** Experiment name. */
  name: string;
  /** Present only in one result set. */
  onlyIn?: "A" | "B";
  /** experiment.json differs. */
  configChanged: boolean;
  /** Run ids only in A. */
  runsOnlyInA: string[];
  /** Run ids only in B. */
  runsOnlyInB: string[];
  /** Runs present in both that differ in any way. */
  runs: RunDiff[];
  /** Runs present in both and equal. */
  unchangedRuns: number;
}

/** The whole comparison. */
export interface Comparison {
  /** Label of A. */
  a: string;
  /** Label of B. */
  b: string;
  /** Relative tolerance used. */
  rtol: number;
  /** Byte-identical (ignoring timing.csv, report/ and volatile manifest fields). */
  identical: boolean;
  /** Compared files that differ / exist on one side only. */
  files: { differing: string[]; onlyInA: string[]; onlyInB: string[] };
  /** Check rows A → B (in B's order, then removed rows). */
  checks: CheckDiff[];
  /** Experiments (sorted by name). */
  experiments: ExperimentDiff[];
  /** Every reason to exit 1, one line each. */
  gates: string[];
}

function side(r: CheckRow): CheckSide {
  return {
    statistic: r.statistic,
    value: r.value,
    expected: r.expected,
    tolerance: r.tolerance,
    verdict: r.verdict,
    outcome: r.outcome,
    detail: r.detail,
  };
}

function sameNumber(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  return a === b;
}

/** Keys check rows by experiment/check/run plus an occurrence index (a check may be declared twice). */
function keyed(rows: CheckRow[]): Map<string, CheckRow> {
  const m = new Map<string, CheckRow>();
  const count = new Map<string, number>();
  for (const r of rows) {
    const base = `${r.experiment}\u0000${r.check}\u0000${r.run}`;
    const n = count.get(base) ?? 0;
    count.set(base, n + 1);
    m.set(`${base}\u0000${n}`, r);
  }
  return m;
}

/** Compares the checks.csv rows of A and B and marks the gating ones. */
export function compareChecks(a: CheckRow[], b: CheckRow[]): CheckDiff[] {
  const ka = keyed(a), kb = keyed(b);
  const out: CheckDiff[] = [];
  for (const [k, rb] of kb) {
    const ra = ka.get(k);
    const d: CheckDiff = {
      experiment: rb.experiment,
      check: rb.check,
      run: rb.run,
      expect: rb.expect,
      b: side(rb),
      change: "added",
    };
    if (ra) {
      d.a = side(ra);
      d.change = ra.verdict !== rb.verdict || ra.outcome !== rb.outcome ||
          ra.expect !== rb.expect
        ? "verdict"
        : !sameNumber(ra.value, rb.value) || ra.statistic !== rb.statistic
        ? "value"
        : "same";
    }
    if (failsGate(rb)) {
      d.gate = ra?.outcome === "met"
        ? `check flipped: ${rb.experiment} ${rb.check} ${rb.run}: met → ${rb.outcome} (${rb.verdict}, expect ${rb.expect})`
        : `check ${rb.outcome} in B: ${rb.experiment} ${rb.check} ${rb.run} (verdict ${rb.verdict}, expect ${rb.expect}): ${rb.detail}`;
    }
    out.push(d);
  }
  for (const [k, ra] of ka) {
    if (kb.has(k)) continue;
    out.push({
      experiment: ra.experiment,
      check: ra.check,
      run: ra.run,
      expect: ra.expect,
      a: side(ra),
      change: "removed",
      gate: `check missing in B: ${ra.experiment} ${ra.check} ${ra.run} (in A: ${ra.outcome})`,
    });
  }
  return out;
}

/** Relative difference |a − b| / max(|a|, |b|) (0 when both are 0). */
export function relDiff(a: number, b: number): number {
  const d = Math.abs(a - b);
  if (d === 0) return 0;
  return d / Math.max(Math.abs(a), Math.abs(b));
}

function stepKeys(t: Table): number[] {
  if (t.has("step")) {
    return t.column("step").map((
      s,
      i,
    ) => (s === null || !Number.isFinite(s) ? -1 - i : s));
  }
  return Array.from({ length: t.length }, (_, i) => i);
}

/** Compares two metrics tables, rows matched by `step` (row index when there is none). */
export function compareTables(
  a: Table,
  b: Table,
  rtol: number,
): { columns: ColumnDiff[]; stepsOnlyInA: number; stepsOnlyInB: number } {
  const ka = stepKeys(a), kb = stepKeys(b);
  const rowB = new Map<number, number>();
  kb.forEach((k, i) => rowB.set(k, i));
  const setA = new Set(ka);
  const pairs: [number, number, number][] = []; // [step, rowA, rowB]
  ka.forEach((k, i) => {
    const j = rowB.get(k);
    if (j !== undefined) pairs.push([k, i, j]);
  });
  const stepsOnlyInA = ka.filter((k) => !rowB.has(k)).length;
  const stepsOnlyInB = kb.filter((k) => !setA.has(k)).length;
  const columns: ColumnDiff[] = [];
  const all = [
    ...a.columns,
    ...b.columns.filter((c) => !a.columns.includes(c)),
  ];
  for (const col of all) {
    if (!b.has(col) || !a.has(col)) {
      columns.push({
        column: col,
        onlyIn: a.has(col) ? "A" : "B",
        rowsDiffering: 0,
        maxAbs: 0,
        maxRel: 0,
        firstStep: null,
        mismatchedCells: 0,
        beyondTolerance: true,
      });
      continue;
    }
    const ca = a.column(col), cb = b.column(col);
    let rowsDiffering = 0, maxAbs = 0, maxRel = 0, mismatched = 0;
    let firstStep: number | null = null;
    for (const [step, i, j] of pairs) {
      const x = ca[i], y = cb[j];
      if (sameNumber(x, y)) continue;
      rowsDiffering++;
      if (firstStep === null) firstStep = step;
      if (
        x === null || y === null || !Number.isFinite(x) || !Number.isFinite(y)
      ) {
        mismatched++;
        continue;
      }
      maxAbs = Math.max(maxAbs, Math.abs(x - y));
      maxRel = Math.max(maxRel, relDiff(x, y));
    }
    if (rowsDiffering > 0) {
      columns.push({
        column: col,
        rowsDiffering,
        maxAbs,
        maxRel,
        firstStep,
        mismatchedCells: mismatched,
        beyondTolerance: mismatched > 0 || maxRel > rtol,
      });
    }
  }
  return { columns, stepsOnlyInA, stepsOnlyInB };
}

function cellsDiffer(x: string, y: string, rtol: number): boolean {
  if (x === y) return false;
  const nx = Number(x), ny = Number(y);
  if (
    x.trim() !== "" && y.trim() !== "" && Number.isFinite(nx) &&
    Number.isFinite(ny)
  ) {
    return relDiff(nx, ny) > rtol;
  }
  return true;
}

function compareRun(
  ra: LoadedRun,
  rb: LoadedRun,
  rtol: number,
): RunDiff | null {
  const backend = { a: backendOf(ra), b: backendOf(rb) };
  const d: RunDiff = {
    id: rb.id,
    backend,
    sameBackend: backend.a === backend.b,
    stepsOnlyInA: 0,
    stepsOnlyInB: 0,
    columns: [],
    runsCsv: {},
    eventsChanged: false,
  };
  if (ra.status !== rb.status) d.status = { a: ra.status, b: rb.status };
  if (ra.dir !== rb.dir) d.dir = { a: ra.dir, b: rb.dir };
  if (ra.metrics && rb.metrics) {
    const t = compareTables(ra.metrics, rb.metrics, rtol);
    d.columns = t.columns;
    d.stepsOnlyInA = t.stepsOnlyInA;
    d.stepsOnlyInB = t.stepsOnlyInB;
  } else if (ra.metrics || rb.metrics) {
    const t = (ra.metrics ?? rb.metrics)!;
    if (ra.metrics) d.stepsOnlyInA = t.length;
    else d.stepsOnlyInB = t.length;
  }
  let runsCsvBeyond = false;
  const keys = [
    ...Object.keys(ra.info),
    ...Object.keys(rb.info).filter((k) => !(k in ra.info)),
  ];
  for (const k of keys) {
    if (k === "dir") continue; // reported as d.dir
    const x = ra.info[k] ?? "", y = rb.info[k] ?? "";
    if (x !== y) {
      d.runsCsv[k] = [x, y];
      if (cellsDiffer(x, y, rtol)) runsCsvBeyond = true;
    }
  }
  d.eventsChanged = JSON.stringify(ra.events ?? null) !== JSON.stringify(rb.events ?? null);
  const changed = d.status !== undefined || d.dir !== undefined ||
    d.columns.length > 0 ||
    d.stepsOnlyInA > 0 || d.stepsOnlyInB > 0 ||
    Object.keys(d.runsCsv).length > 0 ||
    d.eventsChanged;
  if (!changed) return null;
  if (d.sameBackend) {
    const beyond = d.columns.filter((c) => c.beyondTolerance);
    const why: string[] = [];
    if (d.status) why.push(`status ${d.status.a} → ${d.status.b}`);
    for (const c of beyond) {
      why.push(
        c.onlyIn
          ? `column ${c.column} only in ${c.onlyIn}`
          : `column ${c.column} max rel ${
            c.maxRel.toExponential(2)
          } (first at step ${c.firstStep})`,
      );
    }
    if (d.stepsOnlyInA + d.stepsOnlyInB > 0) {
      why.push(
        `steps only in A: ${d.stepsOnlyInA}, only in B: ${d.stepsOnlyInB}`,
      );
    }
    if (runsCsvBeyond && why.length === 0) {
      why.push(`runs.csv ${Object.keys(d.runsCsv).join(", ")} changed`);
    }
    if (why.length > 0) {
      d.gate = `metrics drift on the same backend (${backend.b}), rtol ${rtol}: ${rb.id}: ${
        why.join("; ")
      }`;
    }
  }
  return d;
}

function compareDigests(a: Suite, b: Suite): Comparison["files"] {
  const differing: string[] = [],
    onlyInA: string[] = [],
    onlyInB: string[] = [];
  for (const [f, h] of Object.entries(a.digests)) {
    if (!(f in b.digests)) onlyInA.push(f);
    else if (b.digests[f] !== h) differing.push(f);
  }
  for (const f of Object.keys(b.digests)) {
    if (!(f in a.digests)) onlyInB.push(f);
  }
  return {
    differing: differing.sort(),
    onlyInA: onlyInA.sort(),
    onlyInB: onlyInB.sort(),
  };
}

/**
 * Compares result set A (reference) with B (candidate).
 *
 * Gates (see {@linkcode exitCodeOf}): a gating check (expect holds|fails) whose
 * outcome in B is "not met" or "skipped" (including flips from met); a check,
 * run or experiment that A has and B lacks (a lost shard); a run whose metrics
 * drift beyond `rtol` between A and B on the same backend (also a status
 * change, or missing/extra columns or steps). Drift across different backends,
 * and checks, runs or experiments new in B, are reported and do not gate.
 *
 * @example
 * ```ts
 * import { loadSuite } from "../results/load.ts";
 * import { writeFakeSuite } from "../../tests/compare_fixture.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFakeSuite(`${dir}/a`, { wallSeconds: 1.5 });
 * await writeFakeSuite(`${dir}/b`, { wallSeconds: 7.25 }); // wall-clock times are ignored
 * const [a, b] = [await loadSuite(`${dir}/a`), await loadSuite(`${dir}/b`)];
 * const c = compareSuites(a, b, { rtol: 1e-9 });
 * assertEquals(c.identical, true); // byte-identical
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function compareSuites(
  a: Suite,
  b: Suite,
  opts: CompareOptions = {},
): Comparison {
  const rtol = opts.rtol ?? DEFAULT_RTOL;
  const files = compareDigests(a, b);
  const identical = files.differing.length === 0 &&
    files.onlyInA.length === 0 &&
    files.onlyInB.length === 0;
  const checks = compareChecks(a.checks, b.checks);
  const experiments: ExperimentDiff[] = [];
  const ea = new Map(a.experiments.map((e) => [e.name, e]));
  const eb = new Map(b.experiments.map((e) => [e.name, e]));
  const names = [...new Set([...ea.keys(), ...eb.keys()])].sort();
  for (const name of names) {
    const xa = ea.get(name), xb = eb.get(name);
    if (!xa || !xb) {
      experiments.push({
        name,
        onlyIn: xa ? "A" : "B",
        configChanged: false,
        runsOnlyInA: xa ? xa.runs.map((r) => r.id) : [],
        runsOnlyInB: xb ? xb.runs.map((r) => r.id) : [],
        runs: [],
        unchangedRuns: 0,
      });
      continue;
    }
    const rb = new Map(xb.runs.map((r) => [r.id, r]));
    const ra = new Map(xa.runs.map((r) => [r.id, r]));
    const d: ExperimentDiff = {
      name,
      configChanged: JSON.stringify(xa.config) !== JSON.stringify(xb.config),
      runsOnlyInA: xa.runs.filter((r) => !rb.has(r.id)).map((r) => r.id),
      runsOnlyInB: xb.runs.filter((r) => !ra.has(r.id)).map((r) => r.id),
      runs: [],
      unchangedRuns: 0,
    };
    for (const r of xa.runs) {
      const other = rb.get(r.id);
      if (!other) continue;
      const rd = compareRun(r, other, rtol);
      if (rd) d.runs.push(rd);
      else d.unchangedRuns++;
    }
    experiments.push(d);
  }
  const gates = [
    ...checks.flatMap((c) => (c.gate ? [c.gate] : [])),
    ...experiments.flatMap((e) =>
      e.onlyIn === "A"
        ? [`experiment missing in B: ${e.name} (${e.runsOnlyInA.length} run(s) in A)`]
        : e.runsOnlyInA.length > 0
        ? [`run(s) missing in B: ${e.runsOnlyInA.join(", ")}`]
        : []
    ),
    ...experiments.flatMap((e) => e.runs.flatMap((r) => (r.gate ? [r.gate] : []))),
  ];
  return {
    a: a.dir,
    b: b.dir,
    rtol,
    identical,
    files,
    checks,
    experiments,
    gates,
  };
}

/** Exit code of a comparison: 1 when anything gates, else 0. */
export function exitCodeOf(c: Comparison): 0 | 1 {
  return c.gates.length > 0 ? 1 : 0;
}

/**
 * The comparison as a JSON-ready object. `checks` carries B's fields at the top
 * level (experiment, check, run, expect, statistic, value, expected, tolerance,
 * verdict, outcome, detail) plus `a` (A's side) and `change`, as the CLI's
 * `--json` convention asks.
 */
export function toJson(c: Comparison): Record<string, unknown> {
  const num = (
    x: number | null,
  ) => (x === null || Number.isFinite(x) ? x : String(x));
  return {
    a: c.a,
    b: c.b,
    identical: c.identical,
    exitCode: exitCodeOf(c),
    rtol: c.rtol,
    gates: c.gates,
    files: c.files,
    checks: c.checks.map((d) => {
      const s = d.b ?? d.a!;
      return {
        experiment: d.experiment,
        check: d.check,
        run: d.run,
        expect: d.expect,
        statistic: s.statistic,
        value: d.b ? num(d.b.value) : null,
        expected: s.expected,
        tolerance: s.tolerance,
        verdict: d.b?.verdict ?? null,
        outcome: d.b?.outcome ?? null,
        detail: d.b?.detail ?? "",
        change: d.change,
        a: d.a ? { ...d.a, value: num(d.a.value) } : null,
        gate: d.gate ?? null,
      };
    }),
    experiments: c.experiments.map((e) => ({
      ...e,
      runs: e.runs.map((r) => ({
        ...r,
        columns: r.columns.map((col) => ({
          ...col,
          maxAbs: num(col.maxAbs),
          maxRel: num(col.maxRel),
        })),
      })),
    })),
  };
}
