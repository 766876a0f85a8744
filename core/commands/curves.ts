/**
 * `curves FILE.csv --check NAME[,NAME]`: runs any theory check on long-format
 * curves logged by any framework (one row per run and step), with the same
 * verdict lines, `--json` and exit codes as `verify`. `--out DIR` writes a
 * results directory that `verify`, `compare`, `report` and the gate accept.
 *
 * Two ways to read the file:
 * - the collapse family (`collapse`, `supercollapse`, `fit_l0`,
 *   `compute_optimal_horizon`, `collapse_variance_scaling`) reads a model-size
 *   column, a seed, a step and/or compute column and a loss (`--params`,
 *   `--seed`, `--step`, `--compute`, `--loss`, `--lr`);
 * - every other check reads runs told apart by `--run COL` (repeatable;
 *   default a `run` column), ordered by `--step`, with metric columns under
 *   phasebench's names (`lambda_max`, `precond_lambda_max`, `train_loss`,
 *   `test_acc`, `lr`, `gram_s2_s3`, …) or renamed with `--map NAME=COL`.
 *
 * @example
 * ```ts
 * import { curvesCommand } from "./curves.ts";
 * import { captureIO } from "../../tests/compare_fixture.ts";
 * import { assertEquals, assertMatch } from "../../tests/assert.ts";
 * // a ladder logged elsewhere: sizes 10, 20, 40, two seeds, L(c) = 0.5 + 100/c (seed 1 1% off at c = 5·size)
 * const lines = ["params,seed,compute,loss"];
 * for (const n of [10, 20, 40]) {
 *   for (const s of [0, 1]) {
 *     lines.push(`${n},${s},${5 * n},${0.5 + (20 / n) * (s ? 1.01 : 1)}`, `${n},${s},${10 * n},${0.5 + 10 / n}`);
 *   }
 * }
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/ladder.csv`, lines.join("\n") + "\n");
 * const io = captureIO();
 * assertEquals(await curvesCommand([`${dir}/ladder.csv`, "--check", "collapse", "--l0", "0.5"], io), 0);
 * assertMatch(io.stdout.join("\n"), /ok +ladder:collapse +expect holds +pass/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
import {
  type Command,
  type CommandIO,
  consoleIO,
  type ParsedArgs,
  runCommand,
  UsageError,
} from "./command.ts";
import { printVerdicts } from "./verdicts.ts";
import { CsvError } from "../results/csv.ts";
import { checkNames, getCheck } from "../checks/registry.ts";
import { checkOptionsProblem } from "../checks/evaluate.ts";
import { failsGate } from "../checks/types.ts";
import type { CheckOptions, CheckRow, Expectation, RunData } from "../checks/types.ts";
import {
  CURVES_CHECKS,
  curvesFromCsv,
  CurvesInputError,
  optionsFor,
  runCurvesChecks,
  runsFromLongCsv,
} from "../checks/curves.ts";
import { fmt } from "../checks/common.ts";

/** `NAME=VALUE` → [NAME, VALUE], or a UsageError naming the flag. */
function pair(flag: string, text: string): [string, string] {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new UsageError(`${flag} ${text}: expected NAME=VALUE`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

/** A `--option` value: JSON when it parses (numbers, lists, booleans), else the text. */
function optionValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The check names of `--check`, validated against the registry. */
function checkList(text: string | undefined): string[] {
  if (!text) {
    throw new UsageError(`--check is required (one or more of ${checkNames().join(", ")})`);
  }
  const names = text.split(",").map((s) => s.trim()).filter((s) => s);
  const unknown = names.filter((n) => !getCheck(n));
  if (names.length === 0 || unknown.length > 0) {
    throw new UsageError(
      `unknown check ${unknown.map((n) => `"${n}"`).join(", ") || "(none given)"}; known: ${
        checkNames().join(", ")
      }`,
    );
  }
  return names;
}

/** Per-check options from `--option CHECK.KEY=VALUE`, validated by each check's schema. */
function checkOptions(names: string[], given: string[]): Record<string, CheckOptions> {
  const out: Record<string, CheckOptions> = Object.fromEntries(names.map((n) => [n, {}]));
  for (const text of given) {
    const [path, value] = pair("--option", text);
    const dot = path.indexOf(".");
    const check = dot > 0 ? path.slice(0, dot) : "";
    if (!(check in out)) {
      throw new UsageError(
        `--option ${text}: expected CHECK.KEY=VALUE with CHECK one of ${names.join(", ")}`,
      );
    }
    out[check][path.slice(dot + 1)] = optionValue(value);
  }
  for (const n of names) {
    const problem = checkOptionsProblem(getCheck(n)!, out[n]);
    if (problem) throw new UsageError(`--option (${n}): ${problem}`);
  }
  return out;
}

/** `curves`. */
export const curves: Command = {
  name: "curves",
  summary:
    "Runs theory checks on long-format curves (one row per run and step) logged by any framework, with verify's verdict lines, --json and exit codes: 0 every gating check met; 1 one was not met or skipped (e.g. a column the check needs is missing); 2 bad input or usage (file:line).",
  args: "FILE.csv",
  options: {
    check: { type: "string", value: "NAME[,NAME]", help: "the checks to run (required)" },
    run: {
      type: "string",
      value: "COL",
      multiple: true,
      help: "a column that identifies a run (default: a `run` column, else one run)",
    },
    step: { type: "string", value: "COL", help: "step column (default step)" },
    map: {
      type: "string",
      value: "NAME=COL",
      multiple: true,
      help: "read phasebench metric NAME (e.g. lambda_max) from column COL",
    },
    option: {
      type: "string",
      value: "CHECK.KEY=VALUE",
      multiple: true,
      help: "a check option (validated by the check's schema), e.g. eos.band=[0.9,1.1]",
    },
    expect: {
      type: "string",
      value: "CHECK=holds|fails|report",
      multiple: true,
      help: "what a check is expected to do (default holds)",
    },
    params: {
      type: "string",
      value: "COL",
      help: "collapse family: model-size column (default params)",
    },
    seed: { type: "string", value: "COL", help: "collapse family: seed column (default seed)" },
    compute: {
      type: "string",
      value: "COL",
      help: "collapse family: compute column (needed to fit L0)",
    },
    loss: { type: "string", value: "COL", help: "collapse family: loss column (default loss)" },
    lr: { type: "string", value: "COL", help: "collapse family: learning-rate column" },
    l0: {
      type: "string",
      value: "VALUE",
      help: "collapse family: use this L̂ instead of fitting L0",
    },
    where: { type: "string", value: "COL=VALUE", multiple: true, help: "keep matching rows only" },
    json: { type: "boolean", default: false, help: "one JSON object" },
    out: {
      type: "string",
      value: "DIR",
      help: "write a results directory (verify, compare, report and the gate accept it)",
    },
    report: { type: "string", value: "DIR", help: "draw the figures into DIR" },
  },
  run: runCurves,
};

async function runCurves({ values, positionals }: ParsedArgs, io: CommandIO): Promise<number> {
  if (positionals.length !== 1) {
    throw new UsageError(`expected one FILE.csv, got ${positionals.length}`);
  }
  const file = positionals[0];
  const names = checkList(values.check as string | undefined);
  const perCheck = checkOptions(names, values.option as string[] ?? []);
  const expect: Record<string, Expectation> = {};
  for (const text of (values.expect as string[] | undefined) ?? []) {
    const [n, e] = pair("--expect", text);
    if (!names.includes(n) || !["holds", "fails", "report"].includes(e)) {
      throw new UsageError(
        `--expect ${text}: expected CHECK=holds|fails|report for one of ${names.join(", ")}`,
      );
    }
    expect[n] = e as Expectation;
  }
  const map: Record<string, string> = {};
  for (const text of (values.map as string[] | undefined) ?? []) {
    const [n, c] = pair("--map", text);
    map[n] = c;
  }
  const collapseOptions: CheckOptions = { params: "n_params", seed: "seed", loss: "loss" };
  if (values.l0 !== undefined) {
    const l0 = Number(values.l0);
    if ((values.l0 as string).trim() === "" || !Number.isFinite(l0)) {
      throw new UsageError(`--l0: expected a number, got "${values.l0}"`);
    }
    collapseOptions.l0 = l0;
  }
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    throw new CsvError(file, null, `cannot read (${(e as Error).message})`);
  }
  const experiment =
    file.replace(/^.*[\\/]/, "").replace(/\.csv$/i, "").replace(/[^A-Za-z0-9_.-]/g, "_") ||
    "curves";
  const family = names.filter((n) => n in CURVES_CHECKS);
  const others = names.filter((n) => !(n in CURVES_CHECKS));
  const where = values.where as string[] | undefined;
  const notes: string[] = [];
  const rows: CheckRow[] = [];
  const specs: { name: string; expect: string; options: CheckOptions }[] = [];
  let collapseReport = null;
  let allRuns: RunData[] = [];
  // what was read: stdout, or stderr when stdout carries JSON
  const say = (line: string) => (values.json ? io.err(line) : io.out(line));
  const prefix = (runs: RunData[]) => runs.map((r) => ({ ...r, id: `${experiment}/${r.id}` }));
  try {
    if (family.length > 0) {
      const parsed = curvesFromCsv(text, file, {
        params: values.params as string | undefined,
        seed: values.seed as string | undefined,
        step: values.step as string | undefined,
        compute: values.compute as string | undefined,
        loss: values.loss as string | undefined,
        lr: values.lr as string | undefined,
        where,
      });
      notes.push(...parsed.notes);
      const runs = prefix(parsed.runs);
      const options = {
        ...collapseOptions,
        ...Object.assign({}, ...family.map((n) => perCheck[n])),
      };
      const r = runCurvesChecks(experiment, runs, family, options, expect);
      rows.push(...r.rows);
      collapseReport = r.report;
      for (const n of family) {
        specs.push({
          name: n,
          expect: expect[n] ?? CURVES_CHECKS[n],
          options: optionsFor(n, { ...options, ...perCheck[n] }),
        });
      }
      allRuns = runs;
      const c = parsed.columns;
      say(
        `${file}: ${runs.length} runs; size ${c.params}, seed ${c.seed || "(none)"}, x ${
          c.compute || c.step
        }, loss ${c.loss}${c.lr ? `, lr ${c.lr}` : ""}`,
      );
    }
    if (others.length > 0) {
      const parsed = runsFromLongCsv(text, file, {
        run: values.run as string[] | undefined,
        step: values.step as string | undefined,
        map,
        where,
      });
      notes.push(...parsed.notes);
      const runs = prefix(parsed.runs);
      // each check with its own options
      rows.push(
        ...others.flatMap((n) => runCurvesChecks(experiment, runs, [n], perCheck[n], expect).rows),
      );
      for (const n of others) {
        specs.push({ name: n, expect: expect[n] ?? "holds", options: perCheck[n] });
      }
      if (allRuns.length === 0) allRuns = runs;
      say(
        `${file}: ${runs.length} run(s) by ${
          (values.run as string[] | undefined)?.join(", ") ?? "run"
        }`,
      );
    }
  } catch (e) {
    if (e instanceof CurvesInputError) {
      throw new CsvError(file, null, e.message.replace(`${file}: `, ""));
    }
    throw e;
  }
  for (const n of notes) (n.startsWith("warning:") ? io.err : say)(`curves: ${file}: ${n}`);
  if (values.out !== undefined) {
    const { writeExternalResults } = await import("../results/external.ts");
    await writeExternalResults(values.out as string, {
      experiment,
      source: file,
      sourceText: text,
      runs: allRuns,
      checks: specs,
      rows,
    });
    say(`results: ${values.out}`);
  }
  if (values.report !== undefined) {
    const { writeCurvesReport } = await import("../report/curves_report.ts");
    const files = await writeCurvesReport(
      values.report as string,
      experiment,
      allRuns,
      collapseOptions,
      specs,
    );
    say(`report: ${files.length} files in ${values.report}`);
  }
  const code = failsGateAny(rows);
  if (values.json) {
    io.out(JSON.stringify(
      {
        checks: rows.map((r) => ({
          experiment: r.experiment,
          check: r.check,
          run: r.run,
          expect: r.expect,
          statistic: r.statistic,
          value: r.value === null || Number.isFinite(r.value) ? r.value : null,
          expected: r.expected,
          tolerance: r.tolerance,
          verdict: r.verdict,
          outcome: r.outcome,
          detail: r.detail,
        })),
        ...(collapseReport
          ? {
            l0: collapseReport.l0,
            grid: collapseReport.grid,
            delta: collapseReport.delta,
            sigma: collapseReport.sigma,
            ratio: collapseReport.ratio,
          }
          : {}),
      },
      null,
      2,
    ));
    return code;
  }
  if (collapseReport && collapseReport.grid.length > 0) {
    io.out(`L̂ = ${fmt(collapseReport.l0)}`);
    io.out(["x", "Δ", "σ̄", "Δ/σ̄"].map((h) => h.padStart(10)).join(""));
    const g = collapseReport.grid;
    const show = g.length <= 20
      ? g.map((_, i) => i)
      : g.map((x, i) => ({ x, i })).filter(({ x }) => Math.abs(x * 10 - Math.round(x * 10)) < 1e-9)
        .map(({ i }) => i);
    for (const i of show) {
      io.out(
        [g[i], collapseReport.delta[i], collapseReport.sigma[i], collapseReport.ratio[i]]
          .map((v) => fmt(v, 4).padStart(10)).join(""),
      );
    }
  }
  return printVerdicts({ rows, gatingFailures: rows.filter(failsGate), failedRuns: [] }, io);
}

function failsGateAny(rows: CheckRow[]): 0 | 1 {
  return rows.some(failsGate) ? 1 : 0;
}

/** Runs `curves` with CLI arguments; returns the exit code. */
export async function curvesCommand(args: string[], io: CommandIO = consoleIO): Promise<number> {
  return await runCommand(curves, args, io);
}
