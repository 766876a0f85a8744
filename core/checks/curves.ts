/**
 * The `curves` command (SPEC §13): runs the collapse-family checks on a
 * long-format CSV from any framework — one row per (run, step) with the model
 * size, seed, step and/or compute, loss and optionally the learning rate.
 *
 * Rows are split into runs by (params, seed); when a (params, seed) group
 * repeats a step and an lr column exists, by (params, seed, lr) (an LR sweep
 * of constant-LR runs). Each run becomes a {@linkcode RunData} with runs.csv
 * info `n_params`, `seed`, `lr` (peak) and metrics columns `step`,
 * `compute`, `loss`, `lr`, so the same check code runs.
 *
 * Defaults: `--params params`, `--seed seed` (if present), `--step step` (if
 * present), `--compute compute` (if present; else x is the step), `--loss`
 * the first of `loss`, `test_loss`, `train_loss`, `--lr lr` (if present).
 * Exit 0 when every requested check passes (`collapse_variance_scaling` is
 * report-only), 1 when one fails or is skipped, 2 on bad input or usage.
 *
 * @example
 * ```ts
 * import { curvesFromCsv } from "./curves.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const text = "params,seed,step,loss\n10,0,1,2\n10,0,2,1\n";
 * assertEquals(curvesFromCsv(text, "c.csv", {}).runs.length, 1);
 * ```
 * @module
 */
import { CsvError, formatNumber, parseCsv, parseNumberCell } from "../results/csv.ts";
import { Table } from "../results/table.ts";
import type { CheckOptions, CheckRow, Expectation, RunData } from "./types.ts";
import { evaluateExperimentChecks } from "./evaluate.ts";
import { getCheck } from "./registry.ts";
import { analyseCollapse } from "./collapse.ts";

/** The checks `curves` can run, with their default expectation. */
export const CURVES_CHECKS: Record<string, Expectation> = {
  collapse: "holds",
  supercollapse: "holds",
  fit_l0: "holds",
  compute_optimal_horizon: "holds",
  collapse_variance_scaling: "report",
};

/** Column choices for {@linkcode curvesFromCsv} (undefined = default). */
export interface CurvesColumns {
  /** Model-size column (default `params`). */
  params?: string;
  /** Seed column (default `seed` when present). */
  seed?: string;
  /** Step column (default `step` when present). */
  step?: string;
  /** Compute column (default `compute` when present). */
  compute?: string;
  /** Loss column (default first of `loss`, `test_loss`, `train_loss`). */
  loss?: string;
  /** Learning-rate column (default `lr` when present). */
  lr?: string;
  /** Row filters `COL=VALUE`. */
  where?: string[];
}

/** Bad input or usage for `curves`; the message names the file/line/column. */
export class CurvesInputError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "CurvesInputError";
  }
}

/**
 * Splits a long-format CSV into runs (see the module doc).
 * Throws {@linkcode CsvError} / {@linkcode CurvesInputError} naming the file,
 * line and column on bad input.
 *
 * @example
 * ```ts
 * import { curvesFromCsv } from "./curves.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const text = "params,seed,step,loss\n10,0,1,2\n10,1,1,2.1\n";
 * assertEquals(curvesFromCsv(text, "c.csv", {}).runs.map((r) => r.info.seed), ["0", "1"]);
 * ```
 */
