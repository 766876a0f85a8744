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
 * const text = "params,seed,step,loss\n10,0,1,2\n10,0,2,1\n";
 * curvesFromCsv(text, "c.csv", {}).runs.length; // 1
 * ```
 * @module
 */
import { parseArgs } from "node:util";
import { CsvError, formatNumber, parseCsv, parseNumberCell } from "../results/csv.ts";
import { Table } from "../results/table.ts";
import type { CheckOptions, CheckRow, Expectation, RunData } from "./types.ts";
import { evaluateExperimentChecks } from "./evaluate.ts";
import { getCheck } from "./registry.ts";
import { analyseCollapse } from "./collapse.ts";
import { fmt } from "./common.ts";

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
 * const text = "params,seed,step,loss\n10,0,1,2\n10,1,1,2.1\n";
 * curvesFromCsv(text, "c.csv", {}).runs.map((r) => r.info.seed); // ["0", "1"]
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
    parsed.push({
      line,
      p,
      seed: s,
      step: num(jt, step),
      compute: num(jc, compute),
      loss: num(jl, loss),
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
 * optionsFor("fit_l0", { params: "n_params", l0: 0.5 }); // { params: "n_params" }
 * ```
 */
export function optionsFor(name: string, options: CheckOptions): CheckOptions {
  const shape = (getCheck(name)?.optionsSchema as { shape?: Record<string, unknown> } | undefined)
    ?.shape;
  if (!shape) return options;
  return Object.fromEntries(Object.entries(options).filter(([k]) => k in shape));
}

/**
 * Writes the collapse figure (normalised curves coloured by size, Δ and σ̄
 * beneath) and the loss curves of a curves file as SVG into `dir`, with an
 * `index.html`; the same plots `deno task report` draws for a suite. Returns
 * the written paths.
 *
 * @example
 * ```ts
 * import { curvesFromCsv, writeCurvesReport } from "./curves.ts";
 * // await writeCurvesReport("out/report", "ladder", curvesFromCsv(text, "l.csv", {}).runs, {});
 * ```
 */
export async function writeCurvesReport(
  dir: string,
  experiment: string,
  runs: RunData[],
  options: CheckOptions,
): Promise<string[]> {
  const { experimentPlots } = await import("../report/plots.ts");
  const { renderSvg } = await import("../report/render.ts");
  const name = experiment.replace(/[^A-Za-z0-9_.-]/g, "_") || "curves";
  const exp = {
    name,
    config: {
      name,
      tags: ["collapse"],
      checks: [{ name: "collapse", expect: "report", options: optionsFor("collapse", options) }],
    },
    runsCsv: null,
    runs: runs.map((r) => ({ ...r, dir: r.id })),
  };
  const plots = experimentPlots(exp);
  await Deno.mkdir(dir, { recursive: true });
  const written: string[] = [];
  const esc = (t: string) =>
    t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const items: string[] = [];
  for (const p of plots) {
    const file = `${p.name}.svg`;
    await Deno.writeTextFile(`${dir}/${file}`, await renderSvg(p.spec));
    written.push(`${dir}/${file}`);
    items.push(
      `<h2>${esc(p.title)}</h2><p>${esc(p.caption)}</p><img src="${esc(file)}" alt="${
        esc(p.title)
      }">`,
    );
  }
  await Deno.writeTextFile(
    `${dir}/index.html`,
    `<!doctype html><meta charset="utf-8"><title>${esc(name)}</title><h1>${
      esc(name)
    }: curves</h1>\n${items.join("\n")}\n`,
  );
  written.push(`${dir}/index.html`);
  return written;
}

/**
 * Runs the requested checks on the runs of a curves file.
 *
 * @example
 * ```ts
 * import { curvesFromCsv, runCurvesChecks } from "./curves.ts";
 * const { runs } = curvesFromCsv("params,seed,step,loss\n10,0,1,2\n10,0,2,1\n", "c.csv", {});
 * runCurvesChecks("c.csv", runs, ["collapse"], {}).rows[0].verdict; // "skip"
 * ```
 */