export function curvesFromCsv(
  text: string,
  file: string,
  cols: CurvesColumns,
): {
  runs: RunData[];
  columns: Required<Omit<CurvesColumns, "where">>;
  notes: string[];
} {
  const { header, rows } = parseCsv(text, file);
  const has = (c: string) => header.includes(c);
  const need = (flag: string, c: string) => {
    if (!has(c)) {
      throw new CsvError(
        file,
        1,
        `missing column "${c}" (--${flag}); columns are: ${header.join(", ")}`,
      );
    }
    return c;
  };
  const optional = (flag: string, given: string | undefined, def: string) =>
    given !== undefined ? need(flag, given) : has(def) ? def : "";
  const params = need("params", cols.params ?? "params");
  const seed = optional("seed", cols.seed, "seed");
  const step = optional("step", cols.step, "step");
  const compute = optional("compute", cols.compute, "compute");
  const lr = optional("lr", cols.lr, "lr");
  const loss = cols.loss !== undefined
    ? need("loss", cols.loss)
    : ["loss", "test_loss", "train_loss"].find(has) ??
      need("loss", "loss");
  if (!step && !compute) {
    throw new CsvError(
      file,
      1,
      `needs a step or compute column (--step/--compute); columns are: ${header.join(", ")}`,
    );
  }
  const filters = (cols.where ?? []).map((w) => {
    const eq = w.indexOf("=");
    if (eq <= 0) throw new CurvesInputError(`--where ${w}: expected COL=VALUE`);
    const c = w.slice(0, eq), v = w.slice(eq + 1);
    if (!has(c)) {
      throw new CsvError(
        file,
        1,
        `missing column "${c}" (--where); columns are: ${header.join(", ")}`,
      );
    }
    return { j: header.indexOf(c), v };
  });
  const matches = (cell: string, v: string) =>
    cell === v ||
    (cell.trim() !== "" && v.trim() !== "" && Number(cell) === Number(v));
  const j = (c: string) => (c ? header.indexOf(c) : -1);
  const jp = j(params),
    js = j(seed),
    jt = j(step),
    jc = j(compute),
    jl = j(loss),
    jr = j(lr);
  interface Row {
    line: number;
    p: number;
    seed: string;
    step: number | null;
    compute: number | null;
    loss: number | null;
    lr: number | null;
  }
  const parsed: Row[] = [];
  rows.forEach((r, i) => {
    const line = i + 2;
    if (!filters.every((f) => matches(r[f.j], f.v))) return;
    const num = (
      k: number,
      c: string,
    ) => (k < 0 ? null : parseNumberCell(r[k], file, line, c));
    const p = num(jp, params);
    if (p === null || !Number.isFinite(p)) {
      throw new CsvError(
        file,
        line,
        `column ${params}: expected a model size, got "${r[jp]}"`,
      );
    }
    const s = js < 0 ? "0" : r[js].trim();
    if (js >= 0 && s === "") {
      throw new CsvError(file, line, `column ${seed}: empty seed`);
    }
    if (!(p > 0)) {
      throw new CsvError(
        file,
        line,
        `column ${params}: expected a positive model size, got "${r[jp]}"`,
      );
    }
    const l = num(jl, loss);
    if (l !== null && !(Number.isFinite(l) && l >= 0)) {
      throw new CsvError(
        file,
        line,
        `column ${loss}: expected a finite, non-negative loss, got "${
          r[jl]
        }" (drop diverged rows with --where, or fix the log)`,
      );
    }
    const c = num(jc, compute);
    if (c !== null && !(Number.isFinite(c) && c >= 0)) {
      throw new CsvError(
        file,
        line,
        `column ${compute}: expected a finite, non-negative compute, got "${r[jc]}"`,
      );
    }
    parsed.push({
      line,
      p,
      seed: s,
      step: num(jt, step),
      compute: c,
      loss: l,
      lr: num(jr, lr),
    });
  });
  if (parsed.length === 0) {
    throw new CurvesInputError(
      `${file}: no data rows${filters.length ? " match --where" : ""}`,
    );
  }
  const keyOf = (r: Row, withLr: boolean) =>
    `${formatNumber(r.p)}\u0000${r.seed}${
      withLr ? `\u0000${r.lr === null ? "" : formatNumber(r.lr)}` : ""
    }`;
  const group = (withLr: boolean) => {
    const m = new Map<string, Row[]>();
    for (const r of parsed) {
      const k = keyOf(r, withLr);
      if (!m.has(k)) m.set(k, []);
      m.get(k)!.push(r);
    }
    return m;
  };
  const xOf = (r: Row) => (step ? r.step : r.compute);
  const xName = step || compute;
  /** Rows of one run that repeat an x: identical repeats (same step, compute,
   * loss and lr) are dropped, a conflicting repeat is returned. */
  const dedupe = (g: Map<string, Row[]>) => {
    let merged = 0;
    const out = new Map<string, Row[]>();
    for (const [k, rs] of g) {
      const seen = new Map<number, Row>();
      const keep: Row[] = [];
      for (const r of rs) {
        const x = xOf(r);
        if (x === null) {
          keep.push(r);
          continue;
        }
        const first = seen.get(x);
        if (first === undefined) {
          seen.set(x, r);
          keep.push(r);
        } else if (
          first.loss === r.loss && first.lr === r.lr && first.step === r.step &&
          first.compute === r.compute
        ) {
          merged++;
        } else {
          return { groups: out, merged, conflict: { rs, x, a: first.line, b: r.line } };
        }
      }
      out.set(k, keep);
    }
    return { groups: out, merged, conflict: null };
  };
  const notes: string[] = [];
  let d = dedupe(group(false));
  let splitByLr = false;
  if (d.conflict && lr) {
    const byLr = dedupe(group(true));
    if (!byLr.conflict) {
      d = byLr;
      splitByLr = true;
      notes.push("runs split by (params, seed, lr)");
    }
  }
  const dup = d.conflict;
  if (dup) {
    const other = step ? "--compute" : "--step";
    throw new CurvesInputError(
      `${file}: lines ${dup.a} and ${dup.b} repeat ${xName} ${dup.x} with different ${loss} for ${params} = ${
        formatNumber(dup.rs[0].p)
      }, seed ${dup.rs[0].seed}: choose an x column that does not repeat (${other} COL${
        step ? "" : " names the step column"
      }), add a --where filter, or a distinguishing --seed/--lr column`,
    );
  }
  if (d.merged > 0) {
    notes.push(
      `merged ${d.merged} identical repeated row${
        d.merged === 1 ? "" : "s"
      } (same ${xName} and ${loss})`,
    );
  }
  if (!compute) {
    notes.push(
      "warning: no compute column (--compute): L0 cannot be fitted, so L̂ = 0 unless --l0 is given",
    );
  }
  const groups = d.groups;
  const runs: RunData[] = [];
  for (const rs of groups.values()) {
    rs.sort((a, b) => (xOf(a) ?? -Infinity) - (xOf(b) ?? -Infinity) || a.line - b.line);
    const data: Record<string, (number | null)[]> = {};
    const columns: string[] = [];
    const add = (name: string, get: (r: Row) => number | null) => {
      columns.push(name);
      data[name] = rs.map(get);
    };
    if (step) add("step", (r) => r.step);
    if (compute) add("compute", (r) => r.compute);
    add("loss", (r) => r.loss);
    if (lr) add("lr", (r) => r.lr);
    const first = rs[0];
    const lrs = rs.map((r) => r.lr).filter((v): v is number => v !== null);
    const parts = [`params=${formatNumber(first.p)}`, `seed=${first.seed}`];
    if (splitByLr && first.lr !== null) {
      parts.push(`lr=${formatNumber(first.lr)}`);
    }
    const info: Record<string, string> = {
      n_params: formatNumber(first.p),
      seed: first.seed,
    };
    if (lrs.length) info.lr = formatNumber(Math.max(...lrs));
    if (splitByLr) info.schedule = "constant";
    runs.push({
      id: `${parts.join(",")}`,
      status: "ok",
      info,
      metrics: new Table(
        `${file} (${parts.join(",")})`,
        columns,
        data,
        rs.length,
      ),
    });
  }
  return {
    runs,
    columns: { params, seed, step, compute, loss, lr },
    notes,
  };
}

/** Column choices for {@linkcode runsFromLongCsv}. */
export interface LongCurvesColumns {
  /** Columns whose values identify a run (default `run` when present, else one run). */
  run?: string[];
  /** Step column (default `step`). */
  step?: string;
  /** Metric renames: phasebench name → the file's column (e.g. `lambda_max` → `sharpness`). */
  map?: Record<string, string>;
  /** Row filters `COL=VALUE`. */
  where?: string[];
}

/** Parses `--where COL=VALUE` filters against a header. */
function whereFilters(header: string[], where: string[], file: string) {
  return where.map((w) => {
    const eq = w.indexOf("=");
    if (eq <= 0) throw new CurvesInputError(`--where ${w}: expected COL=VALUE`);
    const c = w.slice(0, eq), v = w.slice(eq + 1);
    if (!header.includes(c)) {
      throw new CsvError(
        file,
        1,
        `missing column "${c}" (--where); columns are: ${header.join(", ")}`,
      );
    }
    return { j: header.indexOf(c), v };
  });
}

/** Whether a cell matches a filter value (numbers compare numerically). */
function cellMatches(cell: string, v: string): boolean {
  return cell === v || (cell.trim() !== "" && v.trim() !== "" && Number(cell) === Number(v));
}

/**
 * Splits a long-format CSV (one row per run and step, any logger) into runs
 * for every check: the `run` columns identify a run (their values make the
 * run id), the step column orders it, every other column is a metric under
 * its own name or the phasebench name `map` gives it. A column whose value is
 * constant within a run (an lr, β₁, weight decay, seed) is also in the run's
 * info, as runs.csv would hold it; `lr` in info is the run's peak lr.
 * Identical repeated rows are merged with a note; a repeated step with other
 * values, or a non-numeric metric cell, is an error naming the file and line.
 *
 * @example
 * ```ts
 * import { runsFromLongCsv } from "./curves.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const text = "run,step,sharpness\na,0,1\na,10,2\nb,0,1\n";
 * const { runs } = runsFromLongCsv(text, "c.csv", { map: { lambda_max: "sharpness" } });
 * assertEquals(runs.map((r) => r.id), ["run=a", "run=b"]);
 * assertEquals(runs[0].metrics!.column("lambda_max"), [1, 2]);
 * ```
 */