export function runCurvesChecks(
  experiment: string,
  runs: RunData[],
  names: string[],
  options: CheckOptions,
): { rows: CheckRow[]; report: CurvesReport } {
  const rows = evaluateExperimentChecks(
    experiment,
    names.map((name) => ({
      name,
      expect: CURVES_CHECKS[name] ?? "holds",
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

const USAGE =
  "usage: curves FILE.csv --check NAME[,NAME] [--params COL] [--seed COL] [--compute COL] [--loss COL] [--lr COL] [--step COL] [--where COL=VALUE]… [--l0 VALUE] [--json] [--report DIR]";

/**
 * The `curves` command. Returns the exit code (0 all pass, 1 some fail or
 * skip, 2 bad input/usage); prints a table or, with `--json`, one object.
 *
 * @example
 * ```ts
 * import { curvesCommand } from "./curves.ts";
 * const code = await curvesCommand(["missing.csv", "--check", "collapse"]); // 2
 * ```
 */
export async function curvesCommand(args: string[]): Promise<number> {
  let values, positionals;
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        check: { type: "string" },
        params: { type: "string" },
        seed: { type: "string" },
        compute: { type: "string" },
        loss: { type: "string" },
        lr: { type: "string" },
        step: { type: "string" },
        where: { type: "string", multiple: true },
        l0: { type: "string" },
        report: { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (e) {
    console.error(`curves: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(
      `curves: expected one FILE.csv, got ${positionals.length}\n${USAGE}`,
    );
    return 2;
  }
  if (!values.check) {
    console.error(
      `curves: --check is required (one or more of ${
        Object.keys(CURVES_CHECKS).join(", ")
      })\n${USAGE}`,
    );
    return 2;
  }
  const names = values.check.split(",").map((s) => s.trim()).filter((s) => s);
  const unknown = names.filter((n) => !(n in CURVES_CHECKS));
  if (names.length === 0 || unknown.length) {
    console.error(
      `curves: unknown check ${
        unknown.map((n) => `"${n}"`).join(", ") || "(none given)"
      }; curves runs: ${Object.keys(CURVES_CHECKS).join(", ")}`,
    );
    return 2;
  }
  const options: CheckOptions = {
    params: "n_params",
    seed: "seed",
    loss: "loss",
  };
  if (values.l0 !== undefined) {
    const l0 = Number(values.l0);
    if (values.l0.trim() === "" || !Number.isFinite(l0)) {
      console.error(`curves: --l0: expected a number, got "${values.l0}"`);
      return 2;
    }
    options.l0 = l0;
  }
  const file = positionals[0];
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    console.error(`curves: ${file}: cannot read (${(e as Error).message})`);
    return 2;
  }
  let parsed;
  try {
    parsed = curvesFromCsv(text, file, {
      params: values.params,
      seed: values.seed,
      step: values.step,
      compute: values.compute,
      loss: values.loss,
      lr: values.lr,
      where: values.where,
    });
  } catch (e) {
    if (e instanceof CsvError || e instanceof CurvesInputError) {
      console.error(`curves: ${e.message}`);
      return 2;
    }
    throw e;
  }
  const experiment = file.replace(/^.*[\\/]/, "").replace(/\.csv$/i, "");
  const { rows, report } = runCurvesChecks(
    experiment,
    parsed.runs,
    names,
    options,
  );
  const ok = rows.every((r) => r.outcome === "met" || r.outcome === "report");
  for (const n of parsed.notes) {
    if (n.startsWith("warning:")) console.error(`curves: ${file}: ${n}`);
  }
  if (values.report !== undefined) {
    try {
      const files = await writeCurvesReport(values.report, experiment, parsed.runs, options);
      console.error(`curves: report: ${files.length} files in ${values.report}`);
    } catch (e) {
      console.error(`curves: --report ${values.report}: cannot write (${(e as Error).message})`);
      return 2;
    }
  }
  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    const c = parsed.columns;
    console.log(
      `${file}: ${parsed.runs.length} runs; size ${c.params}, seed ${c.seed || "(none)"}, x ${
        c.compute || c.step
      }, loss ${c.loss}${c.lr ? `, lr ${c.lr}` : ""}${
        parsed.notes.length ? `; ${parsed.notes.join("; ")}` : ""
      }`,
    );
    if (report.grid.length) {
      console.log(`L̂ = ${fmt(report.l0)}`);
      console.log(["x", "Δ", "σ̄", "Δ/σ̄"].map((h) => h.padStart(10)).join(""));
      const show = report.grid.length <= 20
        ? report.grid.map((_, i) => i)
        : report.grid.map((x, i) => ({ x, i })).filter(({ x }) =>
          Math.abs(x * 10 - Math.round(x * 10)) < 1e-9
        )
          .map(({ i }) => i);
      for (const i of show) {
        console.log(
          [report.grid[i], report.delta[i], report.sigma[i], report.ratio[i]]
            .map((v) => fmt(v, 4).padStart(10)).join(""),
        );
      }
    }
    for (const r of rows) {
      console.log(
        `${r.check}: ${r.verdict}${r.expect === "report" ? " (report)" : ""} — ${r.statistic} = ${
          fmt(r.value)
        } (expected ${r.expected}) — ${r.detail}`,
      );
    }
  }
  return ok ? 0 : 1;
}