export function runsFromLongCsv(
  text: string,
  file: string,
  cols: LongCurvesColumns,
): { runs: RunData[]; notes: string[] } {
  const { header, rows } = parseCsv(text, file);
  const missing = (c: string, flag: string) =>
    new CsvError(file, 1, `missing column "${c}" (${flag}); columns are: ${header.join(", ")}`);
  const runCols = cols.run ?? (header.includes("run") ? ["run"] : []);
  for (const c of runCols) if (!header.includes(c)) throw missing(c, "--run");
  const step = cols.step ?? "step";
  if (!header.includes(step)) throw missing(step, "--step");
  // the file's column → the name the checks read
  const rename = new Map<string, string>();
  for (const [name, col] of Object.entries(cols.map ?? {})) {
    if (!header.includes(col)) throw missing(col, `--map ${name}=${col}`);
    if (rename.has(col)) {
      throw new CurvesInputError(`--map: column "${col}" is mapped twice`);
    }
    rename.set(col, name);
  }
  const filters = whereFilters(header, cols.where ?? [], file);
  const metricCols = header.filter((c) => !runCols.includes(c));
  const byRun = new Map<string, { line: number; cells: string[] }[]>();
  rows.forEach((r, i) => {
    if (!filters.every((f) => cellMatches(r[f.j], f.v))) return;
    const id = runCols.length === 0
      ? "base"
      : runCols.map((c) => `${c}=${r[header.indexOf(c)]}`).join(",");
    if (!byRun.has(id)) byRun.set(id, []);
    byRun.get(id)!.push({ line: i + 2, cells: r });
  });
  if (byRun.size === 0) {
    throw new CurvesInputError(`${file}: no data rows${filters.length ? " match --where" : ""}`);
  }
  const notes: string[] = [];
  let merged = 0;
  const runs: RunData[] = [];
  const js = header.indexOf(step);
  for (const [id, list] of byRun) {
    const stepOf = (x: { line: number; cells: string[] }) =>
      parseNumberCell(x.cells[js], file, x.line, step);
    const keep: typeof list = [];
    const seen = new Map<number, { line: number; cells: string[] }>();
    for (const x of list) {
      const t = stepOf(x);
      if (t === null || !Number.isFinite(t)) {
        throw new CsvError(
          file,
          x.line,
          `column ${step}: expected a step number, got "${x.cells[js]}"`,
        );
      }
      const first = seen.get(t);
      if (!first) {
        seen.set(t, x);
        keep.push(x);
      } else if (first.cells.join("\u0000") === x.cells.join("\u0000")) {
        merged++;
      } else {
        throw new CurvesInputError(
          `${file}: lines ${first.line} and ${x.line} repeat ${step} ${t} of run ${id} with other values: name the columns that tell the runs apart with --run COL (repeatable), or add a --where filter`,
        );
      }
    }
    keep.sort((a, b) => (stepOf(a) as number) - (stepOf(b) as number));
    const data: Record<string, (number | null)[]> = {};
    const info: Record<string, string> = {};
    for (const c of runCols) info[c] = keep[0].cells[header.indexOf(c)];
    const names: string[] = [];
    for (const c of metricCols) {
      const j = header.indexOf(c);
      const name = rename.get(c) ?? c;
      const cells = keep.map((x) => x.cells[j]);
      const isNumber = (v: string) => {
        try {
          parseNumberCell(v, file, 0, c);
          return true;
          // Stryker disable next-line BlockStatement: an empty catch returns undefined, which every() reads as false
        } catch {
          return false;
        }
      };
      // Stryker disable next-line MethodExpression: with some(), a column that is not all numbers skips this block and throws the same error at the same first bad cell below
      if (!cells.every(isNumber)) {
        // a constant text column (optimizer, schedule) is run info; anything else is an error
        if (cells.every((v) => v === cells[0])) {
          info[name] = cells[0];
          continue;
        }
        for (const x of keep) parseNumberCell(x.cells[j], file, x.line, c); // throws at the first bad cell
      }
      data[name] = keep.map((x) => parseNumberCell(x.cells[j], file, x.line, c));
      names.push(name);
      if (name !== step && cells.every((v) => v === cells[0]) && cells[0].trim() !== "") {
        info[name] = cells[0];
      }
    }
    // a run column mapped to a metric name (e.g. --run lr_col --map lr=lr_col) is
    // that metric too, constant over the run
    for (const c of runCols) {
      const name = rename.get(c);
      if (!name) continue;
      const value = keep[0].cells[header.indexOf(c)];
      info[name] = value;
      const v = Number(value);
      if (value.trim() !== "" && Number.isFinite(v) && !(name in data)) {
        data[name] = keep.map(() => v);
        names.push(name);
      }
    }
    if (data.lr) {
      const lrs = data.lr.filter((v): v is number => v !== null && Number.isFinite(v));
      if (lrs.length > 0) info.lr = formatNumber(Math.max(...lrs));
    }
    if (step !== "step") {
      data.step = data[rename.get(step) ?? step];
      names.unshift("step");
    }
    runs.push({
      id,
      status: "ok",
      info,
      metrics: new Table(`${file} (${id})`, names, data, keep.length),
    });
  }
  if (merged > 0) notes.push(`merged ${merged} identical repeated row(s)`);
  // in run-id order, as runs.csv lists them (so verify on `--out` agrees row for row)
  runs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { runs, notes };
}

/** The `--json` object of `curves`. */
export interface CurvesReport {
  /** One entry per check outcome. */
  checks: {
    experiment: string;
    check: string;
    statistic: string;
    value: number | null;
    expected: string;
    tolerance: string;
    verdict: string;
    detail: string;
  }[];
  /** L̂ used for the curves (null when no analysis was possible). */
  l0: number | null;
  /** Grid of x. */
  grid: number[];
  /** Δ(x). */
  delta: (number | null)[];
  /** σ̄(x). */
  sigma: (number | null)[];
  /** Δ/σ̄ per grid point. */
  ratio: (number | null)[];
}

/**
 * The options of `options` that check `name` declares in its strict schema
 * (all of them when it declares none): `curves` passes one set of column
 * options to every check.
 *
 * @example
 * ```ts
 * import { optionsFor } from "./curves.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * assertEquals(optionsFor("fit_l0", { params: "n_params", l0: 0.5 }), { params: "n_params" });
 * ```
 */
export function optionsFor(name: string, options: CheckOptions): CheckOptions {
  const shape = (getCheck(name)?.optionsSchema as { shape?: Record<string, unknown> } | undefined)
    ?.shape;
  if (!shape) return options;
  return Object.fromEntries(Object.entries(options).filter(([k]) => k in shape));
}

/**
 * Runs the requested checks on the runs of a curves file.
 *
 * @example
 * ```ts
 * import { curvesFromCsv, runCurvesChecks } from "./curves.ts";
 * import { assertEquals } from "../../tests/assert.ts";
 * const { runs } = curvesFromCsv("params,seed,step,loss\n10,0,1,2\n10,0,2,1\n", "c.csv", {});
 * assertEquals(runCurvesChecks("c.csv", runs, ["collapse"], {}).rows[0].verdict, "skip");
 * ```
 */
export function runCurvesChecks(
  experiment: string,
  runs: RunData[],
  names: string[],
  options: CheckOptions,
  expect: Record<string, Expectation> = {},
): { rows: CheckRow[]; report: CurvesReport } {
  const rows = evaluateExperimentChecks(
    experiment,
    names.map((name) => ({
      name,
      expect: expect[name] ?? CURVES_CHECKS[name] ?? "holds",
      options: optionsFor(name, options),
    })),
    runs,
  );
  const a = analyseCollapse(runs, options);
  const num = (x: number) => (Number.isFinite(x) ? x : null);
  const report: CurvesReport = {
    checks: rows.map((r) => ({
      experiment: r.experiment,
      check: r.check,
      statistic: r.statistic,
      value: r.value === null ? null : num(r.value),
      expected: r.expected,
      tolerance: r.tolerance,
      verdict: r.verdict,
      detail: r.detail,
    })),
    l0: "reason" in a ? (typeof options.l0 === "number" ? options.l0 : null) : a.l0.l0,
    grid: "reason" in a ? [] : a.curves.grid,
    delta: "reason" in a ? [] : a.curves.delta.map(num),
    sigma: "reason" in a ? [] : a.curves.sigma.map(num),
    ratio: "reason" in a ? [] : a.curves.ratio.map(num),
  };
  return { rows, report };
}
